// The month-end reports over a small book whose figures are worked by hand (test/support/report-fixtures.ts):
// 科目余额表 with its drill-down (明细账, 银行存款日记账), the balance sheet and income statement, and the
// 银行存款余额调节表 from the statement's own closing balance.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { MethodInput } from '../../main/api/contract';
import { readWitnessFile, witnessFinding } from '../../main/services/witness';
import { addBankReconciliationSheet } from '../../main/formats/period-reports-xlsx';
import { balancesReport, bankJournal, ledgerDetail } from '../../main/services/balances';
import { bankReconciliation, bankReconciliations } from '../../main/services/bank-reconciliation';
import { financialStatements } from '../../main/services/financial-statements';
import { verifyBooks } from '../../main/services/verify';
import { NOVEMBER_TOTALS, reportBook, type ReportBook } from '../support/report-fixtures';
import { withStaffedApi } from '../support/books-hooks';
import { firstValue, type TestApi } from '../support/temp-books';

describe('month-end reports', () => {
  let t: TestApi;
  let book: ReportBook;
  withStaffedApi(async (api) => {
    t = api;
    book = await reportBook(t, { december: true });
  });

  it('科目余额表: opening, period debit and credit, closing with direction; parents roll up; totals balance', async () => {
    const r = await balancesReport(t.anyBooks, '2026-11');
    const at = (code: string) => {
      const l = r.lines.find((x) => x.code === code)!;
      return [l.opening.direction, l.opening.amount, l.debit, l.credit, l.closing.direction, l.closing.amount];
    };
    // Bank: opening 1,000.00 (statement opening, 2025-12-31) + 40.00 (voucher 10-15) = 1,040.00 借;
    // November debits 300 + 200 + 80 = 580.00, credits 50 + 15 = 65.00; closing 1,040 + 580 − 65 = 1,555.00 借.
    expect(at('100201')).toEqual(['debit', '104000', '58000', '6500', 'debit', '155500']);
    expect(at('1002')).toEqual(['debit', '104000', '58000', '6500', 'debit', '155500']);
    // 未分配收款: 300 + 200 credited in November.
    expect(at('224101')).toEqual(['flat', '0', '0', '50000', 'credit', '50000']);
    expect(at('2241')).toEqual(['flat', '0', '0', '50000', 'credit', '50000']);
    // 待清理付款: the 50.00 paid out.
    expect(at('122101')).toEqual(['flat', '0', '5000', '0', 'debit', '5000']);
    // 其他业务收入: 40.00 in October, 80.00 in November.
    expect(at('6051')).toEqual(['credit', '4000', '0', '8000', 'credit', '12000']);
    expect(at('660301')).toEqual(['flat', '0', '1500', '0', 'debit', '1500']);
    expect(at('410401')).toEqual(['credit', '100000', '0', '0', 'credit', '100000']);
    // Nothing in 2204 合同负债: not listed (no balance, no movement) unless asked.
    expect(r.lines.find((l) => l.code === '2204')).toBeUndefined();
    expect((await balancesReport(t.anyBooks, '2026-11', { includeEmpty: true })).lines.find((l) => l.code === '2204')).toBeDefined();
    expect(r.lines.find((l) => l.code === '100201')!.bankAccountId).toBe(book.bankId);
    expect(r.totals).toEqual(NOVEMBER_TOTALS);
    expect(r.balanced).toBe(true);
    // December: the 100.00 line; the bank closes at 1,655.00.
    const dec = await balancesReport(t.anyBooks, '2026-12');
    expect(dec.lines.find((l) => l.code === '100201')).toMatchObject({
      debit: '10000',
      credit: '0',
      closing: { direction: 'debit', amount: '165500' },
    });
    expect(dec.balanced).toBe(true);
    await expect(balancesReport(t.anyBooks, '2026-13')).rejects.toThrow(/month/);
  });

  it('明细账: opening line, lines in date and voucher order with running balance, 本月合计 and 本年累计', async () => {
    const d = await ledgerDetail(t.anyBooks, '2026-11', { subjectCode: '1002' });
    expect(d.opening).toEqual({ direction: 'debit', amount: '104000' });
    expect(d.lines.map((l) => [l.date, l.debit, l.credit, l.balance.amount, l.otherCode])).toEqual([
      ['2026-11-05', '30000', '0', '134000', '224101'], // 1,040 + 300
      ['2026-11-10', '0', '5000', '129000', '122101'], // − 50
      ['2026-11-28', '20000', '0', '149000', '224101'], // + 200
      ['2026-11-29', '8000', '0', '157000', '6051'], // + 80
      ['2026-11-30', '0', '1500', '155500', '660301'], // − 15
    ]);
    expect(d.lines[0]!.voucher).toMatch(/^记-2026-11-\d{4}$/);
    expect(d.lines[3]!.summary).toBe('场地转租收入');
    expect(d.monthTotal).toEqual({ debit: '58000', credit: '6500', closing: { direction: 'debit', amount: '155500' } });
    // The year: the 2025-12-31 opening is last year's; 40 (Oct) + 580 (Nov) debits, 65 credits.
    expect(d.yearTotal).toEqual({ debit: '62000', credit: '6500', closing: { direction: 'debit', amount: '155500' } });
    // A page keeps the running balance of the whole month.
    const p = await ledgerDetail(t.anyBooks, '2026-11', { subjectCode: '1002' }, { offset: 3, limit: 1 });
    expect(p.lines.map((l) => l.balance.amount)).toEqual(['157000']);
    expect(p.lineCount).toBe(5);
    // An income subject runs on the credit side.
    const rev = await ledgerDetail(t.anyBooks, '2026-11', { subjectCode: '6051' });
    expect(rev.opening).toEqual({ direction: 'credit', amount: '4000' });
    expect(rev.monthTotal.closing).toEqual({ direction: 'credit', amount: '12000' });
    await expect(ledgerDetail(t.anyBooks, '2026-11', { subjectCode: '9999' })).rejects.toThrow(/no subject/);
  });

  it('银行存款日记账: the bank account ledger with the counterparty of each bank line', async () => {
    const j = await bankJournal(t.anyBooks, '2026-11', book.bankId);
    expect(j.kind).toBe('bank');
    expect(j.bankAccount?.accountNumber).toBe('571900000010101');
    expect(j.lines.map((l) => l.counterparty)).toEqual(['客户甲 6222000000000001', null, '客户乙 6222000000000002', null, null]);
    expect(j.monthTotal.closing.amount).toBe('155500');
  });

  it('balance sheet and income statement: the month and the year, balancing', async () => {
    const f = await financialStatements(t.anyBooks, '2026-11');
    const bs = f.balanceSheet;
    // Assets: bank 1,555.00 + 待清理付款 50.00 = 1,605.00; at the year's start the bank's 1,000.00.
    expect(bs.assets.map((a) => [a.code, a.closing, a.yearOpening])).toEqual([
      ['1002', '155500', '100000'],
      ['1221', '5000', '0'],
    ]);
    expect(bs.totals.assets).toEqual({ closing: '160500', yearOpening: '100000' });
    expect(bs.liabilities.map((a) => [a.code, a.closing])).toEqual([['2241', '50000']]);
    expect(bs.equity.map((a) => [a.code, a.closing, a.yearOpening])).toEqual([['4104', '100000', '100000']]);
    // Profit not closed: revenue 40 + 80 − fees 15 = 105.00.
    expect(bs.unclosedProfit).toEqual({ closing: '10500', yearOpening: '0' });
    // 500 + 1,000 + 105 = 1,605 = assets.
    expect(bs.totals.liabilitiesAndEquity).toEqual({ closing: '160500', yearOpening: '100000' });
    expect(bs.balanced).toBe(true);
    expect(bs.difference).toBe('0');
    const is = f.incomeStatement;
    expect(is.revenue).toEqual([expect.objectContaining({ code: '6051', month: '8000', year: '12000' })]);
    expect(is.expenses).toEqual([expect.objectContaining({ code: '6603', month: '1500', year: '1500' })]);
    // Month: 80 − 15 = 65.00; year: 120 − 15 = 105.00 (= the unclosed profit: nothing closed before).
    expect(is.totals.profit).toEqual({ month: '6500', year: '10500' });
  });

  it('余额调节表: the statement closing balance, manual vouchers as 企业已收/已付银行未收/未付, balancing', async () => {
    const r = await bankReconciliation(t.anyBooks, '2026-11', book.bankId);
    // November's statement (closing 11-30), not December's.
    expect(r.statement).toMatchObject({ fileName: 'nov.csv', closingDate: '2026-11-30', closingAmount: '145000' });
    expect(r.booksBalance).toBe('155500');
    expect(r.bankReceivedBooksNot).toEqual([]);
    expect(r.bankPaidBooksNot).toEqual([]);
    expect(r.booksReceivedBankNot.map((i) => [i.date, i.amount, i.description])).toEqual([
      ['2026-10-15', '4000', '场地转租收入'],
      ['2026-11-29', '8000', '场地转租收入'],
    ]);
    expect(r.booksReceivedBankNot[0]!.voucher).toMatch(/^记-2026-10-0001$/);
    expect(r.booksPaidBankNot.map((i) => [i.date, i.amount])).toEqual([['2026-11-30', '1500']]);
    // Books 1,555.00 + 0 − 0 = 1,555.00; bank 1,450.00 + 120.00 − 15.00 = 1,555.00.
    expect([r.booksAdjusted, r.bankAdjusted, r.difference, r.balanced]).toEqual(['155500', '155500', '0', true]);
  });

  it('余额调节表: a statement whose closing balance disagrees with its lines shows the difference', async () => {
    const r = (await bankReconciliations(t.anyBooks, '2026-12'))[0]!;
    expect(r.statement).toMatchObject({ fileName: 'dec.csv', closingAmount: '160000' });
    // Books: 1,555.00 + 100.00 = 1,655.00; bank 1,600.00 + 120.00 − 15.00 = 1,705.00: 50.00 the file does not show.
    expect(r.booksBalance).toBe('165500');
    expect([r.booksAdjusted, r.bankAdjusted, r.difference, r.balanced]).toEqual(['165500', '170500', '-5000', false]);
  });

  it('余额调节表: without a statement by the month end, the bank side is empty and no balance is claimed', async () => {
    const r = await bankReconciliation(t.anyBooks, '2026-10', book.bankId);
    expect(r.statement).toBeNull();
    // 1,000.00 opening (2025-12-31) + 40.00 voucher.
    expect(r.booksBalance).toBe('104000');
    expect([r.bankAdjusted, r.difference, r.balanced]).toEqual([null, null, false]);
    expect([r.booksReceivedBankNot, r.booksPaidBankNot, r.bankReceivedBooksNot, r.bankPaidBooksNot]).toEqual([[], [], [], []]);
    await expect(bankReconciliation(t.anyBooks, '2026-10', 999)).rejects.toThrow(/no platform bank account/);
  });

  it("writes nothing, and verify's bank ties explain the manual vouchers by the 调节表's 未达账项, flagging only a line missing from the file", async () => {
    const audit = () => firstValue(t.anyBooks, 'SELECT count(*) FROM audit');
    const before = await audit();
    await balancesReport(t.anyBooks, '2026-11');
    await ledgerDetail(t.anyBooks, '2026-11', { subjectCode: '1002' });
    await financialStatements(t.anyBooks, '2026-11');
    const nov = await bankReconciliation(t.anyBooks, '2026-11', book.bankId);
    const dec = await bankReconciliation(t.anyBooks, '2026-12', book.bankId);
    expect(await audit()).toBe(before);
    const r = await verifyBooks(t.anyBooks);
    const [n, d] = r.ties.filter((x) => x.kind === 'bank_statement');
    // Nov: the statement closes at 1,450.00; the three manual vouchers the bank never saw come to
    // 40.00 + 80.00 − 15.00 = 105.00 (= the 调节表's 120.00 − 15.00): 1,555.00 expected, 1,555.00 held.
    expect(n).toMatchObject({ ok: true, expected: '155500', actual: '155500' });
    expect(n!.about).toMatchObject({ statementBalance: '145000', outstanding: '10500', outstandingCount: '3' });
    expect(BigInt(n!.about.outstanding!)).toBe(BigInt(nov.sums.booksReceivedBankNot) - BigInt(nov.sums.booksPaidBankNot));
    expect(n!.message).toBe(
      'bank account 571900000010101 on 2026-11-30: the statement (nov.csv) closes at 1,450.00; with 3 posting(s) the bank has not shown (未达账项, listed in the 余额调节表) of 105.00 the books should hold 1,555.00, they hold 1,555.00',
    );
    // Dec: 1,600.00 + 105.00 = 1,705.00 expected, 1,655.00 held: the 50.00 line missing from the file, as the 调节表 shows it.
    expect(d).toMatchObject({ ok: false, expected: '170500', actual: '165500' });
    expect(BigInt(d!.actual) - BigInt(d!.expected)).toBe(BigInt(dec.difference!));
    expect(r.findings.map((f) => [f.check, f.details!.date])).toEqual([['bank_statement', '2026-12-31']]);
  });

  /** Rows of a sheet as arrays of values (column 1 first). */
  const rowsOf = (ws: ExcelJS.Worksheet) => {
    const out: unknown[][] = [];
    ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
    return out;
  };
  const workbook = async (input: MethodInput<'reports.periodExport'>) => {
    const r = await t.runJob('auditor', 'reports.periodExport', input);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.path);
    // Every workbook carries the witness of the books it came from.
    expect(await witnessFinding(t.anyBooks, await readWitnessFile(r.path), 'the workbook')).toBeNull();
    return wb;
  };

  it('科目余额表 workbook: filter on top, amounts as numbers in yuan, the 合计 row equals the service totals', async () => {
    const wb = await workbook({ report: 'balances', month: '2026-11' });
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('科目余额表 2026-11');
    const rows = rowsOf(ws);
    expect(String(rows[0]![0])).toContain('科目余额表');
    expect(String(rows[2]![0])).toContain('2026-11-01 至 2026-11-30');
    const bank = rows.find((r) => r[0] === '100201')!;
    expect(bank.slice(2)).toEqual([1040, 0, 580, 65, 1555, 0]);
    const total = rows.find((r) => r[0] === '合计 Total')!;
    const svc = (await balancesReport(t.anyBooks, '2026-11')).totals;
    expect(total.slice(2)).toEqual(
      [svc.openingDebit, svc.openingCredit, svc.debit, svc.credit, svc.closingDebit, svc.closingCredit].map((f) => Number(f) / 100),
    );
    expect(ws.getCell(`C${rows.indexOf(bank) + 1}`).numFmt).toBe('#,##0.00');
  });

  it('the other workbooks: 明细账, 资产负债表 + 利润表, 余额调节表 with preparer and reviewer; text that looks like a formula stays text', async () => {
    const ledger = rowsOf((await workbook({ report: 'ledger', month: '2026-11', subjectCode: '1002' })).worksheets[0]!);
    expect(ledger.find((r) => r[2] === '本月合计 Month total')!.slice(4)).toEqual([580, 65, '借', 1555]);
    expect(ledger.find((r) => r[2] === '本年累计 Year to date')!.slice(4)).toEqual([620, 65, '借', 1555]);
    const fs = await workbook({ report: 'statements', month: '2026-11' });
    expect(fs.worksheets.map((w) => w.name)).toEqual(['资产负债表 2026-11', '利润表 2026-11']);
    const bs = rowsOf(fs.worksheets[0]!);
    expect(bs.find((r) => r[1] === '资产合计 Total assets')!.slice(2)).toEqual([1605, 1000]);
    expect(bs.find((r) => r[1] === '负债和所有者权益合计 Total liabilities and equity')!.slice(2)).toEqual([1605, 1000]);
    expect(
      rowsOf(fs.worksheets[1]!)
        .find((r) => r[1] === '利润 Profit')!
        .slice(2),
    ).toEqual([65, 105]);
    const rec = rowsOf((await workbook({ report: 'bankReconciliation', month: '2026-12' })).worksheets[0]!);
    expect(rec.find((r) => String(r[0]).startsWith('调节后的存款余额 Adjusted books'))![4]).toBe(1655);
    expect(rec.find((r) => String(r[0]).startsWith('调节后的存款余额 Adjusted statement'))![4]).toBe(1705);
    expect(rec.find((r) => String(r[0]).startsWith('差额'))![4]).toBe(-50);
    expect(rec.some((r) => String(r[0]).startsWith('编制人'))).toBe(true);
    // A description that would start a formula is written as text.
    const r = await bankReconciliation(t.anyBooks, '2026-11', book.bankId);
    r.booksPaidBankNot[0]!.description = '=HYPERLINK("http://x","y")';
    const wb = new ExcelJS.Workbook();
    const ws = addBankReconciliationSheet(wb, r, { company: '测试公司' });
    const cell = rowsOf(ws).find((x) => x[1] === '2026-11-30' && x[4] === 15)!;
    expect(cell[3]).toBe(`'=HYPERLINK("http://x","y")`);
  });

  it('printable pages: title, company, period, printed by and at, page numbers; preparer and reviewer on the 调节表', async () => {
    const html = await t.call('auditor', 'reports.periodHtml', { report: 'bankReconciliation', month: '2026-11' });
    expect(html).toContain('<h1>银行存款余额调节表</h1>');
    expect(html).toContain('编制人：');
    expect(html).toContain('复核人：');
    expect(html).toContain('counter(pages)');
    expect(html).toMatch(/打印人 Printed by auditor · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const tb = await t.call('auditor', 'reports.periodHtml', { report: 'balances', month: '2026-11' });
    expect(tb).toContain('期间：2026-11-01 至 2026-11-30');
    expect(tb).toContain('1,620.00');
    const saved = await t.runJob('auditor', 'reports.periodPrint', {
      report: 'statements',
      month: '2026-11',
    });
    expect(saved.format).toBe('html'); // no printer in this harness: the page is saved as it is
    expect(path.basename(saved.path)).toBe('资产负债表-利润表-2026-11.html');
    await expect(t.call('auditor', 'reports.periodHtml', { report: 'ledger', month: '2026-11' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
