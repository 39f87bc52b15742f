// Staff users: the first admin, users admins manage (by confirmed staff changes, services/staff-changes.ts),
// and logins with a lock-out after five failures that ends by itself after a time that grows.
import { literal } from '../db/query';
import type { Staff } from '../db/schema';
import type { Queryable } from '../db/books';
import { inReadSnapshot, type AnyBooks, type Tx } from '../db/tx';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { SYSTEM_ACTOR } from './actor';
import { MIN_PASSWORD_LENGTH, checkPassword, dummyHash } from './passwords';
import { refuse } from '../domain/refusals';
import type { AuditAction } from '../domain/audit-actions';

export const ROLES = ['clerk', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
export const MAX_FAILED_LOGINS = 5;
/** Minutes of each successive lock-out since the last good login; the last repeats (never for ever). */
export const LOCKOUT_MINUTES = [1, 5, 15, 60, 240, 1440] as const;

export function lockoutMinutes(previousLockouts: number): number {
  return LOCKOUT_MINUTES[Math.min(previousLockouts, LOCKOUT_MINUTES.length - 1)]!;
}

export interface StaffOut {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  locked: boolean;
  disabled: boolean;
  failedLogins: number;
  createdAt: number;
  /** When a lock-out ends (null: not locked). */
  lockedUntil: number | null;
  /** Logged in with a one-time code: may do nothing but set a password of their own. */
  mustChangePassword: boolean;
}

type StaffRow = Staff;

function lockedAt(r: StaffRow, now: number): boolean {
  return r.locked === 1 && (r.locked_until === null || r.locked_until > now);
}

function out(r: StaffRow, now = Date.now()): StaffOut {
  const locked = lockedAt(r, now);
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    locked,
    lockedUntil: locked ? r.locked_until : null,
    mustChangePassword: r.must_change_password === 1,
    disabled: r.disabled === 1,
    failedLogins: r.failed_logins,
    createdAt: r.created_at,
  };
}

export function assertPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw refuse('VALIDATION', 'password_too_short', { min: String(MIN_PASSWORD_LENGTH) }, { field: 'password' });
  }
}

export async function staffCount(q: Queryable): Promise<number> {
  return (await q.db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst())!.n;
}

export async function listStaff(q: Queryable, now = Date.now()): Promise<StaffOut[]> {
  const rows = await q.db.selectFrom('staff').selectAll().orderBy('username').execute();
  return rows.map((r) => out(r, now));
}

export async function findStaff(q: Queryable, username: string): Promise<StaffRow | undefined> {
  return await q.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function getStaff(q: Queryable, id: number, now = Date.now()): Promise<StaffOut> {
  const r = await q.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'staff_not_found', { ref: String(id) }, { field: 'id' });
  return out(r, now);
}

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  /** The hash is of a one-time code: the user must set a password of their own at first login. */
  oneTimeCode?: boolean;
}

export async function createStaff(tx: Tx, actor: Actor, s: NewStaff, now = Date.now()): Promise<StaffOut> {
  if (await findStaff(tx, s.username)) {
    throw refuse('CONFLICT', 'username_taken', { user: s.username }, { field: 'username' });
  }
  const info = await tx
    .sql(
      'INSERT INTO staff (username, display_name, role, password_hash, must_change_password, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(s.username, s.displayName, s.role, s.passwordHash, s.oneTimeCode ? 1 : 0, now, now);
  const created = await getStaff(tx, Number(info.lastInsertRowid));
  await recordAudit(tx, actor, { action: 'staff.create', entity: 'staff', entityId: created.id, after: publicView(created), at: now });
  return created;
}

/** Only on an empty books file: the first admin, recorded as done by the system. */
export async function createFirstAdmin(tx: Tx, s: Omit<NewStaff, 'role'>, now = Date.now()): Promise<StaffOut> {
  if ((await staffCount(tx)) > 0) throw refuse('CONFLICT', 'first_admin_exists', {});
  return await createStaff(tx, SYSTEM_ACTOR, { ...s, role: 'admin' }, now);
}

function publicView(s: StaffOut) {
  return { username: s.username, displayName: s.displayName, role: s.role, locked: s.locked, disabled: s.disabled };
}

/** Records a change to a staff user in the audit chain, before and after; answers the user as it is now. */
async function auditedChange(
  tx: Tx,
  actor: Actor,
  action: 'staff.update' | 'staff.unlock',
  before: StaffOut,
  now: number,
): Promise<StaffOut> {
  const after = await getStaff(tx, before.id);
  await recordAudit(tx, actor, {
    action,
    entity: 'staff',
    entityId: before.id,
    before: publicView(before),
    after: publicView(after),
    at: now,
  });
  return after;
}

export interface StaffChange {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
}

/** Refuses removing your own admin role, disabling yourself, and leaving the books without an admin. */
export async function assertStaffChangeAllowed(q: Queryable, actor: Actor, id: number, change: StaffChange): Promise<void> {
  const before = await getStaff(q, id);
  if (id === actor.staffId && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true)) {
    throw refuse('CONFLICT', 'own_admin_role', {});
  }
  const demotesAdmin = before.role === 'admin' && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
  if (demotesAdmin && (await activeAdmins(q)) <= 1) {
    throw refuse('CONFLICT', 'last_admin', {});
  }
}

export async function updateStaff(tx: Tx, actor: Actor, id: number, change: StaffChange, now = Date.now()): Promise<StaffOut> {
  const before = await getStaff(tx, id);
  await assertStaffChangeAllowed(tx, actor, id, change);
  await tx
    .sql('UPDATE staff SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?')
    .run(
      change.displayName ?? before.displayName,
      change.role ?? before.role,
      change.disabled === undefined ? (before.disabled ? 1 : 0) : change.disabled ? 1 : 0,
      now,
      id,
    );
  return await auditedChange(tx, actor, 'staff.update', before, now);
}

export async function activeAdmins(q: Queryable): Promise<number> {
  return (await q.db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', literal('admin'))
    .where('disabled', '=', literal(0))
    .executeTakeFirst())!.n;
}

/** The user sets a password of their own (ends a one-time code's hold on the session). */
export async function setPassword(tx: Tx, actor: Actor, id: number, passwordHash: string, now = Date.now()): Promise<void> {
  await getStaff(tx, id);
  await tx.sql('UPDATE staff SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?').run(passwordHash, now, id);
  await recordAudit(tx, actor, { action: 'staff.password', entity: 'staff', entityId: id, at: now });
}

/**
 * Someone other than the user set the password: a one-time code from a confirmed reset, or the sole
 * admin's recovery with the books key (`action` 'staff.recover'). Either clears a lock-out.
 */
export async function resetPassword(
  tx: Tx,
  actor: Actor,
  id: number,
  passwordHash: string,
  o: { oneTimeCode: boolean; action: 'staff.reset' | 'staff.recover'; changeId?: number },
  now = Date.now(),
): Promise<void> {
  await getStaff(tx, id);
  await tx
    .sql(
      'UPDATE staff SET password_hash = ?, must_change_password = ?, locked = 0, locked_until = NULL, failed_logins = 0, lockouts = 0, updated_at = ? WHERE id = ?',
    )
    .run(passwordHash, o.oneTimeCode ? 1 : 0, now, id);
  await recordAudit(tx, actor, {
    action: o.action satisfies AuditAction,
    entity: 'staff',
    entityId: id,
    after: o.changeId ? { change: o.changeId } : { oneTimeCode: o.oneTimeCode },
    at: now,
  });
}

export async function unlockStaff(tx: Tx, actor: Actor, id: number, now = Date.now()): Promise<StaffOut> {
  const before = await getStaff(tx, id);
  await tx
    .sql('UPDATE staff SET locked = 0, locked_until = NULL, failed_logins = 0, lockouts = 0, updated_at = ? WHERE id = ?')
    .run(now, id);
  return await auditedChange(tx, actor, 'staff.unlock', before, now);
}

export type LoginOutcome =
  { ok: true; staff: StaffOut } | { ok: false; reason: 'unknown_or_wrong' | 'disabled' } | { ok: false; reason: 'locked'; until: number };

/**
 * Records a login attempt whose password was checked before the transaction (`passwordMatches`, so
 * the write lock is held only for the bookkeeping). An unknown user and a wrong password give the same
 * outcome. Five wrong passwords in a row lock the user for lockoutMinutes(lockouts so far); the
 * lock-out ends by itself, or earlier by a confirmed unlock.
 */
export async function recordLoginAttempt(tx: Tx, username: string, passwordOk: boolean, now = Date.now()): Promise<LoginOutcome> {
  const row = await findStaff(tx, username);
  if (!row) {
    await recordAudit(
      tx,
      { staffId: null, name: username, role: 'system' },
      { action: 'session.login_failed', entity: 'staff', entityId: null, after: { reason: 'unknown user' }, at: now },
    );
    return { ok: false, reason: 'unknown_or_wrong' };
  }
  const actor: Actor = { staffId: row.id, name: row.username, role: row.role };
  if (row.disabled) return { ok: false, reason: 'disabled' };
  if (lockedAt(row, now)) {
    await recordAudit(tx, actor, {
      action: 'session.login_refused',
      entity: 'staff',
      entityId: row.id,
      after: { reason: 'locked' },
      at: now,
    });
    return { ok: false, reason: 'locked', until: row.locked_until ?? now };
  }
  if (!passwordOk) {
    const failed = (row.locked ? 0 : row.failed_logins) + 1;
    if (failed >= MAX_FAILED_LOGINS) {
      const until = now + lockoutMinutes(row.lockouts) * 60_000;
      await tx
        .sql('UPDATE staff SET failed_logins = 0, locked = 1, locked_until = ?, lockouts = lockouts + 1, updated_at = ? WHERE id = ?')
        .run(until, now, row.id);
      await recordAudit(tx, actor, {
        action: 'staff.locked',
        entity: 'staff',
        entityId: row.id,
        after: { failedLogins: failed, lockedUntil: until, lockout: row.lockouts + 1 },
        at: now,
      });
      return { ok: false, reason: 'locked', until };
    }
    await tx
      .sql('UPDATE staff SET failed_logins = ?, locked = 0, locked_until = NULL, updated_at = ? WHERE id = ?')
      .run(failed, now, row.id);
    await recordAudit(tx, actor, {
      action: 'session.login_failed',
      entity: 'staff',
      entityId: row.id,
      after: { failedLogins: failed },
      at: now,
    });
    return { ok: false, reason: 'unknown_or_wrong' };
  }
  if (row.failed_logins || row.lockouts || row.locked)
    await tx
      .sql('UPDATE staff SET failed_logins = 0, lockouts = 0, locked = 0, locked_until = NULL, updated_at = ? WHERE id = ?')
      .run(now, row.id);
  await recordAudit(tx, actor, { action: 'session.login', entity: 'staff', entityId: row.id, at: now });
  return { ok: true, staff: await getStaff(tx, row.id, now) };
}

/**
 * Checks a password against the committed hash, read in a snapshot (a change still uncommitted may be
 * rolled back) and hashed after it, so the reader's turn is not held while argon2 runs. For an unknown
 * user the password is checked against a dummy hash, so that the answer takes as long as for a known one.
 */
export async function passwordMatches(books: AnyBooks, username: string, password: string): Promise<boolean> {
  const row = await inReadSnapshot(books, (q) => findStaff(q, username));
  if (!row) {
    await checkPassword(await dummyHash(), password);
    return false;
  }
  return checkPassword(row.password_hash, password);
}
