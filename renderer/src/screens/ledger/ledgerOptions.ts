import { lookup, type TFunction } from '../../i18n';
import { TRANSFER_BUSINESS_CODES } from '../../../../main/domain/transfer-codes';

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
  'recharge_wallet',
  'earnings_wallet',
] as const;

/** A system account's name in the console's language (by its code); any other account as stored. */
export function accountName(name: string, t: TFunction, code: string, system = true): string {
  if (!system || !(SYSTEM_CODES as readonly string[]).includes(code)) return name;
  return lookup(t, `account.system.${code}`, name);
}

/** The words for the system accounts by code, for a file (accounts with a subject are named by the books). */
export function systemAccountLabels(t: TFunction): Record<string, string> {
  return Object.fromEntries(SYSTEM_CODES.map((c) => [c, t(`account.system.${c}`)]));
}

/** A posting's business code by its name ("银行收款" for bank_in); a code the catalogue lacks as stored. */
export function transferCodeName(code: string, t: TFunction): string {
  return lookup(t, `transferCode.${code}`, code);
}

export function transferCodeOptions(t: TFunction) {
  return TRANSFER_BUSINESS_CODES.map((c) => ({ value: c, label: transferCodeName(c, t) }));
}

/** What owns an account ("平台银行账户" for bank_account), by the audit log's names for its objects. */
export function ownerName(kind: string, t: TFunction): string {
  return lookup(t, `auditEntity.${kind}`, kind);
}
