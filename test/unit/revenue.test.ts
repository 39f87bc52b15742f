// The monthly revenue run (issue 12 §1), with figures worked out by hand. The default conversion rule:
// 10 coins a yuan; from 1,000.00 a 5 % bonus. So 1,000.00 buys 10,000 + 500 coins and each of them
// carries 100,000 fen ÷ 10,500 (the bonus coins are a material right: they share the money).
import { describe, expect, it } from 'vitest';
import { cancelledAtOnce, refusal } from '../support/outcome';
import { withCoinDesk, spend, type CoinDesk, type CoinEvent } from '../support/coin-desk';
import { ADMIN2, breakageOfTenPercent } from '../support/desk';
import { type TestApi } from '../support/temp-books';
import { type Payer } from '../support/recharge-fixtures';
import { cnyAccount } from '../../main/services/system-accounts';

let desk: CoinDesk;
let t: TestApi;
let zhang: Payer;
let li: Payer;
withCoinDesk({ staff: [ADMIN2] }, 'REFX', (d) => {
  desk = d;
  ({ t, zhang, li } = d);
});

const at = (iso: string) => desk.at(iso);

/** A request paid in full (matched by its reference in the memo) and approved on the clock's day. */
async function recharge(p: Payer, yuan: string, day: string) {
  const { out } = await desk.recharge(p, yuan, day);
  expect(out, JSON.stringify(out)).toMatchObject({ outcome: 'credited' });
}

/** Platform events (coins spent, transfers) imported through the real importer. */
const events = (lines: CoinEvent[]) => desk.events(lines);

const preview = (month = '2026-11') => t.call('auditor', 'revenue.preview', { month });
const run = (month = '2026-11', who = 'approver') => t.runJob(who, 'revenue.run', { month });

/** Rows of a query, on either engine's books. */
const rows = (query: string, ...args: unknown[]) => t.anyBooks.sql(query).all(...args) as Promise<Record<string, unknown>[]>;
/** One row's first column, on either engine's books. */
const one = async (query: string, ...args: unknown[]) => Object.values((await rows(query, ...args))[0] ?? {})[0];
const balance = (code: string) => one('SELECT credits_posted - debits_posted FROM accounts WHERE ledger = 1 AND code = ?', code);

/** The month of the test: two customers, two recharges for 张伟, spending by both. */
async function november() {
  await recharge(zhang, '1000.00', '2026-11-20'); // 10,000 + 500 bonus coins, 100,000 fen
  await recharge(li, '100.00', '2026-11-20'); // 1,000 coins, 10,000 fen
  await events([spend('ACC-1', 2_100, '2026-11-21T12:00:00'), spend('ACC-2', 250, '2026-11-21T13:00:00')]);
  await recharge(zhang, '100.00', '2026-11-22'); // 1,000 coins, 10,000 fen
  await events([spend('ACC-1', 9_000, '2026-11-25T12:00:00')]);
  await at('2026-11-30T20:00:00');
}

describe('the revenue run (收入确认)', () => {
  it('runs as a job, a step a day replayed: a cancel midway writes nothing, and the run then posts', async () => {
    await november();
    const count = (table: string) => one(`SELECT count(*) FROM ${table}`);
    const books = async () => ({
      runs: await count('revenue_runs'),
      vouchers: await count('vouchers'),
      prepayments: await balance('customer_prepayments'),
    });
    const before = await books();
    const { jobId, end } = await cancelledAtOnce(t, 'approver', 'revenue.run', { month: '2026-11' });
    expect(end).toMatchObject({
      type: 'job.failed',
      error: { code: 'CANCELLED' },
    });
    expect(await books()).toEqual(before);

    expect(await run()).toMatchObject({ status: 'posted', revenue: '102358' });
    const progress = t.events.filter((e) => e.type === 'job.progress' && e.method === 'revenue.run' && e.jobId !== jobId);
    expect(progress[0]).toMatchObject({ stage: 'replay', done: 1 });
  });

  it('FIFO: coins used release their lots’ value; 6 % output VAT comes out of it; one voucher on the last day', async () => {
    await november();
    // 张伟: 2,100 of the first lot's 10,500 coins → 100,000 × 2,100 / 10,500 = 20,000.
    //       9,000 more: the first lot's last 8,400 coins (80,000 left) + 600 of the second lot (10,000 × 600 / 1,000 = 6,000) = 86,000.
    //       Used value 106,000; tax = 106,000 × 6 / 106 = 6,000; revenue 100,000.
    // 李娜: 250 of 1,000 coins → 10,000 × 250 / 1,000 = 2,500; tax = 2,500 × 6 / 106 = 141.5 → 142; revenue 2,358.
    const p = await preview();
    expect(p).toMatchObject({ method: 'fifo', state: 'missing', monthEnded: true, customers: 2 });
    expect(p.totals).toMatchObject({
      usedCoins: '11350',
      spentCoins: '11350',
      value: '108500',
      breakage: '0',
      gross: '108500',
      tax: '6142',
      revenue: '102358',
      closingCoins: '1150', // 张伟 400 (of the second lot), 李娜 750
      closingValue: '11500', // 4,000 + 7,500
    });
    const before = await balance('customer_prepayments');
    expect(before).toBe(120_000);
    const r = await run();
    expect(r).toMatchObject({ status: 'posted', revenue: '102358', tax: '6142', gross: '108500', customers: 2 });
    expect(r.voucher?.name).toMatch(/^记-2026-11-\d{4}$/);
    // Dr 合同负债 108,500 / Cr 主营业务收入 102,358, Cr 应交税费—应交增值税（销项税额） 6,142.
    expect(await balance('customer_prepayments')).toBe(11_500);
    expect(await balance('gl:6001')).toBe(102_358);
    expect(await balance('gl:222101')).toBe(6_142);
    const [voucher] = await rows('SELECT date, summary, source FROM vouchers WHERE id = ?', r.voucher!.id);
    expect(voucher).toEqual({ date: '2026-11-30', summary: '收入确认 2026-11', source: 'revenue_recognition' });
    const lines = await t.call('auditor', 'revenue.lines', { runId: r.id });
    expect(lines.total).toBe(2);
    expect(lines.rows).toMatchObject([
      { customer: '张伟', revenue: '100000', tax: '6000', closingCoins: '400' },
      { customer: '李娜', revenue: '2358', tax: '142', closingCoins: '750' },
    ]);
    const found = (search: string) => t.call('auditor', 'revenue.lines', { runId: r.id, search }).then((x) => x.total);
    expect(await found('李')).toBe(1);
    expect(await found('%')).toBe(0); // typed text, not a wildcard
    expect(await refusal(t.call('auditor', 'revenue.lines', { runId: r.id + 99 }))).toMatchObject({ code: 'NOT_FOUND' });
    const report = await t.runJob('auditor', 'books.verify');
    expect(report.ties.filter((x) => !x.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('posts its output VAT where invoice VAT goes (gl:222101), though the chart maps an older account to 222101 too', async () => {
    await november();
    // unallocated_receipts (224101, an account older than the chart's own) remapped to 222101 by two admins
    const proposed = await t.call('admin', 'chart.proposeRemap', {
      accountId: await cnyAccount(t.anyBooks, 'unallocated_receipts'),
      toCode: '222101',
      reason: '测试：两个账户挂同一科目',
    });
    await t.call('admin2', 'chart.decideRemap', { id: proposed.id, decision: 'confirmed' });
    const unallocated = await balance('unallocated_receipts');
    expect(await run()).toMatchObject({ status: 'posted', tax: '6142' });
    expect(await balance('gl:222101')).toBe(6_142);
    expect(await balance('unallocated_receipts')).toBe(unallocated);
  });

  it('weighted average, chosen from an open month by two admins: 张伟’s pool values his last 9,000 coins at 86,170', async () => {
    const from = Date.parse('2026-11-01T00:00:00+08:00');
    const change = await t.call('admin', 'settings.propose', {
      key: 'revenue.method',
      value: 'weighted',
      effectiveFrom: from,
      reason: '改用加权平均',
    });
    expect(await refusal(t.call('admin', 'settings.decide', { id: change.id, decision: 'confirmed' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await t.call('admin2', 'settings.decide', { id: change.id, decision: 'confirmed' });
    await november();
    // Pool after the second recharge: 8,400 + 1,000 coins, 80,000 + 10,000 fen; 9,000 coins → 90,000 × 9,000 / 9,400 = 86,170.2 → 86,170.
    // 张伟 20,000 + 86,170 = 106,170; tax = 106,170 × 6 / 106 = 6,009.6 → 6,010; revenue 100,160. 李娜 as under FIFO.
    const p = await preview();
    expect(p.method).toBe('weighted');
    expect(p.totals).toMatchObject({ value: '108670', tax: '6152', revenue: '102518', closingValue: '11330' });
  });

  it('a monthly setting takes effect only from the first day of an open month without a run', async () => {
    const propose = (effectiveFrom: number) =>
      refusal(t.call('admin', 'settings.propose', { key: 'revenue.method', value: 'weighted', effectiveFrom, reason: '改用加权平均' }));
    expect(await propose(Date.parse('2026-11-15T00:00:00+08:00'))).toMatchObject({ code: 'VALIDATION' });
    await november();
    await run();
    expect(await propose(Date.parse('2026-11-01T00:00:00+08:00'))).toMatchObject({
      code: 'REFUSED',
      reason: 'monthly_setting_month_done',
      params: { month: '2026-11', runMonth: '2026-11' },
    });
    expect(await propose(Date.parse('2026-12-01T00:00:00+08:00'))).toBeNull();
  });

  it('breakage of 10 %: unused value is recognised in proportion to use', async () => {
    await breakageOfTenPercent(t);
    await recharge(li, '100.00', '2026-11-20'); // 1,000 coins, 10,000 fen
    await events([spend('ACC-2', 450, '2026-11-21T12:00:00')]);
    await at('2026-11-30T20:00:00');
    // 450 of 1,000 coins at 10 % breakage: 10,000 × 450 / (0.9 × 1,000) = 5,000 recognised: 4,500 value + 500 breakage.
    // Tax = 5,000 × 6 / 106 = 283.02 → 283; revenue 4,717. 550 coins keep 5,000.
    const p = await preview();
    expect(p.totals).toMatchObject({
      value: '4500',
      breakage: '500',
      gross: '5000',
      tax: '283',
      revenue: '4717',
      closingCoins: '550',
      closingValue: '5000',
    });
  });

  it('runs once a month: refused before the last day, refused again unless the month changed; a late posting makes it stale and a re-run reverses the first', async () => {
    await november();
    await at('2026-11-29T12:00:00');
    expect(await refusal(run())).toMatchObject({ reason: 'revenue_month_not_ended', params: { lastDay: '2026-11-30' } });
    expect(await one('SELECT count(*) FROM revenue_runs')).toBe(0);
    await at('2026-11-30T20:00:00');
    expect(await refusal(run('2026-11', 'clerk'))).toMatchObject({ code: 'FORBIDDEN' });
    const first = await run();
    expect(await refusal(run())).toMatchObject({ reason: 'revenue_run_exists', params: { runId: String(first.id) } });
    // 李娜 spends 100 more coins on the 30th, imported after the run: 10,000 × 100 / 1,000 = 1,000 more value.
    await events([spend('ACC-2', 100, '2026-11-30T21:00:00')]);
    const stale = await preview();
    expect(stale).toMatchObject({ state: 'stale', changes: 1 });
    const second = await run();
    // 李娜 now 3,500 gross: tax = 3,500 × 6 / 106 = 198.1 → 198, revenue 3,302. 张伟 unchanged. Totals: 6,198 tax, 103,302 revenue.
    expect(second).toMatchObject({ tax: '6198', revenue: '103302' });
    const runs = await t.call('auditor', 'revenue.runs', { month: '2026-11' });
    expect(runs.map((r) => [r.id, r.status, r.supersededBy])).toEqual([
      [second.id, 'posted', null],
      [first.id, 'superseded', second.id],
    ]);
    expect(runs[1]!.reversalVoucher?.name).toMatch(/^记-2026-11-/);
    expect(await balance('gl:6001')).toBe(103_302);
    expect(await balance('gl:222101')).toBe(6_198);
    expect(await balance('customer_prepayments')).toBe(120_000 - 109_500);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('period close needs a current run, and months are recognised in order', async () => {
    await november();
    const check = async () =>
      (
        await t.call('auditor', 'periods.status', {
          month: '2026-11',
        })
      ).checks.find((c) => c.name === 'revenue_run');
    expect(await check()).toMatchObject({ ok: false, params: { state: 'missing' } });
    await at('2026-12-31T20:00:00');
    expect(await refusal(run('2026-12'))).toMatchObject({ reason: 'revenue_previous_month', params: { previous: '2026-11' } });
    await run('2026-11');
    expect(await check()).toMatchObject({ ok: true, params: { state: 'current' } });
    // December: nothing moved, so its run posts no voucher but records the month.
    const dec = await run('2026-12');
    expect(dec).toMatchObject({ revenue: '0', tax: '0', voucher: null, closingValue: '11500' });
  });

  it('coins.expired: accepted while the wallet holds the coins, refused with a code when it does not; the run counts them as used', async () => {
    await recharge(zhang, '1000.00', '2026-11-20'); // 10,000 + 500 bonus coins, 100,000 fen
    await recharge(li, '100.00', '2026-11-20'); // 1,000 coins, 10,000 fen
    const expired = (account: string, coins: number, when: string) => ({
      type: 'coins.expired',
      at: when,
      data: { account, coins, note: '首充赠币过期' },
    });
    const first = await events([spend('ACC-1', 2_100, '2026-11-21T12:00:00'), expired('ACC-2', 300, '2026-11-26T00:00:00')]);
    expect(first).toMatchObject({ applied: 2, refused: 0 });
    // 李娜 holds 700 coins now: 800 more to expire is refused with the ledger's code, and nothing moves.
    const second = await events([expired('ACC-2', 800, '2026-11-27T00:00:00')]);
    expect(second).toMatchObject({ applied: 0, refused: 1 });
    expect(second.refusals).toEqual([
      expect.objectContaining({ type: 'coins.expired', why: expect.objectContaining({ code: 'exceeds_credits' }) }),
    ]);
    const moves = await rows(
      "SELECT type, wallet_kind AS wallet, amount, status, reason_code AS code FROM coin_movements WHERE type = 'expiry' ORDER BY id",
    );
    expect(moves).toEqual([
      { type: 'expiry', wallet: 'recharge', amount: 300, status: 'posted', code: null },
      { type: 'expiry', wallet: 'recharge', amount: 800, status: 'refused', code: 'exceeds_credits' },
    ]);
    const wallet = await one(
      'SELECT w.credits_posted - w.debits_posted FROM customer_accounts a JOIN accounts w ON w.id = a.recharge_wallet_id WHERE a.id = ?',
      li.accountId,
    );
    expect(wallet).toBe(700);
    // The roll-forward shows them in their own column: 11,500 coins in, 2,100 spent, 300 expired, 9,100 left.
    const rf = (await t.call('auditor', 'reports.rollForward', { month: '2026-11' })).lines[0]!;
    expect(rf).toMatchObject({ recharged: '11000', bonus: '500', spent: '2100', expired: '300', other: '0', closing: '9100' });

    await at('2026-11-30T20:00:00');
    // 张伟: 2,100 of 10,500 coins → 100,000 × 2,100 / 10,500 = 20,000; tax 20,000 × 6 / 106 = 1,132.08 → 1,132; revenue 18,868.
    // 李娜: 300 expired of 1,000 coins → 10,000 × 300 / 1,000 = 3,000; tax 3,000 × 6 / 106 = 169.81 → 170; revenue 2,830.
    // Month: used 2,400 coins (spent 2,100, expired 300), value 23,000, tax 1,302, revenue 21,698.
    const p = await preview();
    expect(p.totals).toMatchObject({
      usedCoins: '2400',
      spentCoins: '2100',
      expiredCoins: '300',
      value: '23000',
      tax: '1302',
      revenue: '21698',
      closingCoins: '9100',
      closingValue: '87000', // 100,000 − 20,000 + 10,000 − 3,000
    });
    expect(await run()).toMatchObject({ revenue: '21698', tax: '1302' });
    expect(await balance('customer_prepayments')).toBe(87_000);
    const report = await t.runJob('auditor', 'books.verify');
    expect(report.ties.filter((x) => !x.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
