// The 递延收入变动表's lines as the workbook and the printed page show them (the console words its own in
// i18n): the roll-forward top to bottom, the books' balance and the difference, the run's lots value.
import type { DeferredRevenueRollForward, DeferredRunState } from '../services/deferred-revenue';

/** One line of the statement as the files print it (the console has its own words, in i18n). */
export interface StatementLine {
  zh: string;
  en: string;
  /** fen, integer string */
  amount: string;
  kind: 'line' | 'sub' | 'total' | 'tie';
}

const RUN_STATE_TEXT: Record<DeferredRunState, [string, string]> = {
  current: ['已确认', 'recognised'],
  stale: ['确认后又有入账，需重新确认', 'postings came after it: run it again'],
  not_run: ['未确认（本月无收入确认，确认收入为 0）', 'not run (no revenue recognised this month)'],
  not_needed: ['本月充值币无变动，无需确认', 'no recharge coins moved: none needed'],
};

/** The run the statement rests on, in both languages. */
export function runText(r: DeferredRevenueRollForward): { zh: string; en: string } {
  const [zh, en] = RUN_STATE_TEXT[r.run.state];
  const which = r.run.id === null ? '' : ` #${r.run.id}${r.run.voucher ? ` ${r.run.voucher}` : ''}`;
  const off = r.run.breakageBp === 0 ? '；未启用 breakage' : '';
  return { zh: `收入确认${which}：${zh}${off}`, en: `Revenue run${which}: ${en}${r.run.breakageBp === 0 ? '; breakage off' : ''}` };
}

/** The statement's lines top to bottom: the roll-forward, the books' balance and the difference, the run's lots value. */
export function statementLines(r: DeferredRevenueRollForward): StatementLine[] {
  const subject = `${r.subject.code} ${r.subject.name}`;
  const lines: StatementLine[] = [
    { zh: '期初余额', en: 'Opening balance', amount: r.opening, kind: 'line' },
    { zh: '加：本月收款（充值入账）', en: 'Add: received (recharges credited)', amount: r.received, kind: 'line' },
    { zh: '减：本月确认收入（含销项税额）', en: 'Less: recognised (revenue and output VAT)', amount: r.recognised, kind: 'line' },
    { zh: '减：本月退款（充值冲回）', en: 'Less: refunded (recharges reversed)', amount: r.refunded, kind: 'line' },
    { zh: '减：预计不使用部分（breakage）', en: 'Less: breakage', amount: r.breakage, kind: 'line' },
    { zh: '减：开票时转出的销项税额', en: 'Less: output VAT charged at invoicing', amount: r.invoiceVat, kind: 'line' },
    { zh: '加/减：其他调整', en: 'Add / less: other adjustments', amount: r.other, kind: 'line' },
    ...r.otherByCode.map((o): StatementLine => ({ ...otherCodeText(o.code), amount: o.amount, kind: 'sub' })),
    { zh: '期末余额（计算）', en: 'Closing balance (computed)', amount: r.closing, kind: 'total' },
    { zh: `${subject} 账面余额`, en: `Books balance of ${r.subject.code} ${r.subject.nameEn}`, amount: r.booksClosing, kind: 'total' },
    { zh: '差额（账面 − 计算）', en: 'Difference (books − computed)', amount: r.difference, kind: 'tie' },
  ];
  if (r.run.unusedValue !== null)
    lines.push(
      { zh: '未使用币值（收入确认批次计算）', en: "Unused coins' value (revenue run's lots)", amount: r.run.unusedValue, kind: 'line' },
      {
        zh: '差额（账面 − 未使用币值）',
        en: "Difference (books − unused coins' value)",
        amount: String(BigInt(r.booksClosing) - BigInt(r.run.unusedValue)),
        kind: 'tie',
      },
    );
  return lines;
}

/** An `other` posting's code in words: manual vouchers by name, anything else by its code. */
export function otherCodeText(code: string): { zh: string; en: string } {
  if (code === 'voucher') return { zh: '其中：手工凭证', en: 'of which: manual vouchers' };
  return { zh: `其中：${code}`, en: `of which: ${code}` };
}
