// Synchronous queries through the builder. Services are synchronous (better-sqlite3) while Kysely's
// execute() is not, so a query built on `q.db` is compiled and run on the connection's cache of
// prepared statements. The row type is the builder's own, inferred from the generated schema
// (schema.generated.ts): no service names its row type by hand.
import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { Queryable } from './books';

function prepared(q: Queryable, query: Compilable<unknown>) {
  const { sql, parameters } = query.compile();
  return { statement: q.sql(sql), parameters };
}

/** Every row the query returns. */
export function selectAll<O>(q: Queryable, query: Compilable<O>): O[] {
  const { statement, parameters } = prepared(q, query);
  // The one trust of the driver, as Kysely's own: better-sqlite3 hands back the columns the compiled query selects.
  return statement.all(...parameters) as O[];
}

/** The first row, or undefined. */
export function selectFirst<O>(q: Queryable, query: Compilable<O>): O | undefined {
  const { statement, parameters } = prepared(q, query);
  return statement.get(...parameters) as O | undefined;
}

/** Runs an insert, update or delete (without RETURNING): the rows it changed and the last rowid. */
export function execute(q: Queryable, query: Compilable<unknown>): { changes: number; lastInsertRowid: number | bigint } {
  const { statement, parameters } = prepared(q, query);
  return statement.run(...parameters);
}

/**
 * A constant written into the SQL text rather than bound: a filter like status = 'proposed' must read
 * as a literal for SQLite to use the partial indexes declared with it (and for the plans to stay the
 * ones the hand-written SQL had). Only for constants in the code, never for input.
 */
export function literal<const V extends string | number>(value: V): RawBuilder<V> {
  return sql.lit(value);
}

/** The row type a query (or a function building one) returns, for naming it where rows are passed on. */
export type RowOf<Q> = Q extends Compilable<infer O> ? O : Q extends (...args: never[]) => Compilable<infer O> ? O : never;
