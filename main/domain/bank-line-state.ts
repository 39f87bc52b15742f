// A bank line's state in one word, as the statement screen tags it and its export writes it: a reversal's
// pairing first, then money out, then how much of the money in is matched.
export type BankLineState = 'netted' | 'reversalReview' | 'reversalUnpaired' | 'out' | 'open' | 'partly' | 'matched';

export function bankLineState(l: {
  amount: number | string;
  allocated: number | string;
  reversalStatus?: 'netted' | 'review' | 'unpaired' | null | undefined;
}): BankLineState {
  if (l.reversalStatus === 'netted') return 'netted';
  if (l.reversalStatus === 'review') return 'reversalReview';
  if (l.reversalStatus === 'unpaired') return 'reversalUnpaired';
  const amount = Number(l.amount);
  const allocated = Number(l.allocated);
  if (amount < 0) return 'out';
  if (allocated === 0) return 'open';
  return allocated < amount ? 'partly' : 'matched';
}
