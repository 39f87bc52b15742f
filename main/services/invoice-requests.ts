// Invoice requests (step 5 of the method): the customer asks for an invoice over some of their credited
// recharges, in a platform event or at the counter. A clerk checks it — the buyer's fields as the tax
// template allows, and the recharges: only credited ones of that customer, only their paid money, never
// more than is still invoiceable — and a request that passes is `checked` with its amounts reserved on
// the recharges; one that fails is `rejected` with every problem named. Rejecting releases the reserve.
import type { Selectable } from 'kysely';
import { literal } from '../db/query';
import type { InvoiceRequestItemTable, InvoiceRequestTable } from '../db/schema';
import type { Queryable } from '../db/books';
import { inSavepoint, type Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { checkBuyer, fieldProblem, type Buyer, type FieldProblem } from '../domain/invoice-buyer';
import { refuse, refusalOf, type Refusal, type RefusalCode, type RefusalParams } from '../domain/refusals';
import { formatYuan } from '../domain/money';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { findAccount, type Provenance } from './customers';
import { assertSessionAllowed } from './devices';
import { settingAt } from './settings';
import { eachInTurn } from './in-turn';

export type InvoiceRequestStatus = 'submitted' | 'checked' | 'issued' | 'rejected';

/** The buyer's columns, as invoice requests and invoices both store them (an invoice copies them in this order). */
export const BUYER_COLUMNS = [
  'invoice_type',
  'buyer_name',
  'taxpayer_id',
  'address',
  'phone',
  'bank_name',
  'bank_account',
  'natural_person',
  'email',
  'remarks',
] as const;
export type BuyerColumns = Pick<InvoiceRequestRow, (typeof BUYER_COLUMNS)[number]>;

export type InvoiceRequestRow = Selectable<InvoiceRequestTable>;

export interface NewInvoiceRequest {
  requestId: string;
  account?: { id?: number; externalId?: string };
  customerId?: number;
  buyer: Buyer;
  /** The platform's recharge request ids (recharge.requested event ids, or counter:… ids). */
  recharges: string[];
  /** Fen to invoice over those recharges; null = all that is still invoiceable on them. */
  amount: number | null;
  session?: string | null;
}

export async function invoiceRequestById(q: Queryable, id: number): Promise<InvoiceRequestRow> {
  const r = await q.db.selectFrom('invoice_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'invoice_request_not_found', { ref: String(id) }, { field: 'id' });
  return r;
}

export function buyerOf(r: InvoiceRequestRow): Buyer {
  return { invoiceType: r.invoice_type, name: r.buyer_name, taxpayerId: r.taxpayer_id, ...buyerContactOf(r) };
}

/** The buyer's fields past its type, name and taxpayer id: where and how to reach it, and the remarks. */
export function buyerContactOf(r: InvoiceRequestRow) {
  return {
    address: r.address,
    phone: r.phone,
    bankName: r.bank_name,
    bankAccount: r.bank_account,
    naturalPerson: r.natural_person === 1,
    email: r.email,
    remarks: r.remarks,
  };
}

const nullIfBlank = (s: string | null | undefined) => (s === null || s === undefined || s.trim() === '' ? null : s.trim());

/**
 * Records a request as `submitted`. Refuses (REFUSED) an unknown account or customer and a request
 * from a blocked login's session; the same id again with the same content changes nothing.
 */
export async function createInvoiceRequest(tx: Tx, actor: Actor, r: NewInvoiceRequest, p: Provenance): Promise<InvoiceRequestRow> {
  let customerId: number;
  let accountId: number | null = null;
  if (r.account) {
    const a = await findAccount(tx, r.account);
    customerId = a.customer_id;
    accountId = a.id;
  } else if (r.customerId !== undefined) {
    if (!(await tx.sql('SELECT 1 FROM customers WHERE id = ?').get(r.customerId)))
      throw refuse('REFUSED', 'unknown_customer', { customer: String(r.customerId) }, { field: 'customerId' });
    customerId = r.customerId;
  } else throw refuse('VALIDATION', 'account_or_customer', {}, { field: 'account' });
  const recharges = [...new Set(r.recharges)];
  if (recharges.length === 0) throw refuse('VALIDATION', 'recharges_required', {}, { field: 'recharges' });
  const b = r.buyer;
  const existing = await tx.db.selectFrom('invoice_requests').selectAll().where('request_id', '=', r.requestId).executeTakeFirst();
  if (existing) {
    const items = (await itemsOf(tx, existing.id)).map((i) => i.recharge_ref);
    const same =
      existing.customer_id === customerId &&
      existing.buyer_name === b.name.trim() &&
      existing.taxpayer_id === nullIfBlank(b.taxpayerId) &&
      existing.amount === r.amount &&
      existing.invoice_type === b.invoiceType &&
      JSON.stringify(items) === JSON.stringify(recharges);
    if (!same) throw refuse('CONFLICT', 'invoice_request_other_content', { requestId: r.requestId }, { field: 'request_id' });
    return existing;
  }
  if (r.session) {
    if (accountId === null) throw refuse('VALIDATION', 'session_needs_account', {}, { field: 'session' });
    await assertSessionAllowed(tx, r.session, accountId);
  }
  if (r.amount !== null && (!Number.isSafeInteger(r.amount) || r.amount <= 0))
    throw refuse('VALIDATION', 'amount_not_positive', {}, { field: 'amount' });
  const info = await tx
    .sql(
      `INSERT INTO invoice_requests (request_id, customer_id, account_id, invoice_type, buyer_name, taxpayer_id, address, phone, bank_name, bank_account,
         natural_person, email, remarks, amount, session, requested_at, entered_by, source_event, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.requestId,
      customerId,
      accountId,
      b.invoiceType,
      b.name.trim(),
      nullIfBlank(b.taxpayerId),
      nullIfBlank(b.address),
      nullIfBlank(b.phone),
      nullIfBlank(b.bankName),
      nullIfBlank(b.bankAccount),
      b.naturalPerson ? 1 : 0,
      nullIfBlank(b.email),
      nullIfBlank(b.remarks),
      r.amount,
      r.session ?? null,
      p.at,
      p.eventId ? null : actor.staffId,
      p.eventId ?? null,
      p.at,
    );
  const id = Number(info.lastInsertRowid);
  const add = tx.sql('INSERT INTO invoice_request_items (invoice_request_id, recharge_ref) VALUES (?, ?)');
  for (const ref of recharges) await add.run(id, ref);
  await recordAudit(tx, actor, {
    action: 'invoice.request',
    entity: 'invoice_request',
    entityId: id,
    after: {
      requestId: r.requestId,
      invoiceType: b.invoiceType,
      buyer: b.name,
      recharges,
      amount: r.amount === null ? 'all invoiceable' : formatYuan(r.amount),
    },
    at: p.at,
  });
  return await invoiceRequestById(tx, id);
}

export type RequestItemRow = Selectable<InvoiceRequestItemTable>;

export async function itemsOf(q: Queryable, requestId: number): Promise<RequestItemRow[]> {
  return await q.db.selectFrom('invoice_request_items').selectAll().where('invoice_request_id', '=', requestId).orderBy('id').execute();
}

export type CheckOutcome =
  | { id: number; requestId: string; outcome: 'checked'; amount: string }
  | { id: number; requestId: string; outcome: 'rejected'; problems: FieldProblem[] }
  | ({ id: number; requestId: string; outcome: 'refused'; reason: string } & Omit<Refusal, 'message'>);

/** Every problem with a request's recharges and amount, and what it would reserve of each recharge. */
async function planReservation(
  q: Queryable,
  r: InvoiceRequestRow,
): Promise<{ problems: FieldProblem[]; take: Map<number, { recordId: number; amount: number }> }> {
  const problems: FieldProblem[] = [];
  const take = new Map<number, { recordId: number; amount: number }>();
  const items = await itemsOf(q, r.id);
  let wanted = r.amount === null ? Number.MAX_SAFE_INTEGER : r.amount;
  let available = 0n;
  await eachInTurn(items, async (item, i) => {
    const field = `recharges[${i}]`;
    const add = <C extends RefusalCode>(code: C, params: RefusalParams<C>) => problems.push(fieldProblem(field, code, params));
    const ref = item.recharge_ref;
    const request = await q.db.selectFrom('recharge_requests').select(['id', 'status']).where('request_id', '=', ref).executeTakeFirst();
    if (!request) return add('recharge_unknown', { ref });
    // A request has at most one record (recharge_records.request_id is unique).
    const rec = await q.db
      .selectFrom('recharge_records')
      .select(['id', 'receipt_no', 'customer_id', 'amount', 'invoiced', 'invoice_reserved', 'reversed_at'])
      .where('request_id', '=', request.id)
      .executeTakeFirst();
    if (!rec) return add('recharge_not_credited', { ref, status: request.status });
    if (rec.customer_id !== r.customer_id) return add('recharge_other_customer', { ref, receiptNo: rec.receipt_no });
    if (rec.reversed_at !== null) return add('recharge_reversed', { ref, receiptNo: rec.receipt_no });
    const free = rec.amount - rec.invoiced - rec.invoice_reserved;
    if (free <= 0)
      return add('recharge_nothing_left', {
        receiptNo: rec.receipt_no,
        paidFen: String(rec.amount),
        invoicedFen: String(rec.invoiced),
        heldFen: String(rec.invoice_reserved),
      });
    available += BigInt(free);
    const amount = Math.min(free, wanted);
    if (amount > 0) take.set(item.id, { recordId: rec.id, amount });
    wanted -= amount;
  });
  if (r.amount !== null && BigInt(r.amount) > available && problems.length === 0)
    problems.push(fieldProblem('amount', 'invoice_amount_over', { askedFen: String(r.amount), leftFen: String(available) }));
  return { problems, take };
}

/** Checks one submitted request: `checked` with its amounts reserved, or `rejected` with its problems. */
export async function checkInvoiceRequest(tx: Tx, actor: Actor, id: number, now: number): Promise<CheckOutcome> {
  const r = await invoiceRequestById(tx, id);
  if (r.status !== 'submitted') throw refuse('CONFLICT', 'invoice_request_not_submitted', { requestId: r.request_id, status: r.status });
  const customer = (await tx.db
    .selectFrom('customers')
    .select(['kind', 'name', 'id_number'])
    .where('id', '=', r.customer_id)
    .executeTakeFirst())!;
  const problems = checkBuyer(buyerOf(r), {
    customerKind: customer.kind,
    customerName: customer.name,
    customerIdNumber: customer.id_number,
  });
  const product = await settingAt(tx, 'invoice.product', now);
  if (r.invoice_type === 'special' && product.ordinaryOnly)
    problems.push(fieldProblem('invoiceType', 'invoice_ordinary_only', { item: product.itemName }));
  const plan = await planReservation(tx, r);
  problems.push(...plan.problems);
  if (problems.length) {
    await tx
      .sql(
        "UPDATE invoice_requests SET status = 'rejected', problems_json = ?, reason = ?, checked_by = ?, checked_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
      )
      .run(JSON.stringify(problems), problems.map((p) => p.message).join('; '), actor.staffId, now, now, id);
    await recordAudit(tx, actor, {
      action: 'invoice.check',
      entity: 'invoice_request',
      entityId: id,
      after: { outcome: 'rejected', problems },
      at: now,
    });
    return { id, requestId: r.request_id, outcome: 'rejected', problems };
  }
  let total = 0n;
  const setItem = tx.sql('UPDATE invoice_request_items SET record_id = ?, amount = ? WHERE id = ?');
  const reserve = tx.sql('UPDATE recharge_records SET invoice_reserved = invoice_reserved + ? WHERE id = ?');
  for (const [itemId, t] of plan.take) {
    await setItem.run(t.recordId, t.amount, itemId);
    await reserve.run(t.amount, t.recordId);
    total += BigInt(t.amount);
  }
  await tx
    .sql(
      "UPDATE invoice_requests SET status = 'checked', reserved = ?, problems_json = '[]', checked_by = ?, checked_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
    )
    .run(Number(total), actor.staffId, now, now, id);
  await recordAudit(tx, actor, {
    action: 'invoice.check',
    entity: 'invoice_request',
    entityId: id,
    after: { outcome: 'checked', reserved: formatYuan(Number(total)) },
    at: now,
  });
  return { id, requestId: r.request_id, outcome: 'checked', amount: String(total) };
}

/** Checks several requests (or every submitted one), each in its own savepoint. */
export async function checkInvoiceRequests(tx: Tx, actor: Actor, ids: number[] | null, now: number): Promise<CheckOutcome[]> {
  const list =
    ids ??
    (await tx.db.selectFrom('invoice_requests').select('id').where('status', '=', literal('submitted')).orderBy('id').execute()).map(
      (x) => x.id,
    );
  const out: CheckOutcome[] = [];
  for (const id of list) {
    try {
      out.push(await inSavepoint(tx, async () => checkInvoiceRequest(tx, actor, id, now)));
    } catch (e) {
      if (!(e instanceof CofferError)) throw e;
      const ref = (await tx.db.selectFrom('invoice_requests').select('request_id').where('id', '=', id).executeTakeFirst())?.request_id;
      const { code, params } = refusalOf(e);
      out.push({ id, requestId: ref ?? String(id), outcome: 'refused', reason: e.message, code, params });
    }
  }
  return out;
}

/** Gives back what a checked request holds on its recharges. */
export async function releaseReservation(tx: Tx, requestId: number): Promise<void> {
  const release = tx.sql('UPDATE recharge_records SET invoice_reserved = invoice_reserved - ? WHERE id = ?');
  for (const item of await itemsOf(tx, requestId))
    if (item.record_id !== null && item.amount > 0) await release.run(item.amount, item.record_id);
  await tx.sql('UPDATE invoice_requests SET reserved = 0 WHERE id = ?').run(requestId);
}

/** Rejects a submitted or checked request with the approver's reason, releasing its reservation. */
export async function rejectInvoiceRequest(tx: Tx, actor: Actor, id: number, reason: string, now: number): Promise<InvoiceRequestRow> {
  const r = await invoiceRequestById(tx, id);
  if (r.status !== 'submitted' && r.status !== 'checked')
    throw refuse('CONFLICT', 'invoice_request_not_rejectable', { requestId: r.request_id, status: r.status }, { field: 'id' });
  if (r.status === 'checked') await releaseReservation(tx, id);
  await tx
    .sql(
      "UPDATE invoice_requests SET status = 'rejected', reason = ?, decided_by = ?, decided_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
    )
    .run(reason, actor.staffId, now, now, id);
  await recordAudit(tx, actor, {
    action: 'invoice.reject',
    entity: 'invoice_request',
    entityId: id,
    before: { status: r.status, reserved: formatYuan(r.reserved) },
    after: { reason },
    at: now,
  });
  return await invoiceRequestById(tx, id);
}
