// 劳务报酬 withholding, pure: each bracket edge worked by hand, the month's payments combined as one 次,
// the CNY value of earnings coins with its rounding, ID numbers checked and masked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coinValueFen, laborTax, maskIdNumber, normaliseIdNumber, residentIdCheck, withholdingFor } from '../../main/domain/withholding';

describe('laborTax (fen)', () => {
  it.each([
    // income, deduction, taxable, rate, quick, tax — all fen, worked by hand
    [0, 0, 0, 20, 0, 0],
    [50_000, 50_000, 0, 20, 0, 0], // 500.00: below the 800 deduction, nothing taxable
    [80_000, 80_000, 0, 20, 0, 0], // 800.00: taxable 0
    [80_001, 80_000, 1, 20, 0, 0], // 800.01: taxable 0.01, tax 0.002 → 0.00
    [100_000, 80_000, 20_000, 20, 0, 4_000], // 1,000.00: (1,000 − 800) × 20 % = 40.00
    [400_000, 80_000, 320_000, 20, 0, 64_000], // 4,000.00: 3,200 × 20 % = 640.00
    // 4,000.01: taxable 4,000.01 × 80 % = 3,200.008 → 3,200.01 shown; tax 640.0016 → 640.00
    [400_001, 80_000, 320_001, 20, 0, 64_000],
    [500_000, 100_000, 400_000, 20, 0, 80_000], // 5,000.00: 4,000 × 20 % = 800.00
    [2_500_000, 500_000, 2_000_000, 20, 0, 400_000], // 25,000.00: taxable 20,000 (the top of 20 %) → 4,000.00
    // 25,000.01: taxable 20,000.008 → 30 %: 6,000.0024 − 2,000 = 4,000.0024 → 4,000.00
    [2_500_001, 500_000, 2_000_001, 30, 200_000, 400_000],
    [3_000_000, 600_000, 2_400_000, 30, 200_000, 520_000], // 30,000.00: 24,000 × 30 % − 2,000 = 5,200.00
    [6_250_000, 1_250_000, 5_000_000, 30, 200_000, 1_300_000], // 62,500.00: 50,000 × 30 % − 2,000 = 13,000.00
    // 62,500.01: taxable 50,000.008 → 40 %: 20,000.0032 − 7,000 = 13,000.0032 → 13,000.00
    [6_250_001, 1_250_000, 5_000_001, 40, 700_000, 1_300_000],
    [10_000_000, 2_000_000, 8_000_000, 40, 700_000, 2_500_000], // 100,000.00: 80,000 × 40 % − 7,000 = 25,000.00
    // 1,234.56: taxable 434.56, tax 86.912 → 86.91
    [123_456, 80_000, 43_456, 20, 0, 8_691],
    // 7,777.77: taxable 6,222.216 → 6,222.22; tax 1,244.4432 → 1,244.44
    [777_777, 155_555, 622_222, 20, 0, 124_444],
  ])('income %i fen: deduction %i, taxable %i, %i %% − %i, tax %i', (income, deduction, taxable, rate, quick, tax) => {
    expect(laborTax(income)).toEqual({ income, deduction, taxable, ratePercent: rate, quickDeduction: quick, tax });
  });

  it('refuses what is not whole fen', () => {
    expect(() => laborTax(-1)).toThrow(RangeError);
    expect(() => laborTax(1.5)).toThrow(RangeError);
  });
});

describe('a person’s payments in one month are one 次', () => {
  it('withholds the tax on the month so far less what was withheld (hand-worked)', () => {
    // 3,000.00 first: (3,000 − 800) × 20 % = 440.00
    const first = withholdingFor(300_000, { incomeFen: 0, withheldFen: 0 });
    expect(first).toEqual({ tax: 44_000, net: 256_000 });
    // then 2,000.00: the month is 5,000.00 → taxable 4,000 → 800.00; 800 − 440 = 360.00 (alone it would be 240.00)
    const second = withholdingFor(200_000, { incomeFen: 300_000, withheldFen: 44_000 });
    expect(second).toEqual({ tax: 36_000, net: 164_000 });
    // then 30,000.00: the month is 35,000.00 → taxable 28,000 → 30 %: 8,400 − 2,000 = 6,400.00; 6,400 − 800 = 5,600.00
    expect(withholdingFor(3_000_000, { incomeFen: 500_000, withheldFen: 80_000 })).toEqual({ tax: 560_000, net: 2_440_000 });
  });

  it('property: whatever the split, the month withholds the tax on its total, each payment within 0 … itself', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20_000_000 }), { minLength: 1, maxLength: 12 }), (payments) => {
        let income = 0;
        let withheld = 0;
        for (const p of payments) {
          const { tax, net } = withholdingFor(p, { incomeFen: income, withheldFen: withheld });
          expect(tax).toBeGreaterThanOrEqual(0);
          expect(tax).toBeLessThanOrEqual(p);
          expect(tax + net).toBe(p);
          income += p;
          withheld += tax;
          // invariant after every step: withheld so far = the tax on the income so far
          expect(withheld).toBe(laborTax(income).tax);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: the tax never falls as income rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (a, d) => {
        expect(laborTax(a + d).tax).toBeGreaterThanOrEqual(laborTax(a).tax);
      }),
    );
  });
});

describe('the CNY value of earnings coins', () => {
  it('is coins × fen ÷ perCoins, rounded half up to the fen', () => {
    expect(coinValueFen(1_234, { fen: 10, perCoins: 1 })).toBe(12_340); // 0.10 yuan a coin: 123.40
    expect(coinValueFen(1_000, { fen: 1, perCoins: 3 })).toBe(333); // 333.33… → 333
    expect(coinValueFen(1_001, { fen: 1, perCoins: 3 })).toBe(334); // 333.67 → 334
    expect(coinValueFen(5, { fen: 1, perCoins: 2 })).toBe(3); // 2.5 → 3 (half up)
    expect(coinValueFen(7, { fen: 0, perCoins: 1 })).toBe(0);
  });
});

describe('ID numbers', () => {
  it('check the resident ID’s check character and normalise', () => {
    expect(residentIdCheck('11010519491231002')).toBe('X');
    expect(normaliseIdNumber('resident_id', '11010519491231002x')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(normaliseIdNumber('resident_id', '110101 19900307 1233')).toEqual({ ok: true, value: '110101199003071233' });
    expect(normaliseIdNumber('resident_id', '110101199003071234')).toMatchObject({ ok: false });
    expect(normaliseIdNumber('resident_id', '1101011990030712')).toMatchObject({ ok: false });
    expect(normaliseIdNumber('cn_passport', 'e12345678')).toEqual({ ok: true, value: 'E12345678' });
    expect(normaliseIdNumber('cn_passport', '=1+2')).toMatchObject({ ok: false });
  });

  it('mask all but the first four and last four characters', () => {
    expect(maskIdNumber('110101199003071233')).toBe('1101**********1233');
    expect(maskIdNumber('E12345678')).toBe('E123*5678');
    expect(maskIdNumber('AB1234')).toBe('A****4');
  });
});
