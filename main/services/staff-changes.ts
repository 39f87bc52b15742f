// Four eyes on staff users (issue 11 §2): creating a user, changing a role, resetting a password,
// unlocking and disabling are proposed by one admin and take effect when ANOTHER admin confirms, as
// setting changes do. A password set by admins is a one-time code, made at confirmation and shown once
// to the confirming admin only, so the proposer never learns a usable password; the user must replace it
// at first login. An account that became an admin, or got its password from others, after a proposal
// was made cannot confirm it (decided by the audit chain's order, not by clocks: a clock set back
// cannot make a new account look old).
//
// Books with one active admin have nobody to confirm: there, creating a user, a role, an unlock and
// disabling take effect on the sole admin's word (recorded as such); a password reset never does — the
// sole admin's own recovery is `coffer staff recover` with the books key.
import { literal, type RowOf } from '../db/query';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { recordDecision, type Decision, type ProposalOut } from './four-eyes';
import {
  activeAdmins,
  assertStaffChangeAllowed,
  createStaff,
  findStaff,
  getStaff,
  resetPassword,
  unlockStaff,
  updateStaff,
  ROLES,
  type StaffOut,
} from './staff';
import { z } from 'zod';
import { storedJson } from '../db/stored-json';

export const STAFF_CHANGE_KINDS = ['create', 'role', 'reset', 'unlock', 'disable'] as const;
export type StaffChangeKind = (typeof STAFF_CHANGE_KINDS)[number];
const staffChangePayload = z.object({
  displayName: z.string().optional(),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});
export type StaffChangePayload = z.output<typeof staffChangePayload>;

export interface StaffChangeOut extends ProposalOut {
  id: number;
  kind: StaffChangeKind;
  target: string;
  targetName: string | null;
  payload: StaffChangePayload;
  soleAdmin: boolean;
}

/** A decision, and the one-time code when it set a password (shown once, never stored). */
export interface StaffDecision {
  change: StaffChangeOut;
  staff: StaffOut | null;
  oneTimeCode: string | null;
}

/** A code and its hash, made before the transaction (hashing takes tens of milliseconds). */
export interface PreparedCode {
  code: string;
  hash: string;
}

/** Staff changes with the names of who proposed and decided them and of the user they concern. */
function changes(q: Queryable) {
  return q.db
    .selectFrom('staff_changes as c')
    .innerJoin('staff as p', 'p.id', 'c.proposed_by')
    .leftJoin('staff as d', 'd.id', 'c.decided_by')
    .leftJoin('staff as t', 't.username', 'c.target')
    .selectAll('c')
    .select(['p.display_name as proposer', 'd.display_name as decider', 't.display_name as target_name']);
}

type Row = RowOf<typeof changes>;

function out(r: Row): StaffChangeOut {
  return {
    id: r.id,
    kind: r.kind,
    target: r.target,
    targetName: r.target_name,
    payload: storedJson(staffChangePayload, r.payload, 'staff_changes.payload'),
    proposedBy: r.proposed_by,
    proposedByName: r.proposer,
    proposedAt: r.proposed_at,
    status: r.status,
    decidedBy: r.decided_by,
    decidedByName: r.decider,
    decidedAt: r.decided_at,
    soleAdmin: r.sole_admin === 1,
  };
}

export async function listStaffChanges(q: Queryable): Promise<StaffChangeOut[]> {
  return (
    await changes(q)
      .orderBy((eb) => eb('c.status', '=', literal('proposed')), 'desc')
      .orderBy('c.id', 'desc')
      .limit(200)
      .execute()
  ).map(out);
}

export async function getStaffChange(q: Queryable, id: number): Promise<StaffChangeOut> {
  const r = await changes(q).where('c.id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'staff_change_not_found', { changeId: String(id) }, { field: 'id' });
  return out(r);
}

/** The audit row that recorded a proposal: what "made before" means for the newer-account rule. */
export async function proposalAuditId(q: Queryable, entity: 'setting_change' | 'staff_change', id: number): Promise<number> {
  const action = entity === 'setting_change' ? 'settings.propose' : 'staff.propose';
  const r = await q.db
    .selectFrom('audit')
    .select((eb) => eb.fn.min<number | null>('id').as('id'))
    .where('entity', '=', entity)
    .where('entity_id', '=', String(id))
    .where('action', '=', action)
    .executeTakeFirst();
  return r?.id ?? 0;
}

// What makes an account able to act as an admin: created, given a password by others, or made admin.
const CREDENTIAL_ACTIONS = ['staff.create', 'staff.reset', 'staff.recover', 'staff.role'] as const;

/** Whether a staff user was created, reset or made admin after the audit row `afterAuditId`. */
export async function credentialsNewerThan(q: Queryable, staffId: number, afterAuditId: number): Promise<boolean> {
  const r = await q.db
    .selectFrom('audit')
    .select((eb) => eb.fn.max<number | null>('id').as('id'))
    .where('entity', '=', literal('staff'))
    .where('entity_id', '=', String(staffId))
    .where('action', 'in', CREDENTIAL_ACTIONS.map(literal))
    .executeTakeFirst();
  return (r?.id ?? 0) > afterAuditId;
}

/**
 * FORBIDDEN when the admin confirming a proposal was created, reset or made admin after it was made:
 * that account may be the proposer's own second one.
 */
export async function refuseNewerAccount(q: Queryable, actor: Actor, entity: 'setting_change' | 'staff_change', id: number): Promise<void> {
  if (actor.staffId !== null && (await credentialsNewerThan(q, actor.staffId, await proposalAuditId(q, entity, id))))
    throw refuse(
      'FORBIDDEN',
      entity === 'setting_change' ? 'setting_newer_account' : 'staff_newer_account',
      { changeId: String(id), user: actor.name },
      { field: 'id' },
    );
}

function soleAdminMay(kind: StaffChangeKind): boolean {
  return kind !== 'reset';
}

/**
 * Proposes a change. On books with one active admin (and not for a reset) it takes effect at once;
 * `code` is then used for a new user's one-time code. Returns the decision when it took effect.
 */
export async function proposeStaffChange(
  tx: Tx,
  actor: Actor,
  kind: StaffChangeKind,
  target: string,
  payload: StaffChangePayload,
  code: PreparedCode | null,
  now: number,
): Promise<StaffDecision> {
  const existing = await findStaff(tx, target);
  if (kind === 'create') {
    if (existing) throw refuse('CONFLICT', 'staff_username_taken', { user: target }, { field: 'username' });
  } else if (!existing) throw refuse('NOT_FOUND', 'staff_not_found', { ref: String(target) }, { field: 'id' });
  else target = existing.username;
  const waiting = await tx.db
    .selectFrom('staff_changes')
    .select('id')
    .where('status', '=', literal('proposed'))
    .where('target', '=', target)
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (waiting) throw refuse('CONFLICT', 'staff_change_waiting', { user: target, changeId: String(waiting.id) }, { field: 'id' });
  if (existing) await checkApplicable(tx, actor, kind, existing.id, payload);
  const sole = soleAdminMay(kind) && (await activeAdmins(tx)) === 1;
  const info = await tx
    .sql('INSERT INTO staff_changes (kind, target, payload, proposed_by, proposed_at, sole_admin) VALUES (?, ?, ?, ?, ?, ?)')
    .run(kind, target, JSON.stringify(payload), actor.staffId, now, sole ? 1 : 0);
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'staff.propose',
    entity: 'staff_change',
    entityId: id,
    after: { kind, target, ...payload, soleAdmin: sole },
    at: now,
  });
  if (sole) {
    await tx.sql("UPDATE staff_changes SET status = 'confirmed', decided_at = ? WHERE id = ?").run(now, id);
    return await apply(tx, actor, await getStaffChange(tx, id), code, now);
  }
  return { change: await getStaffChange(tx, id), staff: existing ? await getStaff(tx, existing.id, now) : null, oneTimeCode: null };
}

/** Refusals that do not wait for the confirmation (they would refuse it too). */
async function checkApplicable(tx: Tx, actor: Actor, kind: StaffChangeKind, staffId: number, payload: StaffChangePayload): Promise<void> {
  if (kind === 'role') await assertStaffChangeAllowed(tx, actor, staffId, { role: payload.role! });
  if (kind === 'disable') await assertStaffChangeAllowed(tx, actor, staffId, { disabled: payload.disabled! });
}

async function apply(tx: Tx, actor: Actor, c: StaffChangeOut, code: PreparedCode | null, now: number): Promise<StaffDecision> {
  const staff = c.kind === 'create' ? null : await findStaff(tx, c.target);
  if (c.kind !== 'create' && !staff) throw refuse('NOT_FOUND', 'staff_not_found', { ref: c.target }, { field: 'id' });
  const needsCode = c.kind === 'create' || c.kind === 'reset';
  if (needsCode && !code) throw new Error('a one-time code must be prepared before the transaction');
  let after: StaffOut;
  switch (c.kind) {
    case 'create':
      if (await findStaff(tx, c.target)) throw refuse('CONFLICT', 'staff_username_taken', { user: c.target }, { field: 'username' });
      after = await createStaff(
        tx,
        actor,
        { username: c.target, displayName: c.payload.displayName!, role: c.payload.role!, passwordHash: code!.hash, oneTimeCode: true },
        now,
      );
      break;
    case 'reset':
      await resetPassword(tx, actor, staff!.id, code!.hash, { oneTimeCode: true, action: 'staff.reset', changeId: c.id }, now);
      after = await getStaff(tx, staff!.id, now);
      break;
    case 'unlock':
      after = await unlockStaff(tx, actor, staff!.id, now);
      break;
    case 'role':
      after = await updateStaff(tx, actor, staff!.id, { role: c.payload.role! }, now);
      if (c.payload.role === 'admin')
        await recordAudit(tx, actor, { action: 'staff.role', entity: 'staff', entityId: staff!.id, after: { role: 'admin' }, at: now });
      break;
    case 'disable':
      after = await updateStaff(tx, actor, staff!.id, { disabled: c.payload.disabled! }, now);
      break;
  }
  return { change: await getStaffChange(tx, c.id), staff: after, oneTimeCode: needsCode ? code!.code : null };
}

export async function decideStaffChange(
  tx: Tx,
  actor: Actor,
  id: number,
  decision: Decision,
  code: PreparedCode | null,
  now: number,
): Promise<StaffDecision> {
  const c = await getStaffChange(tx, id);
  if (c.status !== 'proposed')
    throw refuse('CONFLICT', 'staff_change_decided', { changeId: String(id), status: c.status }, { field: 'id' });
  if (c.proposedBy === actor.staffId)
    throw refuse('FORBIDDEN', 'staff_four_eyes', { changeId: String(id), user: actor.name }, { field: 'id' });
  if (decision === 'confirmed') await refuseNewerAccount(tx, actor, 'staff_change', id);
  await recordDecision(tx, actor, 'staff', id, decision, { after: { kind: c.kind, target: c.target } }, now);
  if (decision === 'rejected') return { change: await getStaffChange(tx, id), staff: null, oneTimeCode: null };
  return await apply(tx, actor, await getStaffChange(tx, id), code, now);
}

/**
 * The sole admin's recovery (`coffer staff recover`): whoever holds the books key sets the admin's
 * password. Only on books with no other active admin — where there is one, that admin resets it.
 */
export async function recoverSoleAdmin(
  tx: Tx,
  username: string,
  keyOk: boolean,
  keyFile: string,
  passwordHash: string,
  now: number,
): Promise<StaffOut> {
  const actor: Actor = { staffId: null, name: 'books key', role: 'system' };
  if (!keyOk) throw refuse('FORBIDDEN', 'recover_wrong_key', { file: keyFile }, { field: 'key-file' });
  const row = await findStaff(tx, username);
  if (!row || row.role !== 'admin' || row.disabled) throw refuse('REFUSED', 'recover_not_admin', { user: username }, { field: 'user' });
  const others = (
    await tx.db
      .selectFrom('staff')
      .select('username')
      .where('role', '=', literal('admin'))
      .where('disabled', '=', literal(0))
      .where('id', '<>', row.id)
      .orderBy('username')
      .execute()
  ).map((r) => r.username);
  if (others.length) throw refuse('REFUSED', 'recover_other_admins', { user: row.username, admins: others.join(', ') }, { field: 'user' });
  await resetPassword(tx, actor, row.id, passwordHash, { oneTimeCode: false, action: 'staff.recover' }, now);
  return await getStaff(tx, row.id, now);
}
