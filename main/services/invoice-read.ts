// What the invoice screens read: invoices searched by serial, number, buyer, taxpayer id, date and
// status with keyset paging; one invoice with its lines, recharges and reversal history; the request
// queue with its check results; a customer's invoiceable and invoiced money. Money as fen strings.
import type { Queryable } from '../db/books';
import type { FieldProblem } from '../domain/invoice-buyer';
import { rateText } from '../domain/invoice-tax';
import { invoiceById, type InvoiceLineRow } from './invoices';
import { invoiceRequestById, itemsOf, type InvoiceRequestStatus } from './invoice-requests';
import { LIKE_ESCAPE, likeContains } from '../db/like';
import { refuse } from '../domain/refusals';
import { counterNoColumn, counterNumberOf } from './counter-numbers';
import { mapInTurn } from './in-turn';

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

const LIST_COLUMNS = `i.id, i.serial, i.kind, ${INVOICE_STATUS_SQL} AS status, i.invoice_type AS invoiceType, i.customer_id AS customerId, c.name AS customerName,
  i.buyer_name AS buyerName, i.taxpayer_id AS taxpayerId, i.gross, i.tax, i.net, i.reversed, i.tax_number AS taxNumber, o.serial AS originalSerial, i.issued_at AS issuedAt,
  i.blue_tax_number AS blueNumber, i.red_confirmation_no AS confirmationNo, i.red_category AS redCategory, i.buyer_confirmed_on AS buyerConfirmedOn,
  (SELECT count(*) FROM invoice_export_items x WHERE x.invoice_id = i.id) AS exports`;

const money = <T extends { gross: number; tax: number; net: number; reversed: number }>(r: T) => ({
  ...r,
  gross: String(r.gross),
  tax: String(r.tax),
  net: String(r.net),
  reversed: String(r.reversed),
});

/** The WHERE of an invoice search (shared with the exports). */
export function invoiceWhere(f: Omit<InvoiceFilter, 'limit'>): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    where.push(sql);
    params.push(...p);
  };
  if (f.serial) add('i.serial = ?', f.serial.trim().toUpperCase());
  if (f.taxNumber) add('i.tax_number = ?', f.taxNumber.trim());
  if (f.taxpayerId) add('i.taxpayer_id = ?', f.taxpayerId.trim().toUpperCase());
  if (f.buyer) add(`i.buyer_name LIKE ? ${LIKE_ESCAPE}`, likeContains(f.buyer.trim()));
  if (f.text) {
    const t = f.text.trim();
    add(
      `(i.serial = ? OR i.tax_number = ? OR i.taxpayer_id = ? OR i.buyer_name LIKE ? ${LIKE_ESCAPE})`,
      t.toUpperCase(),
      t,
      t.toUpperCase(),
      likeContains(t),
    );
  }
  if (f.customerId !== undefined) add('i.customer_id = ?', f.customerId);
  if (f.from !== undefined) add('i.issued_at >= ?', f.from);
  if (f.to !== undefined) add('i.issued_at < ?', f.to);
  if (f.kind) add('i.kind = ?', f.kind);
  if (f.status?.length) add(`${INVOICE_STATUS_SQL} IN (${f.status.map(() => '?').join(', ')})`, ...f.status);
  if (f.beforeId !== undefined) add('i.id < ?', f.beforeId);
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export async function listInvoices(q: Queryable, f: InvoiceFilter): Promise<{ rows: InvoiceListRow[]; nextBeforeId: number | null }> {
  const w = invoiceWhere(f);
  const rows = (await q
    .sql(
      `SELECT ${LIST_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN invoices o ON o.id = i.original_id
       ${w.sql} ORDER BY i.id DESC LIMIT ?`,
    )
    .all(...w.params, f.limit + 1)) as (Omit<InvoiceListRow, 'gross' | 'tax' | 'net' | 'reversed' | 'signedGross' | 'signedTax'> & {
    gross: number;
    tax: number;
    net: number;
    reversed: number;
  })[];
  const more = rows.length > f.limit;
  const sign = (kind: string, n: number) => String(kind === 'red' ? -n : n);
  const page = rows.slice(0, f.limit).map((r) => ({ ...money(r), signedGross: sign(r.kind, r.gross), signedTax: sign(r.kind, r.tax) }));
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : null };
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
  const inv = (await q
    .sql(
      `SELECT ${LIST_COLUMNS}, i.address, i.phone, i.bank_name AS bankName, i.bank_account AS bankAccount, i.natural_person AS naturalPerson,
         i.email, i.remarks, i.reason, i.original_id AS originalId, i.issued_by AS issuedBy, s.username AS issuedByName, coalesce(${counterNoColumn('invoice', 'r.request_id')}, r.request_id) AS requestRef, i.request_id AS requestId
       FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN invoices o ON o.id = i.original_id LEFT JOIN staff s ON s.id = i.issued_by
       LEFT JOIN invoice_requests r ON r.id = i.request_id WHERE i.id = ?`,
    )
    .get(id)) as Record<string, unknown> & { gross: number; tax: number; net: number; reversed: number; naturalPerson: number };
  const lines = (
    (await q
      .sql(
        'SELECT l.*, rr.receipt_no FROM invoice_lines l LEFT JOIN recharge_records rr ON rr.id = l.record_id WHERE l.invoice_id = ? ORDER BY l.line_no',
      )
      .all(id)) as (InvoiceLineRow & { receipt_no: string | null })[]
  ).map(lineOut);
  const reversals = (
    (await q
      .sql(
        `SELECT i.id, i.serial, i.gross, i.tax, i.reason, i.tax_number AS taxNumber, i.issued_at AS issuedAt, i.red_confirmation_no AS confirmationNo,
           i.red_category AS redCategory, i.buyer_confirmed_on AS buyerConfirmedOn FROM invoices i WHERE i.original_id = ? ORDER BY i.id`,
      )
      .all(id)) as {
      id: number;
      serial: string;
      gross: number;
      tax: number;
      reason: string;
      taxNumber: string | null;
      issuedAt: number;
      confirmationNo: string | null;
      redCategory: string | null;
      buyerConfirmedOn: string | null;
    }[]
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

const REQUEST_COLUMNS = `r.id, r.request_id AS requestId, ${counterNoColumn('invoice', 'r.request_id')} AS counterNo, r.customer_id AS customerId, c.name AS customerName, r.invoice_type AS invoiceType, r.buyer_name AS buyerName,
  r.taxpayer_id AS taxpayerId, r.amount, r.reserved, r.status, r.problems_json, r.reason, r.requested_at AS requestedAt, r.version,
  r.entered_by AS enteredBy, r.checked_by AS checkedBy, r.source_event AS sourceEvent,
  (SELECT i.id FROM invoices i WHERE i.request_id = r.id AND i.kind = 'blue') AS invoiceId,
  (SELECT i.serial FROM invoices i WHERE i.request_id = r.id AND i.kind = 'blue') AS invoiceSerial`;

/** A row of REQUEST_COLUMNS. */
type RequestRowRaw = {
  id: number;
  requestId: string;
  counterNo: string | null;
  customerId: number;
  customerName: string;
  invoiceType: 'ordinary' | 'special';
  buyerName: string;
  taxpayerId: string | null;
  amount: number | null;
  reserved: number;
  status: 'submitted' | 'checked' | 'issued' | 'rejected';
  problems_json: string;
  reason: string;
  requestedAt: number;
  version: number;
  enteredBy: number | null;
  checkedBy: number | null;
  sourceEvent: string | null;
  invoiceId: number | null;
  invoiceSerial: string | null;
};

const requestOut = ({ problems_json, ...r }: RequestRowRaw) => ({
  ...r,
  amount: r.amount === null ? null : String(r.amount),
  reserved: String(r.reserved),
  problems: JSON.parse(problems_json) as FieldProblem[],
});

export async function listInvoiceRequests(q: Queryable, f: RequestFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status?.length) {
    where.push(`r.status IN (${f.status.map(() => '?').join(', ')})`);
    params.push(...f.status);
  }
  if (f.customerId !== undefined) {
    where.push('r.customer_id = ?');
    params.push(f.customerId);
  }
  if (f.text) {
    where.push(`(r.request_id = ? OR r.taxpayer_id = ? OR r.buyer_name LIKE ? ${LIKE_ESCAPE} OR c.name LIKE ? ${LIKE_ESCAPE})`);
    params.push(f.text, f.text.toUpperCase(), likeContains(f.text), likeContains(f.text));
  }
  if (f.beforeId !== undefined) {
    where.push('r.id < ?');
    params.push(f.beforeId);
  }
  const rows = (await q
    .sql(
      `SELECT ${REQUEST_COLUMNS} FROM invoice_requests r JOIN customers c ON c.id = r.customer_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.id DESC LIMIT ?`,
    )
    .all(...params, f.limit + 1)) as RequestRowRaw[];
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  return { rows: page.map(requestOut), nextBeforeId: more ? page[page.length - 1]!.id : null };
}

/** One request with its buyer fields, the recharges it names (and what it holds of each), and its problems. */
export async function invoiceRequestPage(q: Queryable, id: number) {
  const r = await invoiceRequestById(q, id);
  const head = (await q
    .sql(`SELECT ${REQUEST_COLUMNS} FROM invoice_requests r JOIN customers c ON c.id = r.customer_id WHERE r.id = ?`)
    .get(id)) as RequestRowRaw;
  const recharge = q.sql(
    `SELECT rr.id, rr.receipt_no AS receiptNo, rr.amount, rr.invoiced, rr.invoice_reserved AS reserved, rr.reversed_at AS reversedAt, rr.credited_at AS creditedAt
     FROM recharge_requests q JOIN recharge_records rr ON rr.request_id = q.id WHERE q.request_id = ?`,
  );
  const items = await mapInTurn(await itemsOf(q, id), async (item) => {
    const rec = (await recharge.get(item.recharge_ref)) as
      | { id: number; receiptNo: string; amount: number; invoiced: number; reserved: number; reversedAt: number | null; creditedAt: number }
      | undefined;
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
      address: r.address,
      phone: r.phone,
      bankName: r.bank_name,
      bankAccount: r.bank_account,
      naturalPerson: r.natural_person === 1,
      email: r.email,
      remarks: r.remarks,
      session: r.session,
    },
    items,
  };
}

/** A customer's paid money: what is invoiceable, held by checked requests, invoiced; per recharge and in total. */
export async function customerInvoicing(q: Queryable, customerId: number) {
  if (!(await q.sql('SELECT 1 FROM customers WHERE id = ?').get(customerId)))
    throw refuse('NOT_FOUND', 'customer_not_found', { customer: String(customerId) }, { field: 'customerId' });
  const records = (await q
    .sql(
      `SELECT rr.id, rr.receipt_no AS receiptNo, coalesce(${counterNoColumn('recharge', 'q.request_id')}, q.request_id) AS rechargeRef, rr.amount, rr.invoiced, rr.invoice_reserved AS reserved, rr.reversed_at AS reversedAt, rr.credited_at AS creditedAt
       FROM recharge_records rr JOIN recharge_requests q ON q.id = rr.request_id WHERE rr.customer_id = ? ORDER BY rr.id DESC LIMIT 500`,
    )
    .all(customerId)) as {
    id: number;
    receiptNo: string;
    rechargeRef: string;
    amount: number;
    invoiced: number;
    reserved: number;
    reversedAt: number | null;
    creditedAt: number;
  }[];
  const t = (await q
    .sql(
      `SELECT coalesce(sum(amount), 0) AS paid, coalesce(sum(invoiced), 0) AS invoiced, coalesce(sum(invoice_reserved), 0) AS reserved,
         coalesce(sum(amount - invoiced - invoice_reserved), 0) AS invoiceable
       FROM recharge_records WHERE customer_id = ? AND reversed_at IS NULL`,
    )
    .safeIntegers(true)
    .get(customerId)) as { paid: bigint; invoiced: bigint; reserved: bigint; invoiceable: bigint };
  const invoices = (await q
    .sql(
      `SELECT count(*) AS n, coalesce(sum(CASE WHEN kind = 'blue' THEN gross ELSE 0 END), 0) AS issued, coalesce(sum(CASE WHEN kind = 'red' THEN gross ELSE 0 END), 0) AS reversed
       FROM invoices WHERE customer_id = ?`,
    )
    .safeIntegers(true)
    .get(customerId)) as { n: bigint; issued: bigint; reversed: bigint };
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
    await q
      .sql(
        `SELECT e.id, e.file_name AS fileName, e.sha256, e.forced, x.again, e.exported_at AS exportedAt, s.username AS exportedBy
       FROM invoice_export_items x JOIN invoice_exports e ON e.id = x.export_id LEFT JOIN staff s ON s.id = e.exported_by
       WHERE x.invoice_id = ? ORDER BY e.id DESC`,
      )
      .all(invoiceId)
  ).map((r) => {
    const x = r as { forced: number; again: number } & Record<string, unknown>;
    return { ...x, forced: x.forced === 1, again: x.again === 1 };
  });
}
