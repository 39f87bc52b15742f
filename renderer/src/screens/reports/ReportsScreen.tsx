// 报表: the month-end reports (科目余额表 with its drill-down, 资产负债表 / 利润表, 银行存款余额调节表;
// PeriodReports.tsx) and the monthly roll-forward of the coin liability — per coin ledger (recharge coins, earnings
// coins; never added together) opening, recharged, bonus, earned, spent, reversed, other, closing,
// with the transfers among linked wallets beside (they move coins, they do not change the total) —
// and the CNY customer prepayments at the month's start and end. Exported to Excel.
import { Alert, App as AntApp, Button, Card, DatePicker, Flex, Space, Tabs, Typography, type TableColumnsType } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { type Data } from '../../api/coffer';
import { useJobs } from '../../app/jobs';
import { SavedFile } from '../../components/SavedFile';
import { CardTable } from '../../components/CardTable';
import { tab } from '../../components/tabs';
import { useT } from '../../i18n';
import { coins, nums, yuan } from '../approvals/common';
import { BalancesTab, BankRecTab, StatementsTab, useReport } from './PeriodReports';
import { DeferredRevenueTab } from './DeferredRevenueTab';
import { VatDataTab } from './VatDataTab';
import { useBusy } from '../../hooks/useBusy';

type RollForward = Data<'reports.rollForward'>;
type Line = RollForward['lines'][number];

/** Shanghai's current month, 'YYYY-MM'. */
function thisMonth(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** Opening + every movement: the closing the line states must be this. */
export function recomputed(l: Line): bigint {
  return (
    BigInt(l.opening) +
    BigInt(l.recharged) +
    BigInt(l.bonus) +
    BigInt(l.earned) -
    BigInt(l.spent) -
    BigInt(l.expired) -
    BigInt(l.reversed) +
    BigInt(l.other)
  );
}

function Signed({ n, sign }: { n: string; sign: '+' | '−' | '' }) {
  const zero = BigInt(n) === 0n;
  return <span style={{ ...nums, color: zero ? '#bfbfbf' : undefined }}>{zero ? '0' : `${sign}${coins(n)}`}</span>;
}

function RollForwardTab() {
  const t = useT();
  const { modal } = AntApp.useApp();
  const jobs = useJobs();
  const [month, setMonth] = useState(thisMonth);
  const [data, loading] = useReport('reports.rollForward', { month });
  const [exporting, runExport] = useBusy();

  const exportXlsx = async () => {
    await runExport(async () => {
      const r = await jobs.run('reports.exportRollForward', { month });
      modal.success({
        title: t('rf.exported'),
        content: <SavedFile file={r} testId="rf-exported" />,
      });
    });
  };

  const columns: TableColumnsType<Line> = [
    {
      title: t('rf.ledger'),
      dataIndex: 'ledger',
      width: 130,
      fixed: 'left',
      render: (l: number) => <Typography.Text strong>{l === 2 ? t('rf.ledger.2') : t('rf.ledger.3')}</Typography.Text>,
    },
    { title: t('rf.opening'), dataIndex: 'opening', align: 'right', render: (n: string) => <Signed n={n} sign="" /> },
    { title: t('rf.recharged'), dataIndex: 'recharged', align: 'right', render: (n: string) => <Signed n={n} sign="+" /> },
    { title: t('rf.bonus'), dataIndex: 'bonus', align: 'right', render: (n: string) => <Signed n={n} sign="+" /> },
    { title: t('rf.earned'), dataIndex: 'earned', align: 'right', render: (n: string) => <Signed n={n} sign="+" /> },
    { title: t('rf.spent'), dataIndex: 'spent', align: 'right', render: (n: string) => <Signed n={n} sign="−" /> },
    { title: t('rf.expired'), dataIndex: 'expired', align: 'right', render: (n: string) => <Signed n={n} sign="−" /> },
    { title: t('rf.reversed'), dataIndex: 'reversed', align: 'right', render: (n: string) => <Signed n={n} sign="−" /> },
    {
      title: t('rf.other'),
      dataIndex: 'other',
      align: 'right',
      render: (n: string) => <Signed n={n} sign={BigInt(n) > 0n ? '+' : ''} />,
    },
    {
      title: t('rf.closing'),
      dataIndex: 'closing',
      width: 150,
      align: 'right',
      render: (n: string, l) => (
        <Flex vertical align="end">
          <span style={{ ...nums, fontWeight: 600 }}>{coins(n)}</span>
          {recomputed(l) === BigInt(n) ? (
            <Typography.Text type="success" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {t('rf.adds')}
            </Typography.Text>
          ) : (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('rf.doesNotAdd')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('rf.transferred'),
      dataIndex: 'transferred',
      align: 'right',
      render: (n: string) => <span style={{ ...nums, color: '#8c8c8c' }}>{coins(n)}</span>,
    },
  ];

  return (
    <Flex vertical gap={12} data-testid="reports-screen">
      <CardTable<Line>
        title={
          <Space size={12}>
            <span>{t('rf.title')}</span>
            <DatePicker
              picker="month"
              allowClear={false}
              value={dayjs(`${month}-01`)}
              onChange={(d: Dayjs | null) => d && setMonth(d.format('YYYY-MM'))}
              disabledDate={(d) => d.format('YYYY-MM') > thisMonth()}
              data-testid="rf-month"
            />
          </Space>
        }
        extra={
          <Button icon={<FileExcelOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="rf-export">
            {t('rf.export')}
          </Button>
        }
        testId="rf-table"
        rowKey="ledger"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.lines ?? []}
        scroll={{ x: 1040 }}
      >
        <Typography.Paragraph type="secondary" style={{ margin: 12, fontSize: 12 }}>
          {t('rf.note')}
        </Typography.Paragraph>
      </CardTable>
      {data && (
        <Card size="small" title={t('rf.prepaymentsTitle')} data-testid="rf-prepayments" style={{ maxWidth: 560 }}>
          <Flex gap={48}>
            <Flex vertical>
              <Typography.Text type="secondary">{t('rf.prepaymentsOpening', { month })}</Typography.Text>
              <span style={{ ...nums, fontSize: 20, fontWeight: 600 }}>{yuan(data.prepayments.opening)}</span>
            </Flex>
            <Flex vertical>
              <Typography.Text type="secondary">{t('rf.prepaymentsClosing', { month })}</Typography.Text>
              <span style={{ ...nums, fontSize: 20, fontWeight: 600 }}>{yuan(data.prepayments.closing)}</span>
            </Flex>
          </Flex>
          <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('rf.prepaymentsNote')} />
        </Card>
      )}
    </Flex>
  );
}

export default function ReportsScreen() {
  const t = useT();
  return (
    <Tabs
      data-testid="reports-tabs"
      destroyOnHidden
      items={[
        tab('balances', t('pr.tab.balances'), <BalancesTab />),
        tab('statements', t('pr.tab.statements'), <StatementsTab />),
        tab('bankrec', t('pr.tab.bankRec'), <BankRecTab />),
        tab('deferred', t('pr.tab.deferred'), <DeferredRevenueTab />),
        tab('vat', t('pr.tab.vat'), <VatDataTab />),
        tab('rollforward', t('pr.tab.rollForward'), <RollForwardTab />),
      ]}
    />
  );
}
