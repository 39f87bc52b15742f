// The revenue run's hot path: every recharge-ledger transfer replayed through the lots, read a day at a
// time as arrays of numbers on a cached statement (no object or text per row; at 100k customers the
// replay reads every coin transfer ever posted). The one raw read of services/revenue; it runs on either
// engine, reading a day's rows in one answer (a promise a day, not one a row).
import type { Queryable } from '../db/books';
import { dialect } from '../db/query';
import { LEDGER } from '../domain/ledgers';

/** A recharge-ledger transfer as the replay reads it: id, debit, credit, amount, reverses_id, is an expiry (1/0). */
export type CoinRow = [number, number, number, number, number | null, number];

/** The first business date after one (any ledger) up to a last one, or null. */
async function nextDay(q: Queryable, after: string, through: string): Promise<string | null> {
  const row = await q.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.min('business_date').as('date'))
    .where('business_date', '>', after)
    .where('business_date', '<=', through)
    .executeTakeFirst();
  return row?.date ?? null;
}

/**
 * Every recharge-ledger transfer dated on or before a day, in business-date order (id order within a
 * day), handed to `f` as it is read. One query a day by the business-date index (on SQLite, whose
 * entries within a day are in id order, so nothing is sorted). Yields each day once its transfers are
 * read; returns the largest id read.
 */
export async function* coinTransferDays(
  q: Queryable,
  through: string,
  f: (row: CoinRow, date: string) => void,
): AsyncGenerator<string, number, void> {
  const ofDay = q
    .sql(
      `SELECT id, debit_account_id, credit_account_id, amount, reverses_id, code = 'expiry' FROM transfers ${dialect(q).indexedBy('transfers_by_date')}
       WHERE business_date = ? AND ledger = ${LEDGER.RECHARGE_COIN} AND kind IN ('single', 'post') ORDER BY id`,
    )
    .raw(true);
  let maxId = 0;
  for (let date = await nextDay(q, '', through); date !== null; date = await nextDay(q, date, through)) {
    for (const row of (await ofDay.all(date)) as CoinRow[]) {
      f(row, date);
      if (row[0] > maxId) maxId = row[0];
    }
    yield date;
  }
  return maxId;
}
