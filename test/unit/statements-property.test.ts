// Property tests of the decimal parsing and the sign conventions: amounts survive every way a bank
// writes them, exactly, and the four column conventions give the same statement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readStatements, toMinorUnits } from '../../main/formats/statements';
import { addDecimals, fitToCurrency, parseBankAmount, parsePlainDecimal, parseSwiftAmount } from '../../main/formats/statements/decimal';

const fen = fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n });

function yuan(v: bigint, opts: { grouping?: boolean; plus?: boolean; symbol?: string; trailing?: number } = {}): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let whole = (abs / 100n).toString();
  if (opts.grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (abs % 100n).toString().padStart(2, '0') + '0'.repeat(opts.trailing ?? 0);
  return `${neg ? '-' : opts.plus ? '+' : ''}${opts.symbol ?? ''}${whole}.${frac}`;
}

describe('decimal amounts', () => {
  it('round-trip exactly through every way a Chinese bank prints them', () => {
    fc.assert(
      fc.property(
        fen,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('', '¥', '￥'),
        fc.integer({ min: 0, max: 3 }),
        (v, grouping, plus, symbol, trailing) => {
          const text = yuan(v, { grouping, plus, symbol, trailing });
          const parsed = parseBankAmount(text);
          expect(parsed, text).not.toBeNull();
          const canonical = fitToCurrency(parsed as string, 'CNY', null, null);
          expect(canonical).toBe(yuan(v));
          expect(toMinorUnits(canonical, 'CNY')).toBe(v.toString());
        },
      ),
    );
  });

  it('round-trip through MT940 and camt/OFX notation', () => {
    fc.assert(
      fc.property(fen, (v) => {
        const abs = v < 0n ? -v : v;
        const swift = yuan(abs).replace('.', ',');
        expect(toMinorUnits(fitToCurrency(parseSwiftAmount(swift) as string, 'EUR', null, null), 'EUR')).toBe(abs.toString());
        expect(toMinorUnits(parsePlainDecimal(yuan(v)) as string, 'USD')).toBe(v.toString());
      }),
    );
  });

  it('adds exactly (bigint arithmetic at a common scale)', () => {
    fc.assert(
      fc.property(fc.array(fen, { maxLength: 30 }), (vs) => {
        expect(toMinorUnits(addDecimals('0.00', ...vs.map((v) => yuan(v))), 'CNY')).toBe(vs.reduce((a, b) => a + b, 0n).toString());
      }),
    );
  });

  it('knows ISO 4217 exponents and refuses digits a currency cannot hold', () => {
    expect(toMinorUnits('2700', 'JPY')).toBe('2700');
    expect(toMinorUnits('1.234', 'KWD')).toBe('1234');
    expect(toMinorUnits('-25.03', 'CNY')).toBe('-2503');
    expect(toMinorUnits('25.030', 'CNY')).toBe('2503');
    expect(() => toMinorUnits('25.031', 'CNY')).toThrow(/more decimals than CNY allows \(2\)/);
    expect(() => toMinorUnits('1.5', 'JPY')).toThrow(/more decimals than JPY allows \(0\)/);
    expect(() => toMinorUnits('1', 'XYZ')).toThrow(/unknown currency/);
    expect(() => toMinorUnits('1,5', 'EUR')).toThrow(/not a decimal amount/);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '1,23.00', '12,3456.00', '1e3', '0x10', '1.2.3', '--1', '¥', '12,'])
      expect(parseBankAmount(bad), bad).toBeNull();
    expect(parseBankAmount('(1,000.00)')).toBe('-1000.00');
    expect(parseBankAmount('−25.03')).toBe('-25.03');
    expect(parseBankAmount('1288元')).toBe('1288');
  });
});

describe('sign conventions', () => {
  const line = fc.record({ day: fc.integer({ min: 1, max: 28 }), v: fen.filter((x) => x !== 0n) });

  it('signed, 收入/支出, 借方/贷方 and 收/支 columns give the same lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 25 }), async (ls) => {
        const q = (s: string) => `"${s}"`;
        const date = (d: number) => `2024-03-${String(d).padStart(2, '0')}`;
        const abs = (v: bigint) => yuan(v < 0n ? -v : v, { grouping: true });
        const files = {
          signed: ['日期,金额', ...ls.map((l) => `${date(l.day)},${q(yuan(l.v, { grouping: true, plus: true }))}`)],
          in_out: ['日期,收入,支出', ...ls.map((l) => `${date(l.day)},${l.v > 0n ? q(abs(l.v)) : ''},${l.v < 0n ? q(abs(l.v)) : ''}`)],
          debit_credit: [
            '日期,借方,贷方',
            ...ls.map((l) => `${date(l.day)},${l.v < 0n ? q(abs(l.v)) : '0.00'},${l.v > 0n ? q(abs(l.v)) : '0.00'}`),
          ],
          direction: ['日期,收/支,金额', ...ls.map((l) => `${date(l.day)},${l.v > 0n ? '收入' : '支出'},${q('¥' + abs(l.v))}`)],
        };
        const mappings = {
          signed: { kind: 'signed', amount: '金额' },
          in_out: { kind: 'in_out', in: '收入', out: '支出' },
          debit_credit: { kind: 'debit_credit', debit: '借方', credit: '贷方' },
          direction: { kind: 'direction', amount: '金额', direction: '收/支', in: ['收入'], out: ['支出'] },
        } as const;
        const results = await Promise.all(
          (Object.keys(files) as (keyof typeof files)[]).map((k) =>
            readStatements(Buffer.from(files[k].join('\r\n')), { fileName: `${k}.csv`, mapping: { date: '日期', amount: mappings[k] } }),
          ),
        );
        const expected = ls.map((l) => yuan(l.v));
        for (const r of results) {
          expect(r).toHaveLength(1);
          expect(r[0]?.lines.map((x) => x.amount)).toEqual(expected);
          expect(r[0]?.lines).toEqual(results[0]?.[0]?.lines);
        }
      }),
      { numRuns: 60 },
    );
  });
});
