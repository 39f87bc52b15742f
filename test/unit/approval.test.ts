// From reviewed money to coins: conversion rules, approval with four eyes and versions, crediting in
// one linked chain with a recharge record and a gapless receipt number, bulk approval with per-item
// results, and reversal while the coins are still there.
import { describe, expect, it } from 'vitest';
import { convert, divide, type ConversionRule } from '../../main/domain/conversion';
import { withBankDesk } from '../support/books-hooks';
import { APPROVER2_IN, platformSpends } from '../support/desk';
import { firstValue, PASSWORD, type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement, type Payer } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

describe('conversion rules', () => {
  const rule: ConversionRule = {
    coins: 10,
    perFen: 100,
    rounding: 'down',
    tiers: [
      { fromFen: 100_000, bonusBp: 500 },
      { fromFen: 500_000, bonusCoins: 1_000, bonusBp: 1_000 },
    ],
    firstRechargeBonusCoins: 88,
  };

  it('turn yuan into coins by an integer ratio with the rounding stated', () => {
    expect(convert(rule, 12_345, { channel: 'bank', firstRecharge: false })).toMatchObject({ paidCoins: 1_234, bonusCoins: 0, tier: null });
    expect(convert({ ...rule, rounding: 'half_up' }, 12_345, { channel: 'bank', firstRecharge: false }).paidCoins).toBe(1_235);
    expect(convert({ ...rule, rounding: 'up' }, 12_341, { channel: 'bank', firstRecharge: false }).paidCoins).toBe(1_235);
    expect(divide(-7n, 2n, 'down')).toBe(-3n);
  });

  it('apply the tier an amount reaches to all of it, and the first-recharge bonus once', () => {
    expect(convert(rule, 99_999, { channel: 'bank', firstRecharge: false })).toMatchObject({ paidCoins: 9_999, bonusCoins: 0 });
    expect(convert(rule, 100_000, { channel: 'bank', firstRecharge: false })).toMatchObject({ paidCoins: 10_000, bonusCoins: 500 });
    expect(convert(rule, 600_000, { channel: 'bank', firstRecharge: true })).toMatchObject({
      paidCoins: 60_000,
      bonusCoins: 1_000 + 6_000 + 88,
      firstRechargeBonus: 88,
    });
  });

  it('use a channel’s own rate when it has one', () => {
    const withAlipay: ConversionRule = { ...rule, channels: { alipay: { coins: 9 } } };
    expect(convert(withAlipay, 10_000, { channel: 'alipay', firstRecharge: false }).paidCoins).toBe(900);
    expect(convert(withAlipay, 10_000, { channel: 'bank', firstRecharge: false }).paidCoins).toBe(1_000);
  });

  it('never overflow: huge products are computed exactly or refused', () => {
    expect(() =>
      convert({ ...rule, coins: 1_000_000, perFen: 1 }, Number.MAX_SAFE_INTEGER, { channel: 'bank', firstRecharge: false }),
    ).toThrow(/largest amount/);
  });
});

describe('approval and crediting', () => {
  let t: TestApi;
  let zhang: Payer;
  withBankDesk({ staff: [APPROVER2_IN] }, ['张伟'], (desk) => ([t, zhang] = desk));

  let bankRef = 0;
  async function matched(yuan: string, code: string) {
    const r = await request(t, zhang, yuan, code);
    await importStatement(t, statement([line('2026-11-20', yuan, { memo: code, bank_ref: `L${++bankRef}` })]));
    await t.runJob('clerk', 'reconcile.run');
    return (await t.call('auditor', 'requests.get', { id: r.id })).request;
  }
  const wallet = async () => (await t.call('auditor', 'customers.get', { id: zhang.customerId })).accounts[0]!.recharge.balance;
  const approve = (as: string, items: { id: number; version: number }[]) =>
    t.call(as, 'approvals.approve', {
      items: items.map(({ id, version }) => ({ id, version })),
    });

  it('credits coins and money in one chain, writes a numbered record, and credits once however often it is approved', async () => {
    const r = await matched('1288.00', 'CRED1234');
    const queue = await t.call('approver', 'approvals.queue', {});
    expect(queue.rows[0]).toMatchObject({
      id: r.id,
      paidCoins: '12880',
      bonusCoins: '644',
      flags: { firstRecharge: true },
      canApprove: true,
    });
    const [out] = await approve('approver', [r]);
    expect(out).toMatchObject({ outcome: 'credited', receiptNo: 'CZ2026-000001' });
    expect(await wallet()).toBe('13524');
    const again = await approve('approver2', [{ id: r.id, version: r.version + 1 }]);
    expect(again[0]).toMatchObject({ outcome: 'refused', code: 'already_credited' });
    expect(await wallet()).toBe('13524');
    expect(await firstValue(t.anyBooks, "SELECT credits_posted FROM accounts WHERE code = 'customer_prepayments'")).toBe(128_800);
    expect(await firstValue(t.anyBooks, "SELECT debits_posted FROM accounts WHERE code = 'bonus_issuance'")).toBe(644);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('refuses the matcher, a clerk, a stale version and an unmatched request — each with its reason', async () => {
    const r = await matched('100.00', 'FOUREYE1');
    await expect(approve('clerk', [r])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await approve('approver', [{ id: r.id, version: r.version - 1 }]))[0]).toMatchObject({
      outcome: 'refused',
      code: 'stale_version',
    });
    const open = await request(t, zhang, '5.00');
    expect((await approve('approver', [{ id: open.id, version: open.version }]))[0]).toMatchObject({
      outcome: 'refused',
      code: 'not_matched',
    });
    // An approver who ran the matching may not approve what it matched.
    const r2 = await request(t, zhang, '7.00', 'RUNBYAPP');
    await importStatement(t, statement([line('2026-11-20', '7.00', { memo: 'RUNBYAPP', bank_ref: 'RB1' })]));
    await t.runJob('approver', 'reconcile.run');
    const seen = (await t.call('auditor', 'requests.get', { id: r2.id })).request;
    expect((await approve('approver', [{ id: r2.id, version: seen.version }]))[0]).toMatchObject({ outcome: 'refused', code: 'four_eyes' });
    expect((await approve('approver2', [{ id: r2.id, version: seen.version }]))[0]).toMatchObject({ outcome: 'credited' });
  });

  it('approves a request paid by a larger line for the amount requested; the excess stays in unallocated receipts, listed', async () => {
    const r = await request(t, zhang, '100.00', 'OVERPAY1');
    await importStatement(t, statement([line('2026-11-20', '120.00', { memo: 'OVERPAY1', bank_ref: 'OV1' })]));
    await t.runJob('clerk', 'reconcile.run'); // more than requested is only suggested: the clerk confirms it
    const lineId = await firstValue(t.anyBooks, "SELECT id FROM bank_lines WHERE bank_ref = 'OV1'");
    await t.call('clerk', 'reconcile.match', { lineId, requestId: r.id, amount: '10000' });
    const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    expect(seen.status).toBe('matched');
    expect((await approve('approver', [seen]))[0]).toMatchObject({ outcome: 'credited' });
    expect(await wallet()).toBe('1000');
    const cny = (code: string) =>
      firstValue(t.anyBooks, 'SELECT credits_posted - debits_posted FROM accounts WHERE ledger = 1 AND code = ?', code);
    expect(await cny('customer_prepayments')).toBe(10_000);
    expect(await cny('unallocated_receipts')).toBe(2_000);
    expect((await t.call('auditor', 'reconcile.queueCounts')).unmatchedLines).toBe(1);
  });

  it('verify proves the wallets add up to their coin control accounts, and names the ledger when they do not', async () => {
    const r = await matched('100.00', 'CONTROL1');
    await approve('approver', [r]);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
    const w = await firstValue(t.anyBooks, 'SELECT recharge_wallet_id FROM customer_accounts WHERE id = ?', zhang.accountId);
    await t.anyBooks.sql('UPDATE accounts SET credits_posted = credits_posted + 5 WHERE id = ?').run(w);
    const report = await t.runJob('auditor', 'books.verify');
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        check: 'wallet_control',
        message: "ledger RECHARGE_COIN: customers' wallets hold 1005 coins but the control accounts account for 1000",
      }),
    );
  });

  it('needs two different approvers above the threshold', async () => {
    const r = await matched('60000.00', 'BIGONE12');
    const [first] = await approve('approver', [r]);
    expect(first).toMatchObject({ outcome: 'approved' });
    expect(await wallet()).toBe('0');
    const now = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    expect(now.status).toBe('approved');
    expect((await approve('approver', [{ id: r.id, version: now.version }]))[0]).toMatchObject({
      outcome: 'refused',
      code: 'same_approver',
    });
    // "Approve all" brings a second approver the requests waiting for one, not ones they approved.
    expect(await t.runJob('approver', 'approvals.approveAll', {})).toEqual([]);
    expect(await t.runJob('approver2', 'approvals.approveAll', {})).toEqual([expect.objectContaining({ outcome: 'credited' })]);
    const record = await t.call('auditor', 'records.list', {});
    expect(record.rows[0]!.approvedBy).toEqual(['approver', 'approver2']);
  });

  it('bulk: one refusal never stops the rest; receipt numbers stay gapless', async () => {
    const a = await matched('10.00', 'BULKAAA1');
    const b = await matched('20.00', 'BULKBBB2');
    const c = await matched('30.00', 'BULKCCC3');
    const out = await approve('approver', [a, { id: b.id, version: b.version + 5 }, c]);
    expect(out.map((o) => o.outcome)).toEqual(['credited', 'refused', 'credited']);
    expect(out.map((o) => ('receiptNo' in o ? o.receiptNo : undefined)).filter(Boolean)).toEqual(['CZ2026-000001', 'CZ2026-000002']);
    const all = await t.runJob('approver', 'approvals.approveAll', {});
    expect(all).toEqual([expect.objectContaining({ outcome: 'credited', receiptNo: 'CZ2026-000003' })]);
  });

  it('approve all is a job with progress; a cancelled one credits nothing', async () => {
    await matched('10.00', 'JOBAAAA1');
    await matched('20.00', 'JOBBBBB2');
    const records = () => firstValue(t.anyBooks, 'SELECT count(*) FROM recharge_records');
    const { jobId } = await t.call('approver', 'approvals.approveAll', {});
    await t.call('approver', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    expect(t.events.find((e) => e.jobId === jobId && e.type !== 'job.progress')).toMatchObject({
      type: 'job.failed',
      error: { code: 'CANCELLED' },
    });
    expect(await records()).toBe(0);
    expect(await t.runJob('approver', 'approvals.approveAll', {})).toHaveLength(2);
    expect(await records()).toBe(2);
    expect(t.events.some((e) => e.type === 'job.progress' && e.method === 'approvals.approveAll')).toBe(true);
  });

  /** A second admin, and a doubled rule (20 coins a yuan) proposed from a second on. */
  async function proposeDouble() {
    await addStaff(t.call, { username: 'admin2', displayName: '管理员二', role: 'admin' });
    await t.call('admin2', 'session.login', { username: 'admin2', password: PASSWORD });
    return t.call('admin', 'settings.propose', {
      key: 'conversion.rules',
      value: { coins: 20, perFen: 100, rounding: 'down', tiers: [] },
      effectiveFrom: t.clock.now + 1_000,
      reason: '双倍活动',
    });
  }

  it('prices a request by the rule in force when it was submitted, never by a later change', async () => {
    const r = await matched('100.00', 'OLDPRICE');
    const p = await proposeDouble();
    await t.call('admin2', 'settings.decide', { id: p.id, decision: 'confirmed' });
    t.clock.now += 60_000;
    expect(await t.call('auditor', 'conversion.calculate', { amount: '100.00' })).toMatchObject({ paidCoins: '2000' });
    await approve('approver', [r]);
    expect(await wallet()).toBe('1000');
  });

  it('never re-prices a request by a version confirmed after it was submitted; a version is never edited', async () => {
    const p = await proposeDouble();
    // The effective time passes before anyone confirms; a request comes in meanwhile.
    t.clock.now += 60_000;
    const r = await matched('100.00', 'LATECONF');
    t.clock.now += 60_000;
    await t.call('admin2', 'settings.decide', { id: p.id, decision: 'confirmed' });
    await approve('approver', [r]);
    expect(await wallet()).toBe('1000'); // the rule in force when it was submitted: 10 coins a yuan
    const rec = (await t.call('auditor', 'records.list', {})).rows[0]!;
    expect(rec.ruleVersion).toBe(0);
    // Requests from the confirmation on get the new version.
    t.clock.now += 1_000;
    const later = await matched('100.00', 'AFTERCON');
    await approve('approver', [later]);
    expect(await wallet()).toBe('3000');
    const tamper = async (text: string) => t.anyBooks.sql(text).run(p.id);
    await expect(tamper("UPDATE setting_changes SET value = '{}' WHERE id = ?")).rejects.toThrow(/never edited/);
    await expect(tamper("UPDATE setting_changes SET status = 'rejected' WHERE id = ?")).rejects.toThrow(/decided already/);
    await expect(tamper('DELETE FROM setting_changes WHERE id = ?')).rejects.toThrow(/never deleted/);
  });

  it('reverses a credit while the coins are there; refuses with the shortfall when they are spent', async () => {
    const r = await matched('100.00', 'REVERSE1');
    await approve('approver', [r]);
    const { rows } = await t.call('auditor', 'records.list', {});
    await expect(t.call('approver', 'records.reverse', { id: rows[0]!.id, reason: '拒付' })).rejects.toThrow(/four eyes/);
    await platformSpends(t, zhang.accountId, 400);
    await expect(t.call('approver2', 'records.reverse', { id: rows[0]!.id, reason: '拒付' })).rejects.toThrow(
      /hold 600 of the 1,000 coins credited: short by 400/,
    );
    const r2 = await matched('50.00', 'REVERSE2');
    await approve('approver', [r2]);
    const rec2 = (await t.call('auditor', 'records.list', {})).rows[0]!;
    await t.call('approver2', 'records.reverse', { id: rec2.id, reason: '误充值' });
    expect(await wallet()).toBe('600');
    expect(await firstValue(t.anyBooks, "SELECT credits_posted FROM accounts WHERE code = 'refunds_payable'")).toBe(5_000);
    expect((await t.call('auditor', 'requests.get', { id: r2.id })).request.status).toBe('reversed');
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('shows on the dashboard and in the month’s roll-forward; the record prints', async () => {
    const r = await matched('1000.00', 'ROLLFWD1');
    await approve('approver', [r]);
    const d = await t.call('auditor', 'reports.dashboard');
    expect(d.today).toMatchObject({ count: 1, money: '100000', coins: '10000', bonus: '500' });
    expect(d.liability).toMatchObject({ rechargeCoins: '10500', prepaymentsFen: '100000' });
    expect(d.volume).toHaveLength(90);
    expect(d.volume.at(-1)).toMatchObject({ day: '2026-11-20', money: '100000' });
    const rf = await t.call('auditor', 'reports.rollForward', { month: '2026-11' });
    expect(rf.lines[0]).toMatchObject({ ledger: 2, opening: '0', recharged: '10000', bonus: '500', closing: '10500' });
    expect(rf.prepayments.closing).toBe('100000');
    const xlsx = await t.runJob('auditor', 'reports.exportRollForward', { month: '2026-11' });
    expect(xlsx.path).toMatch(/roll-forward-2026-11\.xlsx$/);
    const { rows } = await t.call('auditor', 'records.list', {});
    const printed = await t.runJob('auditor', 'records.print', { id: rows[0]!.id });
    expect(printed.format).toBe('html');
    const html = (await import('node:fs')).readFileSync(printed.path, 'utf8');
    expect(html).toContain('CZ2026-000001');
    expect(html).toContain('1,000.00');
    expect(html).toContain('规则「参考码 + 金额相等」（clerk 运行）');
    expect(html).toContain('人民币壹仟元整');
  });
});
