// Recharge requests (step 2 of the method): the customer names the account, the bank account they pay
// from (bound to the account at that moment), the amount and a reference code for the memo. States
// follow the money found for them; every change bumps the version and is audited.
import type { NotNull, Selectable } from 'kysely';
import { compiledOnce, literal } from '../db/query';
import type { RechargeRequestTable } from '../db/schema';
import { postReversal } from './ledger-actions';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import { shanghaiDate } from '../domain/dates';
import { requestStatus } from '../domain/matching';
import type { RequestStatus } from '../domain/request-status';
import { formatYuan } from '../domain/money';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { bankBindingsAt, findAccount, normaliseBankNumber, type Provenance } from './customers';
import { assertSessionAllowed } from './devices';
import { settingAt } from './settings';

export const OPEN_STATUSES: RequestStatus[] = ['submitted', 'partly_paid'];

export type RechargeRequestRow = Selectable<RechargeRequestTable>;

// Looked up per request of an event file (and per request matching touches): compiled once.
const REQUEST_BY_ID = compiledOnce((db, id: number) => db.selectFrom('recharge_requests').selectAll().where('id', '=', id));
const REQUEST_BY_REQUEST_ID = compiledOnce((db, requestId: string) =>
  db.selectFrom('recharge_requests').selectAll().where('request_id', '=', requestId),
);
const OPEN_REQUEST_BY_REFERENCE = compiledOnce((db, referenceCode: string) =>
  db
    .selectFrom('recharge_requests')
    .select('request_id')
    .where('reference_code', '=', referenceCode)
    .where('status', 'in', [literal('submitted'), literal('partly_paid')]),
);

export async function requestById(q: Queryable, id: number): Promise<RechargeRequestRow> {
  const r = await REQUEST_BY_ID.get(q, id);
  if (!r) throw refuse('NOT_FOUND', 'not_found', { ref: String(id) }, { field: 'id' });
  return r;
}

export interface NewRechargeRequest {
  requestId: string;
  account: { id?: number; externalId?: string };
  payerAccount: string;
  amount: number;
  channel: 'bank' | 'alipay' | 'wechat';
  referenceCode: string;
  session?: string | null;
}

/** Records a request; refuses (REFUSED) a blocked session, an unknown account, or a payer account not bound then. */
export async function createRechargeRequest(tx: Tx, actor: Actor, r: NewRechargeRequest, p: Provenance): Promise<RechargeRequestRow> {
  const existing = await REQUEST_BY_REQUEST_ID.get(tx, r.requestId);
  const account = await findAccount(tx, r.account);
  const payer = normaliseBankNumber(r.payerAccount);
  if (existing) {
    const same =
      existing.account_id === account.id &&
      existing.amount === r.amount &&
      existing.payer_account === payer &&
      existing.reference_code === r.referenceCode;
    if (!same) throw refuse('CONFLICT', 'request_other_content', { requestId: r.requestId }, { field: 'request_id' });
    return existing;
  }
  if (r.session) await assertSessionAllowed(tx, r.session, account.id);
  if (!Number.isSafeInteger(r.amount) || r.amount <= 0) throw refuse('REFUSED', 'amount_not_positive', {}, { field: 'amount' });
  const binding = (await bankBindingsAt(tx, account.id, p.at)).find((b) => b.accountNumber === payer);
  if (!binding) {
    throw refuse(
      'REFUSED',
      'payer_not_bound',
      { payer, account: account.external_id, date: shanghaiDate(p.at) },
      { field: 'payer_account' },
    );
  }
  const clash = await OPEN_REQUEST_BY_REFERENCE.get(tx, r.referenceCode);
  if (clash)
    throw refuse('REFUSED', 'reference_code_in_use', { code: r.referenceCode, requestId: clash.request_id }, { field: 'reference_code' });
  const info = await tx
    .sql(
      `INSERT INTO recharge_requests (request_id, account_id, bank_binding_id, payer_account, payer_name, amount, channel, reference_code, requested_at, session, entered_by, source_event, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.requestId,
      account.id,
      binding.id,
      payer,
      binding.holderName,
      r.amount,
      r.channel,
      r.referenceCode,
      p.at,
      r.session ?? null,
      p.eventId ? null : actor.staffId,
      p.eventId ?? null,
      p.at,
    );
  const row = await requestById(tx, Number(info.lastInsertRowid));
  await recordAudit(tx, actor, {
    action: 'recharge.request',
    entity: 'recharge_request',
    entityId: row.id,
    after: {
      requestId: r.requestId,
      account: account.external_id,
      amount: formatYuan(r.amount),
      payer,
      referenceCode: r.referenceCode,
      eventId: p.eventId ?? null,
    },
    at: p.at,
  });
  return row;
}

/** Recomputes covered and status from active allocations; bumps the version when anything changed. */
export async function refreshRequest(tx: Tx, id: number, now: number, overpaid = false): Promise<RechargeRequestRow> {
  const r = await requestById(tx, id);
  if (!['submitted', 'partly_paid', 'matched', 'overpaid'].includes(r.status)) return r;
  const covered = (await tx.db
    .selectFrom('allocations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('c'))
    .where('request_id', '=', id)
    .where('status', '=', literal('active'))
    .executeTakeFirst())!.c;
  const status = requestStatus(r.amount, covered, overpaid || (r.status === 'overpaid' && covered >= r.amount));
  if (covered !== r.covered || status !== r.status) {
    await tx
      .sql('UPDATE recharge_requests SET covered = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?')
      .run(covered, status, now, id);
  }
  return await requestById(tx, id);
}

function assertVersion(r: RechargeRequestRow, version: number | undefined) {
  if (version !== undefined && version !== r.version) {
    throw refuse(
      'CONFLICT',
      'stale_version',
      { requestId: r.request_id, seen: String(version), now: String(r.version) },
      { field: 'version', current: r.version },
    );
  }
}

/** An approver rejects a request with a reason; its allocations are released (undone) with it. */
export async function rejectRequest(
  tx: Tx,
  actor: Actor,
  id: number,
  reason: string,
  version: number | undefined,
  now: number,
): Promise<RechargeRequestRow> {
  const r = await requestById(tx, id);
  assertVersion(r, version);
  if (!['submitted', 'partly_paid', 'matched', 'overpaid'].includes(r.status))
    throw refuse('CONFLICT', 'not_rejectable', { requestId: r.request_id, status: r.status }, { field: 'id' });
  const released = await tx.db
    .selectFrom('allocations')
    .select(['id', 'bank_line_id', 'amount'])
    .where('request_id', '=', id)
    .where('status', '=', literal('active'))
    .where('kind', '=', literal('bank'))
    .execute();
  for (const a of released) await tx.sql('UPDATE bank_lines SET allocated = allocated - ? WHERE id = ?').run(a.amount, a.bank_line_id);
  // A confirmed fee write-off was posted (Dr 手续费 / Cr unallocated receipts): rejecting the request undoes it.
  const postedWriteOffs = await tx.db
    .selectFrom('allocations')
    .select('ledger_transfer_id as t')
    .where('request_id', '=', id)
    .where('status', '=', literal('active'))
    .where('kind', '=', literal('writeoff'))
    .where('ledger_transfer_id', 'is not', null)
    .$narrowType<{ t: NotNull }>()
    .execute();
  for (const w of postedWriteOffs) await postReversal(tx, actor, w.t, `write-off undone: request rejected: ${reason}`, now);
  await tx
    .sql(
      "UPDATE allocations SET status = 'undone', undone_by = ?, undone_at = ?, undo_reason = ? WHERE request_id = ? AND status IN ('active', 'proposed')",
    )
    .run(actor.staffId, now, `request rejected: ${reason}`, id);
  await tx
    .sql("UPDATE recharge_requests SET status = 'rejected', covered = 0, reason = ?, version = version + 1, updated_at = ? WHERE id = ?")
    .run(reason, now, id);
  await recordAudit(tx, actor, {
    action: 'recharge.reject',
    entity: 'recharge_request',
    entityId: id,
    before: { status: r.status, covered: r.covered },
    after: { status: 'rejected', reason, released: released.length },
    at: now,
  });
  return await requestById(tx, id);
}

/** Requests with no money found after the configured number of days expire. */
export async function expireRequests(tx: Tx, actor: Actor, now: number): Promise<number> {
  const days = await settingAt(tx, 'recharge.expiryDays', now);
  const info = await tx
    .sql(
      "UPDATE recharge_requests SET status = 'expired', reason = ?, version = version + 1, updated_at = ? WHERE status = 'submitted' AND covered = 0 AND requested_at < ?",
    )
    .run(`no payment found within ${days} days`, now, now - days * 86_400_000);
  if (info.changes)
    await recordAudit(tx, actor, { action: 'recharge.expire', entity: 'recharge_request', after: { days }, count: info.changes, at: now });
  return info.changes;
}
