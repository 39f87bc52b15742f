// The month-end reports as worksheets: each `add…Sheet` adds one report to a given exceljs Workbook (the
// month-end pack adds them all to one), `writeReportFile` writes a workbook with the books' witness.
// Every sheet opens with the title, the company and the period (the filter) on top, then one header
// row, the lines and a 合计 row; amounts are numbers in yuan with two decimals, text is neutralised so
// nothing a bank or a person typed can become a formula.
import { formatYuan } from '../domain/money';
import type ExcelJS from 'exceljs';
import { neutralise } from './csv';
import { BALANCE_AMOUNTS, type BalancesReport, type DirectedBalance, type LedgerDetail } from '../services/balances';
import type { FinancialStatements } from '../services/financial-statements';
import type { BankReconciliation, ReconItem } from '../services/bank-reconciliation';
import type { PackCover } from '../services/month-end-pack';
import type { DeferredRevenueRollForward } from '../services/deferred-revenue';
import { runText, statementLines } from './deferred-revenue-lines';
import type { VatData, VatFigures } from '../services/vat-data';
import { atomicWrite } from './file-out';

export interface ReportMeta {
  /** 编制单位 */
  company: string;
}

const MONEY = '#,##0.00';
const DIRECTION = { debit: '借', credit: '贷', flat: '平' } as const;

/** fen (integer string) → yuan as a number; exact to the cent as Excel shows it. */
export const yuan = (fen: string | bigint): number => Number(fen) / 100;
/** Text as a cell: nothing a person or a bank typed can become a formula. */
export const text = (s: string | null | undefined): string => neutralise(s ?? '');

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(s: string): string {
  return s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
}

export interface Column {
  header: string;
  width: number;
  money?: boolean;
}

/** Title, company and period rows, then the header; returns the sheet. */
export function start(wb: ExcelJS.Workbook, name: string, title: string, lines: string[], columns: Column[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(sheetName(name), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = columns.map((c, i) => ({ key: String(i), width: c.width, ...(c.money ? { style: { numFmt: MONEY } } : {}) }));
  const t = ws.addRow([text(title)]);
  t.font = { bold: true, size: 14 };
  ws.mergeCells(t.number, 1, t.number, columns.length);
  t.alignment = { horizontal: 'center' };
  for (const l of lines) {
    const r = ws.addRow([text(l)]);
    ws.mergeCells(r.number, 1, r.number, columns.length);
  }
  const h = ws.addRow(columns.map((c) => c.header));
  h.font = { bold: true };
  h.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } }));
  ws.views = [{ state: 'frozen', ySplit: h.number }];
  return ws;
}

/** Two-decimal format on a row's money columns. */
export function money(ws: ExcelJS.Worksheet, row: ExcelJS.Row, columns: Column[]): void {
  columns.forEach((c, i) => {
    if (c.money) row.getCell(i + 1).numFmt = MONEY;
  });
  void ws;
}

/** A bold row (合计), money columns formatted. */
export function totalRow(ws: ExcelJS.Worksheet, values: (string | number | null)[], columns: Column[]): ExcelJS.Row {
  const r = ws.addRow(values);
  r.font = { bold: true };
  money(ws, r, columns);
  return r;
}

// ——— 科目余额表 ———

export const BALANCES_COLUMNS: Column[] = [
  { header: '科目编码 Code', width: 12 },
  { header: '科目名称 Subject', width: 32 },
  { header: '期初借方 Opening debit', width: 17, money: true },
  { header: '期初贷方 Opening credit', width: 17, money: true },
  { header: '本期借方 Debit', width: 17, money: true },
  { header: '本期贷方 Credit', width: 17, money: true },
  { header: '期末借方 Closing debit', width: 17, money: true },
  { header: '期末贷方 Closing credit', width: 17, money: true },
];

export function addBalancesSheet(wb: ExcelJS.Workbook, r: BalancesReport, meta: ReportMeta): ExcelJS.Worksheet {
  const ws = start(
    wb,
    `科目余额表 ${r.month}`,
    '科目余额表 Trial balance by period',
    [
      `编制单位 Company: ${meta.company}`,
      `期间 Period: ${r.month} (${r.from} 至 ${r.to}，按记账日期 by business date)\u3000单位 Unit: 元 CNY`,
    ],
    BALANCES_COLUMNS,
  );
  for (const l of r.lines) {
    const row = ws.addRow([text(l.code), text(`${'\u3000'.repeat(l.level - 1)}${l.name}`), ...BALANCE_AMOUNTS.map((k) => yuan(l[k]))]);
    if (l.level === 1) row.font = { bold: true };
  }
  totalRow(ws, ['合计 Total', null, ...BALANCE_AMOUNTS.map((k) => yuan(r.totals[k]))], BALANCES_COLUMNS);
  if (!r.balanced) ws.addRow(['借贷不平 Debits and credits do not agree']).font = { bold: true, color: { argb: 'FFC00000' } };
  return ws;
}

// ——— 明细账 / 银行存款日记账 ———

const dirText = (b: DirectedBalance) => DIRECTION[b.direction];

export const LEDGER_COLUMNS: Column[] = [
  { header: '日期 Date', width: 12 },
  { header: '凭证字号 Voucher', width: 17 },
  { header: '摘要 Summary', width: 36 },
  { header: '对方科目 Other side', width: 26 },
  { header: '借方 Debit', width: 16, money: true },
  { header: '贷方 Credit', width: 16, money: true },
  { header: '方向 Dr/Cr', width: 9 },
  { header: '余额 Balance', width: 17, money: true },
];

export function addLedgerDetailSheet(wb: ExcelJS.Workbook, d: LedgerDetail, meta: ReportMeta): ExcelJS.Worksheet {
  const bank = d.kind === 'bank' && d.bankAccount;
  const columns = bank
    ? [...LEDGER_COLUMNS.slice(0, 4), { header: '对方户名 Counterparty', width: 30 }, ...LEDGER_COLUMNS.slice(4)]
    : LEDGER_COLUMNS;
  const subject = `${d.code ?? ''} ${d.name}`.trim();
  const ws = start(
    wb,
    `${bank ? '银行日记账' : '明细账'} ${d.code ?? ''} ${d.month}`,
    bank ? '银行存款日记账 Bank deposit journal' : '明细账 Subsidiary ledger',
    [
      `编制单位 Company: ${meta.company}`,
      bank ? `银行账户 Bank account: ${d.bankAccount!.bankName} ${d.bankAccount!.accountNumber}（${subject}）` : `科目 Subject: ${subject}`,
      `期间 Period: ${d.month} (${d.from} 至 ${d.to})\u3000单位 Unit: 元 CNY`,
    ],
    columns,
  );
  // The opening balance and the two totals: a day, a label, the balance after, and what was moved.
  const summary = (day: string, label: string, balance: DirectedBalance, moved?: { debit: string; credit: string }) => [
    day,
    null,
    label,
    null,
    ...(bank ? [null] : []),
    moved ? yuan(moved.debit) : null,
    moved ? yuan(moved.credit) : null,
    dirText(balance),
    yuan(balance.amount),
  ];
  ws.addRow(summary(d.from, '期初余额 Opening balance', d.opening)).font = { italic: true };
  for (const l of d.lines)
    ws.addRow([
      l.date,
      text(l.voucher),
      text(l.summary),
      text(`${l.otherCode ?? ''} ${l.otherName}`.trim()),
      ...(bank ? [text(l.counterparty)] : []),
      yuan(l.debit),
      yuan(l.credit),
      dirText(l.balance),
      yuan(l.balance.amount),
    ]);
  totalRow(ws, summary(d.to, '本月合计 Month total', d.monthTotal.closing, d.monthTotal), columns);
  totalRow(ws, summary(d.to, '本年累计 Year to date', d.yearTotal.closing, d.yearTotal), columns);
  if (d.lines.length < d.lineCount)
    ws.addRow([
      `仅列出第 ${d.offset + 1}–${d.offset + d.lines.length} 行，共 ${d.lineCount} 行 Lines ${d.offset + 1}–${d.offset + d.lines.length} of ${d.lineCount}`,
    ]);
  return ws;
}

// ——— 资产负债表 and 利润表 ———

const BS_COLUMNS: Column[] = [
  { header: '科目编码 Code', width: 12 },
  { header: '项目 Item', width: 34 },
  { header: '期末余额 Closing', width: 18, money: true },
  { header: '年初余额 Start of year', width: 18, money: true },
];
const IS_COLUMNS: Column[] = [
  { header: '科目编码 Code', width: 12 },
  { header: '项目 Item', width: 34 },
  { header: '本月数 This month', width: 18, money: true },
  { header: '本年累计数 Year to date', width: 18, money: true },
];

/** Adds 资产负债表 and 利润表; returns both sheets. */
export function addFinancialStatementsSheets(
  wb: ExcelJS.Workbook,
  f: FinancialStatements,
  meta: ReportMeta,
): [ExcelJS.Worksheet, ExcelJS.Worksheet] {
  const bs = f.balanceSheet;
  const b = start(
    wb,
    `资产负债表 ${f.month}`,
    '资产负债表 Balance sheet（简化 simplified）',
    [`编制单位 Company: ${meta.company}`, `日期 As of: ${f.asOf}（年初 start of year ${f.yearStart}）\u3000单位 Unit: 元 CNY`],
    BS_COLUMNS,
  );
  const section = (title: string) => (b.addRow([null, text(title)]).font = { bold: true });
  const items = (xs: { code: string; name: string; closing: string; yearOpening: string }[]) => {
    for (const x of xs) b.addRow([text(x.code), text(`\u3000${x.name}`), yuan(x.closing), yuan(x.yearOpening)]);
  };
  section('资产 Assets');
  items(bs.assets);
  totalRow(b, [null, '资产合计 Total assets', yuan(bs.totals.assets.closing), yuan(bs.totals.assets.yearOpening)], BS_COLUMNS);
  section('负债 Liabilities');
  items(bs.liabilities);
  totalRow(
    b,
    [null, '负债合计 Total liabilities', yuan(bs.totals.liabilities.closing), yuan(bs.totals.liabilities.yearOpening)],
    BS_COLUMNS,
  );
  section('所有者权益 Equity');
  items(bs.equity);
  b.addRow([
    null,
    '\u3000未结转损益（本年利润）Profit not yet closed',
    yuan(bs.unclosedProfit.closing),
    yuan(bs.unclosedProfit.yearOpening),
  ]);
  totalRow(b, [null, '所有者权益合计 Total equity', yuan(bs.totals.equity.closing), yuan(bs.totals.equity.yearOpening)], BS_COLUMNS);
  totalRow(
    b,
    [
      null,
      '负债和所有者权益合计 Total liabilities and equity',
      yuan(bs.totals.liabilitiesAndEquity.closing),
      yuan(bs.totals.liabilitiesAndEquity.yearOpening),
    ],
    BS_COLUMNS,
  );
  if (!bs.balanced)
    b.addRow([null, `不平衡 Does not balance: ${formatYuan(Number(bs.difference))}`]).font = { bold: true, color: { argb: 'FFC00000' } };

  const is = f.incomeStatement;
  const i = start(
    wb,
    `利润表 ${f.month}`,
    '利润表 Income statement（简化 simplified）',
    [`编制单位 Company: ${meta.company}`, `期间 Period: ${f.month}（本年 year from ${f.yearStart}）\u3000单位 Unit: 元 CNY`],
    IS_COLUMNS,
  );
  const lines = (title: string, xs: { code: string; name: string; month: string; year: string }[]) => {
    i.addRow([null, text(title)]).font = { bold: true };
    for (const x of xs) i.addRow([text(x.code), text(`\u3000${x.name}`), yuan(x.month), yuan(x.year)]);
  };
  lines('收入 Revenue', is.revenue);
  totalRow(i, [null, '收入合计 Total revenue', yuan(is.totals.revenue.month), yuan(is.totals.revenue.year)], IS_COLUMNS);
  lines('费用 Expenses', is.expenses);
  totalRow(i, [null, '费用合计 Total expenses', yuan(is.totals.expenses.month), yuan(is.totals.expenses.year)], IS_COLUMNS);
  totalRow(i, [null, '利润 Profit', yuan(is.totals.profit.month), yuan(is.totals.profit.year)], IS_COLUMNS);
  return [b, i];
}

// ——— 银行存款余额调节表 ———

const RECON_COLUMNS: Column[] = [
  { header: '项目 Item', width: 40 },
  { header: '日期 Date', width: 12 },
  { header: '凭证 / 流水 Voucher / line', width: 24 },
  { header: '摘要 Description', width: 36 },
  { header: '金额 Amount', width: 18, money: true },
];

export const RECON_KINDS = [
  ['bankReceivedBooksNot', '加：银行已收、企业未收 Add: received by the bank, not in the books'],
  ['bankPaidBooksNot', '减：银行已付、企业未付 Less: paid by the bank, not in the books'],
  ['booksReceivedBankNot', '加：企业已收、银行未收 Add: received in the books, not by the bank'],
  ['booksPaidBankNot', '减：企业已付、银行未付 Less: paid in the books, not by the bank'],
] as const;

const itemRef = (x: ReconItem) => x.voucher ?? (x.statementFile ? `${x.statementFile} #${x.lineNo}` : '');

export function addBankReconciliationSheet(wb: ExcelJS.Workbook, r: BankReconciliation, meta: ReportMeta): ExcelJS.Worksheet {
  const ws = start(
    wb,
    `余额调节表 ${r.bankAccount.accountNumber.slice(-4)} ${r.month}`,
    '银行存款余额调节表 Bank reconciliation statement',
    [
      `编制单位 Company: ${meta.company}`,
      `银行账户 Bank account: ${r.bankAccount.bankName} ${r.bankAccount.accountNumber}${r.bankAccount.subjectCode ? `（${r.bankAccount.subjectCode} ${r.bankAccount.subjectName ?? ''}）` : ''}`,
      `截至 As of: ${r.asOf}\u3000对账单 Statement: ${r.statement ? `${r.statement.fileName}，期末 closing ${r.statement.closingDate}` : '无 none closing by the month end'}\u3000单位 Unit: 元 CNY`,
    ],
    RECON_COLUMNS,
  );
  const head = (label: string, fen: string | null) => {
    const row = ws.addRow([text(label), null, null, null, fen === null ? null : yuan(fen)]);
    row.font = { bold: true };
  };
  const kind = (k: (typeof RECON_KINDS)[number][0], label: string) => {
    head(label, r.sums[k]);
    for (const x of r[k]) ws.addRow([null, x.date, text(itemRef(x)), text(x.description), yuan(x.amount)]);
  };
  head('企业银行存款日记账余额 Books balance', r.booksBalance);
  kind('bankReceivedBooksNot', RECON_KINDS[0][1]);
  kind('bankPaidBooksNot', RECON_KINDS[1][1]);
  totalRow(ws, ['调节后的存款余额 Adjusted books balance', null, null, null, yuan(r.booksAdjusted)], RECON_COLUMNS);
  ws.addRow([]);
  head('银行对账单余额 Statement balance', r.statement?.closingAmount ?? null);
  kind('booksReceivedBankNot', RECON_KINDS[2][1]);
  kind('booksPaidBankNot', RECON_KINDS[3][1]);
  totalRow(
    ws,
    ['调节后的存款余额 Adjusted statement balance', null, null, null, r.bankAdjusted === null ? null : yuan(r.bankAdjusted)],
    RECON_COLUMNS,
  );
  ws.addRow([]);
  const verdict = ws.addRow([
    r.balanced
      ? '两方调节后余额相等 The adjusted balances agree'
      : r.difference === null
        ? '无对账单，无法调节 No statement to reconcile with'
        : `差额 Difference (books − statement)`,
    null,
    null,
    null,
    r.difference === null || r.balanced ? null : yuan(r.difference),
  ]);
  verdict.font = { bold: true, ...(r.balanced ? {} : { color: { argb: 'FFC00000' } }) };
  ws.addRow([]);
  ws.addRow(['编制人 Prepared by: ______________', null, '复核人 Reviewed by: ______________']);
  return ws;
}

// ——— 递延收入变动表 ———

const DEFERRED_COLUMNS: Column[] = [
  { header: '项目 Item', width: 56 },
  { header: '金额 Amount', width: 20, money: true },
];

export function addDeferredRevenueSheet(wb: ExcelJS.Workbook, r: DeferredRevenueRollForward, meta: ReportMeta): ExcelJS.Worksheet {
  const ws = start(
    wb,
    `递延收入变动表 ${r.month}`,
    '合同负债 递延收入变动表 Deferred revenue roll-forward',
    [
      `编制单位 Company: ${meta.company}`,
      `期间 Period: ${r.month} (${r.from} 至 ${r.to}，按记账日期 by business date)\u3000科目 Subject: ${r.subject.code} ${r.subject.name}\u3000单位 Unit: 元 CNY`,
    ],
    DEFERRED_COLUMNS,
  );
  for (const l of statementLines(r)) {
    const label = l.kind === 'sub' ? `\u3000${l.zh} ${l.en}` : `${l.zh} ${l.en}`;
    const row = ws.addRow([text(label), yuan(l.amount)]);
    money(ws, row, DEFERRED_COLUMNS);
    if (l.kind === 'total') row.font = { bold: true };
    if (l.kind === 'tie') row.font = { bold: true, ...(l.amount === '0' ? {} : { color: { argb: 'FFC00000' } }) };
  }
  const run = runText(r);
  ws.addRow([text(`${run.zh} ${run.en}`)]);
  ws.addRow([]);
  ws.addRow(['编制人 Prepared by: ______________', '复核人 Reviewed by: ______________']);
  return ws;
}

// ——— 增值税申报数据 ———

export const VAT_COLUMNS: Column[] = [
  { header: '税率 Rate', width: 26 },
  { header: '蓝字发票金额 Blue invoices, amount', width: 17, money: true },
  { header: '蓝字发票税额 Blue invoices, tax', width: 15, money: true },
  { header: '红字发票金额 Red-letter, amount', width: 17, money: true },
  { header: '红字发票税额 Red-letter, tax', width: 15, money: true },
  { header: '开票销售额 Invoiced sales', width: 17, money: true },
  { header: '开票税额 Invoiced tax', width: 15, money: true },
  { header: '未开票销售额 Uninvoiced sales', width: 17, money: true },
  { header: '未开票税额 Uninvoiced tax', width: 15, money: true },
  { header: '销售额合计 Total sales', width: 17, money: true },
  { header: '销项税额合计 Total output tax', width: 17, money: true },
];

const vatCells = (f: VatFigures) => [f.blue, f.red, f.invoiced, f.uninvoiced, f.total].flatMap((p) => [yuan(p.net), yuan(p.tax)]);

export function addVatDataSheet(wb: ExcelJS.Workbook, d: VatData, meta: ReportMeta): ExcelJS.Worksheet {
  const ws = start(
    wb,
    `增值税申报数据 ${d.month}`,
    '增值税申报数据 VAT data for the return',
    [
      `编制单位 Company: ${meta.company}`,
      `期间 Period: ${d.month} (${d.from} 至 ${d.to})\u3000金额不含税 amounts exclude tax\u3000单位 Unit: 元 CNY`,
    ],
    VAT_COLUMNS,
  );
  for (const r of d.rows) ws.addRow([text(r.percent), ...vatCells(r)]);
  totalRow(ws, ['合计 Total', ...vatCells(d.totals)], VAT_COLUMNS);
  ws.addRow([]);
  const nt = d.notTaxable;
  const ntRow = ws.addRow([
    '不征税 预付卡销售和充值 Not subject to VAT (prepaid value)',
    yuan(nt.blue),
    null,
    yuan(nt.red),
    null,
    yuan(nt.net),
  ]);
  money(ws, ntRow, VAT_COLUMNS);
  ws.addRow([]);
  const tie = (label: string, fen: string) =>
    money(ws, ws.addRow([text(label), null, null, null, null, null, null, null, null, null, yuan(fen)]), VAT_COLUMNS);
  tie('销项税额合计 Output tax in this report', d.tie.outputTax);
  tie('222101 本月贷方 Credits in the month', d.tie.booksCredit);
  tie('222101 本月借方 Debits in the month', d.tie.booksDebit);
  tie('222101 账面销项税额（贷方 − 借方）Books (credits − debits)', d.tie.books);
  const verdict = ws.addRow([
    d.tie.ok ? '与账面相符 Agrees with the books' : '差额 Difference (report − books)',
    ...Array<null>(9).fill(null),
    d.tie.ok ? null : yuan(d.tie.difference),
  ]);
  money(ws, verdict, VAT_COLUMNS);
  verdict.font = { bold: true, ...(d.tie.ok ? {} : { color: { argb: 'FFC00000' } }) };
  ws.addRow([
    text(
      d.run.id === null
        ? `收入确认 Revenue run: 未过账 not posted (${d.run.state})，未开票收入为零 uninvoiced sales are zero`
        : `收入确认 Revenue run #${d.run.id} ${d.run.voucher ?? ''} (${d.run.state}, ${d.run.percent ?? ''})`,
    ),
  ]);
  return ws;
}

// ——— writing ———

/** Writes a workbook to `target` (temporary file, renamed into place) with the witness in its description. */
// ——— 月结包封面 ———

export const PERIOD_STATE_NAMES = { open: '未结账 open', closing: '结账待确认 closing', closed: '已结账 closed' } as const;

/** The month-end pack's cover: what the pack is of, the month's state, who made it, and its sheets. */
export function fillPackCover(ws: ExcelJS.Worksheet, c: PackCover): void {
  ws.columns = [{ width: 26 }, { width: 70 }];
  const title = ws.addRow([`月结包 Month-end pack ${c.month}`]);
  title.font = { bold: true, size: 16 };
  ws.mergeCells(title.number, 1, title.number, 2);
  const rows: [string, string][] = [
    ['编制单位 Company', c.company || '—'],
    ['期间 Period', c.month],
    ['结账状态 Period state', PERIOD_STATE_NAMES[c.state]],
    ['结账人 Closed by', c.closedBy ?? '—'],
    ['确认人 Confirmed by', c.confirmedBy ?? '—'],
    ['结账检查 Close checks', `${c.checks} 项全部通过 all ${c.checks} pass`],
    ['编制人 Prepared by', c.preparedBy],
    ['编制时间 Prepared at', c.preparedAt],
    ['账簿指纹 Books witness', c.witness ?? '—'],
  ];
  for (const [k, v] of rows) ws.addRow([k, text(v)]).getCell(1).font = { bold: true };
  ws.addRow([]);
  ws.addRow(['目录 Contents']).font = { bold: true };
  c.contents.forEach((name, i) => ws.addRow([`${i + 1}`, text(name)]));
}

export async function writeReportFile(
  target: string,
  wb: ExcelJS.Workbook,
  witness: string | null,
): Promise<{ path: string; bytes: number }> {
  if (witness) wb.description = witness;
  const written = await atomicWrite(target, async (tmp) => {
    await wb.xlsx.writeFile(tmp);
  });
  return written;
}
