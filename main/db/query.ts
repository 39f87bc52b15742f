// What the builder's own execute() does not give: a query passed around as a Compilable (a page of a
// generic list, a count) run on the Queryable's statements, integers read exactly as bigint, constants
// written into the SQL text, and the few places where the engines' SQL differs. A query built on q.db
// runs with its own .execute() (db/statements-dialect.ts), on the same cache of prepared statements.
import { sql, type Compilable, type Kysely, type RawBuilder } from 'kysely';
import type { Queryable } from './books';
import type { Database } from './schema';
import { NOCASE_COLLATION } from './postgres/ddl';

function prepared(q: Queryable, query: Compilable<unknown>) {
  const { sql, parameters } = query.compile();
  return { statement: q.sql(sql), parameters };
}

/** Every row the query returns. */
export async function selectAll<O>(q: Queryable, query: Compilable<O>): Promise<O[]> {
  const { statement, parameters } = prepared(q, query);
  // The one trust of the driver, as Kysely's own: better-sqlite3 hands back the columns the compiled query selects.
  return (await statement.all(...parameters)) as O[];
}

/** The first row, or undefined. */
export async function selectFirst<O>(q: Queryable, query: Compilable<O>): Promise<O | undefined> {
  const { statement, parameters } = prepared(q, query);
  return (await statement.get(...parameters)) as O | undefined;
}

/** Runs an insert, update or delete (without RETURNING): the rows it changed and the last rowid. */
export async function execute(q: Queryable, query: Compilable<unknown>): Promise<{ changes: number; lastInsertRowid: number | bigint }> {
  const { statement, parameters } = prepared(q, query);
  return await statement.run(...parameters);
}

/** A row with its integers exact: every number column read as bigint. */
export type Exact<O> = { [K in keyof O]: O[K] extends number ? bigint : O[K] extends number | null ? bigint | null : O[K] };

// A statement of its own (its text marked) whose integers are read as bigint, so that the plain one
// for the same query keeps answering numbers.
function exactStatement(q: Queryable, query: Compilable<unknown>) {
  const { sql, parameters } = query.compile();
  return { statement: q.sql(`${sql} /* exact integers */`).safeIntegers(true), parameters };
}

/** Every row, its integers as bigint: sums of money over many rows, which may pass 2^53. */
export async function selectAllExact<O>(q: Queryable, query: Compilable<O>): Promise<Exact<O>[]> {
  const { statement, parameters } = exactStatement(q, query);
  return (await statement.all(...parameters)) as Exact<O>[]; // the compiled query's columns, integers as bigint
}

/** The first row, its integers as bigint, or undefined. */
export async function selectFirstExact<O>(q: Queryable, query: Compilable<O>): Promise<Exact<O> | undefined> {
  const { statement, parameters } = exactStatement(q, query);
  return (await statement.get(...parameters)) as Exact<O> | undefined;
}

/**
 * A constant written into the SQL text rather than bound: a filter like status = 'proposed' must read
 * as a literal for SQLite to use the partial indexes declared with it (and for the plans to stay the
 * ones the hand-written SQL had). Only for constants in the code, never for input.
 */
export function literal<const V extends string | number>(value: V): RawBuilder<V> {
  return sql.lit(value);
}

/**
 * The SQL fragments the two engines write differently, for the engine `q` runs on (SQLite unless it says
 * PostgreSQL): every other word of a service's SQL is the same on both. Each takes and gives SQL text
 * (column names and constants of the code, never input); in a builder query wrap it in sql.raw().
 */
export function dialect(q: Queryable) {
  const pg = q.engine === 'postgres';
  /** The date of a time in ms at Shanghai's UTC+8 (integer division: the day it falls in), as text in the format given. */
  const shanghai = (ms: string, format: { sqlite: string; pg: string }) =>
    pg
      ? `to_char(DATE '1970-01-01' + CAST((${ms} + 28800000) / 86400000 AS integer), '${format.pg}')`
      : `strftime('${format.sqlite}', (${ms} + 28800000) / 1000, 'unixepoch')`;
  const asciiLower = (text: string) => `translate(${text}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
  return {
    /**
     * `text LIKE pattern ESCAPE '\'` with ASCII letters alike in either case, as SQLite's LIKE compares them.
     * PostgreSQL's LIKE tells case apart, and its ILIKE would also fold letters SQLite's keeps apart (É, é).
     */
    likeNocase: (text: string, pattern: string) =>
      pg ? `${asciiLower(text)} LIKE ${asciiLower(pattern)} ESCAPE '\\'` : `${text} LIKE ${pattern} ESCAPE '\\'`,
    /**
     * After a table (and its alias) in FROM: on SQLite the index the statement was measured with at 100k rows
     * (INDEXED BY); PostgreSQL's planner chooses its own.
     */
    indexedBy: (index: string) => (pg ? '' : `INDEXED BY ${index}`),
    /** Text values joined with a separator (a comma unless told) in the order given (group_concat; string_agg on PostgreSQL). */
    joined: (text: string, orderBy: string, separator = ',') =>
      `${pg ? 'string_agg' : 'group_concat'}(${text}, '${separator}' ORDER BY ${orderBy})`,
    /** 'YYYY-MM-DD': the Shanghai day of a time in ms. */
    shanghaiDay: (ms: string) => shanghai(ms, { sqlite: '%Y-%m-%d', pg: 'YYYY-MM-DD' }),
    /** 'YYYY-MM': the Shanghai month of a time in ms. */
    shanghaiMonth: (ms: string) => shanghai(ms, { sqlite: '%Y-%m', pg: 'YYYY-MM' }),
    /** Days from one 'YYYY-MM-DD' date to a later one (julianday on SQLite, date subtraction on PostgreSQL). */
    daysBetween: (from: string, to: string) =>
      pg ? `(CAST(${to} AS date) - CAST(${from} AS date))` : `(julianday(${to}) - julianday(${from}))`,
    /** The days from 1970-01-01 to a 'YYYY-MM-DD' date, an integer (unixepoch on SQLite, date subtraction on PostgreSQL). */
    epochDay: (date: string) => (pg ? `(CAST(${date} AS date) - DATE '1970-01-01')` : `unixepoch(${date}) / 86400`),
    /** A collation comparing text without case: SQLite's NOCASE, the collation PostgreSQL books declare for it (ddl.ts). */
    nocase: `COLLATE ${pg ? NOCASE_COLLATION : 'NOCASE'}`,
    /**
     * After an ORDER BY term of a column of SQLite's default collation: text in byte order, as SQLite's BINARY
     * orders it ("C" on PostgreSQL, whose default follows a locale). Nothing on SQLite, where naming BINARY
     * would keep it from reading the order from an index.
     */
    byteOrder: pg ? 'COLLATE "C"' : '',
    /**
     * A JSON array of arrays bound as one parameter, as rows `alias.value` in the array's order `alias.key`
     * (json_each; jsonb_array_elements WITH ORDINALITY on PostgreSQL): a batch written in one statement.
     */
    jsonRows: (alias: string) =>
      pg ? `jsonb_array_elements(CAST(? AS jsonb)) WITH ORDINALITY AS ${alias}(value, key)` : `json_each(?) AS ${alias}`,
    /** The integer at position i of such a row (PostgreSQL's ->> gives text). */
    jsonInt: (value: string, i: number) => (pg ? `CAST(${value} ->> ${i} AS bigint)` : `${value} ->> ${i}`),
  };
}

/** The row type a query (or a function building one) returns, for naming it where rows are passed on. */
export type RowOf<Q> = Q extends Compilable<infer O> ? O : Q extends (...args: never[]) => Compilable<infer O> ? O : never;

const ARG = '\u0000coffer-arg:';

interface Plan {
  sql: string;
  /** Each bound value: the index of the argument it takes, or a constant the builder bound itself. */
  values: (number | { constant: unknown })[];
}

/**
 * A builder query compiled once, for hot paths that run it per line of a file or per item of a batch:
 * the builder gives the SQL and the row type (from the schema, as everywhere), and each call binds its
 * arguments to the same prepared statement, without the ~30 µs Kysely takes to build and compile a query.
 *
 * `build` is called once, with a placeholder for each declared argument, so it must not branch on them,
 * and each argument must be bound as a scalar value just as it is: not computed on, not in a literal(),
 * not a list for `in`. The placeholders are traced through the compiled parameters, and a query that
 * breaks the rule is refused when it is first compiled.
 */
export function compiledOnce<A extends unknown[], O>(build: (db: Kysely<Database>, ...args: A) => Compilable<O>) {
  let plan: Plan | undefined;
  const planFor = (db: Kysely<Database>): Plan => {
    if (plan) return plan;
    const placeholders = Array.from({ length: build.length - 1 }, (_, i) => `${ARG}${i}`);
    // The placeholders stand in for the arguments only while the SQL is compiled; they are never run.
    const compiled = build(db, ...(placeholders as unknown as A)).compile();
    if (compiled.sql.includes(ARG)) throw new Error('compiledOnce: an argument was written into the SQL text');
    const values = compiled.parameters.map((p) => {
      if (typeof p === 'string' && p.startsWith(ARG) && placeholders.includes(p)) return placeholders.indexOf(p);
      if (typeof p === 'string' && p.includes(ARG)) throw new Error('compiledOnce: an argument was computed on before it was bound');
      return { constant: p };
    });
    placeholders.forEach((_, i) => {
      if (!values.includes(i)) throw new Error(`compiledOnce: argument ${i + 1} is not bound as a value`);
    });
    return (plan = { sql: compiled.sql, values });
  };
  const bound = (q: Queryable, args: A) => {
    const p = planFor(q.db);
    return { statement: q.sql(p.sql), parameters: p.values.map((v) => (typeof v === 'number' ? args[v] : v.constant)) };
  };
  return {
    /** Every row, typed by the builder. */
    async all(q: Queryable, ...args: A): Promise<O[]> {
      const { statement, parameters } = bound(q, args);
      return (await statement.all(...parameters)) as O[]; // the compiled query's columns, as selectAll
    },
    /** The first row, or undefined. */
    async get(q: Queryable, ...args: A): Promise<O | undefined> {
      const { statement, parameters } = bound(q, args);
      return (await statement.get(...parameters)) as O | undefined;
    },
  };
}
