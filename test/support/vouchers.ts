// The two-line voucher most tests need: Dr one subject / Cr another, one amount (fen) and one summary on
// both lines, prepared by the clerk and, to post it, approved by the approver.
import type { MethodInput } from '../../main/api/contract';
import type { Call } from './temp-books';

export interface TwoLines {
  date: string;
  debit: string;
  credit: string;
  amount: string;
  summary: string;
  attachments?: number;
}

/** The voucher's input for vouchers.prepare. */
export function twoLines({ date, debit, credit, amount, summary, attachments }: TwoLines): MethodInput<'vouchers.prepare'> {
  return {
    date,
    ...(attachments !== undefined && { attachments }),
    lines: [
      { summary, subjectCode: debit, debit: amount },
      { summary, subjectCode: credit, credit: amount },
    ],
  };
}

/** A draft: the clerk prepares it, nobody has reviewed it. */
export const prepareVoucher = (call: Call, v: TwoLines) => call('clerk', 'vouchers.prepare', twoLines(v));

/** Prepared by the clerk and approved by the approver: posted on its date. */
export async function postVoucher(call: Call, v: TwoLines) {
  const draft = await prepareVoucher(call, v);
  await call('approver', 'vouchers.review', { id: draft.id, approve: true });
  return draft;
}
