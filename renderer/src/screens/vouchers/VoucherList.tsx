// The voucher list: per month, status and source, searched by 摘要 or voucher number; newest first with
// keyset paging; a 合计 row under the page (a voided voucher moves no money, so it is left out).
import { Button, DatePicker, Flex, Form, Input, Select, Table, Typography } from 'antd';
import { ExportOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useCallback, useMemo, useRef, useState } from 'react';
import { call, type Input as ApiInput } from '../../api/coffer';
import { useSession } from '../../app/session';
import { FilterButtons } from '../../components/FilterButtons';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { KeysetPager } from '../../components/KeysetPager';
import { pageInput, useKeysetPage } from '../../hooks/useKeysetPage';
import { useSlashFocus } from '../../hooks/useSlashFocus';
import { useT } from '../../i18n';
import { StatusTag, VoucherAmount, personText, type VoucherRow } from './common';
import { GlExportModal } from './GlExportModal';

interface Filters {
  month?: Dayjs | null;
  status?: 'draft' | 'posted' | 'voided';
  source?: 'manual' | 'automatic';
  search?: string;
}

const PAGE = 50;

export function VoucherList({ onOpen, onNew }: { onOpen(id: number): void; onNew(): void }) {
  const t = useT();
  const { session } = useSession();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [exporting, setExporting] = useState(false);
  const searchBox = useRef<{ focus(): void } | null>(null);
  useSlashFocus(searchBox);

  const apiFilter = useMemo(() => {
    const input: Omit<ApiInput<'vouchers.list'>, 'beforeId' | 'limit'> = {};
    if (filters.month) input.period = filters.month.format('YYYY-MM');
    if (filters.status) input.status = filters.status;
    if (filters.source) input.source = filters.source;
    if (filters.search?.trim()) input.search = filters.search.trim();
    return input;
  }, [filters]);
  const fetchPage = useCallback(
    (beforeId: number | undefined) => call('vouchers.list', { ...apiFilter, ...pageInput(beforeId, PAGE) }),
    [apiFilter],
  );
  const list = useKeysetPage(fetchPage);
  const statusWords = Object.fromEntries((['draft', 'posted', 'voided'] as const).map((s) => [s, t(`vouchers.status.${s}`)]));
  const sourceWords = Object.fromEntries((['manual', 'automatic'] as const).map((s) => [s, t(`vouchers.source.${s}`)]));

  const columns: ListColumn<VoucherRow>[] = [
    { key: 'date', field: 'date', title: t('vouchers.date'), dataIndex: 'date', width: 104 },
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
    { key: 'summary', field: 'summary', title: t('vouchers.summary'), dataIndex: 'summary', ellipsis: true },
    {
      key: 'debitTotal',
      field: 'debitTotal',
      kind: 'money',
      title: t('vouchers.debitTotal'),
      dataIndex: 'debitTotal',
      width: 124,
      align: 'right',
      render: (fen: string) => <VoucherAmount fen={fen} />,
    },
    {
      key: 'creditTotal',
      field: 'creditTotal',
      kind: 'money',
      title: t('vouchers.creditTotal'),
      dataIndex: 'creditTotal',
      width: 124,
      align: 'right',
      render: (fen: string) => <VoucherAmount fen={fen} />,
    },
    {
      key: 'preparedBy',
      field: 'preparedBy',
      title: t('vouchers.preparer'),
      dataIndex: 'preparedBy',
      width: 96,
      ellipsis: true,
      render: (n: string | null) => personText(n, t),
    },
    {
      key: 'reviewedBy',
      field: 'reviewedBy',
      title: t('vouchers.reviewer'),
      dataIndex: 'reviewedBy',
      width: 96,
      ellipsis: true,
      render: (n: string | null) => n ?? '',
    },
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
        <Form<Filters>
          form={form}
          layout="inline"
          onFinish={(v) => {
            list.reset();
            setFilters(v);
          }}
          style={{ rowGap: 8 }}
          data-testid="vouchers-filter"
        >
          <Form.Item name="month" label={t('vouchers.month')}>
            <DatePicker picker="month" allowClear style={{ width: 120 }} data-testid="vouchers-month" />
          </Form.Item>
          <Form.Item name="status" label={t('vouchers.status')}>
            <Select
              allowClear
              style={{ width: 110 }}
              placeholder={t('vouchers.allStatuses')}
              options={(['draft', 'posted', 'voided'] as const).map((s) => ({ value: s, label: t(`vouchers.status.${s}`) }))}
              data-testid="vouchers-status"
            />
          </Form.Item>
          <Form.Item name="source" label={t('vouchers.source')}>
            <Select
              allowClear
              style={{ width: 120 }}
              options={(['manual', 'automatic'] as const).map((s) => ({ value: s, label: t(`vouchers.source.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="search">
            <Input
              ref={searchBox as never}
              allowClear
              style={{ width: 170 }}
              placeholder={t('vouchers.search')}
              data-testid="vouchers-search"
            />
          </Form.Item>
          <FilterButtons
            testId="vouchers-apply"
            onReset={() => {
              form.resetFields();
              list.reset();
              setFilters({});
            }}
          />
        </Form>
        <Flex gap={8} wrap justify="end">
          <ListToolbar
            tools={tools}
            method="vouchers.list"
            filter={apiFilter}
            filterText={filterText}
            title={t('lists.title.vouchers')}
            values={form.getFieldsValue()}
            onApply={(v: Filters) => {
              form.setFieldsValue(v);
              list.reset();
              setFilters(v);
            }}
          />
          <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="glx-open">
            {t('glx.action')}
          </Button>
          {(session.role === 'clerk' || session.role === 'approver') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={onNew} data-testid="voucher-new">
              {t('vouchers.new')}
            </Button>
          )}
        </Flex>
      </Flex>
      <GlExportModal open={exporting} month={filters.month ?? null} onClose={() => setExporting(false)} />
      <Table<VoucherRow>
        data-testid="vouchers-table"
        rowKey="id"
        size="small"
        bordered
        loading={list.loading}
        columns={tools.columns}
        summary={tools.summary}
        dataSource={list.rows}
        pagination={false}
        scroll={{ y: 440 }}
        locale={{ emptyText: t('vouchers.empty') }}
        onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
      />
      <KeysetPager testId="vouchers-pager" {...list.pager} />
    </Flex>
  );
}
