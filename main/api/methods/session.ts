// Set-up of a new books file and staff sessions: first admin, login (with lockout), lock, unlock, logout.
import { z } from 'zod';
import { inWriteTx } from '../../db/tx';
import { CofferError } from '../../domain/errors';
import { hashPassword } from '../../services/passwords';
import {
  assertPasswordStrength,
  createFirstAdmin,
  passwordMatches,
  recordLoginAttempt,
  setPassword,
  staffCount,
} from '../../services/staff';
import { createDemoBooks, DEMO_MAX_CUSTOMERS } from '../../demo';
import { control, displayName, job, none, password, read, recordAuditFor, sessionView, username, write, type MethodDef } from '../define';

export const sessionMethods = {
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
    run: (ctx, i) => {
      if (staffCount(ctx.books) > 0)
        throw new CofferError('CONFLICT', 'these books already have staff users; demo books are made only in empty books');
      return createDemoBooks(ctx.books, { ...i, now: ctx.api.ports.clock(), job: ctx.job });
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
} satisfies Record<string, MethodDef>;
