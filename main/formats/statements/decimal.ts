// Exact decimal amounts as strings. Parsing goes digit by digit through regular expressions and
// arithmetic through bigint at a common scale: no float ever touches money.
import { fail } from './types';

const ZERO_DECIMALS = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE_DECIMALS = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR_DECIMALS = 'CLF UYW';
const TWO_DECIMALS =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY CNH COP ' +
  'COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS ' +
  'KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN ' +
  'PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS ' +
  'UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';

/** ISO 4217 minor-unit exponents (CNY 2, JPY 0, KWD 3); CNH, the offshore yuan banks use, counts as 2. */
export const CURRENCY_EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...ZERO_DECIMALS.split(' ').map((c) => [c, 0] as const),
  ...TWO_DECIMALS.split(' ').map((c) => [c, 2] as const),
  ...THREE_DECIMALS.split(' ').map((c) => [c, 3] as const),
  ...FOUR_DECIMALS.split(' ').map((c) => [c, 4] as const),
]);

export function currencyExponent(currency: string | null): number | null {
  return currency === null ? null : (CURRENCY_EXPONENTS.get(currency.toUpperCase()) ?? null);
}

interface Parts {
  neg: boolean;
  int: string; // digits, no leading zeros ("0" for zero)
  frac: string; // digits as written
}

function build(sign: string | undefined, int: string, frac: string): string {
  const i = int.replace(/^0+(?=\d)/, '') || '0';
  const zero = /^0*$/.test(i + frac);
  return `${sign === '-' && !zero ? '-' : ''}${i}${frac ? `.${frac}` : ''}`;
}

function parts(decimal: string): Parts {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) throw new RangeError(`not a canonical decimal: "${decimal}"`);
  return { neg: m[1] === '-', int: m[2] ?? '0', frac: m[3] ?? '' };
}

/** Plain decimal with a point or comma ("-25.03", "+8.85", "11,8", ".5"), as camt, OFX and balances write it. */
export function parsePlainDecimal(text: string): string | null {
  const m = /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(text.trim());
  if (!m || !`${m[2] ?? ''}${m[3] ?? ''}`) return null;
  return build(m[1], m[2] || '0', m[3] ?? '');
}

/** MT940 amount: digits, one mandatory decimal comma ("6800," "620,3" "3236,28"). */
export function parseSwiftAmount(text: string): string | null {
  const m = /^(\d+),(\d*)$/.exec(text);
  return m ? build('', m[1] ?? '0', m[2] ?? '') : null;
}

const MINUS = /^[-\u2212\uFF0D]/;

/**
 * Amount as Chinese banks print it: "¥1,288.00", "+500.00", "-25.03", "1288元", "(300.00)", "RMB 12.5".
 * Thousands separators must come in groups of three. Returns null for text that is not an amount.
 */
export function parseBankAmount(text: string): string | null {
  let s = text.trim().replace(/[\s\u00a0\u3000]/g, '');
  let sign = '';
  let paren = false;
  if (/^\(.*\)$/.test(s) || /^（.*）$/.test(s)) {
    paren = true;
    s = s.slice(1, -1);
  }
  if (/^[+＋]/.test(s)) s = s.slice(1);
  else if (MINUS.test(s)) {
    sign = '-';
    s = s.slice(1);
  }
  s = s.replace(/^(?:¥|￥|RMB|CNY)/i, '').replace(/元$/, '');
  if (!sign && MINUS.test(s)) {
    sign = '-';
    s = s.slice(1);
  }
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  if (paren) sign = sign === '-' ? '' : '-';
  return build(sign, (m[1] ?? '0').replaceAll(',', ''), m[2] ?? '');
}

/** Cells that mean "no amount here": empty, "-", "--", "—". */
export function isBlankAmount(text: string): boolean {
  return /^[\s\-—–－]*$/.test(text);
}

/**
 * Puts an amount in its currency's form: "800" EUR → "800.00", "2700.000" JPY → "2700". A digit that
 * the currency cannot hold (3 decimals in CNY) is refused. An unknown currency keeps the digits as written.
 */
export function fitToCurrency(decimal: string, currency: string | null, line: number | null, field: string | null): string {
  const exp = currencyExponent(currency);
  if (exp === null) return decimal;
  const p = parts(decimal);
  const extra = p.frac.slice(exp);
  if (/[1-9]/.test(extra))
    fail('bad_amount', 'stmt_too_many_decimals', { value: decimal, currency: String(currency), exp: String(exp) }, line, field);
  const frac = p.frac.slice(0, exp).padEnd(exp, '0');
  return build(p.neg ? '-' : '', p.int, frac);
}

function scaled(decimal: string, scale: number): bigint {
  const p = parts(decimal);
  if (p.frac.length > scale) throw new RangeError(`too many decimals for scale ${scale}: ${decimal}`);
  const v = BigInt(p.int + p.frac.padEnd(scale, '0'));
  return p.neg ? -v : v;
}

function unscale(v: bigint, scale: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return build(neg ? '-' : '', int, frac);
}

function scaleOf(decimals: readonly string[]): number {
  let s = 0;
  for (const d of decimals) s = Math.max(s, parts(d).frac.length);
  return s;
}

/** Σ of any number of decimals, exactly. */
export function sumDecimals(decimals: readonly string[]): string {
  const s = scaleOf(decimals);
  let sum = 0n;
  for (const d of decimals) sum += scaled(d, s);
  return unscale(sum, s);
}

export function addDecimals(...decimals: string[]): string {
  return sumDecimals(decimals);
}

export function negateDecimal(decimal: string): string {
  const p = parts(decimal);
  return build(p.neg ? '' : '-', p.int, p.frac);
}

export function compareDecimals(a: string, b: string): number {
  const s = scaleOf([a, b]);
  const d = scaled(a, s) - scaled(b, s);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isNegative(decimal: string): boolean {
  return decimal.startsWith('-');
}

/**
 * "-25.03" CNY → "-2503": the amount as an integer string of minor units (ISO 4217 exponent).
 * Refuses an unknown currency and an amount more precise than the currency.
 */
export function toMinorUnits(decimal: string, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === null) fail('bad_value', 'stmt_currency_unknown', { currency }, null, 'currency');
  const canonical = /^[+-]?\d+(?:\.\d+)?$/.test(decimal) ? parsePlainDecimal(decimal) : null;
  if (canonical === null) fail('bad_amount', 'stmt_not_decimal', { value: decimal }, null, 'amount');
  const fitted = fitToCurrency(canonical, currency, null, 'amount');
  return scaled(fitted, exp).toString();
}

/** Σ kept as it goes, equal to `sumDecimals` of every decimal added (the scale is the largest seen). */
export class DecimalSum {
  private sum = 0n;
  private scale = 0;

  add(decimal: string): void {
    const p = parts(decimal);
    if (p.frac.length > this.scale) {
      this.sum *= 10n ** BigInt(p.frac.length - this.scale);
      this.scale = p.frac.length;
    }
    this.sum += scaled(decimal, this.scale);
  }

  toString(): string {
    return unscale(this.sum, this.scale);
  }
}
