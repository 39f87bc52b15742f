// Blocked and flagged logins across all customers, newest first, filterable by day and customer;
// keyset paging (the API hands the next page's start).
import { Checkbox, DatePicker, Flex, Form, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { Data } from '../../api/coffer';
import { FilterForm } from '../../components/FilterForm';
import { KeysetTable } from '../../components/KeysetTable';
import { fieldColumn, timeColumn, wordsOf } from '../../components/columns';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { dayRange, rangeText } from '../../format/dates';
import { useT } from '../../i18n';
import { OutcomeTag, ReasonCell, whyText, type LoginOutcome } from './common';
import { CustomerFilterItem, customerText } from './CustomerPicker';

type Row = Data<'logins.list'>['rows'][number];
type Filter = ListFilter<'logins.list'>;
interface FilterValues {
  dates?: [Dayjs | null, Dayjs | null] | null;
  customerId?: number;
  customerName?: string;
  outcomes?: LoginOutcome[];
}
const PAGE = 100;
const nums = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
const code = (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—');

function toFilter(v: FilterValues): Filter {
  const outcomes = v.outcomes?.length ? v.outcomes : (['blocked', 'flagged'] as LoginOutcome[]);
  return { outcomes, ...dayRange(v.dates), ...(v.customerId ? { customerId: v.customerId } : {}) };
}

export function LoginsTab({ onOpen }: { onOpen(id: number): void }) {
  const t = useT();
  const { form, values: shown, filter, list, search: apply, clear, toolbar } = useFilteredList('logins.list', PAGE, { toFilter });

  const outcomeWords = wordsOf(['blocked', 'flagged', 'ok'] as const, (o) => t(`login.outcome.${o}`));
  const columns: ListColumn<Row>[] = [
    timeColumn('at', t('login.time'), 170, nums),
    fieldColumn('outcome', t('login.outcome'), {
      labels: outcomeWords,
      width: 90,
      render: (o: LoginOutcome) => <OutcomeTag outcome={o} t={t} />,
    }),
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
    fieldColumn('accountExternalId', t('bank.account'), { key: 'account', width: 120 }),
    fieldColumn('ip', 'IP', { width: 150, render: code }),
    fieldColumn('mac', 'MAC', { width: 170, render: code }),
    fieldColumn('policy', t('login.policy'), {
      labels: wordsOf(['strict', 'review'] as const, (p) => t(`device.policy.${p}`)),
      width: 110,
      render: (p: Row['policy']) => t(`device.policy.${p}`),
    }),
  ];

  const tools = useListTools('logins', columns);
  const filterText = filterLine([
    [t('login.outcome'), filter.outcomes?.map((o) => outcomeWords[o]).join('、')],
    [t('audit.dates'), rangeText(shown.dates)],
    [t('login.customer'), customerText(shown)],
  ]);

  return (
    <Flex vertical gap={12} data-testid="logins-tab">
      <FilterForm<FilterValues>
        form={form}
        onSearch={apply}
        onReset={clear}
        testId="logins-search"
        initialValues={{ outcomes: ['blocked', 'flagged'] }}
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
      </FilterForm>
      <Flex justify="end">
        <ListToolbar tools={tools} filterText={filterText} title={t('lists.title.logins')} {...toolbar} />
      </Flex>
      <KeysetTable<Row>
        list={list}
        tools={tools}
        testId="logins"
        bordered
        scroll={{ x: 1230, y: 'calc(100vh - 330px)' }}
        rowClassName={(r) => `login-row-${r.outcome}`}
      />
    </Flex>
  );
}
