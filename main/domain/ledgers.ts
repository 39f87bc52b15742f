// The three ledgers. Amounts on different ledgers are never summed together; a coin ledger's kind
// (recharge vs earnings) is a separate ledger so no transfer can cross kinds.
export const LEDGER = { CNY: 1, RECHARGE_COIN: 2, EARNINGS_COIN: 3 } as const;
export type LedgerId = (typeof LEDGER)[keyof typeof LEDGER];
export const LEDGER_IDS: readonly LedgerId[] = [LEDGER.CNY, LEDGER.RECHARGE_COIN, LEDGER.EARNINGS_COIN];

export const LEDGER_CODE: Record<LedgerId, string> = {
  [LEDGER.CNY]: 'CNY',
  [LEDGER.RECHARGE_COIN]: 'RECHARGE_COIN',
  [LEDGER.EARNINGS_COIN]: 'EARNINGS_COIN',
};

/** Whether amounts on this ledger are fen (shown as yuan) or whole coins. */
export function ledgerUnit(ledger: number): 'fen' | 'coin' {
  return ledger === LEDGER.CNY ? 'fen' : 'coin';
}

export function isLedgerId(n: number): n is LedgerId {
  return n === 1 || n === 2 || n === 3;
}

export const ACCOUNT_FLAG = {
  DEBITS_MUST_NOT_EXCEED_CREDITS: 1,
  CREDITS_MUST_NOT_EXCEED_DEBITS: 2,
} as const;
