// The one typed border between the renderer (or CLI) and the books. Each method states its input
// schema, who may call it, how it runs (read, write transaction, long job, or session control) and
// the service that does the work. The dispatcher enforces all of it; the preload exposes exactly
// these names.
import { z } from 'zod';
import type { Books, Queryable } from '../db/books';
import { inWriteTx, type Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { LEDGER_IDS } from '../domain/ledgers';
import type { Actor } from '../services/actor';
import { listAudit, recordAudit, verifyAuditChain } from '../services/audit';
import { backupBooks, checkRestoreCandidate, replaceBooksFile } from '../services/backup';
import { exportAudit, exportJournal } from '../services/exports';
import { reverseTransfer } from '../services/ledger-actions';
import { getTransfer, listAccounts, listTransfers, trialBalance } from '../services/ledger-read';
import { hashPassword } from '../services/passwords';
import {
  ROLES,
  assertPasswordStrength,
  createFirstAdmin,
  createStaff,
  listStaff,
  passwordMatches,
  recordLoginAttempt,
  setPassword,
  staffCount,
  unlockStaff,
  updateStaff,
  type Role,
} from '../services/staff';
import { verifyBooks } from '../services/verify';
import { accountDto, transferDto, trialBalanceDto } from './dto';
import type { JobControl } from './jobs';
import type { Ports } from './ports';
import type { Session, SessionStore } from './sessions';

/** What every handler may reach besides its own context. */
export interface ApiState {
  readonly books: Books;
  readonly sessions: SessionStore;
  readonly ports: Ports;
  /** Closes the books, lets `swap` replace the file, and reopens it (restore). */
  reopenBooks(swap: (path: string) => Promise<void>): Promise<Books>;
}

interface BaseCtx {
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
  books: Books;
  job: JobControl;
}
export type ControlCtx = BaseCtx;

/** public: no session needed; session: any logged-in user; or the roles allowed. */
export type RoleSpec = 'public' | 'session' | readonly Role[];

interface Common<S extends z.ZodType> {
  input: S;
  roles: RoleSpec;
  /** Callable while the screen is locked (unlock, logout, status). */
  whileLocked?: boolean;
}
export type MethodDef<S extends z.ZodType = z.ZodType, R = unknown> =
  | (Common<S> & { kind: 'read'; run(ctx: ReadCtx, input: z.output<S>): R | Promise<R> })
  | (Common<S> & { kind: 'write'; run(ctx: WriteCtx, input: z.output<S>): R | Promise<R> })
  | (Common<S> & { kind: 'job'; run(ctx: JobCtx, input: z.output<S>): R | Promise<R> })
  | (Common<S> & { kind: 'control'; run(ctx: ControlCtx, input: z.output<S>): R | Promise<R> });

const read = <S extends z.ZodType, R>(d: Common<S> & { run(ctx: ReadCtx, input: z.output<S>): R | Promise<R> }) => ({
  ...d,
  kind: 'read' as const,
});
const write = <S extends z.ZodType, R>(d: Common<S> & { run(ctx: WriteCtx, input: z.output<S>): R | Promise<R> }) => ({
  ...d,
  kind: 'write' as const,
});
const job = <S extends z.ZodType, R>(d: Common<S> & { run(ctx: JobCtx, input: z.output<S>): R | Promise<R> }) => ({
  ...d,
  kind: 'job' as const,
});
const control = <S extends z.ZodType, R>(d: Common<S> & { run(ctx: ControlCtx, input: z.output<S>): R | Promise<R> }) => ({
  ...d,
  kind: 'control' as const,
});

// Who may do what (the brief's table).
export const READERS: readonly Role[] = ['clerk', 'approver', 'auditor', 'admin'];
export const APPROVERS: readonly Role[] = ['approver'];
export const ADMINS: readonly Role[] = ['admin'];

const none = z.object({}).strict();
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, dot, underscore or hyphen only');
const displayName = z.string().trim().min(1).max(64);
const password = z.string().min(1).max(256);
const minor = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'an integer amount in minor units (fen or coins), as a string')
  .transform(Number)
  .refine(Number.isSafeInteger, 'out of range');
const ledger = z
  .number()
  .int()
  .refine((n) => (LEDGER_IDS as readonly number[]).includes(n), 'ledger 1 (CNY), 2 (recharge coins) or 3 (earnings coins)');
const limit = z.number().int().min(1).max(500);
const instant = z.number().int().min(0).max(8.64e15);
const reason = z.string().trim().min(2, 'say why, in a few words').max(500);

function sessionView(s: Session | null) {
  return s
    ? { staffId: s.staffId, username: s.username, displayName: s.displayName, role: s.role, locked: s.locked, startedAt: s.startedAt }
    : null;
}

async function chosenPath(ctx: BaseCtx, kind: 'save' | 'open', title: string, defaultName: string, ext: string[]): Promise<string> {
  const filters = [{ name: ext.join('/'), extensions: ext }];
  const p =
    kind === 'save'
      ? await ctx.api.ports.dialogs.saveFile({ title, defaultName, filters })
      : await ctx.api.ports.dialogs.openFile({ title, filters });
  if (!p) throw new CofferError('CANCELLED', 'no file was chosen');
  return p;
}

function stamp(now: number): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '');
}

export const contract = {
  // ── set-up and sessions ────────────────────────────────────────────────────────────────
  'setup.status': read({
    input: none,
    roles: 'public',
    whileLocked: true,
    run: ({ q, api }) => ({ needsFirstAdmin: staffCount(q) === 0, booksPath: api.books.path, schemaVersion: api.books.schemaVersion }),
  }),
  'setup.createFirstAdmin': control({
    input: z.object({ username, displayName, password }).strict(),
    roles: 'public',
    run: async ({ api, clientId }, i) => {
      assertPasswordStrength(i.password);
      const passwordHash = await hashPassword(i.password);
      const staff = await inWriteTx(api.books, (tx) =>
        createFirstAdmin(tx, { username: i.username, displayName: i.displayName, passwordHash }),
      );
      return sessionView(
        api.sessions.start(clientId, { staffId: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role }),
      );
    },
  }),
  'session.login': control({
    input: z.object({ username, password }).strict(),
    roles: 'public',
    run: async ({ api, clientId }, i) => {
      const matches = await passwordMatches(api.books, i.username, i.password);
      const outcome = await inWriteTx(api.books, (tx) => recordLoginAttempt(tx, i.username, matches));
      if (!outcome.ok) {
        const message =
          outcome.reason === 'locked'
            ? `user ${i.username} is locked after too many failed logins; an admin must unlock it`
            : outcome.reason === 'disabled'
              ? `user ${i.username} is disabled`
              : `wrong username or password${outcome.attemptsLeft !== undefined ? ` (${outcome.attemptsLeft} attempts left before the user is locked)` : ''}`;
        throw new CofferError(outcome.reason === 'unknown_or_wrong' ? 'UNAUTHENTICATED' : 'LOCKED', message, {
          reason: outcome.reason,
          ...(outcome.attemptsLeft !== undefined ? { attemptsLeft: outcome.attemptsLeft } : {}),
        });
      }
      const s = outcome.staff;
      return sessionView(api.sessions.start(clientId, { staffId: s.id, username: s.username, displayName: s.displayName, role: s.role }));
    },
  }),
  'session.status': control({
    input: none,
    roles: 'public',
    whileLocked: true,
    run: ({ session, api }) => ({ session: sessionView(session), idleMinutes: api.sessions.idleMinutes }),
  }),
  'session.logout': write({
    input: none,
    roles: 'session',
    whileLocked: true,
    run: ({ tx, actor, api, clientId }) => {
      recordAuditFor(tx, actor, 'session.logout');
      api.sessions.end(clientId);
      return null;
    },
  }),
  'session.lock': control({
    input: none,
    roles: 'session',
    run: ({ session }) => {
      session!.locked = true;
      return sessionView(session);
    },
  }),
  'session.unlock': control({
    input: z.object({ password }).strict(),
    roles: 'session',
    whileLocked: true,
    run: async ({ api, session, clientId }, i) => {
      const s = session!;
      const matches = await passwordMatches(api.books, s.username, i.password);
      const outcome = await inWriteTx(api.books, (tx) => recordLoginAttempt(tx, s.username, matches));
      if (!outcome.ok) {
        if (outcome.reason !== 'unknown_or_wrong') api.sessions.end(clientId);
        throw new CofferError(
          outcome.reason === 'unknown_or_wrong' ? 'UNAUTHENTICATED' : 'LOCKED',
          outcome.reason === 'unknown_or_wrong' ? 'wrong password' : `user ${s.username} is ${outcome.reason}`,
          { reason: outcome.reason },
        );
      }
      s.locked = false;
      return sessionView(s);
    },
  }),
  'session.changePassword': control({
    input: z.object({ current: password, next: password }).strict(),
    roles: 'session',
    run: async ({ api, session, actor }, i) => {
      const s = session!;
      if (!(await passwordMatches(api.books, s.username, i.current)))
        throw new CofferError('UNAUTHENTICATED', 'current password: wrong password', { field: 'current' });
      assertPasswordStrength(i.next);
      const h = await hashPassword(i.next);
      await inWriteTx(api.books, (tx) => setPassword(tx, actor, s.staffId, h));
      return null;
    },
  }),

  // ── staff users (admin) ────────────────────────────────────────────────────────────────
  'staff.list': read({ input: none, roles: READERS, run: ({ q }) => listStaff(q) }),
  'staff.create': control({
    input: z.object({ username, displayName, role: z.enum(ROLES), password }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      assertPasswordStrength(i.password);
      const passwordHash = await hashPassword(i.password);
      return inWriteTx(api.books, (tx) =>
        createStaff(tx, actor, { username: i.username, displayName: i.displayName, role: i.role, passwordHash }),
      );
    },
  }),
  'staff.update': write({
    input: z.object({ id, displayName: displayName.optional(), role: z.enum(ROLES).optional(), disabled: z.boolean().optional() }).strict(),
    roles: ADMINS,
    run: ({ tx, actor, api }, i) => {
      const after = updateStaff(tx, actor, i.id, i);
      if (after.disabled || i.role !== undefined) api.sessions.endForStaff(i.id);
      return after;
    },
  }),
  'staff.resetPassword': control({
    input: z.object({ id, password }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      assertPasswordStrength(i.password);
      const h = await hashPassword(i.password);
      await inWriteTx(api.books, (tx) => setPassword(tx, actor, i.id, h));
      api.sessions.endForStaff(i.id);
      return null;
    },
  }),
  'staff.unlock': write({ input: z.object({ id }).strict(), roles: ADMINS, run: ({ tx, actor }, i) => unlockStaff(tx, actor, i.id) }),

  // ── ledger ─────────────────────────────────────────────────────────────────────────────
  'ledger.accounts': read({
    input: z
      .object({
        ledger: ledger.optional(),
        search: z.string().max(100).optional(),
        systemOnly: z.boolean().optional(),
        offset: z.number().int().min(0).default(0),
        limit: limit.default(100),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      const r = await listAccounts(q, { ...i, ...(i.systemOnly ? { ownerKind: null } : {}) });
      return { total: r.total, rows: r.rows.map(accountDto) };
    },
  }),
  'ledger.trialBalance': read({ input: none, roles: READERS, run: ({ q }) => trialBalance(q).map(trialBalanceDto) }),
  'ledger.transfers': read({
    input: z
      .object({
        ledger: ledger.optional(),
        accountId: id.optional(),
        kind: z.enum(['single', 'pending', 'post', 'void']).optional(),
        code: z.string().max(64).optional(),
        from: instant.optional(),
        to: instant.optional(),
        minAmount: minor.optional(),
        maxAmount: minor.optional(),
        key: z.string().max(255).optional(),
        beforeId: id.optional(),
        limit: limit.default(100),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => {
      const r = await listTransfers(q, i);
      return { rows: r.rows.map(transferDto), nextBeforeId: r.nextBeforeId };
    },
  }),
  'ledger.transfer': read({
    input: z.object({ id }).strict(),
    roles: READERS,
    run: async ({ q }, i) => transferDto(await getTransfer(q, i.id)),
  }),
  'ledger.reverse': write({
    input: z.object({ id, reason }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor }, i) => transferDto(await reverseTransfer(tx, actor, i.id, i.reason)),
  }),
  'ledger.exportJournal': job({
    input: none,
    roles: READERS,
    run: async (ctx) => {
      const target = await chosenPath(ctx, 'save', 'Export journal', `coffer-journal-${stamp(Date.now())}.journal`, [
        'journal',
        'ledger',
        'txt',
      ]);
      return exportJournal(ctx.books, target, ctx.job);
    },
  }),

  // ── audit log ──────────────────────────────────────────────────────────────────────────
  'audit.list': read({
    input: z
      .object({
        from: instant.optional(),
        to: instant.optional(),
        action: z.string().max(64).optional(),
        staffName: z.string().max(64).optional(),
        entity: z.string().max(64).optional(),
        entityId: z.string().max(64).optional(),
        beforeId: id.optional(),
        limit: limit.default(100),
      })
      .strict(),
    roles: READERS,
    run: ({ q }, i) => listAudit(q, i),
  }),
  'audit.verifyChain': job({
    input: none,
    roles: READERS,
    run: ({ books, job: j }) => {
      const r = verifyAuditChain(books, (n) => j.progress(n, null));
      return { ok: r.findings.length === 0, rows: r.rows, lastHash: r.lastHash, findings: r.findings };
    },
  }),
  'audit.export': job({
    input: z.object({ format: z.enum(['jsonl', 'csv']) }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const target = await chosenPath(ctx, 'save', 'Export audit log', `coffer-audit-${stamp(Date.now())}.${i.format}`, [i.format]);
      return exportAudit(ctx.books, target, i.format, ctx.job);
    },
  }),

  // ── the books file ─────────────────────────────────────────────────────────────────────
  'books.verify': job({
    input: none,
    roles: READERS,
    run: ({ books, job: j }) => {
      const steps = ['integrity', 'accounts', 'ledgers', 'audit'];
      return verifyBooks(books, (step) => j.progress(steps.indexOf(step), steps.length, step));
    },
  }),
  'books.backup': job({
    input: none,
    roles: ADMINS,
    run: async (ctx) => {
      const target = await chosenPath(ctx, 'save', 'Back up books', `coffer-backup-${stamp(Date.now())}.books.sqlite`, ['sqlite']);
      const r = await backupBooks(ctx.books, target, (d, t) => ctx.job.progress(d, t));
      await inWriteTx(ctx.books, (tx) =>
        recordAuditFor(tx, ctx.actor, 'books.backup', { path: r.path, bytes: r.bytes, lastAuditHash: r.lastAuditHash }),
      );
      return r;
    },
  }),
  'books.checkRestore': control({
    input: none,
    roles: ADMINS,
    run: async (ctx) => checkRestoreCandidate(await chosenPath(ctx, 'open', 'Restore books from a backup', '', ['sqlite'])),
  }),
  'books.restore': control({
    input: z.object({ path: z.string().min(1).max(4096), lastAuditHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      // The path must be one the admin just chose and checked: re-check it and require the same chain end.
      const check = checkRestoreCandidate(i.path);
      if (check.lastAuditHash !== i.lastAuditHash)
        throw new CofferError('CONFLICT', 'the backup file changed since it was checked; check it again', { field: 'path' });
      const before = `${api.books.path}.before-restore-${stamp(Date.now())}.bak`;
      await backupBooks(api.books, before);
      const books = await api.reopenBooks((target) => replaceBooksFile(i.path, target));
      await inWriteTx(books, (tx) =>
        recordAuditFor(tx, actor, 'books.restore', {
          from: i.path,
          restoredLastAuditHash: check.lastAuditHash,
          previousBooksSavedAs: before,
        }),
      );
      api.sessions.endAll();
      return { restoredFrom: i.path, previousBooksSavedAs: before, auditRows: check.auditRows };
    },
  }),

  // ── jobs ───────────────────────────────────────────────────────────────────────────────
  'jobs.cancel': control({
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    roles: 'session',
    run: () => null, // handled by the dispatcher, which owns the job runner
  }),
} satisfies Record<string, MethodDef>;

function recordAuditFor(tx: Tx, actor: Actor, action: string, after?: unknown): void {
  recordAudit(tx, actor, { action, entity: action.split('.')[0]!, entityId: actor.staffId, after });
}

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = Awaited<ReturnType<Contract[M]['run']>>;
/** Job methods answer with a job id; their result arrives in a job.done event. */
export type JobMethodName = { [M in MethodName]: Contract[M]['kind'] extends 'job' ? M : never }[MethodName];
