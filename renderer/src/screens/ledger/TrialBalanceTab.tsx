// Trial balance: one table per ledger (CNY in yuan, coin ledgers in coins), never summed across
// ledgers, each with its totals and a balanced ✓ / ✗ tag.
import { Alert, App as AntApp, Card, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { showError } from '../../app/errors';
import { Amount } from '../../components/Amount';
import { useT } from '../../i18n';
import { ledgerName } from './ledgerOptions';

type Ledger = Data<'ledger.trialBalance'>[number];
type Line = Ledger['lines'][number];
const AMOUNTS = ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const;

function LedgerTable({ tb }: { tb: Ledger }) {
  const t = useT();
  const label = {
    debitsPosted: t('accounts.debitsPosted'),
    creditsPosted: t('accounts.creditsPosted'),
    debitsPending: t('accounts.debitsPending'),
    creditsPending: t('accounts.creditsPending'),
  };
  const columns: TableColumnsType<Line> = [
    { title: t('trial.code'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
    { title: t('trial.accounts'), dataIndex: 'accounts', align: 'right', width: 90 },
    ...AMOUNTS.map((k) => ({
      title: label[k],
      key: k,
      align: 'right' as const,
      width: 170,
      render: (_: unknown, l: Line) => <Amount minor={l[k]} ledger={tb.ledger} />,
    })),
  ];
  return (
    <Card
      size="small"
      data-testid={`trial-${tb.ledger}`}
      title={
        <Flex gap={12} align="center">
          <span>{ledgerName(tb.ledger, t)}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t('trial.unit', { unit: t(`ledger.unit.${tb.ledger as 1 | 2 | 3}`) })}
          </Typography.Text>
        </Flex>
      }
      extra={
        <Tag color={tb.balanced ? 'success' : 'error'} data-testid={`trial-${tb.ledger}-status`}>
          {tb.balanced ? t('trial.balanced') : t('trial.unbalanced')}
        </Tag>
      }
    >
      <Table<Line>
        rowKey="code"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={tb.lines}
        summary={() => (
          <Table.Summary.Row style={{ background: '#fafafa' }}>
            <Table.Summary.Cell index={0}>
              <strong>{t('trial.total')}</strong>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {tb.lines.reduce((n, l) => n + l.accounts, 0)}
            </Table.Summary.Cell>
            {AMOUNTS.map((k, i) => (
              <Table.Summary.Cell key={k} index={i + 2} align="right">
                <Amount minor={tb.totals[k]} ledger={tb.ledger} strong />
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

export default function TrialBalanceTab({ refreshKey }: { refreshKey: number }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [data, setData] = useState<Data<'ledger.trialBalance'> | null>(null);
  const load = useCallback(async () => {
    try {
      setData(await call('ledger.trialBalance'));
    } catch (e) {
      showError(message, e, t);
    }
  }, [message, t]);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);
  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={t('trial.note')} />
      {data?.map((tb) => (
        <LedgerTable key={tb.ledger} tb={tb} />
      ))}
    </Flex>
  );
}
