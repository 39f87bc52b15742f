// Transfers, newest first, with filters and keyset paging (newer/older; no total count), a detail
// drawer, and for clerks and approvers how a posting is undone (never a raw reversal). Each row shows its
// business date (记账日期), its voucher and its accounts as 科目编码 科目名称.
import { App as AntApp, Button, DatePicker, Flex, Form, Space, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { showError } from '../../app/errors';
import { useCounter } from '../../app/session';
import { Amount } from '../../components/Amount';
import { FilterForm } from '../../components/FilterForm';
import { KeysetTable } from '../../components/KeysetTable';
import { actionsColumn, fieldColumn, idColumn, wordsOf } from '../../components/columns';
import { ListToolbar, amountRangeText, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { dayRange, rangeText } from '../../format/dates';
import { parseAmountInput } from '../../format/money';
import { SearchBox } from '../../components/SearchBox';
import { AmountRange } from '../../components/AmountRange';
import { useI18n } from '../../i18n';
import { ledgerName, ledgerOptions, ledgerShort, systemAccountLabels, transferCodeName, transferCodeOptions } from './ledgerOptions';
import { VoucherLink, transferAccount, useSubjectNames } from './subjects';
import { ReverseModal, type TransferRow } from './ReverseModal';
import { TransferDrawer } from './TransferDrawer';
import { PickFilterItem } from '../../components/PickFilterItem';

const PAGE = 50;
const KINDS = ['single', 'pending', 'post', 'void'] as const;

interface FilterValues {
  ledger?: number;
  kind?: (typeof KINDS)[number];
  code?: string;
  key?: string;
  min?: string;
  max?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}
type Filter = ListFilter<'ledger.transfers'>;

/** The API filter of the form's values; throws RangeError on an amount bound that is not one. */
function toFilter(v: FilterValues): Filter {
  const f: Filter = {};
  if (v.ledger) f.ledger = v.ledger;
  if (v.kind) f.kind = v.kind;
  if (v.code) f.code = v.code;
  if (v.key?.trim()) f.key = v.key.trim();
  if (v.ledger && v.min?.trim()) f.minAmount = parseAmountInput(v.min, v.ledger);
  if (v.ledger && v.max?.trim()) f.maxAmount = parseAmountInput(v.max, v.ledger);
  return Object.assign(f, dayRange(v.dates));
}

export function canReverse(t: TransferRow): boolean {
  return t.reversedById === null && t.reversesId === null && (t.kind === 'single' || t.kind === 'post');
}

export default function TransfersTab() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const mayUndo = useCounter();
  // wide enough for the English words (Details, Reverse), which run longer than 详情 and 冲销
  const en = lang === 'en';
  const actionsWidth = mayUndo ? (en ? 140 : 100) : en ? 84 : 60;
  const subject = useSubjectNames();
  const [detail, setDetail] = useState<number | null>(null);
  const [reversing, setReversing] = useState<TransferRow | null>(null);

  const {
    form,
    values: shown,
    filter,
    list,
    search,
    clear,
    toolbar,
  } = useFilteredList('ledger.transfers', PAGE, {
    toFilter,
    check: (v) => {
      try {
        toFilter(v);
        return true;
      } catch (e) {
        showError(message, e, t);
        return false;
      }
    },
  });
  const ledger = Form.useWatch('ledger', form);

  // Amounts of one ledger are summed (yuan or coins); across ledgers each row keeps its own unit and none is summed.
  const amountKind = filter.ledger === 1 ? 'money' : filter.ledger ? 'coins' : 'minor';
  const systemAccountWords = systemAccountLabels(t);
  const columns: ListColumn<TransferRow>[] = [
    idColumn(t('transfers.id')),
    fieldColumn('businessDate', t('transfers.businessDate'), {
      width: 100,
      render: (d: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{d}</span>,
    }),
    { title: t('transfers.voucher'), key: 'voucher', field: 'voucherName', width: 128, render: (_, r) => <VoucherLink r={r} /> },
    fieldColumn('ledger', t('transfers.ledger'), {
      labels: wordsOf([1, 2, 3], (l) => ledgerShort(l, t)),
      width: 76,
      render: (l: number) => ledgerShort(l, t),
    }),
    fieldColumn('code', t('transfers.code'), { width: 120, ellipsis: true, render: (c: string) => transferCodeName(c, t) }),
    {
      title: t('transfers.debit'),
      key: 'debit',
      field: 'debitAccountId',
      kind: 'account',
      labels: systemAccountWords,
      ellipsis: true,
      render: (_, r) => transferAccount(subject, t, r.debitAccountId, r.debitAccountName, r.debitAccountCode, r.debitSubjectCode),
    },
    {
      title: t('transfers.credit'),
      key: 'credit',
      field: 'creditAccountId',
      kind: 'account',
      labels: systemAccountWords,
      ellipsis: true,
      render: (_, r) => transferAccount(subject, t, r.creditAccountId, r.creditAccountName, r.creditAccountCode, r.creditSubjectCode),
    },
    {
      title: t('transfers.amount'),
      key: 'amount',
      field: 'amount',
      kind: amountKind,
      width: 124,
      align: 'right',
      render: (_, r) => <Amount minor={r.amount} ledger={r.ledger} />,
    },
    {
      title: t('transfers.status'),
      key: 'status',
      width: 96,
      render: (_, r) => (
        <>
          {r.reversedById !== null && <Tag color="orange">{t('transfers.reversed', { id: r.reversedById })}</Tag>}
          {r.reversesId !== null && <Tag color="purple">{t('transfers.reversal', { id: r.reversesId })}</Tag>}
        </>
      ),
    },
    actionsColumn(t('common.actions'), actionsWidth, (r: TransferRow) => (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => setDetail(r.id)} data-testid={`transfer-detail-${r.id}`}>
          {t('common.details')}
        </Button>
        {mayUndo && canReverse(r) && (
          <Button type="link" size="small" danger onClick={() => setReversing(r)} data-testid={`transfer-reverse-${r.id}`}>
            {t('transfers.reverse')}
          </Button>
        )}
      </Space>
    )),
  ];

  const tools = useListTools('transfers', columns);
  const filterText = filterLine([
    [t('transfers.ledger'), filter.ledger ? ledgerName(filter.ledger, t) : null],
    [t('transfers.kind'), filter.kind && t(`transfers.kind.${filter.kind}`)],
    [t('transfers.code'), filter.code],
    [t('transfers.key'), filter.key],
    [t('transfers.amountRange'), filter.ledger ? amountRangeText(shown.min, shown.max) : null],
    [t('transfers.dates'), rangeText(shown.dates)],
  ]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <FilterForm<FilterValues> form={form} onSearch={search} onReset={clear} testId="transfers-search" formTestId="transfers-filter">
        <PickFilterItem
          name="ledger"
          label={t('transfers.ledger')}
          width={150}
          placeholder={t('accounts.allLedgers')}
          options={ledgerOptions(t)}
          testId="transfers-ledger"
        />
        <PickFilterItem
          name="kind"
          label={t('transfers.kind')}
          width={100}
          options={KINDS.map((k) => ({ value: k, label: t(`transfers.kind.${k}`) }))}
        />
        <PickFilterItem
          name="code"
          label={t('transfers.code')}
          width={170}
          searchable
          options={transferCodeOptions(t)}
          testId="transfers-code"
        />
        <Form.Item name="key" label={t('transfers.key')}>
          <SearchBox width={260} placeholder={t('transfers.keyPlaceholder')} testId="transfers-key" />
        </Form.Item>
        <Form.Item label={t('transfers.amountRange')}>
          <Tooltip title={ledger ? undefined : t('transfers.amountNeedsLedger')}>
            <AmountRange
              testId="transfers"
              min={t('transfers.amountMin')}
              max={t('transfers.amountMax')}
              width={120}
              minName="min"
              maxName="max"
              disabled={!ledger}
              align="right"
            />
          </Tooltip>
        </Form.Item>
        <Form.Item name="dates" label={t('transfers.dates')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
      </FilterForm>
      <Flex justify="end">
        <ListToolbar tools={tools} {...toolbar} filterText={filterText} title={t('lists.title.transfers')} />
      </Flex>
      <KeysetTable<TransferRow>
        list={list}
        tools={tools}
        testId="transfers"
        bordered
        scroll={{ x: 1020, y: 460 }}
        locale={{ emptyText: t('transfers.empty') }}
        onRow={(r) => ({ onDoubleClick: () => setDetail(r.id) })}
      />
      <TransferDrawer id={detail} canReverse={mayUndo} onClose={() => setDetail(null)} onReverse={(r) => setReversing(r)} />
      <ReverseModal transfer={reversing} onClose={() => setReversing(null)} />
    </Space>
  );
}
