// Blocked and flagged logins across all customers, newest first, filterable by day and customer;
// keyset paging (the API hands the next page's start).
import { Button, Checkbox, DatePicker, Flex, Form, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { call, type Data, type Input as ApiInput } from '../../api/coffer';
import { KeysetPager } from '../../components/KeysetPager';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { pageInput, useKeysetPage } from '../../hooks/useKeysetPage';
import { dayRange, formatTime, rangeText } from '../../format/dates';
import { useT } from '../../i18n';
import { OutcomeTag, ReasonCell, whyText, type LoginOutcome } from './common';
import { CustomerFilterItem, customerText } from './CustomerPicker';

type Row = Data<'logins.list'>['rows'][number];
type Filter = Omit<ApiInput<'logins.list'>, 'beforeId' | 'limit'>;
interface FilterValues {
  dates?: [Dayjs | null, Dayjs | null] | null;
  customerId?: number;
  customerName?: string;
  outcomes?: LoginOutcome[];
}
const PAGE = 100;
const nums = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function LoginsTab({ onOpen }: { onOpen(id: number): void }) {
  const t = useT();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<Filter>({ outcomes: ['blocked', 'flagged'] });
  const [shown, setShown] = useState<FilterValues>({});

  const fetchPage = useCallback(
    (beforeId: number | undefined) => call('logins.list', { ...filter, ...pageInput(beforeId, PAGE) }),
    [filter],
  );
  const list = useKeysetPage(fetchPage);

  const apply = (v: FilterValues) => {
    const outcomes = v.outcomes?.length ? v.outcomes : (['blocked', 'flagged'] as LoginOutcome[]);
    list.reset();
    setShown(v);
    setFilter({ outcomes, ...dayRange(v.dates), ...(v.customerId ? { customerId: v.customerId } : {}) });
  };

  const outcomeWords = Object.fromEntries((['blocked', 'flagged', 'ok'] as const).map((o) => [o, t(`login.outcome.${o}`)]));
  const columns: ListColumn<Row>[] = [
    {
      key: 'at',
      field: 'at',
      kind: 'time',
      title: t('login.time'),
      dataIndex: 'at',
      width: 170,
      render: (ms: number) => <span style={nums}>{formatTime(ms)}</span>,
    },
    {
      key: 'outcome',
      field: 'outcome',
      labels: outcomeWords,
      title: t('login.outcome'),
      dataIndex: 'outcome',
      width: 90,
      render: (o: LoginOutcome) => <OutcomeTag outcome={o} t={t} />,
    },
    {
      key: 'customerName',
      field: 'customerName',
      title: t('customer.name'),
      dataIndex: 'customerName',
      width: 170,
      ellipsis: true,
      render: (n: string, r) => (
        <Typography.Link onClick={() => onOpen(r.customerId)} data-testid={`login-customer-${r.id}`}>
          {n}
        </Typography.Link>
      ),
    },
    // 原因 before the addresses, so that it stays in a 1280-wide window.
    {
      // The reason is a coded refusal worded on screen; the file leaves it out rather than write its English.
      title: t('login.reason'),
      key: 'reason',
      width: 240,
      ellipsis: { showTitle: false },
      render: (_: unknown, r: Row) => <ReasonCell text={whyText(r, t)} />,
    },
    { key: 'account', field: 'accountExternalId', title: t('bank.account'), dataIndex: 'accountExternalId', width: 120 },
    {
      key: 'ip',
      field: 'ip',
      title: 'IP',
      dataIndex: 'ip',
      width: 150,
      render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—'),
    },
    {
      key: 'mac',
      field: 'mac',
      title: 'MAC',
      dataIndex: 'mac',
      width: 170,
      render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—'),
    },
    {
      key: 'policy',
      field: 'policy',
      labels: Object.fromEntries((['strict', 'review'] as const).map((p) => [p, t(`device.policy.${p}`)])),
      title: t('login.policy'),
      dataIndex: 'policy',
      width: 110,
      render: (p: Row['policy']) => t(`device.policy.${p}`),
    },
  ];

  const tools = useListTools('logins', columns);
  const filterText = filterLine([
    [t('login.outcome'), filter.outcomes?.map((o) => outcomeWords[o]).join('、')],
    [t('audit.dates'), rangeText(shown.dates)],
    [t('login.customer'), customerText(shown)],
  ]);

  return (
    <Flex vertical gap={12} data-testid="logins-tab">
      <Form<FilterValues>
        form={form}
        layout="inline"
        onFinish={apply}
        initialValues={{ outcomes: ['blocked', 'flagged'] }}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="outcomes" label={t('login.outcome')}>
          <Checkbox.Group
            options={(['blocked', 'flagged', 'ok'] as const).map((o) => ({ value: o, label: t(`login.outcome.${o}`) }))}
            data-testid="logins-outcomes"
          />
        </Form.Item>
        <Form.Item name="dates" label={t('audit.dates')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="logins-dates" />
        </Form.Item>
        <CustomerFilterItem label={t('login.customer')} testId="logins-customer" />
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" data-testid="logins-search">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                apply({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      <Flex justify="end">
        <ListToolbar
          tools={tools}
          method="logins.list"
          filter={filter}
          filterText={filterText}
          title={t('lists.title.logins')}
          values={form.getFieldsValue()}
          onApply={(v: FilterValues) => {
            form.setFieldsValue(v);
            apply(v);
          }}
        />
      </Flex>
      <Table<Row>
        data-testid="logins-table"
        rowKey="id"
        size="small"
        bordered
        loading={list.loading}
        columns={tools.columns}
        dataSource={list.rows}
        pagination={false}
        scroll={{ x: 1230, y: 'calc(100vh - 330px)' }}
        rowClassName={(r) => `login-row-${r.outcome}`}
      />
      <KeysetPager testId="logins-pager" {...list.pager} />
    </Flex>
  );
}
