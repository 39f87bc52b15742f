// 劳务报酬 withholding (individual income tax on remuneration for services), pure. Facts:
// ../shared/reference/month-end.md.
// - income ≤ 4,000 yuan: taxable = income − 800 (never below 0); above: taxable = income × 80 %.
// - tax = taxable × rate − quick deduction: ≤ 20,000 → 20 %; 20,000–50,000 → 30 % − 2,000; > 50,000 → 40 % − 7,000.
// - a person's payments in one month are one 次 (one payment period): each payment withholds the tax
//   on the month's income so far less the tax already withheld for that person that month.
// Amounts are fen. Rounding, stated once: the tax is computed from the exact taxable amount (income × 4/5
// may end in a fraction of a fen) and rounded half up to the fen; the taxable amount shown (and the
// deduction = income − taxable) is rounded half up the same way. Each payment's tax is a difference of
// two such rounded figures, so a month's payments always add up to the tax on the month's total.

const F4000 = 400_000n;
const F800 = 80_000n;

/** n / d rounded half up (n ≥ 0, d > 0). */
function halfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

/** Taxable income × 5 (exact, in fen): 5 × (income − 800) up to 4,000 yuan, 4 × income above. */
function taxable5(income: bigint): bigint {
  if (income <= F4000) return income > F800 ? 5n * (income - F800) : 0n;
  return 4n * income;
}

export interface LaborTax {
  /** What was paid (fen). */
  income: number;
  /** 费用: the deduction (800 yuan, or 20 % above 4,000), fen. */
  deduction: number;
  /** 应纳税所得额, fen (rounded half up). */
  taxable: number;
  /** 预扣率 in percent: 20, 30 or 40. */
  ratePercent: 20 | 30 | 40;
  /** 速算扣除数, fen. */
  quickDeduction: number;
  /** 应扣缴税额, fen (rounded half up). */
  tax: number;
}

/** The tax on one 次 of 劳务报酬 income (fen). */
export function laborTax(incomeFen: number): LaborTax {
  if (!Number.isSafeInteger(incomeFen) || incomeFen < 0) throw new RangeError(`income must be whole fen ≥ 0, not ${incomeFen}`);
  const income = BigInt(incomeFen);
  const t5 = taxable5(income);
  // Brackets on the exact taxable amount: 20,000 yuan = 2,000,000 fen; 50,000 yuan = 5,000,000 fen.
  const [rate, quick] = t5 <= 5n * 2_000_000n ? [20n, 0n] : t5 <= 5n * 5_000_000n ? [30n, 200_000n] : [40n, 700_000n];
  // tax = t5/5 × rate/100 − quick = (t5 × rate − 500 × quick) / 500
  const n = t5 * rate - 500n * quick;
  const tax = n <= 0n ? 0n : halfUp(n, 500n);
  const taxable = halfUp(t5, 5n);
  return {
    income: incomeFen,
    deduction: Number(income - taxable),
    taxable: Number(taxable),
    ratePercent: Number(rate) as 20 | 30 | 40,
    quickDeduction: Number(quick),
    tax: Number(tax),
  };
}

/**
 * The tax to withhold from one payment, given what the person was already paid and withheld this
 * month: the tax on the month's income including this payment, less what was already withheld.
 */
export function withholdingFor(paymentFen: number, earlier: { incomeFen: number; withheldFen: number }): { tax: number; net: number } {
  const total = laborTax(earlier.incomeFen + paymentFen).tax;
  // The tax on income is non-decreasing and its slope is at most 32 %, so this lies within 0 … the payment.
  const tax = Math.max(0, total - earlier.withheldFen);
  return { tax, net: paymentFen - tax };
}

/** The CNY value of earnings coins: coins × fen ÷ perCoins, rounded half up to the fen. */
export function coinValueFen(coins: number, rate: { fen: number; perCoins: number }): number {
  return Number(halfUp(BigInt(coins) * BigInt(rate.fen), BigInt(rate.perCoins)));
}

// ID types a 扣缴申报 accepts (证照类型), by the code events use.
export const ID_TYPES = {
  resident_id: '居民身份证',
  cn_passport: '中国护照',
  hk_macao_permit: '港澳居民来往内地通行证',
  taiwan_permit: '台湾居民来往大陆通行证',
  foreign_passport: '外国护照',
  foreign_permanent_residence: '外国人永久居留身份证',
  hk_macao_residence: '港澳居民居住证',
  taiwan_residence: '台湾居民居住证',
} as const;
export type IdType = keyof typeof ID_TYPES;
export const ID_TYPE_CODES = Object.keys(ID_TYPES) as IdType[];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** The check character of an 18-character resident ID (GB 11643-1999) for its first 17 digits. */
export function residentIdCheck(first17: string): string {
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(first17[i]), 0);
  return '10X98765432'[sum % 11]!;
}

/** An ID number in its stored form (trimmed, upper case, no spaces), or why it is not one. */
export function normaliseIdNumber(
  type: IdType,
  raw: string,
): { ok: true; value: string } | { ok: false; code: 'id_resident_format' | 'id_resident_check' | 'id_number_format' } {
  const v = raw.replace(/\s+/g, '').toUpperCase();
  if (type === 'resident_id') {
    if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, code: 'id_resident_format' };
    if (residentIdCheck(v.slice(0, 17)) !== v[17]) return { ok: false, code: 'id_resident_check' };
    return { ok: true, value: v };
  }
  if (!/^[0-9A-Z()-]{5,30}$/.test(v)) return { ok: false, code: 'id_number_format' };
  return { ok: true, value: v };
}

/** 1101**********1234: the first four and last four characters shown, the rest masked. */
export function maskIdNumber(v: string): string {
  if (v.length <= 8) return v.length <= 2 ? '*'.repeat(v.length) : `${v[0]}${'*'.repeat(v.length - 2)}${v.at(-1)}`;
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}
