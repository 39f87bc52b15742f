// The customer list: one search box (name, phone, account number, bank account number), sorting and
// server paging, so it stays quick at 100,000 customers: only the page on screen is loaded, and the
// books are asked once typing pauses. Counter staff register new customers from here.
import { Button, Flex, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import type { Data } from '../../api/coffer';
import { NO_ROWS, useInvalidate, useRead } from '../../api/queries';
import { fieldColumn, timeColumn, wordsOf } from '../../components/columns';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { useDebounced } from '../../hooks/useDebounced';
import { SearchBox } from '../../components/SearchBox';
import { SmallTable, bookPager } from '../../components/CardTable';
import { useT } from '../../i18n';
import { useCan } from '../../app/session';
import { RegisterCustomerModal } from './forms';

type Row = Data<'customers.search'>['rows'][number];
type Sort = 'name' | 'newest' | 'oldest';
const orDash = (v: string | null) => v ?? '—';

export function CustomerList({ onOpen }: { onOpen(id: number): void }) {
  const t = useT();
  const can = useCan();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 300);
  const [sort, setSort] = useState<Sort>('newest');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [registering, setRegistering] = useState(false);
  const invalidate = useInvalidate();

  useEffect(() => setPage(1), [query, sort]);

  const read = useRead(
    'customers.search',
    { ...(query ? { text: query } : {}), sort, offset: (page - 1) * pageSize, limit: pageSize },
    { keepPrevious: true },
  );

  const kindWords = wordsOf(['person', 'company'] as const, (k) => t(`customer.kind.${k}`));
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
    fieldColumn('kind', t('customer.kind'), {
      labels: kindWords,
      width: 90,
      render: (k: Row['kind']) => <Tag>{t(`customer.kind.${k}`)}</Tag>,
    }),
    fieldColumn('externalId', t('customer.externalId'), { width: 140, render: orDash }),
    fieldColumn('phone', t('customer.phone'), { width: 160, render: orDash }),
    fieldColumn('accounts', t('customer.accounts'), { kind: 'number', width: 90, align: 'right' }),
    timeColumn('createdAt', t('customer.createdAt'), 180),
  ];
  const tools = useListTools('customers', columns);

  return (
    <Flex vertical gap={12} data-testid="customer-list">
      <Flex justify="space-between" gap={12} wrap>
        <Flex gap={12} align="center" wrap>
          <SearchBox
            value={text}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => setText(v)}
            width={400}
            placeholder={t('customer.searchPlaceholder')}
            testId="customer-search"
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
      <SmallTable<Row>
        testId="customer-table"
        bordered
        loading={read.isFetching}
        columns={tools.columns}
        dataSource={read.data?.rows ?? NO_ROWS}
        scroll={{ y: 'calc(100vh - 330px)' }}
        onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
        pagination={bookPager(t, page, pageSize, read.data?.total ?? 0, (p, s) => {
          setPage(s !== pageSize ? 1 : p);
          setPageSize(s);
        })}
      />
      <RegisterCustomerModal
        open={registering}
        onClose={(id) => {
          setRegistering(false);
          if (id !== undefined) {
            void invalidate('customers.search');
            onOpen(id);
          }
        }}
      />
    </Flex>
  );
}
