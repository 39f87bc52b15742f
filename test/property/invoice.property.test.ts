// Invoice maths under random amounts and codes: the tax split never loses or makes a fen, tax is never
// negative, and the credit code's check character catches any single changed character.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { USCC_CHARS, isValidUscc, splitTax, usccCheckChar } from '../../main/domain/invoice-tax';

const rate = fc.oneof(
  fc.constantFrom({ num: 0, den: 1 }, { num: 3, den: 100 }, { num: 6, den: 100 }, { num: 9, den: 100 }, { num: 13, den: 100 }),
  fc.record({ num: fc.integer({ min: 0, max: 1000 }), den: fc.integer({ min: 1, max: 1000 }) }),
);
const gross = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const code17 = fc.array(fc.constantFrom(...USCC_CHARS), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));

describe('tax split', () => {
  it('tax + net = gross exactly; tax is never negative and never more than gross', () => {
    fc.assert(
      fc.property(gross, rate, (g, r) => {
        const { tax, net } = splitTax(g, r);
        expect(tax + net).toBe(g);
        expect(tax).toBeGreaterThanOrEqual(0);
        expect(tax).toBeLessThanOrEqual(g);
        expect(Number.isSafeInteger(tax) && Number.isSafeInteger(net)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
  it('is the half-up rounding of G·r/(1+r), checked in bigint', () => {
    fc.assert(
      fc.property(gross, rate, (g, r) => {
        const { tax } = splitTax(g, r);
        // half-up: −1/2 ≤ exact − tax < 1/2 fen  ⇔  −(den+num) ≤ 2·G·num − 2·tax·(den+num) < den+num
        const d = BigInt(r.den + r.num);
        const diff = 2n * BigInt(g) * BigInt(r.num) - 2n * BigInt(tax) * d;
        expect(diff >= -d && diff < d).toBe(true);
      }),
    );
  });
  it('rounds an exact half fen up (the case CI once drew: 5,924,839,289,748,898 at 9/3)', () => {
    expect(splitTax(1, { num: 1, den: 1 }).tax).toBe(1);
    expect(splitTax(5924839289748898, { num: 9, den: 3 }).tax).toBe(4443629467311674);
  });
  it('splits a red-letter (negative) amount as the mirror of the blue one', () => {
    fc.assert(
      fc.property(gross, rate, (g, r) => {
        const blue = splitTax(g, r);
        const red = splitTax(-g, r);
        expect(red.tax + blue.tax).toBe(0);
        expect(red.net + blue.net).toBe(0);
      }),
    );
  });
});

describe('unified social credit code', () => {
  it('a code with its computed check character is valid', () => {
    fc.assert(
      fc.property(code17, (c) => {
        expect(isValidUscc(c + usccCheckChar(c)!)).toBe(true);
      }),
    );
  });
  it('changing any one character of a valid code makes it invalid', () => {
    fc.assert(
      fc.property(code17, fc.nat(17), fc.constantFrom(...USCC_CHARS), (c, pos, ch) => {
        const valid = c + usccCheckChar(c)!;
        fc.pre(valid[pos] !== ch);
        const changed = valid.slice(0, pos) + ch + valid.slice(pos + 1);
        expect(isValidUscc(changed)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
