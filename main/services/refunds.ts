// Refunds (after a reversal): the money of a reversed recharge sits in refunds payable until the bank
// pays it back. The bank's money-out line was booked at import (Dr suspense / Cr bank); matching it to
// the refund posts Dr refunds payable / Cr suspense, so refunds payable holds exactly the refunds not
// yet paid. One money-out line pays one refund, for exactly its amount.
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
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

export interface RefundRow {
  id: number;
  recordId: number;
  receiptNo: string;
  customerName: string;
  amount: string;
  status: 'payable' | 'paid';
  createdAt: number;
  bankLineId: number | null;
  lineBooked: string | null;
  matchedBy: string | null;
  matchedAt: number | null;
}

const COLUMNS = `f.id, f.record_id AS recordId, rr.receipt_no AS receiptNo, c.name AS customerName, f.amount, f.status, f.created_at AS createdAt,
  f.bank_line_id AS bankLineId, l.booked AS lineBooked, s.username AS matchedBy, f.matched_at AS matchedAt
  FROM refunds f JOIN recharge_records rr ON rr.id = f.record_id JOIN customers c ON c.id = rr.customer_id
  LEFT JOIN bank_lines l ON l.id = f.bank_line_id LEFT JOIN staff s ON s.id = f.matched_by`;

const dto = (r: Omit<RefundRow, 'amount'> & { amount: number }): RefundRow => ({ ...r, amount: String(r.amount) });

export function listRefunds(q: Queryable, f: { status?: 'payable' | 'paid'; recordId?: number; limit: number }): RefundRow[] {
  return (
    q
      .sql(`SELECT ${COLUMNS} WHERE (? IS NULL OR f.status = ?) AND (? IS NULL OR f.record_id = ?) ORDER BY f.id DESC LIMIT ?`)
      .all(f.status ?? null, f.status ?? null, f.recordId ?? null, f.recordId ?? null, f.limit) as Parameters<typeof dto>[0][]
  ).map(dto);
}

export function refundById(q: Queryable, id: number): RefundRow {
  const r = q.sql(`SELECT ${COLUMNS} WHERE f.id = ?`).get(id) as Parameters<typeof dto>[0] | undefined;
  if (!r) throw new CofferError('NOT_FOUND', `no refund ${id}`, { field: 'refundId' });
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
         FROM bank_lines l WHERE l.bank_account_id IN (SELECT id FROM bank_accounts) AND l.amount = ? AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.bank_line_id = l.id) ORDER BY l.booked DESC, l.id DESC LIMIT 50`,
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
  const receiptNo = f.receiptNo;
  if (f.status === 'paid') throw refuse('CONFLICT', 'refund_paid', { receiptNo, lineId: String(f.bankLineId) }, { field: 'refundId' });
  const line = tx.sql('SELECT amount FROM bank_lines WHERE id = ?').get(lineId) as { amount: number } | undefined;
  if (!line) throw new CofferError('NOT_FOUND', `no bank line ${lineId}`, { field: 'lineId' });
  if (line.amount > 0) throw refuse('CONFLICT', 'line_not_money_out', { lineId: String(lineId) }, { field: 'lineId' });
  const other = tx
    .sql('SELECT rr.receipt_no AS receiptNo FROM refunds r JOIN recharge_records rr ON rr.id = r.record_id WHERE r.bank_line_id = ?')
    .get(lineId) as { receiptNo: string } | undefined;
  if (other)
    throw refuse('CONFLICT', 'line_pays_another_refund', { lineId: String(lineId), receiptNo: other.receiptNo }, { field: 'lineId' });
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
