// 客户对账单 (issue 13 §2), figures worked out by hand. The default conversion rule: 10 coins a yuan, rounded
// down; from 1,000.00 a 5 % bonus. A recharge is a lot: its money spread over its paid + bonus coins, drawn
// FIFO (the default revenue method); half up to the fen (domain/revenue.ts mulDivHalfUp).
//
// 张伟 has two linked accounts, ACC-1 and =ACC-1B (the platform's id: no workbook may take it as a formula).
//   10-20 R1 ACC-1  1,000.00 → 10,000 + 500 bonus = 10,500 coins carrying 100,000 fen
//   10-25 spends 2,100 on ACC-1: 100,000 × 2,100 / 10,500 = 20,000 → R1 left 8,400 coins, 80,000 fen
// November (the statement's month), opening 8,400 coins worth 80,000; invoiceable 100,000:
//   11-05 R2 ACC-1B 1,000.00 → 10,500 coins, 100,000 fen                              balance 18,900
//   11-06 R3 ACC-1  100.00 → 1,000 coins, 10,000 fen                                   balance 19,900
//   11-08 moves 400 ACC-1 → ACC-1B: from R1, 80,000 × 400 / 8,400 = 3,809.52 → 3,810     balance 19,900
//         (R1 8,000 coins 76,190; ACC-1B gets a lot of 400 coins, 3,810)
//   11-10 R3 reversed: its own lot's 1,000 coins (10,000) back; 10,000 to refund          balance 18,900
//   11-12 spends 10,600 on ACC-1B: R2's 10,500 (100,000) + 100 of the moved lot
//         (3,810 × 100 / 400 = 952.5 → 953) = 100,953                                  balance 8,300
//   11-15 an ordinary invoice over R2: 100,000
//   11-20 the refund of R3 paid by a money-out line of 100.00
// Closing: 8,300 coins = ACC-1 8,000 (76,190) + ACC-1B 300 (3,810 − 953 = 2,857) → value 79,047.
//   Value roll: 80,000 + 110,000 − 100,953 − 10,000 = 79,047. Coins: 8,400 + 11,000 + 500 − 10,600 + 400 − 400 − 1,000 = 8,300.
//   Invoiceable at the end: 100,000 + 110,000 − 10,000 reversed − 100,000 invoiced = 100,000.
// 李娜 (another customer) recharges and spends in November: none of it is 张伟's.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../main/api/contract';
import { inWriteTx } from '../../main/db/tx';
import { ADMIN2, APPROVER2, bankDesk, deskAt, importEvents, paidAndApproved } from '../support/desk';
import { firstValue, type TestApi } from '../support/temp-books';
import { importStatement, line, payer, statement, type Payer } from '../support/recharge-fixtures';
import { ask, check, issue } from '../support/invoice-fixtures';

let t: TestApi;
let zhang: Payer;
let zhangB: Payer;
let li: Payer;
let ref = 0;
let evt = 0;
const receipts: Record<string, string> = {};

const STAFF = ['admin', 'admin2', 'clerk', 'approver', 'approver2', 'auditor'];
const at = (iso: string) => deskAt(t, iso, STAFF);
const lineId = (bankRef: string) => firstValue(t.anyBooks, 'SELECT id FROM bank_lines WHERE bank_ref = ?', bankRef);

/** A request paid in full and approved on the day; returns its record id. */
async function recharge(p: Payer, yuan: string, day: string, name: string): Promise<number> {
  await at(`${day}T10:00:00`);
  const code = `REFS${String(++ref).padStart(4, '0')}`;
  const { requestId } = await paidAndApproved(t, p, yuan, day, code, ref);
  const rec = (await t.anyBooks.sql('SELECT id, receipt_no FROM recharge_records WHERE request_id = ?').get(requestId)) as {
    id: number;
    receipt_no: string;
  };
  receipts[name] = rec.receipt_no;
  return rec.id;
}

async function spend(account: string, coins: number, when: string) {
  const name = `events-${++evt}.jsonl`;
  const e = { id: `evt-st-${evt}`, type: 'coins.spent', at: `${when}+08:00`, data: { account, wallet: 'recharge', coins } };
  await importEvents(t, name, [e]);
}

const statementOf = (who: string, input: MethodInput<'customers.statement'>) => t.call(who, 'customers.statement', input);

beforeAll(async () => {
  [t] = await bankDesk({ now: '2026-10-20T09:00:00+08:00', staff: [ADMIN2, APPROVER2] });
  const customerId = (await t.call('clerk', 'customers.register', { kind: 'person', name: '张伟', idNumber: '330106199001011234' })).id;
  const acc1 = await t.call('clerk', 'accounts.open', { customerId, externalId: 'ACC-1', name: '账户1', ip: '10.0.0.1' });
  zhang = { customerId, accountId: acc1.id, card: '6222000000000001', name: '张伟' };
  await t.call('clerk', 'accounts.bindBank', { accountId: acc1.id, bankName: '工商银行', accountNumber: zhang.card, holderName: '张伟' });
  const b = await t.call('clerk', 'accounts.open', {
    customerId: zhang.customerId,
    externalId: '=ACC-1B',
    name: '账户1B',
    ip: '10.0.0.9',
  });
  await t.call('clerk', 'accounts.bindBank', { accountId: b.id, bankName: '工商银行', accountNumber: zhang.card, holderName: '张伟' });
  zhangB = { ...zhang, accountId: b.id };
  li = await payer(t, 2, '李娜');
  await inWriteTx(t.anyBooks, (tx) =>
    tx
      .sql(
        "INSERT INTO meta (key, value) VALUES ('company.name', '杭州某某网络科技有限公司') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(),
  );

  await recharge(zhang, '1000.00', '2026-10-20', 'R1');
  await spend('ACC-1', 2_100, '2026-10-25T12:00:00');
  await at('2026-10-31T20:00:00');
  await t.runJob('approver', 'revenue.run', { month: '2026-10' });

  const r2 = await recharge(zhangB, '1000.00', '2026-11-05', 'R2');
  await recharge(li, '100.00', '2026-11-05', 'L1');
  const r3 = await recharge(zhang, '100.00', '2026-11-06', 'R3');
  await at('2026-11-08T10:00:00');
  await t.call('clerk', 'coins.transfer', {
    requestId: 'move-0001',
    fromAccountId: zhang.accountId,
    toAccountId: zhangB.accountId,
    wallet: 'recharge',
    coins: '400',
  });
  await at('2026-11-10T10:00:00');
  await t.call('approver2', 'records.reverse', { id: r3, reason: '客户申请退款' });
  await spend('=ACC-1B', 10_600, '2026-11-12T12:00:00');
  await spend('ACC-2', 250, '2026-11-12T13:00:00');
  await at('2026-11-15T10:00:00');
  const asked = await ask(t, zhang.customerId, [r2]);
  await check(t, [asked.id]);
  await issue(t, [asked.id]);
  await at('2026-11-20T10:00:00');
  await importStatement(t, statement([line('2026-11-20', '-100.00', { memo: '退款', bank_ref: 'OUT-R3' })]), 'out.csv');
  const [refund] = await t.call('auditor', 'refunds.list', { recordId: r3 });
  await t.call('clerk', 'refunds.match', { refundId: refund!.id, lineId: await lineId('OUT-R3') });
  await at('2026-11-30T20:00:00');
  await t.runJob('approver', 'revenue.run', { month: '2026-11' });
}, 240_000);
afterAll(async () => t.cleanup());

describe('客户对账单', () => {
  it('November: every figure by hand, the coin and value rolls close, and the revenue run keeps the same value', async () => {
    const s = await statementOf('auditor', { customerId: zhang.customerId, month: '2026-11' });
    expect(s.from).toBe('2026-11-01');
    expect(s.to).toBe('2026-11-30');
    expect(s.accounts.map((a) => [a.externalId, a.linked])).toEqual([
      ['ACC-1', true],
      ['=ACC-1B', true],
    ]);
    expect(s.figures).toEqual({
      opening: { coins: '8400', value: '80000' },
      recharged: { count: 2, money: '110000', coins: '11000' },
      bonusCoins: '500',
      spent: { coins: '10600', value: '100953' },
      transferred: { in: '400', out: '400' },
      reversed: { count: 1, coins: '1000', money: '10000', value: '10000' },
      refundPaid: '10000',
      other: { coins: '0', value: '0' },
      invoiced: { blue: '100000', red: '0', net: '100000' },
      invoiceable: { opening: '100000', closing: '100000' },
      closing: { coins: '8300', value: '79047' },
    });
    // The run for November kept 张伟's unused coins at the same value.
    const run = await t.anyBooks
      .sql(
        "SELECT l.closing_coins AS coins, l.closing_value AS value FROM revenue_run_lines l JOIN revenue_runs r ON r.id = l.run_id WHERE r.month = '2026-11' AND r.status = 'posted' AND l.customer_id = ?",
      )
      .get(zhang.customerId);
    expect(run).toEqual({ coins: 8300, value: 79047 });
    // And October's closing is November's opening.
    const oct = await statementOf('auditor', { customerId: zhang.customerId, month: '2026-10' });
    expect(oct.figures.closing).toEqual({ coins: '8400', value: '80000' });
    expect(oct.figures.opening).toEqual({ coins: '0', value: '0' });
    expect(oct.figures.spent).toEqual({ coins: '2100', value: '20000' });
  });

  it('the lines: documents, vouchers, coins in and out, money, and the running balance', async () => {
    const s = await statementOf('auditor', { customerId: zhang.customerId, month: '2026-11' });
    expect(s.lineCount).toBe(7);
    expect(s.lines.map((l) => [l.date, l.kind, l.account, l.coinsIn, l.coinsOut, l.balance, l.money, l.invoiced])).toEqual([
      ['2026-11-05', 'recharge', '=ACC-1B', '10500', '0', '18900', '100000', '0'],
      ['2026-11-06', 'recharge', 'ACC-1', '1000', '0', '19900', '10000', '0'],
      ['2026-11-08', 'transfer', 'ACC-1', '400', '400', '19900', '0', '0'],
      ['2026-11-10', 'reversal', 'ACC-1', '0', '1000', '18900', '-10000', '0'],
      ['2026-11-12', 'spend', '=ACC-1B', '0', '10600', '8300', '0', '0'],
      ['2026-11-15', 'invoice', null, '0', '0', '8300', '0', '100000'],
      ['2026-11-20', 'refundPaid', 'ACC-1', '0', '0', '8300', '0', '0'],
    ]);
    const [r2, r3, move, back, spent, inv, paid] = s.lines;
    expect(r2).toMatchObject({ document: receipts.R2, detail: { paidCoins: '10000', bonusCoins: '500' } });
    expect(r2!.voucher).toMatch(/^记-2026-11-\d{4}$/);
    expect(r3!.document).toBe(receipts.R3);
    expect(move).toMatchObject({ toAccount: '=ACC-1B', document: 'counter:move-0001' });
    expect(back).toMatchObject({ document: receipts.R3 });
    expect(back!.voucher).toMatch(/^记-2026-11-\d{4}$/);
    expect(back!.voucher).not.toBe(r3!.voucher);
    expect(spent!.document).toMatch(/^evt-st-/);
    expect(inv).toMatchObject({ detail: { invoiceType: 'ordinary' } });
    expect(inv!.document).toMatch(/\S/);
    expect(paid).toMatchObject({ document: receipts.R3, detail: { refund: '10000', bankRef: 'OUT-R3' } });
    // A page of lines: the figures are the whole period's.
    const page = await statementOf('auditor', { customerId: zhang.customerId, month: '2026-11', offset: 2, limit: 2 });
    expect(page.lines.map((l) => l.kind)).toEqual(['transfer', 'reversal']);
    expect(page).toMatchObject({ lineCount: 7, offset: 2, figures: s.figures });
    // A from–to period inside the month: 11-08 to 11-12 opens at 19,900 coins worth 80,000 + 110,000 = 190,000.
    const mid = await statementOf('auditor', { customerId: zhang.customerId, from: '2026-11-08', to: '2026-11-12' });
    expect(mid.figures.opening).toEqual({ coins: '19900', value: '190000' });
    expect(mid.figures.closing).toEqual({ coins: '8300', value: '79047' });
    expect(mid.figures.invoiceable).toEqual({ opening: '210000', closing: '200000' });
    expect(mid.lines.map((l) => l.kind)).toEqual(['transfer', 'reversal', 'spend']);
  });

  it('李娜 sees only her own; the ID number is masked for a clerk; bad periods are refused', async () => {
    const s = await statementOf('clerk', { customerId: li.customerId, month: '2026-11' });
    expect(s.figures).toMatchObject({
      opening: { coins: '0', value: '0' },
      recharged: { count: 1, money: '10000', coins: '1000' },
      spent: { coins: '250', value: '2500' }, // 10,000 × 250 / 1,000
      closing: { coins: '750', value: '7500' },
      invoiceable: { opening: '0', closing: '10000' },
    });
    expect((await statementOf('clerk', { customerId: zhang.customerId, month: '2026-11' })).customer.idNumber).toBe('3301**********1234');
    expect((await statementOf('auditor', { customerId: zhang.customerId, month: '2026-11' })).customer.idNumber).toBe('330106199001011234');
    // Each bad period is refused naming its field and its own reason, which the console says in words.
    for (const [bad, field, why] of [
      [{ month: '2026-11', from: '2026-11-01', to: '2026-11-30' }, 'month', 'period_month_or_dates'],
      [{ from: '2026-11-01' }, 'to', 'period_needs_dates'],
      [{ from: '2026-11-30', to: '2026-11-01' }, 'to', 'period_ends_before_start'],
      [{ from: '2026-02-30', to: '2026-03-01' }, 'from', 'date_format'],
      [{ month: '2026-13' }, 'month', 'month_format'],
      [{}, 'from', 'period_needs_dates'],
    ] as const)
      await expect(t.send('clerk', 'customers.statement', { customerId: zhang.customerId, ...bad })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { field, issues: [{ field, code: why }] },
      });
    await expect(statementOf('clerk', { customerId: 9999, month: '2026-11' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the workbook: title, company, customer and period on top; figures and lines as numbers; 合计; formula-safe', async () => {
    const file = await t.runJob('auditor', 'customers.statementExport', {
      customerId: zhang.customerId,
      month: '2026-11',
      lang: 'zh-CN',
    });
    expect(path.basename(file.path)).toBe('客户对账单-张伟-2026-11-01-2026-11-30.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file.path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['对账单 张伟', '明细 张伟']);
    const rows = (ws: ExcelJS.Worksheet) => {
      const out: unknown[][] = [];
      ws.eachRow((r) => out.push(Array.from((r.values as unknown[]).slice(1), (v) => v ?? null)));
      return out;
    };
    const f = rows(wb.worksheets[0]!);
    expect(f[0]![0]).toBe('客户对账单');
    expect(f[1]![0]).toBe('单位名称：杭州某某网络科技有限公司');
    expect(f[2]![0]).toBe('客户：张伟\u3000证件号码：330106199001011234');
    expect(f[3]![0]).toBe('账户：ACC-1 账户1（关联）；=ACC-1B 账户1B（关联）');
    expect(f[4]![0]).toMatch(/^期间：2026-11-01 至 2026-11-30/);
    const figure = (label: string) => f.find((r) => r[0] === label)!.slice(1);
    expect(figure('期初余额')).toEqual([8400, 800]);
    expect(figure('加：充值（2 笔）')).toEqual([11000, 1100]);
    expect(figure('减：消费')).toEqual([10600, 1009.53]);
    expect(figure('期末余额')).toEqual([8300, 790.47]);
    expect(figure('期末可开票金额')).toEqual([null, 1000]);
    const ws = wb.worksheets[1]!;
    const l = rows(ws);
    const header = l.findIndex((r) => r[0] === '日期');
    expect(l[header]).toEqual([
      '日期',
      '单据号',
      '凭证字号',
      '摘要',
      '账户',
      '收入币',
      '支出币',
      '币余额',
      '收付金额（元）',
      '开票金额（元）',
    ]);
    expect(l[header + 1]!.slice(0, 8)).toEqual(['2026-11-01', null, null, '期初余额', null, null, null, 8400]);
    expect(l[header + 2]!.slice(3)).toEqual(['充值 1,000.00 元，到账 10,000 币，赠送 500 币', "'=ACC-1B", 10500, null, 18900, 1000]);
    // 本期合计: in 10,500 + 1,000 + 400 = 11,900; out 400 + 1,000 + 10,600 = 12,000; money 1,000 + 100 − 100 = 1,000; invoiced 1,000.
    const total = l.find((r) => r[3] === '本期合计')!;
    expect(total.slice(5)).toEqual([11900, 12000, null, 1000, 1000]);
    expect(l.find((r) => r[3] === '期末余额')![7]).toBe(8300);
    const totalRow = ws.getRow(l.indexOf(total) + 1);
    expect(totalRow.getCell(9).numFmt).toBe('#,##0.00');
    expect(totalRow.getCell(6).numFmt).toBe('#,##0');
    expect(totalRow.font?.bold).toBe(true);
    // The account id that looks like a formula stays text everywhere.
    wb.eachSheet((s) => s.eachRow((r) => r.eachCell((c) => expect(c.formula).toBeUndefined())));
  });

  it('printed in English: the figures, the lines with 合计, signatures; the job saves it', async () => {
    const html = await t.call('clerk', 'customers.statementHtml', { customerId: zhang.customerId, month: '2026-11', lang: 'en' });
    const text = html
      .replace(/<style[\s\S]*?<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(text).toContain('Customer statement');
    expect(text).toContain('Company: 杭州某某网络科技有限公司');
    expect(text).toContain('Period: 2026-11-01 to 2026-11-30');
    expect(text).toContain('ID number: 3301**********1234'); // a clerk prints it masked
    expect(text).toContain('Opening balance 8,400 800.00');
    expect(text).toContain('Less: spent 10,600 1,009.53');
    expect(text).toContain('Closing balance 8,300 790.47');
    expect(text).toContain('Invoiceable at the end 1,000.00');
    expect(text).toContain('Recharge of 1,000.00 yuan: 10,000 coins + 500 bonus');
    expect(text).toContain('Moved between linked accounts ACC-1 → =ACC-1B');
    expect(text).toContain('Refund of 100.00 yuan paid (bank serial OUT-R3)');
    expect(text).toContain('Total for the period 11,900 12,000 1,000.00 1,000.00');
    expect(text).toContain('Confirmed by the customer:');
    const saved = await t.runJob('clerk', 'customers.statementPrint', {
      customerId: zhang.customerId,
      month: '2026-11',
      lang: 'zh-CN',
    });
    expect(saved.format).toBe('html');
    expect(path.basename(saved.path)).toBe('客户对账单-张伟-2026-11-01-2026-11-30.html');
    const zh = fs.readFileSync(saved.path, 'utf8');
    expect(zh).toContain('关联账户互转 ACC-1 → =ACC-1B');
    expect(zh).toContain('本期合计');
  });
});
