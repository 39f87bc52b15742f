// Settings: rules & thresholds (everyone reads; admins propose and confirm), staff users and backup &
// restore (admin only), and "change my password" for everyone. The tab is in the hash (#/settings/<tab>),
// so a setting's row can open the tab that edits it.
import { Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { useSession } from '../../app/session';
import { useHashPath } from '../../hooks/useHashPath';
import { useT } from '../../i18n';

const RulesTab = lazy(() => import('./RulesTab'));
const StaffUsers = lazy(() => import('./StaffUsers'));
const BackupRestore = lazy(() => import('./BackupRestore'));
const ConversionRulesTab = lazy(() => import('../approvals/ConversionRulesTab'));
const ChangePassword = lazy(() => import('./ChangePassword'));
const InvoiceProductTab = lazy(() => import('../invoices/InvoiceProductTab'));
const GlExportTab = lazy(() => import('./GlExportTab'));

export default function SettingsScreen() {
  const t = useT();
  const { session } = useSession();
  const admin = session.role === 'admin';
  const [path, go] = useHashPath();
  const wrap = (n: React.ReactNode) => <Suspense fallback={null}>{n}</Suspense>;
  const items = [
    ...(admin
      ? [
          { key: 'staff', label: <span data-testid="tab-staff">{t('settings.tab.staff')}</span>, children: wrap(<StaffUsers />) },
          { key: 'backup', label: <span data-testid="tab-backup">{t('settings.tab.backup')}</span>, children: wrap(<BackupRestore />) },
        ]
      : []),
    {
      key: 'rules',
      label: <span data-testid="tab-rules">{t('settings.tab.rules')}</span>,
      children: wrap(<RulesTab onOpenTab={(tab) => go(tab)} />),
    },
    {
      key: 'conversion',
      label: <span data-testid="tab-conversion">{t('settings.tab.conversion')}</span>,
      children: wrap(<ConversionRulesTab />),
    },
    {
      key: 'invoicing',
      label: <span data-testid="tab-invoicing">{t('settings.tab.invoicing')}</span>,
      children: wrap(<InvoiceProductTab />),
    },
    { key: 'gl', label: <span data-testid="tab-gl">{t('glx.settings.tab')}</span>, children: wrap(<GlExportTab />) },
    { key: 'password', label: <span data-testid="tab-password">{t('settings.tab.password')}</span>, children: wrap(<ChangePassword />) },
  ];
  const active = items.some((i) => i.key === path[0]) ? path[0] : items[0]!.key;
  return <Tabs items={items} activeKey={active} onChange={(k) => go(k)} destroyOnHidden data-testid="settings-tabs" />;
}
