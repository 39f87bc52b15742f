// Coins moving for a customer: transfers among their linked accounts (same wallet kind only, above a
// threshold held as a pending ledger transfer until an approver posts or voids it), earnings credited
// from the platform's pool, coins spent on the platform, and recharge coins the platform let expire
// (consumed like spending; the revenue run tells them apart by the transfer code). A well-formed request that a rule refuses
// is recorded as refused with its reason; a replay of the same request id changes nothing.
import type { Kysely } from 'kysely';
import type { Queryable } from '../db/books';
import { compiledOnce, type RowOf } from '../db/query';
import type { Database } from '../db/schema';
import type { Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { LEDGER } from '../domain/ledgers';
import { checkMovement, needsApproval, type WalletKind } from '../domain/coin-movement';
import { refusal, refusalOf, withWhy, type Refusal, refuse } from '../domain/refusals';
import type { TransferCode } from '../domain/transfer-rules';
import type { TransferBusinessCode } from '../domain/transfer-codes';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import type { AccountRow, Provenance } from './customers';
import { assertSessionAllowed } from './devices';
import { accrueEarnings } from './earnings';
import { createTransfers } from './ledger-post';
import { settingAt } from './settings';
import { systemAccount } from './system-accounts';
import type { AuditAction } from '../domain/audit-actions';

export type MovementStatus = 'posted' | 'awaiting_approval' | 'refused' | 'rejected';

export interface MovementOut {
  id: number;
  requestId: string;
  type: 'transfer' | 'earnings' | 'spend' | 'expiry';
  walletKind: WalletKind;
  fromAccountId: number | null;
  toAccountId: number | null;
  amount: number;
  status: MovementStatus;
  /** English: why it was refused or held, or the approver's note on a decision. */
  reason: string;
  /** The refusal (or the hold) as a code with parameters; null for a decision's note. */
  why: Refusal | null;
  session: string | null;
  ledgerTransferId: number | null;
  requestedAt: number;
  enteredBy: number | null;
  decidedBy: number | null;
  decidedAt: number | null;
  /** True when the request id had been seen before: nothing changed this time. */
  replayed?: boolean;
}

// Read once per platform event of an import (a replay's check): compiled once.
const movementColumns = (db: Kysely<Database>) =>
  db
    .selectFrom('coin_movements')
    .select([
      'id',
      'request_id as requestId',
      'type',
      'wallet_kind as walletKind',
      'from_account_id as fromAccountId',
      'to_account_id as toAccountId',
      'amount',
      'status',
      'reason',
      'reason_code as reasonCode',
      'reason_params as reasonParams',
      'session',
      'ledger_transfer_id as ledgerTransferId',
      'requested_at as requestedAt',
      'entered_by as enteredBy',
      'decided_by as decidedBy',
      'decided_at as decidedAt',
    ]);
const MOVEMENT_BY_ID = compiledOnce((db, id: number) => movementColumns(db).where('id', '=', id));
const MOVEMENT_BY_REQUEST = compiledOnce((db, requestId: string) => movementColumns(db).where('request_id', '=', requestId));

type StoredMovement = RowOf<typeof movementColumns>;

export async function movementById(q: Queryable, id: number): Promise<MovementOut> {
  const m = await MOVEMENT_BY_ID.get(q, id);
  if (!m) throw refuse('NOT_FOUND', 'coin_movement_not_found', { ref: String(id) }, { field: 'id' });
  return withWhy(m);
}

async function movementByRequest(q: Queryable, requestId: string): Promise<MovementOut | undefined> {
  const m = await MOVEMENT_BY_REQUEST.get(q, requestId);
  return m && withWhy(m);
}

/** A ledger refusal of a customer's movement, by the ledger's result code. */
function ledgerRefusal(result: TransferCode): Refusal {
  return result === 'exceeds_credits' || result === 'overflows_credits' || result === 'overflows_debits'
    ? refusal(result, {})
    : refusal('ledger_refused', { result });
}

function wallet(a: AccountRow, kind: WalletKind): number {
  return kind === 'recharge' ? a.recharge_wallet_id : a.earnings_wallet_id;
}
function ledgerOf(kind: WalletKind): number {
  return kind === 'recharge' ? LEDGER.RECHARGE_COIN : LEDGER.EARNINGS_COIN;
}

interface Draft {
  requestId: string;
  type: MovementOut['type'];
  walletKind: WalletKind;
  from: AccountRow | null;
  to: AccountRow | null;
  amount: number;
  session: string | null;
}

/** Same request id: same content is a replay (nothing changes); other content is an error. */
function replayOrConflict(existing: MovementOut, d: Draft): MovementOut {
  const same =
    existing.type === d.type &&
    existing.walletKind === d.walletKind &&
    existing.fromAccountId === (d.from?.id ?? null) &&
    existing.toAccountId === (d.to?.id ?? null) &&
    existing.amount === d.amount;
  if (!same) throw refuse('CONFLICT', 'request_other_content', { requestId: d.requestId }, { field: 'request_id' });
  return { ...existing, replayed: true };
}

async function insert(
  tx: Tx,
  actor: Actor,
  d: Draft,
  status: MovementStatus,
  why: Refusal | null,
  ledgerTransferId: number | null,
  p: Provenance,
): Promise<MovementOut> {
  // The row as the table holds it (STRICT: it reads back exactly these values), in SELECT's column
  // order, so the movement returned and audited is what movementById would read back.
  const stored: Omit<StoredMovement, 'id'> = {
    requestId: d.requestId,
    type: d.type,
    walletKind: d.walletKind,
    fromAccountId: d.from?.id ?? null,
    toAccountId: d.to?.id ?? null,
    amount: d.amount,
    status,
    reason: why?.message ?? '',
    reasonCode: why?.code ?? null,
    reasonParams: why ? JSON.stringify(why.params) : null,
    session: d.session,
    ledgerTransferId,
    requestedAt: p.at,
    enteredBy: p.eventId ? null : actor.staffId,
    decidedBy: null,
    decidedAt: null,
  };
  const info = await tx
    .sql(
      `INSERT INTO coin_movements (request_id, type, wallet_kind, from_account_id, to_account_id, amount, status, reason, reason_code, reason_params, session, ledger_transfer_id, requested_at, entered_by, source_event)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      stored.requestId,
      stored.type,
      stored.walletKind,
      stored.fromAccountId,
      stored.toAccountId,
      stored.amount,
      stored.status,
      stored.reason,
      stored.reasonCode,
      stored.reasonParams,
      stored.session,
      stored.ledgerTransferId,
      stored.requestedAt,
      stored.enteredBy,
      p.eventId ?? null,
    );
  const m = withWhy({ id: Number(info.lastInsertRowid), ...stored });
  await recordAudit(tx, actor, {
    action: `coins.${d.type}_${status}` satisfies AuditAction,
    entity: 'coin_movement',
    entityId: m.id,
    after: { ...m, eventId: p.eventId ?? null },
    at: p.at,
  });
  return m;
}

async function refusedBySession(tx: Tx, d: Draft, accountId: number): Promise<Refusal | null> {
  if (!d.session) return null;
  try {
    await assertSessionAllowed(tx, d.session, accountId);
    return null;
  } catch (e) {
    if (e instanceof CofferError && e.code === 'REFUSED') return refusalOf(e);
    throw e;
  }
}

export interface TransferRequest {
  requestId: string;
  fromAccount: AccountRow;
  toAccount: AccountRow;
  walletKind: WalletKind;
  amount: number;
  session?: string | null;
}

export async function requestTransfer(tx: Tx, actor: Actor, r: TransferRequest, p: Provenance): Promise<MovementOut> {
  const d: Draft = {
    requestId: r.requestId,
    type: 'transfer',
    walletKind: r.walletKind,
    from: r.fromAccount,
    to: r.toAccount,
    amount: r.amount,
    session: r.session ?? null,
  };
  const existing = await movementByRequest(tx, r.requestId);
  if (existing) return replayOrConflict(existing, d);
  const sessionRefusal = await refusedBySession(tx, d, r.fromAccount.id);
  if (sessionRefusal) return await insert(tx, actor, d, 'refused', sessionRefusal, null, p);
  const rule = checkMovement(
    { id: r.fromAccount.id, customerId: r.fromAccount.customer_id, linked: r.fromAccount.linked === 1 },
    { id: r.toAccount.id, customerId: r.toAccount.customer_id, linked: r.toAccount.linked === 1 },
    r.amount,
  );
  if (rule) return await insert(tx, actor, d, 'refused', refusal(rule, {}), null, p);
  const hold = needsApproval(r.amount, await settingAt(tx, 'transfer.approvalThreshold', p.at));
  const [result] = await createTransfers(
    tx,
    [
      {
        key: `coins:${r.requestId}`,
        kind: hold ? 'pending' : 'single',
        ledger: ledgerOf(r.walletKind),
        debitAccountId: wallet(r.fromAccount, r.walletKind),
        creditAccountId: wallet(r.toAccount, r.walletKind),
        amount: r.amount,
        code: 'customer_transfer',
        memo: r.requestId,
      },
    ],
    { staffId: actor.staffId, now: p.at, lateToFirstOpenDay: true },
  );
  if (result!.result !== 'ok') return await insert(tx, actor, d, 'refused', ledgerRefusal(result!.result), null, p);
  return await insert(tx, actor, d, hold ? 'awaiting_approval' : 'posted', hold ? refusal('held_for_approval', {}) : null, result!.id!, p);
}

/** An approver posts (approve) or voids (reject) a held transfer; the person who entered it may not. */
export async function decideTransfer(
  tx: Tx,
  actor: Actor,
  id: number,
  approve: boolean,
  note: string,
  now = Date.now(),
): Promise<MovementOut> {
  const m = await movementById(tx, id);
  if (m.status !== 'awaiting_approval')
    throw refuse('CONFLICT', 'transfer_not_held', { requestId: m.requestId, status: m.status }, { field: 'id' });
  if (m.enteredBy !== null && m.enteredBy === actor.staffId) {
    throw refuse('FORBIDDEN', 'four_eyes_transfer', { user: actor.name }, { field: 'id' });
  }
  const [r] = await createTransfers(
    tx,
    [
      {
        key: `coins:${m.requestId}:${approve ? 'post' : 'void'}`,
        kind: approve ? 'post' : 'void',
        pendingId: m.ledgerTransferId!,
        code: 'customer_transfer',
      },
    ],
    {
      staffId: actor.staffId,
      now,
    },
  );
  if (r!.result !== 'ok')
    throw refuse('LEDGER', approve ? 'held_post_failed' : 'held_void_failed', { result: r!.result }, { code: r!.result });
  await tx
    .sql(
      'UPDATE coin_movements SET status = ?, reason = ?, reason_code = NULL, reason_params = NULL, decided_by = ?, decided_at = ? WHERE id = ?',
    )
    .run(approve ? 'posted' : 'rejected', note, actor.staffId, now, id);
  await recordAudit(tx, actor, {
    action: approve ? 'coins.transfer_approve' : 'coins.transfer_reject',
    entity: 'coin_movement',
    entityId: id,
    before: { status: m.status },
    after: { status: approve ? 'posted' : 'rejected', note },
    at: now,
  });
  return await movementById(tx, id);
}

/** The one posting a platform movement makes: from one wallet or system account to another, with its code. */
interface Leg {
  ledger: number;
  debitAccountId: number;
  creditAccountId: number;
  code: TransferBusinessCode;
}

/**
 * A movement the platform reports (earnings, spending, expiry): replayed when its request was seen, refused
 * (and recorded so) when the session or the amount may not, else posted on its own date as one transfer.
 */
async function platformMovement(
  tx: Tx,
  actor: Actor,
  d: Draft,
  p: Provenance,
  leg: () => Promise<Leg>,
  refusedFirst: () => Promise<Refusal | null> = () => Promise.resolve(null),
): Promise<MovementOut> {
  const existing = await movementByRequest(tx, d.requestId);
  if (existing) return replayOrConflict(existing, d);
  const refused = await refusedFirst();
  if (refused) return await insert(tx, actor, d, 'refused', refused, null, p);
  if (!Number.isSafeInteger(d.amount) || d.amount <= 0)
    return await insert(tx, actor, d, 'refused', refusal('amount_must_be_positive', {}), null, p);
  const [r] = await createTransfers(tx, [{ key: `coins:${d.requestId}`, ...(await leg()), amount: d.amount, memo: d.requestId }], {
    staffId: actor.staffId,
    now: p.at,
    lateToFirstOpenDay: true,
  });
  if (r!.result !== 'ok') return await insert(tx, actor, d, 'refused', ledgerRefusal(r!.result), null, p);
  return await insert(tx, actor, d, 'posted', null, r!.id!, p);
}

export async function creditEarnings(
  tx: Tx,
  actor: Actor,
  requestId: string,
  account: AccountRow,
  amount: number,
  p: Provenance,
): Promise<MovementOut> {
  const d: Draft = { requestId, type: 'earnings', walletKind: 'earnings', from: null, to: account, amount, session: null };
  const m = await platformMovement(tx, actor, d, p, async () => ({
    ledger: LEDGER.EARNINGS_COIN,
    debitAccountId: await systemAccount(tx, LEDGER.EARNINGS_COIN, 'earnings_pool'),
    creditAccountId: account.earnings_wallet_id,
    code: 'earnings',
  }));
  // The coins' CNY value: a liability to the creator (services/earnings.ts).
  if (m.status === 'posted' && !m.replayed)
    await accrueEarnings(tx, actor, { id: m.id, requestId, amount, ledgerTransferId: m.ledgerTransferId! }, p.at);
  return m;
}

export async function spendCoins(
  tx: Tx,
  actor: Actor,
  requestId: string,
  account: AccountRow,
  walletKind: WalletKind,
  amount: number,
  session: string | null,
  p: Provenance,
): Promise<MovementOut> {
  const d: Draft = { requestId, type: 'spend', walletKind, from: account, to: null, amount, session };
  return await platformMovement(
    tx,
    actor,
    d,
    p,
    async () => {
      const ledger = ledgerOf(walletKind);
      const sink = await systemAccount(tx, ledger, walletKind === 'recharge' ? 'coin_consumption' : 'earnings_consumption');
      return { ledger, debitAccountId: wallet(account, walletKind), creditAccountId: sink, code: 'spend' };
    },
    async () => refusedBySession(tx, d, account.id),
  );
}

/**
 * Recharge coins the platform let expire (过期): Dr the account's recharge wallet / Cr the coins-consumed
 * account, code 'expiry', so the revenue run recognises their value as used. Refused with the ledger's
 * code (exceeds_credits) when the wallet lacks them, like spending. No session: the platform acts.
 */
export async function expireCoins(
  tx: Tx,
  actor: Actor,
  requestId: string,
  account: AccountRow,
  amount: number,
  p: Provenance,
): Promise<MovementOut> {
  const d: Draft = { requestId, type: 'expiry', walletKind: 'recharge', from: account, to: null, amount, session: null };
  return await platformMovement(tx, actor, d, p, async () => ({
    ledger: LEDGER.RECHARGE_COIN,
    debitAccountId: account.recharge_wallet_id,
    creditAccountId: await systemAccount(tx, LEDGER.RECHARGE_COIN, 'coin_consumption'),
    code: 'expiry',
  }));
}
