// Pure rules: money parsing and formatting (never through floats), Shanghai business dates, and the
// transfer rules on their own.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCoins, formatYuan, parseMinor, parseYuan } from '../../main/domain/money';
import { shanghaiDate, shanghaiDayStart } from '../../main/domain/dates';
import { applyTransfer, compareReplay, limitBroken, type LedgerAccount } from '../../main/domain/transfer-rules';
import { csvField } from '../../main/formats/csv';

describe('money', () => {
  it('parses yuan strings exactly, with grouping, and refuses what it cannot read', () => {
    expect(parseYuan('1288.00')).toBe(128_800);
    expect(parseYuan('1,288.5')).toBe(128_850);
    expect(parseYuan('-25.03')).toBe(-2_503);
    expect(parseYuan('0.1')).toBe(10);
    expect(parseYuan(' 7 ')).toBe(700);
    for (const bad of ['', '1.234', '1,28.00', '12,3456.00', '1e3', 'NaN', '0x10', '¥12', '12.', '.5', '--1']) {
      expect(() => parseYuan(bad), bad).toThrow(/not an amount in yuan/);
    }
  });

  it('formats fen as yuan for files and screens', () => {
    expect(formatYuan(128_800)).toBe('1288.00');
    expect(formatYuan(128_800, true)).toBe('1,288.00');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(Number.MAX_SAFE_INTEGER, true)).toBe('90,071,992,547,409.91');
    expect(formatCoins(1_234_567)).toBe('1,234,567');
    expect(() => formatYuan(0.5)).toThrow();
  });

  it('round-trips every safe amount through its text, and 0.1 + 0.2 stays 30 fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), (fen, group) => {
        expect(parseYuan(formatYuan(fen, group))).toBe(fen);
      }),
    );
    expect(parseYuan('0.1') + parseYuan('0.2')).toBe(parseYuan('0.3'));
  });

  it('reads integer strings of minor units from IPC, refusing floats and padding', () => {
    expect(parseMinor('128800')).toBe(128_800);
    for (const bad of ['1.5', '01', '', ' 1', '1e5', '99999999999999999']) expect(() => parseMinor(bad), bad).toThrow();
  });
});

describe('Shanghai business dates', () => {
  it('puts 16:30 UTC on the next Shanghai day', () => {
    expect(shanghaiDate(Date.UTC(2026, 10, 24, 16, 30))).toBe('2026-11-25');
    expect(shanghaiDate(Date.UTC(2026, 10, 24, 15, 59))).toBe('2026-11-24');
    expect(shanghaiDayStart('2026-11-25')).toBe(Date.UTC(2026, 10, 24, 16, 0));
    expect(() => shanghaiDayStart('2026-02-30')).toThrow(/no such date/);
  });
});

describe('transfer rules', () => {
  const acct = (over: Partial<LedgerAccount>): LedgerAccount => ({
    id: 1,
    ledger: 2,
    flags: 0,
    debitsPending: 0,
    debitsPosted: 0,
    creditsPending: 0,
    creditsPosted: 0,
    ...over,
  });

  it('check limits including pending reservations', () => {
    const wallet = acct({ id: 1, flags: 1, creditsPosted: 100, debitsPending: 30 });
    const other = acct({ id: 2 });
    expect(applyTransfer({ kind: 'single', ledger: 2, debitAccountId: 1, creditAccountId: 2, amount: 71 }, wallet, other)).toBe(
      'exceeds_credits',
    );
    expect(applyTransfer({ kind: 'single', ledger: 2, debitAccountId: 1, creditAccountId: 2, amount: 70 }, wallet, other)).toMatchObject({
      debit: { debitsPosted: 70 },
    });
    const capped = acct({ id: 3, flags: 2, debitsPosted: 10 });
    expect(applyTransfer({ kind: 'pending', ledger: 2, debitAccountId: 2, creditAccountId: 3, amount: 11 }, other, capped)).toBe(
      'exceeds_debits',
    );
  });

  it('refuse overflow instead of losing precision', () => {
    const big = acct({ id: 1, debitsPosted: Number.MAX_SAFE_INTEGER - 1 });
    expect(applyTransfer({ kind: 'single', ledger: 2, debitAccountId: 1, creditAccountId: 2, amount: 2 }, big, acct({ id: 2 }))).toBe(
      'overflows_debits',
    );
  });

  it('do not change the accounts they are given', () => {
    const a = acct({ id: 1 });
    const b = acct({ id: 2 });
    applyTransfer({ kind: 'single', ledger: 2, debitAccountId: 1, creditAccountId: 2, amount: 5 }, a, b);
    expect(a.debitsPosted).toBe(0);
    expect(b.creditsPosted).toBe(0);
  });

  it('name the first field a replay differs in', () => {
    const e = {
      ledger: 2,
      debitAccountId: 1,
      creditAccountId: 2,
      amount: 5,
      kind: 'single' as const,
      pendingId: null,
      reversesId: null,
      code: 'x',
    };
    expect(compareReplay(e, { ...e })).toBe('exists');
    expect(compareReplay(e, { ...e, creditAccountId: 3, amount: 6 })).toBe('exists_with_different_credit_account_id');
    expect(limitBroken(acct({ flags: 1, debitsPosted: 1 }))).toBe('exceeds_credits');
  });
});

describe('CSV cells', () => {
  it('neutralise formula starts and quote separators', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-3')).toBe("'-3");
    expect(csvField(-3)).toBe('-3');
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('张三')).toBe('张三');
  });
});
