// The services' Queryable over PostgreSQL books: the builder compiled for PostgreSQL, and the services'
// own SQL (written with SQLite's `?` placeholders) run through `pg` with its placeholders numbered. Values
// come back as SQLite hands them to the services: 64-bit integers and sums as numbers (bigint where a
// statement asks for exact integers), truth values as 1 and 0. Reads only, for now: an insert's rowid and
// SQLite's own statements (prepare: seals, the books key, the hot paths) have no PostgreSQL side yet.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Queryable, Statement } from '../books';
import type { Database } from '../schema';

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
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

const PLAIN = parsers(false);
const EXACT = parsers(true);

function statement(pool: pg.Pool, text: string): Statement {
  const sql = forPostgres(text);
  let exact = false;
  let arrays = false;
  const query = async (params: unknown[]) =>
    pool.query({ text: sql, values: params, types: exact ? EXACT : PLAIN, ...(arrays ? { rowMode: 'array' as const } : {}) });
  const self: Statement = {
    all: async (...params) => (await query(params)).rows as unknown[],
    get: async (...params) => (await query(params)).rows[0] as unknown,
    run: async (...params) => {
      const r = await query(params);
      return {
        changes: r.rowCount ?? 0,
        get lastInsertRowid(): number {
          throw new Error('an inserted row’s id is not read on PostgreSQL books yet');
        },
      };
    },
    async *iterate(...params) {
      yield* (await query(params)).rows as unknown[];
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

/** PostgreSQL books (the URL's search_path naming their schema) as the services query them. */
export function postgresQueryable(url: string): Queryable & { destroy(): Promise<void> } {
  // The builder's own execute() (Kysely's driver) reads through the pool's parsers; statements set theirs.
  const pool = new pg.Pool({ connectionString: url, max: 4, types: PLAIN });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const statements = new Map<string, Statement>();
  return {
    engine: 'postgres',
    db,
    sql(text) {
      let s = statements.get(text);
      if (!s) statements.set(text, (s = statement(pool, text)));
      return s;
    },
    prepare() {
      throw new Error('SQLite’s own statements do not run on PostgreSQL books');
    },
    destroy: () => db.destroy(), // ends the pool
  };
}
