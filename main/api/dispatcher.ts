// The dispatcher: validate → authorise → run (in a transaction, or as a job) → {ok, data} | {ok, error}.
// Electron's IPC, the browser bridge in end-to-end tests, and tests call this same object.
import { z } from 'zod';
import type { Books } from '../db/books';
import { openBooks, type OpenOptions } from '../db/books';
import { BooksFileError } from '../db/errors';
import { asJob, booksBusy, inWriteTx } from '../db/tx';
import { CofferError, type ApiErrorBody, type ApiResult } from '../domain/errors';
import { refuse } from '../domain/refusals';
import type { Actor } from '../services/actor';
import { contract, type ApiState, type MethodDef } from './contract';
import { FileChoices } from './file-choices';
import { settingAt } from '../services/settings';
import { JobRunner, type EmitEvent } from './jobs';
import type { Ports } from './ports';
import { SessionStore, type Session } from './sessions';

export function toErrorBody(e: unknown, books?: Books): ApiErrorBody {
  if (e instanceof CofferError) return { code: e.code, message: e.message, details: e.details };
  if (e instanceof BooksFileError) return { code: 'BOOKS', message: e.message, details: { problem: e.problem, path: e.path } };
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT')) {
    return { code: 'CONFLICT', message: `refused by the books' rules: ${String(err.message)}`, details: { sqlite: err.code } };
  }
  if (err?.code === 'SQLITE_BUSY' && books) return toErrorBody(booksBusy(books.path));
  if (typeof err?.code === 'string' && (err.code === 'SQLITE_FULL' || err.code === 'SQLITE_IOERR')) {
    return {
      code: 'BOOKS',
      message: `the books file could not be written (${err.code}); nothing was saved`,
      details: { sqlite: err.code },
    };
  }
  return { code: 'INTERNAL', message: `unexpected error: ${String(err?.message ?? e)}`, details: {} };
}

function validationError(method: string, error: z.ZodError): CofferError {
  const issues = error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message }));
  const first = issues[0]!;
  return new CofferError('VALIDATION', `${method}: ${first.field}: ${first.message}`, { issues });
}

export interface DispatcherOptions {
  books: Books;
  ports: Ports;
  emit?: EmitEvent;
  openOptions?: OpenOptions;
}

export class Dispatcher implements ApiState {
  books: Books;
  readonly sessions: SessionStore;
  readonly ports: Ports;
  readonly jobs: JobRunner;
  readonly files = new FileChoices();
  private readonly openOptions: OpenOptions;

  constructor(o: DispatcherOptions) {
    this.books = o.books;
    this.ports = o.ports;
    this.sessions = new SessionStore(o.ports.clock);
    this.jobs = new JobRunner(o.emit ?? (() => {}));
    this.openOptions = o.openOptions ?? {};
  }

  async reopenBooks(swap: (path: string) => Promise<void>): Promise<Books> {
    const path = this.books.path;
    await this.jobs.settle();
    await this.books.close();
    try {
      await swap(path);
    } finally {
      this.books = await openBooks(path, this.openOptions);
    }
    return this.books;
  }

  async dispatch(clientId: string, method: string, input: unknown): Promise<ApiResult<unknown>> {
    try {
      return { ok: true, data: await this.run(clientId, method, input) };
    } catch (e) {
      return { ok: false, error: toErrorBody(e, this.books) };
    }
  }

  private authorise(clientId: string, method: string, def: MethodDef): Session | null {
    this.sessions.idleMinutes = settingAt(this.books, 'session.idleMinutes', this.ports.clock());
    const found = this.sessions.get(clientId);
    const session = 'session' in found ? found.session : null;
    if (def.roles === 'public') return session;
    if (!session) {
      const idle = 'ended' in found && found.ended === 'idle';
      throw new CofferError(
        'UNAUTHENTICATED',
        idle ? `your session ended after ${this.sessions.idleMinutes} minutes without use; log in again` : 'log in first',
        { reason: idle ? 'idle' : 'none' },
      );
    }
    if (session.locked && !def.whileLocked)
      throw new CofferError('LOCKED', 'the console is locked; unlock it with your password', { reason: 'screen_locked' });
    if (session.mustChangePassword && !def.beforePasswordChange)
      throw refuse('FORBIDDEN', 'password_change_required', { user: session.username });
    if (def.roles !== 'session' && !def.roles.includes(session.role)) {
      throw refuse(
        'FORBIDDEN',
        'role_forbidden',
        { method, role: session.role, allowed: def.roles.join(', ') },
        { role: session.role, allowed: def.roles },
      );
    }
    this.sessions.touch(session);
    return session;
  }

  private async run(clientId: string, method: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(contract, method)) throw new CofferError('VALIDATION', `unknown method "${method}"`, { method });
    const def = contract[method as keyof typeof contract] as MethodDef;
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) throw validationError(method, parsed.error);
    const session = this.authorise(clientId, method, def);
    const actor: Actor = session
      ? { staffId: session.staffId, name: session.username, role: session.role }
      : { staffId: null, name: 'anonymous', role: 'system' };
    const base = { api: this as ApiState, clientId, session, actor };

    if (method === 'jobs.cancel') {
      const { jobId } = parsed.data as { jobId: string };
      if (!this.jobs.cancel(clientId, jobId)) throw new CofferError('NOT_FOUND', `no running job ${jobId} of yours`, { field: 'jobId' });
      return { cancelling: jobId };
    }
    switch (def.kind) {
      case 'read':
        return def.run({ ...base, q: this.books }, parsed.data);
      case 'write':
        return inWriteTx(this.books, (tx) => def.run({ ...base, tx }, parsed.data));
      case 'control':
        return def.run(base, parsed.data);
      case 'job': {
        const books = this.books;
        return this.jobs.start(
          clientId,
          method,
          (job) => asJob(method, () => Promise.resolve(def.run({ ...base, books, job }, parsed.data))),
          (e) => toErrorBody(e, books),
        );
      }
    }
  }
}
