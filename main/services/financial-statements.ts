// The balance sheet (资产负债表) and income statement (利润表) in a simplified layout by subject type, from
// the chart's figures for a month by business date (services/chart.ts#listChart with the year to date):
// - balance sheet at the month's last day, beside the balances at the start of the year (年初数): each
//   first-level asset, liability and equity subject, and the profit not yet closed to 本年利润 (the
//   revenue and expense subjects' balances), so assets = liabilities + equity + that profit;
// - income statement: each first-level revenue and expense subject for the month (本月数) and from
//   1 January (本年累计数), and the profit.
// Amounts are fen as integer strings, each on the subject's own side (a negative amount sits on the
// other side).
import type { Queryable } from '../db/books';
import { firstDay, lastDay } from '../domain/periods';
import { listChart, type ChartLine } from './chart';
import { checkMonth } from './balances';

export interface StatementItem {
  code: string;
  name: string;
  nameEn: string;
  /** 期末余额 at the month's last day. */
  closing: string;
  /** 年初余额: at the end of the previous year. */
  yearOpening: string;
}

export interface IncomeItem {
  code: string;
  name: string;
  nameEn: string;
  /** 本月数 */
  month: string;
  /** 本年累计数 */
  year: string;
}

export interface Pair {
  closing: string;
  yearOpening: string;
}

export interface FinancialStatements {
  month: string;
  /** The balance sheet's date: the month's last day. */
  asOf: string;
  yearStart: string;
  balanceSheet: {
    assets: StatementItem[];
    liabilities: StatementItem[];
    equity: StatementItem[];
    /** Revenue less expenses not yet closed to 本年利润 (the balances of the revenue and expense subjects). */
    unclosedProfit: Pair;
    totals: {
      assets: Pair;
      liabilities: Pair;
      /** The equity subjects and the unclosed profit. */
      equity: Pair;
      liabilitiesAndEquity: Pair;
    };
    /** Assets = liabilities + equity + unclosed profit, at both dates. */
    balanced: boolean;
    /** Assets − (liabilities + equity), closing; 0 when balanced. */
    difference: string;
  };
  incomeStatement: {
    revenue: IncomeItem[];
    expenses: IncomeItem[];
    totals: {
      revenue: { month: string; year: string };
      expenses: { month: string; year: string };
      /** 利润 = revenue − expenses */
      profit: { month: string; year: string };
    };
  };
}

/** Balance on the natural side at the end of the previous year: closing less the year's movement. */
function yearOpeningOf(l: ChartLine): bigint {
  const p = l.period!;
  const moved = l.side === 'debit' ? p.yearDebit! - p.yearCredit! : p.yearCredit! - p.yearDebit!;
  return p.closing - moved;
}

export async function financialStatements(q: Queryable, month: string): Promise<FinancialStatements> {
  checkMonth(month);
  const chart = await listChart(q, { month, yearToDate: true });
  const top = chart.lines.filter((l) => l.level === 1);
  const item = (l: ChartLine): StatementItem => ({
    code: l.code,
    name: l.name,
    nameEn: l.nameEn,
    closing: String(l.period!.closing),
    yearOpening: String(yearOpeningOf(l)),
  });
  const shown = (i: StatementItem) => i.closing !== '0' || i.yearOpening !== '0';
  const of = (type: ChartLine['type']) => top.filter((l) => l.type === type);
  const total = (ls: ChartLine[], f: (l: ChartLine) => bigint) => ls.reduce((n, l) => n + f(l), 0n);
  const closing = (l: ChartLine) => l.period!.closing;

  const assets = of('asset');
  const liabilities = of('liability');
  const equity = of('equity');
  const revenue = of('revenue');
  const expenses = of('expense');
  const profitAt = (f: (l: ChartLine) => bigint) => total(revenue, f) - total(expenses, f);
  const unclosed = { closing: profitAt(closing), yearOpening: profitAt(yearOpeningOf) };
  const pair = (ls: ChartLine[], extra = { closing: 0n, yearOpening: 0n }) => ({
    closing: total(ls, closing) + extra.closing,
    yearOpening: total(ls, yearOpeningOf) + extra.yearOpening,
  });
  const a = pair(assets);
  const li = pair(liabilities);
  const eq = pair(equity, unclosed);
  const le = { closing: li.closing + eq.closing, yearOpening: li.yearOpening + eq.yearOpening };
  const s = (p: { closing: bigint; yearOpening: bigint }): Pair => ({ closing: String(p.closing), yearOpening: String(p.yearOpening) });

  // The income statement: the month's and the year's movement on each subject's own side.
  const income = (l: ChartLine): IncomeItem => {
    const p = l.period!;
    const net = (d: bigint, c: bigint) => (l.side === 'credit' ? c - d : d - c);
    return {
      code: l.code,
      name: l.name,
      nameEn: l.nameEn,
      month: String(net(p.debit, p.credit)),
      year: String(net(p.yearDebit!, p.yearCredit!)),
    };
  };
  const rev = revenue.map(income);
  const exp = expenses.map(income);
  const sum = (xs: IncomeItem[], k: 'month' | 'year') => xs.reduce((n, x) => n + BigInt(x[k]), 0n);
  const revTotal = { month: sum(rev, 'month'), year: sum(rev, 'year') };
  const expTotal = { month: sum(exp, 'month'), year: sum(exp, 'year') };
  const incomeShown = (x: IncomeItem) => x.month !== '0' || x.year !== '0';

  return {
    month,
    asOf: lastDay(month),
    yearStart: firstDay(`${month.slice(0, 4)}-01`),
    balanceSheet: {
      assets: assets.map(item).filter(shown),
      liabilities: liabilities.map(item).filter(shown),
      equity: equity.map(item).filter(shown),
      unclosedProfit: s(unclosed),
      totals: { assets: s(a), liabilities: s(li), equity: s(eq), liabilitiesAndEquity: s(le) },
      balanced: a.closing === le.closing && a.yearOpening === le.yearOpening,
      difference: String(a.closing - le.closing),
    },
    incomeStatement: {
      revenue: rev.filter(incomeShown),
      expenses: exp.filter(incomeShown),
      totals: {
        revenue: { month: String(revTotal.month), year: String(revTotal.year) },
        expenses: { month: String(expTotal.month), year: String(expTotal.year) },
        profit: { month: String(revTotal.month - expTotal.month), year: String(revTotal.year - expTotal.year) },
      },
    },
  };
}
