// The monthly revenue run (收入确认). Coins used in a month (spent, expired) release the contract
// liability (合同负债, customer prepayments) at the value their recharge lots carry (domain/revenue.ts);
// the run posts one voucher dated the month's last day — Dr 合同负债 / Cr 主营业务收入 and Cr 应交税费—
// 应交增值税（销项税额） at the rate in settings — and keeps each customer's share. One posted run per
// month; it runs again only when the month changed since (a late posting) or was reopened, and then the
// earlier run is reversed by a red voucher and kept as 'superseded'. Period close requires a current run.
//
// The lots are replayed from the first posting on every run, in business-date order, so a month's figures
// are the same whenever they are computed once the months before it are closed.
import type { Selectable } from 'kysely';
import type { RevenueRunTable } from '../db/schema';
import type { Queryable } from '../db/books';
import { LIKE_ESCAPE, likeContains } from '../db/like';
import type { Tx } from '../db/tx';
import { shanghaiDate } from '../domain/dates';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { isMonth, lastDay, monthOf, nextMonth, previousMonth } from '../domain/periods';
import { TRANSFER_EPOCH_SHIFT, transferEpochSql } from '../db/migrations';
import { refuse } from '../domain/refusals';
import { LotBook, splitCustomer, type CustomerRevenue, type Movement, type Policy } from '../domain/revenue';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { createTransfers, type PostInput } from './ledger-post';
import { monthlySetting } from './settings';
import { taxedAtInvoice } from './invoice-vat';
import { cnyAccount } from './system-accounts';
import { insertVoucher, voucherName } from './voucher-numbers';

/** Transfer codes the run posts: they never make a run stale. */
export const REVENUE_CODES = ['revenue_recognition', 'revenue_tax', 'revenue_reversal'] as const;

/** A customer's (or the month's) figures, each a bigint. */
type Figures = { [K in keyof CustomerRevenue]: bigint };
const FIGURE_KEYS = ['usedCoins', 'value', 'breakage', 'adjustment', 'gross', 'pretaxedGross', 'pretaxedTax', 'tax', 'revenue'] as const;

/** A month's figures as the run computes them (amounts in fen, coins as counts; bigint). */
export interface RevenueComputation {
  month: string;
  policy: Policy;
  rate: { num: number; den: number };
  totals: Figures & { spentCoins: bigint; expiredCoins: bigint; closingCoins: bigint; closingValue: bigint; closingPretaxedTax: bigint };
  /** Per customer with anything used or held. */
  lines: Map<number, Figures & { closingCoins: bigint; closingValue: bigint }>;
  /** The largest transfer id read: a later posting dated in or before the month makes the run stale. */
  throughId: number;
}

/** A recharge-ledger transfer as the replay reads it: id, debit, credit, amount, reverses_id, is an expiry (1/0). */
type CoinRow = [number, number, number, number, number | null, number];

interface RecordLot {
  recordId: number;
  coins: bigint;
  money: bigint;
}

const zeroFigures = (): Omit<CustomerRevenue, 'gross' | 'pretaxedGross' | 'pretaxedTax' | 'tax' | 'revenue'> => ({
  usedCoins: 0n,
  value: 0n,
  breakage: 0n,
  adjustment: 0n,
});

function policies(q: Queryable) {
  const cache = new Map<string, Policy>();
  return (month: string): Policy => {
    let p = cache.get(month);
    if (!p) {
      p = { method: monthlySetting(q, 'revenue.method', month), breakageBp: monthlySetting(q, 'revenue.breakageBp', month) };
      cache.set(month, p);
    }
    return p;
  };
}

/**
 * Every recharge-ledger transfer dated on or before a day, in business-date order (id order within a
 * day), handed to `f` as it is read. One query a day by the business-date index, whose entries within a
 * day are in id order, so nothing is sorted or held; only numbers are read (no text per row). Returns
 * the largest id read.
 */
function eachCoinTransfer(q: Queryable, through: string, f: (row: CoinRow, date: string) => void): number {
  const nextDay = q.sql('SELECT min(business_date) FROM transfers WHERE business_date > ? AND business_date <= ?').pluck(true);
  const ofDay = q
    .sql(
      `SELECT id, debit_account_id, credit_account_id, amount, reverses_id, code = 'expiry' FROM transfers INDEXED BY transfers_by_date
       WHERE business_date = ? AND ledger = ${LEDGER.RECHARGE_COIN} AND kind IN ('single', 'post') ORDER BY id`,
    )
    .raw(true);
  let maxId = 0;
  for (let date = nextDay.get('', through) as string | null; date !== null; date = nextDay.get(date, through) as string | null) {
    for (const row of ofDay.iterate(date) as IterableIterator<CoinRow>) {
      f(row, date);
      if (row[0] > maxId) maxId = row[0];
    }
  }
  return maxId;
}

/**
 * Each recharge record as a lot, by the transfer that credited its paid coins; its bonus transfer maps to
 * null (the lot came with the paid coins). Only one customer's records when given.
 */
function recordLots(q: Queryable, customerId?: number) {
  const lotOfTransfer = new Map<number, RecordLot | null>();
  const recordByReversed = new Map<number, RecordLot | null>();
  const sql = `SELECT id, coins_transfer_id, bonus_transfer_id, paid_coins + bonus_coins, amount FROM recharge_records${customerId === undefined ? '' : ' WHERE customer_id = ?'}`;
  const stmt = q.sql(sql).raw(true);
  for (const r of (customerId === undefined ? stmt.all() : stmt.all(customerId)) as [number, number, number | null, number, number][]) {
    const lot = { recordId: r[0], coins: BigInt(r[3]), money: BigInt(r[4]) };
    lotOfTransfer.set(r[1], lot);
    recordByReversed.set(r[1], lot);
    if (r[2] !== null) {
      lotOfTransfer.set(r[2], null);
      recordByReversed.set(r[2], null);
    }
  }
  return { lotOfTransfer, recordByReversed };
}

/** The month's figures from the lots replayed through its last day. */
export function computeRevenue(q: Queryable, month: string): RevenueComputation {
  const through = lastDay(month);
  const policyOf = policies(q);
  const walletOwner = new Map<number, number>();
  for (const r of q.sql('SELECT recharge_wallet_id AS w, customer_id AS c FROM customer_accounts').raw(true).all() as [number, number][])
    walletOwner.set(r[0], r[1]);
  const { lotOfTransfer, recordByReversed } = recordLots(q);
  // The policy of each month is set before its first movement (the one given here is never used).
  const book = new LotBook(policyOf(month));
  let day = '';
  let current = '';
  let inMonth = false;
  const used = new Map<number, ReturnType<typeof zeroFigures>>();
  let spentCoins = 0n;
  let expiredCoins = 0n;
  const from = `${month}-01`;
  const maxId = eachCoinTransfer(q, through, (t, date) => {
    if (date !== day) {
      day = date;
      if (monthOf(date) !== current) book.setPolicy(policyOf((current = monthOf(date))));
      inMonth = date >= from;
    }
    const movement = movementOf(t, walletOwner, lotOfTransfer, recordByReversed);
    if (!movement) return;
    const releases = book.apply(movement);
    if (!inMonth) return;
    if (movement.kind === 'use') {
      if (t[5] === 1) expiredCoins += movement.coins;
      else spentCoins += movement.coins;
    }
    for (const r of releases) {
      const customer = walletOwner.get(r.wallet)!;
      let f = used.get(customer);
      if (!f) used.set(customer, (f = zeroFigures()));
      f.usedCoins += r.usedCoins;
      f.value += r.value;
      f.breakage += r.breakage;
      f.adjustment += r.adjustment;
    }
  });
  const rate = monthlySetting(q, 'revenue.vatRate', month);
  const pretaxed = pretaxedLeft(q, month);
  const held = new Map<number, { coins: bigint; money: bigint }>();
  for (const w of book.walletIds()) {
    const h = book.holding(w);
    const c = walletOwner.get(w)!;
    const s = held.get(c) ?? { coins: 0n, money: 0n };
    held.set(c, { coins: s.coins + h.coins, money: s.money + h.money });
  }
  const lines: RevenueComputation['lines'] = new Map();
  const totals = { ...zeroFigures(), gross: 0n, pretaxedGross: 0n, pretaxedTax: 0n, tax: 0n, revenue: 0n };
  let closingPretaxedTax = 0n;
  for (const customer of new Set([...used.keys(), ...held.keys()])) {
    const p = pretaxed.get(customer) ?? { gross: 0n, tax: 0n };
    const f = splitCustomer(used.get(customer) ?? zeroFigures(), p, rate);
    const h = held.get(customer) ?? { coins: 0n, money: 0n };
    if (f.usedCoins === 0n && f.gross === 0n && h.coins === 0n && h.money === 0n) continue;
    lines.set(customer, { ...f, closingCoins: h.coins, closingValue: h.money });
    for (const k of FIGURE_KEYS) totals[k] += f[k];
    closingPretaxedTax += p.tax - f.pretaxedTax;
  }
  for (const [customer, p] of pretaxed) if (!lines.has(customer)) closingPretaxedTax += p.tax;
  let closingCoins = 0n;
  let closingValue = 0n;
  for (const h of held.values()) {
    closingCoins += h.coins;
    closingValue += h.money;
  }
  return {
    month,
    policy: policyOf(month),
    rate,
    totals: { ...totals, spentCoins, expiredCoins, closingCoins, closingValue, closingPretaxedTax },
    lines,
    // Everything posted so far was seen (a record's money leg may follow its coin legs): later postings make the run stale.
    throughId: Math.max(maxId, (q.sql('SELECT coalesce(max(id), 0) AS m FROM transfers').get() as { m: number }).m),
  };
}

function movementOf(
  [id, debit, credit, amount, reverses]: CoinRow,
  walletOwner: Map<number, number>,
  lotOfTransfer: Map<number, RecordLot | null>,
  recordByReversed: Map<number, RecordLot | null>,
): Movement | null {
  const fromWallet = walletOwner.has(debit);
  const toWallet = walletOwner.has(credit);
  const coins = BigInt(amount);
  if (fromWallet && toWallet) return { kind: 'move', from: debit, to: credit, coins };
  if (toWallet) {
    const lot = lotOfTransfer.get(id);
    if (lot === null) return null; // a record's bonus coins: its lot came with its paid coins
    // Coins credited without a record (a reversed use) come back without value: their revenue stays recognised.
    return { kind: 'lot', wallet: credit, coins: lot?.coins ?? coins, money: lot?.money ?? 0n, recordId: lot?.recordId ?? null };
  }
  if (fromWallet) {
    const reversed = reverses === null ? undefined : recordByReversed.get(reverses);
    if (reversed === null) return null;
    if (reversed) return { kind: 'reverse', wallet: debit, coins: reversed.coins, money: reversed.money, recordId: reversed.recordId };
    return { kind: 'use', wallet: debit, coins };
  }
  return null;
}

/** A posted transfer of a customer's recharge wallet, with when it was entered and the held transfer it posts. */
export interface WalletTransfer {
  id: number;
  kind: string;
  debit: number;
  credit: number;
  amount: number;
  code: string;
  date: string;
  reverses: number | null;
  ts: number;
  pending: number | null;
}

/**
 * One customer's recharge wallets replayed through their lots up to a day, as computeRevenue replays every
 * wallet: the same order (business date, then id), the same lots from the records, the policy of each
 * month from the customer's first posting on. Coins move only among one customer's wallets, so reading
 * only theirs gives the value a run would keep for them (revenue_run_lines.closing_value at a month end).
 * `visit` sees each transfer with the change in the money the customer's lots hold and what they hold after.
 */
export function replayCustomerLots(
  q: Queryable,
  customerId: number,
  through: string,
  visit: (t: WalletTransfer, valueDelta: bigint, held: { coins: bigint; money: bigint }) => void,
): void {
  const wallets = (
    q.sql('SELECT recharge_wallet_id AS w FROM customer_accounts WHERE customer_id = ?').all(customerId) as { w: number }[]
  ).map((r) => r.w);
  if (wallets.length === 0) return;
  const walletOwner = new Map(wallets.map((w) => [w, customerId]));
  const { lotOfTransfer, recordByReversed } = recordLots(q, customerId);
  const rows = walletTransfers(q, wallets, through);
  if (rows.length === 0) return;
  const policyOf = policies(q);
  let current = monthOf(rows[0]!.date);
  const book = new LotBook(policyOf(current));
  const held = () => {
    let coins = 0n;
    let money = 0n;
    for (const w of wallets) {
      const h = book.holding(w);
      coins += h.coins;
      money += h.money;
    }
    return { coins, money };
  };
  let before = 0n;
  for (const t of rows) {
    // Every month in between too, as the whole book's replay meets one (a switch to weighted pools the lots).
    while (current < monthOf(t.date)) book.setPolicy(policyOf((current = nextMonth(current))));
    const movement = movementOf(
      [t.id, t.debit, t.credit, t.amount, t.reverses, t.code === 'expiry' ? 1 : 0],
      walletOwner,
      lotOfTransfer,
      recordByReversed,
    );
    if (movement) book.apply(movement);
    const after = held();
    visit(t, after.money - before, after);
    before = after.money;
  }
}

/** The posted transfers of some recharge wallets dated on or before a day, in business-date then id order (read by epoch, as ledger-read does). */
function walletTransfers(q: Queryable, wallets: number[], through: string): WalletTransfer[] {
  const list = wallets.join(', ');
  const top = (q.sql('SELECT coalesce(max(id), 0) AS m FROM transfers').get() as { m: number }).m;
  const cols = `SELECT id, kind, debit_account_id AS debit, credit_account_id AS credit, amount, code, business_date AS date, reverses_id AS reverses,
    ts, pending_id AS pending FROM transfers WHERE ${transferEpochSql('id')} = :e`;
  const rest = `AND ledger = ${LEDGER.RECHARGE_COIN} AND kind IN ('single', 'post') AND business_date <= :through`;
  // Two index searches per epoch (an OR would scan the epoch): debits, then credits not already read.
  const stmt = q.sql(
    `${cols} AND debit_account_id IN (${list}) ${rest}
     UNION ALL ${cols} AND credit_account_id IN (${list}) AND debit_account_id NOT IN (${list}) ${rest}`,
  );
  const rows: WalletTransfer[] = [];
  for (let e = 0; e <= top >> TRANSFER_EPOCH_SHIFT; e++) rows.push(...(stmt.all({ e, through }) as WalletTransfer[]));
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
}

/** What each customer's taxable invoices taxed in advance and earlier runs have not used yet. */
function pretaxedLeft(q: Queryable, month: string): Map<number, { gross: bigint; tax: bigint }> {
  const left = taxedAtInvoice(q, undefined, lastDay(month));
  const usedBefore = q
    .sql(
      `SELECT l.customer_id AS c, sum(l.pretaxed_gross) AS g, sum(l.pretaxed_tax) AS t FROM revenue_run_lines l
       JOIN revenue_runs r ON r.id = l.run_id WHERE r.status = 'posted' AND r.month < ? GROUP BY l.customer_id`,
    )
    .safeIntegers(true)
    .all(month) as { c: bigint; g: bigint; t: bigint }[];
  for (const u of usedBefore) {
    const p = left.get(Number(u.c));
    if (p) left.set(Number(u.c), { gross: p.gross - u.g, tax: p.tax - u.t });
  }
  return left;
}

// ── runs ────────────────────────────────────────────────────────────────────────────────────────────

export interface RevenueRunOut {
  id: number;
  month: string;
  status: 'posted' | 'superseded';
  method: 'fifo' | 'weighted';
  breakageBp: number;
  rate: { num: number; den: number };
  usedCoins: string;
  spentCoins: string;
  expiredCoins: string;
  value: string;
  breakage: string;
  adjustment: string;
  gross: string;
  pretaxedGross: string;
  pretaxedTax: string;
  tax: string;
  revenue: string;
  closingCoins: string;
  closingValue: string;
  closingPretaxedTax: string;
  customers: number;
  voucher: { id: number; name: string } | null;
  reversalVoucher: { id: number; name: string } | null;
  supersededBy: number | null;
  runBy: string | null;
  runAt: number;
}

type RunRow = Selectable<RevenueRunTable> & { run_by_name: string | null };

const RUN_SELECT = `SELECT r.*, s.display_name AS run_by_name FROM revenue_runs r LEFT JOIN staff s ON s.id = r.run_by`;

function voucherRef(q: Queryable, id: number | null): { id: number; name: string } | null {
  if (id === null) return null;
  const v = q.sql('SELECT word, period, number FROM vouchers WHERE id = ?').get(id) as { word: string; period: string; number: number };
  return { id, name: voucherName(v) };
}

function runOut(q: Queryable, r: RunRow): RevenueRunOut {
  return {
    id: r.id,
    month: r.month,
    status: r.status,
    method: r.method,
    breakageBp: r.breakage_bp,
    rate: { num: r.rate_num, den: r.rate_den },
    usedCoins: String(r.used_coins),
    spentCoins: String(r.spent_coins),
    expiredCoins: String(r.expired_coins),
    value: String(r.value),
    breakage: String(r.breakage),
    adjustment: String(r.adjustment),
    gross: String(r.gross),
    pretaxedGross: String(r.pretaxed_gross),
    pretaxedTax: String(r.pretaxed_tax),
    tax: String(r.tax),
    revenue: String(r.revenue),
    closingCoins: String(r.closing_coins),
    closingValue: String(r.closing_value),
    closingPretaxedTax: String(r.closing_pretaxed_tax),
    customers: r.customers,
    voucher: voucherRef(q, r.voucher_id),
    reversalVoucher: voucherRef(q, r.reversal_voucher_id),
    supersededBy: r.superseded_by,
    runBy: r.run_by_name,
    runAt: r.run_at,
  };
}

export function listRevenueRuns(q: Queryable, month?: string): RevenueRunOut[] {
  if (month !== undefined) checkMonth(month);
  const rows = (
    month === undefined
      ? q.sql(`${RUN_SELECT} ORDER BY r.month DESC, r.id DESC LIMIT 240`).all()
      : q.sql(`${RUN_SELECT} WHERE r.month = ? ORDER BY r.id DESC`).all(month)
  ) as RunRow[];
  return rows.map((r) => runOut(q, r));
}

function postedRun(q: Queryable, month: string): RunRow | undefined {
  return q.sql(`${RUN_SELECT} WHERE r.month = ? AND r.status = 'posted'`).get(month) as RunRow | undefined;
}

function checkMonth(month: string): void {
  if (!isMonth(month)) throw refuse('VALIDATION', 'month_invalid', { month }, { field: 'month' });
}

function periodOf(q: Queryable, month: string): { state: string; reopens: number } {
  const p = q.sql('SELECT state, times_reopened AS reopens FROM periods WHERE month = ?').get(month) as
    { state: string; reopens: number } | undefined;
  return p ?? { state: 'open', reopens: 0 };
}

/** Postings dated in or before the month that the run did not read (other than the runs' own). */
function changedSince(q: Queryable, month: string, throughId: number): number {
  const codes = REVENUE_CODES.map((c) => `'${c}'`).join(', ');
  const prepaid = cnyAccount(q, 'customer_prepayments');
  return (
    q
      .sql(
        `SELECT count(*) AS n FROM transfers WHERE id > ? AND business_date <= ? AND code NOT IN (${codes})
         AND (ledger = ${LEDGER.RECHARGE_COIN} OR (ledger = ${LEDGER.CNY} AND (debit_account_id = ? OR credit_account_id = ?)))`,
      )
      .get(throughId, lastDay(month), prepaid, prepaid) as { n: number }
  ).n;
}

/** Whether a month has anything for the run: coins moved, or a run to keep current. */
function monthHasActivity(q: Queryable, month: string): boolean {
  return !!q
    .sql(`SELECT 1 FROM transfers WHERE ledger = ${LEDGER.RECHARGE_COIN} AND business_date BETWEEN ? AND ? LIMIT 1`)
    .get(`${month}-01`, lastDay(month));
}

export type RunState = 'not_needed' | 'missing' | 'current' | 'stale';

/**
 * Where a month's run stands: not needed (no coins moved), missing, current, or stale (postings dated in
 * the month came after it). `reopened`: the month was reopened since the run, so it may run again.
 */
export function runState(q: Queryable, month: string): { state: RunState; run: RunRow | undefined; changes: number; reopened: boolean } {
  const run = postedRun(q, month);
  if (!run) return { state: monthHasActivity(q, month) ? 'missing' : 'not_needed', run, changes: 0, reopened: false };
  const changes = changedSince(q, month, run.through_id);
  return { state: changes > 0 ? 'stale' : 'current', run, changes, reopened: periodOf(q, month).reopens > run.reopens };
}

export interface RevenuePreview {
  month: string;
  method: 'fifo' | 'weighted';
  breakageBp: number;
  rate: { num: number; den: number };
  /** The month's last day has come (a run may post). */
  monthEnded: boolean;
  state: RunState;
  /** Postings since the posted run (when stale). */
  changes: number;
  /** The month was reopened since the posted run: it may run again. */
  reopened: boolean;
  posted: RevenueRunOut | null;
  totals: Record<
    (typeof FIGURE_KEYS)[number] | 'spentCoins' | 'expiredCoins' | 'closingCoins' | 'closingValue' | 'closingPretaxedTax',
    string
  >;
  customers: number;
}

const strings = <T extends Record<string, bigint>>(o: T): { [K in keyof T]: string } =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])) as { [K in keyof T]: string };

/** What the run would post for a month now (read only). */
export function previewRevenue(q: Queryable, month: string, now: number): RevenuePreview {
  checkMonth(month);
  const c = computeRevenue(q, month);
  const s = runState(q, month);
  return {
    month,
    method: c.policy.method,
    breakageBp: c.policy.breakageBp,
    rate: c.rate,
    monthEnded: shanghaiDate(now) >= lastDay(month),
    state: s.state,
    changes: s.changes,
    reopened: s.reopened,
    posted: s.run ? runOut(q, s.run) : null,
    totals: strings(c.totals),
    customers: c.lines.size,
  };
}

function subjectAccount(q: Queryable, subject: string): number {
  const row = q
    .sql('SELECT id FROM accounts WHERE ledger = 1 AND subject_code = ? AND owner_kind IS NULL ORDER BY id LIMIT 1')
    .get(subject) as { id: number } | undefined;
  if (!row) throw refuse('REFUSED', 'revenue_account_missing', { subject });
  return row.id;
}

/** Dr a / Cr b for a signed amount (a negative amount posts the other way); nothing for zero. */
function signed(key: string, debit: number, credit: number, amount: bigint, code: string, memo: string): Omit<PostInput, 'voucherId'>[] {
  if (amount === 0n) return [];
  const [d, c] = amount > 0n ? [debit, credit] : [credit, debit];
  return [
    {
      key,
      ledger: LEDGER.CNY,
      debitAccountId: d,
      creditAccountId: c,
      amount: Number(amount < 0n ? -amount : amount),
      code,
      memo,
    },
  ];
}

function post(tx: Tx, inputs: PostInput[], date: string, staffId: number | null, now: number): void {
  if (inputs.length === 0) return;
  const results = createTransfers(tx, inputs, { staffId, now, date });
  const failed = results.find((r) => r.result !== 'ok');
  if (failed) throw refuse('LEDGER', 'ledger_refused', { result: failed.result }, { code: failed.result });
}

/**
 * Posts the month's revenue run: one voucher on the month's last day with each customer's share kept.
 * Refused while the month has not reached its last day, when it is closing or closed, when an earlier
 * month with coins moved has no current run, and when a current run exists. A stale or reopened run is
 * reversed by a red voucher and replaced.
 */
export function runRevenue(tx: Tx, actor: Actor, month: string, now: number): RevenueRunOut {
  checkMonth(month);
  const day = lastDay(month);
  if (shanghaiDate(now) < day) throw refuse('REFUSED', 'revenue_month_not_ended', { month, lastDay: day }, { field: 'month' });
  const period = periodOf(tx, month);
  if (period.state !== 'open') throw refuse('REFUSED', 'revenue_period_closed', { month, state: period.state }, { field: 'month' });
  const earlier = earliestUnrecognised(tx, month);
  if (earlier) throw refuse('REFUSED', 'revenue_previous_month', { month, previous: earlier }, { field: 'month' });
  const state = runState(tx, month);
  if (state.state === 'current' && !state.reopened)
    throw refuse('REFUSED', 'revenue_run_exists', { month, runId: String(state.run!.id) }, { field: 'month' });

  const c = computeRevenue(tx, month);
  const prepaid = cnyAccount(tx, 'customer_prepayments');
  const revenueAccount = subjectAccount(tx, '6001');
  const taxAccount = subjectAccount(tx, '222101');
  const t = c.totals;
  const runNo = (tx.sql('SELECT count(*) AS n FROM revenue_runs WHERE month = ?').get(month) as { n: number }).n + 1;
  // The earlier run steps aside first (one posted run a month); it learns who replaced it below.
  if (state.run) tx.sql("UPDATE revenue_runs SET status = 'superseded' WHERE id = ?").run(state.run.id);
  const key = `revenue:${month}:${runNo}`;
  const postings = [
    ...signed(`${key}:revenue`, prepaid, revenueAccount, t.revenue, 'revenue_recognition', month),
    ...signed(`${key}:tax`, prepaid, taxAccount, t.tax, 'revenue_tax', month),
  ];
  let voucherId: number | null = null;
  if (postings.length > 0) {
    voucherId = insertVoucher(
      tx,
      { date: day, word: '记', summary: `收入确认 ${month}`, source: 'revenue_recognition', status: 'posted', preparedBy: actor.staffId },
      now,
    ).id;
    post(
      tx,
      postings.map((p) => ({ ...p, voucherId: voucherId! })),
      day,
      actor.staffId,
      now,
    );
  }
  const info = tx
    .sql(
      `INSERT INTO revenue_runs (month, status, method, breakage_bp, rate_num, rate_den, used_coins, value, breakage, adjustment, gross,
         pretaxed_gross, pretaxed_tax, tax, revenue, spent_coins, expired_coins, closing_coins, closing_value, closing_pretaxed_tax, customers,
         through_id, reopens, voucher_id, run_by, run_at)
       VALUES (?, 'posted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      month,
      c.policy.method,
      c.policy.breakageBp,
      c.rate.num,
      c.rate.den,
      ...[
        t.usedCoins,
        t.value,
        t.breakage,
        t.adjustment,
        t.gross,
        t.pretaxedGross,
        t.pretaxedTax,
        t.tax,
        t.revenue,
        t.spentCoins,
        t.expiredCoins,
        t.closingCoins,
        t.closingValue,
        t.closingPretaxedTax,
      ],
      c.lines.size,
      c.throughId,
      period.reopens,
      voucherId,
      actor.staffId,
      now,
    );
  const runId = Number(info.lastInsertRowid);
  const line = tx.sql(
    `INSERT INTO revenue_run_lines (run_id, customer_id, used_coins, value, breakage, adjustment, gross, pretaxed_gross, pretaxed_tax, tax, revenue,
       closing_coins, closing_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [customer, f] of c.lines) line.run(runId, customer, ...FIGURE_KEYS.map((k) => f[k]), f.closingCoins, f.closingValue);
  if (state.run) supersede(tx, actor, state.run, runId, day, now);
  recordAudit(
    tx,
    actor,
    {
      action: 'revenue.run',
      entity: 'revenue_run',
      entityId: runId,
      before: state.run ? { run: state.run.id, revenue: state.run.revenue, tax: state.run.tax } : undefined,
      after: {
        month,
        method: c.policy.method,
        usedCoins: String(t.usedCoins),
        revenue: String(t.revenue),
        tax: String(t.tax),
        customers: c.lines.size,
      },
    },
    now,
  );
  return runOut(tx, tx.sql(`${RUN_SELECT} WHERE r.id = ?`).get(runId) as RunRow);
}

/** Reverses an earlier run's voucher with a red one and marks the run superseded by the new one. */
function supersede(tx: Tx, actor: Actor, old: RunRow, by: number, day: string, now: number): void {
  let reversal: number | null = null;
  if (old.voucher_id !== null) {
    const originals = tx
      .sql('SELECT id, debit_account_id AS d, credit_account_id AS c, amount FROM transfers WHERE voucher_id = ? ORDER BY id')
      .all(old.voucher_id) as { id: number; d: number; c: number; amount: number }[];
    reversal = insertVoucher(
      tx,
      {
        date: day,
        word: '记',
        summary: `冲销收入确认 ${old.month}`,
        source: 'revenue_reversal',
        status: 'posted',
        preparedBy: actor.staffId,
        reversesId: old.voucher_id,
      },
      now,
    ).id;
    post(
      tx,
      originals.map((o) => ({
        key: `revenue:reverse:${o.id}`,
        ledger: LEDGER.CNY,
        debitAccountId: o.c,
        creditAccountId: o.d,
        amount: o.amount,
        code: 'revenue_reversal',
        memo: old.month,
        reversesId: o.id,
        voucherId: reversal!,
      })),
      day,
      actor.staffId,
      now,
    );
  }
  tx.sql('UPDATE revenue_runs SET superseded_by = ?, reversal_voucher_id = ? WHERE id = ?').run(by, reversal, old.id);
}

/** The earliest month before this one with coins moved and no current run, if any (months are recognised in order). */
function earliestUnrecognised(q: Queryable, month: string): string | null {
  const first = q.sql(`SELECT min(business_date) AS d FROM transfers WHERE ledger = ${LEDGER.RECHARGE_COIN}`).get() as { d: string | null };
  if (first.d === null) return null;
  const prev = previousMonth(month);
  if (monthOf(first.d) > prev) return null;
  const s = runState(q, prev).state;
  if (s === 'current' || s === 'not_needed') {
    if (s === 'current' || monthOf(first.d) === prev) return null;
    return earliestUnrecognised(q, prev);
  }
  return prev;
}

// ── drill-down, period close, verify ─────────────────────────────────────────────────────────────────

export interface RevenueLineOut {
  customerId: number;
  customer: string;
  externalId: string | null;
  usedCoins: string;
  value: string;
  breakage: string;
  adjustment: string;
  gross: string;
  pretaxedTax: string;
  tax: string;
  revenue: string;
  closingCoins: string;
  closingValue: string;
}

/** A run's per-customer breakdown, largest revenue first, optionally filtered by customer name or id. */
export function revenueRunLines(
  q: Queryable,
  runId: number,
  opts: { search?: string; offset?: number; limit?: number } = {},
): { rows: RevenueLineOut[]; total: number } {
  if (!q.sql('SELECT 1 FROM revenue_runs WHERE id = ?').get(runId))
    throw refuse('NOT_FOUND', 'revenue_run_not_found', { runId: String(runId) }, { field: 'runId' });
  const search = opts.search?.trim() ? likeContains(opts.search.trim()) : null;
  const where = `l.run_id = ? ${search ? `AND (c.name LIKE ? ${LIKE_ESCAPE} OR c.external_id LIKE ? ${LIKE_ESCAPE})` : ''}`;
  const args = search ? [runId, search, search] : [runId];
  const total = (
    q.sql(`SELECT count(*) AS n FROM revenue_run_lines l JOIN customers c ON c.id = l.customer_id WHERE ${where}`).get(...args) as {
      n: number;
    }
  ).n;
  const rows = q
    .sql(
      `SELECT l.*, c.name, c.external_id FROM revenue_run_lines l JOIN customers c ON c.id = l.customer_id WHERE ${where}
       ORDER BY l.revenue DESC, l.customer_id LIMIT ? OFFSET ?`,
    )
    .all(...args, Math.min(opts.limit ?? 50, 500), opts.offset ?? 0) as (Record<string, number> & {
    name: string;
    external_id: string | null;
    customer_id: number;
  })[];
  return {
    total,
    rows: rows.map((r) => ({
      customerId: r.customer_id,
      customer: r.name,
      externalId: r.external_id,
      usedCoins: String(r.used_coins),
      value: String(r.value),
      breakage: String(r.breakage),
      adjustment: String(r.adjustment),
      gross: String(r.gross),
      pretaxedTax: String(r.pretaxed_tax),
      tax: String(r.tax),
      revenue: String(r.revenue),
      closingCoins: String(r.closing_coins),
      closingValue: String(r.closing_value),
    })),
  };
}

/** Period close's check: a month whose coins moved needs a current revenue run. */
export function revenueRunCheck(q: Queryable, month: string) {
  const s = runState(q, month);
  const ok = s.state === 'current' || s.state === 'not_needed';
  const runId = s.run ? String(s.run.id) : '';
  const message = {
    not_needed: `no recharge coins moved in ${month}: no revenue run is needed`,
    current: `the revenue of ${month} is recognised by run #${runId}`,
    missing: `recharge coins were used in ${month} but its revenue run has not been posted`,
    stale: `${s.changes} posting(s) in ${month} came after its revenue run #${runId}: run it again`,
  }[s.state];
  return {
    name: 'revenue_run',
    ok,
    params: { state: s.state, runId, changes: String(s.changes) },
    message,
    link: '#/revenue',
  };
}

/** What 合同负债 must hold at a run's month end: the unused coins' lots value less the output VAT charged on it at invoicing. */
export function unusedValueOf(run: { closing_value: number; closing_pretaxed_tax: number }): bigint {
  return BigInt(run.closing_value) - BigInt(run.closing_pretaxed_tax);
}

/** The latest month whose run is current and which is closing or closed: 合同负债 then equals the lots' value less tax charged at invoicing. */
export function deferredRevenueTie(q: Queryable) {
  const run = q
    .sql(
      `SELECT r.* FROM revenue_runs r JOIN periods p ON p.month = r.month AND p.state IN ('closing', 'closed')
       WHERE r.status = 'posted' ORDER BY r.month DESC LIMIT 1`,
    )
    .get() as RunRow | undefined;
  if (!run) return null;
  const prepaid = cnyAccount(q, 'customer_prepayments');
  const balance = (
    q
      .sql(
        `SELECT coalesce(sum(CASE WHEN credit_account_id = ? THEN amount ELSE -amount END), 0) AS b FROM transfers
         WHERE (credit_account_id = ? OR debit_account_id = ?) AND kind IN ('single', 'post') AND business_date <= ?`,
      )
      .safeIntegers(true)
      .get(prepaid, prepaid, prepaid, lastDay(run.month)) as { b: bigint }
  ).b;
  const expected = unusedValueOf(run);
  return {
    month: run.month,
    runId: run.id,
    expected,
    actual: balance,
    message: `合同负债 (customer prepayments) at the end of ${run.month} holds ${formatYuan(Number(balance))} ${expected === balance ? 'as' : 'but'} the unused coins carry ${formatYuan(Number(expected))} (run #${run.id}: ${formatYuan(run.closing_value)} less ${formatYuan(run.closing_pretaxed_tax)} output VAT charged at invoicing)`,
  };
}
