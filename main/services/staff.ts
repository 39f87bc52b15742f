// Staff users: the first admin, users an admin manages, and logins with lockout after five failures.
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { SYSTEM_ACTOR } from './actor';
import { MIN_PASSWORD_LENGTH, checkPassword } from './passwords';

export const ROLES = ['clerk', 'approver', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const MAX_FAILED_LOGINS = 5;

export interface StaffOut {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  locked: boolean;
  disabled: boolean;
  failedLogins: number;
  createdAt: number;
}

interface StaffRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  failed_logins: number;
  locked: number;
  disabled: number;
  created_at: number;
}

function out(r: StaffRow): StaffOut {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    locked: r.locked === 1,
    disabled: r.disabled === 1,
    failedLogins: r.failed_logins,
    createdAt: r.created_at,
  };
}

export function assertPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CofferError('VALIDATION', `password: at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
}

export function staffCount(q: Queryable): number {
  return (q.sql('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
}

export async function listStaff(q: Queryable): Promise<StaffOut[]> {
  const rows = (await q.db.selectFrom('staff').selectAll().orderBy('username').execute()) as StaffRow[];
  return rows.map(out);
}

export function findStaff(q: Queryable, username: string): StaffRow | undefined {
  return q.sql('SELECT * FROM staff WHERE username = ?').get(username) as StaffRow | undefined;
}

export function getStaff(q: Queryable, id: number): StaffOut {
  const r = q.sql('SELECT * FROM staff WHERE id = ?').get(id) as StaffRow | undefined;
  if (!r) throw new CofferError('NOT_FOUND', `no staff user ${id}`, { field: 'id' });
  return out(r);
}

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
}

export function createStaff(tx: Tx, actor: Actor, s: NewStaff, now = Date.now()): StaffOut {
  if (findStaff(tx, s.username)) {
    throw new CofferError('CONFLICT', `username "${s.username}" is taken`, { field: 'username' });
  }
  const info = tx
    .sql('INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(s.username, s.displayName, s.role, s.passwordHash, now, now);
  const created = getStaff(tx, Number(info.lastInsertRowid));
  recordAudit(tx, actor, { action: 'staff.create', entity: 'staff', entityId: created.id, after: publicView(created) }, now);
  return created;
}

/** Only on an empty books file: the first admin, recorded as done by the system. */
export function createFirstAdmin(tx: Tx, s: Omit<NewStaff, 'role'>, now = Date.now()): StaffOut {
  if (staffCount(tx) > 0) throw new CofferError('CONFLICT', 'these books already have staff users; log in instead');
  return createStaff(tx, SYSTEM_ACTOR, { ...s, role: 'admin' }, now);
}

function publicView(s: StaffOut) {
  return { username: s.username, displayName: s.displayName, role: s.role, locked: s.locked, disabled: s.disabled };
}

export interface StaffChange {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
}

export function updateStaff(tx: Tx, actor: Actor, id: number, change: StaffChange, now = Date.now()): StaffOut {
  const before = getStaff(tx, id);
  if (id === actor.staffId && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true)) {
    throw new CofferError('CONFLICT', 'you cannot remove your own admin role or disable yourself; ask another admin');
  }
  const demotesAdmin = before.role === 'admin' && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
  if (demotesAdmin && activeAdmins(tx) <= 1) {
    throw new CofferError('CONFLICT', 'the books must keep at least one active admin');
  }
  tx.sql('UPDATE staff SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?').run(
    change.displayName ?? before.displayName,
    change.role ?? before.role,
    change.disabled === undefined ? (before.disabled ? 1 : 0) : change.disabled ? 1 : 0,
    now,
    id,
  );
  const after = getStaff(tx, id);
  recordAudit(
    tx,
    actor,
    { action: 'staff.update', entity: 'staff', entityId: id, before: publicView(before), after: publicView(after) },
    now,
  );
  return after;
}

function activeAdmins(q: Queryable): number {
  return (q.sql("SELECT count(*) AS n FROM staff WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
}

export function setPassword(tx: Tx, actor: Actor, id: number, passwordHash: string, now = Date.now()): void {
  getStaff(tx, id);
  tx.sql('UPDATE staff SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, now, id);
  recordAudit(tx, actor, { action: 'staff.password', entity: 'staff', entityId: id }, now);
}

export function unlockStaff(tx: Tx, actor: Actor, id: number, now = Date.now()): StaffOut {
  const before = getStaff(tx, id);
  tx.sql('UPDATE staff SET locked = 0, failed_logins = 0, updated_at = ? WHERE id = ?').run(now, id);
  const after = getStaff(tx, id);
  recordAudit(
    tx,
    actor,
    { action: 'staff.unlock', entity: 'staff', entityId: id, before: publicView(before), after: publicView(after) },
    now,
  );
  return after;
}

export type LoginOutcome =
  { ok: true; staff: StaffOut } | { ok: false; reason: 'unknown_or_wrong' | 'locked' | 'disabled'; attemptsLeft?: number };

/**
 * Checks a password and records the attempt. The caller hashes nothing here; verification happens
 * before the transaction through `preparedCheck` so the write lock is held only for the bookkeeping.
 */
export function recordLoginAttempt(tx: Tx, username: string, passwordOk: boolean, now = Date.now()): LoginOutcome {
  const row = findStaff(tx, username);
  if (!row) {
    recordAudit(
      tx,
      { staffId: null, name: username, role: 'system' },
      { action: 'session.login_failed', entity: 'staff', entityId: null, after: { reason: 'unknown user' } },
      now,
    );
    return { ok: false, reason: 'unknown_or_wrong' };
  }
  const actor: Actor = { staffId: row.id, name: row.username, role: row.role };
  if (row.disabled) return { ok: false, reason: 'disabled' };
  if (row.locked) {
    recordAudit(tx, actor, { action: 'session.login_refused', entity: 'staff', entityId: row.id, after: { reason: 'locked' } }, now);
    return { ok: false, reason: 'locked' };
  }
  if (!passwordOk) {
    const failed = row.failed_logins + 1;
    const lock = failed >= MAX_FAILED_LOGINS ? 1 : 0;
    tx.sql('UPDATE staff SET failed_logins = ?, locked = ?, updated_at = ? WHERE id = ?').run(failed, lock, now, row.id);
    recordAudit(
      tx,
      actor,
      { action: lock ? 'staff.locked' : 'session.login_failed', entity: 'staff', entityId: row.id, after: { failedLogins: failed } },
      now,
    );
    return lock ? { ok: false, reason: 'locked' } : { ok: false, reason: 'unknown_or_wrong', attemptsLeft: MAX_FAILED_LOGINS - failed };
  }
  if (row.failed_logins) tx.sql('UPDATE staff SET failed_logins = 0, updated_at = ? WHERE id = ?').run(now, row.id);
  recordAudit(tx, actor, { action: 'session.login', entity: 'staff', entityId: row.id }, now);
  return { ok: true, staff: getStaff(tx, row.id) };
}

/** Reads the stored hash (outside any write) and checks the password against it. */
export async function passwordMatches(q: Queryable, username: string, password: string): Promise<boolean> {
  const row = findStaff(q, username);
  if (!row) {
    return false;
  }
  return checkPassword(row.password_hash, password);
}
