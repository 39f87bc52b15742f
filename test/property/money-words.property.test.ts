// 人民币大写 (domain/money-words.ts) against a reference written another way, and read back.
//
// The reference is the classic way of writing 大写 by hand: every digit with its place (零 included, so
// 10,005.20 is first 壹万零仟零佰零拾伍元贰角零分), then the zeros squeezed by the rules one at a time:
// a 零 before 拾佰仟 is just 零; a run of 零 is one; a 万 group all zeros after 亿 leaves one 零 for the gap;
// 零 before 亿 / 万 / 元 goes (the unit is written anyway); 零角零分 is 整; a trailing 零分 goes; 零角 is 零;
// below one yuan the leading 零 goes. The reader parses the words back into fen (digits times their
// places, 万 and 亿 as multipliers), so every amount's words say exactly that amount.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { yuanInWords } from '../../main/domain/money-words';

const D = '零壹贰叁肆伍陆柒捌玖';
const LIMIT = 10n ** 18n; // fen: 10^16 yuan
const PLACES = ['元', '拾', '佰', '仟', '万', '拾', '佰', '仟', '亿', '拾', '佰', '仟', '万', '拾', '佰', '仟'];

function reference(fen: bigint): string {
  if (fen === 0n) return '零元整';
  const yuan = (fen / 100n).toString();
  let s = '';
  if (fen >= 100n) for (let i = 0; i < yuan.length; i++) s += D[Number(yuan[i])]! + PLACES[yuan.length - 1 - i]!;
  s += `${D[Number((fen / 10n) % 10n)]}角${D[Number(fen % 10n)]}分`;
  s = s
    .replace(/零[拾佰仟]/g, '零')
    .replace(/零+/g, '零')
    .replace(/亿零万/g, '亿零')
    .replace(/零+/g, '零')
    .replace(/零亿/g, '亿')
    .replace(/零万/g, '万')
    .replace(/零元/g, '元')
    .replace(/零角零分$/, '整')
    .replace(/零分$/, '')
    .replace(/零角/, '零');
  return fen < 100n ? s.replace(/^零/, '') : s;
}

/** Words back to fen. */
function read(words: string): bigint {
  if (words.startsWith('负')) return -read(words.slice(1));
  const digit = (c: string) => BigInt(D.indexOf(c));
  const group = (s: string): bigint => {
    let v = 0n;
    let d = 0n;
    for (const c of s) {
      const place = '拾佰仟'.indexOf(c);
      if (place >= 0) {
        v += d * 10n ** BigInt(place + 1);
        d = 0n;
      } else d = digit(c); // 零 reads as 0
    }
    return v + d;
  };
  const by = (s: string, unit: string, size: bigint, part: (s: string) => bigint): bigint => {
    const i = s.indexOf(unit);
    return i < 0 ? part(s) : part(s.slice(0, i)) * size + part(s.slice(i + 1));
  };
  const wan = (s: string) => by(s, '万', 10_000n, group);
  const [whole, rest] = words.includes('元') ? words.split('元') : ['', words];
  let fen = by(whole!, '亿', 100_000_000n, wan) * 100n;
  const jiao = /([壹贰叁肆伍陆柒捌玖])角/.exec(rest!);
  const f = /([壹贰叁肆伍陆柒捌玖])分/.exec(rest!);
  if (jiao) fen += digit(jiao[1]!) * 10n;
  if (f) fen += digit(f[1]!);
  return fen;
}

/** Amounts with many zeros among their digits, where the rules for 零 are tested. */
const sparse = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }) }), {
    minLength: 1,
    maxLength: 18,
  })
  .map((ds) => BigInt(ds.join('')));
const any = fc.oneof(sparse, fc.bigInt({ min: 0n, max: LIMIT - 1n }), fc.bigInt({ min: 0n, max: 1_000_000n }));

describe('人民币大写', () => {
  it('hand cases', () => {
    const cases: [number | bigint, string][] = [
      [1_000_520, '壹万零伍元贰角'], // 10,005.20: 千百十 zeros are one 零; nothing after 角
      [5, '伍分'], // 0.05: no 元, no 零
      [50, '伍角'],
      [10_000_000_000, '壹亿元整'], // 100,000,000.00
      [0, '零元整'],
      [1_500, '壹拾伍元整'], // 拾 at the front keeps its 壹
      [168_032, '壹仟陆佰捌拾元叁角贰分'], // 元位 0, 角 not 0: 零 optional, not written
      [1_640_902, '壹万陆仟肆佰零玖元零贰分'], // 角位 0, 分 not 0: 零 after 元
      [32_504, '叁佰贰拾伍元零肆分'],
      [10_700_000, '壹拾万柒仟元整'], // 万位 0, 千位 not 0: 零 optional, not written
      [10_000_700_000, '壹亿零柒仟元整'], // the whole 万 group 0 between digits: one 零
      [10_001_000_000, '壹亿零壹万元整'],
      [101_000_000, '壹佰零壹万元整'],
      [100_000_100, '壹佰万零壹元整'],
      [110, '壹元壹角'],
      [100_050_000_000_000n, '壹万零伍亿元整'], // 万亿: the count of 亿 read with 万
      [100_000_000_000_000n, '壹万亿元整'],
      [-1_234, '负壹拾贰元叁角肆分'],
      [999_999_999_999_999_999n, '玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    ];
    for (const [fen, words] of cases) expect([fen, yuanInWords(fen)]).toEqual([fen, words]);
    expect(() => yuanInWords(LIMIT)).toThrow(RangeError);
  });

  it('agrees with the reference written digit by digit', () => {
    fc.assert(
      fc.property(any, (fen) => {
        expect(yuanInWords(fen)).toBe(reference(fen));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads back as the same amount, negative ones too', () => {
    fc.assert(
      fc.property(any, fc.boolean(), (fen, negative) => {
        const n = negative ? -fen : fen;
        expect(read(yuanInWords(n))).toBe(n);
      }),
      { numRuns: 5_000 },
    );
  });

  it('(above zero) never two 零 together, never 零 before a unit of a group or at the end; 整 exactly when there are no 角 and 分', () => {
    fc.assert(
      fc.property(any, (fen) => {
        const w = yuanInWords(fen);
        if (fen === 0n) return;
        expect(w).not.toMatch(/零零|零[元万亿整拾佰仟]|零$/);
        expect(w.endsWith('整')).toBe(fen % 100n === 0n);
        expect(w.endsWith('元整') || !w.endsWith('整')).toBe(true);
        if (fen >= 100n) expect(w).toContain('元');
        else if (fen > 0n) expect(w).not.toMatch(/^零|元/);
      }),
      { numRuns: 5_000 },
    );
  });
});
