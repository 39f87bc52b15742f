// Temporary books and a dispatcher over them, for tests. Every file lives under the OS temp folder and
// is removed by cleanup(). With COFFER_TEST_ENGINE=postgres (vitest.postgres.config.ts) the books of
// testApi and testBooks are a throwaway schema in the test database instead, made from the same
// migration list, behind the same dispatcher.
import { booksFile, type AnyBooks } from '../../main/db/tx';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBooks, type Books, type Queryable } from '../../main/db/books';
import { anchorPathFor } from '../../main/db/anchor';
import { keyPathFor } from '../../main/db/books-key';
import { Dispatcher } from '../../main/api/dispatcher';
import type { JobEvent } from '../../main/api/jobs';
import type { Dialogs } from '../../main/api/ports';
import type { JobMethodName, MethodInput, MethodName, MethodOutput } from '../../main/api/contract';
import { createPostgresBooks } from '../../main/db/postgres/books';
import { openPostgresBooks } from '../../main/db/postgres/open';
import { addStaff } from './staff';
import { freshSchema } from './postgres';

/** The suites run on PostgreSQL books (the PostgreSQL pass of scripts/test-all.sh). */
export const ON_POSTGRES = process.env.COFFER_TEST_ENGINE === 'postgres';
export type Engine = 'sqlite' | 'postgres';
const ENGINE: Engine = ON_POSTGRES ? 'postgres' : 'sqlite';

export function tempDir(prefix = 'coffer-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies a closed books file with its key and anchor beside it, as one moves books to another folder. */
export function copyBooksFile(from: string, to: string): void {
  fs.copyFileSync(from, to);
  for (const side of [keyPathFor, anchorPathFor]) if (fs.existsSync(side(from))) fs.copyFileSync(side(from), side(to));
}

export async function tempBooks(dir = tempDir()): Promise<Books> {
  return openBooks(path.join(dir, 'test.books.sqlite'), { create: true });
}

/** Books a test opens and removes, and a second connection to them (another process's view). */
export interface TestBooks {
  books: AnyBooks;
  /** Where verify reads the books' side files: the file on SQLite, none on PostgreSQL. */
  file: string | undefined;
  reopen(): Promise<AnyBooks>;
  /** Closes `books` (not what reopen opened) and removes the books. */
  remove(): Promise<void>;
}

/** New books of the engine the suites run on: a file in `dir` named `name`, or a throwaway schema. */
export async function testBooks(dir: string, name = 'test.books.sqlite', engine = ENGINE): Promise<TestBooks> {
  if (engine === 'postgres') {
    const schema = await freshSchema();
    await createPostgresBooks(schema.url);
    const books = await openPostgresBooks(schema.url);
    return { books, file: undefined, reopen: () => openPostgresBooks(schema.url), remove: () => books.close().then(schema.drop) };
  }
  const file = path.join(dir, name);
  const books = await openBooks(file, { create: true });
  const remove = async () => {
    await books.close();
    for (const side of ['', '-wal', '-shm']) fs.rmSync(file + side, { force: true });
  };
  return { books, file, reopen: () => openBooks(file), remove };
}

/** testBooks in a temp folder of their own (`dir`, for the test's other files too); remove() removes the folder as well. */
export interface ScratchBooks extends TestBooks {
  dir: string;
}

/** New books of the engine the suites run on, named `name` in a new temp folder whose name starts with `prefix`. */
export async function scratchBooks(prefix?: string, name?: string): Promise<ScratchBooks> {
  const dir = tempDir(prefix);
  const made = await testBooks(dir, name);
  const remove = async () => {
    await made.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { ...made, dir, remove };
}

/**
 * The first value of the first row `text` reads from books of either engine (undefined: no row). Integers
 * as numbers even where a service asked the same cached statement for bigints (ties.ts's balances do).
 */
export async function firstValue<T = number>(books: Queryable, text: string, ...params: unknown[]): Promise<T> {
  const row = (await books
    .sql(text)
    .safeIntegers(false)
    .get(...params)) as Record<string, T> | undefined;
  return Object.values(row ?? {})[0] as T;
}

/**
 * Whether a read snapshot taken before the books' last commit is still open: on a file, a passive
 * checkpoint cannot copy the frames written past it back into the books (the write-ahead log grows for
 * as long as it stays open); on PostgreSQL, a connection of the pool is still lent out.
 */
export function olderSnapshotOpen(books: AnyBooks): boolean {
  if (books.engine === 'postgres') return books.pool.totalCount > books.pool.idleCount;
  const [wal] = books.raw.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
  return wal!.checkpointed < wal!.log;
}

/** Dialogs that answer with paths the test sets (null = the user cancelled). */
export function stubDialogs(dir: string): Dialogs & { nextSave: string | null; nextOpen: string | null; asked: ('save' | 'open')[] } {
  const d = {
    nextSave: null as string | null,
    nextOpen: null as string | null,
    /** Each dialog shown, in order: a test can tell whether the user was asked for a file at all. */
    asked: [] as ('save' | 'open')[],
    async saveFile(o: { defaultName: string }) {
      d.asked.push('save');
      return d.nextSave ?? path.join(dir, o.defaultName);
    },
    async openFile() {
      d.asked.push('open');
      return d.nextOpen;
    },
  };
  return d;
}

/** What a call answers, as the contract types it: a job method's id, or the method's output. */
export type CallData<M extends MethodName> = M extends JobMethodName ? { jobId: string } : MethodOutput<M>;

/** A call by client id, typed by the contract. */
export type Call = <M extends MethodName>(clientId: string, method: M, input?: MethodInput<M>) => Promise<CallData<M>>;
/** A call whose method name or input the test makes up on purpose (bad input, unknown methods): the
 *  dispatcher's schemas and lists judge it. Answers what the dispatcher answers, untyped. */
export type Send = (clientId: string, method: string, input: unknown) => Promise<unknown>;

/** Calls a dispatcher as a client: the data, or an Error carrying the error's code and details. */
export function dispatcherCalls(dispatcher: { dispatch: Dispatcher['dispatch'] }): { call: Call; send: Send } {
  const send: Send = async (clientId, method, input) => {
    const r = await dispatcher.dispatch(clientId, method, input);
    if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code, details: r.error.details });
    return r.data;
  };
  // The data of a method whose input its schema accepted: what its run returned.
  const call = (<M extends MethodName>(clientId: string, method: M, input?: MethodInput<M>) =>
    send(clientId, method, input ?? {}) as Promise<CallData<M>>) as Call;
  return { call, send };
}

/** Starting a job and waiting for its outcome among the events the dispatcher emitted. */
export function jobCalls(dispatcher: Dispatcher, emitted: () => readonly JobEvent[]): Pick<TestApi, 'sendJob' | 'runJob'> {
  const { send } = dispatcherCalls(dispatcher);
  const sendJob = async (clientId: string, method: string, input: unknown): Promise<unknown> => {
    const { jobId } = (await send(clientId, method, input)) as { jobId: string };
    await dispatcher.jobs.settle(jobId);
    for (let i = 0; i < 100; i++) {
      const end = emitted().find((e) => e.jobId === jobId && (e.type === 'job.done' || e.type === 'job.failed'));
      if (end?.type === 'job.done') return end.result;
      if (end?.type === 'job.failed')
        throw Object.assign(new Error(`${end.error.code}: ${end.error.message}`), { code: end.error.code, details: end.error.details });
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`job ${jobId} did not finish`);
  };
  return {
    sendJob,
    // A job whose input its schema accepted: the result is what its run returned.
    runJob: <M extends JobMethodName>(clientId: string, method: M, input?: MethodInput<M>) =>
      sendJob(clientId, method, input ?? {}) as Promise<MethodOutput<M>>,
  };
}

export interface TestApi {
  dir: string;
  /** The books file: SQLite's own handles (raw, path); refused (books_file_needed) on PostgreSQL. */
  books: Books;
  /** The books on the engine the suites run on: what a test or fixture reads through `sql` and writes through inWriteTx. */
  anyBooks: AnyBooks;
  dispatcher: Dispatcher;
  dialogs: ReturnType<typeof stubDialogs>;
  events: JobEvent[];
  clock: { now: number };
  /** Calls a method as a client and returns its data (a job method: its id), typed by the contract, or
   *  throws with the error code and message. */
  call: Call;
  /** `call` for input made wrong on purpose (validation and refusal tests): untyped. */
  send: Send;
  /** Starts a job method and waits for its outcome event: the job's result, typed by the contract. */
  runJob<M extends JobMethodName>(clientId: string, method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  /** `runJob` for input made wrong on purpose, as `send`. */
  sendJob(clientId: string, method: string, input: unknown): Promise<unknown>;
  cleanup(): Promise<void>;
}

export const PASSWORD = 'correct horse 9';

export async function testApi(engine = ENGINE): Promise<TestApi> {
  const dir = tempDir();
  const { books, remove } = await testBooks(dir, undefined, engine);
  const dialogs = stubDialogs(dir);
  const events: JobEvent[] = [];
  const clock = { now: Date.now() };
  const dispatcher = new Dispatcher({ books, ports: { dialogs, clock: () => clock.now }, emit: (_c, e) => events.push(e) });
  const { call, send } = dispatcherCalls(dispatcher);
  const { sendJob, runJob } = jobCalls(dispatcher, () => events);
  return {
    dir,
    get books() {
      return booksFile(dispatcher.books, 'test'); // these tests' books are files
    },
    get anyBooks() {
      return dispatcher.books;
    },
    dispatcher,
    dialogs,
    events,
    clock,
    call,
    send,
    sendJob,
    runJob,
    async cleanup() {
      await (dispatcher.books === books ? remove() : dispatcher.books.close()); // a restore reopens the file
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A books file with the first admin and one user of each other role, each logged in as client `role`. */
export async function staffedApi(engine = ENGINE): Promise<TestApi> {
  const t = await testApi(engine);
  await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
  for (const role of ['clerk', 'approver', 'auditor'] as const) {
    await addStaff(t.call, { username: role, role });
  }
  return t;
}
