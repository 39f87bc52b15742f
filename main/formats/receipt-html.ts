// The printable recharge record (充值记录): a self-contained HTML page (no scripts, no external
// resources) that the console prints or turns into a PDF, and the CLI writes with --out. It carries the
// company from the books, the amount in figures and in 人民币大写, the bank evidence, and the 经办 / 复核 /
// 审批 lines with the people's names; every label is in the language the console asked for.
import { DEFAULT_RULES } from '../domain/matching';
import { formatCoins, formatYuan } from '../domain/money';
import { yuanInWords } from '../domain/money-words';
import { shanghaiDateTime } from '../domain/dates';
import type { Channel, Rounding, Tier } from '../domain/conversion';

export type PrintLang = 'zh-CN' | 'en';

/** Who did what for the record, as display names. */
export interface ReceiptPeople {
  /** 经办: who matched the money to the request — a person, or a matching rule and who ran it. */
  handled: ({ kind: 'person'; name: string } | { kind: 'rule'; rule: string; ranBy: string | null })[];
  /** 复核: who confirmed a match or write-off another person proposed. */
  reviewed: string[];
  /** 审批: the approvers, in order. */
  approved: string[];
}

export interface ReceiptEvidence {
  kind: 'bank' | 'writeoff';
  amount: number;
  /** bank: the statement line */
  booked?: string;
  bankRef?: string | null;
  counterparty?: string | null;
  /** writeoff: fee (the platform bears it) or short (the customer paid less) */
  writeoffKind?: 'fee' | 'short' | null;
}

export interface ReceiptData {
  receiptNo: string;
  requestRef: string;
  customerName: string;
  account: string;
  accountName: string;
  amount: number;
  /** What the request asked for, when more than was received (客户少付). */
  requested: number;
  channel: Channel;
  paidCoins: number;
  bonusCoins: number;
  ruleVersion: number;
  rate: { coins: number; perFen: number; rounding: Rounding };
  tier: Tier | null;
  firstRecharge: boolean;
  creditedAt: number;
  /** 记账凭证 of the money credited, e.g. 记-2026-11-0003 */
  voucher: string | null;
  people: ReceiptPeople;
  evidence: ReceiptEvidence[];
  reversed: { at: number; reason: string; by: string | null } | null;
}

export interface ReceiptPrint {
  /** 单位名称 from the books (meta company.name); '' prints a blank to fill in. */
  company: string;
  printedBy: string;
  printedAt: number;
  lang: PrintLang;
}

const TEXT = {
  'zh-CN': {
    title: '充值记录',
    company: '单位名称',
    receiptNo: '编号',
    voucher: '记账凭证',
    creditedAt: '入账时间',
    customer: '客户',
    account: '账户',
    request: '充值申请',
    channel: '支付方式',
    amount: '充值金额（小写）',
    words: '充值金额（大写）',
    wordsPrefix: '人民币',
    requested: '申请金额',
    short: '客户少付，按实收金额入账',
    paidCoins: '到账币',
    bonusCoins: '赠送币（不开票）',
    rule: '兑换规则',
    first: '首充',
    evidence: '收款依据',
    date: '日期',
    kind: '类型',
    bankRef: '银行流水号',
    counterparty: '付款人',
    money: '金额（元）',
    bank: '银行收款',
    writeoff: { fee: '核销（手续费，平台承担）', short: '核销（客户少付）', none: '核销' },
    handled: '经办',
    reviewed: '复核',
    approved: '审批',
    ruleBy: (rule: string, who: string | null) => (who ? `规则「${rule}」（${who} 运行）` : `规则「${rule}」`),
    reversed: (at: string, by: string | null, reason: string) => `已冲回 ${at}${by ? `（${by}）` : ''}：${reason}`,
    printed: (by: string, at: string) => `打印人：${by}\u3000打印时间：${at}`,
    channels: { bank: '银行转账', alipay: '支付宝', wechat: '微信支付' },
    rate: (coins: string, yuan: string, rounding: string) => `每 ${yuan} 元 = ${coins} 币，${rounding}`,
    rounding: { down: '向下取整', half_up: '四舍五入', up: '向上取整' },
    tier: (from: string, bonus: string) => `满 ${from} 元赠送 ${bonus}`,
    coins: (n: string) => `${n} 币`,
    rules: ['参考码 + 金额相等', '绑定银行卡 + 金额相等，3 天内', '参考码 + 部分或多付', '仅金额相等'],
    score: '评分建议',
    several: '（一笔付多笔申请）',
    sep: '、',
    colon: '：',
    unit: '单位：元',
    time: '时间以北京时间为准',
  },
  en: {
    title: 'Recharge record',
    company: 'Company',
    receiptNo: 'No.',
    voucher: 'Voucher',
    creditedAt: 'Credited',
    customer: 'Customer',
    account: 'Account',
    request: 'Recharge request',
    channel: 'Paid by',
    amount: 'Amount (figures)',
    words: 'Amount in Chinese capitals (大写)',
    wordsPrefix: '人民币',
    requested: 'Amount requested',
    short: 'the customer paid less; credited as received',
    paidCoins: 'Coins credited',
    bonusCoins: 'Bonus coins (not invoiced)',
    rule: 'Conversion rule',
    first: 'first recharge',
    evidence: 'Money received',
    date: 'Date',
    kind: 'Kind',
    bankRef: 'Bank serial',
    counterparty: 'Payer',
    money: 'Amount (yuan)',
    bank: 'Bank receipt',
    writeoff: { fee: 'Write-off (fee, borne by the platform)', short: 'Write-off (customer paid less)', none: 'Write-off' },
    handled: 'Handled by',
    reviewed: 'Reviewed by',
    approved: 'Approved by',
    ruleBy: (rule: string, who: string | null) => (who ? `rule “${rule}” (run by ${who})` : `rule “${rule}”`),
    reversed: (at: string, by: string | null, reason: string) => `Reversed ${at}${by ? ` by ${by}` : ''}: ${reason}`,
    printed: (by: string, at: string) => `Printed by ${by} at ${at}`,
    channels: { bank: 'Bank transfer', alipay: 'Alipay', wechat: 'WeChat Pay' },
    rate: (coins: string, yuan: string, rounding: string) => `${coins} coins per ${yuan} yuan, ${rounding}`,
    rounding: { down: 'rounded down', half_up: 'rounded half up', up: 'rounded up' },
    tier: (from: string, bonus: string) => `from ${from} yuan: ${bonus} bonus`,
    coins: (n: string) => `${n} coins`,
    rules: [
      'Reference code + exact amount',
      'Bound account + exact amount, within 3 days',
      'Reference code + part or more of the amount',
      'Amount only',
    ],
    score: 'Scored suggestion',
    several: ' (one line, several requests)',
    sep: ', ',
    colon: ': ',
    unit: 'Amounts in yuan (CNY)',
    time: 'Times are Beijing time',
  },
} as const;
type Text = (typeof TEXT)[PrintLang];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const yuan = (fen: number) => formatYuan(fen, true);
const minutes = (ms: number) => shanghaiDateTime(ms).slice(0, 16);

/** The shipped matching rules carry English names: they print in the page's language; others as typed. */
function ruleName(x: Text, name: string): string {
  const several = / \(several requests\)$/.exec(name);
  const base = several ? name.slice(0, several.index) : name;
  const i = DEFAULT_RULES.findIndex((r) => r.name === base);
  const text = base === 'score' ? x.score : i >= 0 ? (x.rules[i] ?? base) : base;
  return several ? `${text}${x.several}` : text;
}

function ruleText(x: Text, r: ReceiptData): string {
  const parts = [`v${r.ruleVersion}`, x.rate(formatCoins(r.rate.coins), yuan(r.rate.perFen), x.rounding[r.rate.rounding])];
  if (r.tier) {
    const bonus = [r.tier.bonusCoins ? x.coins(formatCoins(r.tier.bonusCoins)) : '', r.tier.bonusBp ? `${r.tier.bonusBp / 100}%` : '']
      .filter(Boolean)
      .join(' + ');
    parts.push(x.tier(yuan(r.tier.fromFen), bonus || '0'));
  }
  if (r.firstRecharge) parts.push(x.first);
  return parts.join(' · ');
}

function evidenceRows(x: Text, r: ReceiptData): string {
  return r.evidence
    .map((e) => {
      const kind = e.kind === 'bank' ? x.bank : x.writeoff[e.writeoffKind ?? 'none'];
      return `<tr><td>${esc(e.booked ?? '')}</td><td>${esc(kind)}</td><td>${esc(e.bankRef ?? '')}</td><td>${esc(e.counterparty ?? '')}</td><td class="num">${yuan(e.amount)}</td></tr>`;
    })
    .join('\n');
}

export function receiptHtml(r: ReceiptData, p: ReceiptPrint): string {
  const x = TEXT[p.lang];
  const row = (label: string, value: string, cls = '') => `<tr><th>${esc(label)}</th><td${cls ? ` class="${cls}"` : ''}>${value}</td></tr>`;
  const handled = r.people.handled.map((h) => (h.kind === 'person' ? h.name : x.ruleBy(ruleName(x, h.rule), h.ranBy)));
  const sign = (label: string, names: string[]) =>
    `<div class="sign"><span class="label">${esc(label)}${x.colon}</span><span class="who">${esc(names.join(x.sep))}</span></div>`;
  return `<!doctype html>
<html lang="${p.lang}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(x.title)} ${esc(r.receiptNo)}</title>
<style>
  @page { size: A4 portrait; margin: 16mm 14mm; }
  body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 24px; color: #111; font-size: 13px; }
  .company { text-align: center; font-size: 18px; font-weight: 600; letter-spacing: 1px; min-height: 22px; }
  h1 { text-align: center; font-size: 22px; margin: 4px 0 12px; } html[lang="zh-CN"] h1 { letter-spacing: 4px; }
  .head { display: flex; justify-content: space-between; gap: 12px; margin-bottom: 8px; color: #333; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 14px; } th, td { border: 1px solid #999; padding: 6px 10px; text-align: left; }
  table.facts th { width: 30%; background: #f5f5f5; font-weight: normal; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  td.words { font-size: 15px; font-weight: 600; letter-spacing: 1px; } td.figure { font-size: 15px; font-weight: 600; }
  table.evidence th { background: #f5f5f5; font-weight: normal; }
  .void { color: #b00; font-weight: bold; border: 2px solid #b00; padding: 6px 10px; margin-bottom: 12px; }
  .signs { display: flex; justify-content: space-between; gap: 16px; margin-top: 28px; }
  .sign { flex: 1 1 0; display: flex; align-items: flex-end; gap: 4px; } .sign .label { white-space: nowrap; }
  .sign .who { flex: 1; border-bottom: 1px solid #333; min-height: 20px; padding: 0 4px 2px; }
  .foot { display: flex; justify-content: space-between; margin-top: 18px; color: #666; font-size: 11px; }
</style></head><body>
<div class="company">${esc(p.company) || `${esc(x.company)}${x.colon}________________________`}</div>
<h1>${esc(x.title)}</h1>
<div class="head"><span>${esc(x.receiptNo)}${x.colon}${esc(r.receiptNo)}</span><span>${esc(x.voucher)}${x.colon}${esc(r.voucher ?? '—')}</span><span>${esc(x.creditedAt)}${x.colon}${esc(minutes(r.creditedAt))}</span></div>
${r.reversed ? `<div class="void">${esc(x.reversed(minutes(r.reversed.at), r.reversed.by, r.reversed.reason))}</div>` : ''}
<table class="facts">
${row(x.customer, esc(r.customerName))}
${row(x.account, esc(`${r.account} ${r.accountName}`.trim()))}
${row(x.request, esc(r.requestRef))}
${row(x.channel, esc(x.channels[r.channel] ?? r.channel))}
${row(x.amount, `¥${yuan(r.amount)}`, 'figure')}
${row(x.words, esc(`${x.wordsPrefix}${yuanInWords(r.amount)}`), 'words')}
${r.requested > r.amount ? row(x.requested, esc(`¥${yuan(r.requested)}（${x.short}）`)) : ''}
${row(x.paidCoins, formatCoins(r.paidCoins))}
${row(x.bonusCoins, formatCoins(r.bonusCoins))}
${row(x.rule, esc(ruleText(x, r)))}
</table>
<table class="evidence"><thead><tr><th colspan="5">${esc(x.evidence)}</th></tr>
<tr><th>${esc(x.date)}</th><th>${esc(x.kind)}</th><th>${esc(x.bankRef)}</th><th>${esc(x.counterparty)}</th><th>${esc(x.money)}</th></tr></thead>
<tbody>
${evidenceRows(x, r)}
</tbody></table>
<div class="signs">
${sign(x.handled, handled)}
${sign(x.reviewed, r.people.reviewed)}
${sign(x.approved, r.people.approved)}
</div>
<div class="foot"><span>${esc(x.printed(p.printedBy, minutes(p.printedAt)))}</span><span>${esc(x.unit)} · ${esc(x.time)}</span></div>
</body></html>`;
}
