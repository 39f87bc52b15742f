// The customer list: one search box (name, phone, account number, bank account number), sorting and
// server paging, so it stays quick at 100,000 customers: only the page on screen is loaded, and the
// books are asked once typing pauses. Counter staff register new customers from here.
import { App as AntApp, Button, Flex, Input, Select, Table, Tag, Typography, type InputRef } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { showError } from '../../app/errors';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { formatTime } from '../../format/dates';
import { useDebounced } from '../../hooks/useDebounced';
import { useSlashFocus } from '../../hooks/useSlashFocus';
import { useT } from '../../i18n';
import { useCan } from './common';
import { RegisterCustomerModal } from './forms';

type Row = Data<'customers.search'>['rows'][number];
type Sort = 'name' | 'newest' | 'oldest';

export function CustomerList({ onOpen }: { onOpen(id: number): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const can = useCan();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 300);
  const [sort, setSort] = useState<Sort>('newest');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [data, setData] = useState<Data<'customers.search'>>({ rows: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [registering, setRegistering] = useState(false);
  const [reload, setReload] = useState(0);
  const searchRef = useRef<InputRef>(null);
  useSlashFocus(searchRef);

  useEffect(() => setPage(1), [query, sort]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    call('customers.search', { ...(query ? { text: query } : {}), sort, offset: (page - 1) * pageSize, limit: pageSize })
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && showError(message, e, t))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [query, sort, page, pageSize, reload, message, t]);

  const kindWords = Object.fromEntries((['person', 'company'] as const).map((k) => [k, t(`customer.kind.${k}`)]));
  const columns: ListColumn<Row>[] = [
    {
      key: 'name',
      field: 'name',
      title: t('customer.name'),
      dataIndex: 'name',
      ellipsis: true,
      render: (name: string, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} data-testid={`customer-open-${r.id}`}>
          {name}
        </Typography.Link>
      ),
    },
    {
      key: 'kind',
      field: 'kind',
      labels: kindWords,
      title: t('customer.kind'),
      dataIndex: 'kind',
      width: 90,
      render: (k: Row['kind']) => <Tag>{t(`customer.kind.${k}`)}</Tag>,
    },
    {
      key: 'externalId',
      field: 'externalId',
      title: t('customer.externalId'),
      dataIndex: 'externalId',
      width: 140,
      render: (v: string | null) => v ?? '—',
    },
    { key: 'phone', field: 'phone', title: t('customer.phone'), dataIndex: 'phone', width: 160, render: (v: string | null) => v ?? '—' },
    { key: 'accounts', field: 'accounts', kind: 'number', title: t('customer.accounts'), dataIndex: 'accounts', width: 90, align: 'right' },
    {
      key: 'createdAt',
      field: 'createdAt',
      kind: 'time',
      title: t('customer.createdAt'),
      dataIndex: 'createdAt',
      width: 180,
      render: (ms: number) => formatTime(ms),
    },
  ];
  const tools = useListTools('customers', columns);

  return (
    <Flex vertical gap={12} data-testid="customer-list">
      <Flex justify="space-between" gap={12} wrap>
        <Flex gap={12} align="center" wrap>
          <Input.Search
            ref={searchRef}
            allowClear
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => setText(v)}
            style={{ width: 400 }}
            placeholder={t('customer.searchPlaceholder')}
            data-testid="customer-search"
          />
          <Select<Sort>
            value={sort}
            onChange={setSort}
            style={{ width: 180 }}
            data-testid="customer-sort"
            options={(['newest', 'oldest', 'name'] as const).map((s) => ({ value: s, label: t(`customer.sort.${s}`) }))}
          />
        </Flex>
        <Flex gap={8} wrap>
          <ListToolbar
            tools={tools}
            method="customers.search"
            filter={{ ...(query ? { text: query } : {}), sort }}
            filterText={filterLine([[t('lists.filter.text'), query]])}
            title={t('lists.title.customers')}
            values={{ text, sort }}
            onApply={(v: { text?: string; sort?: Sort }) => {
              setText(v.text ?? '');
              setSort(v.sort ?? 'newest');
            }}
          />
          {can.counter && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="customer-register">
              {t('customer.register')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Table<Row>
        data-testid="customer-table"
        rowKey="id"
        size="small"
        bordered
        loading={loading}
        columns={tools.columns}
        dataSource={data.rows}
        scroll={{ y: 'calc(100vh - 330px)' }}
        onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
        pagination={{
          current: page,
          pageSize,
          total: data.total,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('common.total', { n }),
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
      <RegisterCustomerModal
        open={registering}
        onClose={(id) => {
          setRegistering(false);
          if (id !== undefined) {
            setReload((n) => n + 1);
            onOpen(id);
          }
        }}
      />
    </Flex>
  );
}
