// A business date is a real calendar date written YYYY-MM-DD: leap days only in leap years, no 31st of
// a 30-day month; checked by arithmetic, the same answer as a round trip through Date.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBusinessDate } from '../../main/domain/periods';

const byDate = (d: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10))).toISOString().slice(0, 10) === d;

describe('a business date', () => {
  it('is a real calendar day', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31', '2026-04-30'].map(isBusinessDate)).toEqual([true, true, true, true]);
    expect(
      ['2023-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01', '2026-01-01 '].map(isBusinessDate),
    ).toEqual(Array(8).fill(false));
  });

  it('answers as a round trip through Date does, for any YYYY-MM-DD', () => {
    const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
    fc.assert(
      fc.property(digits(4, 9999), digits(2, 99), digits(2, 99), (y, m, d) => {
        const s = `${y}-${m}-${d}`;
        expect(isBusinessDate(s)).toBe(byDate(s));
      }),
      { numRuns: 3000 },
    );
  });
});
