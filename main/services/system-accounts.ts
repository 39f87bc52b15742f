// The platform's own ledger accounts (the chart seeded by migrations), found by ledger and code.
import type { Queryable } from '../db/books';
import { literal } from '../db/query';
import { LEDGER } from '../domain/ledgers';

// A system account made by the migrations keeps its id (accounts are never deleted): found once per
// books — by their scope on PostgreSQL, where each transaction has statements of its own; on SQLite by
// the statement cache the books and their transactions share. Ledger accounts of subjects (gl:…) are
// not remembered: one added in a transaction rolled back is gone.
const found = new WeakMap<object, Map<string, number>>();

export async function systemAccount(q: Queryable, ledger: number, code: string): Promise<number> {
  const scope = q.booksScope ?? q.sql;
  let ids = found.get(scope);
  if (!ids) found.set(scope, (ids = new Map()));
  const key = `${ledger}:${code}`;
  const known = ids.get(key);
  if (known !== undefined) return known;
  const row = await q.db
    .selectFrom('accounts')
    .select('id')
    .where('ledger', '=', ledger)
    .where('code', '=', code)
    .where('owner_kind', 'is', null)
    .executeTakeFirst();
  if (!row) throw new Error(`the books have no system account ${code} on ledger ${ledger}`);
  if (!code.startsWith('gl:')) ids.set(key, row.id);
  return row.id;
}

/** A CNY system account: unallocated_receipts, customer_prepayments, suspense, bank_fees, … */
export const cnyAccount = async (q: Queryable, code: string): Promise<number> => systemAccount(q, LEDGER.CNY, code);

/**
 * The CNY account a posting to a subject goes to: the subject's own ledger account (gl:<code>) while
 * the chart maps it there, else the first account the chart maps to the subject; none when none is.
 * Invoice VAT and the revenue run find 222101 through it, so that both post to one account.
 */
export async function subjectLedgerAccount(q: Queryable, subject: '6001' | '222101'): Promise<number | undefined> {
  const r = await q.db
    .selectFrom('accounts')
    .select('id')
    .where('ledger', '=', literal(LEDGER.CNY))
    .where('owner_kind', 'is', null)
    .where('subject_code', '=', subject)
    .orderBy((eb) => eb('code', '=', literal(`gl:${subject}`)), 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return r?.id;
}

/** The next free sub-account code under a subject: 1002 → 100201, 100202, … (two digits a level). */
export async function nextSubCode(q: Queryable, parent: string): Promise<string> {
  const row = (await q.db
    .selectFrom('subjects')
    .select((eb) => eb.fn.max<string | null>('code').as('m'))
    .where('parent_code', '=', parent)
    .executeTakeFirst())!;
  const next = row.m === null ? 1 : Number(row.m.slice(parent.length)) + 1;
  if (next > 99) throw new Error(`subject ${parent} has no free sub-account code left`);
  return `${parent}${String(next).padStart(2, '0')}`;
}
