// How the CLI reaches the books. Every command goes through the same Dispatcher the console uses (one
// border: input schemas, role lists, services), in one of two ways:
//  - named (`--as USER`, password on stdin): the books are opened for writing and USER logs in with
//    `session.login` exactly as at the console (failed attempts count towards the lockout, the login is
//    audited); the role check of each method then applies to USER's role.
//  - offline reader (no `--as`, read-only commands only): the file is checked without writing
//    (inspectBooksFile) and opened with SQLITE_OPEN_READONLY, then used with the auditor's rights
//    (the brief: auditors read everything). The connection cannot write, so the command cannot change
//    the books even by mistake, and a file that is refused is never touched.
// What the user typed after --db (or serve's --books) is a books file or a postgres:// URL (openBooksAt):
// books on PostgreSQL are opened the same two ways, the reader's transactions READ ONLY.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Dispatcher } from '../api/dispatcher';
import type { JobEvent } from '../api/jobs';
import type { Dialogs } from '../api/ports';
import type { JobMethodName, MethodInput, MethodName, MethodOutput } from '../api/contract';
import { inspectBooksFile, openBooks, queryable, type Books } from '../db/books';
import { isPostgresUrl } from '../db/postgres/books';
import { openPostgresBooks, shownUrl } from '../db/postgres/open';
import type { AnyBooks } from '../db/tx';
import { asRefusal } from './books-copy';
import { BooksFileError } from '../db/errors';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { type ApiErrorBody } from '../domain/errors';
import { refuse } from '../domain/refusals';

export const CLI_CLIENT = 'cli';

/** A refusal by the books or the API: printed as `CODE: message`, exit code 1. */
export class Refused extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

/** Opens an existing Coffer books file without any possibility of writing to it. */
export function openBooksReadOnly(file: string): Books {
  if (!fs.existsSync(file)) throw new BooksFileError('not_found', file, `No books file at ${file}.`);
  if (!fs.statSync(file).isFile()) throw new BooksFileError('not_a_books_file', file, `${file} is not a file.`);
  const inspection = inspectBooksFile(file);
  if (inspection.empty) {
    throw new BooksFileError(
      'not_a_books_file',
      file,
      `${file} is empty: it is not a Coffer books file (create books with \`coffer init\`).`,
    );
  }
  if (inspection.version < LATEST_SCHEMA_VERSION) {
    throw refuse(
      'BOOKS',
      'books_version_old',
      { file, version: String(inspection.version), latest: String(LATEST_SCHEMA_VERSION) },
      { path: file },
    );
  }
  const raw = new Sqlite(file, { readonly: true, fileMustExist: true });
  raw.pragma('busy_timeout = 5000');
  raw.pragma('trusted_schema = OFF');
  // One read-only connection serves as both: a write throws.
  const q = queryable(raw);
  return {
    engine: 'sqlite',
    path: file,
    raw,
    reader: q,
    db: q.db,
    sql: q.sql,
    prepare: q.prepare,
    schemaVersion: inspection.version,
    migratedFrom: null,
    close: () => q.destroy(),
  };
}

/**
 * The books the user named: a postgres:// or postgresql:// URL opens books on PostgreSQL (read: every
 * transaction READ ONLY), anything else is a books file (read: opened read-only; write: as the console does).
 */
export async function openBooksAt(target: string, mode: 'read' | 'write'): Promise<AnyBooks> {
  if (isPostgresUrl(target))
    return openPostgresBooks(target, { readOnly: mode === 'read' }).catch((e: unknown) => {
      throw asRefusal(e, shownUrl(target), target, undefined);
    });
  if (mode === 'read') return openBooksReadOnly(target);
  if (!fs.existsSync(target)) throw new BooksFileError('not_found', target, `No books file at ${target}.`);
  return openBooks(target);
}

/** The paths a job method may write to (the --out the user gave, or the one given for a second kind of file,
 *  like --pdf) and the one it may read (the file named). */
function cliDialogs(out: (ext: string | undefined) => string | null, open: () => string | null): Dialogs {
  return {
    async saveFile(o) {
      return out(o.filters[0]?.extensions[0]);
    },
    async openFile() {
      return open();
    },
  };
}

/** What a call answers: a job method's id, or the method's output. */
type CallData<M extends MethodName> = M extends JobMethodName ? { jobId: string } : MethodOutput<M>;

export interface CliApi {
  readonly dispatcher: Dispatcher;
  /** Where job methods write (the dialogs answer with this). */
  out: string | null;
  /** Where a job writes a second kind of file, by extension (the month-end pack's --pdf). */
  outByExt: Record<string, string>;
  /** What job methods read, e.g. an event file (the open dialog answers with this). */
  open: string | null;
  /** Calls a method and returns its data (a job method: its id), typed by the contract, or throws Refused. */
  call<M extends MethodName>(method: M, input?: MethodInput<M>): Promise<CallData<M>>;
  /** Input as the user or a file gave it (a --status word, a voucher file): the method's schema judges it. */
  send<M extends MethodName>(method: M, input: unknown): Promise<CallData<M>>;
  /** Starts a job method and waits for its result, or throws Refused. */
  job<M extends JobMethodName>(method: M, input?: MethodInput<M>): Promise<MethodOutput<M>>;
  /** A job whose input the user or a file gave, as `send`. */
  sendJob<M extends JobMethodName>(method: M, input: unknown): Promise<MethodOutput<M>>;
  close(): Promise<void>;
}

export function cliApi(books: AnyBooks, onProgress?: (e: Extract<JobEvent, { type: 'job.progress' }>) => void): CliApi {
  const events = new Map<string, JobEvent>();
  const api: CliApi = {
    out: null,
    outByExt: {},
    open: null,
    dispatcher: new Dispatcher({
      books,
      scanWorker: null, // a command answers nothing else while it verifies
      ports: {
        clock: Date.now,
        dialogs: cliDialogs(
          (ext) => (ext !== undefined ? api.outByExt[ext] : undefined) ?? api.out,
          () => api.open,
        ),
      },
      emit: (_client, e) => {
        if (e.type === 'job.progress') onProgress?.(e);
        else events.set(e.jobId, e);
      },
    }),
    call: (method, input) => api.send(method, input ?? {}),
    async send<M extends MethodName>(method: M, input: unknown) {
      const r = await api.dispatcher.dispatch(CLI_CLIENT, method, input);
      if (!r.ok) throw new Refused(r.error);
      // What the method's run returned, for an input its schema accepted.
      return r.data as CallData<M>;
    },
    job: (method, input) => api.sendJob(method, input ?? {}),
    async sendJob<M extends JobMethodName>(method: M, input: unknown) {
      const { jobId } = (await api.send(method, input)) as { jobId: string };
      await api.dispatcher.jobs.settle(jobId);
      const end = events.get(jobId);
      if (end?.type === 'job.done') return end.result as MethodOutput<M>;
      if (end?.type === 'job.failed') throw new Refused(end.error);
      throw new Refused({ code: 'INTERNAL', message: `job ${method} ended without a result`, details: {} });
    },
    async close() {
      await api.dispatcher.jobs.settle();
      await api.dispatcher.books.close();
    },
  };
  return api;
}

/** Read-only access with the auditor's rights (no --as). */
export async function offlineReader(target: string, onProgress?: Parameters<typeof cliApi>[1]): Promise<CliApi> {
  return await asNoOne(cliApi(await openBooksAt(target, 'read'), onProgress), '(offline reader)', 'offline reader (no --as)');
}

/** Starts the command's session with the auditor's rights under a name that is no staff user's (no --as). */
async function asNoOne(api: CliApi, username: string, displayName: string): Promise<CliApi> {
  await api.dispatcher.sessions.start(CLI_CLIENT, { staffId: 0, username, displayName, role: 'auditor' });
  return api;
}

/** Opens the books for writing and logs USER in through `session.login`. */
export async function namedUser(
  target: string,
  username: string,
  password: () => Promise<string>,
  onProgress?: Parameters<typeof cliApi>[1],
): Promise<CliApi> {
  const api = cliApi(await openBooksAt(target, 'write'), onProgress);
  try {
    await api.call('session.login', { username, password: await password() });
  } catch (e) {
    await api.close();
    throw e;
  }
  const close = api.close;
  api.close = async () => {
    await api.dispatcher.jobs.settle();
    await api.dispatcher.dispatch(CLI_CLIENT, 'session.logout', {});
    await close();
  };
  return api;
}

/** Same file (after resolving symlinks where they exist)? */
export function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

/**
 * A command that records what it did but names no user (`coffer export vouchers` without --as): the
 * books are opened for writing (migrated first if older, as any writer does) and used with the
 * auditor's rights under the name "(offline, no --as)", which the record and the audit row carry.
 */
export async function offlineRecorder(file: string, onProgress?: Parameters<typeof cliApi>[1]): Promise<CliApi> {
  if (!isPostgresUrl(file)) {
    if (!fs.existsSync(file)) throw new BooksFileError('not_found', file, `No books file at ${file}.`);
    if (!fs.statSync(file).isFile()) throw new BooksFileError('not_a_books_file', file, `${file} is not a file.`);
    if (inspectBooksFile(file).empty)
      throw new BooksFileError(
        'not_a_books_file',
        file,
        `${file} is empty: it is not a Coffer books file (create books with \`coffer init\`).`,
      );
  }
  return await asNoOne(cliApi(await openBooksAt(file, 'write'), onProgress), '(offline, no --as)', 'offline (no --as)');
}
