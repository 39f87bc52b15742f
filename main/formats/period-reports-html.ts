// The month-end reports as printable pages: self-contained HTML (no scripts, no external resources) that
// the print port turns into a PDF (Electron's printToPDF in the console, Chromium's in tests) and the CLI
// writes as it is. Each page names the report, the company and the period on top; the page margins carry
// the page number (第 n 页 / 共 m 页) and who printed it when. Amounts in yuan with two decimals.
import { BALANCE_AMOUNTS, type BalancesReport, type DirectedBalance, type LedgerDetail } from '../services/balances';
import type { BankReconciliation, ReconItem } from '../services/bank-reconciliation';
import type { FinancialStatements } from '../services/financial-statements';
import type { PackCover } from '../services/month-end-pack';
import type { DeferredRevenueRollForward } from '../services/deferred-revenue';
import { runText, statementLines } from './deferred-revenue-lines';
import type { VatData, VatFigures } from '../services/vat-data';

export interface PrintMeta {
  /** 编制单位; empty prints a blank to fill in by hand. */
  company: string;
  printedBy: string;
  /** 'YYYY-MM-DD HH:mm' (Asia/Shanghai) */
  printedAt: string;
}

/** Text for HTML: & < > " ' escaped. */
export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const cssText = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ');

/** fen (integer string) → "1,288.00"; zero as an empty cell where `blankZero`. */
export function yuanText(fen: string, blankZero = false): string {
  const n = BigInt(fen);
  if (n === 0n && blankZero) return '';
  const neg = n < 0n;
  const a = neg ? -n : n;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}
const DIR = { debit: '借', credit: '贷', flat: '平' } as const;
const num = (fen: string, blankZero = true) => `<td class="num">${yuanText(fen, blankZero)}</td>`;
const dir = (b: DirectedBalance) => `<td class="dir">${DIR[b.direction]}</td>`;

/** One report's part of a printed document: its title, the line under it, its body and the page's orientation. */
export interface PrintSection {
  title: string;
  subtitle: string[];
  body: string;
  landscape?: boolean;
}

/** Sections as one document: each starts on a new page (landscape ones on landscape pages); the page margins
 *  number the pages of the whole document and say who printed it when. */
export function printDocument(sections: PrintSection[], meta: PrintMeta, title = sections[0]?.title ?? ''): string {
  const footer = `打印人 Printed by ${meta.printedBy} · ${meta.printedAt}`;
  const section = (s: PrintSection) => `<section${s.landscape ? ' class="wide"' : ''}>
<h1>${esc(s.title)}</h1>
<div class="sub">${s.subtitle.map((x) => `<span>${esc(x)}</span>`).join('')}</div>
${s.body}
</section>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
  @page { size: A4 portrait; margin: 16mm 12mm 16mm 12mm;
    @bottom-left { content: "${cssText(footer)}"; font-size: 9px; color: #555; }
    @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 9px; color: #555; } }
  @page wide { size: A4 landscape; }
  section.wide { page: wide; } section + section { break-before: page; }
  body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #111; margin: 0; font-size: 11px; }
  h1 { font-size: 18px; text-align: center; margin: 0 0 6px; letter-spacing: 2px; }
  .sub { display: flex; justify-content: space-between; margin-bottom: 8px; color: #333; }
  table { border-collapse: collapse; width: 100%; } thead { display: table-header-group; } tr { page-break-inside: avoid; }
  th, td { border: 1px solid #999; padding: 3px 6px; } th { background: #f2f2f2; font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.dir { text-align: center; width: 28px; }
  tr.total td { font-weight: 700; background: #fafafa; } tr.l1 td { font-weight: 600; } tr.section td { font-weight: 700; background: #f7f7f7; }
  .bad { color: #b00; font-weight: 700; margin-top: 8px; } .ok { color: #060; font-weight: 700; margin-top: 8px; }
  .sign { display: flex; justify-content: space-around; margin-top: 28px; font-size: 12px; } .sign span { min-width: 200px; border-bottom: 1px solid #333; padding-bottom: 2px; }
  .screen-footer { margin-top: 12px; color: #666; font-size: 9px; }
  @media print { .screen-footer { display: none; } }
</style></head><body>
${sections.map(section).join('\n')}
<div class="screen-footer">${esc(footer)}</div>
</body></html>`;
}

const company = (m: PrintMeta) => `编制单位：${m.company || '________________'}`;

export function balancesSections(r: BalancesReport, meta: PrintMeta): PrintSection[] {
  const rows = r.lines
    .map(
      (l) =>
        `<tr class="${l.level === 1 ? 'l1' : ''}"><td>${esc(l.code)}</td><td>${'&emsp;'.repeat(l.level - 1)}${esc(l.name)}</td>${BALANCE_AMOUNTS.map((k) => num(l[k])).join('')}</tr>`,
    )
    .join('\n');
  const t = r.totals;
  const body = `<table><thead>
<tr><th rowspan="2">科目编码</th><th rowspan="2">科目名称</th><th colspan="2">期初余额</th><th colspan="2">本期发生额</th><th colspan="2">期末余额</th></tr>
<tr><th>借方</th><th>贷方</th><th>借方</th><th>贷方</th><th>借方</th><th>贷方</th></tr></thead><tbody>
${rows}
<tr class="total"><td colspan="2">合计</td>${BALANCE_AMOUNTS.map((k) => num(t[k], false)).join('')}</tr>
</tbody></table>
${r.balanced ? '' : '<div class="bad">借贷不平衡</div>'}`;
  return [{ title: '科目余额表', subtitle: [company(meta), `期间：${r.from} 至 ${r.to}`, '单位：元'], body, landscape: true }];
}

export function ledgerDetailSections(d: LedgerDetail, meta: PrintMeta): PrintSection[] {
  const bank = d.kind === 'bank' && d.bankAccount;
  const rows = d.lines
    .map(
      (l) =>
        `<tr><td>${esc(l.date)}</td><td>${esc(l.voucher ?? '')}</td><td>${esc(l.summary)}</td><td>${esc(`${l.otherCode ?? ''} ${l.otherName}`.trim())}</td>${bank ? `<td>${esc(l.counterparty ?? '')}</td>` : ''}${num(l.debit)}${num(l.credit)}${dir(l.balance)}${num(l.balance.amount, false)}</tr>`,
    )
    .join('\n');
  const span = bank ? 5 : 4;
  const body = `<table><thead><tr><th>日期</th><th>凭证字号</th><th>摘要</th><th>对方科目</th>${bank ? '<th>对方户名</th>' : ''}<th>借方</th><th>贷方</th><th>方向</th><th>余额</th></tr></thead><tbody>
<tr class="section"><td>${esc(d.from)}</td><td colspan="${span - 1}">期初余额</td><td></td><td></td>${dir(d.opening)}${num(d.opening.amount, false)}</tr>
${rows}
<tr class="total"><td>${esc(d.to)}</td><td colspan="${span - 1}">本月合计</td>${num(d.monthTotal.debit, false)}${num(d.monthTotal.credit, false)}${dir(d.monthTotal.closing)}${num(d.monthTotal.closing.amount, false)}</tr>
<tr class="total"><td>${esc(d.to)}</td><td colspan="${span - 1}">本年累计</td>${num(d.yearTotal.debit, false)}${num(d.yearTotal.credit, false)}${dir(d.yearTotal.closing)}${num(d.yearTotal.closing.amount, false)}</tr>
</tbody></table>`;
  const what = bank ? `账户：${d.bankAccount!.bankName} ${d.bankAccount!.accountNumber}` : `科目：${d.code ?? ''} ${d.name}`;
  const title = bank ? '银行存款日记账' : '明细账';
  return [{ title, subtitle: [company(meta), what, `期间：${d.from} 至 ${d.to}`, '单位：元'], body, landscape: true }];
}

export function financialStatementsSections(f: FinancialStatements, meta: PrintMeta): PrintSection[] {
  const bs = f.balanceSheet;
  const item = (x: { code: string; name: string; closing: string; yearOpening: string }) =>
    `<tr><td>${esc(x.code)}</td><td>&emsp;${esc(x.name)}</td>${num(x.closing, false)}${num(x.yearOpening, false)}</tr>`;
  const total = (label: string, p: { closing: string; yearOpening: string }) =>
    `<tr class="total"><td></td><td>${esc(label)}</td>${num(p.closing, false)}${num(p.yearOpening, false)}</tr>`;
  const section = (label: string) => `<tr class="section"><td></td><td colspan="3">${esc(label)}</td></tr>`;
  const bsBody = `<table><thead><tr><th>科目编码</th><th>项目</th><th>期末余额</th><th>年初余额</th></tr></thead><tbody>
${section('资产')}${bs.assets.map(item).join('')}${total('资产合计', bs.totals.assets)}
${section('负债')}${bs.liabilities.map(item).join('')}${total('负债合计', bs.totals.liabilities)}
${section('所有者权益')}${bs.equity.map(item).join('')}<tr><td></td><td>&emsp;未结转损益（本年利润）</td>${num(bs.unclosedProfit.closing, false)}${num(bs.unclosedProfit.yearOpening, false)}</tr>
${total('所有者权益合计', bs.totals.equity)}${total('负债和所有者权益合计', bs.totals.liabilitiesAndEquity)}
</tbody></table>
${bs.balanced ? '<div class="ok">资产 = 负债 + 所有者权益</div>' : `<div class="bad">不平衡，差额 ${yuanText(bs.difference)}</div>`}`;
  const is = f.incomeStatement;
  const line = (x: { code: string; name: string; month: string; year: string }) =>
    `<tr><td>${esc(x.code)}</td><td>&emsp;${esc(x.name)}</td>${num(x.month, false)}${num(x.year, false)}</tr>`;
  const tot = (label: string, p: { month: string; year: string }) =>
    `<tr class="total"><td></td><td>${esc(label)}</td>${num(p.month, false)}${num(p.year, false)}</tr>`;
  const isBody = `<table><thead><tr><th>科目编码</th><th>项目</th><th>本月数</th><th>本年累计数</th></tr></thead><tbody>
${section('收入')}${is.revenue.map(line).join('')}${tot('收入合计', is.totals.revenue)}
${section('费用')}${is.expenses.map(line).join('')}${tot('费用合计', is.totals.expenses)}
${tot('利润', is.totals.profit)}
</tbody></table>`;
  return [
    { title: '资产负债表（简化）', subtitle: [company(meta), `日期：${f.asOf}`, '单位：元'], body: bsBody },
    { title: '利润表（简化）', subtitle: [company(meta), `期间：${f.month}（本年自 ${f.yearStart}）`, '单位：元'], body: isBody },
  ];
}

const KINDS = [
  ['bankReceivedBooksNot', '加：银行已收、企业未收'],
  ['bankPaidBooksNot', '减：银行已付、企业未付'],
  ['booksReceivedBankNot', '加：企业已收、银行未收'],
  ['booksPaidBankNot', '减：企业已付、银行未付'],
] as const;

function reconSide(r: BankReconciliation, kinds: readonly (typeof KINDS)[number][]): string {
  const ref = (x: ReconItem) => x.voucher ?? (x.statementFile ? `${x.statementFile} 第${x.lineNo}行` : '');
  return kinds
    .map(
      ([k, label]) =>
        `<tr class="section"><td colspan="3">${label}</td>${num(r.sums[k], false)}</tr>` +
        (r[k].length
          ? r[k]
              .map((x) => `<tr><td>${esc(x.date)}</td><td>${esc(ref(x))}</td><td>${esc(x.description)}</td>${num(x.amount, false)}</tr>`)
              .join('')
          : '<tr><td colspan="4" style="color:#888">无</td></tr>'),
    )
    .join('\n');
}

export function bankReconciliationSections(list: BankReconciliation[], meta: PrintMeta): PrintSection[] {
  const one = (r: BankReconciliation, i: number) => `${i ? '<div style="page-break-before: always"></div>' : ''}
<div class="sub"><span>账户：${esc(r.bankAccount.bankName)} ${esc(r.bankAccount.accountNumber)}${r.bankAccount.subjectCode ? `（${esc(r.bankAccount.subjectCode)}）` : ''}</span>
<span>对账单：${r.statement ? `${esc(r.statement.fileName)}，截至 ${esc(r.statement.closingDate)}` : '无（月末前没有带期末余额的对账单）'}</span></div>
<table><thead><tr><th style="width:80px">日期</th><th style="width:150px">凭证 / 流水</th><th>摘要</th><th style="width:110px">金额</th></tr></thead><tbody>
<tr class="total"><td colspan="3">企业银行存款日记账余额</td>${num(r.booksBalance, false)}</tr>
${reconSide(r, KINDS.slice(0, 2))}
<tr class="total"><td colspan="3">调节后的存款余额</td>${num(r.booksAdjusted, false)}</tr>
<tr class="total"><td colspan="3">银行对账单余额</td>${r.statement ? num(r.statement.closingAmount, false) : '<td class="num">—</td>'}</tr>
${reconSide(r, KINDS.slice(2))}
<tr class="total"><td colspan="3">调节后的存款余额</td>${r.bankAdjusted === null ? '<td class="num">—</td>' : num(r.bankAdjusted, false)}</tr>
</tbody></table>
${r.balanced ? '<div class="ok">调节后余额相等</div>' : r.difference === null ? '<div class="bad">没有对账单，无法调节</div>' : `<div class="bad">调节后余额不等，差额（账面 − 银行）${yuanText(r.difference)}</div>`}
<div class="sign"><span>编制人：</span><span>复核人：</span></div>`;
  const month = list[0]?.asOf ?? '';
  return [{ title: '银行存款余额调节表', subtitle: [company(meta), `截至：${month}`, '单位：元'], body: list.map(one).join('\n') }];
}

const STATE = { open: '未结账', closing: '结账待确认', closed: '已结账' } as const;

/** The pack's first page: what it is of, the month's state and who closed it, its contents, the sign lines. */
export function packCoverSection(c: PackCover): PrintSection {
  const row = (k: string, v: string) => `<tr><th style="width:160px;text-align:left">${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const body = `<table><tbody>
${row('编制单位', c.company || '________________')}${row('期间', c.month)}${row('结账状态', STATE[c.state])}
${row('结账人', c.closedBy ?? '—')}${row('确认人', c.confirmedBy ?? '—')}${row('结账检查', `${c.checks} 项全部通过`)}
${row('编制人', c.preparedBy)}${row('编制时间', c.preparedAt)}${row('账簿指纹', c.witness ?? '—')}
</tbody></table>
<h2 style="font-size:14px;margin:16px 0 6px">目录</h2>
<table><tbody>${c.contents.map((t, i) => `<tr><td style="width:40px;text-align:center">${i + 1}</td><td>${esc(t)}</td></tr>`).join('')}</tbody></table>
<div class="sign"><span>编制人：</span><span>复核人：</span><span>财务负责人：</span></div>`;
  return { title: `月结包 ${c.month}`, subtitle: [`编制单位：${c.company || '________________'}`, `期间：${c.month}`], body };
}

export function deferredRevenueSections(r: DeferredRevenueRollForward, meta: PrintMeta): PrintSection[] {
  const rows = statementLines(r)
    .map((l) => {
      const cls = l.kind === 'total' || l.kind === 'tie' ? ' class="total"' : '';
      const label = l.kind === 'sub' ? `&emsp;${esc(l.zh)}` : esc(l.zh);
      const amount =
        l.kind === 'tie' && l.amount !== '0' ? `<td class="num" style="color:#b00">${yuanText(l.amount)}</td>` : num(l.amount, false);
      return `<tr${cls}><td>${label}</td>${amount}</tr>`;
    })
    .join('\n');
  const tied = r.difference === '0';
  const body = `<table><thead><tr><th>项目</th><th style="width:160px">金额</th></tr></thead><tbody>
${rows}
</tbody></table>
${tied ? '<div class="ok">期末余额与账面余额相符</div>' : `<div class="bad">期末余额与账面余额不符，差额（账面 − 计算）${yuanText(r.difference)}</div>`}
<p>${esc(runText(r).zh)}</p>
<div class="sign"><span>编制人：</span><span>复核人：</span></div>`;
  const subtitle = [company(meta), `科目：${r.subject.code} ${r.subject.name}`, `期间：${r.from} 至 ${r.to}`, '单位：元'];
  return [{ title: '递延收入变动表', subtitle, body }];
}

const RUN_STATE: Record<VatData['run']['state'], string> = {
  current: '已确认',
  stale: '确认后有新的记账，需重新确认',
  missing: '未确认',
  not_needed: '本月无需确认',
};

export function vatDataSections(d: VatData, meta: PrintMeta): PrintSection[] {
  const cells = (f: VatFigures) =>
    [f.blue, f.red, f.invoiced, f.uninvoiced, f.total].map((p) => `${num(p.net, false)}${num(p.tax, false)}`).join('');
  const rows = d.rows.map((r) => `<tr><td>${esc(r.percent)}</td>${cells(r)}</tr>`).join('\n');
  const nt = d.notTaxable;
  const tie = (label: string, fen: string) => `<tr><td colspan="10">${esc(label)}</td>${num(fen, false)}</tr>`;
  const body = `<table><thead>
<tr><th rowspan="2">税率</th><th colspan="2">蓝字发票</th><th colspan="2">红字发票</th><th colspan="2">开票合计</th><th colspan="2">未开票收入</th><th colspan="2">合计</th></tr>
<tr>${'<th>销售额</th><th>税额</th>'.repeat(5)}</tr></thead><tbody>
${rows || '<tr><td colspan="11" style="color:#888">本月无应税销售</td></tr>'}
<tr class="total"><td>合计</td>${cells(d.totals)}</tr>
<tr class="section"><td>不征税（预付卡销售和充值）</td>${num(nt.blue, false)}<td></td>${num(nt.red, false)}<td></td>${num(nt.net, false)}<td colspan="5"></td></tr>
</tbody></table>
<table style="margin-top:10px"><tbody>
${tie('本表销项税额合计', d.tie.outputTax)}
${tie('222101 应交增值税（销项税额）本月贷方', d.tie.booksCredit)}
${tie('222101 应交增值税（销项税额）本月借方', d.tie.booksDebit)}
<tr class="total"><td colspan="10">账面销项税额（贷方 − 借方）</td>${num(d.tie.books, false)}</tr>
</tbody></table>
${d.tie.ok ? '<div class="ok">本表销项税额与账面相符</div>' : `<div class="bad">本表销项税额与账面不符，差额（本表 − 账面）${yuanText(d.tie.difference)}</div>`}
<p>收入确认：${d.run.id === null ? `${RUN_STATE[d.run.state]}（未开票收入按零列示）` : `${esc(d.run.voucher ?? '')}（${RUN_STATE[d.run.state]}，税率 ${esc(d.run.percent ?? '')}）`}。销售额不含税；红字为负数。</p>
<div class="sign"><span>编制人：</span><span>复核人：</span></div>`;
  return [{ title: '增值税申报数据', subtitle: [company(meta), `期间：${d.from} 至 ${d.to}`, '单位：元'], body, landscape: true }];
}
