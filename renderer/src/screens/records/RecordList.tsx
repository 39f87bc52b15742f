// 充值记录 list: search by receipt number, request number or customer name, a customer, the day
// credited; newest first with keyset paging (no total count, so it stays quick however many there are).
import { Card, DatePicker, Flex, Form, Input, Table, Tag, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useCallback, useMemo, useRef, useState } from 'react';
import { call, type Input as ApiInput } from '../../api/coffer';
import { FilterButtons } from '../../components/FilterButtons';
import { KeysetPager } from '../../components/KeysetPager';
import { pageInput, useKeysetPage } from '../../hooks/useKeysetPage';
import { dayRange, formatTime, rangeText } from '../../format/dates';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { useSlashFocus } from '../../hooks/useSlashFocus';
import { useT } from '../../i18n';
import { CustomerFilterItem, customerText } from '../customers/CustomerPicker';
import { channelText, Coins, RuleVersion, Yuan } from '../approvals/common';
import { People } from '../../components/Person';

/** A record row as records.list returns it (the service's declared row type names only some columns). */
export interface RecordRow {
  id: number;
  receiptNo: string;
  requestId: number;
  requestRef: string;
  account: string;
  customerId: number;
  customerName: string;
  amount: string;
  channel: string;
  ruleVersion: number;
  paidCoins: string;
  bonusCoins: string;
  firstRecharge: boolean;
  creditedAt: number;
  reversedAt: number | null;
  reversalReason: string | null;
  approvedBy: string[];
}

interface Filters {
  text?: string;
  customerId?: number;
  customerName?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const PAGE = 50;

export function RecordList({ initialText, onOpen }: { initialText?: string; onOpen(id: number): void }) {
  const t = useT();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>(initialText ? { text: initialText } : {});
  const searchBox = useRef<{ focus(): void } | null>(null);
  useSlashFocus(searchBox);

  const apiFilter = useMemo(() => {
    const input: Omit<ApiInput<'records.list'>, 'limit' | 'beforeId'> = { ...dayRange(filters.range) };
    if (filters.text?.trim()) input.text = filters.text.trim();
    if (filters.customerId) input.customerId = filters.customerId;
    return input;
  }, [filters]);
  const fetchPage = useCallback(
    async (beforeId: number | undefined) => {
      const d = await call('records.list', { ...apiFilter, ...pageInput(beforeId, PAGE) });
      return { rows: d.rows as unknown as RecordRow[], nextBeforeId: d.nextBeforeId };
    },
    [apiFilter],
  );
  const list = useKeysetPage(fetchPage);

  const columns: ListColumn<RecordRow>[] = [
    {
      key: 'receiptNo',
      field: 'receiptNo',
      title: t('record.receiptNo'),
      dataIndex: 'receiptNo',
      width: 150,
      render: (v: string, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} data-testid={`record-link-${r.id}`} style={{ whiteSpace: 'nowrap' }}>
          {v}
        </Typography.Link>
      ),
    },
    {
      title: t('record.state'),
      key: 'state',
      width: 90,
      render: (_, r) =>
        r.reversedAt ? (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('record.reversed')}
          </Tag>
        ) : (
          <Tag color="green" style={{ marginInlineEnd: 0 }}>
            {t('record.credited')}
          </Tag>
        ),
    },
    {
      key: 'creditedAt',
      field: 'creditedAt',
      kind: 'time',
      title: t('record.creditedAt'),
      dataIndex: 'creditedAt',
      width: 156,
      render: (ms: number) => formatTime(ms),
    },
    {
      title: t('appr.customer'),
      key: 'customer',
      field: 'customerName',
      width: 190,
      ellipsis: true,
      render: (_, r) => (
        <Flex vertical>
          <span>{r.customerName}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.account} · {r.requestRef}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'amount',
      field: 'amount',
      kind: 'money',
      title: t('appr.amount'),
      dataIndex: 'amount',
      width: 130,
      align: 'right',
      render: (v: string) => <Yuan fen={v} strong />,
    },
    {
      key: 'paidCoins',
      field: 'paidCoins',
      kind: 'coins',
      title: t('record.paidCoins'),
      dataIndex: 'paidCoins',
      width: 110,
      align: 'right',
      render: (v: string) => <Coins n={v} />,
    },
    {
      key: 'bonusCoins',
      field: 'bonusCoins',
      kind: 'coins',
      title: t('record.bonusCoins'),
      dataIndex: 'bonusCoins',
      width: 90,
      align: 'right',
      render: (v: string) => <Coins n={v} />,
    },
    {
      key: 'approvedBy',
      field: 'approvedBy',
      kind: 'staff',
      title: t('record.approvedBy'),
      dataIndex: 'approvedBy',
      width: 120,
      ellipsis: true,
      render: (a: string[]) => <People who={a} />,
    },
    {
      key: 'channel',
      field: 'channel',
      labels: Object.fromEntries(['bank', 'alipay', 'wechat'].map((c) => [c, channelText(t, c)])),
      title: t('record.channel'),
      dataIndex: 'channel',
      width: 70,
      render: (c: string) => channelText(t, c),
    },
    {
      key: 'rule',
      field: 'ruleVersion',
      kind: 'number',
      title: t('record.rule'),
      dataIndex: 'ruleVersion',
      width: 90,
      render: (v: number) => <RuleVersion v={v} />,
    },
  ];

  const tools = useListTools('records', columns);
  const filterText = filterLine([
    [t('lists.filter.text'), filters.text?.trim()],
    [t('appr.customer'), customerText(filters)],
    [t('record.creditedAt'), rangeText(filters.range)],
  ]);

  return (
    <Flex vertical gap={12} data-testid="record-list">
      <Card size="small">
        <Form<Filters>
          form={form}
          layout="inline"
          initialValues={filters}
          onFinish={(v) => {
            list.reset();
            setFilters({ ...v });
          }}
          style={{ rowGap: 8 }}
        >
          <Form.Item name="text">
            <Input
              ref={(el) => {
                searchBox.current = el;
              }}
              allowClear
              style={{ width: 260 }}
              placeholder={t('record.searchPlaceholder')}
              data-testid="record-search-text"
            />
          </Form.Item>
          <CustomerFilterItem label={t('appr.customer')} testId="record-filter-customer" />
          <Form.Item name="range" label={t('record.creditedAt')}>
            <DatePicker.RangePicker style={{ width: 250 }} />
          </Form.Item>
          <FilterButtons
            testId="record-search"
            icon={<SearchOutlined />}
            onReset={() => {
              form.resetFields();
              form.setFieldsValue({ text: undefined, customerId: undefined, customerName: undefined, range: null });
              list.reset();
              setFilters({});
            }}
          />
        </Form>
      </Card>
      <Card
        size="small"
        title={t('lists.title.records')}
        extra={
          <ListToolbar
            tools={tools}
            method="records.list"
            filter={apiFilter}
            filterText={filterText}
            title={t('lists.title.records')}
            values={form.getFieldsValue()}
            onApply={(v: Filters) => {
              form.setFieldsValue(v);
              list.reset();
              setFilters({ ...v });
            }}
          />
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<RecordRow>
          data-testid="record-table"
          rowKey="id"
          size="small"
          loading={list.loading}
          columns={tools.columns}
          summary={tools.summary}
          dataSource={list.rows}
          pagination={false}
          locale={{ emptyText: t('record.empty') }}
          scroll={{ x: 1200 }}
        />
        <Flex justify="end" style={{ padding: 8 }}>
          <KeysetPager testId="record-pager" {...list.pager} />
        </Flex>
      </Card>
    </Flex>
  );
}
