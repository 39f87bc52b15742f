// Which earlier line a bank reversal (冲正) undoes. The bank's own reference wins when the reversal
// quotes it; otherwise the nearest earlier line of the same counterparty and the opposite amount. A
// line already matched to a request is never netted silently: the accountant unmatches it first.

export interface ReversalLine {
  id: number;
  amount: number;
  counterpartyAccount: string | null;
  counterpartyName: string | null;
  /** memo and reference, where a bank quotes the reversed line's reference */
  text: string;
}

export interface OriginalCandidate {
  id: number;
  lineNo: number;
  amount: number;
  allocated: number;
  bankRef: string | null;
  counterpartyAccount: string | null;
  counterpartyName: string | null;
}

export type Pairing =
  | { kind: 'net'; originalId: number; by: 'bank_ref' | 'counterparty' }
  | { kind: 'review'; originalId: number; by: 'bank_ref' | 'counterparty' }
  | { kind: 'unpaired' };

const norm = (s: string | null) => (s ?? '').replace(/[\s\u3000]+/g, '').toLowerCase();

export function sameCounterparty(a: Pick<ReversalLine, 'counterpartyAccount' | 'counterpartyName'>, b: typeof a): boolean {
  if (a.counterpartyAccount && b.counterpartyAccount) return a.counterpartyAccount === b.counterpartyAccount;
  const [x, y] = [norm(a.counterpartyName), norm(b.counterpartyName)];
  return x !== '' && x === y;
}

/**
 * Chooses the original of a reversal among candidates that are already on the same bank account, of the
 * opposite amount, not reversals themselves, not netted, and booked no later — nearest first.
 */
export function pairReversal(r: ReversalLine, candidates: readonly OriginalCandidate[]): Pairing {
  const fit = candidates.filter((c) => c.amount === -r.amount && c.id !== r.id);
  const quoted = fit.find((c) => c.bankRef !== null && c.bankRef.length >= 4 && r.text.includes(c.bankRef));
  if (quoted)
    return quoted.allocated > 0
      ? { kind: 'review', originalId: quoted.id, by: 'bank_ref' }
      : { kind: 'net', originalId: quoted.id, by: 'bank_ref' };
  const same = fit.filter((c) => sameCounterparty(r, c));
  const open = same.find((c) => c.allocated === 0);
  if (open) return { kind: 'net', originalId: open.id, by: 'counterparty' };
  const matched = same[0];
  return matched ? { kind: 'review', originalId: matched.id, by: 'counterparty' } : { kind: 'unpaired' };
}
