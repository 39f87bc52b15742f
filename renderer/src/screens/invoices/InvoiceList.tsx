// 发票: every invoice issued (blue) and every red-letter reversal, newest first with keyset paging
// (no total count, so it stays quick however many there are). Search by serial, the tax platform's
// 20-digit number, buyer, taxpayer id and issue date; filter by status. Blue invoices can be selected
// for the batch-import workbook; the numbers the tax platform assigned are imported from here too.
import { Alert, App as AntApp, Button, DatePicker, Flex, Form, Input, Space, Tag, Typography } from 'antd';
import { ExportOutlined, ImportOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, type Data, type JobResult } from '../../api/coffer';
import { useInvalidate } from '../../api/queries';
import { showError } from '../../app/errors';
import { useJobs } from '../../app/jobs';
import { useCounter } from '../../app/session';
import { CloseModal } from '../../components/CloseModal';
import { FilterForm } from '../../components/FilterForm';
import { ListToolbar, filterLine, sumOf, useListTools, type ListColumn } from '../../components/ListTools';
import { formatAmount } from '../../format/money';
import { KeysetTable } from '../../components/KeysetTable';
import { moneyColumn, timeColumn, wordsOf } from '../../components/columns';
import { dayRange, rangeText } from '../../format/dates';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { StatusFilterItem } from '../../components/StatusFilterItem';
import { lookup, useT } from '../../i18n';
import { Yuan } from '../approvals/common';
import { ExportModal } from './ExportModal';
import { codedText, numbersFileText, type ExportProblem } from './texts';
import { BuyerCell, INVOICE_STATUSES, InvoiceStatusTag, invoiceTypeText, outcomeText, type InvoiceStatus } from './common';

type Row = Data<'invoices.list'>['rows'][number];
type NumbersResult = JobResult<'invoices.importNumbers'>;

export interface InvoiceFilters {
  serial?: string;
  taxNumber?: string;
  buyer?: string;
  taxpayerId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
  status?: InvoiceStatus[];
  customerId?: number;
}

const PAGE = 50;

function toFilter(filters: InvoiceFilters): ListFilter<'invoices.list'> {
  const input: ListFilter<'invoices.list'> = { ...dayRange(filters.range) };
  if (filters.serial?.trim()) input.serial = filters.serial.trim();
  if (filters.taxNumber?.trim()) input.taxNumber = filters.taxNumber.trim();
  if (filters.buyer?.trim()) input.buyer = filters.buyer.trim();
  if (filters.taxpayerId?.trim()) input.taxpayerId = filters.taxpayerId.trim();
  if (filters.status?.length) input.status = filters.status;
  if (filters.customerId) input.customerId = filters.customerId;
  return input;
}

/** The filter's text boxes: field, width, placeholder, test id. */
const TEXT_FILTERS = [
  ['serial', 170, 'inv.serial', 'inv-filter-serial'],
  ['taxNumber', 210, 'inv.taxNumberPlaceholder', 'inv-filter-number'],
  ['buyer', 190, 'inv.buyer', 'inv-filter-buyer'],
  ['taxpayerId', 200, 'invreq.field.taxpayerId', 'inv-filter-taxpayer'],
] as const;

export function InvoiceList({ customerId, onOpen }: { customerId?: number; onOpen(id: number): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const [selected, setSelected] = useState<number[]>([]);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const [numbers, setNumbers] = useState<NumbersResult | null>(null);
  const [numbersBad, setNumbersBad] = useState<{ title: string; rows: string[] } | null>(null);
  const invalidate = useInvalidate();
  const counter = useCounter();

  const {
    form,
    values: filters,
    list,
    search,
    clear,
    saved,
    toolbar,
  } = useFilteredList('invoices.list', PAGE, { fixed: customerId ? { customerId } : {}, toFilter });

  const importNumbers = async () => {
    setImporting(true);
    try {
      setNumbers(await jobs.run('invoices.importNumbers', {}));
      void invalidate('invoices.list');
    } catch (e) {
      // A file refused whole: say why in words, with its bad rows.
      if (e instanceof ApiError && e.code === 'VALIDATION' && typeof e.details.file === 'string') {
        const rows = Array.isArray(e.details.problems)
          ? (e.details.problems as Omit<ExportProblem, 'serial' | 'column'>[]).map((p) => codedText(t, p))
          : [];
        setNumbersBad({ title: numbersFileText(t, e), rows });
      } else showError(message, e, t);
    } finally {
      setImporting(false);
    }
  };

  /** An amount the invoice carries, negative on a red-letter one (summed and exported signed). */
  const signedColumn = (key: 'gross' | 'tax', title: string, width: number, strong: boolean) =>
    moneyColumn<Row>(key, title, width, {
      field: key === 'gross' ? 'signedGross' : 'signedTax',
      render: (v: string, r: Row) =>
        r.kind === 'red' ? (
          <Typography.Text type="danger">
            −<Yuan fen={v} strong={strong} />
          </Typography.Text>
        ) : (
          <Yuan fen={v} strong={strong} />
        ),
    });
  const statusWords = wordsOf(INVOICE_STATUSES, (s) => t(`inv.status.${s}`));
  const columns: ListColumn<Row>[] = [
    {
      key: 'serial',
      field: 'serial',
      title: t('inv.serial'),
      dataIndex: 'serial',
      width: 165,
      render: (v: string, r) => (
        <Space size={4}>
          <Typography.Link onClick={() => onOpen(r.id)} data-testid={`inv-link-${r.id}`} style={{ whiteSpace: 'nowrap' }}>
            {v}
          </Typography.Link>
          {r.kind === 'red' && <Tag color="red">{t('inv.redShort')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'taxNumber',
      field: 'taxNumber',
      title: t('inv.taxNumber'),
      dataIndex: 'taxNumber',
      width: 180,
      render: (v: string | null) =>
        v ? (
          <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{v}</span>
        ) : (
          <Typography.Text type="secondary">{t('inv.noNumber')}</Typography.Text>
        ),
    },
    timeColumn('issuedAt', t('inv.issuedAt'), 150, { whiteSpace: 'nowrap' }),
    {
      title: t('inv.buyer'),
      key: 'buyer',
      field: 'buyerName',
      width: 190,
      render: (_, r) => (
        <BuyerCell name={r.buyerName} maxWidth={180} more={`${r.taxpayerId ?? '—'} · ${invoiceTypeText(t, r.invoiceType)}`} />
      ),
    },
    signedColumn('gross', t('inv.gross'), 120, true),
    signedColumn('tax', t('inv.tax'), 100, false),
    {
      title: t('inv.statusLabel'),
      key: 'status',
      field: 'status',
      labels: statusWords,
      width: 150,
      render: (_, r) => (
        <Flex vertical>
          <InvoiceStatusTag status={r.status} testId={`inv-status-${r.id}`} />
          {r.kind === 'red' && r.originalSerial && (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {t('inv.reverses', { serial: r.originalSerial })}
              {r.redCategory ? ` · ${lookup(t, `inv.redCategory.${r.redCategory}`, r.redCategory)}` : ''}
            </Typography.Text>
          )}
          {r.kind === 'blue' && r.exports > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid={`inv-exported-${r.id}`}>
              {t('inv.exported', { n: r.exports })}
            </Typography.Text>
          )}
          {r.kind === 'blue' && BigInt(r.reversed) > 0n && (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {t('inv.reversedShort')} <Yuan fen={r.reversed} />
            </Typography.Text>
          )}
        </Flex>
      ),
    },
  ];

  const tools = useListTools('invoices', columns, { selectable: true });
  const filterText = filterLine([
    [t('inv.serial'), filters.serial?.trim()],
    [t('inv.taxNumber'), filters.taxNumber?.trim()],
    [t('inv.buyer'), filters.buyer?.trim()],
    [t('invreq.field.taxpayerId'), filters.taxpayerId?.trim()],
    [t('inv.issuedOn'), rangeText(filters.range)],
    [t('inv.statusLabel'), filters.status?.map((s) => statusWords[s]).join('、')],
  ]);
  const chosen = list.rows.filter((r) => selected.includes(r.id));

  return (
    <Flex vertical gap={12} data-testid="inv-list">
      <FilterForm<InvoiceFilters>
        form={form}
        onSearch={(v) => {
          setSelected([]);
          search(v);
        }}
        onReset={clear}
        testId="inv-search"
        icon={<SearchOutlined />}
        card
      >
        {TEXT_FILTERS.map(([name, width, words, testId]) => (
          <Form.Item key={name} name={name}>
            <Input allowClear style={{ width }} placeholder={t(words)} data-testid={testId} />
          </Form.Item>
        ))}
        <Form.Item name="range" label={t('inv.issuedOn')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="inv-filter-range" />
        </Form.Item>
        <StatusFilterItem label={t('inv.statusLabel')} statuses={INVOICE_STATUSES} words="inv.status" testId="inv-filter-status" />
      </FilterForm>

      <KeysetTable<Row>
        list={list}
        tools={tools}
        testId="inv"
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (k) => setSelected(k as number[]),
          getCheckboxProps: (r) => ({ disabled: r.kind !== 'blue', 'aria-label': r.serial }),
        }}
        locale={{ emptyText: t('inv.empty') }}
        scroll={{ x: 1055 }}
        cardTitle={
          <Space size={12}>
            <span>{t('inv.listTitle')}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="inv-selected">
              {chosen.length
                ? t('inv.selectedBlueSum', { n: chosen.length, sum: formatAmount(sumOf(chosen, 'gross'), 1) })
                : t('inv.selectedBlue', { n: 0 })}
            </Typography.Text>
          </Space>
        }
        cardExtra={
          <Space wrap>
            <ListToolbar
              tools={tools}
              {...toolbar}
              filterText={filterText}
              title={t('lists.title.invoices')}
              values={saved.values}
              onApply={(v: InvoiceFilters) => {
                setSelected([]);
                saved.onApply(v);
              }}
            />
            {counter && (
              <Button icon={<ImportOutlined />} loading={importing} onClick={() => void importNumbers()} data-testid="inv-import-numbers">
                {t('inv.importNumbers')}
              </Button>
            )}
            <Button type="primary" icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="inv-export">
              {t('inv.export')}
            </Button>
          </Space>
        }
      />

      <ExportModal open={exporting} selected={selected} range={filters.range ?? null} onClose={() => setExporting(false)} />

      <CloseModal
        open={numbers !== null}
        title={numbers ? t('inv.numbers.title', { file: numbers.file }) : ''}
        onClose={() => setNumbers(null)}
      >
        {numbers && (
          <Flex vertical gap={8} data-testid="inv-numbers-result">
            <Space size={8}>
              <Tag color="green" data-testid="inv-numbers-set">
                {t('inv.numbers.set', { n: numbers.set })}
              </Tag>
              <Tag>{t('inv.numbers.unchanged', { n: numbers.unchanged })}</Tag>
              <Tag color={numbers.refused.length ? 'red' : 'default'} data-testid="inv-numbers-refused">
                {t('inv.numbers.refused', { n: numbers.refused.length })}
              </Tag>
            </Space>
            {numbers.refused.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 240, overflow: 'auto' }}>
                {numbers.refused.map((r) => (
                  <li key={`${r.line}-${r.serial}`}>
                    <Typography.Text type="danger">{outcomeText(t, r)}</Typography.Text>
                  </li>
                ))}
              </ul>
            )}
          </Flex>
        )}
      </CloseModal>

      <CloseModal open={numbersBad !== null} title={t('inv.importNumbers')} onClose={() => setNumbersBad(null)}>
        {numbersBad && (
          <Alert
            type="error"
            showIcon
            data-testid="inv-numbers-refused-file"
            title={numbersBad.title}
            description={
              numbersBad.rows.length > 0 && (
                <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 240, overflow: 'auto' }}>
                  {numbersBad.rows.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              )
            }
          />
        )}
      </CloseModal>
    </Flex>
  );
}
