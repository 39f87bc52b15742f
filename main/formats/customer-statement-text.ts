// The 客户对账单's words in Chinese and English: each line's 摘要 (the console shows the same text, so it
// is written once, here) and the labels of the workbook and the printed page. Pure: no I/O.
import type { CustomerStatement, StatementLine } from '../services/customer-statement';

export type StatementLang = 'zh-CN' | 'en';

const group = (n: string) => n.replace(/^(-?)(\d+)/, (_m, s: string, d: string) => s + d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
/** fen → "1,288.00" */
export function yuanText(fen: string): string {
  const n = BigInt(fen);
  const a = n < 0n ? -n : n;
  return `${n < 0n ? '-' : ''}${group(String(a / 100n))}.${String(a % 100n).padStart(2, '0')}`;
}
export const coinsText = (n: string) => group(n);

/** The line's 摘要 in a language. */
export function lineSummary(l: StatementLine, lang: StatementLang): string {
  const zh = lang === 'zh-CN';
  const d = l.detail;
  const bonus = d.bonusCoins && d.bonusCoins !== '0' ? d.bonusCoins : null;
  switch (l.kind) {
    case 'recharge':
      return zh
        ? `充值 ${yuanText(l.money)} 元，到账 ${coinsText(d.paidCoins ?? '0')} 币${bonus ? `，赠送 ${coinsText(bonus)} 币` : ''}`
        : `Recharge of ${yuanText(l.money)} yuan: ${coinsText(d.paidCoins ?? '0')} coins${bonus ? ` + ${coinsText(bonus)} bonus` : ''}`;
    case 'reversal':
      return zh
        ? `充值冲回，退回 ${coinsText(l.coinsOut)} 币，应退款 ${yuanText(l.money.replace('-', ''))} 元`
        : `Recharge reversed: ${coinsText(l.coinsOut)} coins back, ${yuanText(l.money.replace('-', ''))} yuan to refund`;
    case 'spend':
      return zh ? '平台消费' : 'Spent on the platform';
    case 'transfer':
      return zh ? `关联账户互转 ${l.account} → ${l.toAccount}` : `Moved between linked accounts ${l.account} → ${l.toAccount}`;
    case 'other':
      return d.reverses ? (zh ? '冲销（更正分录）' : 'Reversal of an entry') : zh ? '其他调整' : 'Other adjustment';
    case 'invoice':
      return zh
        ? `开具${d.invoiceType === 'special' ? '增值税专用发票' : '普通发票'}`
        : `${d.invoiceType === 'special' ? 'Special VAT invoice' : 'Ordinary invoice'} issued`;
    case 'redInvoice':
      return zh ? `红字发票，冲 ${d.original ?? ''}` : `Red-letter invoice reversing ${d.original ?? ''}`;
    case 'refundPaid':
      return zh
        ? `退款已支付 ${yuanText(d.refund ?? '0')} 元${d.bankRef ? `（银行流水 ${d.bankRef}）` : ''}`
        : `Refund of ${yuanText(d.refund ?? '0')} yuan paid${d.bankRef ? ` (bank serial ${d.bankRef})` : ''}`;
  }
}

export const STATEMENT_TEXT = {
  'zh-CN': {
    title: '客户对账单',
    detailTitle: '客户对账单明细',
    company: '单位名称',
    customer: '客户',
    idNumber: '证件号码',
    accounts: '账户',
    linked: '关联',
    notLinked: '未关联',
    period: '期间',
    periodText: (from: string, to: string) => `${from} 至 ${to}`,
    unit: '单位：元；币为充值币（不含收益币）',
    item: '项目',
    coins: '币',
    money: '金额（元）',
    valueNote: '币值按充值批次计算（每笔充值金额 ÷（到账币 + 赠送币），先进先出或加权平均，与收入确认一致）',
    columns: ['日期', '单据号', '凭证字号', '摘要', '账户', '收入币', '支出币', '币余额', '收付金额（元）', '开票金额（元）'],
    opening: '期初余额',
    total: '本期合计',
    closing: '期末余额',
    sign: ['编制人：', '复核人：', '客户确认：'],
    sheet: '对账单',
    sheetDetail: '明细',
    colon: '：',
  },
  en: {
    title: 'Customer statement',
    detailTitle: 'Customer statement: lines',
    company: 'Company',
    customer: 'Customer',
    idNumber: 'ID number',
    accounts: 'Accounts',
    linked: 'linked',
    notLinked: 'not linked',
    period: 'Period',
    periodText: (from: string, to: string) => `${from} to ${to}`,
    unit: 'Amounts in yuan; coins are recharge coins (earnings coins apart)',
    item: 'Item',
    coins: 'Coins',
    money: 'Yuan',
    valueNote:
      "Coins' value by recharge lots (each recharge's money ÷ (paid + bonus coins), FIFO or weighted average, as revenue recognition takes them)",
    columns: [
      'Date',
      'Document',
      'Voucher',
      'Summary',
      'Account',
      'Coins in',
      'Coins out',
      'Coin balance',
      'Money (yuan)',
      'Invoiced (yuan)',
    ],
    opening: 'Opening balance',
    total: 'Total for the period',
    closing: 'Closing balance',
    sign: ['Prepared by:', 'Reviewed by:', 'Confirmed by the customer:'],
    sheet: 'Statement',
    sheetDetail: 'Lines',
    colon: ': ',
  },
} as const;

/** One row of the figures: label, coins and yuan (fen) where they apply; `total` rows stand out. */
export interface FigureRow {
  label: string;
  coins: string | null;
  money: string | null;
  kind: 'line' | 'total' | 'head';
}

/** The figures top to bottom: the coins and their value rolled forward, then money, refunds and invoicing. */
export function figureRows(s: CustomerStatement, lang: StatementLang): FigureRow[] {
  const f = s.figures;
  const zh = lang === 'zh-CN';
  const row = (label: string, coins: string | null, money: string | null, kind: FigureRow['kind'] = 'line'): FigureRow => ({
    label,
    coins,
    money,
    kind,
  });
  return [
    row(zh ? '充值币及币值' : 'Coins and their value', null, null, 'head'),
    row(zh ? '期初余额' : 'Opening balance', f.opening.coins, f.opening.value, 'total'),
    row(zh ? `加：充值（${f.recharged.count} 笔）` : `Add: recharged (${f.recharged.count})`, f.recharged.coins, f.recharged.money),
    row(zh ? '加：赠送币' : 'Add: bonus coins', f.bonusCoins, null),
    row(zh ? '减：消费' : 'Less: spent', f.spent.coins, f.spent.value),
    row(zh ? '加：关联账户转入' : 'Add: moved in from linked accounts', f.transferred.in, null),
    row(zh ? '减：关联账户转出' : 'Less: moved out to linked accounts', f.transferred.out, null),
    row(
      zh ? `减：充值冲回（${f.reversed.count} 笔）` : `Less: recharges reversed (${f.reversed.count})`,
      f.reversed.coins,
      f.reversed.value,
    ),
    row(zh ? '加/减：其他调整' : 'Add / less: other adjustments', f.other.coins, f.other.value),
    row(zh ? '期末余额' : 'Closing balance', f.closing.coins, f.closing.value, 'total'),
    row(zh ? '收款、退款与开票' : 'Money, refunds and invoices', null, null, 'head'),
    row(zh ? '本期收款（充值金额）' : 'Money received (recharges)', null, f.recharged.money),
    row(zh ? '本期应退款（充值冲回）' : 'Refunds owed (recharges reversed)', null, f.reversed.money),
    row(zh ? '本期已退款' : 'Refunds paid', null, f.refundPaid),
    row(zh ? '本期开票（蓝字）' : 'Invoiced (blue)', null, f.invoiced.blue),
    row(zh ? '本期红字发票' : 'Red-letter invoices', null, f.invoiced.red),
    row(zh ? '本期开票净额' : 'Invoiced, net', null, f.invoiced.net, 'total'),
    row(zh ? '期初可开票金额' : 'Invoiceable at the start', null, f.invoiceable.opening),
    row(zh ? '期末可开票金额' : 'Invoiceable at the end', null, f.invoiceable.closing, 'total'),
  ];
}

/** The lines' sums: coins in and out, money, invoiced. */
export function lineTotals(lines: StatementLine[]) {
  const t = { coinsIn: 0n, coinsOut: 0n, money: 0n, invoiced: 0n };
  for (const l of lines) {
    t.coinsIn += BigInt(l.coinsIn);
    t.coinsOut += BigInt(l.coinsOut);
    t.money += BigInt(l.money);
    t.invoiced += BigInt(l.invoiced);
  }
  return { coinsIn: String(t.coinsIn), coinsOut: String(t.coinsOut), money: String(t.money), invoiced: String(t.invoiced) };
}
