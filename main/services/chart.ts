// The chart of accounts (科目表): subjects with their CNY ledger accounts and balances, parents rolled up
// from their children, and for a month the 科目余额表 figures by business date (opening, period debit and
// credit, closing). Admins add and rename subjects at once (no money moves); remapping a ledger account to
// another leaf reclassifies money, so it is a proposal a second admin confirms (chart_changes).
import { literal, selectAllExact } from '../db/query';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import { isMonth } from '../domain/periods';
import { LEDGER } from '../domain/ledgers';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { recordDecision, type Decision, type ProposalOut } from './four-eyes';

export const SUBJECT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** The side a subject's balance normally sits on: assets and expenses debit, the rest credit. */
export const naturalSide = (type: SubjectType): 'debit' | 'credit' => (type === 'asset' || type === 'expense' ? 'debit' : 'credit');

/** 企业会计准则: the first digit of a first-level code names its class. */
const CLASS_OF_DIGIT: Record<string, readonly SubjectType[]> = {
  '1': ['asset'],
  '2': ['liability'],
  '4': ['equity'],
  '6': ['revenue', 'expense'],
};

const SUBJECT_COLUMNS = ['code', 'name', 'name_en', 'type', 'parent_code'] as const;

export interface ChartAccount {
  id: number;
  code: string;
  name: string;
  ownerKind: string | null;
  /** Any posting or pending amount, or a voucher line naming it. */
  used: boolean;
}

export interface PeriodFigures {
  /** Opening and closing on the subject's natural side (negative when on the other side). */
  opening: bigint;
  debit: bigint;
  credit: bigint;
  closing: bigint;
  /** With `yearToDate`: debits and credits from 1 January to the month's last day (本年累计). */
  yearDebit?: bigint;
  yearCredit?: bigint;
}

/** A subject where a list of subjects shows it: its place in the chart and its natural side. */
export interface SubjectHeading {
  code: string;
  name: string;
  nameEn: string;
  type: SubjectType;
  parentCode: string | null;
  /** 1 for a first-level subject, 2 for its sub-accounts, … */
  level: number;
  leaf: boolean;
  /** The subject's natural side (资产、费用 借; 负债、权益、收入 贷). */
  side: 'debit' | 'credit';
}

export interface ChartLine extends SubjectHeading {
  /** The ledger accounts mapped to this subject itself (not its children). */
  accounts: ChartAccount[];
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
  /** Posted, on the natural side. */
  balance: bigint;
  /** A leaf whose accounts carry nothing yet, or a parent: it may take sub-accounts. */
  canAddChild: boolean;
  period: PeriodFigures | null;
}

export interface Chart {
  month: string | null;
  lines: ChartLine[];
  /** CNY accounts mapped to no subject (none in books the migrations made). */
  unmapped: ChartAccount[];
  totals: { debitsPosted: bigint; creditsPosted: bigint; balanced: boolean; period: { debit: bigint; credit: bigint } | null };
}

const zero = () => ({ debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n });

/**
 * The chart with its kept balances; with `month`, each subject's 科目余额表 figures for that month by
 * business date; with `yearToDate` as well, the debits and credits from 1 January to the month's end.
 */
export async function listChart(q: Queryable, opts: { month?: string; yearToDate?: boolean } = {}): Promise<Chart> {
  const month = opts.month ?? null;
  if (month !== null && !isMonth(month)) throw refuse('VALIDATION', 'month_invalid', { month }, { field: 'month' });
  const subjects = await q.db.selectFrom('subjects').select(SUBJECT_COLUMNS).orderBy('code').execute();
  const accounts = await selectAllExact(
    q,
    q.db
      .selectFrom('accounts as a')
      .select((eb) => [
        'a.id',
        'a.code',
        'a.name',
        'a.owner_kind',
        'a.subject_code',
        'a.debits_posted',
        'a.credits_posted',
        'a.debits_pending',
        'a.credits_pending',
        eb
          .exists(eb.selectFrom('voucher_lines as v').select(eb.lit(1).as('one')).whereRef('v.account_id', '=', 'a.id'))
          .$castTo<number>()
          .as('in_voucher'),
      ])
      .where('a.ledger', '=', literal(LEDGER.CNY))
      .orderBy('a.id'),
  );
  const movement = month === null ? null : await periodMovements(q, month, opts.yearToDate === true);

  const hasChild = new Set(subjects.map((s) => s.parent_code).filter((c): c is string => c !== null));
  const lines = new Map<string, ChartLine>();
  for (const s of subjects) {
    lines.set(s.code, {
      code: s.code,
      name: s.name,
      nameEn: s.name_en,
      type: s.type,
      parentCode: s.parent_code,
      level: (s.code.length - 4) / 2 + 1,
      leaf: !hasChild.has(s.code),
      side: naturalSide(s.type),
      accounts: [],
      ...zero(),
      balance: 0n,
      canAddChild: true,
      period: movement
        ? { opening: 0n, debit: 0n, credit: 0n, closing: 0n, ...(opts.yearToDate ? { yearDebit: 0n, yearCredit: 0n } : {}) }
        : null,
    });
  }
  const unmapped: ChartAccount[] = [];
  let strayDebits = 0n;
  let strayCredits = 0n;
  for (const a of accounts) {
    const out: ChartAccount = {
      id: Number(a.id),
      code: a.code,
      name: a.name,
      ownerKind: a.owner_kind,
      used: a.debits_posted + a.credits_posted + a.debits_pending + a.credits_pending > 0n || a.in_voucher > 0n,
    };
    const own = a.subject_code === null ? undefined : lines.get(a.subject_code);
    if (!own) {
      unmapped.push(out);
      strayDebits += a.debits_posted;
      strayCredits += a.credits_posted;
      continue;
    }
    own.accounts.push(out);
    // The subject and each of its parents carry the account's amounts.
    const m = movement?.get(out.id);
    for (let code: string | null = own.code; code !== null;) {
      const l: ChartLine = lines.get(code)!;
      l.debitsPosted += a.debits_posted;
      l.creditsPosted += a.credits_posted;
      l.debitsPending += a.debits_pending;
      l.creditsPending += a.credits_pending;
      if (l.period) {
        const after = m ?? NO_MOVEMENT;
        // opening = the kept balance less everything dated on or after the month's first day
        const openDebit = a.debits_posted - after.debitFrom;
        const openCredit = a.credits_posted - after.creditFrom;
        l.period.opening += l.side === 'debit' ? openDebit - openCredit : openCredit - openDebit;
        l.period.debit += after.debitIn;
        l.period.credit += after.creditIn;
        if (l.period.yearDebit !== undefined) {
          l.period.yearDebit += after.debitYear;
          l.period.yearCredit! += after.creditYear;
        }
      }
      code = l.parentCode;
    }
  }
  for (const l of lines.values()) {
    l.balance = l.side === 'debit' ? l.debitsPosted - l.creditsPosted : l.creditsPosted - l.debitsPosted;
    if (l.period)
      l.period.closing = l.period.opening + (l.side === 'debit' ? l.period.debit - l.period.credit : l.period.credit - l.period.debit);
    l.canAddChild = !l.leaf || l.accounts.every((a) => !a.used && a.code === `gl:${l.code}`);
  }
  const leaves = [...lines.values()].filter((l) => l.leaf);
  const sum = (f: (l: ChartLine) => bigint) => leaves.reduce((n, l) => n + f(l), 0n);
  // The totals are the whole CNY ledger's, unmapped accounts included, so they balance as the ledger does.
  const debitsPosted = sum((l) => l.debitsPosted) + strayDebits;
  const creditsPosted = sum((l) => l.creditsPosted) + strayCredits;
  return {
    month,
    lines: [...lines.values()],
    unmapped,
    totals: {
      debitsPosted,
      creditsPosted,
      balanced: debitsPosted === creditsPosted,
      period: movement ? { debit: sum((l) => l.period!.debit), credit: sum((l) => l.period!.credit) } : null,
    },
  };
}

interface Movement {
  debitFrom: bigint;
  creditFrom: bigint;
  debitIn: bigint;
  creditIn: bigint;
  debitYear: bigint;
  creditYear: bigint;
}
const NO_MOVEMENT: Movement = { debitFrom: 0n, creditFrom: 0n, debitIn: 0n, creditIn: 0n, debitYear: 0n, creditYear: 0n };

/**
 * Per CNY account, the posted amounts dated from the month's first day on (`…From`), inside the month
 * (`…In`) and, with `year`, from 1 January to the month's end (`…Year`): the opening balance is the kept
 * balance less the first. Read from account_months (each account's posted amounts by business month,
 * kept by createTransfers), a few rows per account and month whatever the number of transfers
 * (docs/PERFORMANCE.md, 科目余额表).
 */
async function periodMovements(q: Queryable, month: string, year: boolean): Promise<Map<number, Movement>> {
  const start = year ? `${month.slice(0, 4)}-01` : month;
  const rows = await selectAllExact(
    q,
    q.db
      .selectFrom('account_months')
      .select(['account_id as a', 'month as m', 'debits_posted as d', 'credits_posted as c'])
      .where('month', '>=', start),
  );
  const out = new Map<number, Movement>();
  for (const r of rows) {
    let x = out.get(Number(r.a));
    if (!x) out.set(Number(r.a), (x = { ...NO_MOVEMENT }));
    if (r.m <= month) {
      x.debitYear += r.d;
      x.creditYear += r.c;
    }
    if (r.m < month) continue;
    x.debitFrom += r.d;
    x.creditFrom += r.c;
    if (r.m === month) {
      x.debitIn += r.d;
      x.creditIn += r.c;
    }
  }
  return out;
}

// ——— adding and renaming: no money moves, so they take effect at once (audited) ———

export interface NewSubject {
  parentCode?: string;
  code?: string;
  name: string;
  nameEn: string;
  type?: SubjectType;
}

async function subject(q: Queryable, code: string) {
  return await q.db.selectFrom('subjects').select(SUBJECT_COLUMNS).where('code', '=', code).executeTakeFirst();
}

const isLeaf = async (q: Queryable, code: string) => !(await q.sql('SELECT 1 FROM subjects WHERE parent_code = ? LIMIT 1').get(code));

export async function addSubject(tx: Tx, actor: Actor, s: NewSubject, now = Date.now()): Promise<ChartLine> {
  let code: string;
  let type: SubjectType;
  const parent = s.parentCode === undefined ? undefined : await subject(tx, s.parentCode);
  if (s.parentCode !== undefined) {
    if (!parent) throw refuse('REFUSED', 'unknown_subject', { code: s.parentCode }, { field: 'parentCode' });
    // A sub-account takes its parent's type.
    if (s.type !== undefined && s.type !== parent.type)
      throw refuse('VALIDATION', 'subject_type_mismatch', { code: s.code ?? `${parent.code}··`, other: parent.code }, { field: 'type' });
    type = parent.type;
    if (parent.code.length >= 12) throw refuse('VALIDATION', 'subject_code_invalid', { code: `${parent.code}01` }, { field: 'parentCode' });
    if (s.code !== undefined) {
      if (!/^\d{4}(\d\d){0,4}$/.test(s.code)) throw refuse('VALIDATION', 'subject_code_invalid', { code: s.code }, { field: 'code' });
      if (s.code.length !== parent.code.length + 2 || !s.code.startsWith(parent.code))
        throw refuse('VALIDATION', 'subject_not_child', { code: s.code, parent: parent.code }, { field: 'code' });
      code = s.code;
    } else {
      code = await freeSubCode(tx, parent.code);
    }
    if (await isLeaf(tx, parent.code)) {
      // The parent stops being a leaf: only when nothing posts to it (its own unused account stays, empty).
      const mapped = await tx.db
        .selectFrom('accounts as a')
        .select((eb) => [
          'a.code',
          eb(
            eb(eb('a.debits_posted', '+', eb.ref('a.credits_posted')), '+', eb.ref('a.debits_pending')),
            '+',
            eb.ref('a.credits_pending'),
          ).as('moved'),
          eb.exists(eb.selectFrom('voucher_lines as v').select(eb.lit(1).as('one')).whereRef('v.account_id', '=', 'a.id')).as('in_voucher'),
        ])
        .where((eb) => eb('a.ledger', '=', eb.lit(LEDGER.CNY)))
        .where('a.subject_code', '=', parent.code)
        .execute();
      const busy = mapped.find((a) => a.moved > 0 || Number(a.in_voucher) === 1 || a.code !== `gl:${parent.code}`);
      if (busy) throw refuse('REFUSED', 'subject_in_use', { code: parent.code, account: busy.code }, { field: 'parentCode' });
    }
  } else {
    if (s.code === undefined) throw refuse('VALIDATION', 'subject_code_required', {}, { field: 'code' });
    if (!/^\d{4}$/.test(s.code)) throw refuse('VALIDATION', 'subject_code_invalid', { code: s.code }, { field: 'code' });
    if (s.type === undefined) throw refuse('VALIDATION', 'subject_type_required', {}, { field: 'type' });
    if (!CLASS_OF_DIGIT[s.code[0]!]?.includes(s.type))
      throw refuse('VALIDATION', 'subject_code_class', { code: s.code }, { field: 'code' });
    code = s.code;
    type = s.type;
  }
  if (await subject(tx, code)) throw refuse('CONFLICT', 'subject_exists', { code }, { field: 'code' });
  await tx
    .sql('INSERT INTO subjects (code, name, name_en, type, parent_code, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(code, s.name, s.nameEn, type, parent?.code ?? null, now, actor.staffId);
  // A new leaf gets its own ledger account, so a voucher can post to it.
  const account = Number(
    (
      await tx
        .sql(`INSERT INTO accounts (ledger, code, name, flags, created_at, subject_code) VALUES (${LEDGER.CNY}, ?, ?, 0, ?, ?)`)
        .run(`gl:${code}`, s.nameEn, now, code)
    ).lastInsertRowid,
  );
  await recordAudit(tx, actor, {
    action: 'chart.addSubject',
    entity: 'subject',
    entityId: code,
    after: { code, name: s.name, nameEn: s.nameEn, type, parentCode: parent?.code ?? null, account },
    at: now,
  });
  return (await listChart(tx)).lines.find((l) => l.code === code)!;
}

async function freeSubCode(q: Queryable, parent: string): Promise<string> {
  const m =
    (
      await q.db
        .selectFrom('subjects')
        .select((eb) => eb.fn.max<string | null>('code').as('m'))
        .where('parent_code', '=', parent)
        .executeTakeFirst()
    )?.m ?? null;
  const next = m === null ? 1 : Number(m.slice(parent.length)) + 1;
  if (next > 99) throw refuse('REFUSED', 'subjects_full', { parent }, { field: 'parentCode' });
  return `${parent}${String(next).padStart(2, '0')}`;
}

export async function renameSubject(
  tx: Tx,
  actor: Actor,
  r: { code: string; name: string; nameEn: string },
  now = Date.now(),
): Promise<ChartLine> {
  const before = await subject(tx, r.code);
  if (!before) throw refuse('REFUSED', 'unknown_subject', { code: r.code }, { field: 'code' });
  await tx.sql('UPDATE subjects SET name = ?, name_en = ? WHERE code = ?').run(r.name, r.nameEn, r.code);
  await recordAudit(tx, actor, {
    action: 'chart.renameSubject',
    entity: 'subject',
    entityId: r.code,
    before: { name: before.name, nameEn: before.name_en },
    after: { name: r.name, nameEn: r.nameEn },
    at: now,
  });
  return (await listChart(tx)).lines.find((l) => l.code === r.code)!;
}

// ——— remapping a ledger account: reclassifies money, so a second admin confirms ———

export interface ChartChangeOut extends ProposalOut {
  id: number;
  kind: 'remap';
  accountId: number;
  accountCode: string;
  accountName: string;
  fromCode: string;
  fromName: string;
  toCode: string;
  toName: string;
  reason: string;
}

export async function listChartChanges(q: Queryable, id?: number): Promise<ChartChangeOut[]> {
  let query = q.db
    .selectFrom('chart_changes as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .innerJoin('subjects as f', 'f.code', 'c.from_code')
    .innerJoin('subjects as t', 't.code', 'c.to_code')
    .innerJoin('staff as p', 'p.id', 'c.proposed_by')
    .leftJoin('staff as d', 'd.id', 'c.decided_by')
    .select([
      'c.id',
      'c.kind',
      'c.account_id as accountId',
      'a.code as accountCode',
      'a.name as accountName',
      'c.from_code as fromCode',
      'f.name as fromName',
      'c.to_code as toCode',
      't.name as toName',
      'c.reason',
      'c.proposed_by as proposedBy',
      'p.display_name as proposedByName',
      'c.proposed_at as proposedAt',
      'c.status',
      'c.decided_by as decidedBy',
      'd.display_name as decidedByName',
      'c.decided_at as decidedAt',
    ]);
  if (id !== undefined) query = query.where('c.id', '=', id);
  return await query.orderBy('c.id', 'desc').limit(500).execute();
}

async function ledgerAccount(q: Queryable, accountId: number) {
  const a = await q.db
    .selectFrom('accounts')
    .select(['id', 'code', 'name', 'subject_code'])
    .where('id', '=', accountId)
    .where((eb) => eb('ledger', '=', eb.lit(LEDGER.CNY)))
    .executeTakeFirst();
  if (!a) throw refuse('REFUSED', 'unknown_ledger_account', { accountId: String(accountId) }, { field: 'accountId' });
  return a;
}

/** The target of a remap: an existing leaf of the same type as where the account is now. */
async function checkTarget(q: Queryable, from: string | null, to: string): Promise<void> {
  const target = await subject(q, to);
  if (!target) throw refuse('REFUSED', 'unknown_subject', { code: to }, { field: 'toCode' });
  if (!(await isLeaf(q, to))) throw refuse('REFUSED', 'subject_not_leaf', { code: to }, { field: 'toCode' });
  const now = from === null ? undefined : await subject(q, from);
  if (now && now.type !== target.type) throw refuse('REFUSED', 'subject_type_mismatch', { code: to, other: now.code }, { field: 'toCode' });
}

export async function proposeRemap(
  tx: Tx,
  actor: Actor,
  p: { accountId: number; toCode: string; reason: string },
  now = Date.now(),
): Promise<ChartChangeOut> {
  const a = await ledgerAccount(tx, p.accountId);
  if (a.subject_code === null)
    throw refuse('REFUSED', 'unknown_ledger_account', { accountId: String(p.accountId) }, { field: 'accountId' });
  if (a.subject_code === p.toCode) throw refuse('REFUSED', 'remap_same', { account: a.name, code: p.toCode }, { field: 'toCode' });
  await checkTarget(tx, a.subject_code, p.toCode);
  const open = await tx.db
    .selectFrom('chart_changes')
    .select('id')
    .where('account_id', '=', a.id)
    .where('status', '=', literal('proposed'))
    .executeTakeFirst();
  if (open) throw refuse('CONFLICT', 'remap_pending', { account: a.name, change: String(open.id) }, { field: 'accountId' });
  const id = Number(
    (
      await tx
        .sql(
          "INSERT INTO chart_changes (kind, account_id, from_code, to_code, reason, proposed_by, proposed_at) VALUES ('remap', ?, ?, ?, ?, ?, ?)",
        )
        .run(a.id, a.subject_code, p.toCode, p.reason, actor.staffId, now)
    ).lastInsertRowid,
  );
  await recordAudit(tx, actor, {
    action: 'chart.proposeRemap',
    entity: 'chart_change',
    entityId: id,
    after: { accountId: a.id, fromCode: a.subject_code, toCode: p.toCode, reason: p.reason },
    at: now,
  });
  return (await listChartChanges(tx, id))[0]!;
}

export async function decideRemap(tx: Tx, actor: Actor, id: number, decision: Decision, now = Date.now()): Promise<ChartChangeOut> {
  const change = (await listChartChanges(tx, id))[0];
  if (!change) throw refuse('REFUSED', 'unknown_chart_change', { change: String(id) }, { field: 'id' });
  if (change.status !== 'proposed') throw refuse('CONFLICT', 'chart_change_decided', { change: String(id) }, { field: 'id' });
  if (change.proposedBy === actor.staffId) throw refuse('FORBIDDEN', 'own_chart_change', { change: String(id) }, { field: 'id' });
  if (decision === 'confirmed') {
    const a = await ledgerAccount(tx, change.accountId);
    if (a.subject_code !== change.fromCode)
      throw refuse('CONFLICT', 'remap_stale', { change: String(id), code: change.fromCode, now: a.subject_code ?? '—' }, { field: 'id' });
    await checkTarget(tx, a.subject_code, change.toCode);
    await tx.sql('UPDATE accounts SET subject_code = ? WHERE id = ?').run(change.toCode, a.id);
  }
  await recordDecision(
    tx,
    actor,
    'remap',
    id,
    decision,
    {
      before: { accountId: change.accountId, subjectCode: change.fromCode },
      after: { accountId: change.accountId, subjectCode: decision === 'confirmed' ? change.toCode : change.fromCode },
    },
    now,
  );
  return (await listChartChanges(tx, id))[0]!;
}
