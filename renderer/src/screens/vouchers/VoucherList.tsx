// The voucher list: per month, status and source, searched by 摘要 or voucher number; newest first with
// keyset paging; a 合计 row under the page.
import { Button, DatePicker, Flex, Form, Input, Select, Table, Typography, type TableColumnsType } from 'antd';
import { ExportOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { call, type Input as ApiInput } from '../../api/coffer';
import { useSession } from '../../app/session';
import { FilterButtons } from '../../components/FilterButtons';
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

  const fetchPage = useCallback(
    (beforeId: number | undefined) => {
      const input: ApiInput<'vouchers.list'> = { ...pageInput(beforeId, PAGE) };
      if (filters.month) input.period = filters.month.format('YYYY-MM');
      if (filters.status) input.status = filters.status;
      if (filters.source) input.source = filters.source;
      if (filters.search?.trim()) input.search = filters.search.trim();
      return call('vouchers.list', input);
    },
    [filters],
  );
  const list = useKeysetPage(fetchPage);

  const columns: TableColumnsType<VoucherRow> = [
    { title: t('vouchers.date'), dataIndex: 'date', width: 104 },
    {
      title: t('vouchers.number'),
      dataIndex: 'name',
      width: 150,
      render: (name: string, r) => (
        <Typography.Link onClick={() => onOpen(r.id)} data-testid={`voucher-open-${name}`}>
          {name}
        </Typography.Link>
      ),
    },
    { title: t('vouchers.summary'), dataIndex: 'summary', ellipsis: true },
    {
      title: t('vouchers.debitTotal'),
      dataIndex: 'debitTotal',
      width: 124,
      align: 'right',
      render: (fen: string) => <VoucherAmount fen={fen} />,
    },
    {
      title: t('vouchers.creditTotal'),
      dataIndex: 'creditTotal',
      width: 124,
      align: 'right',
      render: (fen: string) => <VoucherAmount fen={fen} />,
    },
    { title: t('vouchers.preparer'), dataIndex: 'preparedBy', width: 96, ellipsis: true, render: (n: string | null) => personText(n, t) },
    { title: t('vouchers.reviewer'), dataIndex: 'reviewedBy', width: 96, ellipsis: true, render: (n: string | null) => n ?? '' },
    { title: t('vouchers.status'), key: 'status', width: 112, render: (_, r) => <StatusTag v={r} /> },
  ];

  // The page's totals: posted and waiting vouchers (a voided one moves no money).
  const live = list.rows.filter((r) => r.status !== 'voided');
  const sum = (k: 'debitTotal' | 'creditTotal') => String(live.reduce((s, r) => s + BigInt(r[k]), 0n));

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
        <Flex gap={8}>
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
        columns={columns}
        dataSource={list.rows}
        pagination={false}
        scroll={{ y: 440 }}
        locale={{ emptyText: t('vouchers.empty') }}
        onRow={(r) => ({ onDoubleClick: () => onOpen(r.id) })}
        summary={() =>
          list.rows.length ? (
            <Table.Summary fixed>
              <Table.Summary.Row data-testid="vouchers-total">
                <Table.Summary.Cell index={0} colSpan={3}>
                  <Typography.Text strong>{t('vouchers.total')}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <VoucherAmount fen={sum('debitTotal')} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <VoucherAmount fen={sum('creditTotal')} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} colSpan={3} />
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
      <KeysetPager testId="vouchers-pager" {...list.pager} />
    </Flex>
  );
}
