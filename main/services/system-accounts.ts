// The platform's own ledger accounts (the chart seeded by migrations), found by ledger and code.
import type { Queryable } from '../db/books';
import { LEDGER } from '../domain/ledgers';

export function systemAccount(q: Queryable, ledger: number, code: string): number {
  const row = q.sql('SELECT id FROM accounts WHERE ledger = ? AND code = ? AND owner_kind IS NULL').get(ledger, code) as
    { id: number } | undefined;
  if (!row) throw new Error(`the books have no system account ${code} on ledger ${ledger}`);
  return row.id;
}

/** A CNY system account: unallocated_receipts, customer_prepayments, suspense, bank_fees, … */
export const cnyAccount = (q: Queryable, code: string): number => systemAccount(q, LEDGER.CNY, code);
