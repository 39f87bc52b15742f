// Amounts cross as integer strings of minor units; screens show yuan "1,288.00" for the CNY ledger
// and grouped whole coins for the coin ledgers. Arithmetic on screen uses BigInt, never floats.
import { formatCoins, formatYuan, parseMinor, parseYuan } from '../../../main/domain/money';

export function isCny(ledger: number): boolean {
  return ledger === 1;
}

/** An amount of `ledger` (integer string or bigint of minor units) for the screen. */
export function formatAmount(minor: string | bigint, ledger: number): string {
  const s = typeof minor === 'bigint' ? minor.toString() : minor;
  const n = parseMinor(s);
  return isCny(ledger) ? formatYuan(n, true) : formatCoins(n, true);
}

/** What a person typed as an amount on `ledger` → integer string of minor units; throws RangeError. */
export function parseAmountInput(text: string, ledger: number): string {
  const t = text.trim().replaceAll(',', '');
  if (isCny(ledger)) {
    const fen = parseYuan(t);
    if (fen < 0) throw new RangeError(`not a positive amount: "${text}"`);
    return String(fen);
  }
  if (!/^\d{1,16}$/.test(t)) throw new RangeError(`not a whole number of coins: "${text}"`);
  return String(parseMinor(t.replace(/^0+(?=\d)/, '')));
}

/** Debit minus credit as a signed bigint (for a balance with its side). */
export function net(debits: string, credits: string): bigint {
  return BigInt(debits) - BigInt(credits);
}
