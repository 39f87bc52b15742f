// How money becomes coins (step 4 of the method), as pure functions. A rule version states a base rate
// as an integer ratio (coins per fen), step tiers (the highest tier an amount reaches applies to all
// of it) with bonus coins or a bonus percentage, an optional first-recharge bonus, the rounding, and
// optionally its own rate per payment channel. Bonus coins are always reported apart from paid coins.

export type Rounding = 'down' | 'half_up' | 'up';
export const CHANNELS = ['bank', 'alipay', 'wechat'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Tier {
  /** Reached when the amount is at least this many fen. */
  fromFen: number;
  bonusCoins?: number;
  /** Bonus as basis points of the paid coins (500 = 5%). */
  bonusBp?: number;
}

export interface Rate {
  coins: number;
  perFen: number;
  rounding: Rounding;
  tiers: Tier[];
}

export interface ConversionRule extends Rate {
  firstRechargeBonusCoins?: number;
  firstRechargeBonusBp?: number;
  /** A channel's own rate and tiers, replacing the base ones for requests paid that way. */
  channels?: Partial<Record<Channel, Partial<Rate>>>;
}

export const DEFAULT_CONVERSION: ConversionRule = {
  coins: 10,
  perFen: 100,
  rounding: 'down',
  tiers: [
    { fromFen: 100_000, bonusBp: 500 },
    { fromFen: 500_000, bonusBp: 1_000 },
  ],
  firstRechargeBonusCoins: 0,
};

/** numerator / denominator rounded as stated, in bigint so no product overflows. */
export function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const q = numerator / denominator;
  const r = numerator % denominator;
  if (r === 0n) return q;
  switch (rounding) {
    case 'down':
      return q;
    case 'up':
      return q + 1n;
    case 'half_up':
      return 2n * r >= denominator ? q + 1n : q;
  }
}

export interface Conversion {
  paidCoins: number;
  bonusCoins: number;
  tier: Tier | null;
  firstRechargeBonus: number;
  rate: Rate;
}

function safe(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} would exceed the largest amount the ledger holds`);
  return Number(n);
}

export function rateFor(rule: ConversionRule, channel: Channel): Rate {
  const own = rule.channels?.[channel];
  return {
    coins: own?.coins ?? rule.coins,
    perFen: own?.perFen ?? rule.perFen,
    rounding: own?.rounding ?? rule.rounding,
    tiers: own?.tiers ?? rule.tiers,
  };
}

/** The tier an amount reaches (the one with the highest threshold at or below it), or null. */
export function tierFor(tiers: Tier[], amountFen: number): Tier | null {
  let best: Tier | null = null;
  for (const t of tiers) if (amountFen >= t.fromFen && (!best || t.fromFen > best.fromFen)) best = t;
  return best;
}

export function convert(rule: ConversionRule, amountFen: number, o: { channel: Channel; firstRecharge: boolean }): Conversion {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new RangeError('the amount must be a positive number of fen');
  const rate = rateFor(rule, o.channel);
  const paid = divide(BigInt(amountFen) * BigInt(rate.coins), BigInt(rate.perFen), rate.rounding);
  const tier = tierFor(rate.tiers, amountFen);
  let bonus = 0n;
  if (tier) bonus += BigInt(tier.bonusCoins ?? 0) + divide(paid * BigInt(tier.bonusBp ?? 0), 10_000n, rate.rounding);
  let first = 0n;
  if (o.firstRecharge)
    first = BigInt(rule.firstRechargeBonusCoins ?? 0) + divide(paid * BigInt(rule.firstRechargeBonusBp ?? 0), 10_000n, rate.rounding);
  return {
    paidCoins: safe(paid, 'the paid coins'),
    bonusCoins: safe(bonus + first, 'the bonus coins'),
    tier,
    firstRechargeBonus: safe(first, 'the first-recharge bonus'),
    rate,
  };
}
