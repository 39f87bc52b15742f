// The books: words shared by vouchers, the chart of accounts and period close. Same keys as books.zh-CN.ts.
import type { booksZhCN } from './books.zh-CN';

export const booksEn: Record<keyof typeof booksZhCN, string> = {
  'undo.reverse_recharge': 'reverse the recharge under Recharge records',
  'undo.unmatch': 'unmatch it under Reconciliation',
  'undo.unpay_refund': 'handle the refund under Refunds',
  'undo.bank_reversal': 'a bank line is not reversed in the books; import the bank’s own reversal line',
  'undo.platform_event': 'ask the platform for a correcting event',
  'undo.none': 'a reversal is not reversed again',
  'nav.vouchers': 'Vouchers',
  'nav.closing': 'Period close',
};
