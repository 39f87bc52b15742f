// 增值税申报数据 (issue 12 §3), figures worked out by hand. The default conversion rule: 10 coins a yuan
// (a 5 % bonus only from 1,000.00, not reached here). 张伟 in November 2026:
//   20th  recharge  80.00 →   800 coins,  8,000 fen; invoiced at once under the default product, 不征税
//         (预付卡销售和充值): a blue 普票 of 80.00, no tax, nothing posted.
//         invoice.product becomes a 6 % service (two admins).
//         recharge 106.00 → 1,060 coins, 10,600 fen; a blue invoice of 106.00 at 6 %: tax =
//         half-up(10,600 × 6 / 106) = 600, net 10,000 (Cr 222101 6.00 on the 20th).
//         recharge 200.00 → 2,000 coins, 20,000 fen; not invoiced.
//   25th  red-letter: 53.00 of the 6 % invoice (tax half-up(5,300 × 6 / 106) = 300, net 5,000; Dr 222101 3.00)
//         and 20.00 of the 不征税 one (no tax).
//   26th  3,000 coins spent. FIFO: 800 (8,000) + 1,060 (10,600) + 1,140 of 2,000 (20,000 × 1,140 / 2,000 = 11,400)
//         = 30,000 fen used.
//   30th  the revenue run: taxed at invoice and not yet used: 10,600 − 5,300 = 5,300 gross, 600 − 300 = 300 tax;
//         so of the 30,000 used, 5,300 was taxed at invoice; the run taxes 24,700: tax = half-up(24,700 × 6 / 106)
//         = half-up(1,398.11) = 1,398 (Cr 222101 13.98); revenue 30,000 − 300 − 1,398 = 28,302.
// The VAT data for 2026-11, 6 %:
//   blue 10,000 / 600; red −5,000 / −300; invoiced 5,000 / 300;
//   uninvoiced (未开票收入) 24,700 − 1,398 = 23,302 / 1,398; total 28,302 / 1,698.
//   不征税: blue 8,000, red −2,000, net 6,000.
//   The tie: 222101 in November, credits 600 + 1,398 = 1,998, debits 300: 1,698 = the report's 1,698.
// Before the run: uninvoiced 0 (run missing), output tax 300 = books 600 − 300.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ratePercent } from '../../main/domain/invoice-tax';
import { withBankDesk } from '../support/books-hooks';
import { ADMIN2, deskAt, importEvents } from '../support/desk';
import * as fx from '../support/invoice-fixtures';
import { type Payer } from '../support/recharge-fixtures';
import { type TestApi } from '../support/temp-books';
import { postVoucher } from '../support/vouchers';

let t: TestApi;
let zhang: Payer;
let evt = 0;

withBankDesk({ staff: [{ ...ADMIN2, login: true }] }, ['张伟'], (desk) => ([t, zhang] = desk));

const STAFF = ['admin', 'admin2', 'clerk', 'approver', 'auditor'];
/** Moves the desk's clock; everyone logs in again (sessions end after 15 idle minutes). */
const at = (iso: string) => deskAt(t, iso, STAFF);

async function spend(account: string, coins: number, when: string) {
  const name = `events-${++evt}.jsonl`;
  const line = { id: `evt-vat-${evt}`, type: 'coins.spent', at: `${when}+08:00`, data: { account, wallet: 'recharge', coins } };
  await importEvents(t, name, [line]);
}

const vat = (month = '2026-11') => t.call('auditor', 'reports.vatData', { month });
const reverse = (id: number, amount: string) => t.call('approver', 'invoices.reverse', { id, amount, reason: '退回部分', ...fx.redForm() });

/** The month of the comment above, up to the revenue run (not run). */
async function november() {
  const prepaid = await fx.issuedInvoice(t, zhang, '80.00', 'NOVAT001');
  await fx.taxableProduct(t);
  const taxable = await fx.issuedInvoice(t, zhang, '106.00', 'VAT6PCT1');
  await fx.credited(t, zhang, '200.00', 'PLAIN001');
  await at('2026-11-25T15:00:00');
  await fx.numbered(t, taxable.serial);
  await fx.numbered(t, prepaid.serial);
  await reverse(taxable.invoiceId, '5300');
  await reverse(prepaid.invoiceId, '2000');
  await spend('ACC-1', 3_000, '2026-11-26T12:00:00');
  await at('2026-11-30T20:00:00');
}

const six = { rate: { num: 6, den: 100 }, percent: '6%' };

describe('增值税申报数据', () => {
  it('prints rates as per cents', () => {
    expect([
      ratePercent({ num: 6, den: 100 }),
      ratePercent({ num: 3, den: 200 }),
      ratePercent({ num: 0, den: 1 }),
      ratePercent({ num: 13, den: 100 }),
    ]).toEqual(['6%', '1.5%', '0%', '13%']);
  });

  it('sales by rate, invoiced (blue, red) and uninvoiced, the 不征税 prepaid value, tied to 222101', async () => {
    await november();

    // Before the run: only the invoices; the tie holds on them (600 − 300).
    const before = await vat();
    expect(before.run).toEqual({ state: 'missing', id: null, voucher: null, percent: null });
    // The invoices of the 6% rate, the same before and after the run.
    const invoiced = {
      ...six,
      blueCount: 1,
      redCount: 1,
      blue: { net: '10000', tax: '600' },
      red: { net: '-5000', tax: '-300' },
      invoiced: { net: '5000', tax: '300' },
    };
    expect(before.rows).toEqual([{ ...invoiced, uninvoiced: { net: '0', tax: '0' }, total: { net: '5000', tax: '300' } }]);
    expect(before.tie).toEqual({ outputTax: '300', booksCredit: '600', booksDebit: '300', books: '300', difference: '0', ok: true });

    const run = await t.runJob('approver', 'revenue.run', { month: '2026-11' });
    expect(run).toMatchObject({ gross: '30000', pretaxedGross: '5300', pretaxedTax: '300', tax: '1398', revenue: '28302' });

    const d = await vat();
    const row = { ...invoiced, uninvoiced: { net: '23302', tax: '1398' }, total: { net: '28302', tax: '1698' } };
    expect(d).toEqual({
      month: '2026-11',
      from: '2026-11-01',
      to: '2026-11-30',
      rows: [row],
      totals: { ...row, rate: undefined, percent: undefined },
      notTaxable: { blueCount: 1, redCount: 1, blue: '8000', red: '-2000', net: '6000' },
      run: { state: 'current', id: run.id, voucher: run.voucher!.name, percent: '6%' },
      tie: { outputTax: '1698', booksCredit: '1998', booksDebit: '300', books: '1698', difference: '0', ok: true },
    });
    // The recognised revenue equals the month's taxable sales here: every invoiced taxable value was used.
    expect(d.totals.total.net).toBe(run.revenue);

    // A month with nothing: no rows, zeros, nothing to tie.
    const december = await vat('2026-12');
    expect(december).toMatchObject({ rows: [], notTaxable: { blue: '0', red: '0', net: '0' }, run: { state: 'not_needed', id: null } });
    expect(december.tie).toMatchObject({ outputTax: '0', books: '0', ok: true });
    await expect(t.call('auditor', 'reports.vatData', { month: '2026-13' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('tax booked to 222101 outside invoices and the run shows as a difference', async () => {
    await november();
    await t.runJob('approver', 'revenue.run', { month: '2026-11' });
    // A manual voucher on the 30th: Dr 660301 / Cr 222101 10.00 (e.g. tax on a sale Coffer does not know).
    await postVoucher(t.call, { date: '2026-11-30', debit: '660301', credit: '222101', amount: '1000', summary: '视同销售' });
    // Books: 1,998 + 1,000 credits − 300 debits = 2,698; report 1,698; difference −1,000.
    expect((await vat()).tie).toEqual({
      outputTax: '1698',
      booksCredit: '2998',
      booksDebit: '300',
      books: '2698',
      difference: '-1000',
      ok: false,
    });
  });

  it('exports the sheet (合计 and tie read back) and prints the page', async () => {
    await november();
    await t.runJob('approver', 'revenue.run', { month: '2026-11' });
    t.dialogs.nextSave = path.join(t.dir, 'vat.xlsx');
    const out = await t.runJob('auditor', 'reports.periodExport', { report: 'vatData', month: '2026-11' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out.path);
    const ws = wb.getWorksheet('增值税申报数据 2026-11')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[0] === '6%')).toEqual(['6%', 100, 6, -50, -3, 50, 3, 233.02, 13.98, 283.02, 16.98]);
    expect(rows.find((r) => r[0] === '合计 Total')).toEqual(['合计 Total', 100, 6, -50, -3, 50, 3, 233.02, 13.98, 283.02, 16.98]);
    expect(rows.find((r) => String(r[0]).startsWith('不征税'))!.slice(1)).toEqual([80, undefined, -20, undefined, 60]);
    expect(rows.find((r) => String(r[0]).startsWith('222101 账面'))![10]).toBe(16.98);
    expect(rows.find((r) => String(r[0]).startsWith('与账面相符'))).toBeDefined();
    expect(ws.getCell('B5').numFmt).toBe('#,##0.00');

    const html = await t.call('auditor', 'reports.periodHtml', { report: 'vatData', month: '2026-11' });
    expect(html).toContain('<title>增值税申报数据</title>');
    expect(html).toMatch(
      /<tr class="total"><td>合计<\/td><td class="num">100\.00<\/td><td class="num">6\.00<\/td><td class="num">-50\.00<\/td>/,
    );
    expect(html).toContain('<td class="num">16.98</td>');
    expect(html).toContain('本表销项税额与账面相符');
  });
});
