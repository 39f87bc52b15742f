// 增值税申报数据 on screen: per rate the invoiced sales (blue, red-letter as negatives), the uninvoiced sales
// the revenue run taxed, and their totals with a 合计 row; the 不征税 prepaid value invoiced below it (not in
// the total); the tie of the output tax to 222101's month figures; Excel and print like the other reports.
import { Alert, Card, Flex, Space, Table, Typography, type TableColumnsType } from 'antd';
import { type Data } from '../../api/coffer';
import { CardTable } from '../../components/CardTable';
import { useT } from '../../i18n';
import { yuan } from '../approvals/common';
import { Amount, CheckedReportActions, MonthPicker, useMonthReport } from './PeriodReports';

type Vat = Data<'reports.vatData'>;
type Row = Vat['rows'][number];
type Figures = Vat['totals'];
const GROUPS = ['blue', 'red', 'invoiced', 'uninvoiced', 'total'] as const;

function RunNote({ run }: { run: Vat['run'] }) {
  const t = useT();
  if (run.state === 'current')
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="vat-run">
        {t('pr.vat.run.current', { voucher: run.voucher ?? '—', rate: run.percent ?? '' })}
      </Typography.Text>
    );
  return (
    <Alert
      type={run.state === 'not_needed' ? 'info' : 'warning'}
      showIcon
      data-testid="vat-run"
      title={t(`pr.vat.run.${run.state}`, { voucher: run.voucher ?? '—' })}
    />
  );
}

function Tie({ tie }: { tie: Vat['tie'] }) {
  const t = useT();
  const line = (label: string, fen: string, strong?: boolean) => (
    <Flex justify="space-between" style={{ fontWeight: strong ? 600 : undefined }}>
      <span>{label}</span>
      <Amount fen={fen} strong={strong} />
    </Flex>
  );
  return (
    <Card size="small" title={t('pr.vat.tieTitle')} style={{ maxWidth: 560 }} data-testid="vat-tie">
      <Flex vertical gap={4}>
        {line(t('pr.vat.outputTax'), tie.outputTax, true)}
        {line(t('pr.vat.booksCredit'), tie.booksCredit)}
        {line(t('pr.vat.booksDebit'), tie.booksDebit)}
        {line(t('pr.vat.books'), tie.books, true)}
        <Alert
          style={{ marginTop: 8 }}
          type={tie.ok ? 'success' : 'error'}
          showIcon
          data-testid="vat-verdict"
          title={tie.ok ? t('pr.vat.agree') : t('pr.vat.differ', { amount: yuan(tie.difference) })}
        />
      </Flex>
    </Card>
  );
}

export function VatDataTab() {
  const t = useT();
  const { month, setMonth, data, loading } = useMonthReport('reports.vatData', (month) => ({ month }));
  const money = (g: (typeof GROUPS)[number], k: 'net' | 'tax') => ({
    title: t(`pr.vat.${k}`),
    key: `${g}-${k}`,
    align: 'right' as const,
    render: (_: unknown, r: Row) => <Amount fen={r[g][k]} strong={g === 'total'} />,
  });
  const columns: TableColumnsType<Row> = [
    { title: t('pr.vat.rate'), dataIndex: 'percent', width: 128 },
    ...GROUPS.map((g) => ({ title: t(`pr.vat.${g}`), children: [money(g, 'net'), money(g, 'tax')] })),
  ];
  const cells = (f: Figures) =>
    GROUPS.flatMap((g, i) =>
      (['net', 'tax'] as const).map((k, j) => (
        <Table.Summary.Cell key={`${g}-${k}`} index={1 + i * 2 + j} align="right">
          <Amount fen={f[g][k]} strong />
        </Table.Summary.Cell>
      )),
    );
  const nt = data?.notTaxable;
  return (
    <Flex vertical gap={12} data-testid="vat-tab">
      <CardTable<Row>
        title={
          <Space size={12}>
            <MonthPicker month={month} onChange={setMonth} testId="vat-month" />
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
              {t('pr.vat.unit')}
            </Typography.Text>
          </Space>
        }
        extra={
          <CheckedReportActions
            check={data && { ok: data.tie.ok, text: data.tie.ok ? t('pr.vat.tagAgree') : t('pr.vat.tagDiffer') }}
            spec={{ report: 'vatData', month }}
            testId="vat"
          />
        }
        testId="vat-table"
        rowKey="percent"
        bordered
        loading={loading}
        columns={columns}
        dataSource={data?.rows ?? []}
        locale={{ emptyText: t('pr.vat.empty') }}
        scroll={{ x: 'max-content' }}
        summary={() =>
          data &&
          nt && (
            <Table.Summary>
              <Table.Summary.Row style={{ background: '#fafafa' }} data-testid="vat-total">
                <Table.Summary.Cell index={0}>
                  <strong>{t('pr.total')}</strong>
                </Table.Summary.Cell>
                {cells(data.totals)}
              </Table.Summary.Row>
              <Table.Summary.Row data-testid="vat-not-taxable">
                <Table.Summary.Cell index={0}>{t('pr.vat.notTaxable')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <Amount fen={nt.blue} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} />
                <Table.Summary.Cell index={3} align="right">
                  <Amount fen={nt.red} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} />
                <Table.Summary.Cell index={5} align="right">
                  <Amount fen={nt.net} />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} colSpan={5} />
              </Table.Summary.Row>
            </Table.Summary>
          )
        }
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('pr.vat.notTaxableHint')}
      </Typography.Text>
      {data && <RunNote run={data.run} />}
      {data && <Tie tie={data.tie} />}
    </Flex>
  );
}
