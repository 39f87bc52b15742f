// Books on PostgreSQL copied back into a books file (coffer books copy --from URL --to FILE): the file's
// schema is the current version's, made by the migrations themselves (a fresh in-memory books lends
// its CREATE statements); every row comes over with its rowid, so the row seals still name their rows;
// both sides are tallied before the file takes its name, and the anchor is written for the copied head.
// The PostgreSQL side is read in one REPEATABLE READ snapshot, so a copy taken while others work is
// still one moment of the books.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import type pg from 'pg';
import { writeAnchor, closeAnchor } from '../anchor';
import type { RawDb } from '../books';
import { booksIdOf, isBooksKey } from '../books-key';
import { auditHead } from '../seals';
import { connectPostgres, inTransaction, PostgresBooksError, withFreshBooks, type CopyReport } from './books';
import { rowidColumn } from './ddl';
import type { SqliteSchema, TableInfo } from './sqlite-schema';
import { tallyDifferences, tallyPostgres, tallySqlite } from './tally';

export interface CopyBackReport extends CopyReport {
  /** Whether the anchor beside the new file is signed with the books key (given with --key). */
  anchorSigned: boolean;
}

/** Rows fetched from PostgreSQL at a time, by rowid. */
const PAGE = 5000;

/**
 * Copies the books at `url` into a new books file `file` (which must not exist). `key`, when given,
 * must be the books' key: the anchor is then signed with it.
 */
export async function copyPostgresToBooksFile(url: string, file: string, key: Buffer | null): Promise<CopyBackReport> {
  if (fs.existsSync(file)) throw new PostgresBooksError('target_exists', `${file} exists`);
  return withFreshBooks(async (fresh, schema) => {
    const client = await connectPostgres(url);
    const partial = `${file}.copying-${crypto.randomBytes(4).toString('hex')}`;
    try {
      const report = await inTransaction(
        client,
        async () => {
          await expectSameVersion(client, schema);
          return copyIntoFile(fresh, schema, client, partial, key);
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      );
      fs.renameSync(partial, file);
      const anchorSigned = anchorCopy(file, key);
      return { ...report, anchorSigned };
    } finally {
      await client.end();
      for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(leftover, { force: true });
    }
  });
}

/** Refuses a schema that holds no books, or books of another version than this Coffer's. */
export async function expectSameVersion(client: Pick<pg.ClientBase, 'query'>, schema: SqliteSchema): Promise<void> {
  const found = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'books_header'",
  );
  if (Number(found.rows[0]?.n ?? 0) === 0) throw new PostgresBooksError('not_books', 'the PostgreSQL schema holds no books');
  const header = (await client.query<{ v: string }>('SELECT user_version AS v FROM books_header')).rows[0];
  if (Number(header?.v) !== schema.userVersion)
    throw new PostgresBooksError('version_differs', `books version ${header?.v}`, {
      version: String(header?.v ?? '?'),
      latest: String(schema.userVersion),
    });
}

/** Writes the new file: tables and indexes, every row, then the triggers (which refuse rewriting history). */
async function copyIntoFile(
  fresh: RawDb,
  schema: SqliteSchema,
  client: pg.Client,
  partial: string,
  key: Buffer | null,
): Promise<CopyReport> {
  const raw = new Sqlite(partial);
  try {
    raw.pragma('page_size = 16384');
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    const objects = fresh
      .prepare("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
      .all() as { type: string; sql: string }[];
    raw.exec('BEGIN');
    raw.pragma('defer_foreign_keys = ON'); // a table's rows may come before those they point to
    for (const o of objects) if (o.type !== 'trigger') raw.exec(o.sql);
    let rows = 0;
    for (const table of schema.tables) rows += await copyTable(client, table, raw);
    for (const o of objects) if (o.type === 'trigger') raw.exec(o.sql);
    raw.pragma(`application_id = ${schema.applicationId}`);
    raw.pragma(`user_version = ${schema.userVersion}`);
    raw.exec('COMMIT');
    const differences = tallyDifferences(await tallyPostgres(client, schema), tallySqlite(raw, schema));
    if (differences.length > 0) throw new PostgresBooksError('copy_differs', differences.join('; '));
    if (key && !isBooksKey({ prepare: (text) => raw.prepare(text) }, key))
      throw new PostgresBooksError('wrong_key', 'not these books’ key');
    return { version: schema.userVersion, tables: schema.tables.length, rows, tally: tallySqlite(raw, schema) };
  } finally {
    raw.close();
  }
}

async function copyTable(client: pg.Client, table: TableInfo, raw: RawDb): Promise<number> {
  const rowid = rowidColumn(table);
  const extraRowid = rowid === 'rowid' && !table.columns.some((c) => c.name === 'rowid');
  const names = [...table.columns.map((c) => c.name), ...(extraRowid ? ['rowid'] : [])];
  const integer = [...table.columns.map((c) => c.type === 'INTEGER'), ...(extraRowid ? [true] : [])];
  const list = names.map((c) => `"${c}"`).join(', ');
  const insert = raw.prepare(`INSERT INTO "${table.name}" (${list}) VALUES (${names.map(() => '?').join(', ')})`);
  // PostgreSQL hands BIGINT back as text: bound as a BigInt, it is an INTEGER again, past 2^53 too.
  const put = (row: unknown[]) => insert.run(row.map((v, i) => (integer[i] && typeof v === 'string' ? BigInt(v) : v)));
  const page = (where: string, params: unknown[]) =>
    client.query<unknown[]>({ text: `SELECT ${list} FROM "${table.name}"${where}`, values: params, rowMode: 'array' });
  if (!rowid) {
    const { rows } = await page('', []);
    for (const row of rows) put(row);
    return rows.length;
  }
  const at = names.indexOf(rowid);
  let after = '-9223372036854775808';
  let copied = 0;
  for (;;) {
    const { rows } = await page(` WHERE "${rowid}" > $1 ORDER BY "${rowid}" LIMIT ${PAGE}`, [after]);
    for (const row of rows) put(row);
    copied += rows.length;
    if (rows.length < PAGE) return copied;
    after = String(rows[rows.length - 1]![at]);
  }
}

/** The anchor of the new file at the copied head; signed when the books key was given (checked as theirs above). */
function anchorCopy(file: string, key: Buffer | null): boolean {
  const raw = new Sqlite(file, { readonly: true });
  try {
    const q = { prepare: (text: string) => raw.prepare(text) };
    const booksId = booksIdOf(q);
    if (!booksId) return false;
    const head = auditHead(q);
    writeAnchor(file, { booksId, head, prev: head, pending: false, at: Date.now() }, key);
    closeAnchor(file);
    return key !== null;
  } finally {
    raw.close();
  }
}
