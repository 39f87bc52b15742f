// Revenue for prepaid coins (收入确认): pure rules, no I/O.
//
// Each credited recharge is a lot in the wallet it was credited to: its money (fen) spread over its paid
// and bonus coins (bonus coins are a material right, so a coin's value is money ÷ (paid + bonus)). Coins
// leaving a wallet draw on its lots by the method in settings — FIFO (oldest lot first) or weighted
// average (one pool per wallet) — and release the value they carry: as revenue when used (spent, expired),
// into the receiving wallet when moved among linked accounts, and against the refund when a recharge is
// reversed. Breakage (an expected-unused share, off by default) is recognised in proportion to use.

export type RevenueMethod = 'fifo' | 'weighted';

export interface Policy {
  method: RevenueMethod;
  /** Expected unused share of coins in basis points (0 = off). */
  breakageBp: number;
}

export interface Lot {
  coins: bigint;
  money: bigint;
  /** The recharge record the lot came from; null for coins moved in or credited without a record. */
  recordId: number | null;
}

/** What one movement released from a wallet's lots. */
export interface Release {
  wallet: number;
  /** Coins used (spent, expired or otherwise consumed); 0 for moves and reversals. */
  usedCoins: bigint;
  /** Value the used coins carried at their lots' rate. */
  value: bigint;
  /** Breakage recognised with that use. */
  breakage: bigint;
  /**
   * For a reversed recharge: the value the returned coins carried less the money refunded. Negative when
   * the refund took more off the contract liability than the coins carried (revenue comes back).
   */
  adjustment: bigint;
}

export type Movement =
  | { kind: 'lot'; wallet: number; coins: bigint; money: bigint; recordId: number | null }
  | { kind: 'use'; wallet: number; coins: bigint }
  | { kind: 'move'; from: number; to: number; coins: bigint }
  | { kind: 'reverse'; wallet: number; coins: bigint; money: bigint; recordId: number };

const BP = 10_000n;

/** a × b ÷ c rounded half up (non-negative operands, c > 0). */
export function mulDivHalfUp(a: bigint, b: bigint, c: bigint): bigint {
  return (2n * a * b + c) / (2n * c);
}

/**
 * Draws n coins (0 < n ≤ coins) from a lot. `value` is their share of the lot's money; `recognised` adds
 * breakage: with an expected-unused share b, using n of c coins recognises money × n ÷ ((1 − b) × c),
 * all of it once (1 − b) of the coins are used. The last coin always takes what is left.
 */
export function drawFromLot(lot: Lot, n: bigint, breakageBp: number): { value: bigint; recognised: bigint } {
  if (n >= lot.coins) return { value: lot.money, recognised: lot.money };
  const value = mulDivHalfUp(lot.money, n, lot.coins);
  if (breakageBp <= 0) return { value, recognised: value };
  const expected = mulDivHalfUp(lot.money, n * BP, (BP - BigInt(breakageBp)) * lot.coins);
  return { value, recognised: expected > lot.money ? lot.money : expected };
}

interface Wallet {
  lots: Lot[];
  /** Coins drawn that no lot covered (a debit dated before the credit that paid for it); the next lot pays them. */
  deficit: bigint;
}

/** The lots of every recharge wallet, moved on one movement at a time. */
export class LotBook {
  private readonly wallets = new Map<number, Wallet>();
  private policy: Policy;

  constructor(policy: Policy) {
    this.policy = { ...policy };
  }

  /** A new method or breakage rate from the next movement on; switching to weighted pools each wallet's lots. */
  setPolicy(policy: Policy): void {
    if (policy.method === 'weighted' && this.policy.method !== 'weighted') for (const w of this.wallets.values()) w.lots = pool(w.lots);
    this.policy = { ...policy };
  }

  apply(m: Movement): Release[] {
    switch (m.kind) {
      case 'lot':
        return this.addLot(m.wallet, { coins: m.coins, money: m.money, recordId: m.recordId });
      case 'use': {
        const d = this.draw(m.wallet, m.coins, this.policy.breakageBp, null);
        return [{ wallet: m.wallet, usedCoins: m.coins, value: d.value, breakage: d.recognised - d.value, adjustment: 0n }];
      }
      case 'move': {
        // Coins the sender's lots did not cover (a deficit) arrive without value.
        const d = this.draw(m.from, m.coins, 0, null);
        return this.addLot(m.to, { coins: m.coins, money: d.value, recordId: null });
      }
      case 'reverse': {
        const d = this.draw(m.wallet, m.coins, 0, m.recordId);
        return [{ wallet: m.wallet, usedCoins: 0n, value: 0n, breakage: 0n, adjustment: d.value - m.money }];
      }
    }
  }

  /** Coins and money left in a wallet's lots. */
  holding(wallet: number): { coins: bigint; money: bigint; deficit: bigint } {
    const w = this.wallets.get(wallet);
    if (!w) return { coins: 0n, money: 0n, deficit: 0n };
    return {
      coins: w.lots.reduce((s, l) => s + l.coins, 0n),
      money: w.lots.reduce((s, l) => s + l.money, 0n),
      deficit: w.deficit,
    };
  }

  walletIds(): IterableIterator<number> {
    return this.wallets.keys();
  }

  private wallet(id: number): Wallet {
    let w = this.wallets.get(id);
    if (!w) this.wallets.set(id, (w = { lots: [], deficit: 0n }));
    return w;
  }

  /** Adds a lot; coins owed to a deficit are used from it at once (their value released as use). */
  private addLot(walletId: number, lot: Lot): Release[] {
    const w = this.wallet(walletId);
    const out: Release[] = [];
    if (lot.coins > 0n || lot.money > 0n) {
      if (this.policy.method === 'weighted' && w.lots.length > 0) {
        const p = w.lots[0]!;
        w.lots[0] = { coins: p.coins + lot.coins, money: p.money + lot.money, recordId: null };
      } else if (lot.coins > 0n) w.lots.push(lot);
      else if (w.lots.length > 0) w.lots[w.lots.length - 1]!.money += lot.money;
      else w.lots.push(lot);
    }
    if (w.deficit > 0n && lot.coins > 0n) {
      const owed = w.deficit;
      w.deficit = 0n;
      const d = this.draw(walletId, owed, this.policy.breakageBp, null);
      out.push({ wallet: walletId, usedCoins: owed - d.uncovered, value: d.value, breakage: d.recognised - d.value, adjustment: 0n });
    }
    return out;
  }

  /**
   * Takes n coins off a wallet's lots: a named record's lot first (a reversed recharge takes back its own
   * coins where they are still there), then by the method. Coins no lot covers become a deficit.
   */
  private draw(walletId: number, n: bigint, breakageBp: number, recordId: number | null) {
    const w = this.wallet(walletId);
    const lots = w.lots;
    const d = { value: 0n, recognised: 0n, left: n };
    if (recordId !== null) {
      const i = lots.findIndex((l) => l.recordId === recordId);
      if (i >= 0) take(lots[i]!, d, breakageBp);
    }
    for (let i = 0; d.left > 0n && i < lots.length; i++) if (lots[i]!.coins > 0n) take(lots[i]!, d, breakageBp);
    // A lot with no coins left keeps no money: what it had was recognised with its last coin.
    if (lots.some(isEmpty)) w.lots = lots.filter((l) => !isEmpty(l));
    w.deficit += d.left;
    return { value: d.value, recognised: d.recognised, uncovered: d.left };
  }
}

/** Draws what is still wanted (at most the lot's coins) from a lot into the running totals of a draw. */
function take(lot: Lot, d: { value: bigint; recognised: bigint; left: bigint }, breakageBp: number): void {
  const k = d.left < lot.coins ? d.left : lot.coins;
  const x = drawFromLot(lot, k, breakageBp);
  d.value += x.value;
  d.recognised += x.recognised;
  lot.coins -= k;
  lot.money -= x.recognised;
  d.left -= k;
}

const isEmpty = (l: Lot) => l.coins <= 0n;

function pool(lots: Lot[]): Lot[] {
  if (lots.length <= 1) return lots.map((l) => ({ ...l, recordId: null }));
  return [{ coins: lots.reduce((s, l) => s + l.coins, 0n), money: lots.reduce((s, l) => s + l.money, 0n), recordId: null }];
}

/** A customer's share of a month's revenue run, before and after tax. */
export interface CustomerRevenue {
  usedCoins: bigint;
  value: bigint;
  breakage: bigint;
  adjustment: bigint;
  /** value + breakage + adjustment: the tax-inclusive amount taken off the contract liability. */
  gross: bigint;
  /** Of gross, what was already taxed when invoiced (a taxable invoice product), and that tax. */
  pretaxedGross: bigint;
  pretaxedTax: bigint;
  /** Output VAT on the rest, at the run's rate. */
  tax: bigint;
  /** gross − pretaxedTax − tax. */
  revenue: bigint;
}

/** Half-up to the fen, away from zero for negative amounts: tax in a tax-inclusive amount g at num/den. */
export function taxIn(g: bigint, rate: { num: number; den: number }): bigint {
  if (rate.num === 0 || g === 0n) return 0n;
  const num = BigInt(rate.num);
  const den = BigInt(rate.den) + num;
  const abs = mulDivHalfUp(g < 0n ? -g : g, num, den);
  return g < 0n ? -abs : abs;
}

/**
 * Splits a customer's month into revenue and tax. `pretaxed` is what is left of the gross the customer's
 * taxable invoices already taxed (and that tax); it is used first, so no value is taxed twice.
 */
export function splitCustomer(
  r: { usedCoins: bigint; value: bigint; breakage: bigint; adjustment: bigint },
  pretaxed: { gross: bigint; tax: bigint },
  rate: { num: number; den: number },
): CustomerRevenue {
  const gross = r.value + r.breakage + r.adjustment;
  const pretaxedGross = gross > 0n && pretaxed.gross > 0n ? (gross < pretaxed.gross ? gross : pretaxed.gross) : 0n;
  const pretaxedTax =
    pretaxedGross === 0n ? 0n : pretaxedGross === pretaxed.gross ? pretaxed.tax : mulDivHalfUp(pretaxed.tax, pretaxedGross, pretaxed.gross);
  const tax = taxIn(gross - pretaxedGross, rate);
  return { ...r, gross, pretaxedGross, pretaxedTax, tax, revenue: gross - pretaxedTax - tax };
}
