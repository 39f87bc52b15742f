// The console's one search box: a document found by its number — a recharge request (the platform's id
// or a counter number such as GT2026-000123), a receipt, a bank line's serial, an invoice (serial or
// the tax platform's number) or a voucher (记-2026-11-0001). Exact numbers, any case.
import { sql, type NotNull } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect } from '../db/query';
import { requestIdOfCounterNumber, counterNoOf } from './counter-numbers';
import { VOUCHER_NAME } from './vouchers';
import { voucherName, type VoucherWord } from './voucher-numbers';

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

export async function findByNumber(q: Queryable, typed: string): Promise<SearchHit[]> {
  const text = typed.trim();
  const upper = text.toUpperCase();
  const hits: SearchHit[] = [];
  const requestId = (await requestIdOfCounterNumber(q, 'recharge', text)) ?? text;
  const requests = await q.db
    .selectFrom('recharge_requests as r')
    .innerJoin('customer_accounts as a', 'a.id', 'r.account_id')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select((eb) => [
      'r.id',
      eb.fn.coalesce(counterNoOf('recharge', 'r.request_id'), 'r.request_id').as('number'),
      'c.name as about',
      'r.amount',
    ])
    .where('r.request_id', '=', requestId)
    .limit(5)
    .execute();
  for (const r of requests) hits.push({ kind: 'request', ...r, amount: String(r.amount) });

  const records = await q.db
    .selectFrom('recharge_records as rr')
    .innerJoin('customers as c', 'c.id', 'rr.customer_id')
    .select(['rr.id', 'rr.receipt_no as number', 'c.name as about', 'rr.amount'])
    .where('rr.receipt_no', '=', upper)
    .limit(5)
    .execute();
  for (const r of records) hits.push({ kind: 'record', ...r, amount: String(r.amount) });

  const lines = await q.db
    .selectFrom('bank_lines')
    .select((eb) => [
      'id',
      'statement_id as statementId',
      'bank_ref as number',
      eb.fn.coalesce('counterparty_name', eb.val('')).as('about'),
      'amount',
    ])
    .where(sql<boolean>`bank_ref = ${text} ${sql.raw(dialect(q).nocase)}`)
    .orderBy('id')
    .limit(10)
    .$narrowType<{ number: NotNull }>()
    .execute();
  for (const l of lines) hits.push({ kind: 'bankLine', ...l, amount: String(l.amount) });

  const invoices = await q.db
    .selectFrom('invoices')
    .select(['id', 'serial as number', 'buyer_name as about', 'gross as amount', 'tax_number'])
    .where((eb) => eb.or([eb('serial', '=', upper), eb('tax_number', '=', text)]))
    .limit(5)
    .execute();
  for (const i of invoices) hits.push({ kind: 'invoice', id: i.id, number: i.number, about: i.about, amount: String(i.amount) });

  const m = VOUCHER_NAME.exec(text);
  if (m) {
    const vouchers = await q.db
      .selectFrom('vouchers')
      .select(['id', 'word', 'period', 'number', 'summary'])
      .where('word', '=', m[1] as VoucherWord)
      .where('period', '=', m[2]!)
      .where('number', '=', Number(m[3]))
      .execute();
    for (const v of vouchers) hits.push({ kind: 'voucher', id: v.id, number: voucherName(v), about: v.summary, amount: null });
  }
  return hits;
}
