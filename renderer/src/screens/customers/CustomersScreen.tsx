// 客户与账户: the customer list, blocked and flagged logins across customers, and what waits for an
// approver (held transfers, device re-binds). A customer's page opens at #/customers/c/<id>.
import { Tabs } from 'antd';
import { useT } from '../../i18n';
import { useHashPath } from '../../hooks/useHashPath';
import { CustomerList } from './CustomerList';
import { CustomerPage } from './CustomerPage';
import { HeldTab } from './HeldTab';
import { LoginsTab } from './LoginsTab';

const TABS = ['list', 'logins', 'approvals'] as const;
type TabKey = (typeof TABS)[number];

export default function CustomersScreen() {
  const t = useT();
  const [path, go] = useHashPath();
  const open = (id: number) => go('c', id);

  if (path[0] === 'c' && path[1] && /^\d+$/.test(path[1])) {
    return <CustomerPage key={path[1]} id={Number(path[1])} onBack={() => go()} />;
  }
  const tab: TabKey = (TABS as readonly string[]).includes(path[0] ?? '') ? (path[0] as TabKey) : 'list';
  return (
    <Tabs
      data-testid="customers-tabs"
      activeKey={tab}
      onChange={(k) => (k === 'list' ? go() : go(k))}
      destroyOnHidden
      items={[
        {
          key: 'list',
          label: <span data-testid="tab-customer-list">{t('customers.tab.list')}</span>,
          children: <CustomerList onOpen={open} />,
        },
        { key: 'logins', label: <span data-testid="tab-logins">{t('customers.tab.logins')}</span>, children: <LoginsTab onOpen={open} /> },
        {
          key: 'approvals',
          label: <span data-testid="tab-approvals">{t('customers.tab.approvals')}</span>,
          children: <HeldTab onOpen={open} />,
        },
      ]}
    />
  );
}
