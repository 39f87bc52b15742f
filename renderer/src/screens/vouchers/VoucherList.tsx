// The voucher list: per month, status and source, searched by 摘要 or voucher number; newest first with
// keyset paging; a 合计 row under the page (a voided voucher moves no money, so it is left out).
import { Button, DatePicker, Flex, Form, Typography } from 'antd';
import { ExportOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useCan } from '../../app/session';
import { FilterForm } from '../../components/FilterForm';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { KeysetTable } from '../../components/KeysetTable';
import { fieldColumn, moneyColumn, wordsOf } from '../../components/columns';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { SearchBox } from '../../components/SearchBox';
import { useT } from '../../i18n';
import { StatusTag, VoucherAmount, personText, type VoucherRow } from './common';
import { GlExportModal } from './GlExportModal';
import { PickFilterItem } from '../../components/PickFilterItem';

interface Filters {
  month?: Dayjs | null;
  status?: 'draft' | 'posted' | 'voided';
  source?: 'manual' | 'automatic';
  search?: string;
}

const PAGE = 50;

function toFilter(filters: Filters): ListFilter<'vouchers.list'> {
  const input: ListFilter<'vouchers.list'> = {};
  if (filters.month) input.period = filters.month.format('YYYY-MM');
  if (filters.status) input.status = filters.status;
  if (filters.source) input.source = filters.source;
  if (filters.search?.trim()) input.search = filters.search.trim();
  return input;
}

export function VoucherList({ onOpen, onNew }: { onOpen(id: number): void; onNew(): void }) {
  const t = useT();
  const { counter } = useCan();
  const [exporting, setExporting] = useState(false);

  const { form, values: filters, list, search, clear, toolbar } = useFilteredList('vouchers.list', PAGE, { toFilter });
  const statusWords = wordsOf(['draft', 'posted', 'voided'] as const, (s) => t(`vouchers.status.${s}`));
  const sourceWords = wordsOf(['manual', 'automatic'] as const, (s) => t(`vouchers.source.${s}`));

  const columns: ListColumn<VoucherRow>[] = [
    fieldColumn('date', t('vouchers.date'), { width: 104 }),
    {
      key: 'name',
      field: 'name',
      title: t('vouchers.number'),
      dataIndex: 'name',
      width: 150,
      render: (name: string, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} data-testid={`voucher-open-${name}`}>
          {name}
        </Typography.Link>
      ),
    },
    fieldColumn('summary', t('vouchers.summary'), { ellipsis: true }),
    moneyColumn('debitTotal', t('vouchers.debitTotal'), 124, { render: (fen: string) => <VoucherAmount fen={fen} /> }),
    moneyColumn('creditTotal', t('vouchers.creditTotal'), 124, { render: (fen: string) => <VoucherAmount fen={fen} /> }),
    fieldColumn('preparedBy', t('vouchers.preparer'), { width: 96, ellipsis: true, render: (n: string | null) => personText(n, t) }),
    fieldColumn('reviewedBy', t('vouchers.reviewer'), { width: 96, ellipsis: true, render: (n: string | null) => n ?? '' }),
    {
      key: 'status',
      field: 'status',
      labels: statusWords,
      title: t('vouchers.status'),
      width: 112,
      render: (_, r) => <StatusTag v={r} />,
    },
  ];
  const tools = useListTools('vouchers', columns, { uncounted: { field: 'status', values: ['voided'] } });
  const filterText = filterLine([
    [t('vouchers.month'), filters.month?.format('YYYY-MM')],
    [t('vouchers.status'), filters.status && statusWords[filters.status]],
    [t('vouchers.source'), filters.source && sourceWords[filters.source]],
    [t('lists.filter.text'), filters.search?.trim()],
  ]);

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="start" gap={12}>
        <FilterForm<Filters> form={form} onSearch={search} onReset={clear} testId="vouchers-apply" formTestId="vouchers-filter">
          <Form.Item name="month" label={t('vouchers.month')}>
            <DatePicker picker="month" allowClear style={{ width: 120 }} data-testid="vouchers-month" />
          </Form.Item>
          <PickFilterItem
            name="status"
            label={t('vouchers.status')}
            width={110}
            placeholder={t('vouchers.allStatuses')}
            options={(['draft', 'posted', 'voided'] as const).map((s) => ({ value: s, label: t(`vouchers.status.${s}`) }))}
            testId="vouchers-status"
          />
          <PickFilterItem
            name="source"
            label={t('vouchers.source')}
            width={120}
            options={(['manual', 'automatic'] as const).map((s) => ({ value: s, label: t(`vouchers.source.${s}`) }))}
          />
          <Form.Item name="search">
            <SearchBox width={170} placeholder={t('vouchers.search')} testId="vouchers-search" />
          </Form.Item>
        </FilterForm>
        <Flex gap={8} wrap justify="end">
          <ListToolbar tools={tools} filterText={filterText} title={t('lists.title.vouchers')} {...toolbar} />
          <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="glx-open">
            {t('glx.action')}
          </Button>
          {counter && (
            <Button type="primary" icon={<PlusOutlined />} onClick={onNew} data-testid="voucher-new">
              {t('vouchers.new')}
            </Button>
          )}
        </Flex>
      </Flex>
      <GlExportModal open={exporting} month={filters.month ?? null} onClose={() => setExporting(false)} />
      <KeysetTable<VoucherRow>
        list={list}
        tools={tools}
        testId="vouchers"
        bordered
        scroll={{ y: 440 }}
        locale={{ emptyText: t('vouchers.empty') }}
        onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
      />
    </Flex>
  );
}
