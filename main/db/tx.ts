// Write transactions. Every state change runs inside one IMMEDIATE transaction on the books' writer
// connection (one at a time: each waits its turn, inTurn below, so no other write interleaves);
// any throw rolls the whole thing back, including the audit row written with it. The API's read
// methods go through the books' read-only connection (Books.reader) and never see an open one's rows.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import { refuse } from '../domain/refusals';
import type { Books, Queryable } from './books';
import { anchorable, writeAnchor } from './anchor';
import { booksIdOf, signingKey } from './books-key';
import { auditHead, closeSealWindow, followSavepoint, openSealWindow, sealLeftovers } from './seals';
import type { PostgresBooks } from './postgres/open';
import { inPostgresSnapshot, inPostgresWriteTx } from './postgres/tx';
import { forgetAppendedHead } from './postgres/seals';

// The long job (a statement or event import, a backup …) whose write transaction holds the books'
// write lock is noted in a small file beside the books, so that another process refused by that lock
// can say which job it waits for. A row in the books would not do: written inside the transaction,
// no other connection sees it until the lock is gone.
const currentJob = new AsyncLocalStorage<string>();

/** Runs `work` as the named job: write transactions it opens are noted beside the books. */
export function asJob<T>(job: string, work: () => T): T {
  return currentJob.run(job, work);
}

const noteFile = (books: Books) => `${books.path}-job`;

function noteJob(books: Books, job: string): boolean {
  try {
    fs.writeFileSync(noteFile(books), JSON.stringify({ job, pid: process.pid, since: Date.now() }));
    return true;
  } catch {
    return false; // a read-only folder: the lock still works, only the name is not told
  }
}

function clearJob(books: Books): void {
  try {
    fs.unlinkSync(noteFile(books));
  } catch {
    // already gone
  }
}

/** The job another process noted while holding the write lock, or "another program". */
export function busyWith(path: string): string {
  try {
    const n = JSON.parse(fs.readFileSync(`${path}-job`, 'utf8')) as { job?: unknown; pid?: unknown };
    if (typeof n.job !== 'string' || typeof n.pid !== 'number' || n.pid === process.pid) return 'another program';
    process.kill(n.pid, 0); // throws when that process is gone (a note left by a crash)
    return n.job.slice(0, 80);
  } catch {
    return 'another program';
  }
}

const isBusy = (e: unknown) =>
  (e as { code?: unknown })?.code === 'SQLITE_BUSY' || (e as { code?: unknown })?.code === 'SQLITE_BUSY_SNAPSHOT';

/** A write refused because another process holds the lock: a coded "busy with <job>; try again". */
export function booksBusy(path: string) {
  return refuse('CONFLICT', 'books_busy', { job: busyWith(path) }, { retry: true });
}

/** Books opened for reading only (the CLI's offline reader): a write transaction would be refused. */
export function booksReadOnly(books: AnyBooks): boolean {
  return books.engine === 'postgres' ? books.readOnly : books.raw.readonly;
}

declare const inTx: unique symbol;

/** Books on either engine: a SQLite file, or a PostgreSQL schema. */
export type AnyBooks = Books | PostgresBooks;

/**
 * The books as a file, for what only a file has (a backup, a restore, the anchor and key beside it, the
 * read-only connection): books on PostgreSQL are refused, naming `coffer books copy` that makes a file.
 */
export function booksFile(books: AnyBooks, command: string): Books {
  if (books.engine === 'postgres') throw refuse('VALIDATION', 'books_file_needed', { command }, { books: books.path });
  return books;
}

/** A write transaction: the same shape as the books, bound to the connection that holds the transaction. */
export interface Tx extends Queryable {
  readonly [inTx]: true;
  readonly books: AnyBooks;
}

// How many rollbacks (whole or to a savepoint) each books connection has seen: state kept in memory
// beside the books (the ledger's balance cache) is only good while this has not moved.
const rollbacks = new WeakMap<AnyBooks, number>();

export function rollbackCount(books: AnyBooks): number {
  return rollbacks.get(books) ?? 0;
}

/** `from`: the number of the savepoint rolled back to (inSavepoint numbers them), 0 for the whole transaction. */
function noteRollback(books: AnyBooks, from: number): void {
  rollbacks.set(books, rollbackCount(books) + 1);
  for (const memo of memos.get(books) ?? []) memo.forget(from);
}

let savepointSeq = 0;

// Per books: on PostgreSQL, transactions running at once share them, and a rollback in one makes the
// others forget too (a lookup more, never a stale one).
const memos = new WeakMap<AnyBooks, Set<TxMemo<unknown, unknown>>>();

/**
 * Lookups remembered while a write transaction runs, kept right across rollbacks: an entry put after a
 * savepoint opened is forgotten when that savepoint rolls back (the rows it was read from may be gone
 * with it); one put before the savepoint stays, since the rollback takes the books back to what they
 * were when it opened, when the entry already held. So one refused event of an import no longer costs
 * every lookup remembered before it. The holder keeps entries true across its own writes (delete or
 * clear on a change) and calls release() when done.
 */
export class TxMemo<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();
  // keys in the order they were put (at never decreases along it), to forget the latest ones quickly
  private readonly order: { key: K; at: number }[] = [];

  constructor(private readonly books: AnyBooks) {
    let set = memos.get(books);
    if (!set) memos.set(books, (set = new Set()));
    set.add(this as TxMemo<unknown, unknown>);
  }

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V): void {
    const at = savepointSeq; // savepoints numbered up to this one were open before the entry was put
    this.entries.set(key, { value, at });
    this.order.push({ key, at });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.order.length = 0;
  }

  /** Forgets what was put since savepoint `from` opened (it was just rolled back). */
  forget(from: number): void {
    while (this.order.length > 0 && this.order[this.order.length - 1]!.at >= from) {
      const { key } = this.order.pop()!;
      if ((this.entries.get(key)?.at ?? -1) >= from) this.entries.delete(key);
    }
  }

  release(): void {
    memos.get(this.books)?.delete(this as TxMemo<unknown, unknown>);
  }
}

// One write transaction at a time on a books file's writer connection: a job's stays open while it yields,
// and another waits its turn rather than writing into it.
const writeTurns = new WeakMap<object, Promise<void>>();

/** Runs `work` when the turns taken before it on `key` are over. */
async function inTurn<T>(turns: WeakMap<object, Promise<void>>, key: object, work: () => Promise<T>): Promise<T> {
  const before = turns.get(key) ?? Promise.resolve();
  let done!: () => void;
  const turn = new Promise<void>((resolve) => (done = resolve));
  turns.set(
    key,
    before.then(() => turn),
  );
  await before;
  try {
    return await work();
  } finally {
    done();
  }
}

export async function inWriteTx<T>(books: AnyBooks, work: (tx: Tx) => Promise<T> | T): Promise<T> {
  if (books.engine === 'postgres')
    return inPostgresWriteTx(
      books,
      async (q) => work({ ...q, books } as Tx),
      () => noteRollback(books, 0),
    );
  return inTurn(writeTurns, books, async () => {
    try {
      books.raw.exec('BEGIN IMMEDIATE'); // waits up to the busy timeout for another process's lock
    } catch (e) {
      if (isBusy(e)) throw booksBusy(books.path);
      throw e;
    }
    const job = currentJob.getStore();
    const noted = job !== undefined && noteJob(books, job);
    try {
      const tx = { db: books.db, sql: books.sql, prepare: books.prepare, books } as unknown as Tx;
      openSealWindow(tx);
      const headBefore = auditHead(tx);
      const result = await work(tx);
      const afterCommit = beforeCommit(tx, books, headBefore);
      books.raw.exec('COMMIT');
      afterCommit?.();
      return result;
    } catch (e) {
      noteRollback(books, 0);
      if (books.raw.inTransaction) books.raw.exec('ROLLBACK');
      if (isBusy(e)) throw booksBusy(books.path);
      throw e;
    } finally {
      closeSealWindow(books);
      if (noted) clearJob(books);
    }
  });
}

// One read at a time on the reader connection, each in a read transaction of its own.
const readTurns = new WeakMap<object, Promise<void>>();

/**
 * A read that sees one committed state of the books: its statements run in a read transaction on the
 * books' read-only connection, so a write committed while it waits between them is not half seen.
 * Reads take turns on that connection (as they did when each ran at once). In-memory books have one
 * connection, shared with the writer: there the read runs as it is.
 */
export async function inReadSnapshot<T>(books: AnyBooks, work: (q: Queryable) => Promise<T>): Promise<T> {
  if (books.engine === 'postgres') return inPostgresSnapshot(books, work);
  const q = books.reader;
  if (q.db === books.db) return work(q);
  return inTurn(readTurns, q, async () => {
    q.prepare('BEGIN').run();
    try {
      return await work(q);
    } finally {
      q.prepare('COMMIT').run();
    }
  });
}

// The books key signs the anchor; looked up (or made) once per open books.
const keys = new WeakMap<Books, Buffer | null>();

function booksKey(tx: Tx, books: Books): Buffer | null {
  if (!keys.has(books)) {
    keys.set(books, signingKey(tx, books.path)); // null: the anchor is written unsigned
  }
  return keys.get(books)!;
}

/**
 * The last step of every write: rows written after the action's audit entry are sealed under one of
 * their own, and when the chain's head moved, the anchor beside the books takes the new head as
 * pending — before COMMIT, so that the books are never ahead of their anchor (db/anchor.ts). Returns
 * what to write once the commit is done.
 */
function beforeCommit(tx: Tx, books: Books, headBefore: { seq: number; hash: string }, now = Date.now()): (() => void) | null {
  sealLeftovers(tx, now, 'written after the action was recorded');
  if (!anchorable(books.path)) return null;
  const head = auditHead(tx);
  if (head.seq === headBefore.seq && head.hash === headBefore.hash) return null;
  const booksId = booksIdOf(tx);
  if (!booksId) return null; // books kept before migration 16
  const key = booksKey(tx, books);
  const anchor = { booksId, head, prev: headBefore, at: now };
  writeAnchor(books.path, { ...anchor, pending: true }, key);
  return () => writeAnchor(books.path, { ...anchor, pending: false }, key, false);
}

/** Lookups a service remembers in `held` for `tx` (a TxMemo) until the returned function is called. */
export function holdMemo<K, V>(held: WeakMap<Queryable, TxMemo<K, V>>, tx: Tx): () => void {
  const memo = new TxMemo<K, V>(tx.books);
  held.set(tx, memo);
  return () => {
    held.delete(tx);
    memo.release();
  };
}

/**
 * One item of a bulk action: its writes stand or fall alone inside the surrounding transaction. The
 * transaction holds the writer's connection for its turn (inTurn), so no other work comes onto it
 * while the item awaits.
 */
export async function inSavepoint<T>(tx: Tx, work: () => Promise<T> | T): Promise<T> {
  const seq = ++savepointSeq;
  const name = `item_${seq}`;
  await txControl(tx, `SAVEPOINT ${name}`);
  try {
    const result = await work();
    await txControl(tx, `RELEASE ${name}`);
    return result;
  } catch (e) {
    noteRollback(tx.books, seq);
    await txControl(tx, `ROLLBACK TO ${name}`);
    await txControl(tx, `RELEASE ${name}`);
    throw e;
  }
}

/**
 * A savepoint's statement on the transaction's connection. On SQLite, exec: a prepared statement per
 * savepoint name would fill the statement cache, and exec is the cheaper (measured).
 */
export async function txControl(tx: Tx, statement: string): Promise<void> {
  if (tx.books.engine === 'sqlite') {
    tx.books.raw.exec(statement);
    return followSavepoint(tx, statement);
  }
  await tx.sql(statement).run();
  if (statement.startsWith('ROLLBACK TO')) forgetAppendedHead(tx);
}

/**
 * Holds a gapless series (a year's counter numbers …) for the rest of the transaction, so that the next
 * number is read and taken by one transaction at a time. SQLite's one writer already does; on
 * PostgreSQL a transaction-long advisory lock on the series' name.
 */
export async function lockSeries(tx: Tx, series: string): Promise<void> {
  if (tx.books.engine === 'postgres') await tx.sql('SELECT pg_advisory_xact_lock(hashtext(?))').get(series);
}

/**
 * Holds a row until the transaction ends, before what is left of it (a line's unallocated money, a
 * request's uncovered amount) is read and changed: SQLite's one writer already does; on PostgreSQL,
 * where writers run side by side, SELECT … FOR UPDATE (a bank line before a request, as a run writes them).
 */
export async function lockRow(tx: Tx, table: 'bank_lines' | 'recharge_requests', id: number): Promise<void> {
  if (tx.books.engine === 'postgres') await tx.sql(`SELECT id FROM ${table} WHERE id = ? FOR UPDATE`).get(id);
}

/** The id a new row of `table` takes, drawn now: on PostgreSQL from its identity sequence; on SQLite by `last` + 1 (one writer). */
export async function drawRowId(tx: Tx, table: string, last: () => Promise<number | null>): Promise<number> {
  if (tx.books.engine === 'postgres')
    return Number(((await tx.sql(`SELECT nextval(pg_get_serial_sequence('${table}', 'id')) AS id`).get()) as { id: number }).id);
  return ((await last()) ?? 0) + 1;
}
