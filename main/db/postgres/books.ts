// Books on PostgreSQL (issue "Shared books"): making the schema from the migration list, and moving the
// rows of a books file into it. A PostgreSQL books schema is made whole at the current version — the
// SQLite migrations are run on an empty in-memory books, and that schema and its rows (the ledgers,
// system accounts, chart and frozen refusal texts the migrations seed) are written to PostgreSQL — so
// both engines start from the same migration list. Read services run on it through queryable.ts (52 of
// the contract's 71 read methods answer as on SQLite; test/unit/postgres-reads.test.ts names the rest);
// writes do not yet: the seals, the books key and posting use SQLite's own statements.
import type pg from 'pg';
import { pgDriver } from './driver';
import type { RawDb } from '../books';
import { openBooks } from '../books';
import { postgresDdl, rowidColumn } from './ddl';
import { readSqliteSchema, type SqliteSchema, type TableInfo } from './sqlite-schema';
import { tallyDifferences, tallyPostgres, tallySqlite, type BooksTally } from './tally';

/** A postgres:// or postgresql:// URL (the CLI's --db and --to take either this or a file path). */
export const isPostgresUrl = (s: string) => /^postgres(ql)?:\/\//i.test(s);

/** One connection to the books' database (the URL may set search_path through `options`). */
export async function connectPostgres(url: string): Promise<pg.Client> {
  const client = new (await pgDriver()).Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The schema of a freshly migrated books, read from an empty in-memory SQLite books. */
export async function withFreshBooks<T>(work: (raw: RawDb, schema: SqliteSchema) => T | Promise<T>): Promise<T> {
  const books = await openBooks(':memory:', { create: true });
  try {
    return await work(books.raw, readSqliteSchema(books.raw));
  } finally {
    await books.close();
  }
}

/** Refuses a database that already holds a books schema: nothing is written over existing books. */
async function expectEmpty(client: pg.Client): Promise<void> {
  const r = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('books_header', 'transfers')",
  );
  if (Number(r.rows[0]?.n ?? 0) > 0) throw new PostgresBooksError('not_empty', 'the PostgreSQL schema already holds books');
}

export class PostgresBooksError extends Error {
  constructor(
    readonly code: 'not_empty' | 'not_books' | 'copy_differs' | 'target_exists' | 'version_differs' | 'wrong_key',
    message: string,
    /** What a refusal names besides the target (the versions, for version_differs). */
    readonly params: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Makes new, empty books in the URL's schema: the schema of the current version and its seeded rows. */
export async function createPostgresBooks(url: string): Promise<{ version: number }> {
  return withFreshBooks(async (raw, schema) => {
    const client = await connectPostgres(url);
    try {
      await inTransaction(client, async () => {
        await expectEmpty(client);
        for (const statement of postgresDdl(schema)) await client.query(statement);
        await copyRows(raw, schema, client);
      });
      return { version: schema.userVersion };
    } finally {
      await client.end();
    }
  });
}

/**
 * Copies a books file into an empty PostgreSQL schema: the schema written from the file's own, then
 * every row of every table, keys and rowids included, in one transaction; before it commits, both
 * copies are tallied (postgres/tally.ts) and any difference rolls the copy back — the schema is left
 * empty and the differences are refused by name.
 */
export async function copyBooksToPostgres(raw: RawDb, url: string): Promise<CopyReport> {
  const schema = readSqliteSchema(raw);
  const from = tallySqlite(raw, schema);
  const client = await connectPostgres(url);
  try {
    return await inTransaction(client, async () => {
      await expectEmpty(client);
      for (const statement of postgresDdl(schema)) await client.query(statement);
      const { rows } = await copyRows(raw, schema, client);
      await client.query('SET CONSTRAINTS ALL IMMEDIATE'); // every foreign key checked before the tally
      const to = await tallyPostgres(client, schema);
      const differences = tallyDifferences(from, to);
      if (differences.length > 0) throw new PostgresBooksError('copy_differs', differences.join('; '));
      return { version: schema.userVersion, tables: schema.tables.length, rows, tally: to };
    });
  } finally {
    await client.end();
  }
}

export interface CopyReport {
  version: number;
  tables: number;
  rows: number;
  tally: BooksTally;
}

export async function inTransaction<T>(client: pg.Client, work: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await client.query(begin);
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

// PostgreSQL takes at most 65,535 parameters in one statement.
const MAX_PARAMETERS = 60_000;

/** Every row of every table, in rowid order, foreign keys checked at the commit. */
async function copyRows(raw: RawDb, schema: SqliteSchema, client: pg.Client): Promise<{ tables: number; rows: number }> {
  await client.query('SET CONSTRAINTS ALL DEFERRED');
  let rows = 0;
  for (const table of schema.tables) rows += await copyTable(raw, table, client);
  for (const table of schema.tables) await advanceIdentity(table, client);
  return { tables: schema.tables.length, rows };
}

async function copyTable(raw: RawDb, table: TableInfo, client: pg.Client): Promise<number> {
  const rowid = rowidColumn(table);
  const extraRowid = rowid === 'rowid' && !table.columns.some((c) => c.name === 'rowid');
  const columns = [...table.columns.map((c) => c.name), ...(extraRowid ? ['rowid'] : [])];
  const select = `SELECT ${table.columns.map((c) => `"${c.name}"`).join(', ')}${extraRowid ? ', rowid' : ''} FROM "${table.name}"${
    rowid ? ' ORDER BY rowid' : ` ORDER BY ${table.primaryKey.map((c) => `"${c}"`).join(', ')}`
  }`;
  const perBatch = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const insertHead = `INSERT INTO "${table.name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
    await client.query(insertHead + tuples.join(', '), values);
    copied += batch.length;
    batch = [];
  };
  // safeIntegers: INTEGER cells come as BigInt, so no value past 2^53 loses digits on the way.
  for (const row of raw.prepare(select).raw(true).safeIntegers(true).iterate() as Iterable<unknown[]>) {
    batch.push(row.map(toPostgres));
    if (batch.length >= perBatch) await flush();
  }
  await flush();
  return copied;
}

const toPostgres = (v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** An identity column's next value is past the largest copied one, as SQLite's next rowid would be. */
async function advanceIdentity(table: TableInfo, client: pg.Client): Promise<void> {
  const column = table.rowidAlias === 'id' ? 'id' : table.hasRowid && table.rowidAlias === null ? 'rowid' : null;
  if (!column) return;
  await client.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max("${column}") FROM "${table.name}"), 0) + 1, false)`,
    [`"${table.name}"`, column],
  );
}
