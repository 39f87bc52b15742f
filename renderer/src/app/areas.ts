// Every area the console has or will have. `built: false` areas show a plain "not built yet".
import type { MessageKey } from '../i18n';

export type AreaKey =
  | 'dashboard'
  | 'import'
  | 'recharges'
  | 'reconciliation'
  | 'approvals'
  | 'records'
  | 'customers'
  | 'invoices'
  | 'payouts'
  | 'ledger'
  | 'vouchers'
  | 'revenue'
  | 'closing'
  | 'reports'
  | 'audit'
  | 'settings';

export interface Area {
  key: AreaKey;
  label: MessageKey;
  built: boolean;
}

export const AREAS: readonly Area[] = [
  { key: 'dashboard', label: 'nav.dashboard', built: true },
  // The day starts by importing the platform's events (and later the bank statement).
  { key: 'import', label: 'nav.import', built: true },
  { key: 'recharges', label: 'nav.recharges', built: true },
  { key: 'reconciliation', label: 'nav.reconciliation', built: true },
  { key: 'approvals', label: 'nav.approvals', built: true },
  { key: 'records', label: 'nav.records', built: true },
  { key: 'customers', label: 'nav.customers', built: true },
  { key: 'invoices', label: 'nav.invoices', built: true },
  { key: 'payouts', label: 'nav.payouts', built: true },
  { key: 'ledger', label: 'nav.ledger', built: true },
  { key: 'vouchers', label: 'nav.vouchers', built: true },
  { key: 'revenue', label: 'nav.revenue', built: true },
  { key: 'closing', label: 'nav.closing', built: true },
  { key: 'reports', label: 'nav.reports', built: true },
  { key: 'audit', label: 'nav.audit', built: true },
  { key: 'settings', label: 'nav.settings', built: true },
];

export const DEFAULT_AREA: AreaKey = 'dashboard';

/** "#/customers/c/12" → "customers": the area is the hash's first segment. */
export function areaFromHash(hash: string): AreaKey {
  const k = hash.replace(/^#\/?/, '').split('/')[0];
  return AREAS.some((a) => a.key === k) ? (k as AreaKey) : DEFAULT_AREA;
}

/** "#/customers/c/12" → ["c", "12"]: where inside its area the screen is. */
export function subPathFromHash(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('/').slice(1).filter(Boolean);
}
