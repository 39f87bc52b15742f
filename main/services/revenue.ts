// The monthly revenue run (收入确认). Coins used in a month (spent, expired) release the contract
// liability (合同负债, customer prepayments) at the value their recharge lots carry (domain/revenue.ts);
// the run posts one voucher dated the month's last day — Dr 合同负债 / Cr 主营业务收入 and Cr 应交税费—
// 应交增值税（销项税额） at the rate in settings — and keeps each customer's share. One posted run per
// month; it runs again only when the month changed since (a late posting) or was reopened, and then the
// earlier run is reversed by a red voucher and kept as 'superseded'. Period close requires a current run.
//
// The lots are replayed from the first posting on every run, in business-date order, so a month's figures
// are the same whenever they are computed once the months before it are closed.
import type { Queryable } from '../db/books';
import { likeContains, likeSql } from '../db/like';
import { literal, type RowOf } from '../db/query';
import { sql } from 'kysely';
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
import { cnyAccount, subjectLedgerAccount } from './system-accounts';
import { insertVoucher, voucherName } from './voucher-numbers';
import { coinTransferDays, type CoinRow } from './revenue-replay';
import { drain, type Steps } from './steps';
import { mapInTurn } from './in-turn';

/** Transfer codes the run posts: they never make a run stale. */
export const REVENUE_CODES = ['revenue_recognition', 'revenue_tax', 'revenue_reversal'] as const;

/** The run's steps: the lots replayed day by day, then the voucher and the run written. */
export type RevenueStage = 'replay' | 'post';

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
  return async (month: string): Promise<Policy> => {
    let p = cache.get(month);
    if (!p) {
      p = { method: await monthlySetting(q, 'revenue.method', month), breakageBp: await monthlySetting(q, 'revenue.breakageBp', month) };
      cache.set(month, p);
    }
    return p;
  };
}

/**
 * Each month's policy from the first coin movement's month through `month`, read before the replay, which
 * hands each transfer on as it is read and cannot wait for a setting.
 */
async function policiesThrough(q: Queryable, month: string): Promise<(m: string) => Policy> {
  const policyOf = policies(q);
  const first = await q.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.min('business_date').as('date'))
    .where('ledger', '=', LEDGER.RECHARGE_COIN)
    .executeTakeFirst();
  const byMonth = new Map<string, Policy>();
  const start = first?.date && monthOf(first.date) < month ? monthOf(first.date) : month;
  for (let m = start; m <= month; m = nextMonth(m)) byMonth.set(m, await policyOf(m));
  return (m) => byMonth.get(m)!;
}

/**
 * Each recharge record as a lot, by the transfer that credited its paid coins; its bonus transfer maps to
 * null (the lot came with the paid coins). Only one customer's records when given.
 */
async function recordLots(q: Queryable, customerId?: number) {
  const lotOfTransfer = new Map<number, RecordLot | null>();
  const recordByReversed = new Map<number, RecordLot | null>();
  let records = q.db
    .selectFrom('recharge_records')
    .select((eb) => ['id', 'coins_transfer_id', 'bonus_transfer_id', eb('paid_coins', '+', eb.ref('bonus_coins')).as('coins'), 'amount']);
  if (customerId !== undefined) records = records.where('customer_id', '=', customerId);
  for (const r of await records.execute()) {
    const lot = { recordId: r.id, coins: BigInt(r.coins), money: BigInt(r.amount) };
    lotOfTransfer.set(r.coins_transfer_id, lot);
    recordByReversed.set(r.coins_transfer_id, lot);
    if (r.bonus_transfer_id !== null) {
      lotOfTransfer.set(r.bonus_transfer_id, null);
      recordByReversed.set(r.bonus_transfer_id, null);
    }
  }
  return { lotOfTransfer, recordByReversed };
}

/** The month's figures from the lots replayed through its last day. */
export async function computeRevenue(q: Queryable, month: string): Promise<RevenueComputation> {
  return await drain(computeRevenueSteps(q, month));
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The same, a step for each day replayed (done: days from the first coin movement through the month's last day). */
export async function* computeRevenueSteps(q: Queryable, month: string): Steps<RevenueComputation, RevenueStage> {
  const through = lastDay(month);
  const policyOf = await policiesThrough(q, month);
  const walletOwner = new Map(
    (await q.db.selectFrom('customer_accounts').select(['recharge_wallet_id', 'customer_id']).execute()).map((a) => [
      a.recharge_wallet_id,
      a.customer_id,
    ]),
  );
  const { lotOfTransfer, recordByReversed } = await recordLots(q);
  // The policy of each month is set before its first movement (the one given here is never used).
  const book = new LotBook(policyOf(month));
  let day = '';
  let current = '';
  let inMonth = false;
  const used = new Map<number, ReturnType<typeof zeroFigures>>();
  let spentCoins = 0n;
  let expiredCoins = 0n;
  const from = `${month}-01`;
  const days = coinTransferDays(q, through, (t, date) => {
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
  let first: number | null = null;
  let next = await days.next();
  for (; !next.done; next = await days.next()) {
    first ??= dayNumber(next.value);
    yield { done: dayNumber(next.value) - first + 1, total: dayNumber(through) - first + 1, stage: 'replay' };
  }
  const maxId = next.value;
  const rate = await monthlySetting(q, 'revenue.vatRate', month);
  const pretaxed = await pretaxedLeft(q, month);
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
    throughId: Math.max(maxId, await lastTransferId(q)),
  };
}

async function lastTransferId(q: Queryable): Promise<number> {
  return (await q.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('m'))
    .executeTakeFirst())!.m;
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
export async function replayCustomerLots(
  q: Queryable,
  customerId: number,
  through: string,
  visit: (t: WalletTransfer, valueDelta: bigint, held: { coins: bigint; money: bigint }) => void,
): Promise<void> {
  const wallets = (
    await q.db.selectFrom('customer_accounts').select('recharge_wallet_id').where('customer_id', '=', customerId).execute()
  ).map((r) => r.recharge_wallet_id);
  if (wallets.length === 0) return;
  const walletOwner = new Map(wallets.map((w) => [w, customerId]));
  const { lotOfTransfer, recordByReversed } = await recordLots(q, customerId);
  const rows = await walletTransfers(q, wallets, through);
  if (rows.length === 0) return;
  const policyOf = policies(q);
  let current = monthOf(rows[0]!.date);
  const book = new LotBook(await policyOf(current));
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
    while (current < monthOf(t.date)) book.setPolicy(await policyOf((current = nextMonth(current))));
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
async function walletTransfers(q: Queryable, wallets: number[], through: string): Promise<WalletTransfer[]> {
  const epoch = sql<number>`${sql.raw(transferEpochSql('id'))}`;
  const ofEpoch = (e: number) =>
    q.db
      .selectFrom('transfers')
      .select([
        'id',
        'kind',
        'debit_account_id as debit',
        'credit_account_id as credit',
        'amount',
        'code',
        'business_date as date',
        'reverses_id as reverses',
        'ts',
        'pending_id as pending',
      ])
      .where(epoch, '=', e)
      .where('ledger', '=', literal(LEDGER.RECHARGE_COIN))
      .where('kind', 'in', [literal('single'), literal('post')])
      .where('business_date', '<=', through);
  const rows: WalletTransfer[] = [];
  // Two index searches per epoch (an OR would scan the epoch): debits, then credits not already read.
  for (let e = 0; e <= (await lastTransferId(q)) >> TRANSFER_EPOCH_SHIFT; e++)
    rows.push(
      ...(await ofEpoch(e)
        .where('debit_account_id', 'in', wallets)
        .unionAll(ofEpoch(e).where('credit_account_id', 'in', wallets).where('debit_account_id', 'not in', wallets))
        .execute()),
    );
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
}

/** What each customer's taxable invoices taxed in advance and earlier runs have not used yet. */
async function pretaxedLeft(q: Queryable, month: string): Promise<Map<number, { gross: bigint; tax: bigint }>> {
  const left = await taxedAtInvoice(q, undefined, lastDay(month));
  const usedBefore = await q.db
    .selectFrom('revenue_run_lines as l')
    .innerJoin('revenue_runs as r', 'r.id', 'l.run_id')
    .select((eb) => ['l.customer_id', eb.fn.sum<number>('l.pretaxed_gross').as('gross'), eb.fn.sum<number>('l.pretaxed_tax').as('tax')])
    .where('r.status', '=', literal('posted'))
    .where('r.month', '<', month)
    .groupBy('l.customer_id')
    .execute();
  // One customer's sums stay safe integers: each is within the 合同负债 the customer's invoices held.
  for (const u of usedBefore) {
    const p = left.get(u.customer_id);
    if (p) left.set(u.customer_id, { gross: p.gross - BigInt(u.gross), tax: p.tax - BigInt(u.tax) });
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

const runs = (q: Queryable) =>
  q.db.selectFrom('revenue_runs as r').leftJoin('staff as s', 's.id', 'r.run_by').selectAll('r').select('s.display_name as run_by_name');
type RunRow = RowOf<typeof runs>;

async function voucherRef(q: Queryable, id: number | null): Promise<{ id: number; name: string } | null> {
  if (id === null) return null;
  const v = (await q.db.selectFrom('vouchers').select(['word', 'period', 'number']).where('id', '=', id).executeTakeFirst())!; // a run's voucher exists (a foreign key)
  return { id, name: voucherName(v) };
}

async function runOut(q: Queryable, r: RunRow): Promise<RevenueRunOut> {
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
    voucher: await voucherRef(q, r.voucher_id),
    reversalVoucher: await voucherRef(q, r.reversal_voucher_id),
    supersededBy: r.superseded_by,
    runBy: r.run_by_name,
    runAt: r.run_at,
  };
}

export async function listRevenueRuns(q: Queryable, month?: string): Promise<RevenueRunOut[]> {
  if (month !== undefined) checkMonth(month);
  const rows = await (
    month === undefined
      ? runs(q).orderBy('r.month', 'desc').orderBy('r.id', 'desc').limit(240)
      : runs(q).where('r.month', '=', month).orderBy('r.id', 'desc')
  ).execute();
  return await mapInTurn(rows, async (r) => runOut(q, r));
}

async function postedRun(q: Queryable, month: string): Promise<RunRow | undefined> {
  return await runs(q).where('r.month', '=', month).where('r.status', '=', literal('posted')).executeTakeFirst();
}

function checkMonth(month: string): void {
  if (!isMonth(month)) throw refuse('VALIDATION', 'month_invalid', { month }, { field: 'month' });
}

async function periodOf(q: Queryable, month: string): Promise<{ state: string; reopens: number }> {
  const p = await q.db.selectFrom('periods').select(['state', 'times_reopened as reopens']).where('month', '=', month).executeTakeFirst();
  return p ?? { state: 'open', reopens: 0 };
}

/** Postings dated in or before the month that the run did not read (other than the runs' own). */
async function changedSince(q: Queryable, month: string, throughId: number): Promise<number> {
  const prepaid = await cnyAccount(q, 'customer_prepayments');
  return (await q.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '>', throughId)
    .where('business_date', '<=', lastDay(month))
    .where('code', 'not in', REVENUE_CODES.map(literal))
    .where((eb) =>
      eb.or([
        eb('ledger', '=', literal(LEDGER.RECHARGE_COIN)),
        eb.and([
          eb('ledger', '=', literal(LEDGER.CNY)),
          eb.or([eb('debit_account_id', '=', prepaid), eb('credit_account_id', '=', prepaid)]),
        ]),
      ]),
    )
    .executeTakeFirst())!.n;
}

/** Whether a month has anything for the run: coins moved, or a run to keep current. */
async function monthHasActivity(q: Queryable, month: string): Promise<boolean> {
  return !!(await q
    .sql(`SELECT 1 FROM transfers WHERE ledger = ${LEDGER.RECHARGE_COIN} AND business_date BETWEEN ? AND ? LIMIT 1`)
    .get(`${month}-01`, lastDay(month)));
}

export type RunState = 'not_needed' | 'missing' | 'current' | 'stale';

/**
 * Where a month's run stands: not needed (no coins moved), missing, current, or stale (postings dated in
 * the month came after it). `reopened`: the month was reopened since the run, so it may run again.
 */
export async function runState(
  q: Queryable,
  month: string,
): Promise<{ state: RunState; run: RunRow | undefined; changes: number; reopened: boolean }> {
  const run = await postedRun(q, month);
  if (!run) return { state: (await monthHasActivity(q, month)) ? 'missing' : 'not_needed', run, changes: 0, reopened: false };
  const changes = await changedSince(q, month, run.through_id);
  return { state: changes > 0 ? 'stale' : 'current', run, changes, reopened: (await periodOf(q, month)).reopens > run.reopens };
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
export async function previewRevenue(q: Queryable, month: string, now: number): Promise<RevenuePreview> {
  checkMonth(month);
  const c = await computeRevenue(q, month);
  const s = await runState(q, month);
  return {
    month,
    method: c.policy.method,
    breakageBp: c.policy.breakageBp,
    rate: c.rate,
    monthEnded: shanghaiDate(now) >= lastDay(month),
    state: s.state,
    changes: s.changes,
    reopened: s.reopened,
    posted: s.run ? await runOut(q, s.run) : null,
    totals: strings(c.totals),
    customers: c.lines.size,
  };
}

async function subjectAccount(q: Queryable, subject: '6001' | '222101'): Promise<number> {
  const id = await subjectLedgerAccount(q, subject);
  if (id === undefined) throw refuse('REFUSED', 'revenue_account_missing', { subject });
  return id;
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

async function post(tx: Tx, inputs: PostInput[], date: string, staffId: number | null, now: number): Promise<void> {
  if (inputs.length === 0) return;
  const results = await createTransfers(tx, inputs, { staffId, now, date });
  const failed = results.find((r) => r.result !== 'ok');
  if (failed) throw refuse('LEDGER', 'ledger_refused', { result: failed.result }, { code: failed.result });
}

/**
 * Posts the month's revenue run: one voucher on the month's last day with each customer's share kept.
 * Refused while the month has not reached its last day, when it is closing or closed, when an earlier
 * month with coins moved has no current run, and when a current run exists. A stale or reopened run is
 * reversed by a red voucher and replaced.
 */
export async function runRevenue(tx: Tx, actor: Actor, month: string, now: number): Promise<RevenueRunOut> {
  return await drain(runRevenueSteps(tx, actor, month, now));
}

/** The same run in steps, for the job that shows the replay's progress and may be cancelled (nothing is written before the replay ends). */
export async function* runRevenueSteps(tx: Tx, actor: Actor, month: string, now: number): Steps<RevenueRunOut, RevenueStage> {
  checkMonth(month);
  const day = lastDay(month);
  if (shanghaiDate(now) < day) throw refuse('REFUSED', 'revenue_month_not_ended', { month, lastDay: day }, { field: 'month' });
  const period = await periodOf(tx, month);
  if (period.state !== 'open') throw refuse('REFUSED', 'revenue_period_closed', { month, state: period.state }, { field: 'month' });
  const earlier = await earliestUnrecognised(tx, month);
  if (earlier) throw refuse('REFUSED', 'revenue_previous_month', { month, previous: earlier }, { field: 'month' });
  const state = await runState(tx, month);
  if (state.state === 'current' && !state.reopened)
    throw refuse('REFUSED', 'revenue_run_exists', { month, runId: String(state.run!.id) }, { field: 'month' });

  const c = yield* computeRevenueSteps(tx, month);
  yield { done: 0, total: null, stage: 'post' };
  const prepaid = await cnyAccount(tx, 'customer_prepayments');
  const revenueAccount = await subjectAccount(tx, '6001');
  const taxAccount = await subjectAccount(tx, '222101');
  const t = c.totals;
  const runNo =
    (await tx.db
      .selectFrom('revenue_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('month', '=', month)
      .executeTakeFirst())!.n + 1;
  // The earlier run steps aside first (one posted run a month); it learns who replaced it below.
  if (state.run) await tx.sql("UPDATE revenue_runs SET status = 'superseded' WHERE id = ?").run(state.run.id);
  const key = `revenue:${month}:${runNo}`;
  const postings = [
    ...signed(`${key}:revenue`, prepaid, revenueAccount, t.revenue, 'revenue_recognition', month),
    ...signed(`${key}:tax`, prepaid, taxAccount, t.tax, 'revenue_tax', month),
  ];
  let voucherId: number | null = null;
  if (postings.length > 0) {
    voucherId = (
      await insertVoucher(
        tx,
        { date: day, word: '记', summary: `收入确认 ${month}`, source: 'revenue_recognition', status: 'posted', preparedBy: actor.staffId },
        now,
      )
    ).id;
    await post(
      tx,
      postings.map((p) => ({ ...p, voucherId: voucherId! })),
      day,
      actor.staffId,
      now,
    );
  }
  const info = await tx
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
  for (const [customer, f] of c.lines) await line.run(runId, customer, ...FIGURE_KEYS.map((k) => f[k]), f.closingCoins, f.closingValue);
  if (state.run) await supersede(tx, actor, state.run, runId, day, now);
  await recordAudit(tx, actor, {
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
    at: now,
  });
  return await runOut(tx, (await runs(tx).where('r.id', '=', runId).executeTakeFirst())!);
}

/** Reverses an earlier run's voucher with a red one and marks the run superseded by the new one. */
async function supersede(tx: Tx, actor: Actor, old: RunRow, by: number, day: string, now: number): Promise<void> {
  let reversal: number | null = null;
  if (old.voucher_id !== null) {
    const originals = await tx.db
      .selectFrom('transfers')
      .select(['id', 'debit_account_id as d', 'credit_account_id as c', 'amount'])
      .where('voucher_id', '=', old.voucher_id)
      .orderBy('id')
      .execute();
    reversal = (
      await insertVoucher(
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
      )
    ).id;
    await post(
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
  await tx.sql('UPDATE revenue_runs SET superseded_by = ?, reversal_voucher_id = ? WHERE id = ?').run(by, reversal, old.id);
}

/** The earliest month before this one with coins moved and no current run, if any (months are recognised in order). */
async function earliestUnrecognised(q: Queryable, month: string): Promise<string | null> {
  const first = (await q.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.min('business_date').as('d'))
    .where('ledger', '=', literal(LEDGER.RECHARGE_COIN))
    .executeTakeFirst())!;
  if (first.d === null) return null;
  const prev = previousMonth(month);
  if (monthOf(first.d) > prev) return null;
  const s = (await runState(q, prev)).state;
  if (s === 'current' || s === 'not_needed') {
    if (s === 'current' || monthOf(first.d) === prev) return null;
    return await earliestUnrecognised(q, prev);
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
export async function revenueRunLines(
  q: Queryable,
  runId: number,
  opts: { search?: string; offset?: number; limit?: number } = {},
): Promise<{ rows: RevenueLineOut[]; total: number }> {
  if (!(await q.db.selectFrom('revenue_runs').select('id').where('id', '=', runId).executeTakeFirst()))
    throw refuse('NOT_FOUND', 'revenue_run_not_found', { runId: String(runId) }, { field: 'runId' });
  const search = opts.search?.trim() ? likeContains(opts.search.trim()) : null;
  let lines = q.db.selectFrom('revenue_run_lines as l').innerJoin('customers as c', 'c.id', 'l.customer_id').where('l.run_id', '=', runId);
  if (search) lines = lines.where((eb) => eb.or([likeSql(q, 'c.name', search), likeSql(q, 'c.external_id', search)]));
  const total = (await lines.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())!.n;
  const rows = await lines
    .selectAll('l')
    .select(['c.name', 'c.external_id'])
    .orderBy('l.revenue', 'desc')
    .orderBy('l.customer_id')
    .limit(Math.min(opts.limit ?? 50, 500))
    .offset(opts.offset ?? 0)
    .execute();
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
export async function revenueRunCheck(q: Queryable, month: string) {
  const s = await runState(q, month);
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
export async function deferredRevenueTie(q: Queryable) {
  const run = await q.db
    .selectFrom('revenue_runs as r')
    .innerJoin('periods as p', (j) => j.onRef('p.month', '=', 'r.month').on('p.state', 'in', [literal('closing'), literal('closed')]))
    .selectAll('r')
    .where('r.status', '=', literal('posted'))
    .orderBy('r.month', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run) return null;
  const prepaid = await cnyAccount(q, 'customer_prepayments');
  // One account's balance: a safe integer, as every balance is guarded.
  const balance = BigInt(
    (await q.db
      .selectFrom('transfers')
      .select((eb) =>
        eb.fn
          .coalesce(
            eb.fn.sum<number | null>(
              eb
                .case()
                .when('credit_account_id', '=', prepaid)
                .then(eb.ref('amount'))
                .else(eb.neg(eb.ref('amount')))
                .end(),
            ),
            eb.lit(0),
          )
          .as('b'),
      )
      .where((eb) => eb.or([eb('credit_account_id', '=', prepaid), eb('debit_account_id', '=', prepaid)]))
      .where('kind', 'in', [literal('single'), literal('post')])
      .where('business_date', '<=', lastDay(run.month))
      .executeTakeFirst())!.b,
  );
  const expected = unusedValueOf(run);
  return {
    month: run.month,
    runId: run.id,
    expected,
    actual: balance,
    message: `合同负债 (customer prepayments) at the end of ${run.month} holds ${formatYuan(Number(balance))} ${expected === balance ? 'as' : 'but'} the unused coins carry ${formatYuan(Number(expected))} (run #${run.id}: ${formatYuan(run.closing_value)} less ${formatYuan(run.closing_pretaxed_tax)} output VAT charged at invoicing)`,
  };
}
