// Trial balance: one table per ledger (CNY in yuan, coin ledgers in coins), never summed across
// ledgers, each with its totals and a balanced ✓ / ✗ tag. The CNY ledger is listed by 科目 (科目编码 +
// 科目名称, lowest level, from the chart); the coin ledgers by their account kind.
import { Alert, Card, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Data } from '../../api/coffer';
import { useRead } from '../../api/queries';
import { Amount } from '../../components/Amount';
import { useI18n, useT } from '../../i18n';
import { accountName, ledgerName } from './ledgerOptions';

type Ledger = Data<'ledger.trialBalance'>[number];
type Line = Ledger['lines'][number] & { name?: string };
type Chart = Data<'chart.list'>;

/** The CNY ledger by leaf subject with any movement, plus any account mapped to no subject (by its code). */
function cnyBySubject(tb: Ledger, chart: Chart, lang: string): Ledger {
  const lines: Line[] = chart.lines
    .filter((l) => l.leaf && l.accounts.length > 0)
    .filter((l) => l.debitsPosted !== '0' || l.creditsPosted !== '0' || l.debitsPending !== '0' || l.creditsPending !== '0')
    .map((l) => ({
      code: l.code,
      name: lang === 'en' ? l.nameEn : l.name,
      accounts: l.accounts.length,
      debitsPosted: l.debitsPosted,
      creditsPosted: l.creditsPosted,
      debitsPending: l.debitsPending,
      creditsPending: l.creditsPending,
    }));
  const unmapped = new Set(chart.unmapped.map((a) => a.code));
  return { ...tb, lines: [...lines, ...tb.lines.filter((l) => unmapped.has(l.code))] };
}
const AMOUNTS = ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const;

function LedgerTable({ tb }: { tb: Ledger }) {
  const t = useT();
  const label = {
    debitsPosted: t('accounts.debitsPosted'),
    creditsPosted: t('accounts.creditsPosted'),
    debitsPending: t('accounts.debitsPending'),
    creditsPending: t('accounts.creditsPending'),
  };
  const bySubject = tb.ledger === 1;
  const columns: TableColumnsType<Line> = [
    bySubject
      ? { title: t('chart.code'), dataIndex: 'code', width: 110 }
      : { title: t('trial.account'), dataIndex: 'code', render: (c: string) => accountName(c, t, c) },
    ...(bySubject ? [{ title: t('trial.subjectName'), dataIndex: 'name', ellipsis: true }] : []),
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
            {bySubject && <Table.Summary.Cell index={1} />}
            <Table.Summary.Cell index={bySubject ? 2 : 1} align="right">
              {tb.lines.reduce((n, l) => n + l.accounts, 0)}
            </Table.Summary.Cell>
            {AMOUNTS.map((k, i) => (
              <Table.Summary.Cell key={k} index={i + (bySubject ? 3 : 2)} align="right">
                <Amount minor={tb.totals[k]} ledger={tb.ledger} strong />
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

export default function TrialBalanceTab() {
  const t = useT();
  const { lang } = useI18n();
  const balances = useRead('ledger.trialBalance');
  const chartRead = useRead('chart.list', {});
  // Shown once both are in, so the CNY ledger appears grouped by subject from the start.
  const chart = chartRead.data;
  const data = chart ? balances.data : undefined;
  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={`${t('trial.note')} ${t('trial.cnyBySubject')}`} />
      {data?.map((tb) => (
        <LedgerTable key={tb.ledger} tb={tb.ledger === 1 && chart ? cnyBySubject(tb, chart, lang) : tb} />
      ))}
    </Flex>
  );
}
