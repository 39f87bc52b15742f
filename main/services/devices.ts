// Device binding at login (the patent's rule) and re-binding with four eyes. The policy in force at the
// login's time decides: strict blocks a mismatch, review lets it through flagged for staff.
import { compiledOnce } from '../db/query';
import type { Queryable } from '../db/books';
import { holdMemo, type TxMemo, type Tx } from '../db/tx';
import { refusal, refuse, storedRefusal, type Refusal } from '../domain/refusals';
import { judgeLogin, normaliseAddress, type AddressKind, type VerdictCode } from '../domain/device';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { findAccount, type Provenance } from './customers';
import { settingAt } from './settings';
import type { AuditAction } from '../domain/audit-actions';

// Each looked up once per login or session-bound request of an event file: compiled once.
const REGISTERED_ADDRESSES = compiledOnce((db, accountId: number) =>
  db
    .selectFrom('device_bindings')
    .select(['kind', 'address'])
    .where('account_id', '=', accountId)
    .where('ends_at', 'is', null)
    .orderBy('kind'),
);
const SESSION_LOGIN = compiledOnce((db, session: string) =>
  db
    .selectFrom('logins as l')
    .innerJoin('customer_accounts as a', 'a.id', 'l.account_id')
    .select(['l.account_id', 'l.outcome', 'l.reason', 'l.reason_code', 'l.reason_params', 'a.customer_id'])
    .where('l.session', '=', session),
);
const ACCOUNT_CUSTOMER = compiledOnce((db, accountId: number) =>
  db.selectFrom('customer_accounts').select('customer_id').where('id', '=', accountId),
);

type Registered = readonly { kind: AddressKind; address: string }[];

// An event import checks every login against its account's addresses: while it runs, each account's
// are read once (accounts get theirs when opened, before any login; only an approved rebind changes
// them, and it forgets them here), and forgotten when a rollback takes away what they were read after.
const heldAddresses = new WeakMap<Queryable, TxMemo<number, Registered>>();

/** Until the returned function is called, the addresses `tx` reads are remembered. */
export const holdRegisteredAddresses = (tx: Tx): (() => void) => holdMemo(heldAddresses, tx);

export async function registeredAddresses(q: Queryable, accountId: number): Promise<Registered> {
  const held = heldAddresses.get(q);
  const known = held?.get(accountId);
  if (known) return known;
  const rows = await REGISTERED_ADDRESSES.all(q, accountId);
  held?.set(accountId, rows);
  return rows;
}

export interface LoginInput {
  accountId: number;
  session: string | null;
  ip?: string | null;
  mac?: string | null;
}

export interface LoginResult {
  id: number;
  outcome: 'ok' | 'flagged' | 'blocked';
  reason: string;
  why: Refusal<VerdictCode> | null;
}

export async function recordLogin(tx: Tx, actor: Actor, l: LoginInput, p: Provenance): Promise<LoginResult> {
  const ip = l.ip ? normaliseAddress('ip', l.ip) : null;
  const mac = l.mac ? normaliseAddress('mac', l.mac) : null;
  if (l.ip && !ip) throw refuse('VALIDATION', 'ip_invalid', { ip: l.ip }, { field: 'ip' });
  if (l.mac && !mac) throw refuse('VALIDATION', 'mac_invalid', { mac: l.mac }, { field: 'mac' });
  if (l.session && (await tx.sql('SELECT 1 FROM logins WHERE session = ?').get(l.session))) {
    throw refuse('REFUSED', 'session_has_login', { session: l.session }, { field: 'session' });
  }
  const policy = await settingAt(tx, 'device.policy', p.at);
  const verdict = judgeLogin(await registeredAddresses(tx, l.accountId), { ip, mac }, policy);
  const info = await tx
    .sql(
      'INSERT INTO logins (event_id, account_id, session, at, ip, mac, outcome, policy, reason, reason_code, reason_params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      p.eventId ?? null,
      l.accountId,
      l.session,
      p.at,
      ip,
      mac,
      verdict.outcome,
      policy,
      verdict.reason,
      verdict.why?.code ?? null,
      verdict.why ? JSON.stringify(verdict.why.params) : null,
    );
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: `customer.login_${verdict.outcome}` satisfies AuditAction,
    entity: 'customer_account',
    entityId: l.accountId,
    after: { session: l.session, ip, mac, policy, reason: verdict.reason, eventId: p.eventId ?? null },
    at: p.at,
  });
  return { id, outcome: verdict.outcome, reason: verdict.reason, why: verdict.why };
}

/**
 * A request that names a platform session must come from a login that went through, by the same
 * account's customer. Throws REFUSED with the reason otherwise.
 */
export async function assertSessionAllowed(q: Queryable, session: string, accountId: number): Promise<void> {
  const login = await SESSION_LOGIN.get(q, session);
  if (!login) throw refuse('REFUSED', 'unknown_session', { session }, { field: 'session' });
  if (login.outcome === 'blocked') {
    const verdict = storedRefusal(login.reason_code, login.reason_params, login.reason) ?? refusal('other', { message: login.reason });
    throw refuse('REFUSED', 'blocked_session', { session, cause: verdict.code, ...verdict.params }, { field: 'session' });
  }
  const account = await ACCOUNT_CUSTOMER.get(q, accountId);
  if (!account || account.customer_id !== login.customer_id) {
    throw refuse('REFUSED', 'foreign_session', { session }, { field: 'session' });
  }
}

export interface RebindRequestOut {
  id: number;
  accountId: number;
  kind: AddressKind;
  address: string;
  reason: string;
  requestedBy: number;
  requestedAt: number;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: number | null;
  decidedAt: number | null;
  decisionNote: string;
}

const REBIND_COLUMNS = [
  'r.id',
  'r.account_id as accountId',
  'r.kind',
  'r.address',
  'r.reason',
  'r.requested_by as requestedBy',
  'r.requested_at as requestedAt',
  'r.status',
  'r.decided_by as decidedBy',
  'r.decided_at as decidedAt',
  'r.decision_note as decisionNote',
] as const;

async function rebindById(q: Queryable, id: number): Promise<RebindRequestOut> {
  const r = await q.db.selectFrom('rebind_requests as r').select(REBIND_COLUMNS).where('r.id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'rebind_not_found', { ref: String(id) }, { field: 'id' });
  return r;
}

/** A clerk (or approver) asks to re-bind an account's address after checking with the customer. */
export async function requestRebind(
  tx: Tx,
  actor: Actor,
  accountId: number,
  kind: AddressKind,
  rawAddress: string,
  reason: string,
  now = Date.now(),
): Promise<RebindRequestOut> {
  await findAccount(tx, { id: accountId }, 'accountId');
  const address = normaliseAddress(kind, rawAddress);
  if (!address)
    throw refuse('VALIDATION', 'rebind_address_invalid', { address: rawAddress, kind: kind.toUpperCase() }, { field: 'address' });
  if (await tx.sql("SELECT 1 FROM rebind_requests WHERE account_id = ? AND kind = ? AND status = 'pending'").get(accountId, kind)) {
    throw refuse('CONFLICT', 'rebind_waiting', { kind: kind.toUpperCase() }, { field: 'kind' });
  }
  const info = await tx
    .sql('INSERT INTO rebind_requests (account_id, kind, address, reason, requested_by, requested_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(accountId, kind, address, reason, actor.staffId, now);
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'device.rebind_request',
    entity: 'customer_account',
    entityId: accountId,
    after: { requestId: id, kind, address, reason },
    at: now,
  });
  return await rebindById(tx, id);
}

/** An approver other than the one who asked confirms or rejects; confirming replaces the registered address. */
export async function decideRebind(
  tx: Tx,
  actor: Actor,
  id: number,
  approve: boolean,
  note: string,
  now = Date.now(),
): Promise<RebindRequestOut> {
  const r = await rebindById(tx, id);
  if (r.status !== 'pending') throw refuse('CONFLICT', 'rebind_decided', { ref: String(id), status: r.status }, { field: 'id' });
  if (r.requestedBy === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_rebind', { user: actor.name }, { field: 'id' });
  await tx
    .sql('UPDATE rebind_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?')
    .run(approve ? 'approved' : 'rejected', actor.staffId, now, note, id);
  let before: Registered = [];
  if (approve) {
    before = await registeredAddresses(tx, r.accountId);
    heldAddresses.get(tx)?.delete(r.accountId);
    await tx
      .sql('UPDATE device_bindings SET ends_at = ? WHERE account_id = ? AND kind = ? AND ends_at IS NULL')
      .run(now, r.accountId, r.kind);
    await tx
      .sql('INSERT INTO device_bindings (account_id, kind, address, starts_at, source) VALUES (?, ?, ?, ?, ?)')
      .run(r.accountId, r.kind, r.address, now, `rebind:${id}`);
  }
  await recordAudit(tx, actor, {
    action: approve ? 'device.rebind_approve' : 'device.rebind_reject',
    entity: 'customer_account',
    entityId: r.accountId,
    before: approve ? before : undefined,
    after: { requestId: id, kind: r.kind, address: r.address, note },
    at: now,
  });
  return await rebindById(tx, id);
}

export interface RebindFilter {
  status?: RebindRequestOut['status'];
  customerId?: number;
  accountId?: number;
  beforeId?: number;
  limit?: number;
}

export async function listRebindRequests(
  q: Queryable,
  f: RebindFilter = {},
): Promise<
  (RebindRequestOut & {
    accountExternalId: string;
    customerId: number;
    customerName: string;
    requestedByName: string;
    decidedByName: string | null;
  })[]
> {
  let query = q.db
    .selectFrom('rebind_requests as r')
    .innerJoin('customer_accounts as a', 'a.id', 'r.account_id')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .innerJoin('staff as s', 's.id', 'r.requested_by')
    .leftJoin('staff as d', 'd.id', 'r.decided_by')
    .select(REBIND_COLUMNS)
    .select([
      'a.external_id as accountExternalId',
      'c.id as customerId',
      'c.name as customerName',
      's.username as requestedByName',
      'd.username as decidedByName',
    ])
    .where('r.id', '<', f.beforeId ?? Number.MAX_SAFE_INTEGER);
  if (f.status !== undefined) query = query.where('r.status', '=', f.status);
  if (f.customerId !== undefined) query = query.where('c.id', '=', f.customerId);
  if (f.accountId !== undefined) query = query.where('r.account_id', '=', f.accountId);
  return await query
    .orderBy('r.id', 'desc')
    .limit(f.limit ?? 500)
    .execute();
}
