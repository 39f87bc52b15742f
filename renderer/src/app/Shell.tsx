// The console's layout: sider navigation to every area, a header with the user, language, jobs,
// lock and logout; each area's screen is loaded on demand.
import { App as AntApp, Button, Flex, Layout, Menu, Space, Tooltip, Typography } from 'antd';
import {
  AccountBookOutlined,
  AuditOutlined,
  BankOutlined,
  CheckSquareOutlined,
  DashboardOutlined,
  FileTextOutlined,
  GiftOutlined,
  ImportOutlined,
  LockOutlined,
  LogoutOutlined,
  PieChartOutlined,
  ProfileOutlined,
  SettingOutlined,
  SnippetsOutlined,
  SwapOutlined,
  TeamOutlined,
  RiseOutlined,
} from '@ant-design/icons';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useI18n, useT, type MessageKey } from '../i18n';
import { CLIENT_LOCK_MINUTES, useIdleLock } from '../hooks/useIdleLock';
import { AREAS, areaFromHash, type AreaKey } from './areas';
import { LangSwitch } from './AuthFrame';
import { GlobalSearch } from './GlobalSearch';
import { JobIndicator } from './JobIndicator';
import { useSession } from './session';
import { CellTag } from '../components/CellTag';

const LedgerScreen = lazy(() => import('../screens/ledger/LedgerScreen'));
const ClosingScreen = lazy(() => import('../screens/closing/ClosingScreen'));
const RevenueScreen = lazy(() => import('../screens/revenue/RevenueScreen'));
const AuditScreen = lazy(() => import('../screens/audit/AuditScreen'));
const SettingsScreen = lazy(() => import('../screens/settings/SettingsScreen'));
const CustomersScreen = lazy(() => import('../screens/customers/CustomersScreen'));
const ImportScreen = lazy(() => import('../screens/import/ImportScreen'));
const RechargesScreen = lazy(() => import('../screens/recharges/RechargesScreen'));
const ReconciliationScreen = lazy(() => import('../screens/reconciliation/ReconciliationScreen'));
const DashboardScreen = lazy(() => import('../screens/dashboard/DashboardScreen'));
const ApprovalsScreen = lazy(() => import('../screens/approvals/ApprovalsScreen'));
const RecordsScreen = lazy(() => import('../screens/records/RecordsScreen'));
const ReportsScreen = lazy(() => import('../screens/reports/ReportsScreen'));
const InvoicesScreen = lazy(() => import('../screens/invoices/InvoicesScreen'));
const VouchersScreen = lazy(() => import('../screens/vouchers/VouchersScreen'));
const PayoutsScreen = lazy(() => import('../screens/payouts/PayoutsScreen'));
const NotBuilt = lazy(() => import('../screens/not-built/NotBuilt'));

const ICONS: Record<AreaKey, ReactNode> = {
  dashboard: <DashboardOutlined />,
  import: <ImportOutlined />,
  recharges: <BankOutlined />,
  reconciliation: <SwapOutlined />,
  approvals: <CheckSquareOutlined />,
  records: <ProfileOutlined />,
  customers: <TeamOutlined />,
  invoices: <FileTextOutlined />,
  payouts: <GiftOutlined />,
  ledger: <AccountBookOutlined />,
  vouchers: <SnippetsOutlined />,
  revenue: <RiseOutlined />,
  closing: <LockOutlined />,
  reports: <PieChartOutlined />,
  audit: <AuditOutlined />,
  settings: <SettingOutlined />,
};

function AreaScreen({ area }: { area: AreaKey }) {
  switch (area) {
    case 'ledger':
      return <LedgerScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'customers':
      return <CustomersScreen />;
    case 'import':
      return <ImportScreen />;
    case 'recharges':
      return <RechargesScreen />;
    case 'reconciliation':
      return <ReconciliationScreen />;
    case 'dashboard':
      return <DashboardScreen />;
    case 'approvals':
      return <ApprovalsScreen />;
    case 'records':
      return <RecordsScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'invoices':
      return <InvoicesScreen />;
    case 'closing':
      return <ClosingScreen />;
    case 'revenue':
      return <RevenueScreen />;
    case 'vouchers':
      return <VouchersScreen />;
    case 'payouts':
      return <PayoutsScreen />;
    default:
      return <NotBuilt label={AREAS.find((a) => a.key === area)!.label} />;
  }
}

/**
 * Messages of an earlier action go when the user moves to another area, where they would cover its
 * screen, and when the language changes, where they would stay in the other language until they fade.
 */
function ForgetMessagesOnMove({ area }: { area: AreaKey }) {
  const { message, notification } = AntApp.useApp();
  const { lang } = useI18n();
  useEffect(() => {
    message.destroy();
    notification.destroy();
  }, [area, lang, message, notification]);
  return null;
}

export default function Shell({ onSessionEnded: _ended }: { onSessionEnded(notice: MessageKey): void }) {
  const t = useT();
  const { session, lock, logout } = useSession();
  const [area, setArea] = useState<AreaKey>(() => areaFromHash(location.hash));

  useEffect(() => {
    const onHash = () => setArea(areaFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock]);

  useIdleLock(CLIENT_LOCK_MINUTES, lock);

  const go = (k: AreaKey) => {
    location.hash = `#/${k}`;
    setArea(k);
  };

  return (
    // Its own message/modal holder: whatever the console shows goes away with it on lock or logout.
    <AntApp component={false}>
      <ForgetMessagesOnMove area={area} />
      <Layout style={{ height: '100vh' }}>
        <Layout.Sider width={188} theme="dark" data-testid="sider">
          <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, padding: '16px 24px', whiteSpace: 'nowrap' }}>Coffer</div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[area]}
            onClick={({ key }) => go(key as AreaKey)}
            items={AREAS.map((a) => ({ key: a.key, icon: ICONS[a.key], label: <span data-testid={`nav-${a.key}`}>{t(a.label)}</span> }))}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{ background: '#fff', padding: '0 16px', borderBottom: '1px solid #f0f0f0', height: 56, lineHeight: '56px' }}
          >
            <Flex justify="space-between" align="center" style={{ height: '100%' }}>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {t(AREAS.find((a) => a.key === area)!.label)}
              </Typography.Text>
              <Space size={4}>
                <GlobalSearch />
                <JobIndicator />
                <Space size={6} data-testid="header-user" style={{ padding: '0 8px' }}>
                  <Typography.Text>{session.displayName}</Typography.Text>
                  <CellTag color="blue">{t(`role.${session.role}`)}</CellTag>
                </Space>
                <LangSwitch />
                <Tooltip title={t('header.lock')}>
                  <Button type="text" icon={<LockOutlined />} onClick={lock} data-testid="lock-button" aria-label={t('header.lock')} />
                </Tooltip>
                <Tooltip title={t('header.logout')}>
                  <Button
                    type="text"
                    icon={<LogoutOutlined />}
                    onClick={logout}
                    data-testid="logout-button"
                    aria-label={t('header.logout')}
                  />
                </Tooltip>
              </Space>
            </Flex>
          </Layout.Header>
          <Layout.Content style={{ padding: 16, overflow: 'auto' }}>
            <Suspense fallback={null}>
              <AreaScreen area={area} />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </AntApp>
  );
}
