// Invoices end to end through the API: a request from the platform's events or the counter, the check
// that names each bad field, issuing with gapless serials and the prepaid-value lines, red-letter
// reversal that never exceeds what is left, numbers back from the tax platform, the review results,
// and the recharge reversal that waits for the invoice's reversal.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withBankDesk } from '../support/books-hooks';
import { APPROVER2_IN } from '../support/desk';
import { PASSWORD, type TestApi } from '../support/temp-books';
import * as fx from '../support/invoice-fixtures';
import { withOutcome } from '../support/outcome';
import { exportedReviewResults, type Payer } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

let t: TestApi;
let zhang: Payer;
let li: Payer;
withBankDesk({ staff: [APPROVER2_IN] }, ['张伟', '李娜'], (desk) => ([t, zhang, li] = desk));

const credited = (p: Payer, yuan: string, code: string) => fx.credited(t, p, yuan, code);
const ask = (customerId: number, recordIds: number[], over: Record<string, unknown> = {}) => fx.ask(t, customerId, recordIds, over);
const check = (ids: number[], as = 'clerk') => fx.check(t, ids, as);
const issue = (ids: number[], as = 'approver') => fx.issue(t, ids, as);
const record = async (id: number) =>
  (await t.anyBooks.sql('SELECT amount, invoiced, invoice_reserved AS reserved FROM recharge_records WHERE id = ?').get(id)) as {
    amount: number;
    invoiced: number;
    reserved: number;
  };

describe('invoice requests and their check', () => {
  it('names each bad field and rejects; a good request is checked with its paid money reserved', async () => {
    const a = await credited(zhang, '1288.00', 'INVA0001');
    const badId = await ask(zhang.customerId, [a.recordId], {
      taxpayerId: '91350100M000100Y44',
      buyerName: '=HYPERLINK("x")',
      email: 'nope',
    });
    const bad = withOutcome((await check([badId.id]))[0], 'rejected');
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['email', 'name', 'taxpayerId']);
    expect(bad.problems.find((p) => p.field === 'taxpayerId')!.message).toMatch(/check character/);
    expect((await record(a.recordId)).reserved).toBe(0);

    const special = await ask(zhang.customerId, [a.recordId], { invoiceType: 'special' });
    const sp = withOutcome((await check([special.id]))[0], 'rejected');
    expect(sp.problems.map((p) => p.message).join()).toMatch(/预付卡销售和充值 may only be invoiced on a 普通发票/);

    const good = await ask(zhang.customerId, [a.recordId], { amount: '1000.00' });
    expect(await check([good.id])).toEqual([expect.objectContaining({ outcome: 'checked', amount: '100000' })]);
    expect(await record(a.recordId)).toEqual({ amount: 128_800, invoiced: 0, reserved: 100_000 });

    // Only 288.00 is left to invoice on that recharge; another customer's recharge is not this customer's.
    const b = await credited(li, '50.00', 'INVB0001');
    const greedy = await ask(zhang.customerId, [a.recordId], { amount: '300.00' });
    const foreign = await ask(zhang.customerId, [b.recordId]);
    const [g, f] = await check([greedy.id, foreign.id]);
    expect(withOutcome(g, 'rejected').problems[0]!.message).toMatch(/300\.00 asked, but only 288\.00/);
    expect(withOutcome(f, 'rejected').problems[0]!.message).toMatch(/belongs to another customer/);

    // Rejecting a checked request gives its reservation back.
    await t.call('approver', 'invoices.rejectRequest', { id: good.id, reason: '客户撤回' });
    expect((await record(a.recordId)).reserved).toBe(0);
    const page = await t.call('auditor', 'invoices.request', { id: good.id });
    expect(page.request).toMatchObject({ status: 'rejected', reason: '客户撤回' });
    expect(page.items[0]!.record!.invoiceable).toBe('128800');
  });

  it('refuses an invoice.requested event from a blocked login, records a good one', async () => {
    const a = await credited(zhang, '200.00', 'INVEVT01');
    const at = '2026-11-20T11:00:00+08:00';
    const lines = [
      { id: 'login-ok', type: 'customer.login', at, data: { account: 'ACC-1', session: 'S-OK', ip: '10.0.0.1' } },
      { id: 'login-bad', type: 'customer.login', at, data: { account: 'ACC-1', session: 'S-BAD', ip: '172.16.9.9' } },
      ...['S-BAD', 'S-OK'].map((session, i) => ({
        id: `inv-evt-${i}`,
        type: 'invoice.requested',
        at,
        data: { account: 'ACC-1', recharges: [a.requestId], invoice_type: '普通发票', buyer_name: '张伟', natural_person: true, session },
      })),
    ];
    const file = path.join(t.dir, 'invoices.jsonl');
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    const result = await t.runJob('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
    expect(result).toMatchObject({ applied: 2, refused: 2 });
    expect(result.refusals.find((x) => x.id === 'inv-evt-0')!.reason).toMatch(/session S-BAD belongs to a login that was blocked/);
    const reqs = await t.call('auditor', 'invoices.requests', {});
    expect(reqs.rows).toEqual([expect.objectContaining({ requestId: 'inv-evt-1', status: 'submitted' })]);
    const [c] = await check([(await t.call('auditor', 'invoices.requests', {})).rows[0]!.id]);
    expect(c).toMatchObject({ outcome: 'checked', amount: '20000' });
  });
});

describe('issuing and red-letter reversal', () => {
  it('issues with gapless serials and 不征税 lines, four eyes, and per-item results', async () => {
    const a = await credited(zhang, '1288.00', 'ISSUE001');
    const b = await credited(zhang, '100.00', 'ISSUE002');
    const r1 = await ask(zhang.customerId, [a.recordId, b.recordId]);
    const r2 = await ask(zhang.customerId, [b.recordId], { amount: '10.00' }); // nothing left after r1: rejected
    await check([r1.id, r2.id]);
    const checkedByApprover = await ask(li.customerId, [(await credited(li, '30.00', 'ISSUE003')).recordId]);
    await check([checkedByApprover.id], 'approver');

    await expect(issue([r1.id], 'clerk')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const out = await issue([r1.id, r2.id, checkedByApprover.id]);
    expect(out.map((o) => o.outcome)).toEqual(['issued', 'refused', 'refused']);
    expect(out[0]).toMatchObject({ serial: 'FP2026000001', gross: '138800' });
    expect(withOutcome(out[1], 'refused').code).toBe('invoice_not_checked');
    expect(withOutcome(out[2], 'refused').code).toBe('invoice_four_eyes');
    expect((await issue([checkedByApprover.id], 'approver2'))[0]).toMatchObject({ outcome: 'issued', serial: 'FP2026000002' });
    expect(await record(a.recordId)).toEqual({ amount: 128_800, invoiced: 128_800, reserved: 0 });

    const inv = await t.call('auditor', 'invoices.get', { id: withOutcome(out[0], 'issued').invoiceId });
    expect(inv.invoice).toMatchObject({ serial: 'FP2026000001', status: 'issued', gross: '138800', tax: '0', left: '138800' });
    expect(inv.lines.map((l) => [l.itemName, l.taxCode, l.rateText, l.gross, l.tax, l.receiptNo])).toEqual([
      ['预付卡销售和充值', '6010000000000000000', '不征税', '128800', '0', a.receiptNo],
      ['预付卡销售和充值', '6010000000000000000', '不征税', '10000', '0', b.receiptNo],
    ]);
    const again = await issue([r1.id], 'approver2');
    expect(withOutcome(again[0], 'refused').code).toBe('invoice_already_issued');
  });

  it('reverses in parts, never beyond what is left, gives the money back, and lets the recharge be reversed only then', async () => {
    const a = await credited(zhang, '100.00', 'REDINV01');
    const r = await ask(zhang.customerId, [a.recordId]);
    await check([r.id]);
    const blue = withOutcome((await issue([r.id]))[0], 'issued');
    await fx.numbered(t, blue.serial);

    await expect(t.call('approver2', 'records.reverse', { id: a.recordId, reason: 'chargeback' })).rejects.toThrow(
      /invoiced \(FP2026000001\); reverse the invoice with a red-letter invoice first/,
    );
    const red1 = await t.call('approver', 'invoices.reverse', {
      id: blue.invoiceId,
      amount: '3000',
      reason: '部分退款',
      ...fx.redForm(),
    });
    expect(red1).toMatchObject({ serial: 'HZ2026000001', gross: '3000' });
    expect((await record(a.recordId)).invoiced).toBe(7_000);
    await expect(
      t.call('approver', 'invoices.reverse', { id: blue.invoiceId, amount: '7001', reason: '超额', ...fx.redForm() }),
    ).rejects.toThrow(/70\.01 is more than the 70\.00 left of FP2026000001/);
    const red2 = await t.call('approver', 'invoices.reverse', {
      id: blue.invoiceId,
      reason: '全部退款',
      ...fx.redForm(),
    });
    expect(red2).toMatchObject({ serial: 'HZ2026000002', gross: '7000' });
    expect((await record(a.recordId)).invoiced).toBe(0);
    await expect(t.call('approver', 'invoices.reverse', { id: blue.invoiceId, reason: '再来', ...fx.redForm() })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    const page = await t.call('auditor', 'invoices.get', {
      id: blue.invoiceId,
    });
    expect(page.invoice).toMatchObject({ status: 'reversed', left: '0' });
    expect(page.reversals.map((x) => [x.serial, x.gross])).toEqual([
      ['HZ2026000001', '3000'],
      ['HZ2026000002', '7000'],
    ]);
    const summary = await t.call('auditor', 'invoices.customerSummary', {
      customerId: zhang.customerId,
    });
    expect(summary.totals).toEqual({ paid: '10000', invoiced: '0', reserved: '0', invoiceable: '10000' });
    expect(summary.invoices).toEqual({ count: 3, issued: '10000', reversed: '10000' });

    await t.call('approver2', 'records.reverse', { id: a.recordId, reason: 'chargeback' });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('splits tax at a configured 6 % rate once a second admin confirms the product setting', async () => {
    await addStaff(t.call, { username: 'admin2', displayName: '管理员二', role: 'admin' });
    await t.call('admin2', 'session.login', { username: 'admin2', password: PASSWORD });
    await fx.taxableProduct(t);
    const a = await credited(zhang, '106.00', 'TAX6PCT1');
    const r = await ask(zhang.customerId, [a.recordId], { invoiceType: 'special' });
    expect((await check([r.id]))[0]!.outcome).toBe('checked');
    const out = withOutcome((await issue([r.id]))[0], 'issued');
    const inv = await t.call('auditor', 'invoices.get', {
      id: out.invoiceId,
    });
    expect(inv.invoice).toMatchObject({ tax: '600', net: '10000' });
    expect(inv.lines[0]!.rateText).toBe('0.06');
  });
});

describe('numbers from the tax platform and results for the platform', () => {
  it('imports 20-digit numbers by serial; a bad file is refused whole naming its rows', async () => {
    const a = await credited(zhang, '88.00', 'NUMBER01');
    const r = await ask(zhang.customerId, [a.recordId]);
    await check([r.id]);
    const blue = withOutcome((await issue([r.id]))[0], 'issued');
    const bad = path.join(t.dir, 'bad.csv');
    fs.writeFileSync(bad, '发票流水号,发票号码\nFP2026000001,2532000000012345678\nFP2026000009,25320000000123456789\n');
    t.dialogs.nextOpen = bad;
    await expect(t.runJob('clerk', 'invoices.importNumbers')).rejects.toThrow(/line 2, 发票号码: "2532000000012345678" is not a 20-digit/);
    const good = path.join(t.dir, 'good.csv');
    fs.writeFileSync(good, '发票流水号,发票号码\nFP2026000001,25320000000123456789\nFP2026000009,25320000000123456780\n');
    t.dialogs.nextOpen = good;
    const res = await t.runJob('clerk', 'invoices.importNumbers');
    expect(res.set).toBe(1);
    expect(res.refused.map((x) => x.reason)).toEqual(['line 3: no invoice with serial FP2026000009']);
    const found = await t.call('auditor', 'invoices.list', {
      text: '25320000000123456789',
    });
    expect(found.rows).toEqual([expect.objectContaining({ serial: 'FP2026000001', taxNumber: '25320000000123456789' })]);

    // Issued and reversed invoices join the review results sent back to the platform.
    await t.call('approver', 'invoices.reverse', { id: blue.invoiceId, amount: '800', reason: '部分退款', ...fx.redForm() });
    const sent = await exportedReviewResults(t, 'results.jsonl');
    const inv = sent.find((l) => l.request_id === fx.lastRequestId())!;
    expect(inv).toMatchObject({
      result: 'invoice_partly_reversed',
      amount_found: '80.00',
      invoice: { serial: 'FP2026000001', number: '25320000000123456789', reversals: ['HZ2026000001'] },
    });
  });
});
