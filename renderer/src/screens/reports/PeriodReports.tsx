// The month-end reports on screen: 科目余额表 (click an account → 明细账; a bank sub-account →
// 银行存款日记账), 资产负债表 / 利润表, and 银行存款余额调节表. Each exports to Excel and prints (a preview
// of the printable page in a sandboxed frame, then saved as PDF through the print port).
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type CardProps,
  type TableColumnsType,
} from 'antd';
import { FileExcelOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { call, type Data, type Input, type MethodName } from '../../api/coffer';
import { useRead } from '../../api/queries';
import { useJobs } from '../../app/jobs';
import { SavedFile } from '../../components/SavedFile';
import { usePageFor } from '../../hooks/usePageFor';
import { useBusy } from '../../hooks/useBusy';
import { SmallTable } from '../../components/CardTable';
import { useLocalName, useT, type TFunction } from '../../i18n';
import { nums, yuan } from '../approvals/common';
import { PrintPreview, usePrintable } from '../../components/PrintPreview';

type Spec = Input<'reports.periodExport'>;
type Balances = Data<'reports.balances'>;
type BalanceLine = Balances['lines'][number];
type Ledger = Data<'reports.ledgerDetail'>;
type LedgerLine = Ledger['lines'][number];
type Recon = Data<'reports.bankReconciliation'>[number];
type Directed = { direction: 'debit' | 'credit' | 'flat'; amount: string };

/** The month before Shanghai's current one: the month a finance team closes. */
export function lastMonth(): string {
  return dayjs(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7) + '-01')
    .subtract(1, 'month')
    .format('YYYY-MM');
}

export const Amount = ({ fen, strong, blankZero }: { fen: string; strong?: boolean; blankZero?: boolean }) =>
  blankZero && fen === '0' ? null : (
    <span style={{ ...nums, fontWeight: strong ? 600 : undefined, color: fen.startsWith('-') ? '#cf1322' : undefined }}>{yuan(fen)}</span>
  );
const dirText = (t: TFunction, d: Directed['direction']) => t(`pr.dir.${d}`);

export function MonthPicker({ month, onChange, testId }: { month: string; onChange(m: string): void; testId: string }) {
  return (
    <DatePicker
      picker="month"
      allowClear={false}
      value={dayjs(`${month}-01`)}
      onChange={(d: Dayjs | null) => d && onChange(d.format('YYYY-MM'))}
      data-testid={testId}
    />
  );
}

/** A month's report in its card: the month picker, then what else names or chooses it, then the unit. */
export function MonthReportCard({
  testId,
  loading,
  month,
  onMonth,
  monthTestId,
  head,
  extra,
  children,
}: {
  testId: string;
  loading: boolean;
  month: string;
  onMonth(m: string): void;
  monthTestId: string;
  head: ReactNode;
  extra: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  return (
    <Card
      size="small"
      loading={loading}
      data-testid={testId}
      title={
        <Space size={12} wrap>
          <MonthPicker month={month} onChange={onMonth} testId={monthTestId} />
          {head}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t('pr.unit')}
          </Typography.Text>
        </Space>
      }
      extra={extra}
    >
      {children}
    </Card>
  );
}

/** A report's own check as a tag (`${testId}-status`: green when it holds, red when not), then ReportActions. */
export function CheckedReportActions({ check, spec, testId }: { check: { ok: boolean; text: string } | null; spec: Spec; testId: string }) {
  return (
    <Space>
      {check && (
        <Tag color={check.ok ? 'success' : 'error'} data-testid={`${testId}-status`}>
          {check.text}
        </Tag>
      )}
      <ReportActions spec={spec} testId={testId} />
    </Space>
  );
}

/** Export and print buttons for one report, with the print preview. */
export function ReportActions({ spec, testId }: { spec: Spec; testId: string }) {
  const t = useT();
  const { modal } = AntApp.useApp();
  const jobs = useJobs();
  const [exporting, runExport] = useBusy();
  const printable = usePrintable({
    html: () => call('reports.periodHtml', spec),
    print: () => jobs.run('reports.periodPrint', spec),
    savedTitle: { pdf: t('pr.savedPdf'), html: t('pr.savedHtml') },
    savedTestId: `${testId}-saved`,
  });
  const exportXlsx = () =>
    runExport(async () => {
      const r = await jobs.run('reports.periodExport', spec);
      modal.success({ title: t('pr.exported'), content: <SavedFile file={r} testId={`${testId}-saved`} /> });
    });
  return (
    <>
      <Space>
        <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid={`${testId}-export`}>
          {t('pr.export')}
        </Button>
        <Button icon={<PrinterOutlined />} onClick={() => void printable.openPreview()} data-testid={`${testId}-print`}>
          {t('pr.print')}
        </Button>
      </Space>
      <PrintPreview
        printable={printable}
        title={t('pr.previewTitle')}
        frameTitle={t('pr.previewTitle')}
        width={1000}
        height="64vh"
        saveText={t('pr.savePdf')}
        frameTestId={`${testId}-preview`}
        saveTestId={`${testId}-save-pdf`}
      />
    </>
  );
}

/** A report's answer, kept on screen while another month or page loads, and whether it is loading. */
export function useReport<M extends MethodName>(method: M, input: Input<M>, enabled = true): [Data<M> | null, boolean] {
  const q = useRead(method, input, { keepPrevious: true, enabled });
  return [q.data ?? null, q.isFetching];
}

/** A month's report as useReport reads it: the month shown (last month to start) and the input made of it. */
export function useMonthReport<M extends MethodName>(method: M, input: (month: string) => Input<M>) {
  const [month, setMonth] = useState(lastMonth);
  const [data, loading] = useReport(method, input(month));
  return { month, setMonth, data, loading };
}

// ——— 科目余额表 ———

export function BalancesTab() {
  const t = useT();
  const name = useLocalName();
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const [drill, setDrill] = useState<BalanceLine | null>(null);
  const { month, setMonth, data, loading } = useMonthReport('reports.balances', (month) => ({ month, includeEmpty }));
  const money = (k: 'openingDebit' | 'openingCredit' | 'debit' | 'credit' | 'closingDebit' | 'closingCredit') => ({
    title: k.endsWith('ebit') || k === 'debit' ? t('pr.debit') : t('pr.credit'),
    key: k,
    align: 'right' as const,
    width: 124,
    render: (_: unknown, l: BalanceLine) => <Amount fen={l[k]} blankZero strong={l.level === 1} />,
  });
  const columns: TableColumnsType<BalanceLine> = [
    {
      title: t('pr.code'),
      dataIndex: 'code',
      width: 110,
      render: (c: string, l) => (
        <Typography.Link onClick={() => setDrill(l)} data-testid={`bal-code-${c}`} strong={l.level === 1}>
          {c}
        </Typography.Link>
      ),
    },
    {
      title: t('pr.name'),
      key: 'name',
      ellipsis: true,
      render: (_, l) => <span style={{ paddingLeft: (l.level - 1) * 16, fontWeight: l.level === 1 ? 600 : undefined }}>{name(l)}</span>,
    },
    { title: t('pr.opening'), children: [money('openingDebit'), money('openingCredit')] },
    { title: t('pr.period'), children: [money('debit'), money('credit')] },
    { title: t('pr.closing'), children: [money('closingDebit'), money('closingCredit')] },
  ];
  const tt = data?.totals;
  return (
    <Card
      size="small"
      title={
        <Space size={12}>
          <MonthPicker month={month} onChange={setMonth} testId="bal-month" />
          <Checkbox checked={includeEmpty} onChange={(e) => setIncludeEmpty(e.target.checked)}>
            {t('pr.includeEmpty')}
          </Checkbox>
        </Space>
      }
      extra={
        <CheckedReportActions
          check={data && { ok: data.balanced, text: data.balanced ? t('pr.balanced') : t('pr.unbalanced') }}
          spec={{ report: 'balances', month }}
          testId="bal"
        />
      }
      styles={{ body: { padding: 0 } }}
      data-testid="balances-tab"
    >
      <Typography.Paragraph type="secondary" style={{ margin: '8px 12px', fontSize: 12 }}>
        {t('pr.drillHint')} {t('pr.unit')}
      </Typography.Paragraph>
      <SmallTable<BalanceLine>
        testId="bal-table"
        rowKey="code"
        bordered
        loading={loading}
        columns={columns}
        dataSource={data?.lines ?? []}
        scroll={{ x: 1040, y: 'calc(100vh - 330px)' }}
        summary={() =>
          tt && (
            <Table.Summary fixed>
              <Table.Summary.Row style={{ background: '#fafafa' }} data-testid="bal-total">
                <Table.Summary.Cell index={0} colSpan={2}>
                  <strong>{t('pr.total')}</strong>
                </Table.Summary.Cell>
                {(['openingDebit', 'openingCredit', 'debit', 'credit', 'closingDebit', 'closingCredit'] as const).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 2} align="right">
                    <Amount fen={tt[k]} strong />
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          )
        }
      />
      <LedgerDrawer month={month} line={drill} onClose={() => setDrill(null)} />
    </Card>
  );
}

// ——— 明细账 / 银行存款日记账 ———

const PAGE = 200;

function LedgerDrawer({ month, line, onClose }: { month: string; line: BalanceLine | null; onClose(): void }) {
  const t = useT();
  const name = useLocalName();
  const [page, setPage] = usePageFor(line);
  const bank = line?.bankAccountId ?? null;
  const at = { month, offset: (page - 1) * PAGE, limit: PAGE };
  const journal = useReport('reports.bankJournal', { ...at, bankAccountId: bank ?? 0 }, line !== null && bank !== null);
  const detail = useReport('reports.ledgerDetail', { ...at, subjectCode: line?.code ?? '' }, line !== null && bank === null);
  const [data, loading]: [Ledger | null, boolean] = line === null ? [null, false] : bank !== null ? journal : detail;
  const subject = line ? `${line.code} ${name(line)}` : '';
  const title =
    bank !== null && data?.bankAccount
      ? t('pr.bankJournalTitle', { bank: `${data.bankAccount.bankName} ${data.bankAccount.accountNumber}` })
      : t('pr.ledgerTitle', { subject });
  const dirCell = (b: Directed) => <span>{dirText(t, b.direction)}</span>;
  const columns: TableColumnsType<LedgerLine> = [
    { title: t('pr.date'), dataIndex: 'date', width: 100 },
    { title: t('pr.voucher'), dataIndex: 'voucher', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t('pr.summary'), dataIndex: 'summary', ellipsis: true, width: 220 },
    { title: t('pr.other'), key: 'other', ellipsis: true, width: 180, render: (_, l) => `${l.otherCode ?? ''} ${l.otherName}`.trim() },
    ...(bank !== null
      ? [{ title: t('pr.counterparty'), dataIndex: 'counterparty', ellipsis: true, width: 220, render: (v: string | null) => v ?? '' }]
      : []),
    { title: t('pr.debit'), dataIndex: 'debit', align: 'right', width: 130, render: (v: string) => <Amount fen={v} blankZero /> },
    { title: t('pr.credit'), dataIndex: 'credit', align: 'right', width: 130, render: (v: string) => <Amount fen={v} blankZero /> },
    { title: t('pr.direction'), key: 'dir', align: 'center', width: 60, render: (_, l) => dirCell(l.balance) },
    { title: t('pr.balance'), key: 'bal', align: 'right', width: 140, render: (_, l) => <Amount fen={l.balance.amount} /> },
  ];
  const span = bank !== null ? 5 : 4;
  const totalRow = (label: string, x: { debit: string; credit: string; closing: Directed }, key: string) => (
    <Table.Summary.Row style={{ background: '#fafafa' }} data-testid={key}>
      <Table.Summary.Cell index={0}>{data?.to}</Table.Summary.Cell>
      <Table.Summary.Cell index={1} colSpan={span - 1}>
        <strong>{label}</strong>
      </Table.Summary.Cell>
      <Table.Summary.Cell index={span} align="right">
        <Amount fen={x.debit} strong />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={span + 1} align="right">
        <Amount fen={x.credit} strong />
      </Table.Summary.Cell>
      <Table.Summary.Cell index={span + 2} align="center">
        {dirText(t, x.closing.direction)}
      </Table.Summary.Cell>
      <Table.Summary.Cell index={span + 3} align="right">
        <Amount fen={x.closing.amount} strong />
      </Table.Summary.Cell>
    </Table.Summary.Row>
  );
  const spec: Spec | null =
    line === null
      ? null
      : bank !== null
        ? { report: 'bankJournal', month, bankAccountId: bank }
        : { report: 'ledger', month, subjectCode: line.code };
  return (
    <Drawer
      open={line !== null}
      onClose={onClose}
      width="min(1240px, 96vw)"
      title={title}
      extra={spec && <ReportActions spec={spec} testId="ledger" />}
      data-testid="ledger-drawer"
      destroyOnHidden
    >
      {data && (
        <SmallTable<LedgerLine>
          testId="ledger-table"
          rowKey={(l) => `${l.transferId}-${l.debit}`}
          bordered
          loading={loading}
          columns={columns}
          dataSource={data.lines}
          scroll={{ x: bank !== null ? 1330 : 1110 }}
          pagination={
            data.lineCount > PAGE
              ? { current: page, pageSize: PAGE, total: data.lineCount, showSizeChanger: false, onChange: setPage }
              : false
          }
          summary={() => (
            <Table.Summary>
              {totalRow(t('pr.monthTotal'), data.monthTotal, 'ledger-month-total')}
              {totalRow(t('pr.yearTotal'), data.yearTotal, 'ledger-year-total')}
            </Table.Summary>
          )}
          title={() => (
            <Flex justify="space-between" data-testid="ledger-opening">
              <span>
                {data.from} · {t('pr.openingLine')}
              </span>
              <span>
                {dirText(t, data.opening.direction)} <Amount fen={data.opening.amount} strong />
              </span>
            </Flex>
          )}
        />
      )}
    </Drawer>
  );
}

// ——— 资产负债表 / 利润表 ———

interface Row {
  key: string;
  code?: string;
  label: ReactNode;
  a?: string;
  b?: string;
  kind?: 'section' | 'total';
}

function TwoColumnTable({ rows, heads, testId }: { rows: Row[]; heads: [string, string, string]; testId: string }) {
  const t = useT();
  return (
    <SmallTable<Row>
      testId={testId}
      rowKey="key"
      bordered
      dataSource={rows}
      rowClassName={(r) => (r.kind === 'total' ? 'report-total-row' : '')}
      onRow={(r) => ({
        style:
          r.kind === 'total'
            ? { background: '#fafafa', fontWeight: 600 }
            : r.kind === 'section'
              ? { background: '#f5f5f5', fontWeight: 600 }
              : undefined,
      })}
      columns={[
        // Amounts as wide as 999,999,999.99 needs, so the item names keep the rest and do not wrap at 1280
        { title: t('pr.code'), dataIndex: 'code', width: 76 },
        { title: heads[0], dataIndex: 'label' },
        {
          title: heads[1],
          dataIndex: 'a',
          align: 'right',
          width: 124,
          render: (v?: string) => (v === undefined ? null : <Amount fen={v} strong={false} />),
        },
        {
          title: heads[2],
          dataIndex: 'b',
          align: 'right',
          width: 124,
          render: (v?: string) => (v === undefined ? null : <Amount fen={v} />),
        },
      ]}
    />
  );
}

/** A statement's rows from its figures (closing and year opening; month and year): each block a section heading, its lines indented, its total in bold. */
function statementRows<P>(figures: (p: P) => Pick<Row, 'a' | 'b'>, name: (s: { name: string; nameEn: string }) => string) {
  const indented = (label: ReactNode) => <span style={{ paddingLeft: 16 }}>{label}</span>;
  const line = (key: string, label: string, p: P): Row => ({ key, label: indented(label), ...figures(p) });
  const total = (key: string, label: string, p: P): Row => ({ key, label, ...figures(p), kind: 'total' });
  /** Rows `s-<key>` (the heading), the subjects (and `more`), `t-<key>` (the total). */
  const block = (
    key: string,
    title: string,
    subjects: (P & { code: string; name: string; nameEn: string })[],
    totalLabel: string,
    sum: P,
    ...more: Row[]
  ): Row[] => [
    { key: `s-${key}`, label: title, kind: 'section' },
    ...subjects.map((x) => ({ key: x.code, code: x.code, label: indented(name(x)), ...figures(x) })),
    ...more,
    total(`t-${key}`, totalLabel, sum),
  ];
  return { line, total, block };
}

/** A financial statement's card: its title, the date or month it is of and the unit, then its table. */
function StatementCard({ title, period, ...card }: { title: string; period: ReactNode } & Omit<CardProps, 'title' | 'size'>) {
  const t = useT();
  return (
    <Card
      size="small"
      {...card}
      title={
        <Space>
          {title}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {period} · {t('pr.unit')}
          </Typography.Text>
        </Space>
      }
    />
  );
}

export function StatementsTab() {
  const t = useT();
  const name = useLocalName();
  const { month, setMonth, data, loading } = useMonthReport('reports.financialStatements', (month) => ({ month }));
  let bsRows: Row[] = [];
  let isRows: Row[] = [];
  if (data) {
    const bs = data.balanceSheet;
    const b = statementRows((p: { closing: string; yearOpening: string }) => ({ a: p.closing, b: p.yearOpening }), name);
    bsRows = [
      ...b.block('a', t('pr.bs.assets'), bs.assets, t('pr.bs.totalAssets'), bs.totals.assets),
      ...b.block('l', t('pr.bs.liabilities'), bs.liabilities, t('pr.bs.totalLiabilities'), bs.totals.liabilities),
      ...b.block(
        'e',
        t('pr.bs.equity'),
        bs.equity,
        t('pr.bs.totalEquity'),
        bs.totals.equity,
        b.line('unclosed', t('pr.bs.unclosed'), bs.unclosedProfit),
      ),
      b.total('t-le', t('pr.bs.totalLE'), bs.totals.liabilitiesAndEquity),
    ];
    const is = data.incomeStatement;
    const i = statementRows((p: { month: string; year: string }) => ({ a: p.month, b: p.year }), name);
    isRows = [
      ...i.block('r', t('pr.is.revenue'), is.revenue, t('pr.is.totalRevenue'), is.totals.revenue),
      ...i.block('x', t('pr.is.expenses'), is.expenses, t('pr.is.totalExpenses'), is.totals.expenses),
      i.total('t-p', t('pr.is.profit'), is.totals.profit),
    ];
  }
  return (
    <Flex vertical gap={12} data-testid="statements-tab">
      <Flex justify="space-between">
        <MonthPicker month={month} onChange={setMonth} testId="fs-month" />
        <ReportActions spec={{ report: 'statements', month }} testId="fs" />
      </Flex>
      <Flex gap={12} wrap align="start">
        <StatementCard
          title={t('pr.bs.title')}
          period={data && t('pr.bs.asOf', { date: data.asOf })}
          loading={loading && !data}
          style={{ flex: '1 1 560px' }}
          extra={
            data && (
              <Tag color={data.balanceSheet.balanced ? 'success' : 'error'} data-testid="bs-status">
                {data.balanceSheet.balanced ? t('pr.bs.balanced') : t('pr.bs.unbalanced', { amount: yuan(data.balanceSheet.difference) })}
              </Tag>
            )
          }
        >
          <TwoColumnTable rows={bsRows} heads={[t('pr.bs.item'), t('pr.bs.closing'), t('pr.bs.yearOpening')]} testId="bs-table" />
        </StatementCard>
        <StatementCard title={t('pr.is.title')} period={month} loading={loading && !data} style={{ flex: '1 1 480px' }}>
          <TwoColumnTable rows={isRows} heads={[t('pr.bs.item'), t('pr.is.month'), t('pr.is.year')]} testId="is-table" />
        </StatementCard>
      </Flex>
    </Flex>
  );
}

// ——— 银行存款余额调节表 ———

const KINDS = ['bankReceivedBooksNot', 'bankPaidBooksNot', 'booksReceivedBankNot', 'booksPaidBankNot'] as const;

/** One account's 余额调节表: books side and bank side, item by item, and the verdict. */
export function ReconciliationStatement({ r }: { r: Recon }) {
  const t = useT();
  type Item = Recon['booksPaidBankNot'][number];
  const side = (
    title: string,
    start: string,
    startFen: string | null,
    kinds: readonly (typeof KINDS)[number][],
    adjusted: string | null,
    testId: string,
  ) => (
    <Card size="small" title={title} style={{ flex: '1 1 480px' }} data-testid={testId}>
      <Flex justify="space-between" style={{ fontWeight: 600, marginBottom: 8 }}>
        <span>{start}</span>
        {startFen === null ? <span>—</span> : <Amount fen={startFen} strong />}
      </Flex>
      {kinds.map((k) => (
        <div key={k} style={{ marginBottom: 8 }} data-testid={`rec-${k}`}>
          <Flex justify="space-between">
            <Typography.Text>{t(`pr.rec.${k}`)}</Typography.Text>
            <Amount fen={r.sums[k]} />
          </Flex>
          {r[k].length > 0 ? (
            <SmallTable<Item>
              rowKey={(x) => `${x.transferId ?? ''}-${x.lineId ?? ''}`}
              pagination={r[k].length > 10 ? { pageSize: 10, size: 'small' } : false}
              dataSource={r[k]}
              columns={[
                { title: t('pr.date'), dataIndex: 'date', width: 100 },
                {
                  title: t('pr.rec.ref'),
                  key: 'ref',
                  width: 150,
                  render: (_, x) => x.voucher ?? (x.statementFile ? t('pr.rec.lineRef', { file: x.statementFile, n: x.lineNo ?? '' }) : ''),
                },
                { title: t('pr.summary'), dataIndex: 'description', ellipsis: true },
                { title: t('pr.rec.amount'), dataIndex: 'amount', align: 'right', width: 120, render: (v: string) => <Amount fen={v} /> },
              ]}
            />
          ) : (
            <Typography.Text type="secondary" style={{ paddingLeft: 16, fontSize: 12 }}>
              {t('pr.rec.none')}
            </Typography.Text>
          )}
        </div>
      ))}
      <Flex justify="space-between" style={{ fontWeight: 700, borderTop: '1px solid #f0f0f0', paddingTop: 8 }}>
        <span>{t('pr.rec.adjusted')}</span>
        <span data-testid={`${testId}-adjusted`}>{adjusted === null ? '—' : <Amount fen={adjusted} strong />}</span>
      </Flex>
    </Card>
  );
  return (
    <Flex vertical gap={12} data-testid="rec-statement">
      {r.statement ? (
        <Typography.Text type="secondary">
          {t('pr.rec.statement', { file: r.statement.fileName, date: r.statement.closingDate })}
        </Typography.Text>
      ) : (
        <Alert type="warning" showIcon title={t('pr.rec.noStatement')} />
      )}
      <Flex gap={12} wrap align="start">
        {side(t('pr.rec.booksSide'), t('pr.rec.booksBalance'), r.booksBalance, KINDS.slice(0, 2), r.booksAdjusted, 'rec-books')}
        {side(
          t('pr.rec.bankSide'),
          t('pr.rec.statementBalance'),
          r.statement?.closingAmount ?? null,
          KINDS.slice(2),
          r.bankAdjusted,
          'rec-bank',
        )}
      </Flex>
      {r.difference !== null && (
        <Alert
          type={r.balanced ? 'success' : 'error'}
          showIcon
          data-testid="rec-verdict"
          title={r.balanced ? t('pr.rec.agree') : t('pr.rec.differ', { amount: yuan(r.difference) })}
        />
      )}
    </Flex>
  );
}

export function BankRecTab({ bankAccountId: fixed, month: fixedMonth }: { bankAccountId?: number; month?: string } = {}) {
  const t = useT();
  const [month, setMonth] = useState(fixedMonth ?? lastMonth());
  const [banks] = useReport('bankAccounts.list', {});
  const [picked, setBank] = useState<number | undefined>();
  // The account given, else the one chosen, else the first.
  const bank = fixed ?? picked ?? banks?.[0]?.id;
  const [data, loading] = useReport('reports.bankReconciliation', { month, bankAccountId: bank ?? 0 }, bank !== undefined);
  if (banks && !banks.length) return <Empty description={t('pr.rec.noBanks')} />;
  return (
    <MonthReportCard
      testId="bankrec-tab"
      loading={loading && !data}
      month={month}
      onMonth={setMonth}
      monthTestId="rec-month"
      head={
        fixed === undefined && (
          <Select<number>
            value={bank}
            onChange={setBank}
            style={{ width: 340 }}
            options={(banks ?? []).map((b) => ({ value: b.id, label: `${b.bankName} · ${b.accountNumber}` }))}
            data-testid="rec-bank"
          />
        )
      }
      extra={bank !== undefined && <ReportActions spec={{ report: 'bankReconciliation', month, bankAccountId: bank }} testId="rec" />}
    >
      {data?.[0] && <ReconciliationStatement r={data[0]} />}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        {t('pr.rec.signatures')}
      </Typography.Paragraph>
    </MonthReportCard>
  );
}
