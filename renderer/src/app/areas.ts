// Every area the console has or will have. `built: false` areas show a plain "not built yet".
import type { MessageKey } from '../i18n';

export type AreaKey = 'dashboard' | 'recharges' | 'reconciliation' | 'customers' | 'invoices' | 'ledger' | 'reports' | 'audit' | 'settings';

export interface Area {
  key: AreaKey;
  label: MessageKey;
  built: boolean;
}

export const AREAS: readonly Area[] = [
  { key: 'dashboard', label: 'nav.dashboard', built: false },
  { key: 'recharges', label: 'nav.recharges', built: false },
  { key: 'reconciliation', label: 'nav.reconciliation', built: false },
  { key: 'customers', label: 'nav.customers', built: false },
  { key: 'invoices', label: 'nav.invoices', built: false },
  { key: 'ledger', label: 'nav.ledger', built: true },
  { key: 'reports', label: 'nav.reports', built: false },
  { key: 'audit', label: 'nav.audit', built: true },
  { key: 'settings', label: 'nav.settings', built: true },
];

export const DEFAULT_AREA: AreaKey = 'ledger';

export function areaFromHash(hash: string): AreaKey {
  const k = hash.replace(/^#\/?/, '');
  return AREAS.some((a) => a.key === k) ? (k as AreaKey) : DEFAULT_AREA;
}
