// Issuing invoices and red-letter reversals. Issuing a checked request assigns the next serial of its
// series (gapless: the counter moves in the same transaction), makes one line per recharge with the
// product settings in force, splits the tax of the tax-inclusive paid money, and turns the request's
// reservation into invoiced money. A red-letter invoice references its blue original, never exceeds
// what is left of it, gives the invoiceable money back to the recharges, and has its own serial.
import type { Selectable } from 'kysely';
import { literal } from '../db/query';
import type { InvoiceLineTable, InvoiceTable } from '../db/schema';
import type { Queryable } from '../db/books';
import { inSavepoint, type Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { refusal, refuse, refusalOf, type Refusal } from '../domain/refusals';
import { invoiceLines, lineTotals, splitTax, type InvoiceProduct } from '../domain/invoice-tax';
import { formatYuan } from '../domain/money';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { NumberRow } from '../formats/invoice-numbers';
import { BUYER_COLUMNS, invoiceRequestById, itemsOf, type BuyerColumns } from './invoice-requests';
import { settingAt, settingVersionAt } from './settings';
import { isTaxableProduct, postInvoiceVat } from './invoice-vat';
import { shanghaiDate } from '../domain/dates';
import { eachInTurn } from './in-turn';

export type InvoiceRow = Selectable<InvoiceTable>;

/** The reason categories of a 红字确认单. */
export const RED_CATEGORIES = ['开票有误', '销货退回', '服务中止', '销售折让'] as const;
export type RedCategory = (typeof RED_CATEGORIES)[number];

/** The 红字确认单 (red-letter confirmation form) a red-letter invoice is issued on. */
export interface RedForm {
  /** The form's number on the tax platform. */
  confirmationNo?: string | null | undefined;
  category?: string | null | undefined;
  /** For a 专票: the buyer confirmed the form (required), and on which Shanghai day (today when omitted). */
  buyerConfirmed?: boolean | undefined;
  buyerConfirmedOn?: string | null | undefined;
}

export type InvoiceLineRow = Selectable<InvoiceLineTable>;

export async function invoiceById(q: Queryable, id: number): Promise<InvoiceRow> {
  const r = await q.db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'invoice_not_found', { ref: String(id) }, { field: 'id' });
  return r;
}

export const SERIES_PREFIX = { blue: 'FP', red: 'HZ' } as const;

/** The next serial of a kind's series for the Shanghai year: FP2026000001 (blue), HZ2026000001 (red). */
async function nextSerial(tx: Tx, kind: 'blue' | 'red', now: number): Promise<{ series: string; seq: number; serial: string }> {
  const series = `${SERIES_PREFIX[kind]}${new Date(now + 8 * 3_600_000).getUTCFullYear()}`;
  const { last } = (await tx.db
    .insertInto('invoice_counters')
    .values({ series, last: 1 })
    .onConflict((oc) => oc.column('series').doUpdateSet((eb) => ({ last: eb('invoice_counters.last', '+', 1) })))
    .returning('last')
    .executeTakeFirst())!;
  return { series, seq: last, serial: `${series}${String(last).padStart(6, '0')}` };
}

/** The buyer's columns an invoice copies from its request (blue) or its blue invoice (red), in INSERT_INVOICE's order. */
const buyerValues = (b: BuyerColumns) => BUYER_COLUMNS.map((c) => b[c]);

const INSERT_INVOICE = `INSERT INTO invoices (serial, series, seq, kind, original_id, request_id, customer_id, ${BUYER_COLUMNS.join(', ')},
  gross, tax, net, reason, product_version, issued_at, issued_by,
  vat_transfer_id, blue_tax_number, red_confirmation_no, red_category, buyer_confirmed_on)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_LINE = `INSERT INTO invoice_lines (invoice_id, line_no, record_id, item_name, tax_code, rate_num, rate_den, not_taxable, gross, tax, net)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

type RedConfirmation = Awaited<ReturnType<typeof checkRedForm>>;

/** An invoice's row, blue or red (with the blue one it reverses and its 红字确认单), written with INSERT_INVOICE; its id. */
async function insertInvoice(
  tx: Tx,
  i: {
    number: { series: string; seq: number; serial: string };
    kind: 'blue' | 'red';
    originalId: number | null;
    requestId: number | null;
    customerId: number;
    buyer: BuyerColumns;
    totals: { gross: number; tax: number; net: number };
    reason: string | null;
    productVersion: number | null;
    issuedAt: number;
    issuedBy: number | null;
    vatTransferId: number | null;
    blueTaxNumber: string | null;
    red: RedConfirmation | null;
  },
): Promise<number> {
  const info = await tx
    .sql(INSERT_INVOICE)
    .run(
      i.number.serial,
      i.number.series,
      i.number.seq,
      i.kind,
      i.originalId,
      i.requestId,
      i.customerId,
      ...buyerValues(i.buyer),
      i.totals.gross,
      i.totals.tax,
      i.totals.net,
      i.reason,
      i.productVersion,
      i.issuedAt,
      i.issuedBy,
      i.vatTransferId,
      i.blueTaxNumber,
      i.red?.no ?? null,
      i.red?.category ?? null,
      i.red?.confirmedOn ?? null,
    );
  return Number(info.lastInsertRowid);
}

export type IssueOutcome =
  | { id: number; requestId: string; outcome: 'issued'; invoiceId: number; serial: string; gross: string; tax: string }
  | ({ id: number; requestId: string; outcome: 'refused'; reason: string } & Omit<Refusal, 'message'>);

/** Issues the blue invoice of one checked request. Throws CofferError for a refusal. */
export async function issueInvoice(tx: Tx, actor: Actor, requestId: number, version: number | null, now: number): Promise<IssueOutcome> {
  const r = await invoiceRequestById(tx, requestId);
  if (r.status === 'issued') throw refuse('CONFLICT', 'invoice_already_issued', { requestId: r.request_id });
  if (r.status !== 'checked') throw refuse('CONFLICT', 'invoice_not_checked', { requestId: r.request_id, status: r.status });
  if (version !== null && r.version !== version)
    throw refuse('CONFLICT', 'invoice_stale_version', { requestId: r.request_id, seen: String(version), now: String(r.version) });
  if (actor.staffId === null || actor.staffId === r.entered_by || actor.staffId === r.checked_by)
    throw refuse('FORBIDDEN', 'invoice_four_eyes', { requestId: r.request_id, user: actor.name });
  const product: InvoiceProduct = await settingAt(tx, 'invoice.product', now);
  if (r.invoice_type === 'special' && product.ordinaryOnly)
    throw refuse('REFUSED', 'invoice_issue_ordinary_only', { item: product.itemName });
  const items = (await itemsOf(tx, r.id)).filter((i) => i.record_id !== null && i.amount > 0);
  const lines = invoiceLines(
    product,
    items.map((i) => i.amount),
  );
  const totals = lineTotals(lines);
  const number = await nextSerial(tx, 'blue', now);
  const { serial } = number;
  // A taxable product's output VAT is due on the invoice date (Dr 合同负债 / Cr 应交增值税（销项税额））.
  const vatTransferId =
    isTaxableProduct(product) && totals.tax > 0 ? await postInvoiceVat(tx, actor, 'blue', serial, totals.tax, now) : null;
  const invoiceId = await insertInvoice(tx, {
    number,
    kind: 'blue',
    originalId: null,
    requestId: r.id,
    customerId: r.customer_id,
    buyer: r,
    totals,
    reason: null,
    productVersion: await settingVersionAt(tx, 'invoice.product', now),
    issuedAt: now,
    issuedBy: actor.staffId,
    vatTransferId,
    blueTaxNumber: null,
    red: null,
  });
  const addLine = tx.sql(INSERT_LINE);
  const addSource = tx.sql('INSERT INTO invoice_sources (invoice_id, record_id, amount) VALUES (?, ?, ?)');
  const consume = tx.sql('UPDATE recharge_records SET invoice_reserved = invoice_reserved - ?, invoiced = invoiced + ? WHERE id = ?');
  await eachInTurn(lines, async (l, i) => {
    const item = items[i]!;
    await addLine.run(
      invoiceId,
      l.lineNo,
      item.record_id,
      l.itemName,
      l.taxCode,
      l.rate.num,
      l.rate.den,
      l.notTaxable ? 1 : 0,
      l.gross,
      l.tax,
      l.net,
    );
    await addSource.run(invoiceId, item.record_id, item.amount);
    await consume.run(item.amount, item.amount, item.record_id);
  });
  await tx
    .sql(
      "UPDATE invoice_requests SET status = 'issued', reserved = 0, decided_by = ?, decided_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
    )
    .run(actor.staffId, now, now, r.id);
  await recordAudit(tx, actor, {
    action: 'invoice.issue',
    entity: 'invoice',
    entityId: invoiceId,
    after: {
      serial,
      request: r.request_id,
      gross: formatYuan(totals.gross),
      tax: formatYuan(totals.tax),
      lines: lines.length,
      ...(vatTransferId !== null ? { outputVatTransfer: vatTransferId } : {}),
    },
    at: now,
  });
  return { id: r.id, requestId: r.request_id, outcome: 'issued', invoiceId, serial, gross: String(totals.gross), tax: String(totals.tax) };
}

/** Issues several requests, each standing or falling alone; one audit row for the batch besides each invoice's. */
export async function issueInvoices(tx: Tx, actor: Actor, items: { id: number; version?: number }[], now: number): Promise<IssueOutcome[]> {
  const out: IssueOutcome[] = [];
  for (const item of items) {
    try {
      out.push(await inSavepoint(tx, async () => issueInvoice(tx, actor, item.id, item.version ?? null, now)));
    } catch (e) {
      if (!(e instanceof CofferError)) throw e;
      const ref = (await tx.db.selectFrom('invoice_requests').select('request_id').where('id', '=', item.id).executeTakeFirst())
        ?.request_id;
      const { code, params } = refusalOf(e);
      out.push({ id: item.id, requestId: ref ?? String(item.id), outcome: 'refused', reason: e.message, code, params });
    }
  }
  if (items.length > 1)
    await recordAudit(tx, actor, {
      action: 'invoice.issue_batch',
      entity: 'invoice',
      after: { issued: out.filter((o) => o.outcome === 'issued').length, refused: out.filter((o) => o.outcome === 'refused').length },
      count: items.length,
      at: now,
    });
  return out;
}

const CONFIRMATION_NO = /^[0-9A-Za-z-]{1,40}$/;

/**
 * The 红字确认单 checked: its number (required, digits and letters), the reason category (one of four),
 * and for a 专票 the buyer's confirmation, not dated after today. Malformed or missing → VALIDATION
 * naming the field; a number another red-letter invoice used → CONFLICT.
 */
async function checkRedForm(tx: Tx, blue: InvoiceRow, form: RedForm, now: number) {
  const no = form.confirmationNo?.trim() ?? '';
  if (no === '') throw refuse('VALIDATION', 'red_confirmation_no_required', {}, { field: 'confirmationNo' });
  if (!CONFIRMATION_NO.test(no)) throw refuse('VALIDATION', 'red_confirmation_no_invalid', { number: no }, { field: 'confirmationNo' });
  const category = form.category?.trim() ?? '';
  if (category === '') throw refuse('VALIDATION', 'red_category_required', {}, { field: 'category' });
  if (!(RED_CATEGORIES as readonly string[]).includes(category))
    throw refuse(
      'VALIDATION',
      'red_category_invalid',
      { category: String(category), categories: RED_CATEGORIES.join(' / ') },
      { field: 'category' },
    );
  let confirmedOn: string | null = null;
  if (blue.invoice_type === 'special' && !form.buyerConfirmed)
    throw refuse('VALIDATION', 'red_buyer_confirmation_required', { serial: blue.serial }, { field: 'buyerConfirmed' });
  if (form.buyerConfirmed) {
    const today = shanghaiDate(now);
    confirmedOn = form.buyerConfirmedOn ?? today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(confirmedOn))
      throw refuse('VALIDATION', 'date_invalid', { field: 'buyerConfirmedOn', date: confirmedOn }, { field: 'buyerConfirmedOn' });
    if (confirmedOn > today)
      throw refuse('VALIDATION', 'red_buyer_confirmed_date', { date: confirmedOn, today }, { field: 'buyerConfirmedOn' });
  }
  const used = await tx.db.selectFrom('invoices').select('serial').where('red_confirmation_no', '=', no).executeTakeFirst();
  if (used) throw refuse('CONFLICT', 'red_confirmation_used', { number: no, serial: used.serial }, { field: 'confirmationNo' });
  return { no, category: category as RedCategory, confirmedOn };
}

/**
 * A red-letter reversal of a blue invoice, for all that is left of it or part, on a 红字确认单 (number,
 * reason category, the buyer's confirmation for a 专票) and only once the blue invoice has its 20-digit
 * number from the tax platform (refused otherwise, writing nothing). The money given back is taken from
 * the original's recharges, last line first; the line that is reversed to its end takes exactly the tax
 * still left on it, so a blue invoice reversed in any number of parts nets to zero. When the blue
 * invoice posted output VAT at issue, the red one posts the reverse for its own tax.
 */
export async function reverseInvoice(
  tx: Tx,
  actor: Actor,
  id: number,
  amount: number | null,
  reason: string,
  now: number,
  form: RedForm = {},
): Promise<InvoiceRow> {
  const blue = await invoiceById(tx, id);
  if (blue.kind !== 'blue') throw refuse('REFUSED', 'invoice_is_red', { serial: blue.serial }, { field: 'id' });
  const left = blue.gross - blue.reversed;
  if (left === 0) throw refuse('CONFLICT', 'invoice_fully_reversed', { serial: blue.serial }, { field: 'id' });
  const red = await checkRedForm(tx, blue, form, now);
  if (blue.tax_number === null) throw refuse('REFUSED', 'red_blue_no_number', { serial: blue.serial }, { field: 'id' });
  const want = amount ?? left;
  if (!Number.isSafeInteger(want) || want <= 0) throw refuse('VALIDATION', 'amount_not_positive', {}, { field: 'amount' });
  if (want > left)
    throw refuse(
      'REFUSED',
      'invoice_reverse_exceeds',
      {
        serial: blue.serial,
        amountFen: String(want),
        leftFen: String(left),
        grossFen: String(blue.gross),
        reversedFen: String(blue.reversed),
      },
      { field: 'amount' },
    );
  const blueLines = await tx.db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', id).orderBy('line_no').execute();
  const earlier = await tx.db
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
    .select((eb) => ['l.record_id', eb.fn.sum<number>('l.gross').as('gross'), eb.fn.sum<number>('l.tax').as('tax')])
    .where('i.original_id', '=', id)
    .groupBy('l.record_id')
    .execute();
  const done = new Map(earlier.map((e) => [e.record_id, e]));
  let rest = want;
  const parts: { line: InvoiceLineRow; gross: number; tax: number }[] = [];
  for (const l of [...blueLines].reverse()) {
    if (rest === 0) break;
    const prior = done.get(l.record_id!) ?? { gross: 0, tax: 0 };
    const open = l.gross - prior.gross;
    if (open <= 0) continue;
    const g = Math.min(open, rest);
    const tax = g === open ? l.tax - prior.tax : splitTax(g, l.not_taxable ? { num: 0, den: 1 } : { num: l.rate_num, den: l.rate_den }).tax;
    parts.push({ line: l, gross: g, tax: Math.min(Math.max(tax, 0), l.tax - prior.tax, g) });
    rest -= g;
  }
  const totals = lineTotals(parts.map((x) => ({ gross: x.gross, tax: x.tax, net: x.gross - x.tax })));
  const number = await nextSerial(tx, 'red', now);
  const { serial } = number;
  // The output VAT the blue invoice posted comes back for the red invoice's own tax.
  const vatTransferId =
    blue.vat_transfer_id !== null && totals.tax > 0 ? await postInvoiceVat(tx, actor, 'red', serial, totals.tax, now) : null;
  const redId = await insertInvoice(tx, {
    number,
    kind: 'red',
    originalId: blue.id,
    requestId: blue.request_id,
    customerId: blue.customer_id,
    buyer: blue,
    totals,
    reason,
    productVersion: blue.product_version,
    issuedAt: now,
    issuedBy: actor.staffId,
    vatTransferId,
    blueTaxNumber: blue.tax_number,
    red,
  });
  const addLine = tx.sql(INSERT_LINE);
  const addSource = tx.sql('INSERT INTO invoice_sources (invoice_id, record_id, amount) VALUES (?, ?, ?)');
  const restore = tx.sql('UPDATE recharge_records SET invoiced = invoiced - ? WHERE id = ?');
  await eachInTurn(parts, async (x, i) => {
    const l = x.line;
    await addLine.run(
      redId,
      i + 1,
      l.record_id,
      l.item_name,
      l.tax_code,
      l.rate_num,
      l.rate_den,
      l.not_taxable,
      x.gross,
      x.tax,
      x.gross - x.tax,
    );
    await addSource.run(redId, l.record_id, x.gross);
    await restore.run(x.gross, l.record_id);
  });
  await tx.sql('UPDATE invoices SET reversed = reversed + ? WHERE id = ?').run(want, blue.id);
  if (blue.request_id !== null)
    await tx.sql('UPDATE invoice_requests SET version = version + 1, updated_at = ? WHERE id = ?').run(now, blue.request_id);
  await recordAudit(tx, actor, {
    action: 'invoice.reverse',
    entity: 'invoice',
    entityId: redId,
    after: {
      serial,
      original: blue.serial,
      gross: formatYuan(totals.gross),
      tax: formatYuan(totals.tax),
      left: formatYuan(left - want),
      reason,
      blueNumber: blue.tax_number,
      confirmationNo: red.no,
      category: red.category,
      buyerConfirmedOn: red.confirmedOn,
      ...(vatTransferId !== null ? { outputVatTransfer: vatTransferId } : {}),
    },
    at: now,
  });
  return await invoiceById(tx, redId);
}

/** Refuses to reverse a recharge while any of its paid money is invoiced or held by a checked request. */
export async function assertRecordNotInvoiced(q: Queryable, recordId: number): Promise<void> {
  const r = await q.db
    .selectFrom('recharge_records')
    .select(['receipt_no', 'invoiced', 'invoice_reserved'])
    .where('id', '=', recordId)
    .executeTakeFirst();
  if (!r) return;
  if (r.invoiced > 0) {
    const serials = (
      await q.db
        .selectFrom('invoice_sources as s')
        .innerJoin('invoices as i', 'i.id', 's.invoice_id')
        .select('i.serial')
        .distinct()
        .where('s.record_id', '=', recordId)
        .where('i.kind', '=', literal('blue'))
        .whereRef('i.reversed', '<', 'i.gross')
        .orderBy('i.serial')
        .execute()
    ).map((x) => x.serial);
    throw refuse(
      'REFUSED',
      'recharge_invoiced',
      { receiptNo: r.receipt_no, invoicedFen: String(r.invoiced), invoices: serials.join(', ') },
      { field: 'id', invoices: serials },
    );
  }
  if (r.invoice_reserved > 0)
    throw refuse(
      'REFUSED',
      'recharge_invoice_reserved',
      { receiptNo: r.receipt_no, reservedFen: String(r.invoice_reserved) },
      { field: 'id' },
    );
}

export type NumberOutcome =
  | { line: number; serial: string; outcome: 'set' | 'unchanged' }
  | ({ line: number; serial: string; outcome: 'refused'; reason: string } & Omit<Refusal, 'message'>);

/** Records the 20-digit numbers the tax platform assigned, by serial; each row applied or refused alone. */
export async function applyInvoiceNumbers(tx: Tx, actor: Actor, rows: NumberRow[], file: string, now: number): Promise<NumberOutcome[]> {
  const out: NumberOutcome[] = [];
  const bySerial = async (serial: string) =>
    tx.db.selectFrom('invoices').select(['id', 'tax_number']).where('serial', '=', serial).executeTakeFirst();
  const byNumber = async (taxNumber: string) =>
    tx.db.selectFrom('invoices').select('serial').where('tax_number', '=', taxNumber).executeTakeFirst();
  const set = tx.sql('UPDATE invoices SET tax_number = ? WHERE id = ?');
  for (const row of rows) {
    const inv = await bySerial(row.serial);
    const line = String(row.line);
    const refused = (r: Refusal) =>
      out.push({ line: row.line, serial: row.serial, outcome: 'refused', reason: r.message, code: r.code, params: r.params });
    if (!inv) refused(refusal('numbers_no_serial', { line, serial: row.serial }));
    else if (inv.tax_number === row.number) out.push({ line: row.line, serial: row.serial, outcome: 'unchanged' });
    else if (inv.tax_number !== null) refused(refusal('numbers_has_number', { line, serial: row.serial, number: inv.tax_number }));
    else {
      const other = await byNumber(row.number);
      if (other) refused(refusal('numbers_taken', { line, number: row.number, serial: other.serial }));
      else {
        await set.run(row.number, inv.id);
        out.push({ line: row.line, serial: row.serial, outcome: 'set' });
      }
    }
  }
  await recordAudit(tx, actor, {
    action: 'invoice.import_numbers',
    entity: 'invoice',
    after: { file, set: out.filter((o) => o.outcome === 'set').length, refused: out.filter((o) => o.outcome === 'refused').length },
    count: rows.length,
    at: now,
  });
  return out;
}
