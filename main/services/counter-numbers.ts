// Counter numbers (柜台单号): a request entered by staff at the counter — a recharge request, a coin
// transfer, an invoice request — gets GT<year>-<six digits>, one gapless series per Shanghai year. The
// number is drawn inside the transaction that records the request: the next after the year's largest,
// one transaction at a time (lockSeries), so a request that rolls back takes its number with it and the next one
// gets it again. The request's own id (`counter:ui-…`) stays the key the platform sees.
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../db/books';
import { lockSeries, type Tx } from '../db/tx';
import { shanghaiDate } from '../domain/dates';

export type CounterKind = 'recharge' | 'transfer' | 'invoice';

export const COUNTER_PREFIX = 'GT';

/** 'GT2026-000123' (more digits only past 999,999 a year). */
export function counterNumber(year: number, seq: number): string {
  return `${COUNTER_PREFIX}${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * The counter number of a request just recorded, drawn now — or the one it already has (a repeated
 * submission of the same form records the request once and so numbers it once).
 */
export async function numberCounterRequest(tx: Tx, kind: CounterKind, requestId: string, now: number): Promise<string> {
  const existing = await counterNumberOf(tx, kind, requestId);
  if (existing) return existing;
  const year = Number(shanghaiDate(now).slice(0, 4));
  await lockSeries(tx, `counter_numbers:${year}`);
  const { last } = (await tx.db
    .selectFrom('counter_numbers')
    .select((eb) => eb.fn.max<number | null>('seq').as('last'))
    .where('year', '=', year)
    .executeTakeFirst())!;
  const next = (last ?? 0) + 1;
  const number = counterNumber(year, next);
  await tx
    .sql('INSERT INTO counter_numbers (number, year, seq, kind, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(number, year, next, kind, requestId, now);
  return number;
}

export async function counterNumberOf(q: Queryable, kind: CounterKind, requestId: string): Promise<string | null> {
  const r = await q.db
    .selectFrom('counter_numbers')
    .select('number')
    .where('kind', '=', kind)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return r?.number ?? null;
}

/** A column for list queries: the counter number of the request whose id is `column` (NULL for the platform's). */
export function counterNoColumn(kind: CounterKind, column: string): string {
  return `(SELECT cn.number FROM counter_numbers cn WHERE cn.kind = '${kind}' AND cn.request_id = ${column})`;
}

/** The same column for the query builder. */
export function counterNoOf(kind: CounterKind, column: string): RawBuilder<string | null> {
  return sql<string | null>`${sql.raw(counterNoColumn(kind, column))}`;
}

/** The request id a counter number names, for searches by number ('GT2026-000123', any case). */
export async function requestIdOfCounterNumber(q: Queryable, kind: CounterKind, text: string): Promise<string | null> {
  const r = await q.db
    .selectFrom('counter_numbers')
    .select('request_id')
    .where('kind', '=', kind)
    .where('number', '=', text.trim().toUpperCase())
    .executeTakeFirst();
  return r?.request_id ?? null;
}
