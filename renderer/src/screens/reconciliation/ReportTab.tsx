// 对账报告: per bank account (or one statement) — lines, money in and out, matched, unmatched and
// written off; the 银行存款余额调节表 of the account at a month end (books against the statement's own
// closing balance, 未达账项 line by line); and the unallocated receipts by age.
import { Card, Empty, Flex, Select, Space, Statistic, Table, Typography } from 'antd';
import { type Data } from '../../api/coffer';
import { NO_ROWS, useRead } from '../../api/queries';
import { useQuietRead } from '../../hooks/useQuietRead';
import { useT } from '../../i18n';
import { Yuan, fenText, groupedNumber } from './shared';
import { BankRecTab } from '../reports/PeriodReports';

type Report = Data<'reconcile.report'>;
type Bank = Data<'bankAccounts.list'>[number];
const BUCKETS = ['0-7', '8-30', '31-90', '90+'];

export function ReportTab({
  bankAccountId: chosen,
  statementId,
  onChange,
}: {
  bankAccountId?: number;
  statementId?: number;
  onChange(bankAccountId?: number, statementId?: number): void;
}) {
  const t = useT();
  const banks: Bank[] = useRead('bankAccounts.list').data ?? NO_ROWS;
  // The account in the hash, else the first.
  const bankAccountId = chosen ?? banks[0]?.id;
  const statements =
    useQuietRead('statements.list', { bankAccountId: bankAccountId ?? 0 }, { enabled: bankAccountId !== undefined }).data ?? NO_ROWS;
  const report: Report | null =
    useRead(
      'reconcile.report',
      { bankAccountId: bankAccountId ?? 0, ...(statementId !== undefined ? { statementId } : {}) },
      { enabled: bankAccountId !== undefined, keepPrevious: true },
    ).data ?? null;

  if (!banks.length) return <Empty description={t('bankAccount.none')} />;
  const tot = report?.totals;
  return (
    <Flex vertical gap={12} data-testid="report-tab">
      <Space wrap>
        <Typography.Text>{t('statement.bankAccount')}</Typography.Text>
        <Select<number>
          value={bankAccountId}
          onChange={(v) => onChange(v)}
          style={{ width: 360 }}
          options={banks.map((b) => ({ value: b.id, label: `${b.bankName} · ${groupedNumber(b.accountNumber)}` }))}
          data-testid="report-bank"
        />
        <Typography.Text>{t('report.scope')}</Typography.Text>
        <Select<number>
          allowClear
          value={statementId}
          placeholder={t('report.allStatements')}
          onChange={(v) => onChange(bankAccountId, v ?? undefined)}
          style={{ width: 360 }}
          options={statements.map((s) => ({
            value: s.id,
            label: `#${s.id} ${s.fileName} (${s.firstBooked ?? '—'} ~ ${s.lastBooked ?? '—'})`,
          }))}
          data-testid="report-statement"
        />
      </Space>
      {report && tot && (
        <>
          <Card size="small" title={t('report.totalsTitle', { bank: report.bankAccount.bankName })}>
            <Flex gap={40} wrap data-testid="report-totals">
              <Statistic title={t('report.lines')} value={tot.lines} />
              <Statistic title={t('statement.moneyIn')} value={fenText(tot.moneyIn)} />
              <Statistic title={t('statement.moneyOut')} value={fenText(tot.moneyOut)} />
              <Statistic title={t('report.matched')} value={fenText(tot.matched)} valueStyle={{ color: '#389e0d' }} />
              <Statistic
                title={t('report.unmatched')}
                value={fenText(tot.unmatched)}
                valueStyle={{ color: tot.unmatched ? '#d46b08' : undefined }}
              />
              <Statistic title={t('report.writtenOff')} value={fenText(tot.writtenOff)} />
              <Statistic title={t('report.netted')} value={fenText(tot.netted)} data-testid="report-netted" />
            </Flex>
          </Card>
          <Card size="small" title={t('pr.tab.bankRec')} data-testid="report-proof" styles={{ body: { padding: 0 } }}>
            {bankAccountId !== undefined && <BankRecTab bankAccountId={bankAccountId} />}
          </Card>
          <Card size="small" title={t('report.agedTitle')} styles={{ body: { padding: 0 } }}>
            <Table
              data-testid="report-aged"
              size="small"
              rowKey="bucket"
              pagination={false}
              dataSource={BUCKETS.map((b) => report.aged.find((a) => a.bucket === b) ?? { bucket: b, lines: 0, amount: 0 })}
              columns={[
                { title: t('report.age'), dataIndex: 'bucket', render: (b: string) => t('report.days', { range: b }) },
                { title: t('report.lines'), dataIndex: 'lines', align: 'right', width: 120 },
                { title: t('report.amount'), dataIndex: 'amount', align: 'right', width: 200, render: (v: number) => <Yuan fen={v} /> },
              ]}
              summary={(rows) => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <strong>{t('report.total')}</strong>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    <strong>{rows.reduce((s, r) => s + r.lines, 0)}</strong>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <Yuan fen={rows.reduce((s, r) => s + r.amount, 0)} strong />
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </Card>
        </>
      )}
    </Flex>
  );
}
