// Checks a statement reports rather than refuses (continuity), and the one it refuses (a bank
// reference used twice in one file would make dedupe drop a real movement).
import { compareDecimals, sumDecimals } from './decimal';
import { refusal, type Refusal } from '../../domain/refusals';
import { fail, type Balance, type Continuity, type StatementLine } from './types';

export function checkContinuity(
  opening: Balance | null,
  closing: Balance | null,
  lines: StatementLine[],
  problems: Refusal[] = [],
): Continuity {
  // Without both balances there is nothing to compare; `checked: false` says so (OFX has no opening).
  if (!opening || !closing) return { ok: problems.length === 0, checked: false, expected_closing: null, problems };
  const amounts = lines.map((l) => l.amount);
  const expected = sumDecimals([opening.amount, ...amounts]);
  const out = [...problems];
  if (compareDecimals(expected, closing.amount) !== 0) {
    out.push(refusal('continuity_sum', { opening: opening.amount, lines: sumDecimals(amounts), expected, closing: closing.amount }));
  }
  return { ok: out.length === 0, checked: true, expected_closing: expected, problems: out };
}

/** A bank reference is the dedupe key downstream, so two lines sharing one in a file is refused. */
export function refuseDuplicateRefs(lines: StatementLine[], field: string): void {
  const seen = new Map<string, number | null>();
  for (const l of lines) {
    if (l.bank_ref === null) continue;
    const first = seen.get(l.bank_ref);
    if (first !== undefined) {
      fail('duplicate', 'stmt_ref_twice', { ref: l.bank_ref, first: String(first ?? '?') }, l.line ?? null, field);
    }
    seen.set(l.bank_ref, l.line ?? null);
  }
}
