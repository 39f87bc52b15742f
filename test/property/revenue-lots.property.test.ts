// The revenue run's lots (domain/revenue.ts) under random recharges, uses, moves among wallets and
// reversals, with either method and any breakage rate. After every step: each wallet's lots hold exactly
// its coins (the ledger never lets a wallet go negative, so no deficit arises), no lot is negative, a
// weighted wallet has one pool, and money is conserved — what came in is what the lots hold plus what
// uses recognised plus what reversals took back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LotBook, drawFromLot, splitCustomer, taxIn, type RevenueMethod } from '../../main/domain/revenue';

const WALLETS = 4;

type Step =
  | { t: 'recharge'; wallet: number; paid: number; bonus: number; money: number }
  | { t: 'use'; wallet: number; share: number }
  | { t: 'move'; from: number; to: number; share: number }
  | { t: 'reverse'; pick: number }
  | { t: 'policy'; method: RevenueMethod; breakageBp: number };

const wallet = fc.integer({ min: 0, max: WALLETS - 1 });
const share = fc.double({ min: 0, max: 1, noNaN: true });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    t: fc.constant('recharge' as const),
    wallet,
    paid: fc.integer({ min: 1, max: 100_000 }),
    bonus: fc.integer({ min: 0, max: 20_000 }),
    money: fc.integer({ min: 1, max: 10_000_000 }),
  }),
  fc.record({ t: fc.constant('use' as const), wallet, share }),
  fc.record({ t: fc.constant('move' as const), from: wallet, to: wallet, share }),
  fc.record({ t: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({
    t: fc.constant('policy' as const),
    method: fc.constantFrom<RevenueMethod>('fifo', 'weighted'),
    breakageBp: fc.constantFrom(0, 0, 500, 1000, 5000),
  }),
);

describe('revenue lots (property)', () => {
  it('keep each wallet’s coins, never go negative, and conserve money', () => {
    fc.assert(
      fc.property(fc.constantFrom<RevenueMethod>('fifo', 'weighted'), fc.array(step, { maxLength: 60 }), (method, steps) => {
        const book = new LotBook({ method, breakageBp: 0 });
        const coins = new Array<bigint>(WALLETS).fill(0n);
        const records: { id: number; wallet: number; coins: bigint; money: bigint; reversed: boolean }[] = [];
        let moneyIn = 0n;
        let recognised = 0n;
        let takenBack = 0n;
        for (const s of steps) {
          if (s.t === 'recharge') {
            const c = BigInt(s.paid + s.bonus);
            const r = { id: records.length + 1, wallet: s.wallet, coins: c, money: BigInt(s.money), reversed: false };
            records.push(r);
            book.apply({ kind: 'lot', wallet: s.wallet, coins: c, money: r.money, recordId: r.id });
            coins[s.wallet]! += c;
            moneyIn += r.money;
          } else if (s.t === 'use') {
            const n = BigInt(Math.floor(Number(coins[s.wallet]!) * s.share));
            if (n === 0n) continue;
            for (const r of book.apply({ kind: 'use', wallet: s.wallet, coins: n })) {
              expect(r.value).toBeGreaterThanOrEqual(0n);
              expect(r.breakage).toBeGreaterThanOrEqual(0n);
              recognised += r.value + r.breakage;
            }
            coins[s.wallet]! -= n;
          } else if (s.t === 'move') {
            const n = BigInt(Math.floor(Number(coins[s.from]!) * s.share));
            if (n === 0n || s.from === s.to) continue;
            book.apply({ kind: 'move', from: s.from, to: s.to, coins: n });
            coins[s.from]! -= n;
            coins[s.to]! += n;
          } else if (s.t === 'reverse') {
            const open = records.filter((r) => !r.reversed && coins[r.wallet]! >= r.coins);
            if (open.length === 0) continue;
            const r = open[s.pick % open.length]!;
            for (const x of book.apply({ kind: 'reverse', wallet: r.wallet, coins: r.coins, money: r.money, recordId: r.id }))
              takenBack += x.adjustment + r.money;
            r.reversed = true;
            coins[r.wallet]! -= r.coins;
          } else {
            book.setPolicy({ method: s.method, breakageBp: s.breakageBp });
          }
          let held = 0n;
          for (let w = 0; w < WALLETS; w++) {
            const h = book.holding(w);
            expect(h.deficit).toBe(0n);
            expect(h.coins).toBe(coins[w]);
            expect(h.money).toBeGreaterThanOrEqual(0n);
            held += h.money;
          }
          expect(held + recognised + takenBack).toBe(moneyIn);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a lot drawn to its last coin gives all its money; breakage never recognises more than the lot holds', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 9000 }),
        (c, m, f, bp) => {
          const n = BigInt(Math.max(1, Math.floor(Number(c) * f)));
          const d = drawFromLot({ coins: c, money: m, recordId: null }, n > c ? c : n, bp);
          expect(d.recognised).toBeLessThanOrEqual(m);
          expect(d.recognised).toBeGreaterThanOrEqual(d.value);
          if (n >= c) expect(d.recognised).toBe(m);
        },
      ),
    );
  });

  it('tax is never charged twice: pretaxed gross is used first, and revenue + tax + pretaxed tax = gross', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.bigInt({ min: 0n, max: 10n ** 10n }), (value, pre) => {
        const preTax = taxIn(pre, { num: 6, den: 100 });
        const r = splitCustomer({ usedCoins: 1n, value, breakage: 0n, adjustment: 0n }, { gross: pre, tax: preTax }, { num: 6, den: 100 });
        expect(r.revenue + r.tax + r.pretaxedTax).toBe(r.gross);
        expect(r.pretaxedGross).toBe(value < pre ? value : pre);
        expect(r.tax).toBe(taxIn(value - r.pretaxedGross, { num: 6, den: 100 }));
      }),
    );
  });
});
