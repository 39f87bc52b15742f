// Vouchers (记账凭证): pure rules. A manual voucher's lines must balance; its lines become transfers.

/**
 * A CNY transfer's automatic voucher kind by the transfer's code: one voucher per business action and
 * business date, with the action's 摘要. Codes not listed get 'other'.
 */
export const VOUCHER_SOURCE_BY_CODE: Readonly<Record<string, readonly [string, string]>> = {
  bank_in: ['bank_receipt', '银行收款'],
  bank_out: ['bank_payment', '银行付款'],
  opening_balance: ['opening_balance', '银行账户期初余额'],
  reversal_netting: ['bank_reversal', '银行冲正'],
  recharge_credit: ['recharge_credit', '充值确认'],
  recharge_reversal: ['recharge_reversal', '充值冲销'],
  writeoff: ['writeoff', '核销差额'],
  refund_paid: ['refund_paid', '退款支付'],
  refund_payable: ['refund_payable', '未分配收款退款'],
  unallocated_reclassify: ['unallocated_reclassify', '未分配收款转待查'],
  outflow_classify: ['outflow_classify', '付款分类'],
  chargeback_receivable: ['chargeback_receivable', '退单应收款'],
  reversal: ['reversal', '冲销'],
  revenue_recognition: ['revenue_recognition', '收入确认'],
  revenue_tax: ['revenue_recognition', '收入确认'],
  revenue_reversal: ['revenue_reversal', '冲销收入确认'],
  invoice_vat: ['invoice_vat', '开票确认销项税额'],
  invoice_vat_reversal: ['invoice_vat_reversal', '红字发票冲减销项税额'],
  earnings_accrual: ['earnings_accrual', '创作者收益计提'],
  payout_tax: ['payout_approve', '收益提现代扣个税'],
  payout_net: ['payout_approve', '收益提现代扣个税'],
  payout_paid: ['payout_paid', '收益提现支付'],
};

export interface VoucherLineIn {
  accountId: number;
  debit: number;
  credit: number;
}

/** Σ debits − Σ credits (fen); a voucher posts only when this is 0 and it has a debit and a credit. */
export function voucherImbalance(lines: readonly VoucherLineIn[]): number {
  return lines.reduce((s, l) => s + l.debit - l.credit, 0);
}

export interface PairedTransfer {
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
}

/**
 * A balanced voucher's lines as transfers: debits and credits are paired in line order (at most
 * debit lines + credit lines − 1 transfers). Lines on the same account on both sides net out only
 * through separate transfers, never by editing a line.
 */
export function pairVoucherLines(lines: readonly VoucherLineIn[]): PairedTransfer[] {
  const debits = lines.filter((l) => l.debit > 0).map((l) => ({ id: l.accountId, left: l.debit }));
  const credits = lines.filter((l) => l.credit > 0).map((l) => ({ id: l.accountId, left: l.credit }));
  const out: PairedTransfer[] = [];
  let i = 0;
  let j = 0;
  while (i < debits.length && j < credits.length) {
    const d = debits[i]!;
    const c = credits[j]!;
    const amount = Math.min(d.left, c.left);
    if (d.id !== c.id) out.push({ debitAccountId: d.id, creditAccountId: c.id, amount });
    d.left -= amount;
    c.left -= amount;
    if (d.left === 0) i++;
    if (c.left === 0) j++;
  }
  return out;
}
