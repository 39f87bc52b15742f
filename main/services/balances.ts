// 科目余额表 (balances by subject for a month, by business date) and its drill-down: 明细账 (the ledger
// lines of a subject or a ledger account in the month, with a running balance) and 银行存款日记账 (the
// same for a platform bank account, with the bank line's counterparty). The month's figures come from
// the chart (services/chart.ts#listChart), so the screen, the CLI, the workbook and the month-end pack
// all read one computation. Amounts in the output are fen as integer strings; a balance carries its
// direction as accountants write it (借 / 贷 / 平) and a non-negative amount.
import type { NotNull } from 'kysely';
import type { Queryable } from '../db/books';
import { literal, selectFirstExact, type RowOf } from '../db/query';
import { big, bigOrNull, rowMapper, text, textOrNull } from '../db/row-read';
import { LEDGER } from '../domain/ledgers';
import { firstDay, isMonth, lastDay } from '../domain/periods';
import { refuse } from '../domain/refusals';
import { listChart, naturalSide, type ChartLine, type SubjectHeading, type SubjectType } from './chart';
import { voucherName } from './voucher-numbers';

export type Direction = 'debit' | 'credit' | 'flat';

/** A balance as accountants show it: a direction (借 / 贷 / 平) and an amount that is never negative. */
export interface DirectedBalance {
  direction: Direction;
  /** fen, integer string, ≥ 0 */
  amount: string;
}

/** A signed balance on `side` (negative = on the other side) as a direction and an amount. */
export function directed(signed: bigint, side: 'debit' | 'credit'): DirectedBalance {
  if (signed === 0n) return { direction: 'flat', amount: '0' };
  const other = side === 'debit' ? 'credit' : 'debit';
  return signed > 0n ? { direction: side, amount: String(signed) } : { direction: other, amount: String(-signed) };
}

export const DIRECTION_ZH: Record<Direction, string> = { debit: '借', credit: '贷', flat: '平' };

export function checkMonth(month: string): void {
  if (!isMonth(month)) throw refuse('VALIDATION', 'month_invalid', { month }, { field: 'month' });
}

export interface BalanceLine extends SubjectHeading {
  opening: DirectedBalance;
  /** 本期借方 / 本期贷方 (fen). */
  debit: string;
  credit: string;
  closing: DirectedBalance;
  /** The six columns of the Kingdee-style layout: each balance in the column of its direction. */
  openingDebit: string;
  openingCredit: string;
  closingDebit: string;
  closingCredit: string;
  /** The platform bank account this subject is the sub-account of 1002 for (drill into 银行存款日记账). */
  bankAccountId: number | null;
}

export interface BalancesTotals {
  openingDebit: string;
  openingCredit: string;
  debit: string;
  credit: string;
  closingDebit: string;
  closingCredit: string;
}

/** The 科目余额表's six amount columns in their order, as each line and the totals carry them. */
export const BALANCE_AMOUNTS = [
  'openingDebit',
  'openingCredit',
  'debit',
  'credit',
  'closingDebit',
  'closingCredit',
] as const satisfies readonly (keyof BalancesTotals)[];

export interface BalancesReport {
  month: string;
  from: string;
  to: string;
  lines: BalanceLine[];
  /** Sum of the first-level subjects (a parent already holds its children). */
  totals: BalancesTotals;
  /** Opening debit = opening credit, period debit = period credit, closing debit = closing credit. */
  balanced: boolean;
  /** CNY ledger accounts mapped to no subject (none in books the migrations made): outside the lines. */
  unmapped: { id: number; code: string; name: string }[];
}

export interface BalancesOptions {
  /** Every subject, also those with no balance and no movement (default: only those with either). */
  includeEmpty?: boolean;
  /** Only subjects down to this level (1 = first-level only). */
  maxLevel?: number;
}

async function bankAccountBySubject(q: Queryable): Promise<Map<string, number>> {
  const rows = await q.db
    .selectFrom('bank_accounts as b')
    .innerJoin('accounts as a', 'a.id', 'b.ledger_account_id')
    .select(['b.id', 'a.subject_code as code'])
    .where('a.subject_code', 'is not', null)
    .$narrowType<{ code: NotNull }>()
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

function balanceLine(l: ChartLine, banks: Map<string, number>): BalanceLine {
  const p = l.period!;
  const opening = directed(p.opening, l.side);
  const closing = directed(p.closing, l.side);
  return {
    code: l.code,
    name: l.name,
    nameEn: l.nameEn,
    type: l.type,
    parentCode: l.parentCode,
    level: l.level,
    leaf: l.leaf,
    side: l.side,
    opening,
    debit: String(p.debit),
    credit: String(p.credit),
    closing,
    openingDebit: opening.direction === 'debit' ? opening.amount : '0',
    openingCredit: opening.direction === 'credit' ? opening.amount : '0',
    closingDebit: closing.direction === 'debit' ? closing.amount : '0',
    closingCredit: closing.direction === 'credit' ? closing.amount : '0',
    bankAccountId: banks.get(l.code) ?? null,
  };
}

/**
 * 科目余额表 for a month: per subject (parents roll up their children) the opening balance, the
 * month's debits and credits, and the closing balance, each balance with its direction; the totals of
 * the first-level subjects, which balance as the ledger does.
 */
export async function balancesReport(q: Queryable, month: string, opts: BalancesOptions = {}): Promise<BalancesReport> {
  checkMonth(month);
  const chart = await listChart(q, { month });
  const banks = await bankAccountBySubject(q);
  const all = chart.lines.map((l) => balanceLine(l, banks));
  const moved = (l: BalanceLine) => l.opening.amount !== '0' || l.debit !== '0' || l.credit !== '0' || l.closing.amount !== '0';
  const lines = all.filter((l) => (opts.includeEmpty || moved(l)) && (opts.maxLevel === undefined || l.level <= opts.maxLevel));
  const sum = (f: (l: BalanceLine) => string) => all.filter((l) => l.level === 1).reduce((n, l) => n + BigInt(f(l)), 0n);
  const totals = {
    openingDebit: sum((l) => l.openingDebit),
    openingCredit: sum((l) => l.openingCredit),
    debit: sum((l) => l.debit),
    credit: sum((l) => l.credit),
    closingDebit: sum((l) => l.closingDebit),
    closingCredit: sum((l) => l.closingCredit),
  };
  return {
    month,
    from: firstDay(month),
    to: lastDay(month),
    lines,
    totals: {
      openingDebit: String(totals.openingDebit),
      openingCredit: String(totals.openingCredit),
      debit: String(totals.debit),
      credit: String(totals.credit),
      closingDebit: String(totals.closingDebit),
      closingCredit: String(totals.closingCredit),
    },
    balanced:
      totals.openingDebit === totals.openingCredit && totals.debit === totals.credit && totals.closingDebit === totals.closingCredit,
    unmapped: chart.unmapped.map((a) => ({ id: a.id, code: a.code, name: a.name })),
  };
}

// ——— 明细账 and 银行存款日记账 ———

export interface LedgerLine {
  date: string;
  /** '记-2026-11-0003' */
  voucher: string | null;
  voucherId: number | null;
  transferId: number;
  /** 摘要 */
  summary: string;
  /** 对方科目: the other side's subject (code and name), or its ledger account's name when unmapped. */
  otherCode: string | null;
  otherName: string;
  debit: string;
  credit: string;
  balance: DirectedBalance;
  /** 银行存款日记账 only: the bank line this posting booked (counterparty as the bank gave it). */
  counterparty?: string | null;
  bankRef?: string | null;
}

export interface LedgerDetail {
  kind: 'subject' | 'bank';
  month: string;
  from: string;
  to: string;
  /** The subject (or the bank sub-account of 1002) the ledger is for. */
  code: string | null;
  name: string;
  nameEn: string;
  side: 'debit' | 'credit';
  bankAccount: { id: number; bankName: string; accountNumber: string; name: string } | null;
  /** 期初余额 */
  opening: DirectedBalance;
  /** Every line in the month, or the page asked for (running balances are over the whole month). */
  lines: LedgerLine[];
  /** Lines in the month (all pages). */
  lineCount: number;
  offset: number;
  /** 本月合计 */
  monthTotal: { debit: string; credit: string; closing: DirectedBalance };
  /** 本年累计 (from 1 January to the month's last day) */
  yearTotal: { debit: string; credit: string; closing: DirectedBalance };
}

export interface LedgerTarget {
  /** A subject: its own ledger accounts and every sub-account's. */
  subjectCode?: string;
  /** One CNY ledger account. */
  accountId?: number;
}

const cnyAccountsQuery = (q: Queryable) =>
  q.db.selectFrom('accounts').select(['id', 'code', 'name', 'subject_code']).where('ledger', '=', literal(LEDGER.CNY));
type AccountInfo = RowOf<typeof cnyAccountsQuery>;

async function cnyAccounts(q: Queryable): Promise<Map<number, AccountInfo>> {
  const rows = await cnyAccountsQuery(q).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function subjectNames(q: Queryable): Promise<Map<string, { name: string; nameEn: string; type: SubjectType }>> {
  const rows = await q.db.selectFrom('subjects').select(['code', 'name', 'name_en as nameEn', 'type']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}

/**
 * 明细账 of a subject (its sub-accounts included) or of one ledger account for a month: the opening
 * balance, every posting dated in the month in date and voucher order with the running balance, the
 * month's totals (本月合计) and the year's (本年累计). `offset`/`limit` page the lines; balances and
 * totals always cover the whole month.
 */
export async function ledgerDetail(
  q: Queryable,
  month: string,
  target: LedgerTarget,
  page: { offset?: number; limit?: number } = {},
): Promise<LedgerDetail> {
  checkMonth(month);
  const accounts = await cnyAccounts(q);
  const subjects = await subjectNames(q);
  let ids: number[];
  let code: string | null;
  let name: string;
  let nameEn: string;
  let side: 'debit' | 'credit';
  if (target.subjectCode !== undefined) {
    const s = subjects.get(target.subjectCode);
    if (!s) throw refuse('REFUSED', 'unknown_subject', { code: target.subjectCode }, { field: 'subjectCode' });
    const prefix = target.subjectCode;
    ids = [...accounts.values()].filter((a) => a.subject_code !== null && a.subject_code.startsWith(prefix)).map((a) => a.id);
    code = prefix;
    name = s.name;
    nameEn = s.nameEn;
    side = naturalSide(s.type);
  } else if (target.accountId !== undefined) {
    const a = accounts.get(target.accountId);
    if (!a) throw refuse('REFUSED', 'unknown_ledger_account', { accountId: String(target.accountId) }, { field: 'accountId' });
    const s = a.subject_code === null ? undefined : subjects.get(a.subject_code);
    ids = [a.id];
    code = a.subject_code;
    name = s?.name ?? a.name;
    nameEn = s?.nameEn ?? a.name;
    side = s ? naturalSide(s.type) : 'debit';
  } else {
    throw refuse('VALIDATION', 'subject_or_account_required', {}, { field: 'subjectCode' });
  }
  const from = firstDay(month);
  const to = lastDay(month);
  const yearStart = `${month.slice(0, 4)}-01-01`;
  const mine = new Set(ids);
  const kept = ids.length
    ? (await selectFirstExact(
        q,
        q.db
          .selectFrom('accounts')
          .select((eb) => [
            eb.fn.coalesce(eb.fn.sum<number | null>('debits_posted'), eb.lit(0)).as('d'),
            eb.fn.coalesce(eb.fn.sum<number | null>('credits_posted'), eb.lit(0)).as('c'),
          ])
          .where('id', 'in', ids),
      ))!
    : { d: 0n, c: 0n };
  // Everything dated from 1 January on (the business-date index); the month's rows become lines.
  const sign = (debit: bigint, credit: bigint) => (side === 'debit' ? debit - credit : credit - debit);
  let afterFrom = 0n; // signed movement dated on or after the month's first day
  let yearDebit = 0n;
  let yearCredit = 0n;
  const rows: {
    id: number;
    date: string;
    word: string | null;
    period: string | null;
    number: number | null;
    voucherId: number | null;
    memo: string;
    summary: string | null;
    source: string | null;
    debit: bigint;
    credit: bigint;
    other: number;
  }[] = [];
  if (ids.length) {
    const list = ids.join(',');
    const ledgerLineOf = rowMapper({
      id: big,
      date: text,
      d: big,
      c: big,
      amount: big,
      memo: text,
      voucherId: bigOrNull,
      word: textOrNull,
      period: textOrNull,
      number: bigOrNull,
      summary: textOrNull,
      source: textOrNull,
    });
    const it = q
      .sql(
        `SELECT t.id, t.business_date AS date, t.debit_account_id AS d, t.credit_account_id AS c, t.amount, t.memo, t.voucher_id AS voucherId,
           v.word, v.period, v.number, v.summary, v.source
         FROM transfers t LEFT JOIN vouchers v ON v.id = t.voucher_id
         WHERE t.business_date >= ? AND t.ledger = ${LEDGER.CNY} AND t.kind IN ('single', 'post')
           AND (t.debit_account_id IN (${list}) OR t.credit_account_id IN (${list}))`,
      )
      .safeIntegers(true)
      .iterate(from < yearStart ? from : yearStart);
    for await (const raw of it) {
      const r = ledgerLineOf(raw);
      const d = Number(r.d);
      const c = Number(r.c);
      // A posting between two of the target's own accounts is a debit line and a credit line.
      const sides: ('debit' | 'credit')[] = [];
      if (mine.has(d)) sides.push('debit');
      if (mine.has(c)) sides.push('credit');
      for (const s of sides) {
        const debit = s === 'debit' ? r.amount : 0n;
        const credit = s === 'credit' ? r.amount : 0n;
        if (r.date <= to) {
          yearDebit += debit;
          yearCredit += credit;
        }
        if (r.date < from) continue;
        afterFrom += sign(debit, credit);
        if (r.date > to) continue;
        rows.push({
          id: Number(r.id),
          date: r.date,
          word: r.word,
          period: r.period,
          number: r.number === null ? null : Number(r.number),
          voucherId: r.voucherId === null ? null : Number(r.voucherId),
          memo: r.memo,
          summary: r.summary,
          source: r.source,
          debit,
          credit,
          other: s === 'debit' ? c : d,
        });
      }
    }
  }
  rows.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      (a.word ?? '').localeCompare(b.word ?? '') ||
      (a.number ?? 0) - (b.number ?? 0) ||
      a.id - b.id ||
      (a.debit > 0n ? -1 : 1),
  );
  const opening = sign(kept.d, kept.c) - afterFrom;
  const offset = page.offset ?? 0;
  const end = page.limit === undefined ? rows.length : offset + page.limit;
  const lines: LedgerLine[] = [];
  let running = opening;
  let monthDebit = 0n;
  let monthCredit = 0n;
  rows.forEach((r, i) => {
    running += sign(r.debit, r.credit);
    monthDebit += r.debit;
    monthCredit += r.credit;
    if (i < offset || i >= end) return;
    const other = accounts.get(r.other);
    const otherSubject = other?.subject_code ? subjects.get(other.subject_code) : undefined;
    const vName =
      r.word !== null && r.period !== null && r.number !== null ? voucherName({ word: r.word, period: r.period, number: r.number }) : null;
    // A manual voucher's postings carry "记-… summary": the 摘要 is the summary.
    const memo = vName && r.memo.startsWith(`${vName} `) ? r.memo.slice(vName.length + 1) : r.memo;
    lines.push({
      date: r.date,
      voucher: vName,
      voucherId: r.voucherId,
      transferId: r.id,
      summary: memo || r.summary || '',
      otherCode: other?.subject_code ?? null,
      otherName: otherSubject?.name ?? other?.name ?? '',
      debit: String(r.debit),
      credit: String(r.credit),
      balance: directed(running, side),
    });
  });
  const closing = directed(running, side);
  return {
    kind: 'subject',
    month,
    from,
    to,
    code,
    name,
    nameEn,
    side,
    bankAccount: null,
    opening: directed(opening, side),
    lines,
    lineCount: rows.length,
    offset,
    monthTotal: { debit: String(monthDebit), credit: String(monthCredit), closing },
    yearTotal: { debit: String(yearDebit), credit: String(yearCredit), closing },
  };
}

/** 银行存款日记账 of a platform bank account for a month: its ledger account's 明细账 with each bank line's counterparty. */
export async function bankJournal(
  q: Queryable,
  month: string,
  bankAccountId: number,
  page: { offset?: number; limit?: number } = {},
): Promise<LedgerDetail> {
  checkMonth(month);
  const bank = await q.db
    .selectFrom('bank_accounts')
    .select(['id', 'bank_name as bankName', 'account_number as accountNumber', 'name', 'ledger_account_id as ledgerAccountId'])
    .where('id', '=', bankAccountId)
    .executeTakeFirst();
  if (!bank) throw refuse('NOT_FOUND', 'bank_account_not_found', { ref: String(bankAccountId) }, { field: 'bankAccountId' });
  const detail = await ledgerDetail(q, month, { accountId: bank.ledgerAccountId }, page);
  const lines = await q.db
    .selectFrom('bank_lines')
    .select(['ledger_transfer_id as t', 'counterparty_name as name', 'counterparty_account as account', 'bank_ref as ref'])
    .where('bank_account_id', '=', bank.id)
    .where((eb) => eb.between('booked', detail.from, detail.to))
    .execute();
  const byTransfer = new Map(lines.map((l) => [l.t, l]));
  return {
    ...detail,
    kind: 'bank',
    bankAccount: { id: bank.id, bankName: bank.bankName, accountNumber: bank.accountNumber, name: bank.name },
    lines: detail.lines.map((l) => {
      const b = byTransfer.get(l.transferId);
      return {
        ...l,
        counterparty: b ? [b.name, b.account].filter(Boolean).join(' ') || null : null,
        bankRef: b?.ref ?? null,
      };
    }),
  };
}
