// 人民币大写: an amount in fen written in the capital numerals that receipts and bank documents carry,
// by the rules for filling in bills (《正确填写票据和结算凭证的基本规定》) as numbers are read aloud:
//  - 零壹贰叁肆伍陆柒捌玖, 拾佰仟 within a group of four digits, 万 and 亿 after groups (万亿 = 万 of 亿); 元角分;
//  - zeros at the end of a group are not written; a run of zeros inside the number is one 零;
//    a group that is all zeros, between written digits, is one 零 ("壹亿零柒仟元");
//  - a group after the first starting with 0 (千位 0) gets 零 ("壹万零伍元"); where the rules leave the
//    零 optional (万位 or 元位 0 with the next digit not 0: "壹拾万柒仟元", "壹佰元伍角") it is not written;
//  - 角位 0 with 分 not 0: 零 after 元 ("叁佰贰拾伍元零肆分"); below one yuan no 元 and no leading 零 ("伍分");
//  - 整 after 元 when there are no 角 and 分; none after 角 or 分 ("壹万零伍元贰角");
//  - 拾 always has its digit, at the front too: 壹拾 ("壹拾伍元整"), as cheques require;
//  - zero is 零元整; a negative amount starts with 负.

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES = ['', '拾', '佰', '仟'] as const;
/** 10^16 yuan: 万亿 is as far as the words go. */
const LIMIT = 10n ** 16n * 100n;

/** One group of four digits (1..9999), without leading zeros, zeros inside it as one 零. */
function group(n: number): string {
  let out = '';
  let zero = false;
  for (let place = 3; place >= 0; place--) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS.charAt(d) + (PLACES[place] ?? '');
  }
  return out;
}

type Words = (n: bigint) => string;

/**
 * n (> 0) as what is above a unit (万 = 10^4, 亿 = 10^8) and what is below it: the part below gets 零 when
 * its first place is 0, which covers a run of zeros and a whole group of zeros between written digits.
 */
function split(n: bigint, size: bigint, unit: string, part: Words): string {
  if (n < size) return part(n);
  const lo = n % size;
  const upper = part(n / size) + unit;
  return lo === 0n ? upper : upper + (lo < size / 10n ? '零' : '') + part(lo);
}
const wan: Words = (n) => split(n, 10_000n, '万', (g) => group(Number(g)));
/** The yuan part (> 0) in words, without 元; above 亿 the count of 亿 is itself read with 万 (万亿). */
const whole: Words = (n) => split(n, 100_000_000n, '亿', wan);

/** fen → 人民币大写, e.g. 1000520 → 壹万零伍元贰角. Throws beyond 9,999,999,999,999,999.99 yuan. */
export function yuanInWords(fen: bigint | number): string {
  const n = BigInt(fen);
  if (n < 0n) return `负${yuanInWords(-n)}`;
  if (n >= LIMIT) throw new RangeError(`amount too large for 大写: ${n} fen`);
  const yuan = n / 100n;
  const jiao = Number((n / 10n) % 10n);
  const fenDigit = Number(n % 10n);
  if (n === 0n) return '零元整';
  let out = yuan > 0n ? `${whole(yuan)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0n) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  return out;
}
