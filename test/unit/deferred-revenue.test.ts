// 合同负债 递延收入变动表 (issue 12 §3), figures worked out by hand. The default conversion rule: 10 coins
// a yuan; from 1,000.00 a 5 % bonus, so 1,000.00 buys 10,000 + 500 coins sharing 100,000 fen. Output
// VAT 6 %, inside the value released (tax = gross × 6 / 106, half up).
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { withCoinDesk, spend as spent, type CoinDesk } from '../support/coin-desk';
import { ADMIN2, APPROVER2, breakageOfTenPercent } from '../support/desk';
import { firstValue, type TestApi } from '../support/temp-books';
import { type Payer } from '../support/recharge-fixtures';
import { postVoucher } from '../support/vouchers';

let desk: CoinDesk;
let t: TestApi;
let zhang: Payer;
let li: Payer;
withCoinDesk({ staff: [ADMIN2, APPROVER2], now: '2026-10-20T10:00:00+08:00' }, 'REFD', (d) => {
  desk = d;
  ({ t, zhang, li } = d);
});

const at = (iso: string) => desk.at(iso);

/** A request paid in full and approved on the day; returns its recharge record's id. */
async function recharge(p: Payer, yuan: string, day: string): Promise<number> {
  const { requestId } = await desk.recharge(p, yuan, day);
  return firstValue(t.anyBooks, 'SELECT id FROM recharge_records WHERE request_id = ?', requestId);
}

/** The platform spends `coins` at `when`, in an events file of its own. */
const spend = (account: string, coins: number, when: string) => desk.events([spent(account, coins, when)]);

const report = (month: string) => t.call('auditor', 'reports.deferredRevenue', { month });
const run = (month: string) => t.runJob('approver', 'revenue.run', { month });

/** The table's movement in one line, each figure by its name, to compare with the figures worked out by hand. */
const movement = (r: Awaited<ReturnType<typeof report>>) =>
  `opening ${r.opening}, received ${r.received}, recognised ${r.recognised}, refunded ${r.refunded}, breakage ${r.breakage}, ` +
  `invoiceVat ${r.invoiceVat}, other ${r.other}, closing ${r.closing} (books ${r.booksClosing}, difference ${r.difference})`;

describe('递延收入变动表', () => {
  it('October and November with a run each and a reversed recharge: every line by hand, tied to 2204', async () => {
    // October: 张伟 1,000.00 (10,500 coins, 100,000 fen), spends 2,100 coins: 100,000 × 2,100 / 10,500 = 20,000 released.
    await recharge(zhang, '1000.00', '2026-10-20');
    await spend('ACC-1', 2_100, '2026-10-21T12:00:00');
    await at('2026-10-31T20:00:00');
    await run('2026-10');
    const oct = await report('2026-10');
    // 0 + 100,000 − 20,000 = 80,000 (the run: tax 20,000 × 6 / 106 = 1,132, revenue 18,868; together 20,000).
    expect(movement(oct)).toBe(
      'opening 0, received 100000, recognised 20000, refunded 0, breakage 0, invoiceVat 0, other 0, closing 80000 (books 80000, difference 0)',
    );
    expect(oct).toMatchObject({
      subject: { code: '2204', name: '合同负债' },
      run: { state: 'current', breakageBp: 0, unusedValue: '80000' },
    });
    expect(oct.run.voucher).toMatch(/^记-2026-10-\d{4}$/);

    // November: 李娜 100.00 (1,000 coins, 10,000 fen); 张伟 100.00 (1,000 coins, 10,000 fen) reversed on the 10th
    // (its own lot's coins go back: no adjustment); 张伟 spends 4,200 of his first lot's 8,400 coins (80,000 fen):
    // 40,000; 李娜 250 of 1,000: 2,500. Released 42,500 (tax 2,264 + 142 = 2,406, revenue 40,094).
    await recharge(li, '100.00', '2026-11-05');
    const back = await recharge(zhang, '100.00', '2026-11-06');
    await at('2026-11-10T10:00:00');
    await t.call('approver2', 'records.reverse', { id: back, reason: '客户申请退款' });
    await spend('ACC-1', 4_200, '2026-11-20T12:00:00');
    await spend('ACC-2', 250, '2026-11-20T13:00:00');
    await at('2026-11-30T20:00:00');
    const before = await report('2026-11');
    // Before the run: nothing recognised yet; 80,000 + 20,000 − 10,000 = 90,000 and the books agree.
    expect(movement(before)).toBe(
      'opening 80000, received 20000, recognised 0, refunded 10000, breakage 0, invoiceVat 0, other 0, closing 90000 (books 90000, difference 0)',
    );
    expect(before.run).toMatchObject({ state: 'not_run', id: null, unusedValue: null });
    const posted = await t.runJob('approver', 'revenue.run', { month: '2026-11' });
    expect(posted).toMatchObject({ revenue: '40094', tax: '2406' });
    const nov = await report('2026-11');
    // 80,000 + 20,000 − 42,500 − 10,000 = 47,500 = 张伟's 4,200 coins (40,000) + 李娜's 750 (7,500).
    expect(movement(nov)).toBe(
      'opening 80000, received 20000, recognised 42500, refunded 10000, breakage 0, invoiceVat 0, other 0, closing 47500 (books 47500, difference 0)',
    );
    expect(nov).toMatchObject({ otherByCode: [], run: { state: 'current', unusedValue: '47500' } });
    // The books' balance is the 科目余额表's.
    const tb = await t.call('auditor', 'reports.balances', { month: '2026-11' });
    expect(tb.lines.find((l) => l.code === '2204')!.closingCredit).toBe('47500');

    // The workbook: one sheet 递延收入变动表, amounts as numbers in yuan with two decimals.
    const file = await t.runJob('auditor', 'reports.periodExport', { report: 'deferredRevenue', month: '2026-11' });
    expect(path.basename(file.path)).toBe('递延收入变动表-2026-11.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file.path);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('递延收入变动表 2026-11');
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const amount = (label: string) => rows.find((r) => String(r[0]).startsWith(label))![1];
    expect(amount('期初余额')).toBe(800);
    expect(amount('加：本月收款')).toBe(200);
    expect(amount('减：本月确认收入')).toBe(425);
    expect(amount('减：本月退款')).toBe(100);
    expect(amount('期末余额（计算）')).toBe(475);
    expect(amount('2204 合同负债 账面余额')).toBe(475);
    expect(amount('差额（账面 − 计算）')).toBe(0);
    const at475 = rows.findIndex((r) => String(r[0]).startsWith('期末余额（计算）'));
    expect(ws.getCell(`B${at475 + 1}`).numFmt).toBe('#,##0.00');
    expect(rows.some((r) => String(r[0]).startsWith('编制人'))).toBe(true);

    // The printable page.
    const html = await t.call('auditor', 'reports.periodHtml', { report: 'deferredRevenue', month: '2026-11' });
    expect(html).toContain('<h1>递延收入变动表</h1>');
    expect(html).toContain('期间：2026-11-01 至 2026-11-30');
    expect(html).toContain('475.00');
    expect(html).toContain('期末余额与账面余额相符');
    expect(html).toContain('编制人：');
    expect(html).toContain('复核人：');
    expect(html).toMatch(/打印人 Printed by auditor · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  });

  it('breakage of 10 %: the run’s breakage is its own line, taken off with what it recognised', async () => {
    await breakageOfTenPercent(t);
    // 李娜 100.00 (1,000 coins, 10,000 fen) spends 450: 10,000 × 450 / (0.9 × 1,000) = 5,000 released,
    // 4,500 of it the coins' value and 500 breakage. 0 + 10,000 − 4,500 − 500 = 5,000 (550 coins keep 5,000).
    await recharge(li, '100.00', '2026-11-20');
    await spend('ACC-2', 450, '2026-11-21T12:00:00');
    await at('2026-11-30T20:00:00');
    await run('2026-11');
    const nov = await report('2026-11');
    expect(movement(nov)).toBe(
      'opening 0, received 10000, recognised 4500, refunded 0, breakage 500, invoiceVat 0, other 0, closing 5000 (books 5000, difference 0)',
    );
    expect(nov.run).toMatchObject({ state: 'current', breakageBp: 1000, unusedValue: '5000' });
  });

  it('a month with no run: nothing recognised, a manual voucher to 2204 shows as other, still tied', async () => {
    // 李娜 100.00 (10,000 fen) on 11-05 and spends 250 coins; no run. A manual voucher on 11-25:
    // Dr 2204 合同负债 1.00 / Cr 6001 主营业务收入 1.00. 0 + 10,000 − 0 − 0 − 100 = 9,900.
    await recharge(li, '100.00', '2026-11-05');
    await spend('ACC-2', 250, '2026-11-20T13:00:00');
    await at('2026-11-25T10:00:00');
    await postVoucher(t.call, { date: '2026-11-25', debit: '2204', credit: '6001', amount: '100', summary: '调整' });
    await at('2026-12-02T10:00:00');
    const nov = await report('2026-11');
    expect(movement(nov)).toBe(
      'opening 0, received 10000, recognised 0, refunded 0, breakage 0, invoiceVat 0, other -100, closing 9900 (books 9900, difference 0)',
    );
    expect(nov).toMatchObject({
      otherByCode: [{ code: 'voucher', amount: '-100' }],
      run: { state: 'not_run', id: null, voucher: null, breakageBp: null, unusedValue: null },
    });
    // December: nothing moved and nothing needed; the opening is November's books' closing.
    expect(await report('2026-12')).toMatchObject({ opening: '9900', closing: '9900', difference: '0', run: { state: 'not_needed' } });
    await expect(report('2026-13')).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
