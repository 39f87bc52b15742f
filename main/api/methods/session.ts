// Set-up of a new books file and staff sessions: first admin, login (with lockout), lock, unlock, logout.
import { z } from 'zod';
import { booksFile, inReadSnapshot, inWriteTx } from '../../db/tx';
import { CofferError } from '../../domain/errors';
import { hashPassword } from '../../services/passwords';
import {
  assertPasswordStrength,
  createFirstAdmin,
  passwordMatches,
  recordLoginAttempt,
  setPassword,
  staffCount,
  type LoginOutcome,
  type StaffOut,
} from '../../services/staff';
import { ensureBooksKey } from '../../db/books-key';
import { refuse } from '../../domain/refusals';
import { shanghaiDateTime } from '../../domain/dates';
import type { Tx } from '../../db/tx';

/** The books key beside a books file (books on PostgreSQL have no file beside them, nor an anchor to sign). */
function ensureKeyQuietly(tx: Tx): void {
  if (tx.books.engine === 'postgres') return;
  try {
    ensureBooksKey(tx, tx.books.path);
  } catch {
    // A folder that takes no new file (read-only media) leaves the books without a key until one can be made.
  }
}

/** This window's session for a staff user who has just shown who they are, as the window sees it. */
async function startSession(
  api: ApiState,
  clientId: string,
  s: Pick<StaffOut, 'id' | 'username' | 'displayName' | 'role' | 'mustChangePassword'>,
) {
  return sessionView(
    await api.sessions.start(clientId, {
      staffId: s.id,
      username: s.username,
      displayName: s.displayName,
      role: s.role,
      mustChangePassword: s.mustChangePassword,
    }),
  );
}

/**
 * The refusal of a login. An unknown user and a wrong password get the same code and message (and,
 * through passwordMatches' dummy hash, the same delay), so a login cannot probe for usernames.
 */
export function loginRefused(username: string, o: Exclude<LoginOutcome, { ok: true }>): CofferError {
  if (o.reason === 'locked')
    return refuse('LOCKED', 'staff_locked_out', { user: username, until: shanghaiDateTime(o.until) }, { until: o.until });
  if (o.reason === 'disabled') return refuse('LOCKED', 'staff_disabled', { user: username });
  return refuse('UNAUTHENTICATED', 'wrong_login', {});
}
import { createDemoBooks, DEMO_MAX_CUSTOMERS } from '../../demo';
import {
  control,
  displayName,
  job,
  none,
  password,
  read,
  recordAuditFor,
  sessionView,
  username,
  write,
  type ApiState,
  type MethodDef,
} from '../define';

export const sessionMethods = {
  'setup.status': read({
    input: none,
    roles: 'public',
    whileLocked: true,
    run: async ({ q, api }) => ({
      needsFirstAdmin: (await staffCount(q)) === 0,
      booksPath: api.ports.remote ? null : api.books.path,
      schemaVersion: api.books.schemaVersion,
    }),
  }),
  'setup.createFirstAdmin': control({
    input: z.object({ username, displayName, password }).strict(),
    roles: 'public',
    run: async ({ api, clientId }, i) => {
      assertPasswordStrength(i.password);
      const passwordHash = await hashPassword(i.password);
      const staff = await inWriteTx(api.books, async (tx) => {
        const first = await createFirstAdmin(tx, { username: i.username, displayName: i.displayName, passwordHash }, api.ports.clock());
        ensureKeyQuietly(tx);
        return first;
      });
      return await startSession(api, clientId, staff);
    },
  }),
  /** First start only: demo staff users (admin, clerk, approver, approver2, auditor) and a living platform's data. */
  'setup.createDemoBooks': job({
    input: z
      .object({
        password,
        customers: z.number().int().min(1).max(DEMO_MAX_CUSTOMERS).default(300),
        seed: z.number().int().min(0).max(0xffffffff).optional(),
      })
      .strict(),
    roles: 'public',
    run: async (ctx, i) => {
      if ((await inReadSnapshot(ctx.books, staffCount)) > 0) throw refuse('CONFLICT', 'demo_books_not_empty', {});
      return createDemoBooks(booksFile(ctx.books, 'setup.createDemoBooks'), { ...i, now: ctx.api.ports.clock(), job: ctx.job });
    },
  }),
  'session.login': control({
    input: z.object({ username, password }).strict(),
    roles: 'public',
    run: async ({ api, clientId }, i) => {
      const matches = await passwordMatches(api.books, i.username, i.password);
      const now = api.ports.clock();
      const outcome = await inWriteTx(api.books, async (tx) => {
        const o = await recordLoginAttempt(tx, i.username, matches, now);
        // The books key is made on first need, while an admin who knows a password is present.
        if (o.ok && o.staff.role === 'admin') ensureKeyQuietly(tx);
        return o;
      });
      if (!outcome.ok) throw loginRefused(i.username, outcome);
      return await startSession(api, clientId, outcome.staff);
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
    beforePasswordChange: true,
    run: async ({ tx, actor, api, clientId }) => {
      await recordAuditFor(tx, actor, 'session.logout');
      await api.sessions.end(clientId);
      return null;
    },
  }),
  'session.lock': control({
    input: none,
    roles: 'session',
    beforePasswordChange: true,
    run: async ({ session, api }) => sessionView(await api.sessions.change(session!, { locked: true })),
  }),
  'session.unlock': control({
    input: z.object({ password }).strict(),
    roles: 'session',
    whileLocked: true,
    beforePasswordChange: true,
    run: async ({ api, session, clientId }, i) => {
      const s = session!;
      const matches = await passwordMatches(api.books, s.username, i.password);
      const now = api.ports.clock();
      const outcome = await inWriteTx(api.books, async (tx) => recordLoginAttempt(tx, s.username, matches, now));
      if (!outcome.ok) {
        if (outcome.reason !== 'unknown_or_wrong') await api.sessions.end(clientId);
        throw outcome.reason === 'unknown_or_wrong' ? refuse('UNAUTHENTICATED', 'wrong_password', {}) : loginRefused(s.username, outcome);
      }
      return sessionView(await api.sessions.change(s, { locked: false }));
    },
  }),
  'session.changePassword': control({
    input: z.object({ current: password, next: password }).strict(),
    roles: 'session',
    beforePasswordChange: true,
    run: async ({ api, session, actor }, i) => {
      const s = session!;
      if (!(await passwordMatches(api.books, s.username, i.current)))
        throw refuse('UNAUTHENTICATED', 'wrong_current_password', {}, { field: 'current' });
      assertPasswordStrength(i.next);
      if (s.mustChangePassword && i.next === i.current)
        throw refuse('VALIDATION', 'password_not_new', { user: s.username }, { field: 'next' });
      const h = await hashPassword(i.next);
      await inWriteTx(api.books, async (tx) => setPassword(tx, actor, s.staffId, h, api.ports.clock()));
      return sessionView(await api.sessions.change(s, { mustChangePassword: false }));
    },
  }),
} satisfies Record<string, MethodDef>;
