// 充值申请 list: filters (state, request date, customer, amount, payer bank account, text) asked of the
// books, keyset paging (no total count, so it stays quick at 100k requests). Counter staff enter a
// request here; the review results not yet sent to the platform are exported from here.
import { App as AntApp, Badge, Button, Flex, Form, Input, Select, Space, Typography, DatePicker } from 'antd';
import { ExportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useInvalidate, useRead } from '../../api/queries';
import { useJobs } from '../../app/jobs';
import { useCounter } from '../../app/session';
import { AmountRange } from '../../components/AmountRange';
import { FilterForm } from '../../components/FilterForm';
import { ListToolbar, SelectionSum, amountRangeText, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { KeysetTable } from '../../components/KeysetTable';
import { customerColumn, fieldColumn, idColumn, moneyColumn, timeColumn, wordsOf } from '../../components/columns';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { dayRange, rangeText } from '../../format/dates';
import { lookup, useT } from '../../i18n';
import { CustomerFilterItem, customerText } from '../customers/CustomerPicker';
import { AccountNo, RequestStatusTag, requestNo, yuanInputToFen, type RequestRow } from '../reconciliation/shared';
import { REQUEST_STATUSES, type RequestStatus } from '../../../../main/domain/request-status';
import { CounterRequestModal } from './CounterRequestModal';
import { useBusy } from '../../hooks/useBusy';

interface Filters {
  status?: RequestStatus[];
  range?: [Dayjs | null, Dayjs | null] | null;
  customerId?: number;
  customerName?: string;
  minAmount?: string;
  maxAmount?: string;
  payerAccount?: string;
  text?: string;
}

const PAGE = 50;

function toFilter(filters: Filters): ListFilter<'requests.list'> {
  const input: ListFilter<'requests.list'> = {};
  if (filters.status?.length) input.status = filters.status;
  Object.assign(input, dayRange(filters.range));
  if (filters.customerId) input.customerId = filters.customerId;
  const min = yuanInputToFen(filters.minAmount);
  const max = yuanInputToFen(filters.maxAmount);
  if (min) input.minAmount = min;
  if (max) input.maxAmount = max;
  if (filters.payerAccount?.trim()) input.payerAccount = filters.payerAccount.trim();
  if (filters.text?.trim()) input.text = filters.text.trim();
  return input;
}

export function RequestList({ onOpen }: { onOpen(id: number): void }) {
  const t = useT();
  const { modal } = AntApp.useApp();
  const jobs = useJobs();
  const counter = useCounter();
  const [entering, setEntering] = useState(false);
  const [exporting, runExport] = useBusy();
  const [selected, setSelected] = useState<RequestRow[]>([]);
  const invalidate = useInvalidate();
  const pending = useRead('reviewResults.pending').data ?? null;

  const {
    form,
    values: filters,
    list,
    search,
    clear,
    toolbar,
  } = useFilteredList<'requests.list', Filters, RequestRow>('requests.list', PAGE, { toFilter });
  useEffect(() => setSelected([]), [list.rows]);

  const exportResults = async () => {
    await runExport(async () => {
      const r = await jobs.run('reviewResults.export');
      modal.success({
        title: t('review.exported', { n: r.results }),
        content: (
          <Flex vertical data-testid="review-exported">
            <Typography.Text copyable>{r.path}</Typography.Text>
            <Typography.Text type="secondary">{t('review.bytes', { n: r.bytes.toLocaleString() })}</Typography.Text>
          </Flex>
        ),
      });
      void invalidate('reviewResults.pending');
    });
  };

  const statusWords = wordsOf(REQUEST_STATUSES, (s) => t(`request.status.${s}`));
  const columns: ListColumn<RequestRow>[] = [
    idColumn('#'),
    timeColumn('requestedAt', t('request.requestedAt'), 160),
    {
      key: 'no',
      title: t('request.requestId'),
      field: 'counterNo|requestId',
      width: 150,
      ellipsis: true,
      render: (_, r) => (
        <Typography.Link
          onClick={() => onOpen(r.id)}
          data-testid={`request-link-${r.id}`}
          title={r.counterNo ? t('request.source.counter') : t('request.platformRef')}
          style={{ whiteSpace: 'nowrap' }}
        >
          {requestNo(r)}
        </Typography.Link>
      ),
    },
    fieldColumn('status', t('request.status'), { labels: statusWords, width: 90, render: (s: string) => <RequestStatusTag status={s} /> }),
    customerColumn(t('request.customer'), 180, (r) => r.account),
    moneyColumn('amount', t('request.amount'), 124, { strong: true }),
    moneyColumn('covered', t('request.covered'), 124),
    {
      key: 'payer',
      title: t('request.payerAccount'),
      field: 'payerAccount',
      width: 220,
      render: (_, r) => (
        <Flex vertical>
          <AccountNo value={r.payerAccount} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.payerName}
          </Typography.Text>
        </Flex>
      ),
    },
    fieldColumn('referenceCode', t('request.referenceCode'), { width: 110 }),
    fieldColumn('channel', t('request.channel'), {
      labels: wordsOf(['bank', 'alipay', 'wechat'], (c) => lookup(t, `request.channel.${c}`, c)),
      width: 80,
      render: (c: string) => lookup(t, `request.channel.${c}`, c),
    }),
  ];
  const tools = useListTools('requests', columns, { selectable: true });
  const filterText = filterLine([
    [t('request.status'), filters.status?.map((s) => statusWords[s]).join('、')],
    [t('request.requestedAt'), rangeText(filters.range)],
    [t('request.customer'), customerText(filters)],
    [t('request.amount'), amountRangeText(filters.minAmount, filters.maxAmount)],
    [t('request.payerAccount'), filters.payerAccount?.trim()],
    [t('request.text'), filters.text?.trim()],
  ]);

  return (
    <Flex vertical gap={12} data-testid="request-list">
      <FilterForm<Filters> form={form} onSearch={search} onReset={clear} testId="filter-search" icon={<SearchOutlined />} card>
        <Form.Item name="status" label={t('request.status')}>
          <Select
            mode="multiple"
            allowClear
            style={{ minWidth: 220 }}
            maxTagCount="responsive"
            options={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`request.status.${s}`) }))}
            placeholder={t('request.allStates')}
            data-testid="filter-status"
          />
        </Form.Item>
        <Form.Item name="range" label={t('request.requestedAt')}>
          <DatePicker.RangePicker style={{ width: 250 }} />
        </Form.Item>
        <CustomerFilterItem label={t('request.customer')} testId="filter-customer" />
        <AmountRange label={t('request.amount')} testId="filter" min={t('request.min')} max={t('request.max')} />
        <Form.Item name="payerAccount" label={t('request.payerAccount')}>
          <Input allowClear style={{ width: 210 }} data-testid="filter-payer" />
        </Form.Item>
        <Form.Item name="text" label={t('request.text')}>
          <Input allowClear style={{ width: 220 }} placeholder={t('request.textPlaceholder')} data-testid="filter-text" />
        </Form.Item>
      </FilterForm>
      <KeysetTable<RequestRow>
        list={list}
        tools={tools}
        testId="request"
        besidePager={
          <Space size={16}>
            <Typography.Text type="secondary" data-testid="review-pending">
              {pending === null ? '' : t('review.pending', { n: pending })}
            </Typography.Text>
            <SelectionSum rows={selected} field="amount" />
          </Space>
        }
        rowSelection={{ selectedRowKeys: selected.map((r) => r.id), onChange: (_keys, rows) => setSelected(rows) }}
        scroll={{ x: 1250 }}
        onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
        cardTitle={t('request.listTitle')}
        cardExtra={
          <Space wrap>
            <ListToolbar tools={tools} filterText={filterText} title={t('lists.title.requests')} {...toolbar} />
            {counter && (
              <Button icon={<PlusOutlined />} onClick={() => setEntering(true)} data-testid="request-new">
                {t('request.new')}
              </Button>
            )}
            <Badge count={pending ?? 0} overflowCount={9999} offset={[-4, 0]}>
              <Button
                icon={<ExportOutlined />}
                disabled={!counter || !pending}
                loading={exporting}
                onClick={() => void exportResults()}
                data-testid="review-export"
              >
                {t('review.export')}
              </Button>
            </Badge>
          </Space>
        }
      />
      <CounterRequestModal
        open={entering}
        onClose={(id) => {
          setEntering(false);
          if (id) {
            void invalidate('requests.list', 'reviewResults.pending');
            onOpen(id);
          }
        }}
      />
    </Flex>
  );
}
