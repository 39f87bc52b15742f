import type { MessageKey, TFunction } from '../../i18n';

export const LEDGERS = [1, 2, 3] as const;

export function ledgerName(ledger: number, t: TFunction): string {
  return ledger === 1 || ledger === 2 || ledger === 3 ? t(`ledger.${ledger}`) : String(ledger);
}

/** The ledger's short name for table cells. */
export function ledgerShort(ledger: number, t: TFunction): string {
  return ledger === 1 || ledger === 2 || ledger === 3 ? t(`ledger.short.${ledger}`) : String(ledger);
}

export function ledgerOptions(t: TFunction) {
  return LEDGERS.map((l) => ({ value: l, label: ledgerName(l, t) }));
}

// The chart's system accounts, named in the console's language by their code (the books store an
// English name per account; lists carry each account's code beside it).
const SYSTEM_CODES = [
  'unallocated_receipts',
  'customer_prepayments',
  'refunds_payable',
  'suspense',
  'coin_issuance',
  'coin_consumption',
  'earnings_pool',
  'earnings_consumption',
  'bank_fees',
  'opening_balances',
  'bonus_issuance',
  'earnings_payable',
  'payouts_payable',
  'earnings_withdrawn',
] as const;

/** A system account's name in the console's language (by its code); any other account as stored. */
export function accountName(name: string, t: TFunction, code: string, system = true): string {
  if (!system || !(SYSTEM_CODES as readonly string[]).includes(code)) return name;
  return t(`account.system.${code}` as MessageKey);
}
