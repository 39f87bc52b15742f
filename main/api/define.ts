// The pieces every API method is made of: the contexts handlers receive, the four kinds of method
// (read, write transaction, long job, session control), the role lists from the brief, and the
// input-schema building blocks shared across areas.
import { z } from 'zod';
import type { Books, Queryable } from '../db/books';
import type { AnyBooks, Tx } from '../db/tx';
import { LEDGER_IDS } from '../domain/ledgers';
import type { Actor } from '../services/actor';
import { recordAudit } from '../services/audit';
import type { Role } from '../services/staff';
import type { FileChoices } from './file-choices';
import type { JobControl } from './jobs';
import type { Ports } from './ports';
import type { Session, SessionStore } from './sessions';
import { refuse } from '../domain/refusals';
import { says } from '../domain/input-problems';
import type { AuditAction } from '../domain/audit-actions';

/** What every handler may reach besides its own context. */
export interface ApiState {
  readonly books: AnyBooks;
  readonly sessions: SessionStore;
  readonly ports: Ports;
  /** Closes the books, lets `swap` replace the file, and reopens it (restore). */
  reopenBooks(swap: (path: string) => Promise<void>): Promise<Books>;
  /** Files the user chose in a dialog, handed to the renderer as tokens instead of paths. */
  readonly files: FileChoices;
}

export interface BaseCtx {
  api: ApiState;
  clientId: string;
  session: Session | null;
  actor: Actor;
}
export interface ReadCtx extends BaseCtx {
  q: Queryable;
}
export interface WriteCtx extends BaseCtx {
  tx: Tx;
}
export interface JobCtx extends BaseCtx {
  /** For the job's writes (`inWriteTx`); its reads go through `snapshot`. */
  books: AnyBooks;
  job: JobControl;
  /** Runs reads in one committed state of the books, on a connection of their own (db/own-snapshot.ts). */
  snapshot<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
}
export type ControlCtx = BaseCtx;
/**
 * A scan: a long read (verify) run as a job on a thread of its own, over a read-only connection of its
 * own (api/scans.ts), so the window's reads and cancels are answered while it runs.
 */
export interface ScanCtx {
  q: Queryable;
  booksPath: string;
  progress(done: number, total: number | null, stage?: string): void;
}

/** public: no session needed; session: any logged-in user; or the roles allowed. */
export type RoleSpec = 'public' | 'session' | readonly Role[];

interface Common<S extends z.ZodType> {
  input: S;
  roles: RoleSpec;
  /** Callable while the screen is locked (unlock, logout, status). */
  whileLocked?: boolean;
  /** Callable by a session that logged in with a one-time code and has not yet replaced it. */
  beforePasswordChange?: boolean;
}
/** The context each kind of method's handler receives. */
interface CtxOf {
  read: ReadCtx;
  write: WriteCtx;
  job: JobCtx;
  scan: ScanCtx;
  control: ControlCtx;
}
type Kind = keyof CtxOf;
type Run<K extends Kind, S extends z.ZodType, R> = { run(ctx: CtxOf[K], input: z.output<S>): R | Promise<R> };
export type MethodDef<S extends z.ZodType = z.ZodType, R = unknown> = {
  [K in Kind]: Common<S> & { kind: K } & Run<K, S, R>;
}[Kind];

const kindOf =
  <K extends Kind>(kind: K) =>
  <S extends z.ZodType, R>(d: Common<S> & Run<K, S, R>) => ({ ...d, kind });
export const read = kindOf('read');
export const write = kindOf('write');
export const job = kindOf('job');
export const scan = kindOf('scan');
export const control = kindOf('control');

// Who may do what (the brief's table).
export const READERS: readonly Role[] = ['clerk', 'approver', 'auditor', 'admin'];
export const APPROVERS: readonly Role[] = ['approver'];
export const ADMINS: readonly Role[] = ['admin'];
/** The counter's work (requests, imports, matching by hand, vouchers): clerks and approvers. */
export const COUNTER: readonly Role[] = ['clerk', 'approver'];

export const none = z.object({}).strict();
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, says('username_chars'));
export const displayName = z.string().trim().min(1).max(64);
export const password = z.string().min(1).max(256);
export const minor = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, says('minor_units'))
  .transform(Number)
  .refine(Number.isSafeInteger, says('out_of_range'));
export const ledger = z
  .number()
  .int()
  .refine((n) => (LEDGER_IDS as readonly number[]).includes(n), says('ledger_id'));
export const limit = z.number().int().min(1).max(500);
export const instant = z.number().int().min(0).max(8.64e15);
/** A list's page, newest first: the rows before `beforeId`, at most `limit` of them. */
export const paging = { beforeId: id.optional(), limit: limit.default(100) };
/**
 * A list read a page at a time (newest first) by any reader: `filters` (with `paging` among them) checked
 * strictly, each row through `dto` as it crosses the border, and where the next page starts.
 */
export const pagedRead = <F extends z.ZodRawShape, Row, Out>(
  filters: F,
  list: (q: Queryable, f: z.output<z.ZodObject<F>>) => Promise<{ rows: Row[]; nextBeforeId: number | null }>,
  dto: (row: Row) => Out,
) =>
  read({
    input: z.object(filters).strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      const p = await list(q, i);
      return { rows: p.rows.map((r) => dto(r)), nextBeforeId: p.nextBeforeId };
    },
  });
/** One thing by its id, for any reader. */
export const readById = <R>(get: (q: Queryable, id: number) => Promise<R>) =>
  read({ input: z.object({ id }).strict(), roles: READERS, run: async ({ q }, i) => get(q, i.id) });
/** From and to an instant, either end open. */
export const timeSpan = { from: instant.optional(), to: instant.optional() };
/** Amounts from and to, in minor units, either end open. */
export const amountRange = { minAmount: minor.optional(), maxAmount: minor.optional() };
/** A month, YYYY-MM. */
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, says('month_format'));
/** A day, YYYY-MM-DD. */
export const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, says('date_format'));
/** Yuan as typed: at most 13 digits and 2 decimals. */
export const yuan = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, says('yuan_amount'));
export const reason = z.string().trim().min(2, says('reason_too_short')).max(500);

/** FORBIDDEN unless `role` is among `roles` (a method's own role list, checked wherever it is run). */
export function checkRole(method: string, roles: RoleSpec, role: Role): void {
  if (roles === 'public' || roles === 'session' || roles.includes(role)) return;
  throw refuse('FORBIDDEN', 'role_forbidden', { method, role, allowed: roles.join(', ') }, { role, allowed: roles });
}

export function sessionView(s: Session | null) {
  return s
    ? {
        staffId: s.staffId,
        username: s.username,
        displayName: s.displayName,
        role: s.role,
        locked: s.locked,
        startedAt: s.startedAt,
        mustChangePassword: s.mustChangePassword,
      }
    : null;
}

export async function chosenPath(ctx: BaseCtx, kind: 'save' | 'open', title: string, defaultName: string, ext: string[]): Promise<string> {
  const filters = [{ name: ext.join('/'), extensions: ext }];
  const p =
    kind === 'save'
      ? await ctx.api.ports.dialogs.saveFile({ title, defaultName, filters })
      : await ctx.api.ports.dialogs.openFile({ title, filters });
  if (!p) throw refuse('CANCELLED', 'no_file_chosen', {});
  return p;
}

/** A file the user chose in a dialog, as the token the window was given for it. */
export const fileToken = z.string().uuid();
/** The id a form sends with what it records, the same on a retry, so that a lost answer sent again records nothing twice. */
export const requestId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[\w:-]+$/, says('ref_chars'));
/** A file's SHA-256 as the preview showed it, so an import commits the very file that was previewed. */
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, says('sha256_format'));

/** The path behind a file token this window was given (a dialog's choice), or a refusal. */
export function chosenFile(ctx: BaseCtx, token: string): string {
  const file = ctx.api.files.resolve(ctx.clientId, token);
  if (!file) throw refuse('NOT_FOUND', 'file_not_chosen', {}, { field: 'token' });
  return file;
}

export function stamp(now: number): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '');
}

export async function recordAuditFor(tx: Tx, actor: Actor, action: AuditAction, after?: unknown): Promise<void> {
  await recordAudit(tx, actor, { action, entity: action.split('.')[0]!, entityId: actor.staffId, after });
}
