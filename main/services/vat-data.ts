// 增值税申报数据: what the month's VAT return needs (issue 12 §3). Per rate: the invoiced sales (blue, and
// red-letter as negatives) from the invoices issued in the month (invoice-vat.ts#vatByMonth), and the
// uninvoiced sales (未开票收入) — what the month's revenue run taxed, i.e. the value of the coins used that
// no taxable invoice had taxed already (a 不征税 prepaid-value invoice taxes nothing, so its coins' use
// lands here too). Beside them the 不征税 prepaid value invoiced (amount only), and a tie: the output
// tax the report adds up against the month's net credit to 222101 应交增值税（销项税额） by business date,
// as the 科目余额表 shows it.
import type { Queryable } from '../db/books';
import { ratePercent, type Rate } from '../domain/invoice-tax';
import { firstDay, lastDay } from '../domain/periods';
import { checkMonth } from './balances';
import { listChart } from './chart';
import { OUTPUT_VAT_SUBJECT, vatByMonth } from './invoice-vat';
import { listRevenueRuns, runState, type RunState } from './revenue';

/** Sales excluding tax (销售额) and output tax (销项税额), fen as integer strings. */
export interface VatPair {
  net: string;
  tax: string;
}

export interface VatFigures {
  blueCount: number;
  redCount: number;
  blue: VatPair;
  /** Red-letter invoices, negative. */
  red: VatPair;
  /** blue + red */
  invoiced: VatPair;
  /** 未开票收入: taxed by the revenue run. */
  uninvoiced: VatPair;
  /** invoiced + uninvoiced */
  total: VatPair;
}

export interface VatDataRow extends VatFigures {
  rate: Rate;
  /** "6%" */
  percent: string;
}

export interface VatData {
  month: string;
  from: string;
  to: string;
  /** Taxable rates in use in the month (invoiced or the run's), highest first. */
  rows: VatDataRow[];
  totals: VatFigures;
  /** 不征税 prepaid value (预付卡销售和充值) invoiced in the month: amounts only; red negative. */
  notTaxable: { blueCount: number; redCount: number; blue: string; red: string; net: string };
  /** The month's revenue run the uninvoiced sales come from (none posted: state missing or not_needed, zeros). */
  run: { state: RunState; id: number | null; voucher: string | null; percent: string | null };
  /** Output tax in this report against the books: 222101's credits less debits dated in the month. */
  tie: { outputTax: string; booksCredit: string; booksDebit: string; books: string; difference: string; ok: boolean };
}

interface Sums {
  blueCount: number;
  redCount: number;
  blue: { net: bigint; tax: bigint };
  red: { net: bigint; tax: bigint };
  uninvoiced: { net: bigint; tax: bigint };
}

const none = (): Sums => ({
  blueCount: 0,
  redCount: 0,
  blue: { net: 0n, tax: 0n },
  red: { net: 0n, tax: 0n },
  uninvoiced: { net: 0n, tax: 0n },
});
const pair = (net: bigint, tax: bigint): VatPair => ({ net: String(net), tax: String(tax) });

function figures(s: Sums): VatFigures {
  const invoiced = { net: s.blue.net - s.red.net, tax: s.blue.tax - s.red.tax };
  return {
    blueCount: s.blueCount,
    redCount: s.redCount,
    blue: pair(s.blue.net, s.blue.tax),
    red: pair(-s.red.net, -s.red.tax),
    invoiced: pair(invoiced.net, invoiced.tax),
    uninvoiced: pair(s.uninvoiced.net, s.uninvoiced.tax),
    total: pair(invoiced.net + s.uninvoiced.net, invoiced.tax + s.uninvoiced.tax),
  };
}

/** 222101 (with any sub-accounts) in the month, from the chart's month figures. */
async function outputVatBooks(q: Queryable, month: string): Promise<{ credit: bigint; debit: bigint }> {
  const p = (await listChart(q, { month })).lines.find((l) => l.code === OUTPUT_VAT_SUBJECT)?.period;
  return { credit: p?.credit ?? 0n, debit: p?.debit ?? 0n };
}

export async function vatData(q: Queryable, month: string): Promise<VatData> {
  checkMonth(month);
  const invoiced = await vatByMonth(q, month);
  const byRate: { rate: Rate; sums: Sums }[] = [];
  const rowOf = (rate: Rate) => {
    // 6/100 and 3/50 are one rate
    let row = byRate.find((r) => r.rate.num * rate.den === rate.num * r.rate.den);
    if (!row) byRate.push((row = { rate, sums: none() }));
    return row.sums;
  };
  for (const r of invoiced.byRate) {
    if (r.notTaxable) continue;
    const s = rowOf(r.rate);
    s.blueCount += r.blue.count;
    s.redCount += r.red.count;
    s.blue = { net: s.blue.net + r.blue.net, tax: s.blue.tax + r.blue.tax };
    s.red = { net: s.red.net + r.red.net, tax: s.red.tax + r.red.tax };
  }

  const state = (await runState(q, month)).state;
  const posted = (await listRevenueRuns(q, month)).find((r) => r.status === 'posted');
  if (posted) {
    // The run taxed gross − pretaxedGross (tax-inclusive) at its rate; the rest was taxed at invoice.
    const gross = BigInt(posted.gross) - BigInt(posted.pretaxedGross);
    const tax = BigInt(posted.tax);
    if (gross !== 0n || tax !== 0n) {
      const s = rowOf(posted.rate);
      s.uninvoiced = { net: gross - tax, tax };
    }
  }

  const rows = [...byRate]
    .sort((a, b) => b.rate.num * a.rate.den - a.rate.num * b.rate.den)
    .map((r) => ({ rate: r.rate, percent: ratePercent(r.rate), ...figures(r.sums) }));
  const all = none();
  for (const { sums: s } of byRate) {
    all.blueCount += s.blueCount;
    all.redCount += s.redCount;
    for (const k of ['blue', 'red', 'uninvoiced'] as const) all[k] = { net: all[k].net + s[k].net, tax: all[k].tax + s[k].tax };
  }
  const totals = figures(all);

  const nt = invoiced.byRate.filter((r) => r.notTaxable);
  const books = await outputVatBooks(q, month);
  const net = books.credit - books.debit;
  const outputTax = BigInt(totals.total.tax);
  return {
    month,
    from: firstDay(month),
    to: lastDay(month),
    rows,
    totals,
    notTaxable: {
      blueCount: nt.reduce((n, r) => n + r.blue.count, 0),
      redCount: nt.reduce((n, r) => n + r.red.count, 0),
      blue: String(invoiced.notTaxable.blueGross),
      red: String(-invoiced.notTaxable.redGross),
      net: String(invoiced.notTaxable.netGross),
    },
    run: {
      state,
      id: posted?.id ?? null,
      voucher: posted?.voucher?.name ?? null,
      percent: posted ? ratePercent(posted.rate) : null,
    },
    tie: {
      outputTax: String(outputTax),
      booksCredit: String(books.credit),
      booksDebit: String(books.debit),
      books: String(net),
      difference: String(outputTax - net),
      ok: outputTax === net,
    },
  };
}
