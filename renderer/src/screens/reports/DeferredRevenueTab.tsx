// 递延收入变动表 on screen: the month's roll-forward of 合同负债 as a two-column statement (opening,
// received, recognised, refunded, breakage, output VAT at invoicing, other, closing), then the tie to the
// books — the subject's balance at the month's end and the difference, red when not 0 — and the revenue
// run it rests on. Exports to Excel and prints like the other reports.
import { Alert, Flex, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useLocalName, useT } from '../../i18n';
import { nums, yuan } from '../approvals/common';
import { Amount, CheckedReportActions, MonthReportCard, useMonthReport } from './PeriodReports';

interface Row {
  key: string;
  label: ReactNode;
  fen: string;
  kind: 'line' | 'sub' | 'total' | 'tie';
}

const STATE_COLOR = { current: 'success', stale: 'warning', not_run: 'default', not_needed: 'default' } as const;

/** A difference: 0 in green, anything else in red. */
function Tie({ fen }: { fen: string }) {
  return (
    <span style={{ ...nums, fontWeight: 700, color: fen === '0' ? '#389e0d' : '#cf1322' }} data-testid="dr-tie-amount">
      {yuan(fen)}
    </span>
  );
}

export function DeferredRevenueTab() {
  const t = useT();
  const name = useLocalName();
  const { month, setMonth, data, loading } = useMonthReport('reports.deferredRevenue', (month) => ({ month }));
  const rows: Row[] = [];
  if (data) {
    const subject = `${data.subject.code} ${name(data.subject)}`;
    type LineKey = 'opening' | 'received' | 'recognised' | 'refunded' | 'breakage' | 'invoiceVat' | 'other' | 'closing' | 'difference';
    const line = (key: LineKey, kind: Row['kind'] = 'line') => rows.push({ key, label: t(`pr.dr.${key}`), fen: data[key], kind });
    line('opening');
    line('received');
    line('recognised');
    line('refunded');
    line('breakage');
    line('invoiceVat');
    line('other');
    for (const o of data.otherByCode)
      rows.push({
        key: `other-${o.code}`,
        label: o.code === 'voucher' ? t('pr.dr.otherVoucher') : t('pr.dr.otherCode', { code: o.code }),
        fen: o.amount,
        kind: 'sub',
      });
    line('closing', 'total');
    rows.push({ key: 'books', label: t('pr.dr.books', { subject }), fen: data.booksClosing, kind: 'total' });
    line('difference', 'tie');
    if (data.run.unusedValue !== null) {
      rows.push({ key: 'unused', label: t('pr.dr.unused'), fen: data.run.unusedValue, kind: 'line' });
      rows.push({
        key: 'unusedDifference',
        label: t('pr.dr.unusedDifference'),
        fen: String(BigInt(data.booksClosing) - BigInt(data.run.unusedValue)),
        kind: 'tie',
      });
    }
  }
  const run = data?.run;
  return (
    <MonthReportCard
      testId="deferred-tab"
      loading={loading && !data}
      month={month}
      onMonth={setMonth}
      monthTestId="dr-month"
      head={<span>{t('pr.dr.title')}</span>}
      extra={
        <CheckedReportActions
          check={
            data && {
              ok: data.difference === '0',
              text: data.difference === '0' ? t('pr.dr.tied') : t('pr.dr.notTied', { amount: yuan(data.difference) }),
            }
          }
          spec={{ report: 'deferredRevenue', month }}
          testId="dr"
        />
      }
    >
      <Flex gap={16} wrap align="start">
        <Table<Row>
          style={{ flex: '1 1 560px', maxWidth: 760 }}
          data-testid="dr-table"
          rowKey="key"
          size="small"
          bordered
          pagination={false}
          dataSource={rows}
          onRow={(r) => ({
            'data-testid': `dr-row-${r.key}`,
            style: r.kind === 'total' || r.kind === 'tie' ? { background: '#fafafa', fontWeight: 600 } : undefined,
          })}
          columns={[
            {
              title: t('pr.bs.item'),
              dataIndex: 'label',
              render: (v: ReactNode, r) => <span style={{ paddingLeft: r.kind === 'sub' ? 24 : 0 }}>{v}</span>,
            },
            {
              title: t('pr.rec.amount'),
              dataIndex: 'fen',
              align: 'right',
              width: 180,
              render: (fen: string, r) => (r.kind === 'tie' ? <Tie fen={fen} /> : <Amount fen={fen} strong={r.kind === 'total'} />),
            },
          ]}
        />
        {run && (
          <Flex vertical gap={8} style={{ flex: '1 1 300px', maxWidth: 420 }} data-testid="dr-run">
            <Flex gap={8} align="center" wrap>
              <Typography.Text strong>{t('pr.dr.runTitle')}</Typography.Text>
              <Tag color={STATE_COLOR[run.state]} data-testid="dr-run-state">
                {t(`pr.dr.state.${run.state}`)}
              </Tag>
              {run.voucher && <Typography.Text type="secondary">{run.voucher}</Typography.Text>}
            </Flex>
            {(run.state === 'not_run' || run.state === 'stale') && (
              <Alert type="warning" showIcon title={t(run.state === 'not_run' ? 'pr.dr.notRunHint' : 'pr.dr.staleHint')} />
            )}
            {(run.breakageBp ?? 0) === 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('pr.dr.breakageOff')}
              </Typography.Text>
            )}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
              {t('pr.dr.note')}
            </Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('pr.rec.signatures')}
            </Typography.Text>
          </Flex>
        )}
      </Flex>
    </MonthReportCard>
  );
}
