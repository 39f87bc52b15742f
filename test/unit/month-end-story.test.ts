// Issue 12's "Done when": one month of activity through the dispatcher as the console does it
// (test/support/month-story.ts tells the month and works every figure out by hand in FIGURES), then the
// revenue run, the period close, and the figures a finance team files: the run's revenue and output VAT,
// the VAT data, the 扣缴申报, the 余额调节表 on both sides, the balance sheet and income statement, and the
// exported journal as hledger reads it (is: the revenue; bse: assets = liabilities + equity + income).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vatByMonth } from '../../main/services/invoice-vat';
import { verifyBooks } from '../../main/services/verify';
import { cell, csv, totals } from '../support/hledger-csv';
import { FIGURES as F, MONTH, buildClosedMonth, type ClosedMonth } from '../support/month-story';
import { sixPercentRow } from '../support/invoice-fixtures';
import { firstValue, type TestApi } from '../support/temp-books';
import { MONTH_END_PACK_SHEETS } from '../support/workbook-layouts';

const hledger = spawnSync('hledger', ['--version'], { encoding: 'utf8' });
const HLEDGER = hledger.status === 0 ? hledger.stdout.trim() : null;

let m: ClosedMonth;
beforeAll(async () => {
  m = await buildClosedMonth();
}, 120_000);
afterAll(async () => m?.t.cleanup());

const call: TestApi['call'] = (as, method, input) => m.t.call(as, method, input);
const balance = (code: string) =>
  firstValue(
    m.t.anyBooks,
    'SELECT credits_posted - debits_posted AS b FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL',
    code,
  );
const rows = (text: string, ...params: unknown[]) => m.t.anyBooks.sql(text).all(...params);

describe('a month of activity closes with the figures worked out by hand', () => {
  it('closes: every check passes, approver closed it and approver2 confirmed it; verify finds nothing', async () => {
    const s = await call('auditor', 'periods.status', { month: MONTH });
    expect(s).toMatchObject({ state: 'closed', closedBy: 'approver', confirmedBy: '审核二' });
    expect(s.checks.filter((c) => !c.ok)).toEqual([]);
    expect(s.checks.map((c) => c.name)).toEqual([
      'month_ended',
      'earlier_months',
      'bank_statements',
      'match_proposals',
      'writeoffs',
      'vouchers',
      'verify',
      'revenue_run',
    ]);
    const r = await verifyBooks(m.t.anyBooks);
    expect(r.findings).toEqual([]);
    // 2204 at the month's end against the value its unused coins carry (the run's closing value).
    expect(r.ties.find((x) => x.kind === 'deferred_revenue')).toMatchObject({ ok: true, actual: String(F.run.closingValue) });
  });

  it('recharges with bonus credited under four eyes; the short payment at what was received; the refund paid by its line', async () => {
    const records = (await rows(
      `SELECT q.reference_code AS code, r.amount, r.requested, r.paid_coins AS paid, r.bonus_coins AS bonus, r.matched_by_json AS matched,
         r.approved_by_json AS approved FROM recharge_records r JOIN recharge_requests q ON q.id = r.request_id ORDER BY r.id`,
    )) as { code: string; amount: number; requested: number; paid: number; bonus: number; matched: string; approved: string }[];
    // Matched by the rule the clerk ran, or by the clerk's own hand; never approved by the one who matched.
    const RULE = { who: 'rule: reference code + exact amount', ranBy: 'clerk' };
    expect(
      records.map((r) => ({ ...r, matched: JSON.parse(r.matched) as unknown[], approved: JSON.parse(r.approved) as string[] })),
    ).toEqual([
      // 1,000.00: 10,000 coins + 5 % = 500 bonus; matched by the clerk's rule run, credited by the approver.
      { code: 'ZW1000AA', amount: 100_000, requested: 100_000, paid: 10_000, bonus: 500, matched: [RULE], approved: ['approver'] },
      // 60,000.00: 600,000 + 10 % = 60,000 bonus; above 50,000.00, so two approvers.
      {
        code: 'YQ60000B',
        amount: 6_000_000,
        requested: 6_000_000,
        paid: 600_000,
        bonus: 60_000,
        matched: [RULE],
        approved: ['approver', 'approver2'],
      },
      // 648.00 asked, 645.00 received (short, not a fee): credited and priced at 645.00 → 6,450 coins, no bonus.
      {
        code: 'ZW648CCC',
        amount: 64_500,
        requested: 64_800,
        paid: 6_450,
        bonus: 0,
        matched: [{ who: 'clerk', ranBy: 'clerk' }],
        approved: ['approver2'],
      },
    ]);
    expect(await rows("SELECT writeoff_kind AS kind, amount, status FROM allocations WHERE kind = 'writeoff'")).toEqual([
      { kind: 'short', amount: 300, status: 'active' },
    ]);
    expect(await rows('SELECT source, amount, status FROM refunds')).toEqual([{ source: 'unallocated', amount: 30_000, status: 'paid' }]);
    // Nothing left waiting in 224101, refunds payable or 122101 待清理付款.
    expect([await balance('unallocated_receipts'), await balance('refunds_payable'), await balance('suspense')]).toEqual([0, 0, 0]);
  });

  it('the revenue run: coins spent and expired release their lots’ value; invoices taxed at issue are not taxed again', async () => {
    const [run] = await call('auditor', 'revenue.runs', { month: MONTH });
    // Spent 2,100 + 1,050 + 132,000 + 6,000 = 141,150; expired 5,500 (A1-1's move of 3,150 is no use).
    expect(run).toMatchObject({
      status: 'posted',
      method: 'fifo',
      spentCoins: String(F.coins.spent),
      expiredCoins: String(F.coins.expired),
      usedCoins: String(F.coins.used),
      // 87,500 (张伟) + 1,250,000 (云启)
      gross: String(F.run.gross),
      pretaxedGross: String(F.yunqi.pretaxedGross),
      pretaxedTax: String(F.yunqi.pretaxedTax),
      tax: String(F.run.tax),
      revenue: String(F.run.revenue),
      closingCoins: String(F.coins.closing),
      closingValue: String(F.run.closingValue),
      customers: 2,
    });
    const lines = await call('auditor', 'revenue.lines', { runId: run!.id });
    expect(lines.rows).toEqual([
      expect.objectContaining({
        customer: '杭州云启科技有限公司',
        value: String(F.yunqi.value),
        pretaxedTax: String(F.yunqi.pretaxedTax),
        tax: String(F.yunqi.tax),
        revenue: String(F.yunqi.revenue),
        closingCoins: '522500',
      }),
      expect.objectContaining({
        customer: '张伟',
        value: String(F.zhang.value),
        tax: String(F.zhang.tax),
        revenue: String(F.zhang.revenue),
        closingCoins: '7800', // A1-1 5,700 + A1-2 2,100
      }),
    ]);
    // The voucher: Dr 2204 1,289,500 / Cr 6001 1,261,792, Cr 222101 27,708, dated the month's last day.
    const legs = await rows(
      `SELECT d.subject_code AS dr, c.subject_code AS cr, t.amount, t.business_date AS date FROM transfers t
       JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id WHERE t.voucher_id = ? ORDER BY t.id`,
      run!.voucher!.id,
    );
    expect(legs).toEqual([
      { dr: '2204', cr: '6001', amount: F.run.revenue, date: '2026-11-30' },
      { dr: '2204', cr: '222101', amount: F.run.tax, date: '2026-11-30' },
    ]);
    expect(F.run.revenue + F.run.tax).toBe(F.run.released);
    // The coin roll-forward shows the expiry in its own column.
    const rf = (await call('auditor', 'reports.rollForward', { month: MONTH })).lines[0]!;
    // 600,000 + 10,000 + 6,450 paid; 60,000 + 500 bonus; − 141,150 spent − 5,500 expired = 530,300.
    expect(rf).toMatchObject({
      opening: '0',
      recharged: '616450',
      bonus: '60500',
      spent: String(F.coins.spent),
      expired: String(F.coins.expired),
      transferred: '3150',
      reversed: '0',
      other: '0',
      closing: String(F.coins.closing),
    });
  });

  it('VAT: the 6 % invoices by rate, blue and red, and the output VAT in 222101 (at invoice and by the run)', async () => {
    const v = await vatByMonth(m.t.anyBooks, MONTH);
    // Blue 10,600.00: tax 10,600 × 6 / 106 = 600.00, net 10,000.00; red 2,120.00: tax 120.00, net 2,000.00.
    const sixPercent = sixPercentRow({
      blue: [1, 1_060_000n, 1_000_000n, 60_000n],
      red: [1, 212_000n, 200_000n, 12_000n],
      net: [848_000n, 800_000n, 48_000n],
    });
    expect(v.byRate).toEqual([sixPercent]);
    expect(v.notTaxable).toEqual({ blueGross: 0n, redGross: 0n, netGross: 0n });
    expect(v.taxedAtInvoice).toEqual({ gross: BigInt(F.yunqi.pretaxedGross), tax: BigInt(F.yunqi.pretaxedTax) });
    // 60,000 − 12,000 at invoice + 27,708 by the run = 75,708 (≈ 1,337,500 used × 6 / 106 = 75,707.5).
    expect(await balance('gl:222101')).toBe(F.outputVat);
  });

  it('withholding: one 劳务报酬 payment of 3,000.00 — (3,000 − 800) × 20 % = 440.00 withheld, 2,560.00 paid by the bank line', async () => {
    const w = await call('auditor', 'withholding.report', {
      month: MONTH,
    });
    expect(w.rows).toEqual([
      expect.objectContaining({
        name: '王芳',
        idNumber: '110101199003071233',
        income: String(F.withholding.income),
        deduction: String(F.withholding.deduction),
        taxable: String(F.withholding.taxable),
        ratePercent: 20,
        quickDeduction: '0',
        withheld: String(F.withholding.tax),
        payments: 1,
      }),
    ]);
    const [p] = (await call('auditor', 'payouts.list', {})).rows;
    expect(p).toMatchObject({ status: 'paid', gross: '300000', tax: String(F.withholding.tax), net: String(F.withholding.net) });
    // 220201: 6,000.00 earned − 3,000.00 paid out; the 5,000 earnings coins spent released nothing.
    expect(await balance('earnings_payable')).toBe(F.balances.earningsPayable);
    expect(await balance('gl:222102')).toBe(F.withholding.tax);
    expect(await balance('payouts_payable')).toBe(0);
  });

  it('余额调节表: statement 109,060.00 − the 1,500.00 cheque not yet paid = books 107,560.00', async () => {
    const [r] = await call('auditor', 'reports.bankReconciliation', { month: MONTH });
    expect(r!.statement).toMatchObject({
      fileName: '招商银行-账户明细-1130.csv',
      closingDate: '2026-11-30',
      closingAmount: String(F.bank.statement),
    });
    // Books: 50,000 + 1,000 + 60,000 + 645 + 300 − 300 − 2,560 − 25 − 1,500 = 107,560.00.
    expect(r!.booksBalance).toBe(String(F.bank.books));
    expect(r!.bankReceivedBooksNot).toEqual([]);
    expect(r!.bankPaidBooksNot).toEqual([]);
    expect(r!.booksReceivedBankNot).toEqual([]);
    expect(r!.booksPaidBankNot).toEqual([
      expect.objectContaining({ date: '2026-11-30', amount: String(F.bank.cheque), description: '开出转账支票 No.0021 支付服务器托管费' }),
    ]);
    // Books side: 107,560.00 + 0 − 0; bank side: 109,060.00 + 0 − 1,500.00.
    expect(r).toMatchObject({ booksAdjusted: String(F.bank.books), bankAdjusted: String(F.bank.books), difference: '0', balanced: true });
    // verify's bank tie explains the cheque by the same item instead of flagging it.
    const tie = (await verifyBooks(m.t.anyBooks)).ties.find((x) => x.kind === 'bank_statement' && x.about.date === '2026-11-30');
    expect(tie).toMatchObject({ ok: true, expected: String(F.bank.books), about: { outstanding: '-150000', outstandingCount: '1' } });
  });

  it('balance sheet and income statement: assets 107,560.00 = liabilities 52,467.08 + equity 50,000.00 + income 5,092.92', async () => {
    const f = await call('auditor', 'reports.financialStatements', { month: MONTH });
    expect(f.balanceSheet.totals.assets.closing).toBe(String(F.bank.books));
    expect(f.balanceSheet.totals.liabilitiesAndEquity.closing).toBe(String(F.bank.books));
    expect(f.balanceSheet.balanced).toBe(true);
    // 12,617.92 − 6,000.00 − 1,500.00 − 25.00
    expect(f.incomeStatement.totals.profit.month).toBe(String(F.balances.income));
    expect(await balance('customer_prepayments')).toBe(F.balances.prepayments);
    expect(await balance('gl:6001')).toBe(F.balances.revenue);
    expect(F.balances.liabilities).toBe(F.balances.prepayments + F.balances.earningsPayable + F.balances.outputVat + F.balances.incomeTax);
    expect(F.bank.books).toBe(F.balances.liabilities + F.balances.equity + F.balances.income);
  });
});

describe('the exported journal', () => {
  it('names its books in its header: the file, or on PostgreSQL the URL with any password hidden', async () => {
    m.t.dialogs.nextSave = path.join(m.t.dir, 'named.journal');
    const file = (await m.t.runJob('auditor', 'ledger.exportJournal')).path;
    expect(fs.readFileSync(file, 'utf8').split('\n').slice(0, 3)).toContain(`; books: ${m.t.anyBooks.path}`);
    expect(m.t.anyBooks.path).not.toBe('');
  });
});

describe.skipIf(!HLEDGER)(
  `the exported journal in hledger (${HLEDGER ?? 'skipped: hledger is not installed (Debian: apt-get install hledger)'})`,
  () => {
    let file: string;
    beforeAll(async () => {
      m.t.dialogs.nextSave = path.join(m.t.dir, 'november.journal');
      file = (await m.t.runJob('auditor', 'ledger.exportJournal')).path;
    });
    const run = (...args: string[]) => execFileSync('hledger', ['-f', file, ...args, '-O', 'csv', '--flat'], { encoding: 'utf8' });

    it('is: revenue 12,617.92, expenses 6,000.00 + 1,500.00 + 25.00 = 7,525.00, net income 5,092.92', () => {
      expect(fs.existsSync(file)).toBe(true);
      const is = csv(run('is', '-p', MONTH));
      expect(cell(is, '收入:6001 主营业务收入')).toBe('12617.92');
      expect(cell(is, '费用:6401 主营业务成本')).toBe('6000.00');
      expect(totals(is)).toEqual({ Revenues: '12617.92', Expenses: '7525.00' });
      expect(cell(is, 'Net:')).toBe('5092.92');
    });

    it('bse: assets 107,560.00 = liabilities 52,467.08 + equity 50,000.00 + the net income 5,092.92', () => {
      const bse = csv(run('bse', '-e', '2026-12-01'));
      expect(totals(bse)).toEqual({ Assets: '107560.00', Liabilities: '52467.08', Equity: '50000.00' });
      expect(cell(bse, '负债:2204 合同负债')).toBe('48270.00');
      expect(cell(bse, '负债:2221 应交税费:222101 应交增值税（销项税额）')).toBe('757.08');
      // A − L − E is what the income statement says the month earned.
      expect(cell(bse, 'Net:')).toBe('5092.92');
    });
  },
);

describe("the month-end pack: every sheet read by openpyxl, its totals the screens' figures", () => {
  type Rows = (string | number | null)[][];
  let sheets: Record<string, Rows>;
  beforeAll(async () => {
    const target = path.join(m.t.dir, '月结包.xlsx');
    m.t.dialogs.nextSave = target;
    await m.t.runJob('auditor', 'monthEnd.pack', { month: MONTH });
    const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
print(json.dumps({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}, ensure_ascii=False))`;
    sheets = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, target], { encoding: 'utf8' })) as Record<string, Rows>;
  }, 120_000);
  const sheet = (prefix: string) => Object.entries(sheets).find(([name]) => name.startsWith(prefix))![1];
  /** The numbers of the row whose first text cell starts with `label`. */
  const numbers = (rows: Rows, label: string) => {
    const row = rows.find((r) => String(r.find((c) => typeof c === 'string') ?? '').startsWith(label));
    expect(row, label).toBeDefined();
    return row!.filter((c): c is number => typeof c === 'number');
  };
  const yuan = (fen: string | number) => Number(fen) / 100;

  it('has the cover and the seven reports, the cover naming the closed month', () => {
    expect(Object.keys(sheets).map((n) => n.split(' ')[0])).toEqual(MONTH_END_PACK_SHEETS);
    expect(sheet('封面').find((r) => r[0] === '结账状态 Period state')![1]).toBe('已结账 closed');
  });

  it('科目余额表, 资产负债表, 利润表: the totals of reports.balances and reports.financialStatements', async () => {
    const tb = (await call('auditor', 'reports.balances', { month: MONTH })).totals;
    expect(numbers(sheet('科目余额表'), '合计')).toEqual(
      [tb.openingDebit, tb.openingCredit, tb.debit, tb.credit, tb.closingDebit, tb.closingCredit].map((f) => yuan(f!)),
    );
    const fs_ = await call('auditor', 'reports.financialStatements', { month: MONTH });
    expect(numbers(sheet('资产负债表'), '资产合计')[0]).toBe(yuan(fs_.balanceSheet.totals.assets!.closing));
    expect(numbers(sheet('资产负债表'), '负债和所有者权益合计')[0]).toBe(yuan(F.bank.books));
    expect(numbers(sheet('利润表'), '利润 Profit')[0]).toBe(yuan(fs_.incomeStatement.totals.profit.month));
    expect(numbers(sheet('利润表'), '利润 Profit')[0]).toBe(yuan(F.balances.income));
  });

  it('递延收入变动表, 调节表, 增值税申报数据, 扣缴申报: the screens’ closing, adjusted balances and totals', async () => {
    const dr = await call('auditor', 'reports.deferredRevenue', { month: MONTH });
    expect(numbers(sheet('递延收入变动表'), '期末余额（计算）')).toEqual([yuan(dr.closing)]);
    expect(yuan(dr.closing)).toBe(yuan(F.balances.prepayments));
    const [rec] = await call('auditor', 'reports.bankReconciliation', { month: MONTH });
    const adjusted = sheet('余额调节表').filter((r) => String(r[0]).startsWith('调节后的存款余额'));
    expect(adjusted.map((r) => r.find((c) => typeof c === 'number'))).toEqual([yuan(rec!.booksAdjusted), yuan(rec!.bankAdjusted!)]);
    const vat = await call('auditor', 'reports.vatData', { month: MONTH });
    expect(numbers(sheet('增值税申报数据'), '合计').slice(-2)).toEqual([yuan(vat.totals.total.net), yuan(vat.totals.total.tax)]);
    expect(yuan(vat.totals.total.tax)).toBe(yuan(F.outputVat));
    const wh = await call('auditor', 'withholding.report', { month: MONTH });
    const whTotal = numbers(sheet('扣缴申报'), '合计');
    expect([whTotal[0], whTotal[3]]).toEqual([yuan(wh.totals.income), yuan(wh.totals.withheld)]);
    expect(whTotal[3]).toBe(yuan(F.withholding.tax));
  });
});
