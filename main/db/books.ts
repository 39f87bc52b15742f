// Opening a books file: refuse what is not ours, back up before migrating, then set the pragmas money
// needs (WAL + synchronous=FULL, foreign keys, untrusted schema) and hand out a Kysely instance and a
// cache of prepared statements for each of the two connections: the writer, and a read-only reader.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { BooksFileError } from './errors';
import { COFFER_APPLICATION_ID, MIGRATIONS, type Migration } from './migrations';
import { closeAnchor } from './anchor';
import { installSealCapture, markAllForSealing, sealLeftovers } from './seals';
import { inWriteTx } from './tx';
import { builderOn } from './statements-dialect';

export type RawDb = Sqlite.Database;
/** SQLite's own prepared statement, answered at once: the engine's internals and the named hot paths only. */
export type SqliteStatement = Sqlite.Statement;

/**
 * A prepared statement as the services use it: every answer a promise, so that the services keep their
 * signatures on an engine whose driver answers later (PostgreSQL). Rows are what the driver returns.
 */
export interface Statement {
  all(...params: unknown[]): Promise<unknown[]>;
  get(...params: unknown[]): Promise<unknown>;
  run(...params: unknown[]): Promise<Sqlite.RunResult>;
  iterate(...params: unknown[]): AsyncIterableIterator<unknown>;
  /** Integers as bigint (sums that may pass 2^53); changes the cached statement, as better-sqlite3 does. */
  safeIntegers(on?: boolean): Statement;
  /** Rows as arrays of values, in the order of the columns. */
  raw(on?: boolean): Statement;
  columns(): Sqlite.ColumnDefinition[];
}

/** What both reads and writes need: the query builder and prepared statements. */
export interface Queryable {
  /** The engine the books are on, where the SQL of the two differs (query.ts#dialect); absent: SQLite. */
  readonly engine?: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  /**
   * One object for the books and every transaction on them, where q.sql is not (PostgreSQL: a
   * connection each): what lookups of rows that never change are kept by (system-accounts.ts).
   */
  readonly booksScope?: object;
  sql(text: string): Statement;
  /** SQLite's statement, answered synchronously: only the engine's own modules and the named hot paths. */
  prepare(text: string): SqliteStatement;
}

/** A statement answering as a promise what better-sqlite3 answers at once. */
function asyncStatement(s: SqliteStatement): Statement {
  const self: Statement = {
    // async: a statement the engine refuses rejects its promise, as on PostgreSQL, never throws at the call
    all: async (...params) => s.all(...params),
    get: async (...params) => s.get(...params),
    run: async (...params) => s.run(...params),
    async *iterate(...params) {
      yield* s.iterate(...params);
    },
    safeIntegers(on = true) {
      s.safeIntegers(on);
      return self;
    },
    raw(on = true) {
      s.raw(on);
      return self;
    },
    columns: () => s.columns(),
  };
  return self;
}

/**
 * Open books: the writer's connection (`raw`, and as a Queryable `db` and `sql`), on which every write
 * transaction runs, and `reader`, a read-only connection of their own for the API's read methods. A
 * write job's transaction stays open while it yields between chunks; a read made meanwhile on `reader`
 * sees the last commit, never the rows that a cancel would remove.
 */
export interface Books extends Queryable {
  readonly engine: 'sqlite';
  readonly path: string;
  readonly raw: RawDb;
  /** Committed rows only (WAL: each statement sees the last commit). The writer itself for in-memory books. */
  readonly reader: Queryable;
  readonly schemaVersion: number;
  /** Set when opening migrated an older file: where the copy made before migrating lives. */
  readonly migratedFrom: { version: number; backup: string } | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Create a new books file when the path does not exist. */
  create?: boolean;
  /** Path of a better-sqlite3 native binding built for another runtime (Electron). */
  nativeBinding?: string;
  /** The migrations to apply; tests pass a longer list to exercise upgrades. */
  migrations?: readonly Migration[];
  /**
   * How long a write waits for another process's write lock before it is refused as `books_busy`
   * (default 5 s): bounded, so a held lock never hangs the console.
   */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = fs.readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

interface Inspection {
  empty: boolean;
  version: number;
}

/**
 * Looks at an existing file read-only and refuses it unless it is a Coffer books file this Coffer can
 * open: its header, application id, version and schema are read at every open (cheap at any size);
 * `deep` adds SQLite's quick_check of every page (seconds at a million transfers), which a restore's
 * candidate gets and `verify` does in full (its integrity step).
 */
export function inspectBooksFile(
  file: string,
  {
    nativeBinding,
    latest = MIGRATIONS[MIGRATIONS.length - 1]!.version,
    deep = false,
  }: { nativeBinding?: string; latest?: number; deep?: boolean } = {},
): Inspection {
  const size = fs.statSync(file).size;
  if (size === 0) return { empty: true, version: 0 };
  const header = readHeader(file);
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_HEADER)) {
    throw new BooksFileError('not_a_books_file', file, `${file} is not a Coffer books file (it is not an SQLite database).`);
  }
  let probe: RawDb;
  try {
    probe = new Sqlite(file, { readonly: true, fileMustExist: true, nativeBinding });
  } catch (e) {
    throw new BooksFileError('corrupt', file, `${file} cannot be opened: ${(e as Error).message}`);
  }
  try {
    let appId: number;
    let version: number;
    let tables: number;
    try {
      appId = probe.pragma('application_id', { simple: true }) as number;
      version = probe.pragma('user_version', { simple: true }) as number;
      // Reads the whole schema, so a damaged schema page is refused here.
      tables = (probe.prepare('SELECT type, sql FROM sqlite_schema').all() as { type: string }[]).filter((r) => r.type === 'table').length;
    } catch (e) {
      throw new BooksFileError('corrupt', file, `${file} is damaged and cannot be read: ${(e as Error).message}`);
    }
    if (appId !== COFFER_APPLICATION_ID) {
      if (tables === 0 && appId === 0) return { empty: true, version: 0 };
      throw new BooksFileError('not_a_books_file', file, `${file} is an SQLite database but not a Coffer books file.`);
    }
    if (version > latest) {
      throw new BooksFileError(
        'newer_version',
        file,
        `${file} was written by a newer Coffer (books version ${version}; this Coffer knows up to ${latest}). Update Coffer to open it; the file was not changed.`,
      );
    }
    if (!deep) return { empty: false, version };
    let check: string[];
    try {
      check = (probe.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    } catch (e) {
      throw new BooksFileError('corrupt', file, `${file} is damaged: ${(e as Error).message}`);
    }
    if (check.length !== 1 || check[0] !== 'ok') {
      throw new BooksFileError('corrupt', file, `${file} failed its integrity check: ${check.slice(0, 5).join('; ')}`);
    }
    return { empty: false, version };
  } finally {
    probe.close();
  }
}

function applyPragmas(raw: RawDb, busyTimeoutMs: number): void {
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  raw.pragma('trusted_schema = OFF');
  // Statement journals and the temporary table of rows to seal stay in memory, not in temp files.
  raw.pragma('temp_store = MEMORY');
  // Big batches touch index pages all over the transfers table: keep them in memory (64 MiB) and
  // checkpoint the WAL less often, so a batch's commit writes each page once.
  raw.pragma('cache_size = -65536');
  raw.pragma('wal_autocheckpoint = 10000');
}

function migrate(raw: RawDb, migrations: readonly Migration[], from: number, now: number): void {
  for (const m of migrations) {
    if (m.version <= from) continue;
    raw.exec('BEGIN IMMEDIATE');
    try {
      raw.exec(m.sql);
      m.run?.(raw);
      if (m.version === 1) {
        raw.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
      }
      raw.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now);
      raw.pragma(`application_id = ${COFFER_APPLICATION_ID}`);
      raw.pragma(`user_version = ${m.version}`);
      raw.exec('COMMIT');
    } catch (e) {
      raw.exec('ROLLBACK');
      throw e;
    }
  }
}

export async function openBooks(file: string, options: OpenOptions = {}): Promise<Books> {
  const exists = fs.existsSync(file);
  if (!exists && !options.create) {
    throw new BooksFileError('not_found', file, `No books file at ${file}.`);
  }
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]!.version;
  let inspection: Inspection = { empty: true, version: 0 };
  if (exists) inspection = inspectBooksFile(file, { nativeBinding: options.nativeBinding, latest });
  else fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });

  let migratedFrom: Books['migratedFrom'] = null;
  if (!inspection.empty && inspection.version < latest) {
    const backup = `${file}.before-v${latest}-${Date.now()}.bak`;
    const src = new Sqlite(file, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
    try {
      await src.backup(backup);
    } finally {
      src.close();
    }
    migratedFrom = { version: inspection.version, backup };
  }

  const raw = new Sqlite(file, { nativeBinding: options.nativeBinding });
  try {
    // 16 KiB pages for new books: a batch's random index inserts dirty far fewer pages than with 4 KiB
    // (measured: raw inserts into the transfers table 79k/s → 108k/s at a million rows).
    if (inspection.empty) raw.pragma('page_size = 16384');
    applyPragmas(raw, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    migrate(raw, migrations, inspection.version, Date.now());
    installSealCapture(raw);
  } catch (e) {
    raw.close();
    throw e;
  }
  let reader: RawDb | null;
  try {
    reader = openReader(file, options.nativeBinding, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  } catch (e) {
    raw.close();
    throw e;
  }
  const books = wrap(file, raw, migratedFrom, reader);
  if (inspection.version < latest) await sealAfterMigrating(books, inspection.version, latest);
  return books;
}

/**
 * New or upgraded books: every row is sealed under one audit entry, so that verify can tell from now
 * on what Coffer wrote. (What a migration rewrote is sealed as it now stands.)
 */
async function sealAfterMigrating(books: Books, from: number, to: number): Promise<void> {
  await inWriteTx(books, (tx) => {
    if (markAllForSealing(books.raw)) sealLeftovers(tx, Date.now(), from === 0 ? 'new books' : `upgraded from version ${from} to ${to}`);
  });
}

/** A connection's caches of prepared statements: SQLite's own, and each answering as a promise. */
export function statementsOf(raw: RawDb): Pick<Queryable, 'sql' | 'prepare'> & { clear(): void } {
  const statements = new Map<string, SqliteStatement>();
  const asyncStatements = new Map<string, Statement>();
  const prepare = (text: string) => {
    let s = statements.get(text);
    if (!s) {
      s = raw.prepare(text);
      statements.set(text, s);
    }
    return s;
  };
  return {
    prepare,
    sql(text: string) {
      let s = asyncStatements.get(text);
      if (!s) {
        s = asyncStatement(prepare(text));
        asyncStatements.set(text, s);
      }
      return s;
    },
    clear() {
      statements.clear();
      asyncStatements.clear();
    },
  };
}

/** A connection's query builder and its cache of prepared statements. */
export function queryable(raw: RawDb): Queryable & { destroy(): Promise<void> } {
  const { sql, prepare, clear } = statementsOf(raw);
  return {
    db: builderOn('sqlite', sql),
    sql,
    prepare,
    async destroy() {
      clear();
      if (raw.open) raw.close();
    },
  };
}

/** A read-only connection of its own over a books file on disk: a scan's, on its worker thread (api/scans.ts). */
export function openReadOnlyBooks(file: string, nativeBinding?: string): Queryable & { destroy(): Promise<void> } {
  const raw = openReader(file, nativeBinding, DEFAULT_BUSY_TIMEOUT_MS);
  if (!raw) throw new BooksFileError('not_found', file, `${file} is not a books file on disk.`);
  return queryable(raw);
}

/** The read-only connection reads go through (WAL: each statement sees the last commit). */
function openReader(file: string, nativeBinding: string | undefined, busyTimeoutMs: number): RawDb | null {
  if (file === '' || file === ':memory:' || file.startsWith('file::memory:')) return null; // one connection is all there is
  const reader = new Sqlite(file, { readonly: true, fileMustExist: true, nativeBinding });
  reader.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  reader.pragma('trusted_schema = OFF');
  reader.pragma('temp_store = MEMORY');
  reader.pragma('cache_size = -32768');
  return reader;
}

function wrap(file: string, raw: RawDb, migratedFrom: Books['migratedFrom'], readerRaw: RawDb | null): Books {
  const writer = queryable(raw);
  const reader = readerRaw ? queryable(readerRaw) : writer;
  return {
    engine: 'sqlite',
    path: file,
    raw,
    db: writer.db,
    sql: writer.sql,
    prepare: writer.prepare,
    reader: { db: reader.db, sql: reader.sql, prepare: reader.prepare },
    schemaVersion: raw.pragma('user_version', { simple: true }) as number,
    migratedFrom,
    async close() {
      closeAnchor(file);
      if (reader !== writer) await reader.destroy();
      await writer.destroy();
    },
  };
}
