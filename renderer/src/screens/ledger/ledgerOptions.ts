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

// The chart's system accounts, named in the console's language. The books store an English name
// per account; the transfer list carries only that name, so the stored names map back to codes.
const SYSTEM_CODES = [
  'unallocated_receipts',
  'customer_prepayments',
  'refunds_payable',
  'suspense',
  'coin_issuance',
  'coin_consumption',
  'earnings_pool',
  'earnings_consumption',
] as const;
const STORED_NAMES: Record<string, (typeof SYSTEM_CODES)[number]> = {
  'Unallocated receipts': 'unallocated_receipts',
  'Customer prepayments': 'customer_prepayments',
  'Refunds payable': 'refunds_payable',
  Suspense: 'suspense',
  'Recharge coin issuance': 'coin_issuance',
  'Recharge coins spent': 'coin_consumption',
  'Earnings pool': 'earnings_pool',
  'Earnings coins spent': 'earnings_consumption',
};

/** A system account's name in the console's language (by code, or by its stored name); else as stored. */
export function accountName(name: string, t: TFunction, code?: string, system = true): string {
  if (!system) return name;
  const c = code && (SYSTEM_CODES as readonly string[]).includes(code) ? code : STORED_NAMES[name];
  return c ? t(`account.system.${c}` as MessageKey) : name;
}
