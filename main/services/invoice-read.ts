// What the invoice screens read: invoices searched by serial, number, buyer, taxpayer id, date and
// status with keyset paging; one invoice with its lines, recharges and reversal history; the request
// queue with its check results; a customer's invoiceable and invoiced money. Money as fen strings.
import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { Queryable } from '../db/books';
import { compiledOnce, literal, selectFirstExact, type RowOf } from '../db/query';
import type { InvoiceTable } from '../db/schema.generated';
import type { Database } from '../db/schema';
import { rateText } from '../domain/invoice-tax';
import { invoiceById, type InvoiceLineRow } from './invoices';
import { buyerContactOf, invoiceRequestById, itemsOf, type InvoiceRequestStatus } from './invoice-requests';
import { likeContains, likeSql } from '../db/like';
import { isRefusalCode, refuse, type RefusalCode } from '../domain/refusals';
import { z } from 'zod';
import { storedJson } from '../db/stored-json';
import { counterNoOf, counterNumberOf } from './counter-numbers';
import { mapInTurn } from './in-turn';
import { keysetPageOf } from './keyset-page';

export type InvoiceStatus = 'issued' | 'partly_reversed' | 'reversed' | 'red';
export const INVOICE_STATUS_SQL = `CASE WHEN i.kind = 'red' THEN 'red' WHEN i.reversed = 0 THEN 'issued' WHEN i.reversed < i.gross THEN 'partly_reversed' ELSE 'reversed' END`;

export interface InvoiceFilter {
  text?: string | undefined;
  serial?: string | undefined;
  taxNumber?: string | undefined;
  buyer?: string | undefined;
  taxpayerId?: string | undefined;
  customerId?: number | undefined;
  from?: number | undefined;
  to?: number | undefined;
  status?: InvoiceStatus[] | undefined;
  kind?: 'blue' | 'red' | undefined;
  beforeId?: number | undefined;
  limit: number;
}

export interface InvoiceListRow {
  id: number;
  serial: string;
  kind: 'blue' | 'red';
  status: InvoiceStatus;
  invoiceType: 'ordinary' | 'special';
  customerId: number;
  customerName: string;
  buyerName: string;
  taxpayerId: string | null;
  gross: string;
  tax: string;
  net: string;
  reversed: string;
  /** gross and tax as a total counts them: a red-letter invoice takes its amounts back (negative). */
  signedGross: string;
  signedTax: string;
  taxNumber: string | null;
  originalSerial: string | null;
  issuedAt: number;
  /** Red-letter invoices: the blue invoice's 20-digit number and the 红字确认单 they were issued on. */
  blueNumber: string | null;
  confirmationNo: string | null;
  redCategory: string | null;
  buyerConfirmedOn: string | null;
  /** Blue invoices: how many batch-import exports wrote it. */
  exports: number;
}

export const invoiceStatus = sql<InvoiceStatus>`${sql.raw(INVOICE_STATUS_SQL)}`;

/** How many exports wrote the invoice `i`. */
export const exportCount = () =>
  expressionBuilder<Database & { i: InvoiceTable }, 'i'>()
    .selectFrom('invoice_export_items as x')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('x.invoice_id', '=', 'i.id')
    .$asScalar()
    .$notNull();

/** Invoices with their customer and original (red-letter invoices). */
const invoicesJoined = (q: Queryable) =>
  q.db.selectFrom('invoices as i').innerJoin('customers as c', 'c.id', 'i.customer_id').leftJoin('invoices as o', 'o.id', 'i.original_id');

/** What the list shows of an invoice. */
const withListColumns = (joined: ReturnType<typeof invoicesJoined>) =>
  joined.select([
    'i.id',
    'i.serial',
    'i.kind',
    invoiceStatus.as('status'),
    'i.invoice_type as invoiceType',
    'i.customer_id as customerId',
    'c.name as customerName',
    'i.buyer_name as buyerName',
    'i.taxpayer_id as taxpayerId',
    'i.gross',
    'i.tax',
    'i.net',
    'i.reversed',
    'i.tax_number as taxNumber',
    'o.serial as originalSerial',
    'i.issued_at as issuedAt',
    'i.blue_tax_number as blueNumber',
    'i.red_confirmation_no as confirmationNo',
    'i.red_category as redCategory',
    'i.buyer_confirmed_on as buyerConfirmedOn',
    exportCount().as('exports'),
  ]);

const money = <T extends { gross: number; tax: number; net: number; reversed: number }>(r: T) => ({
  ...r,
  gross: String(r.gross),
  tax: String(r.tax),
  net: String(r.net),
  reversed: String(r.reversed),
});

/** The filter of an invoice search as a condition on `invoices i` (all invoices when it names nothing); shared with the exports. */
export function invoiceFilter(q: Queryable, f: Omit<InvoiceFilter, 'limit'>): Expression<SqlBool> {
  const eb = expressionBuilder<{ i: InvoiceTable }, 'i'>();
  const all: Expression<SqlBool>[] = [];
  if (f.serial) all.push(eb('i.serial', '=', f.serial.trim().toUpperCase()));
  if (f.taxNumber) all.push(eb('i.tax_number', '=', f.taxNumber.trim()));
  if (f.taxpayerId) all.push(eb('i.taxpayer_id', '=', f.taxpayerId.trim().toUpperCase()));
  if (f.buyer) all.push(likeSql(q, 'i.buyer_name', likeContains(f.buyer.trim())));
  if (f.text) {
    const t = f.text.trim();
    all.push(
      eb.or([
        eb('i.serial', '=', t.toUpperCase()),
        eb('i.tax_number', '=', t),
        eb('i.taxpayer_id', '=', t.toUpperCase()),
        likeSql(q, 'i.buyer_name', likeContains(t)),
      ]),
    );
  }
  if (f.customerId !== undefined) all.push(eb('i.customer_id', '=', f.customerId));
  if (f.from !== undefined) all.push(eb('i.issued_at', '>=', f.from));
  if (f.to !== undefined) all.push(eb('i.issued_at', '<', f.to));
  if (f.kind) all.push(eb('i.kind', '=', f.kind));
  if (f.status?.length) all.push(eb(invoiceStatus, 'in', f.status));
  if (f.beforeId !== undefined) all.push(eb('i.id', '<', f.beforeId));
  return eb.and(all);
}

export async function listInvoices(q: Queryable, f: InvoiceFilter): Promise<{ rows: InvoiceListRow[]; nextBeforeId: number | null }> {
  const rows = await withListColumns(invoicesJoined(q))
    .where(invoiceFilter(q, f))
    .orderBy('i.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const sign = (kind: string, n: number) => String(kind === 'red' ? -n : n);
  return keysetPageOf(rows, f.limit, (r) => ({ ...money(r), signedGross: sign(r.kind, r.gross), signedTax: sign(r.kind, r.tax) }));
}

const lineOut = (l: InvoiceLineRow & { receipt_no?: string | null }) => ({
  lineNo: l.line_no,
  receiptNo: l.receipt_no ?? null,
  itemName: l.item_name,
  taxCode: l.tax_code,
  rate: { num: l.rate_num, den: l.rate_den },
  rateText: rateText({ num: l.rate_num, den: l.rate_den }, l.not_taxable === 1),
  notTaxable: l.not_taxable === 1,
  gross: String(l.gross),
  tax: String(l.tax),
  net: String(l.net),
});

/** One invoice with its lines, the recharges it covers, its original (red) or its reversals (blue). */
export async function invoicePage(q: Queryable, id: number) {
  await invoiceById(q, id);
  const inv = (await withListColumns(invoicesJoined(q))
    .leftJoin('staff as s', 's.id', 'i.issued_by')
    .leftJoin('invoice_requests as r', 'r.id', 'i.request_id')
    .select((eb) => [
      'i.address',
      'i.phone',
      'i.bank_name as bankName',
      'i.bank_account as bankAccount',
      'i.natural_person as naturalPerson',
      'i.email',
      'i.remarks',
      'i.reason',
      'i.original_id as originalId',
      'i.issued_by as issuedBy',
      's.username as issuedByName',
      eb.fn.coalesce(counterNoOf('invoice', 'r.request_id'), 'r.request_id').as('requestRef'),
      'i.request_id as requestId',
    ])
    .where('i.id', '=', id)
    .executeTakeFirst())!; // invoiceById found it
  const lines = (
    await q.db
      .selectFrom('invoice_lines as l')
      .leftJoin('recharge_records as rr', 'rr.id', 'l.record_id')
      .selectAll('l')
      .select('rr.receipt_no')
      .where('l.invoice_id', '=', id)
      .orderBy('l.line_no')
      .execute()
  ).map(lineOut);
  const reversals = (
    await q.db
      .selectFrom('invoices as i')
      .select([
        'i.id',
        'i.serial',
        'i.gross',
        'i.tax',
        'i.reason',
        'i.tax_number as taxNumber',
        'i.issued_at as issuedAt',
        'i.red_confirmation_no as confirmationNo',
        'i.red_category as redCategory',
        'i.buyer_confirmed_on as buyerConfirmedOn',
      ])
      .where('i.original_id', '=', id)
      .orderBy('i.id')
      .execute()
  ).map((r) => ({ ...r, gross: String(r.gross), tax: String(r.tax) }));
  const gross = inv.gross;
  const reversed = inv.reversed;
  return {
    invoice: { ...money(inv), naturalPerson: inv.naturalPerson === 1, left: String(inv.kind === 'blue' ? gross - reversed : 0) },
    lines,
    reversals,
    exports: await exportsOfInvoice(q, id),
  };
}

export interface RequestFilter {
  status?: InvoiceRequestStatus[] | undefined;
  customerId?: number | undefined;
  text?: string | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/** Requests with their customer. */
const requestsJoined = (q: Queryable) => q.db.selectFrom('invoice_requests as r').innerJoin('customers as c', 'c.id', 'r.customer_id');

const withRequestColumns = (joined: ReturnType<typeof requestsJoined>) =>
  joined.select((eb) => [
    'r.id',
    'r.request_id as requestId',
    counterNoOf('invoice', 'r.request_id').as('counterNo'),
    'r.customer_id as customerId',
    'c.name as customerName',
    'r.invoice_type as invoiceType',
    'r.buyer_name as buyerName',
    'r.taxpayer_id as taxpayerId',
    'r.amount',
    'r.reserved',
    'r.status',
    'r.problems_json',
    'r.reason',
    'r.requested_at as requestedAt',
    'r.version',
    'r.entered_by as enteredBy',
    'r.checked_by as checkedBy',
    'r.source_event as sourceEvent',
    eb
      .selectFrom('invoices as i')
      .select('i.id')
      .whereRef('i.request_id', '=', 'r.id')
      .where('i.kind', '=', literal('blue'))
      .as('invoiceId'),
    eb
      .selectFrom('invoices as i')
      .select('i.serial')
      .whereRef('i.request_id', '=', 'r.id')
      .where('i.kind', '=', literal('blue'))
      .as('invoiceSerial'),
  ]);
type RequestRowRaw = RowOf<typeof withRequestColumns>;

/** What a request's buyer details lacked when it was checked (domain/invoice-buyer.ts FieldProblem). */
const fieldProblems = z.array(
  z.object({
    field: z.string(),
    code: z.custom<RefusalCode>(isRefusalCode),
    params: z.record(z.string(), z.string()),
    message: z.string(),
  }),
);

const requestOut = ({ problems_json, ...r }: RequestRowRaw) => ({
  ...r,
  amount: r.amount === null ? null : String(r.amount),
  reserved: String(r.reserved),
  problems: storedJson(fieldProblems, problems_json, 'invoice_requests.problems_json'),
});

export async function listInvoiceRequests(q: Queryable, f: RequestFilter) {
  let filtered = requestsJoined(q);
  if (f.status?.length) filtered = filtered.where('r.status', 'in', f.status);
  if (f.customerId !== undefined) filtered = filtered.where('r.customer_id', '=', f.customerId);
  if (f.text) {
    const text = f.text;
    filtered = filtered.where((eb) =>
      eb.or([
        eb('r.request_id', '=', text),
        eb('r.taxpayer_id', '=', text.toUpperCase()),
        likeSql(q, 'r.buyer_name', likeContains(text)),
        likeSql(q, 'c.name', likeContains(text)),
      ]),
    );
  }
  if (f.beforeId !== undefined) filtered = filtered.where('r.id', '<', f.beforeId);
  const rows = await withRequestColumns(filtered)
    .orderBy('r.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return keysetPageOf(rows, f.limit, requestOut);
}

/** The recharge record of a recharge request (by its request id): per item of an invoice request. */
const RECHARGE_OF_REQUEST = compiledOnce((db, requestId: string) =>
  db
    .selectFrom('recharge_requests as q')
    .innerJoin('recharge_records as rr', 'rr.request_id', 'q.id')
    .select([
      'rr.id',
      'rr.receipt_no as receiptNo',
      'rr.amount',
      'rr.invoiced',
      'rr.invoice_reserved as reserved',
      'rr.reversed_at as reversedAt',
      'rr.credited_at as creditedAt',
    ])
    .where('q.request_id', '=', requestId),
);

/** One request with its buyer fields, the recharges it names (and what it holds of each), and its problems. */
export async function invoiceRequestPage(q: Queryable, id: number) {
  const r = await invoiceRequestById(q, id);
  const head = (await withRequestColumns(requestsJoined(q)).where('r.id', '=', id).executeTakeFirst())!; // invoiceRequestById found it
  const items = await mapInTurn(await itemsOf(q, id), async (item) => {
    const rec = await RECHARGE_OF_REQUEST.get(q, item.recharge_ref);
    return {
      rechargeRef: (await counterNumberOf(q, 'recharge', item.recharge_ref)) ?? item.recharge_ref,
      held: String(item.amount),
      record: rec
        ? {
            ...rec,
            amount: String(rec.amount),
            invoiced: String(rec.invoiced),
            reserved: String(rec.reserved),
            invoiceable: String(rec.reversedAt === null ? rec.amount - rec.invoiced - rec.reserved : 0),
          }
        : null,
    };
  });
  return {
    request: {
      ...requestOut(head),
      ...buyerContactOf(r),
      session: r.session,
    },
    items,
  };
}

/** A customer's paid money: what is invoiceable, held by checked requests, invoiced; per recharge and in total. */
export async function customerInvoicing(q: Queryable, customerId: number) {
  if (
    !(await q.db
      .selectFrom('customers')
      .select((eb) => eb.lit(1).as('one'))
      .where('id', '=', customerId)
      .executeTakeFirst())
  )
    throw refuse('NOT_FOUND', 'customer_not_found', { customer: String(customerId) }, { field: 'customerId' });
  const records = await q.db
    .selectFrom('recharge_records as rr')
    .innerJoin('recharge_requests as q', 'q.id', 'rr.request_id')
    .select((eb) => [
      'rr.id',
      'rr.receipt_no as receiptNo',
      eb.fn.coalesce(counterNoOf('recharge', 'q.request_id'), 'q.request_id').as('rechargeRef'),
      'rr.amount',
      'rr.invoiced',
      'rr.invoice_reserved as reserved',
      'rr.reversed_at as reversedAt',
      'rr.credited_at as creditedAt',
    ])
    .where('rr.customer_id', '=', customerId)
    .orderBy('rr.id', 'desc')
    .limit(500)
    .execute();
  const t = (await selectFirstExact(
    q,
    q.db
      .selectFrom('recharge_records')
      .select((eb) => [
        eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('paid'),
        eb.fn.coalesce(eb.fn.sum<number | null>('invoiced'), eb.lit(0)).as('invoiced'),
        eb.fn.coalesce(eb.fn.sum<number | null>('invoice_reserved'), eb.lit(0)).as('reserved'),
        eb.fn.coalesce(sql<number | null>`sum(amount - invoiced - invoice_reserved)`, eb.lit(0)).as('invoiceable'),
      ])
      .where('customer_id', '=', customerId)
      .where('reversed_at', 'is', null),
  ))!;
  const invoices = (await selectFirstExact(
    q,
    q.db
      .selectFrom('invoices')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.coalesce(sql<number | null>`sum(CASE WHEN kind = 'blue' THEN gross ELSE 0 END)`, eb.lit(0)).as('issued'),
        eb.fn.coalesce(sql<number | null>`sum(CASE WHEN kind = 'red' THEN gross ELSE 0 END)`, eb.lit(0)).as('reversed'),
      ])
      .where('customer_id', '=', customerId),
  ))!;
  return {
    totals: { paid: String(t.paid), invoiced: String(t.invoiced), reserved: String(t.reserved), invoiceable: String(t.invoiceable) },
    invoices: { count: Number(invoices.n), issued: String(invoices.issued), reversed: String(invoices.reversed) },
    records: records.map((r) => ({
      ...r,
      amount: String(r.amount),
      invoiced: String(r.invoiced),
      reserved: String(r.reserved),
      invoiceable: String(r.reversedAt === null ? r.amount - r.invoiced - r.reserved : 0),
    })),
  };
}

/** The exports that wrote an invoice, newest first. */
export async function exportsOfInvoice(q: Queryable, invoiceId: number) {
  return (
    await q.db
      .selectFrom('invoice_export_items as x')
      .innerJoin('invoice_exports as e', 'e.id', 'x.export_id')
      .leftJoin('staff as s', 's.id', 'e.exported_by')
      .select([
        'e.id',
        'e.file_name as fileName',
        'e.sha256',
        'e.forced',
        'x.again',
        'e.exported_at as exportedAt',
        's.username as exportedBy',
      ])
      .where('x.invoice_id', '=', invoiceId)
      .orderBy('e.id', 'desc')
      .execute()
  ).map((r) => ({ ...r, forced: r.forced === 1, again: r.again === 1 }));
}
