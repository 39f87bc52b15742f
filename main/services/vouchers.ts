// Vouchers (记账凭证). A clerk or approver prepares a manual voucher (a draft with a gapless number per
// month and 凭证字); another approver reviews it: approved, its lines post as one linked chain of
// transfers on the voucher's date; rejected, it is voided and keeps its number. A posted manual voucher is
// corrected only by a red voucher (红字冲销) that names it and, once reviewed, reverses each of its
// transfers. Business actions post under automatic vouchers (services/voucher-numbers), whose lines are
// read from their transfers and which are undone by the action that made them.
import type { Selectable } from 'kysely';
import type { Queryable } from '../db/books';
import type { VoucherTable } from '../db/schema';
import { literal, type RowOf } from '../db/query';
import type { Tx } from '../db/tx';
import { likeContains, likeSql } from '../db/like';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { isBusinessDate, monthOf } from '../domain/periods';
import { refuse } from '../domain/refusals';
import { pairVoucherLines, voucherImbalance, type VoucherLineIn } from '../domain/vouchers';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { UNDO_ACTION } from './ledger-actions';
import { closedMonths, createTransfers, expectPosted, type PostInput, type TransferResult } from './ledger-post';
import { insertVoucher, voucherName, type VoucherWord } from './voucher-numbers';
import { eachInTurn, mapInTurn } from './in-turn';
import { keysetPageOf } from './keyset-page';

export const VOUCHER_WORDS: readonly VoucherWord[] = ['记', '收', '付', '转'];
export type VoucherStatus = 'draft' | 'posted' | 'voided';

export interface PrepareLine {
  summary: string;
  /** The CNY ledger account, or the leaf subject (科目编码) whose ledger account is meant. */
  accountId?: number;
  subjectCode?: string;
  debit?: number;
  credit?: number;
}
export interface PrepareVoucher {
  date: string;
  word?: VoucherWord;
  attachments?: number;
  lines: readonly PrepareLine[];
}

type VoucherRow = Selectable<VoucherTable>;

export const VOUCHER_NAME = /^(记|收|付|转)-(\d{4}-\d{2})-(\d{1,6})$/;

/** A voucher by id or by its name ('记-2026-11-0001'); NOT_FOUND otherwise. */
async function voucherRow(q: Queryable, ref: number | string): Promise<VoucherRow> {
  let row: VoucherRow | undefined;
  if (typeof ref === 'number') row = await q.db.selectFrom('vouchers').selectAll().where('id', '=', ref).executeTakeFirst();
  else {
    const m = VOUCHER_NAME.exec(ref.trim());
    if (m)
      row = await q.db
        .selectFrom('vouchers')
        .selectAll()
        .where('word', '=', m[1] as VoucherWord)
        .where('period', '=', m[2]!)
        .where('number', '=', Number(m[3]))
        .executeTakeFirst();
  }
  if (!row) throw refuse('NOT_FOUND', 'voucher_not_found', { ref: String(ref) }, { field: typeof ref === 'number' ? 'id' : 'name' });
  return row;
}

interface LineAccount {
  id: number;
  subjectCode: string;
}

/** The leaf subject's CNY ledger account a line names, or the coded refusal naming the line. */
async function lineAccount(q: Queryable, line: PrepareLine, n: number): Promise<LineAccount> {
  const field = `lines.${n - 1}`;
  let acc: { id: number; ledger: number; subject_code: string | null } | undefined;
  const ref = line.accountId !== undefined ? `#${line.accountId}` : (line.subjectCode ?? '');
  if (line.accountId !== undefined) {
    acc = await q.db.selectFrom('accounts').select(['id', 'ledger', 'subject_code']).where('id', '=', line.accountId).executeTakeFirst();
  } else if (line.subjectCode !== undefined) {
    // A subject's own account first (gl:… or a system account), before an owned one (a bank account).
    acc = await q.db
      .selectFrom('accounts')
      .select(['id', 'ledger', 'subject_code'])
      .where((eb) => eb('ledger', '=', eb.lit(LEDGER.CNY)))
      .where('subject_code', '=', line.subjectCode)
      .orderBy((eb) => eb('owner_kind', 'is not', null))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!acc && (await q.sql('SELECT 1 FROM subjects WHERE code = ?').get(line.subjectCode)) && !(await isLeaf(q, line.subjectCode)))
      throw refuse('VALIDATION', 'voucher_line_not_leaf', { line: String(n), code: line.subjectCode }, { field: `${field}.subjectCode` });
  }
  if (!acc || acc.ledger !== LEDGER.CNY || acc.subject_code === null)
    throw refuse('VALIDATION', 'voucher_line_no_account', { line: String(n), ref }, { field });
  if (!(await isLeaf(q, acc.subject_code)))
    throw refuse('VALIDATION', 'voucher_line_not_leaf', { line: String(n), code: acc.subject_code }, { field });
  return { id: acc.id, subjectCode: acc.subject_code };
}

async function isLeaf(q: Queryable, code: string): Promise<boolean> {
  return !(await q.sql('SELECT 1 FROM subjects WHERE parent_code = ? LIMIT 1').get(code));
}

async function openMonth(q: Queryable, date: string, field: string): Promise<void> {
  if (!isBusinessDate(date)) throw refuse('VALIDATION', 'business_date_invalid', { date }, { field });
  if ((await closedMonths(q)).has(monthOf(date))) throw refuse('REFUSED', 'period_closed', { month: monthOf(date) }, { field });
}

/** Checks a voucher's lines: each a leaf account with one side; debits equal credits. */
async function checkedLines(q: Queryable, lines: readonly PrepareLine[]): Promise<(VoucherLineIn & { summary: string })[]> {
  if (lines.length < 2) throw refuse('VALIDATION', 'voucher_too_few_lines', { count: String(lines.length) }, { field: 'lines' });
  const out = await mapInTurn(lines, async (l, i) => {
    const n = i + 1;
    const debit = l.debit ?? 0;
    const credit = l.credit ?? 0;
    const summary = l.summary.trim();
    if (!summary) throw refuse('VALIDATION', 'voucher_line_summary', { line: String(n) }, { field: `lines.${i}.summary` });
    if (!Number.isSafeInteger(debit) || !Number.isSafeInteger(credit) || debit < 0 || credit < 0 || debit > 0 === credit > 0)
      throw refuse('VALIDATION', 'voucher_line_amount', { line: String(n) }, { field: `lines.${i}` });
    return { summary, accountId: (await lineAccount(q, l, n)).id, debit, credit };
  });
  const difference = voucherImbalance(out);
  if (difference !== 0) {
    const debit = out.reduce((s, l) => s + l.debit, 0);
    const credit = out.reduce((s, l) => s + l.credit, 0);
    throw refuse(
      'VALIDATION',
      'voucher_unbalanced',
      { debitFen: String(debit), creditFen: String(credit), differenceFen: String(Math.abs(difference)) },
      { field: 'lines' },
    );
  }
  return out;
}

async function insertLines(tx: Tx, voucherId: number, lines: readonly (VoucherLineIn & { summary: string })[]): Promise<void> {
  const ins = tx.sql('INSERT INTO voucher_lines (voucher_id, line_no, summary, account_id, debit, credit) VALUES (?, ?, ?, ?, ?, ?)');
  await eachInTurn(lines, async (l, i) => ins.run(voucherId, i + 1, l.summary, l.accountId, l.debit, l.credit));
}

/** A clerk's or approver's manual voucher: checked, numbered and stored as a draft for another approver. */
export async function prepareVoucher(tx: Tx, actor: Actor, v: PrepareVoucher, now: number): Promise<VoucherDetail> {
  await openMonth(tx, v.date, 'date');
  const word = v.word ?? '记';
  if (!VOUCHER_WORDS.includes(word)) throw refuse('VALIDATION', 'voucher_word_invalid', { word: String(word) }, { field: 'word' });
  const lines = await checkedLines(tx, v.lines);
  const { id } = await insertVoucher(
    tx,
    {
      date: v.date,
      word,
      summary: lines[0]!.summary,
      source: 'manual',
      status: 'draft',
      attachments: v.attachments ?? 0,
      preparedBy: actor.staffId,
    },
    now,
  );
  await insertLines(tx, id, lines);
  const out = await getVoucher(tx, id);
  await recordAudit(tx, actor, { action: 'voucher.prepare', entity: 'voucher', entityId: id, after: auditView(out), at: now });
  return out;
}

/** Four eyes: an approver who did not prepare it posts it (approve) or voids it (reject, 作废). */
export async function reviewVoucher(
  tx: Tx,
  actor: Actor,
  ref: number | string,
  approve: boolean,
  note: string | null,
  now: number,
): Promise<VoucherDetail> {
  const v = await voucherRow(tx, ref);
  const name = voucherName(v);
  if (actor.role !== 'approver')
    throw refuse('FORBIDDEN', 'role_forbidden', { method: 'vouchers.review', role: actor.role, allowed: 'approver' });
  if (v.source !== 'manual' || v.status !== 'draft') throw refuse('CONFLICT', 'voucher_reviewed', { voucher: name }, { field: 'id' });
  if (v.prepared_by !== null && v.prepared_by === actor.staffId)
    throw refuse('FORBIDDEN', 'voucher_four_eyes', { voucher: name, user: actor.name }, { field: 'id' });
  if (approve) {
    if ((await closedMonths(tx)).has(v.period)) throw refuse('REFUSED', 'period_closed', { month: v.period }, { field: 'id' });
    await post(tx, actor, v, now);
  }
  await tx
    .sql('UPDATE vouchers SET status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ?')
    .run(approve ? 'posted' : 'voided', actor.staffId, now, note, v.id);
  const out = await getVoucher(tx, v.id);
  await recordAudit(tx, actor, {
    action: approve ? 'voucher.post' : 'voucher.void',
    entity: 'voucher',
    entityId: v.id,
    after: { ...auditView(out), note },
    at: now,
  });
  return out;
}

/** Posts a reviewed voucher: its lines as transfers, or (a red voucher) the reversal of each original transfer. */
async function post(tx: Tx, actor: Actor, v: VoucherRow, now: number): Promise<void> {
  const name = voucherName(v);
  const memo = `${name} ${v.summary}`;
  let inputs: PostInput[];
  if (v.reverses_id === null) {
    const lines: VoucherLineIn[] = await tx.db
      .selectFrom('voucher_lines')
      .select(['account_id as accountId', 'debit', 'credit'])
      .where('voucher_id', '=', v.id)
      .orderBy('line_no')
      .execute();
    // The chart may have grown a sub-account under a line's subject since the voucher was prepared.
    for (const [i, l] of lines.entries()) {
      // A voucher line's account is a CNY account with its subject (lineAccount checked it).
      const code = (await tx.db.selectFrom('accounts').select('subject_code').where('id', '=', l.accountId).executeTakeFirst())!
        .subject_code!;
      if (!(await isLeaf(tx, code))) throw refuse('VALIDATION', 'voucher_line_not_leaf', { line: String(i + 1), code }, { field: 'id' });
    }
    inputs = pairVoucherLines(lines).map((p, i) => ({
      key: `voucher:${v.id}:${i + 1}`,
      ledger: LEDGER.CNY,
      debitAccountId: p.debitAccountId,
      creditAccountId: p.creditAccountId,
      amount: p.amount,
      code: 'voucher',
      memo,
      date: v.date,
      voucherId: v.id,
    }));
  } else {
    const originals = await tx.db
      .selectFrom('transfers')
      .select(['id', 'debit_account_id as d', 'credit_account_id as c', 'amount'])
      .where('voucher_id', '=', v.reverses_id)
      .where('kind', 'in', [literal('single'), literal('post')])
      .orderBy('id')
      .execute();
    inputs = originals.map((o, i) => ({
      key: `voucher:${v.id}:${i + 1}`,
      ledger: LEDGER.CNY,
      debitAccountId: o.c,
      creditAccountId: o.d,
      amount: o.amount,
      code: 'voucher',
      memo,
      date: v.date,
      voucherId: v.id,
      reversesId: o.id,
    }));
  }
  inputs.forEach((t, i) => (t.linked = i < inputs.length - 1));
  posted(await createTransfers(tx, inputs, { staffId: actor.staffId, now, date: v.date }));
}

/** All of a voucher's transfers posted, or its coded refusal (a closed month names the month). */
function posted(results: readonly TransferResult[]): void {
  const bad = results.find(
    (r) => r.result !== 'ok' && r.result !== 'exists' && r.result !== 'linked_event_failed' && r.result !== 'period_closed',
  );
  if (bad) throw refuse('REFUSED', 'ledger_refused', { result: bad.result }, { key: bad.key });
  expectPosted(results);
}

/** A red voucher (红字冲销) naming a posted manual voucher: a draft for another approver to review. */
export async function reverseVoucher(
  tx: Tx,
  actor: Actor,
  ref: number | string,
  r: { date: string; reason: string },
  now: number,
): Promise<VoucherDetail> {
  const v = await voucherRow(tx, ref);
  const name = voucherName(v);
  if (v.source !== 'manual') {
    const first = await tx.db
      .selectFrom('transfers')
      .select('code')
      .where('voucher_id', '=', v.id)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    throw refuse('REFUSED', 'voucher_automatic', { voucher: name, action: UNDO_ACTION[first?.code ?? ''] ?? 'none' }, { field: 'id' });
  }
  if (v.reverses_id !== null) throw refuse('REFUSED', 'voucher_is_red', { voucher: name }, { field: 'id' });
  if (v.status !== 'posted') throw refuse('CONFLICT', 'voucher_not_posted', { voucher: name }, { field: 'id' });
  const red = await tx.db
    .selectFrom('vouchers')
    .select(['word', 'period', 'number'])
    .where('reverses_id', '=', v.id)
    .where('status', '<>', literal('voided'))
    .executeTakeFirst();
  if (red) throw refuse('CONFLICT', 'voucher_already_reversed', { voucher: name, red: voucherName(red) }, { field: 'id' });
  await openMonth(tx, r.date, 'date');
  const reason = r.reason.trim();
  const lines = (
    await tx.db
      .selectFrom('voucher_lines')
      .select(['summary', 'account_id as accountId', 'debit', 'credit'])
      .where('voucher_id', '=', v.id)
      .orderBy('line_no')
      .execute()
  ).map((l) => ({ ...l, summary: `冲销 ${name}：${l.summary}` }));
  const { id } = await insertVoucher(
    tx,
    {
      date: r.date,
      word: v.word,
      summary: `冲销 ${name}：${reason}`,
      source: 'manual',
      status: 'draft',
      attachments: 0,
      preparedBy: actor.staffId,
      reversesId: v.id,
    },
    now,
  );
  await insertLines(tx, id, lines);
  const out = await getVoucher(tx, id);
  await recordAudit(tx, actor, {
    action: 'voucher.reverse',
    entity: 'voucher',
    entityId: id,
    after: { ...auditView(out), reason },
    at: now,
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reading

export interface VoucherLineOut {
  lineNo: number;
  summary: string;
  accountId: number;
  accountName: string;
  accountCode: string;
  subjectCode: string | null;
  subjectName: string | null;
  subjectNameEn: string | null;
  /** Fen as integer strings; a red voucher's amounts are negative (红字). */
  debit: string;
  credit: string;
}

export interface VoucherOut {
  id: number;
  name: string;
  word: VoucherWord;
  period: string;
  number: number;
  date: string;
  attachments: number;
  summary: string;
  source: string;
  status: VoucherStatus;
  preparedById: number | null;
  preparedBy: string | null;
  preparedAt: number;
  reviewedById: number | null;
  reviewedBy: string | null;
  reviewedAt: number | null;
  reviewNote: string | null;
  /** A red voucher names the voucher it reverses; a reversed voucher names its red voucher. */
  reversesId: number | null;
  reversesName: string | null;
  reversedById: number | null;
  reversedByName: string | null;
  debitTotal: string;
  creditTotal: string;
}

export interface VoucherDetail extends VoucherOut {
  lines: VoucherLineOut[];
}

/** Vouchers with who prepared and reviewed them, the voucher each reverses or is reversed by, and the total. */
function header(q: Queryable) {
  return q.db
    .selectFrom('vouchers as v')
    .leftJoin('staff as p', 'p.id', 'v.prepared_by')
    .leftJoin('staff as r', 'r.id', 'v.reviewed_by')
    .leftJoin('vouchers as o', 'o.id', 'v.reverses_id')
    .leftJoin('vouchers as red', (j) => j.onRef('red.reverses_id', '=', 'v.id').on('red.status', '<>', literal('voided')))
    .selectAll('v')
    .select((eb) => [
      'p.display_name as preparer',
      'r.display_name as reviewer',
      'o.word as o_word',
      'o.period as o_period',
      'o.number as o_number',
      'red.id as red_id',
      'red.word as red_word',
      'red.period as red_period',
      'red.number as red_number',
      eb
        .case()
        .when('v.source', '=', literal('manual'))
        .then(
          eb
            .selectFrom('voucher_lines as l')
            .select((e) => e.fn.coalesce(e.fn.sum<number | null>('l.debit'), e.lit(0)).as('s'))
            .whereRef('l.voucher_id', '=', 'v.id'),
        )
        .else(
          eb
            .selectFrom('transfers as t')
            .select((e) => e.fn.coalesce(e.fn.sum<number | null>('t.amount'), e.lit(0)).as('s'))
            .whereRef('t.voucher_id', '=', 'v.id')
            .where('t.kind', 'in', [literal('single'), literal('post')]),
        )
        .end()
        .as('total'),
    ]);
}

type HeaderRow = RowOf<typeof header>;

function headerOut(r: HeaderRow): VoucherOut {
  const total = String(r.reverses_id !== null ? -r.total : r.total);
  return {
    id: r.id,
    name: voucherName(r),
    word: r.word,
    period: r.period,
    number: r.number,
    date: r.date,
    attachments: r.attachments,
    summary: r.summary,
    source: r.source,
    status: r.status,
    preparedById: r.prepared_by,
    preparedBy: r.preparer,
    preparedAt: r.prepared_at,
    reviewedById: r.reviewed_by,
    reviewedBy: r.reviewer,
    reviewedAt: r.reviewed_at,
    reviewNote: r.review_note,
    reversesId: r.reverses_id,
    reversesName: r.o_word !== null ? voucherName({ word: r.o_word, period: r.o_period!, number: r.o_number! }) : null,
    reversedById: r.red_id,
    reversedByName: r.red_word !== null ? voucherName({ word: r.red_word, period: r.red_period!, number: r.red_number! }) : null,
    debitTotal: total,
    creditTotal: total,
  };
}

export interface VoucherFilter {
  period?: string;
  status?: VoucherStatus;
  word?: VoucherWord;
  /** 'manual', 'automatic' (any business action) or one business kind. */
  source?: string;
  search?: string;
  beforeId?: number;
  limit: number;
}

/** A page of vouchers, newest first (keyset by id), each with its debit and credit totals. */
export async function listVouchers(q: Queryable, f: VoucherFilter): Promise<{ rows: VoucherOut[]; nextBeforeId: number | null }> {
  let query = header(q);
  if (f.period) query = query.where('v.period', '=', f.period);
  if (f.status) query = query.where('v.status', '=', f.status);
  if (f.word) query = query.where('v.word', '=', f.word);
  if (f.source === 'automatic') query = query.where('v.source', '<>', literal('manual'));
  else if (f.source) query = query.where('v.source', '=', f.source);
  if (f.beforeId !== undefined) query = query.where('v.id', '<', f.beforeId);
  const search = f.search?.trim();
  if (search) {
    const m = VOUCHER_NAME.exec(search);
    if (m)
      query = query
        .where('v.word', '=', m[1] as VoucherWord)
        .where('v.period', '=', m[2]!)
        .where('v.number', '=', Number(m[3]));
    else query = query.where(likeSql(q, 'v.summary', likeContains(search)));
  }
  const rows = await query
    .orderBy('v.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return keysetPageOf(rows, f.limit, headerOut);
}

/** How a voucher line names its account and the account's subject (accounts as a, subjects as s). */
const LINE_ACCOUNT = [
  'a.id as accountId',
  'a.name as accountName',
  'a.code as accountCode',
  'a.subject_code as subjectCode',
  's.name as subjectName',
  's.name_en as subjectNameEn',
] as const;

/**
 * One voucher with its lines in the 记账凭证 layout: a manual voucher's lines as prepared; an automatic
 * voucher's lines from its transfers, summed per account and side (debits first), with its 摘要.
 */
export async function getVoucher(q: Queryable, ref: number | string): Promise<VoucherDetail> {
  const v = await voucherRow(q, ref);
  const head = headerOut((await header(q).where('v.id', '=', v.id).executeTakeFirst())!);
  const sign = v.reverses_id !== null ? -1 : 1;
  type Raw = Omit<VoucherLineOut, 'debit' | 'credit'> & { debit: number; credit: number };
  let raw: Raw[];
  if (v.source === 'manual') {
    raw = await q.db
      .selectFrom('voucher_lines as l')
      .innerJoin('accounts as a', 'a.id', 'l.account_id')
      .leftJoin('subjects as s', 's.code', 'a.subject_code')
      .select(['l.line_no as lineNo', 'l.summary', ...LINE_ACCOUNT, 'l.debit', 'l.credit'])
      .where('l.voucher_id', '=', v.id)
      .orderBy('l.line_no')
      .execute();
  } else {
    // each transfer's debit and credit side (the SQL's UNION ALL), then summed per side and account
    const side = (s: 'D' | 'C', account: 'debit_account_id' | 'credit_account_id') =>
      q.db
        .selectFrom('transfers')
        .select((eb) => [literal<'D' | 'C'>(s).as('side'), eb.ref(account).as('account_id'), 'amount'])
        .where('voucher_id', '=', v.id)
        .where('kind', 'in', [literal('single'), literal('post')]);
    const debits = side('D', 'debit_account_id');
    const credits = side('C', 'credit_account_id');
    const sides = await q.db
      .selectFrom(debits.unionAll(credits).as('x'))
      .innerJoin('accounts as a', 'a.id', 'x.account_id')
      .leftJoin('subjects as s', 's.code', 'a.subject_code')
      .select((eb) => ['x.side', ...LINE_ACCOUNT, eb.fn.sum<number>('x.amount').as('amount')])
      .groupBy(['x.side', 'a.id', 's.code']) // the subject follows the account: grouped by its key too, as PostgreSQL asks
      .orderBy('x.side', 'desc')
      .orderBy('a.subject_code')
      .orderBy('a.id')
      .execute();
    raw = sides.map(({ side, amount, ...acc }, i) => ({
      lineNo: i + 1,
      summary: v.summary,
      ...acc,
      debit: side === 'D' ? amount : 0,
      credit: side === 'C' ? amount : 0,
    }));
  }
  const lines = raw.map((l) => ({ ...l, debit: String(sign * l.debit || 0), credit: String(sign * l.credit || 0) }));
  return { ...head, lines };
}

function auditView(v: VoucherDetail) {
  return {
    voucher: v.name,
    date: v.date,
    status: v.status,
    attachments: v.attachments,
    reverses: v.reversesName,
    lines: v.lines.map((l) => ({
      summary: l.summary,
      subject: l.subjectCode,
      debit: formatYuan(Number(l.debit)),
      credit: formatYuan(Number(l.credit)),
    })),
  };
}

export interface VoucherAccount {
  accountId: number;
  subjectCode: string;
  name: string;
  nameEn: string;
  type: string;
}

/** The accounts a voucher line may name: each leaf subject's CNY ledger account, by 科目编码. */
export async function voucherAccounts(q: Queryable): Promise<VoucherAccount[]> {
  return await q.db
    .selectFrom('subjects as s')
    .innerJoin('accounts as a', (j) =>
      j.on((eb) =>
        eb(
          'a.id',
          '=',
          eb
            .selectFrom('accounts as own')
            .select('own.id')
            .where((e) => e('own.ledger', '=', e.lit(LEDGER.CNY)))
            .whereRef('own.subject_code', '=', 's.code')
            .orderBy((e) => e('own.owner_kind', 'is not', null))
            .orderBy('own.id')
            .limit(1),
        ),
      ),
    )
    .select(['a.id as accountId', 's.code as subjectCode', 's.name', 's.name_en as nameEn', 's.type'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('subjects as c').select(eb.lit(1).as('one')).whereRef('c.parent_code', '=', 's.code'))))
    .orderBy('s.code')
    .execute();
}
