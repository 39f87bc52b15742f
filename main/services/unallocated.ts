// Unallocated money: the parts of money-in bank lines that no request took (unmatched payments,
// overpayments). Besides being matched by hand to a later request (reconcile.matchByHand), it can be
// - refunded: a clerk proposes, another person approves (Dr unallocated receipts / Cr refunds payable),
//   and a money-out line matched to the refund pays it (services/refunds.ts);
// - reclassified to 224103 待查款项 once it is old enough (setting matching.unallocatedReclassifyDays):
//   a clerk proposes, another person approves (Dr unallocated receipts / Cr 待查); money in 待查 can
//   later be refunded the same way (Dr 待查 / Cr refunds payable).
// A line's `allocated` counts every fen moved off unallocated receipts (to requests, refunds, 待查), so
// matching, the report and "unallocated receipts = Σ unallocated parts" keep holding.
import { expressionBuilder, sql } from 'kysely';
import { dialect, literal } from '../db/query';
import type { Queryable } from '../db/books';
import type { Database } from '../db/schema';
import { lockRow, type Tx } from '../db/tx';
import { shanghaiDate } from '../domain/dates';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { refuse } from '../domain/refusals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { postOne } from './ledger-post';
import { refundById, refundRef, type RefundRow } from './refunds';
import { settingAt } from './settings';
import { cnyAccount } from './system-accounts';

/** The ledger account of 224103 待查款项. */
export const investigationAccount = async (q: Queryable): Promise<number> => cnyAccount(q, 'gl:224103');

interface MoneyInLine {
  id: number;
  booked: string;
  amount: number;
  allocated: number;
  reversal: number;
  nettedWith: number | null;
}

async function moneyInLine(q: Queryable, lineId: number): Promise<MoneyInLine> {
  const l = await q.db
    .selectFrom('bank_lines')
    .select(['id', 'booked', 'amount', 'allocated', 'reversal', 'netted_with as nettedWith'])
    .where('id', '=', lineId)
    .executeTakeFirst();
  if (!l) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  if (l.amount < 0) throw refuse('CONFLICT', 'line_money_out', { lineId: String(lineId) }, { field: 'lineId' });
  if (l.reversal) throw refuse('CONFLICT', 'line_is_reversal', { lineId: String(lineId) }, { field: 'lineId' });
  if (l.nettedWith !== null)
    throw refuse('CONFLICT', 'line_netted', { lineId: String(lineId), otherLineId: String(l.nettedWith) }, { field: 'lineId' });
  return l;
}

const line = expressionBuilder<Database & { l: Database['bank_lines'] }, 'l'>();
/**
 * What waits for an approver on a line's (`bank_lines as l`) unallocated money: the refunds and
 * reclassifications of it proposed and not yet decided (except one being decided).
 */
function waitingOnLine(except: { refund?: number; action?: number } = {}) {
  return line(
    line
      .selectFrom('refunds')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('s'))
      .whereRef('source_line_id', '=', 'l.id')
      .where('source', '=', literal('unallocated'))
      .where('status', '=', literal('proposed'))
      .where('id', '<>', except.refund ?? 0)
      .$asScalar()
      .$notNull(),
    '+',
    line
      .selectFrom('bank_line_actions')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('s'))
      .whereRef('bank_line_id', '=', 'l.id')
      .where('kind', '=', literal('reclassify'))
      .where('status', '=', literal('proposed'))
      .where('id', '<>', except.action ?? 0)
      .$asScalar()
      .$notNull(),
  );
}

/** Refunds and reclassifications of a line's unallocated money that wait for an approver (except one being decided). */
async function waitingOnUnallocated(q: Queryable, lineId: number, except: { refund?: number; action?: number } = {}): Promise<number> {
  return (await q.db.selectFrom('bank_lines as l').select(waitingOnLine(except).as('s')).where('l.id', '=', lineId).executeTakeFirst())!.s;
}

/** What a line has in 待查: reclassified, less refunds from it (those waiting included, except one being decided). */
async function investigationLeft(q: Queryable, lineId: number, exceptRefund = 0): Promise<number> {
  const reclassified = (await q.db
    .selectFrom('bank_line_actions')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('s'))
    .where('bank_line_id', '=', lineId)
    .where('kind', '=', literal('reclassify'))
    .where('status', '=', literal('done'))
    .executeTakeFirst())!;
  const refunded = (await q.db
    .selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('s'))
    .where('source_line_id', '=', lineId)
    .where('source', '=', literal('investigation'))
    .where('status', '<>', literal('rejected'))
    .where('id', '<>', exceptRefund)
    .executeTakeFirst())!;
  return reclassified.s - refunded.s;
}

/** Days from the line's booking date to today (Asia/Shanghai). */
function ageDays(booked: string, now: number): number {
  return Math.round((Date.parse(shanghaiDate(now)) - Date.parse(booked)) / 86_400_000);
}

/** A clerk proposes refunding (part of) a line's unallocated money, or of its money in 待查. */
export async function proposeLineRefund(
  tx: Tx,
  actor: Actor,
  input: { lineId: number; amount: number; from: 'unallocated' | 'investigation'; reason: string },
  now: number,
): Promise<RefundRow> {
  const l = await moneyInLine(tx, input.lineId);
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw refuse('VALIDATION', 'amount_not_positive', {}, { field: 'amount' });
  const left =
    input.from === 'unallocated' ? l.amount - l.allocated - (await waitingOnUnallocated(tx, l.id)) : await investigationLeft(tx, l.id);
  if (input.amount > left)
    throw refuse(
      'CONFLICT',
      input.from === 'unallocated' ? 'unallocated_short' : 'investigation_short',
      { lineId: String(l.id), askedFen: String(input.amount), leftFen: String(Math.max(left, 0)) },
      { field: 'amount' },
    );
  const id = Number(
    (
      await tx
        .sql(
          "INSERT INTO refunds (source, source_line_id, amount, reason, created_at, status, proposed_by) VALUES (?, ?, ?, ?, ?, 'proposed', ?)",
        )
        .run(input.from, l.id, input.amount, input.reason, now, actor.staffId)
    ).lastInsertRowid,
  );
  await recordAudit(tx, actor, {
    action: 'refund.propose',
    entity: 'refund',
    entityId: id,
    after: { from: input.from, lineId: l.id, amount: formatYuan(input.amount), reason: input.reason },
    at: now,
  });
  return await refundById(tx, id);
}

/**
 * Another person (an approver who did not propose it) approves a refund of a line's money — it becomes
 * payable: Dr unallocated receipts (or 待查) / Cr refunds payable — or rejects it (nothing was posted).
 */
export async function decideLineRefund(tx: Tx, actor: Actor, refundId: number, approve: boolean, now: number): Promise<RefundRow> {
  const row = await tx.db
    .selectFrom('refunds')
    .select(['id', 'source', 'source_line_id', 'amount', 'status', 'proposed_by'])
    .where('id', '=', refundId)
    .executeTakeFirst();
  if (!row) throw refuse('NOT_FOUND', 'refund_not_found', { ref: String(refundId) }, { field: 'refundId' });
  const ref = refundRef({ id: row.id, receiptNo: null });
  if (row.status !== 'proposed' || row.source_line_id === null)
    throw refuse('CONFLICT', 'refund_not_proposed', { receiptNo: ref, status: row.status }, { field: 'refundId' });
  if (row.proposed_by === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_refund', { user: actor.name }, { field: 'refundId' });
  let transferId: number | null = null;
  if (approve) {
    await lockRow(tx, 'bank_lines', row.source_line_id);
    const l = await moneyInLine(tx, row.source_line_id);
    const fromUnallocated = row.source === 'unallocated';
    const left = fromUnallocated
      ? l.amount - l.allocated - (await waitingOnUnallocated(tx, l.id, { refund: row.id }))
      : await investigationLeft(tx, l.id, row.id);
    if (row.amount > left)
      throw refuse(
        'CONFLICT',
        'unallocated_changed',
        { lineId: String(l.id), askedFen: String(row.amount), leftFen: String(Math.max(left, 0)) },
        { field: 'refundId' },
      );
    if (fromUnallocated) await tx.sql('UPDATE bank_lines SET allocated = allocated + ? WHERE id = ?').run(row.amount, l.id);
    transferId = await postOne(
      tx,
      {
        key: `refund:${row.id}:payable`,
        ledger: LEDGER.CNY,
        debitAccountId: fromUnallocated ? await cnyAccount(tx, 'unallocated_receipts') : await investigationAccount(tx),
        creditAccountId: await cnyAccount(tx, 'refunds_payable'),
        amount: row.amount,
        code: 'refund_payable',
        memo: `bank line ${l.id}`,
      },
      { staffId: actor.staffId, now },
    );
  }
  await tx
    .sql('UPDATE refunds SET status = ?, decided_by = ?, decided_at = ?, payable_transfer_id = ? WHERE id = ?')
    .run(approve ? 'payable' : 'rejected', actor.staffId, now, transferId, row.id);
  await recordAudit(tx, actor, {
    action: approve ? 'refund.approve' : 'refund.reject',
    entity: 'refund',
    entityId: row.id,
    after: { lineId: row.source_line_id, amount: formatYuan(row.amount), transferId },
    at: now,
  });
  return await refundById(tx, row.id);
}

/**
 * A clerk proposes reclassifying all of a line's unallocated money (what no refund or reclassification
 * already waits for) to 224103 待查款项; refused until the line is old enough.
 */
export async function proposeReclassify(tx: Tx, actor: Actor, lineId: number, reason: string, now: number): Promise<number> {
  const l = await moneyInLine(tx, lineId);
  const minDays = await settingAt(tx, 'matching.unallocatedReclassifyDays', now);
  const age = ageDays(l.booked, now);
  if (age < minDays)
    throw refuse(
      'REFUSED',
      'reclassify_too_young',
      { lineId: String(l.id), ageDays: String(age), minDays: String(minDays) },
      { field: 'lineId' },
    );
  const amount = l.amount - l.allocated - (await waitingOnUnallocated(tx, l.id));
  if (amount <= 0) throw refuse('CONFLICT', 'nothing_unallocated', { lineId: String(l.id) }, { field: 'lineId' });
  const id = Number(
    (
      await tx
        .sql(
          "INSERT INTO bank_line_actions (bank_line_id, kind, amount, account_id, reason, status, proposed_by, proposed_at) VALUES (?, 'reclassify', ?, ?, ?, 'proposed', ?, ?)",
        )
        .run(l.id, amount, await investigationAccount(tx), reason, actor.staffId, now)
    ).lastInsertRowid,
  );
  await recordAudit(tx, actor, {
    action: 'unallocated.reclassify_propose',
    entity: 'bank_line',
    entityId: l.id,
    after: { actionId: id, amount: formatYuan(amount), reason },
    at: now,
  });
  return id;
}

/** Posts an approved reclassification: the line's money leaves unallocated receipts for 待查 (in the decision's transaction). */
export async function postReclassify(
  tx: Tx,
  actor: Actor,
  a: { id: number; bank_line_id: number; amount: number },
  now: number,
): Promise<number> {
  await lockRow(tx, 'bank_lines', a.bank_line_id);
  const l = await moneyInLine(tx, a.bank_line_id);
  const left = l.amount - l.allocated - (await waitingOnUnallocated(tx, l.id, { action: a.id }));
  if (a.amount > left)
    throw refuse(
      'CONFLICT',
      'unallocated_changed',
      { lineId: String(l.id), askedFen: String(a.amount), leftFen: String(Math.max(left, 0)) },
      { field: 'actionId' },
    );
  await tx.sql('UPDATE bank_lines SET allocated = allocated + ? WHERE id = ?').run(a.amount, l.id);
  const transferId = await postOne(
    tx,
    {
      key: `reclassify:${a.id}`,
      ledger: LEDGER.CNY,
      debitAccountId: await cnyAccount(tx, 'unallocated_receipts'),
      creditAccountId: await investigationAccount(tx),
      amount: a.amount,
      code: 'unallocated_reclassify',
      memo: `bank line ${l.id}`,
    },
    { staffId: actor.staffId, now },
  );
  return transferId;
}

export type AgeBucket = '0-30' | '31-60' | '61-90' | '90+';
export const AGE_BUCKETS: readonly AgeBucket[] = ['0-30', '31-60', '61-90', '90+'];
const bucketOf = (days: number): AgeBucket => (days <= 30 ? '0-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+');

// A line's columns in the ageing lists, its bank account named by bank and the account number's last four digits.
const LINE_COLUMNS = [
  'l.id',
  'l.booked',
  'l.amount',
  'l.counterparty_name as counterpartyName',
  'l.counterparty_account as counterpartyAccount',
  'l.memo',
  sql<string>`b.bank_name || ' ' || substr(b.account_number, CASE WHEN length(b.account_number) > 4 THEN length(b.account_number) - 3 ELSE 1 END)`.as(
    'bankAccount',
  ),
  'b.id as bankAccountId',
] as const;

/**
 * The ageing list of unallocated money: each money-in line with money no request took, oldest first,
 * with its age in days and bucket (0–30, 31–60, 61–90, over 90), totals per bucket; the money each line
 * has in 待查; and the refunds and reclassifications waiting for an approver.
 */
export async function unallocatedAgeing(q: Queryable, now: number, opts: { limit: number } = { limit: 500 }) {
  const today = shanghaiDate(now);
  const minDays = await settingAt(q, 'matching.unallocatedReclassifyDays', now);
  const rows = await q.db
    .selectFrom('bank_lines as l')
    .innerJoin('bank_accounts as b', 'b.id', 'l.bank_account_id')
    .select((eb) => [...LINE_COLUMNS, eb('l.amount', '-', eb.ref('l.allocated')).as('unallocated'), waitingOnLine().as('waiting')])
    // the open lines by their partial index, as the matching reads them
    .where(
      'l.id',
      'in',
      sql<number>`(SELECT id FROM bank_lines ${sql.raw(dialect(q).indexedBy('bank_lines_open'))} WHERE amount > 0 AND allocated < amount)`,
    )
    .where('l.reversal', '=', literal(0))
    .where('l.netted_with', 'is', null)
    .orderBy('l.booked')
    .orderBy('l.id')
    .execute();
  const totals = new Map<AgeBucket, { lines: number; amount: bigint }>(AGE_BUCKETS.map((b) => [b, { lines: 0, amount: 0n }]));
  let total = 0n;
  const lines = rows.map((r) => {
    const age = ageDays(r.booked, now);
    const bucket = bucketOf(age);
    const t = totals.get(bucket)!;
    t.lines++;
    t.amount += BigInt(r.unallocated);
    total += BigInt(r.unallocated);
    return {
      ...r,
      amount: String(r.amount),
      unallocated: String(r.unallocated),
      waiting: String(r.waiting),
      ageDays: age,
      bucket,
      reclassifiable: age >= minDays && r.unallocated > r.waiting,
    };
  });
  const investigation = (
    await q.db
      .selectFrom(
        q.db
          .selectFrom('bank_line_actions')
          .select((eb) => ['bank_line_id', eb.fn.sum<number>('amount').as('held')])
          .where('kind', '=', literal('reclassify'))
          .where('status', '=', literal('done'))
          .groupBy('bank_line_id')
          .as('x'),
      )
      .innerJoin('bank_lines as l', 'l.id', 'x.bank_line_id')
      .innerJoin('bank_accounts as b', 'b.id', 'l.bank_account_id')
      .select((eb) => [
        ...LINE_COLUMNS,
        eb(
          'x.held',
          '-',
          eb.fn.coalesce(
            eb
              .selectFrom('refunds as f')
              .select((eb) => eb.fn.sum<number | null>('amount').as('s'))
              .whereRef('f.source_line_id', '=', 'l.id')
              .where('f.source', '=', literal('investigation'))
              .where('f.status', '<>', literal('rejected'))
              .$asScalar(),
            eb.lit(0),
          ),
        ).as('held'),
      ])
      .orderBy('l.booked')
      .orderBy('l.id')
      .execute()
  )
    .filter((r) => r.held > 0)
    .map((r) => ({ ...r, amount: String(r.amount), held: String(r.held), ageDays: ageDays(r.booked, now) }));
  return {
    today,
    reclassifyAfterDays: minDays,
    lines: lines.slice(0, opts.limit),
    lineCount: lines.length,
    buckets: AGE_BUCKETS.map((b) => ({ bucket: b, lines: totals.get(b)!.lines, amount: String(totals.get(b)!.amount) })),
    total: String(total),
    investigation,
    waiting: await waitingForApproval(q),
  };
}

/** Refunds of line money and bank line actions (reclassify, classify) that wait for an approver. */
export async function waitingForApproval(q: Queryable) {
  const refunds = await q
    .sql(
      `SELECT 'refund' AS what, f.id, f.source AS kind, f.source_line_id AS lineId, f.amount, f.reason, f.created_at AS proposedAt,
         f.proposed_by AS proposedById, coalesce(s.display_name, s.username) AS proposedBy, l.booked, l.counterparty_name AS counterpartyName,
         NULL AS subjectCode, NULL AS subjectName, NULL AS subjectNameEn
       FROM refunds f JOIN bank_lines l ON l.id = f.source_line_id LEFT JOIN staff s ON s.id = f.proposed_by
       WHERE f.status = 'proposed' ORDER BY f.id`,
    )
    .all();
  const actions = await q
    .sql(
      `SELECT 'action' AS what, x.id, x.kind, x.bank_line_id AS lineId, x.amount, x.reason, x.proposed_at AS proposedAt,
         x.proposed_by AS proposedById, coalesce(s.display_name, s.username) AS proposedBy, l.booked, l.counterparty_name AS counterpartyName,
         j.code AS subjectCode, j.name AS subjectName, j.name_en AS subjectNameEn
       FROM bank_line_actions x ${dialect(q).indexedBy('bank_line_actions_waiting')} JOIN bank_lines l ON l.id = x.bank_line_id
       JOIN accounts a ON a.id = x.account_id LEFT JOIN subjects j ON j.code = a.subject_code LEFT JOIN staff s ON s.id = x.proposed_by
       WHERE x.status = 'proposed' ORDER BY x.id`,
    )
    .all();
  return ([...refunds, ...actions] as { amount: number; what: 'refund' | 'action' }[]).map((w) => ({ ...w, amount: String(w.amount) })) as {
    what: 'refund' | 'action';
    id: number;
    kind: string;
    lineId: number;
    amount: string;
    reason: string | null;
    proposedAt: number;
    proposedById: number | null;
    proposedBy: string | null;
    booked: string;
    counterpartyName: string | null;
    subjectCode: string | null;
    subjectName: string | null;
    subjectNameEn: string | null;
  }[];
}
