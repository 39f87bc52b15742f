// Settings: rules & thresholds (everyone reads; admins propose and confirm), staff users and backup &
// restore (admin only), and "change my password" for everyone. The tab is in the hash (#/settings/<tab>),
// so a setting's row can open the tab that edits it.
import { Tabs } from 'antd';
import { lazy } from 'react';
import { lazyTab } from '../../components/tabs';
import { useCan } from '../../app/session';
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
  const { admin } = useCan();
  const [path, go] = useHashPath();
  const items = [
    ...(admin
      ? [lazyTab('staff', t('settings.tab.staff'), <StaffUsers />), lazyTab('backup', t('settings.tab.backup'), <BackupRestore />)]
      : []),
    lazyTab('rules', t('settings.tab.rules'), <RulesTab onOpenTab={(tab) => go(tab)} />),
    lazyTab('conversion', t('settings.tab.conversion'), <ConversionRulesTab />),
    lazyTab('invoicing', t('settings.tab.invoicing'), <InvoiceProductTab />),
    lazyTab('gl', t('glx.settings.tab'), <GlExportTab />),
    lazyTab('password', t('settings.tab.password'), <ChangePassword />),
  ];
  const active = items.some((i) => i.key === path[0]) ? path[0] : items[0]!.key;
  return <Tabs items={items} activeKey={active} onChange={(k) => go(k)} destroyOnHidden data-testid="settings-tabs" />;
}
