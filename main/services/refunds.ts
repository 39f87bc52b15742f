// Refunds: the money of a reversed recharge — or unallocated money, or money reclassified to 待查, once
// an approver has approved its refund (services/unallocated.ts) — sits in refunds payable until the bank
// pays it back. The bank's money-out line was booked at import (Dr suspense / Cr bank); matching it to
// the refund posts Dr refunds payable / Cr suspense, so refunds payable holds exactly the refunds not
// yet paid. One money-out line pays one refund, for exactly its amount.
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { refuse } from '../domain/refusals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { createTransfers, expectPosted } from './ledger-post';
import { cnyAccount } from './system-accounts';

/** The refund a reversal leaves payable (in the reversal's transaction). */
export function openRefund(tx: Tx, recordId: number, amount: number, now: number): number {
  return Number(tx.sql('INSERT INTO refunds (record_id, amount, created_at) VALUES (?, ?, ?)').run(recordId, amount, now).lastInsertRowid);
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

const COLUMNS = `f.id, f.source, f.record_id AS recordId, rr.receipt_no AS receiptNo, f.source_line_id AS sourceLineId,
  coalesce(c.name, sl.counterparty_name) AS customerName, f.amount, f.status, f.reason, p.username AS proposedBy, f.created_at AS createdAt,
  f.bank_line_id AS bankLineId, l.booked AS lineBooked, s.username AS matchedBy, f.matched_at AS matchedAt
  FROM refunds f LEFT JOIN recharge_records rr ON rr.id = f.record_id LEFT JOIN customers c ON c.id = rr.customer_id
  LEFT JOIN bank_lines sl ON sl.id = f.source_line_id LEFT JOIN staff p ON p.id = f.proposed_by
  LEFT JOIN bank_lines l ON l.id = f.bank_line_id LEFT JOIN staff s ON s.id = f.matched_by`;

/** How a refusal names a refund: its record's receipt number, or (money from a bank line) its number. */
export const refundRef = (f: Pick<RefundRow, 'id' | 'receiptNo'>): string => f.receiptNo ?? `#${f.id}`;

/** A money-out line classified, booked as a chargeback or paying a creator's payout is explained; it pays no refund. */
export const EXPLAINED_LINE = `(EXISTS (SELECT 1 FROM bank_line_actions x WHERE x.bank_line_id = l.id AND x.kind IN ('classify', 'chargeback') AND x.status <> 'rejected')
  OR EXISTS (SELECT 1 FROM payouts po WHERE po.bank_line_id = l.id))`;

const dto = (r: Omit<RefundRow, 'amount'> & { amount: number }): RefundRow => ({ ...r, amount: String(r.amount) });

/** Refunds by status, record, or source (fromLines: refunds of bank lines' money rather than of reversed records). */
export function listRefunds(
  q: Queryable,
  f: { status?: RefundStatus; recordId?: number; fromLines?: boolean; limit: number },
): RefundRow[] {
  const lines = f.fromLines === undefined ? null : f.fromLines ? 1 : 0;
  return (
    q
      .sql(
        `SELECT ${COLUMNS} WHERE (? IS NULL OR f.status = ?) AND (? IS NULL OR f.record_id = ?) AND (? IS NULL OR (f.source_line_id IS NOT NULL) = ?) ORDER BY f.id DESC LIMIT ?`,
      )
      .all(f.status ?? null, f.status ?? null, f.recordId ?? null, f.recordId ?? null, lines, lines, f.limit) as Parameters<typeof dto>[0][]
  ).map(dto);
}

export function refundById(q: Queryable, id: number): RefundRow {
  const r = q.sql(`SELECT ${COLUMNS} WHERE f.id = ?`).get(id) as Parameters<typeof dto>[0] | undefined;
  if (!r) throw refuse('NOT_FOUND', 'refund_not_found', { ref: String(id) }, { field: 'refundId' });
  return dto(r);
}

/**
 * Money-out lines of exactly the refund's amount that pay no refund yet: the ones that can be matched.
 * Asked per bank account (there are a few) so that the (bank account, amount) index answers it.
 */
export function refundCandidates(q: Queryable, refundId: number) {
  const f = refundById(q, refundId);
  return (
    q
      .sql(
        `SELECT l.id, l.booked, -l.amount AS amount, l.counterparty_name AS counterpartyName, l.counterparty_account AS counterpartyAccount, l.memo
         FROM bank_lines l WHERE l.bank_account_id IN (SELECT id FROM bank_accounts) AND l.amount = ? AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.bank_line_id = l.id) AND NOT ${EXPLAINED_LINE} ORDER BY l.booked DESC, l.id DESC LIMIT 50`,
      )
      .all(-Number(f.amount)) as {
      id: number;
      booked: string;
      amount: number;
      counterpartyName: string | null;
      counterpartyAccount: string | null;
      memo: string | null;
    }[]
  ).map((l) => ({ ...l, amount: String(l.amount) }));
}

/** Staff match the bank's money-out line to a payable refund: the refund is paid. */
export function matchRefund(tx: Tx, actor: Actor, refundId: number, lineId: number, now: number): RefundRow {
  const f = refundById(tx, refundId);
  const receiptNo = refundRef(f);
  if (f.status === 'paid') throw refuse('CONFLICT', 'refund_paid', { receiptNo, lineId: String(f.bankLineId) }, { field: 'refundId' });
  if (f.status !== 'payable') throw refuse('CONFLICT', 'refund_not_payable', { receiptNo, status: f.status }, { field: 'refundId' });
  const line = tx.sql('SELECT amount FROM bank_lines WHERE id = ?').get(lineId) as { amount: number } | undefined;
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  if (line.amount > 0) throw refuse('CONFLICT', 'line_not_money_out', { lineId: String(lineId) }, { field: 'lineId' });
  const other = tx
    .sql(
      'SELECT r.id, rr.receipt_no AS receiptNo FROM refunds r LEFT JOIN recharge_records rr ON rr.id = r.record_id WHERE r.bank_line_id = ?',
    )
    .get(lineId) as { id: number; receiptNo: string | null } | undefined;
  if (other)
    throw refuse('CONFLICT', 'line_pays_another_refund', { lineId: String(lineId), receiptNo: refundRef(other) }, { field: 'lineId' });
  if (tx.sql(`SELECT 1 FROM bank_lines l WHERE l.id = ? AND ${EXPLAINED_LINE}`).get(lineId))
    throw refuse('CONFLICT', 'line_explained', { lineId: String(lineId) }, { field: 'lineId' });
  if (-line.amount !== Number(f.amount))
    throw refuse(
      'REFUSED',
      'refund_amount_differs',
      { receiptNo, lineId: String(lineId), lineFen: String(-line.amount), refundFen: f.amount },
      { field: 'lineId' },
    );
  const [transferId] = expectPosted(
    createTransfers(
      tx,
      [
        {
          key: `refund:${refundId}`,
          ledger: LEDGER.CNY,
          debitAccountId: cnyAccount(tx, 'refunds_payable'),
          creditAccountId: cnyAccount(tx, 'suspense'),
          amount: Number(f.amount),
          code: 'refund_paid',
          memo: receiptNo,
        },
      ],
      { staffId: actor.staffId, now },
    ),
  ) as [number];
  tx.sql("UPDATE refunds SET status = 'paid', bank_line_id = ?, matched_by = ?, matched_at = ?, ledger_transfer_id = ? WHERE id = ?").run(
    lineId,
    actor.staffId,
    now,
    transferId,
    refundId,
  );
  recordAudit(
    tx,
    actor,
    {
      action: 'refund.match',
      entity: 'refund',
      entityId: refundId,
      after: { receiptNo, lineId, amount: formatYuan(Number(f.amount)), transferId },
    },
    now,
  );
  return refundById(tx, refundId);
}
