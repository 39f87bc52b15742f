// The console's one search box: a document found by its number — a recharge request (the platform's id
// or a counter number such as GT2026-000123), a receipt, a bank line's serial, an invoice (serial or
// the tax platform's number) or a voucher (记-2026-11-0001). Exact numbers, any case.
import type { Queryable } from '../db/books';
import { requestIdOfCounterNumber, counterNoColumn } from './counter-numbers';
import { VOUCHER_NAME } from './vouchers';
import { voucherName } from './voucher-numbers';

interface Hit {
  id: number;
  /** The number as the document is known by. */
  number: string;
  /** Who or what it is about: the customer, the buyer, the counterparty, the voucher's summary. */
  about: string;
  /** fen as an integer string; null for a voucher. */
  amount: string | null;
}
export type SearchHit =
  | (Hit & { kind: 'request' })
  | (Hit & { kind: 'record' })
  | (Hit & { kind: 'bankLine'; statementId: number })
  | (Hit & { kind: 'invoice' })
  | (Hit & { kind: 'voucher' });

export function findByNumber(q: Queryable, typed: string): SearchHit[] {
  const text = typed.trim();
  const upper = text.toUpperCase();
  const hits: SearchHit[] = [];
  const requestId = requestIdOfCounterNumber(q, 'recharge', text) ?? text;
  const requests = q
    .sql(
      `SELECT r.id, coalesce(${counterNoColumn('recharge', 'r.request_id')}, r.request_id) AS number, c.name AS about, r.amount
       FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id
       WHERE r.request_id = ? LIMIT 5`,
    )
    .all(requestId) as { id: number; number: string; about: string; amount: number }[];
  for (const r of requests) hits.push({ kind: 'request', ...r, amount: String(r.amount) });

  const records = q
    .sql(
      `SELECT rr.id, rr.receipt_no AS number, c.name AS about, rr.amount FROM recharge_records rr JOIN customers c ON c.id = rr.customer_id
       WHERE rr.receipt_no = ? LIMIT 5`,
    )
    .all(upper) as { id: number; number: string; about: string; amount: number }[];
  for (const r of records) hits.push({ kind: 'record', ...r, amount: String(r.amount) });

  const lines = q
    .sql(
      `SELECT id, statement_id AS statementId, bank_ref AS number, coalesce(counterparty_name, '') AS about, amount FROM bank_lines
       WHERE bank_ref = ? COLLATE NOCASE ORDER BY id LIMIT 10`,
    )
    .all(text) as { id: number; statementId: number; number: string; about: string; amount: number }[];
  for (const l of lines) hits.push({ kind: 'bankLine', ...l, amount: String(l.amount) });

  const invoices = q
    .sql(
      `SELECT id, serial AS number, buyer_name AS about, gross AS amount, tax_number FROM invoices WHERE serial = ? OR tax_number = ? LIMIT 5`,
    )
    .all(upper, text) as { id: number; number: string; about: string; amount: number }[];
  for (const i of invoices) hits.push({ kind: 'invoice', id: i.id, number: i.number, about: i.about, amount: String(i.amount) });

  const m = VOUCHER_NAME.exec(text);
  if (m) {
    const vouchers = q
      .sql('SELECT id, word, period, number, summary FROM vouchers WHERE word = ? AND period = ? AND number = ?')
      .all(m[1]!, m[2]!, Number(m[3])) as { id: number; word: string; period: string; number: number; summary: string }[];
    for (const v of vouchers) hits.push({ kind: 'voucher', id: v.id, number: voucherName(v), about: v.summary, amount: null });
  }
  return hits;
}
