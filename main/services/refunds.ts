// Refunds: the money of a reversed recharge — or unallocated money, or money reclassified to 待查, once
// an approver has approved its refund (services/unallocated.ts) — sits in refunds payable until the bank
// pays it back. The bank's money-out line was booked at import (Dr suspense / Cr bank); matching it to
// the refund posts Dr refunds payable / Cr suspense, so refunds payable holds exactly the refunds not
// yet paid. One money-out line pays one refund, for exactly its amount.
import { expressionBuilder, sql } from 'kysely';
import { literal, type RowOf } from '../db/query';
import type { Queryable } from '../db/books';
import type { Database } from '../db/schema';
import type { Tx } from '../db/tx';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { refuse } from '../domain/refusals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { postOne } from './ledger-post';
import { cnyAccount } from './system-accounts';

/** The refund a reversal leaves payable (in the reversal's transaction). */
export async function openRefund(tx: Tx, recordId: number, amount: number, now: number): Promise<number> {
  return Number(
    (await tx.sql('INSERT INTO refunds (record_id, amount, created_at) VALUES (?, ?, ?)').run(recordId, amount, now)).lastInsertRowid,
  );
}

export type RefundSource = 'reversal' | 'unallocated' | 'investigation';
export type RefundStatus = 'proposed' | 'payable' | 'paid' | 'rejected';

export interface RefundRow {
  id: number;
  /** reversal: a reversed record's money; unallocated / investigation: a money-in line's money, from unallocated receipts or 待查. */
  source: RefundSource;
  recordId: number | null;
  receiptNo: string | null;
  /** The source money-in line (source unallocated or investigation). */
  sourceLineId: number | null;
  /** The customer of the record, or the payer named on the source line. */
  customerName: string | null;
  amount: string;
  status: RefundStatus;
  reason: string | null;
  proposedBy: string | null;
  createdAt: number;
  bankLineId: number | null;
  lineBooked: string | null;
  matchedBy: string | null;
  matchedAt: number | null;
}

/** Refunds with their record's receipt, the customer or payer, who proposed and matched them, and the paying line. */
function refunds(q: Queryable) {
  return q.db
    .selectFrom('refunds as f')
    .leftJoin('recharge_records as rr', 'rr.id', 'f.record_id')
    .leftJoin('customers as c', 'c.id', 'rr.customer_id')
    .leftJoin('bank_lines as sl', 'sl.id', 'f.source_line_id')
    .leftJoin('staff as p', 'p.id', 'f.proposed_by')
    .leftJoin('bank_lines as l', 'l.id', 'f.bank_line_id')
    .leftJoin('staff as s', 's.id', 'f.matched_by')
    .select((eb) => [
      'f.id',
      'f.source',
      'f.record_id as recordId',
      'rr.receipt_no as receiptNo',
      'f.source_line_id as sourceLineId',
      eb.fn.coalesce('c.name', 'sl.counterparty_name').as('customerName'),
      'f.amount',
      'f.status',
      'f.reason',
      'p.username as proposedBy',
      'f.created_at as createdAt',
      'f.bank_line_id as bankLineId',
      'l.booked as lineBooked',
      's.username as matchedBy',
      'f.matched_at as matchedAt',
    ]);
}

/** How a refusal names a refund: its record's receipt number, or (money from a bank line) its number. */
export const refundRef = (f: Pick<RefundRow, 'id' | 'receiptNo'>): string => f.receiptNo ?? `#${f.id}`;

/** A money-out line classified, booked as a chargeback or paying a creator's payout is explained; it pays no refund. */
export const EXPLAINED_LINE = `(EXISTS (SELECT 1 FROM bank_line_actions x WHERE x.bank_line_id = l.id AND x.kind IN ('classify', 'chargeback') AND x.status <> 'rejected')
  OR EXISTS (SELECT 1 FROM payouts po WHERE po.bank_line_id = l.id))`;

const line = expressionBuilder<Database & { l: Database['bank_lines'] }, 'l'>();
/** A money-out line (`bank_lines as l`) as the lists show it: the money that left as a positive amount. */
export const MONEY_OUT_LINE_COLUMNS = [
  'l.id',
  'l.booked',
  line.neg(line.ref('l.amount')).as('amount'),
  'l.counterparty_name as counterpartyName',
  'l.counterparty_account as counterpartyAccount',
  'l.memo',
] as const;

const dto = (r: RowOf<typeof refunds>): RefundRow => ({ ...r, amount: String(r.amount) });

/** Refunds by status, record, or source (fromLines: refunds of bank lines' money rather than of reversed records). */
export async function listRefunds(
  q: Queryable,
  f: { status?: RefundStatus; recordId?: number; fromLines?: boolean; limit: number },
): Promise<RefundRow[]> {
  let query = refunds(q);
  if (f.status !== undefined) query = query.where('f.status', '=', f.status);
  if (f.recordId !== undefined) query = query.where('f.record_id', '=', f.recordId);
  if (f.fromLines !== undefined) query = query.where('f.source_line_id', f.fromLines ? 'is not' : 'is', null);
  return (await query.orderBy('f.id', 'desc').limit(f.limit).execute()).map(dto);
}

export async function refundById(q: Queryable, id: number): Promise<RefundRow> {
  const r = await refunds(q).where('f.id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'refund_not_found', { ref: String(id) }, { field: 'refundId' });
  return dto(r);
}

/**
 * Money-out lines of exactly `fen` that nothing explains yet — no refund, payout, classification or
 * chargeback — and that are money paid out: not a bank reversal (冲正, which undoes a credit) nor a line
 * netted with one. Newest first; what refunds and payouts are matched to.
 */
export async function moneyOutCandidates(q: Queryable, fen: number) {
  return (
    await q.db
      .selectFrom('bank_lines as l')
      .select(MONEY_OUT_LINE_COLUMNS)
      .where('l.bank_account_id', 'in', (eb) => eb.selectFrom('bank_accounts').select('id'))
      .where('l.amount', '=', -fen)
      .where('l.reversal', '=', literal(0))
      .where('l.netted_with', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('refunds as r').select(eb.lit(1).as('one')).whereRef('r.bank_line_id', '=', 'l.id'))))
      .where(sql<boolean>`NOT ${sql.raw(EXPLAINED_LINE)}`)
      .orderBy('l.booked', 'desc')
      .orderBy('l.id', 'desc')
      .limit(50)
      .execute()
  ).map((l) => ({ ...l, amount: String(l.amount) }));
}

/** Refuses a line that is not money paid out: money in, a bank reversal (冲正), or a line netted with one. */
export async function moneyOutLine(tx: Tx, lineId: number): Promise<{ amount: number }> {
  const line = await tx.db
    .selectFrom('bank_lines')
    .select(['amount', 'reversal', 'netted_with as nettedWith'])
    .where('id', '=', lineId)
    .executeTakeFirst();
  const lid = String(lineId);
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: lid }, { field: 'lineId' });
  if (line.amount > 0) throw refuse('CONFLICT', 'line_not_money_out', { lineId: lid }, { field: 'lineId' });
  if (line.reversal) throw refuse('CONFLICT', 'line_is_reversal', { lineId: lid }, { field: 'lineId' });
  if (line.nettedWith !== null)
    throw refuse('CONFLICT', 'line_netted', { lineId: lid, otherLineId: String(line.nettedWith) }, { field: 'lineId' });
  return line;
}

/** Money-out lines of exactly the refund's amount that can pay it. */
export async function refundCandidates(q: Queryable, refundId: number) {
  return moneyOutCandidates(q, Number((await refundById(q, refundId)).amount));
}

/** Staff match the bank's money-out line to a payable refund: the refund is paid. */
export async function matchRefund(tx: Tx, actor: Actor, refundId: number, lineId: number, now: number): Promise<RefundRow> {
  const f = await refundById(tx, refundId);
  const receiptNo = refundRef(f);
  if (f.status === 'paid') throw refuse('CONFLICT', 'refund_paid', { receiptNo, lineId: String(f.bankLineId) }, { field: 'refundId' });
  if (f.status !== 'payable') throw refuse('CONFLICT', 'refund_not_payable', { receiptNo, status: f.status }, { field: 'refundId' });
  const line = await moneyOutLine(tx, lineId);
  const other = await tx.db
    .selectFrom('refunds as r')
    .leftJoin('recharge_records as rr', 'rr.id', 'r.record_id')
    .select(['r.id', 'rr.receipt_no as receiptNo'])
    .where('r.bank_line_id', '=', lineId)
    .executeTakeFirst();
  if (other)
    throw refuse('CONFLICT', 'line_pays_another_refund', { lineId: String(lineId), receiptNo: refundRef(other) }, { field: 'lineId' });
  if (await tx.sql(`SELECT 1 FROM bank_lines l WHERE l.id = ? AND ${EXPLAINED_LINE}`).get(lineId))
    throw refuse('CONFLICT', 'line_explained', { lineId: String(lineId) }, { field: 'lineId' });
  if (-line.amount !== Number(f.amount))
    throw refuse(
      'REFUSED',
      'refund_amount_differs',
      { receiptNo, lineId: String(lineId), lineFen: String(-line.amount), refundFen: f.amount },
      { field: 'lineId' },
    );
  const transferId = await postOne(
    tx,
    {
      key: `refund:${refundId}`,
      ledger: LEDGER.CNY,
      debitAccountId: await cnyAccount(tx, 'refunds_payable'),
      creditAccountId: await cnyAccount(tx, 'suspense'),
      amount: Number(f.amount),
      code: 'refund_paid',
      memo: receiptNo,
    },
    { staffId: actor.staffId, now },
  );
  await tx
    .sql("UPDATE refunds SET status = 'paid', bank_line_id = ?, matched_by = ?, matched_at = ?, ledger_transfer_id = ? WHERE id = ?")
    .run(lineId, actor.staffId, now, transferId, refundId);
  await recordAudit(tx, actor, {
    action: 'refund.match',
    entity: 'refund',
    entityId: refundId,
    after: { receiptNo, lineId, amount: formatYuan(Number(f.amount)), transferId },
    at: now,
  });
  return await refundById(tx, refundId);
}
