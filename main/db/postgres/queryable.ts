// The services' Queryable over PostgreSQL books: the builder compiled for PostgreSQL, and the services'
// own SQL (written with SQLite's `?` placeholders) run through `pg` with its placeholders numbered. Values
// come back as SQLite hands them to the services: 64-bit integers and sums as numbers (bigint where a
// statement asks for exact integers), truth values as 1 and 0. An insert answers the id of the row it
// wrote (SQLite's lastInsertRowid), read with RETURNING from the table's identity column. SQLite's own
// synchronous statements (prepare) have no PostgreSQL side: the engine's modules have their own here.
import type pg from 'pg';
import { loadedDriver, pgDriver } from './driver';
import type { Queryable, Statement } from '../books';
import { builderOn } from '../statements-dialect';

const INT2 = 21;
const INT4 = 23;
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;

/**
 * The services' SQL as PostgreSQL reads it: SQLite's `?` placeholders numbered (`$1`, `$2` …) and
 * camelCase column aliases quoted (PostgreSQL folds an unquoted name to lower case), leaving quoted text
 * and identifiers alone.
 */
export function forPostgres(text: string): string {
  return numberedPlaceholders(text).replace(/\bAS\s+([a-z][a-z0-9]*[A-Z]\w*)\b/g, 'AS "$1"');
}

/** SQLite's `?` placeholders numbered for PostgreSQL (`$1`, `$2` …), leaving quoted text and identifiers alone. */
export function numberedPlaceholders(text: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else out += ch === '?' ? `$${++n}` : ch;
  }
  return out;
}

/** How values are read: as SQLite hands them to the services. */
function parsers(exact: boolean): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === INT8 || oid === NUMERIC) return (v: string) => (exact && !v.includes('.') ? BigInt(v) : Number(v));
      if (exact && (oid === INT4 || oid === INT2)) return (v: string) => BigInt(v); // SQLite's exact integers are all bigint
      if (oid === BOOL) return (v: string) => (v === 't' ? 1 : 0);
      return loadedDriver().types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export const PLAIN = parsers(false);
export const EXACT = parsers(true);

/** What runs a query: the pool (reads), or the one client a write transaction holds. */
export type Runner = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** Each books table's identity column (`id`, or the `rowid` added for tables keyed otherwise), by table. */
export type IdentityColumns = ReadonlyMap<string, string>;

export async function readIdentityColumns(runner: Runner): Promise<IdentityColumns> {
  const r = await runner.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
  );
  return new Map(r.rows.map((c) => [c.table_name, c.column_name]));
}

/** The text an insert runs with: RETURNING its table's identity column, so that its id can be answered. */
export function withReturning(text: string, ids: IdentityColumns): { text: string; returns: boolean } {
  const m = /^\s*INSERT\s+INTO\s+"?(\w+)"?/i.exec(text);
  const column = m ? ids.get(m[1]!) : undefined;
  if (!column || /\bRETURNING\b/i.test(text)) return { text, returns: false };
  return { text: `${text} RETURNING "${column}"`, returns: true };
}

/** A statement the services run, on `runner`; `text` already as PostgreSQL reads it. */
function statement(runner: Runner, text: string, ids: IdentityColumns, heard?: (text: string) => void): Statement {
  let exact = false;
  let arrays = false;
  const query = async (sql: string, params: unknown[]) => {
    heard?.(sql);
    return runner.query({
      text: sql,
      values: params.map(toPostgres),
      types: exact ? EXACT : PLAIN,
      ...(arrays ? { rowMode: 'array' as const } : {}),
    });
  };
  const inserting = withReturning(text, ids);
  const self: Statement = {
    all: async (...params) => (await query(text, params)).rows as unknown[],
    get: async (...params) => (await query(text, params)).rows[0] as unknown,
    run: async (...params) => {
      const r = await query(inserting.text, params);
      const last = inserting.returns ? (r.rows.at(-1) as Record<string, unknown> | unknown[] | undefined) : undefined;
      const id = last === undefined ? 0 : Array.isArray(last) ? last[0] : Object.values(last)[0];
      return { changes: r.rowCount ?? 0, lastInsertRowid: typeof id === 'bigint' ? id : Number(id ?? 0) };
    },
    async *iterate(...params) {
      yield* (await query(text, params)).rows as unknown[];
    },
    safeIntegers(on = true) {
      exact = on;
      return self;
    },
    raw(on = true) {
      arrays = on;
      return self;
    },
    columns: () => {
      throw new Error('a statement’s columns are SQLite’s to tell');
    },
  };
  return self;
}

/** Values as PostgreSQL takes them: bigints as text (pg would refuse them), the rest as they are. */
export const toPostgres = (v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** The services' statements on `runner`, each text prepared for PostgreSQL once; `heard` told of each one sent. */
export function postgresStatements(runner: Runner, ids: IdentityColumns, heard?: (text: string) => void): (text: string) => Statement {
  const statements = new Map<string, Statement>();
  return (text) => {
    let s = statements.get(text);
    if (!s) statements.set(text, (s = statement(runner, forPostgres(text), ids, heard)));
    return s;
  };
}

const noSqliteStatements = (): never => {
  throw new Error('SQLite’s own statements do not run on PostgreSQL books');
};

/** A Queryable over `runner`: its statements, and the builder whose execute() runs them. */
export function postgresQueryableOn(runner: Runner, ids: IdentityColumns, heard?: (text: string) => void): Queryable {
  const sql = postgresStatements(runner, ids, heard);
  return { engine: 'postgres', db: builderOn('postgres', sql), booksScope: ids, sql, prepare: noSqliteStatements };
}

/** PostgreSQL books (the URL's search_path naming their schema) as the read services query them. */
export async function postgresQueryable(url: string): Promise<Queryable & { destroy(): Promise<void> }> {
  const pool = new (await pgDriver()).Pool({ connectionString: url, max: 4, types: PLAIN });
  const ids = await readIdentityColumns(pool);
  return { ...postgresQueryableOn(pool, ids), destroy: () => pool.end() };
}
