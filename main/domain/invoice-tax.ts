// Invoice maths, pure: the unified social credit code's check digit (GB 32100-2015), the tax split of
// a tax-inclusive amount at an integer-ratio rate, and an invoice's lines from the product settings.
// Money is integer fen; products are computed in bigint so no amount can overflow or round by float.

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters of a unified social credit code, or null if one is not in the code's charset. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_CHARSET[check === 31 ? 0 : check]!;
}

export function isValidUscc(code: string): boolean {
  return code.length === 18 && usccCheckChar(code.slice(0, 17)) === code[17];
}

export const USCC_CHARS = USCC_CHARSET;

/** A VAT rate as an integer ratio: 6 % is { num: 6, den: 100 }; 0 is { num: 0, den: 1 }. */
export interface Rate {
  num: number;
  den: number;
}

/** Half away from zero of n / d (d > 0) in bigint. */
function divHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

/**
 * Splits a tax-inclusive gross amount G (fen) at rate r = num/den: tax = half-up(G·r / (1 + r)) to the
 * fen = half-up(G·num / (den + num)), net = G − tax, so tax + net = G exactly. A negative G (a
 * red-letter line) splits as the mirror of its positive amount.
 */
export function splitTax(gross: number, rate: Rate): { net: number; tax: number } {
  if (!Number.isSafeInteger(gross)) throw new RangeError(`not a safe integer amount: ${gross}`);
  if (!Number.isSafeInteger(rate.num) || !Number.isSafeInteger(rate.den) || rate.num < 0 || rate.den <= 0)
    throw new RangeError(`not a rate: ${rate.num}/${rate.den}`);
  const tax = Number(divHalfUp(BigInt(gross) * BigInt(rate.num), BigInt(rate.den) + BigInt(rate.num)));
  return { net: gross - tax, tax };
}

/** The rate as the invoice templates print it: "0.06", "0.13", "0" — or 不征税 for not subject to VAT. */
export function rateText(rate: Rate, notTaxable: boolean): string {
  if (notTaxable) return '不征税';
  if (rate.num === 0) return '0';
  // Rates are whole or tenths of a per cent in practice; print as a decimal with up to 4 places.
  const scaled = String(divHalfUp(BigInt(rate.num) * 10_000n, BigInt(rate.den))).padStart(5, '0');
  const frac = scaled.slice(-4).replace(/0+$/, '');
  return frac ? `${scaled.slice(0, -4)}.${frac}` : scaled.slice(0, -4);
}

/** The rate as a return prints it: "6%", "1.5%", "0%" (to a hundredth of a per cent). */
export function ratePercent(rate: Rate): string {
  const scaled = divHalfUp(BigInt(rate.num) * 10_000n, BigInt(rate.den));
  const frac = String(scaled % 100n)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${scaled / 100n}${frac ? `.${frac}` : ''}%`;
}

/** What an invoice line is (item name, tax code, rate, 不征税), a setting per product. */
export interface InvoiceProduct {
  itemName: string;
  taxCode: string;
  rate: Rate;
  /** 不征税: not subject to VAT (prepaid value); the rate must then be 0. */
  notTaxable: boolean;
  /** Only 普通发票 may be issued for this product (the prepaid-value pattern). */
  ordinaryOnly: boolean;
  unit?: string;
}

export const PREPAID_VALUE: InvoiceProduct = {
  itemName: '预付卡销售和充值',
  taxCode: '6010000000000000000',
  rate: { num: 0, den: 1 },
  notTaxable: true,
  ordinaryOnly: true,
};

export interface InvoiceLine {
  lineNo: number;
  itemName: string;
  taxCode: string;
  rate: Rate;
  notTaxable: boolean;
  gross: number;
  tax: number;
  net: number;
}

/** One line per tax-inclusive gross amount (one per recharge invoiced), split at the product's rate. */
export function invoiceLines(product: InvoiceProduct, grossAmounts: readonly number[]): InvoiceLine[] {
  return grossAmounts.map((gross, i) => ({
    lineNo: i + 1,
    itemName: product.itemName,
    taxCode: product.taxCode,
    rate: product.rate,
    notTaxable: product.notTaxable,
    gross,
    ...splitTax(gross, product.notTaxable ? { num: 0, den: 1 } : product.rate),
  }));
}

/** Sums of lines as bigint, returned as safe integers (refused if they are not). */
export function lineTotals(lines: readonly { gross: number; tax: number; net: number }[]): { gross: number; tax: number; net: number } {
  let g = 0n;
  let t = 0n;
  let n = 0n;
  for (const l of lines) {
    g += BigInt(l.gross);
    t += BigInt(l.tax);
    n += BigInt(l.net);
  }
  const out = { gross: Number(g), tax: Number(t), net: Number(n) };
  if (!Number.isSafeInteger(out.gross)) throw new RangeError('invoice total out of range');
  return out;
}
