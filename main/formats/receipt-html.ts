// The printable recharge record (充值记录): a self-contained HTML page (no scripts, no external
// resources) that the console prints or turns into a PDF, and the CLI writes with --out.
import { formatCoins, formatYuan } from '../domain/money';
import { shanghaiDateTime } from '../domain/dates';

export interface ReceiptData {
  receiptNo: string;
  requestRef: string;
  customerName: string;
  account: string;
  amount: number;
  channel: string;
  paidCoins: number;
  bonusCoins: number;
  ruleVersion: number;
  rate: string;
  tier: string | null;
  firstRecharge: boolean;
  creditedAt: number;
  matchedBy: string[];
  approvedBy: string[];
  evidence: { lineId: number | null; kind: string; amount: number }[];
  reversed: { at: number; reason: string } | null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function receiptHtml(r: ReceiptData): string {
  const row = (label: string, value: string) => `<tr><th>${esc(label)}</th><td>${esc(value)}</td></tr>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>充值记录 ${esc(r.receiptNo)}</title>
<style>
  body { font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 32px; color: #111; }
  h1 { font-size: 20px; margin: 0 0 4px; } .no { color: #555; margin-bottom: 16px; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 16px; } th, td { border: 1px solid #bbb; padding: 6px 10px; text-align: left; font-size: 13px; }
  th { width: 34%; background: #f5f5f5; font-weight: normal; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .void { color: #b00; font-weight: bold; border: 2px solid #b00; padding: 6px 10px; display: inline-block; margin-bottom: 12px; }
</style></head><body>
<h1>充值记录 Recharge record</h1>
<div class="no">编号 No. ${esc(r.receiptNo)} · 申请 Request ${esc(r.requestRef)}</div>
${r.reversed ? `<div class="void">已冲回 Reversed ${esc(shanghaiDateTime(r.reversed.at))}: ${esc(r.reversed.reason)}</div>` : ''}
<table>
${row('客户 Customer', r.customerName)}
${row('账户 Account', r.account)}
${row('充值金额 Amount (CNY)', formatYuan(r.amount, true))}
${row('支付方式 Channel', r.channel)}
${row('到账币 Coins credited (paid)', formatCoins(r.paidCoins))}
${row('赠送币 Bonus coins (not invoiceable)', formatCoins(r.bonusCoins))}
${row('兑换规则 Rule version', `v${r.ruleVersion} · ${r.rate}${r.tier ? ` · ${r.tier}` : ''}${r.firstRecharge ? ' · 首充 first recharge' : ''}`)}
${row('入账时间 Credited (Asia/Shanghai)', shanghaiDateTime(r.creditedAt))}
${row('匹配 Matched by', r.matchedBy.join(', ') || '—')}
${row('审批 Approved by', r.approvedBy.join(', '))}
</table>
<table><tr><th>银行流水 Bank evidence</th><th>类型 Kind</th><th>金额 Amount</th></tr>
${r.evidence.map((e) => `<tr><td>${e.lineId === null ? '—' : `#${e.lineId}`}</td><td>${esc(e.kind)}</td><td class="num">${formatYuan(e.amount, true)}</td></tr>`).join('\n')}
</table>
</body></html>`;
}
