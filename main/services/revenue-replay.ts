// The revenue run's hot path: every recharge-ledger transfer replayed through the lots, read a day at a
// time as arrays of numbers on cached statements (no object or text per row; at 100k customers the
// replay reads every coin transfer ever posted). The one raw read of services/revenue.
import type { Queryable } from '../db/books';
import { LEDGER } from '../domain/ledgers';

/** A recharge-ledger transfer as the replay reads it: id, debit, credit, amount, reverses_id, is an expiry (1/0). */
export type CoinRow = [number, number, number, number, number | null, number];

/**
 * Every recharge-ledger transfer dated on or before a day, in business-date order (id order within a
 * day), handed to `f` as it is read. One query a day by the business-date index, whose entries within a
 * day are in id order, so nothing is sorted or held. Yields each day once its transfers are read (a
 * statement is never left open across a yield); returns the largest id read.
 */
export function* coinTransferDays(q: Queryable, through: string, f: (row: CoinRow, date: string) => void): Generator<string, number, void> {
  const nextDay = q.prepare('SELECT min(business_date) FROM transfers WHERE business_date > ? AND business_date <= ?').pluck(true);
  const ofDay = q
    .prepare(
      `SELECT id, debit_account_id, credit_account_id, amount, reverses_id, code = 'expiry' FROM transfers INDEXED BY transfers_by_date
       WHERE business_date = ? AND ledger = ${LEDGER.RECHARGE_COIN} AND kind IN ('single', 'post') ORDER BY id`,
    )
    .raw(true);
  let maxId = 0;
  for (let date = nextDay.get('', through) as string | null; date !== null; date = nextDay.get(date, through) as string | null) {
    for (const row of ofDay.iterate(date) as IterableIterator<CoinRow>) {
      f(row, date);
      if (row[0] > maxId) maxId = row[0];
    }
    yield date;
  }
  return maxId;
}
