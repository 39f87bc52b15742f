// 充值记录 list: search by receipt number, request number or customer name, a customer, the day
// credited; newest first with keyset paging (no total count, so it stays quick however many there are).
import { DatePicker, Flex, Form, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { FilterForm } from '../../components/FilterForm';
import { KeysetTable } from '../../components/KeysetTable';
import { customerColumn, coinsColumn, fieldColumn, moneyColumn, timeColumn, wordsOf } from '../../components/columns';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { dayRange, rangeText } from '../../format/dates';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { SearchBox } from '../../components/SearchBox';
import { useT } from '../../i18n';
import { CustomerFilterItem, customerText } from '../customers/CustomerPicker';
import { channelText, RuleVersion } from '../approvals/common';
import { People } from '../../components/Person';
import { CellTag } from '../../components/CellTag';

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

function toFilter(filters: Filters): ListFilter<'records.list'> {
  const input: ListFilter<'records.list'> = { ...dayRange(filters.range) };
  if (filters.text?.trim()) input.text = filters.text.trim();
  if (filters.customerId) input.customerId = filters.customerId;
  return input;
}

export function RecordList({ initialText, onOpen }: { initialText?: string; onOpen(id: number): void }) {
  const t = useT();

  const {
    form,
    values: filters,
    list,
    search,
    toolbar,
  } = useFilteredList<'records.list', Filters, RecordRow>('records.list', PAGE, {
    initial: initialText ? { text: initialText } : {},
    toFilter,
  });

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
      width: 76,
      render: (_, r) =>
        r.reversedAt ? <CellTag color="red">{t('record.reversed')}</CellTag> : <CellTag color="green">{t('record.credited')}</CellTag>,
    },
    timeColumn('creditedAt', t('record.creditedAt'), 150),
    customerColumn(t('appr.customer'), 190, (r) => `${r.account} · ${r.requestRef}`),
    moneyColumn('amount', t('appr.amount'), 130, { strong: true }),
    coinsColumn('paidCoins', t('record.paidCoins'), 110),
    coinsColumn('bonusCoins', t('record.bonusCoins'), 90),
    fieldColumn('approvedBy', t('record.approvedBy'), {
      kind: 'staff',
      width: 120,
      ellipsis: true,
      render: (a: string[]) => <People who={a} />,
    }),
    fieldColumn('channel', t('record.channel'), {
      labels: wordsOf(['bank', 'alipay', 'wechat'], (c) => channelText(t, c)),
      width: 90, // 银行转账 on one line beside its sorter
      render: (c: string) => channelText(t, c),
    }),
    fieldColumn('ruleVersion', t('record.rule'), { key: 'rule', kind: 'number', width: 90, render: (v: number) => <RuleVersion v={v} /> }),
  ];

  const tools = useListTools('records', columns);
  const filterText = filterLine([
    [t('lists.filter.text'), filters.text?.trim()],
    [t('appr.customer'), customerText(filters)],
    [t('record.creditedAt'), rangeText(filters.range)],
  ]);

  return (
    <Flex vertical gap={12} data-testid="record-list">
      <FilterForm<Filters>
        form={form}
        onSearch={search}
        onReset={() => {
          form.resetFields();
          form.setFieldsValue({ text: undefined, customerId: undefined, customerName: undefined, range: null });
          search({});
        }}
        testId="record-search"
        icon={<SearchOutlined />}
        initialValues={filters}
        card
      >
        <Form.Item name="text">
          <SearchBox width={260} placeholder={t('record.searchPlaceholder')} testId="record-search-text" />
        </Form.Item>
        <CustomerFilterItem label={t('appr.customer')} testId="record-filter-customer" />
        <Form.Item name="range" label={t('record.creditedAt')}>
          <DatePicker.RangePicker style={{ width: 250 }} />
        </Form.Item>
      </FilterForm>
      <KeysetTable<RecordRow>
        list={list}
        tools={tools}
        testId="record"
        locale={{ emptyText: t('record.empty') }}
        scroll={{ x: 1200 }}
        cardTitle={t('lists.title.records')}
        cardExtra={<ListToolbar tools={tools} filterText={filterText} title={t('lists.title.records')} {...toolbar} />}
      />
    </Flex>
  );
}
