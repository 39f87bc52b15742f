// The dispatcher: validate → authorise → run (in a transaction, or as a job) → {ok, data} | {ok, error}.
// Electron's IPC, the browser bridge in end-to-end tests, and tests call this same object.
import { openBooks, type Books, type OpenOptions, type Queryable } from '../db/books';
import { inOwnSnapshot } from '../db/own-snapshot';
import { BooksFileError } from '../db/errors';
import { asJob, booksBusy, booksFile, inReadSnapshot, inWriteTx, type AnyBooks } from '../db/tx';
import { CofferError, type ApiErrorBody, type ApiResult } from '../domain/errors';
import { refuse } from '../domain/refusals';
import { inputRefusal, parseInput } from '../domain/input-problems';
import type { Actor } from '../services/actor';
import { contract, type ApiState, type MethodDef } from './contract';
import { checkRole } from './define';
import { FileChoices } from './file-choices';
import { SessionLimits } from './session-limits';
import { JobRunner, type EmitEvent } from './jobs';
import { runScan, ScanFailure, scanWorkerScript, type ScanWorkerScript } from './scans';
import type { Ports } from './ports';
import { SessionStore, type CallMemo, type Session, type SessionShelf } from './sessions';

export function toErrorBody(e: unknown, books?: AnyBooks): ApiErrorBody {
  if (e instanceof CofferError) return { code: e.code, message: e.message, details: e.details };
  if (e instanceof BooksFileError) {
    // The file's own message says more (SQLite's words); the code is what the console translates.
    const params = { path: e.path };
    return { code: 'BOOKS', message: e.message, details: { problem: e.problem, path: e.path, reason: `books_file_${e.problem}`, params } };
  }
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT'))
    return body(refuse('CONFLICT', 'books_rule_refused', { detail: String(err.message) }, { sqlite: err.code }));
  if (err?.code === 'SQLITE_BUSY' && books) return toErrorBody(booksBusy(books.path));
  if (typeof err?.code === 'string' && (err.code === 'SQLITE_FULL' || err.code === 'SQLITE_IOERR'))
    return body(refuse('BOOKS', 'books_write_failed', { sqlite: err.code }, { sqlite: err.code }));
  return body(refuse('INTERNAL', 'unexpected_error', { detail: String(err?.message ?? e) }));
}

const body = (e: CofferError): ApiErrorBody => ({ code: e.code, message: e.message, details: e.details });

export interface DispatcherOptions {
  books: AnyBooks;
  ports: Ports;
  emit?: EmitEvent;
  openOptions?: OpenOptions;
  /**
   * The scan worker's built script beside the bundled entry (api/scans.ts), found from the sources when
   * not given; null runs scans on the calling thread (the command line has nothing else to answer meanwhile).
   */
  scanWorker?: URL | null;
  /** Called with the books a restore reopened (the core fetches their key's keychain copy). */
  onReopen?: (books: Books) => Promise<void>;
  /** Where sessions are kept for other processes too (coffer serve); in memory only without. */
  sessionShelf?: SessionShelf;
  /** Milliseconds on a steady clock, for how fresh the session limits read are (tests move it). */
  elapsed?: () => number;
}

export class Dispatcher implements ApiState {
  books: AnyBooks;
  readonly sessions: SessionStore;
  readonly ports: Ports;
  readonly jobs: JobRunner;
  readonly files = new FileChoices();
  readonly sessionLimits: SessionLimits;
  private readonly openOptions: OpenOptions;
  private readonly scanWorker: ScanWorkerScript | null;
  private readonly onReopen: ((books: Books) => Promise<void>) | undefined;

  constructor(o: DispatcherOptions) {
    this.books = o.books;
    this.ports = o.ports;
    this.sessions = new SessionStore(o.ports.clock, o.sessionShelf);
    this.sessionLimits = new SessionLimits(o.elapsed);
    this.jobs = new JobRunner(o.emit ?? (() => {}));
    this.openOptions = o.openOptions ?? {};
    this.scanWorker = o.scanWorker === null ? null : scanWorkerScript(o.scanWorker);
    this.onReopen = o.onReopen;
  }

  async reopenBooks(swap: (path: string) => Promise<void>): Promise<Books> {
    const path = booksFile(this.books, 'books.restore').path;
    await this.jobs.settle();
    await this.books.close();
    let reopened: Books;
    try {
      await swap(path);
    } finally {
      reopened = await openBooks(path, this.openOptions);
      this.books = reopened;
    }
    await this.onReopen?.(reopened);
    return reopened;
  }

  /** `memo`: the session this call has loaded already (coffer serve's call), none to load it here. */
  async dispatch(clientId: string, method: string, input: unknown, memo?: CallMemo): Promise<ApiResult<unknown>> {
    try {
      return { ok: true, data: await this.run(clientId, method, input, memo) };
    } catch (e) {
      return { ok: false, error: toErrorBody(e, this.books) };
    }
  }

  /**
   * The refusal a call meets before its input is read — an unknown method, no session, a locked screen, a
   * role that may not — or null. `coffer serve` asks this first, so a caller without a session learns
   * nothing of the methods' input schemas.
   */
  async admits(clientId: string, method: string, memo?: CallMemo): Promise<ApiErrorBody | null> {
    try {
      if (!Object.hasOwn(contract, method)) throw refuse('VALIDATION', 'unknown_method', { method }, { method });
      await this.authorise(clientId, method, contract[method as keyof typeof contract] as MethodDef, memo);
      return null;
    } catch (e) {
      return toErrorBody(e, this.books);
    }
  }

  private async authorise(clientId: string, method: string, def: MethodDef, memo?: CallMemo): Promise<Session | null> {
    Object.assign(this.sessions, await this.sessionLimits.at(this.books, this.ports.clock()));
    const found = await this.sessions.get(clientId, memo);
    const session = 'session' in found ? found.session : null;
    if (def.roles === 'public') return session;
    if (!session) {
      if ('ended' in found && found.ended === 'expired') throw refuse('UNAUTHENTICATED', 'session_expired', { hours: String(found.hours) });
      if ('ended' in found && found.ended === 'idle')
        throw refuse('UNAUTHENTICATED', 'session_idle', { minutes: String(this.sessions.idleMinutes) });
      throw refuse('UNAUTHENTICATED', 'not_logged_in', {});
    }
    if (session.locked && !def.whileLocked) throw refuse('LOCKED', 'screen_locked', {});
    if (session.mustChangePassword && !def.beforePasswordChange)
      throw refuse('FORBIDDEN', 'password_change_required', { user: session.username });
    checkRole(method, def.roles, session.role);
    await this.sessions.touch(session);
    return session;
  }

  private async run(clientId: string, method: string, input: unknown, memo?: CallMemo): Promise<unknown> {
    if (!Object.hasOwn(contract, method)) throw refuse('VALIDATION', 'unknown_method', { method }, { method });
    const def = contract[method as keyof typeof contract] as MethodDef;
    const parsed = parseInput(def.input, input ?? {});
    if (!parsed.success) throw inputRefusal(parsed.problems, { prefix: `${method}: ` });
    const session = await this.authorise(clientId, method, def, memo);
    const actor: Actor = session
      ? { staffId: session.staffId, name: session.username, role: session.role }
      : { staffId: null, name: 'anonymous', role: 'system' };
    const base = { api: this as ApiState, clientId, session, actor };

    if (method === 'jobs.cancel') {
      const { jobId } = parsed.data as { jobId: string };
      if (!this.jobs.cancel(clientId, jobId)) throw refuse('NOT_FOUND', 'job_not_found', { jobId: String(jobId) }, { field: 'jobId' });
      return { cancelling: jobId };
    }
    switch (def.kind) {
      case 'read':
        return inReadSnapshot(this.books, async (q) => def.run({ ...base, q }, parsed.data)); // one committed state
      case 'write':
        if (method.startsWith('settings.')) this.sessionLimits.forget(); // read again once this change is decided
        try {
          return await inWriteTx(this.books, (tx) => def.run({ ...base, tx }, parsed.data));
        } finally {
          if (method.startsWith('settings.')) this.sessionLimits.forget();
        }
      case 'control':
        return def.run(base, parsed.data);
      case 'job': {
        const books = this.books;
        const snapshot = <T>(work: (q: Queryable) => Promise<T>) => inOwnSnapshot(books, work, this.openOptions.nativeBinding);
        return this.jobs.start(
          clientId,
          method,
          (job) => asJob(method, () => Promise.resolve(def.run({ ...base, books, job, snapshot }, parsed.data))),
          (e) => toErrorBody(e, books),
        );
      }
      case 'scan': {
        // A scan reads a file on a connection of its own and checks the anchor beside it (scans.ts: PostgreSQL's books, a snapshot).
        const books = this.books;
        const request = { method, input: parsed.data, nativeBinding: this.openOptions.nativeBinding };
        return this.jobs.start(
          clientId,
          method,
          (job) => runScan(books, request, (ctx, input) => def.run(ctx, input), job, this.scanWorker),
          (e) => (e instanceof ScanFailure ? e.body : toErrorBody(e, books)),
        );
      }
    }
  }
}
