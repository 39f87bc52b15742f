// Output VAT at invoice (issue 12 §1, fourth bullet). When the invoice product is taxable (not 不征税, a
// rate above 0), issuing a blue invoice posts its output VAT on the invoice date — Dr 2204 合同负债
// (customer prepayments) / Cr 222101 应交增值税（销项税额） — and a red-letter invoice of such an invoice
// posts the reverse for its own tax. The revenue run taxes consumption; what was taxed at invoice it
// must not tax again: taxedAtInvoice gives, per customer, the gross and tax already taxed. vatByMonth
// gives the VAT return what the invoices say for a month (sales by rate, blue and red, 不征税 prepaid value).
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect, selectAllExact } from '../db/query';
import type { Tx } from '../db/tx';
import { shanghaiDate } from '../domain/dates';
import { rateText, type InvoiceProduct, type Rate } from '../domain/invoice-tax';
import { LEDGER } from '../domain/ledgers';
import type { Actor } from './actor';
import { postOne } from './ledger-post';
import { cnyAccount, subjectLedgerAccount } from './system-accounts';
import { refuse } from '../domain/refusals';

/** 222101 应交增值税（销项税额）. */
export const OUTPUT_VAT_SUBJECT = '222101';

/** Whether issuing an invoice of this product posts output VAT: not 不征税 and a rate above 0. */
export function isTaxableProduct(p: Pick<InvoiceProduct, 'notTaxable' | 'rate'>): boolean {
  return !p.notTaxable && p.rate.num > 0;
}

/** The CNY ledger account output VAT goes to: the one subjectLedgerAccount finds for 222101, else gl:222101 itself. */
export async function outputVatAccount(q: Queryable): Promise<number> {
  return (await subjectLedgerAccount(q, OUTPUT_VAT_SUBJECT)) ?? (await cnyAccount(q, `gl:${OUTPUT_VAT_SUBJECT}`));
}

/**
 * Posts an invoice's output VAT on its date (Shanghai day of `now`): blue Dr customer prepayments /
 * Cr output VAT, red the reverse. One automatic voucher per action and day (invoice_vat /
 * invoice_vat_reversal). Refused (period_closed) when the day's month is closed. Returns the transfer id.
 */
export async function postInvoiceVat(
  tx: Tx,
  actor: Actor,
  kind: 'blue' | 'red',
  serial: string,
  tax: number,
  now: number,
): Promise<number> {
  const prepayments = await cnyAccount(tx, 'customer_prepayments');
  const vat = await outputVatAccount(tx);
  const id = await postOne(
    tx,
    {
      key: `invoice-vat:${serial}`,
      ledger: LEDGER.CNY,
      debitAccountId: kind === 'blue' ? prepayments : vat,
      creditAccountId: kind === 'blue' ? vat : prepayments,
      amount: tax,
      code: kind === 'blue' ? 'invoice_vat' : 'invoice_vat_reversal',
      memo: serial,
    },
    { staffId: actor.staffId, now, date: shanghaiDate(now) },
  );
  return id;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Per customer: Σ gross and Σ tax of the blue invoices whose output VAT was posted at invoice, less
 * their red-letter reversals, with the posting's business date (the invoice's Shanghai day) on or
 * before upToDate (all when omitted); only customerId's when given. A customer whose invoices net to
 * zero is still listed (gross 0n, tax 0n).
 */
export async function taxedAtInvoice(
  q: Queryable,
  customerId?: number,
  upToDate?: string,
): Promise<Map<number, { gross: bigint; tax: bigint }>> {
  if (upToDate !== undefined && !DATE.test(upToDate))
    throw refuse('VALIDATION', 'date_invalid', { field: 'upToDate', date: upToDate }, { field: 'upToDate' });
  const rows = await selectAllExact(
    q,
    q.db
      .selectFrom('invoices as i')
      .innerJoin('transfers as t', 't.id', 'i.vat_transfer_id')
      .select([
        'i.customer_id as customerId',
        sql<number>`sum(CASE WHEN i.kind = 'blue' THEN i.gross ELSE -i.gross END)`.as('gross'),
        sql<number>`sum(CASE WHEN i.kind = 'blue' THEN i.tax ELSE -i.tax END)`.as('tax'),
      ])
      .where('i.vat_transfer_id', 'is not', null)
      .$if(customerId !== undefined, (qb) => qb.where('i.customer_id', '=', customerId!))
      .$if(upToDate !== undefined, (qb) => qb.where('t.business_date', '<=', upToDate!))
      .groupBy('i.customer_id')
      .orderBy('i.customer_id'),
  );
  return new Map(rows.map((r) => [Number(r.customerId), { gross: r.gross, tax: r.tax }]));
}

/** Gross, net and tax of a set of invoices or lines, with how many invoices. */
export interface VatAmounts {
  count: number;
  gross: bigint;
  net: bigint;
  tax: bigint;
}

export interface VatRateRow {
  rate: Rate;
  /** As the invoice templates print it: "0.06", "0", 不征税. */
  rateText: string;
  notTaxable: boolean;
  blue: VatAmounts;
  red: VatAmounts;
  /** Blue less red. */
  net: Omit<VatAmounts, 'count'>;
}

export interface VatMonth {
  month: string;
  /** Invoiced sales by rate (from the invoice lines), blue and red-letter, and the net of both. */
  byRate: VatRateRow[];
  /** All blue invoices issued in the month, and all red-letter invoices. */
  blue: VatAmounts;
  red: VatAmounts;
  /** 不征税 prepaid value (预付卡销售和充值) invoiced: blue, red, net (gross = net; no tax). */
  notTaxable: { blueGross: bigint; redGross: bigint; netGross: bigint };
  /** The output VAT posted at invoice in the month (blue less red), and the gross it was on. */
  taxedAtInvoice: { gross: bigint; tax: bigint };
}

const zero = (): VatAmounts => ({ count: 0, gross: 0n, net: 0n, tax: 0n });

/**
 * What the VAT return needs from the invoices of a month (Shanghai dates of issue): sales by rate
 * (net and tax), blue and red amounts, 不征税 prepaid value invoiced, counts, and the output VAT posted
 * at invoice. Plain data; the revenue run adds its uninvoiced sales.
 */
export async function vatByMonth(q: Queryable, month: string): Promise<VatMonth> {
  if (!MONTH.test(month)) throw refuse('VALIDATION', 'month_invalid', { month }, { field: 'month' });
  const inMonth = sql<boolean>`${sql.raw(dialect(q).shanghaiMonth('i.issued_at'))} = ${month}`;
  const lines = await selectAllExact(
    q,
    q.db
      .selectFrom('invoice_lines as l')
      .innerJoin('invoices as i', 'i.id', 'l.invoice_id')
      .select((eb) => [
        'i.kind',
        'l.rate_num as num',
        'l.rate_den as den',
        'l.not_taxable as notTaxable',
        eb.fn.count<number>('i.id').distinct().as('n'),
        eb.fn.sum<number>('l.gross').as('gross'),
        eb.fn.sum<number>('l.net').as('net'),
        eb.fn.sum<number>('l.tax').as('tax'),
      ])
      .where(inMonth)
      .groupBy(['i.kind', 'l.not_taxable', 'l.rate_num', 'l.rate_den'])
      .orderBy('l.not_taxable', 'desc')
      .orderBy(sql`l.rate_num * 1.0 / l.rate_den`)
      .orderBy('i.kind'),
  );
  const byRate = new Map<string, VatRateRow>();
  for (const l of lines) {
    const rate = { num: Number(l.num), den: Number(l.den) };
    const notTaxable = l.notTaxable === 1n;
    const key = `${notTaxable}:${rate.num}/${rate.den}`;
    let row = byRate.get(key);
    if (!row) {
      row = { rate, rateText: rateText(rate, notTaxable), notTaxable, blue: zero(), red: zero(), net: { gross: 0n, net: 0n, tax: 0n } };
      byRate.set(key, row);
    }
    row[l.kind] = { count: Number(l.n), gross: l.gross, net: l.net, tax: l.tax };
  }
  for (const row of byRate.values())
    row.net = { gross: row.blue.gross - row.red.gross, net: row.blue.net - row.red.net, tax: row.blue.tax - row.red.tax };
  const totals = await selectAllExact(
    q,
    q.db
      .selectFrom('invoices as i')
      .select((eb) => [
        'i.kind',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('i.gross').as('gross'),
        eb.fn.sum<number>('i.net').as('net'),
        eb.fn.sum<number>('i.tax').as('tax'),
        sql<number>`sum(CASE WHEN i.vat_transfer_id IS NOT NULL THEN i.gross ELSE 0 END)`.as('taxedGross'),
        sql<number>`sum(CASE WHEN i.vat_transfer_id IS NOT NULL THEN i.tax ELSE 0 END)`.as('taxedTax'),
      ])
      .where(inMonth)
      .groupBy('i.kind'),
  );
  const out: VatMonth = {
    month,
    byRate: [...byRate.values()],
    blue: zero(),
    red: zero(),
    notTaxable: { blueGross: 0n, redGross: 0n, netGross: 0n },
    taxedAtInvoice: { gross: 0n, tax: 0n },
  };
  for (const t of totals) {
    out[t.kind] = { count: Number(t.n), gross: t.gross, net: t.net, tax: t.tax };
    const sign = t.kind === 'blue' ? 1n : -1n;
    out.taxedAtInvoice.gross += sign * t.taxedGross;
    out.taxedAtInvoice.tax += sign * t.taxedTax;
  }
  for (const r of out.byRate)
    if (r.notTaxable) {
      out.notTaxable.blueGross += r.blue.gross;
      out.notTaxable.redGross += r.red.gross;
    }
  out.notTaxable.netGross = out.notTaxable.blueGross - out.notTaxable.redGross;
  return out;
}
