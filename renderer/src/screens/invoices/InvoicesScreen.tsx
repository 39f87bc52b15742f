// 开票: the invoice requests queue (#/invoices), the invoices (#/invoices/list, or one customer's at
// #/invoices/c/<customerId>), and an invoice's page (#/invoices/i/<id>).
import { Tabs } from 'antd';
import { useHashPath } from '../../hooks/useHashPath';
import { useT } from '../../i18n';
import { InvoiceList } from './InvoiceList';
import { InvoicePage } from './InvoicePage';
import { RequestQueue } from './RequestQueue';

export default function InvoicesScreen() {
  const t = useT();
  const [path, go] = useHashPath();
  const open = (id: number) => go('i', id);
  if (path[0] === 'i' && path[1] && /^\d+$/.test(path[1])) {
    return (
      <InvoicePage key={path[1]} id={Number(path[1])} onOpen={open} onBack={() => (history.length > 1 ? history.back() : go('list'))} />
    );
  }
  const customerId = path[0] === 'c' && path[1] && /^\d+$/.test(path[1]) ? Number(path[1]) : undefined;
  const tab = path[0] === 'list' || customerId ? 'list' : 'requests';
  return (
    <Tabs
      activeKey={tab}
      onChange={(k) => (k === 'list' ? go('list') : go())}
      destroyOnHidden
      items={[
        {
          key: 'requests',
          label: <span data-testid="invtab-requests">{t('inv.tab.requests')}</span>,
          children: <RequestQueue onOpenInvoice={open} />,
        },
        {
          key: 'list',
          label: <span data-testid="invtab-list">{t('inv.tab.invoices')}</span>,
          children: <InvoiceList key={customerId ?? 'all'} {...(customerId ? { customerId } : {})} onOpen={open} />,
        },
      ]}
    />
  );
}
