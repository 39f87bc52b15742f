import type { TFunction } from '../../i18n';

export const LEDGERS = [1, 2, 3] as const;

export function ledgerName(ledger: number, t: TFunction): string {
  return ledger === 1 || ledger === 2 || ledger === 3 ? t(`ledger.${ledger}`) : String(ledger);
}

export function ledgerOptions(t: TFunction) {
  return LEDGERS.map((l) => ({ value: l, label: ledgerName(l, t) }));
}
