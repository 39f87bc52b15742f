// Money is integers in minor units (fen for CNY, whole coins for coin ledgers), guarded as safe
// integers. Decimal strings are parsed digit by digit, never through floats.

export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export function isAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Integer string ("128800") as it crosses IPC → number of minor units. Throws on anything else. */
export function parseMinor(s: string): number {
  if (!/^-?(0|[1-9]\d{0,15})$/.test(s)) throw new RangeError(`not an integer amount in minor units: "${s}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: "${s}"`);
  return n;
}

export function minorToString(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer amount: ${n}`);
  return String(n);
}

/**
 * "1288.00", "1,288.5", "-25.03" → fen. At most two decimals; thousands separators only in groups of
 * three. Anything else is refused rather than guessed.
 */
export function parseYuan(text: string): number {
  const s = text.trim();
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new RangeError(`not an amount in yuan: "${text}"`);
  const [, sign, whole, frac = ''] = m;
  const fen = Number((whole ?? '').replaceAll(',', '')) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount out of range: "${text}"`);
  return sign === '-' ? -fen : fen;
}

/** fen → "1288.00" (files) or "1,288.00" (screens, with grouping). */
export function formatYuan(fen: number, grouping = false): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a safe integer amount: ${fen}`);
  const neg = fen < 0;
  const abs = Math.abs(fen);
  let whole = String(Math.trunc(abs / 100));
  const frac = String(abs % 100).padStart(2, '0');
  if (grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** Whole coins with grouping for screens. */
export function formatCoins(coins: number, grouping = true): string {
  if (!Number.isSafeInteger(coins)) throw new RangeError(`not a safe integer amount: ${coins}`);
  const s = String(Math.abs(coins));
  const g = grouping ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : s;
  return coins < 0 ? `-${g}` : g;
}
