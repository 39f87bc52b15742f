// Trial balance: one table per ledger (CNY in yuan, coin ledgers in coins), never summed across
// ledgers, each with its totals, a balanced ✓ / ✗ tag and the list toolbar (Excel, print, columns). The
// lines come from ledger.trialBalanceLines: the CNY ledger by 科目 (科目编码 + 科目名称), coin ledgers by account kind.
import { Alert, Card, Flex, Table, Tag, Typography } from 'antd';
import type { Data } from '../../api/coffer';
import { useReads } from '../../api/queries';
import { Amount } from '../../components/Amount';
import { ListToolbar, filterLine, useListTools, type ListColumn } from '../../components/ListTools';
import { SmallTable } from '../../components/CardTable';
import { useI18n, useT } from '../../i18n';
import { accountName, ledgerName } from './ledgerOptions';

type Ledger = Data<'ledger.trialBalanceLines'>;
type Line = Ledger['rows'][number];
const AMOUNTS = ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const;
const LEDGERS = [1, 2, 3] as const;

function LedgerTable({ tb }: { tb: Ledger }) {
  const t = useT();
  const { lang } = useI18n();
  const label = {
    debitsPosted: t('accounts.debitsPosted'),
    creditsPosted: t('accounts.creditsPosted'),
    debitsPending: t('accounts.debitsPending'),
    creditsPending: t('accounts.creditsPending'),
  };
  const bySubject = tb.ledger === 1;
  // A coin ledger's lines are account kinds, named by the console (the file says them in words too).
  const kindNames = Object.fromEntries(tb.rows.map((l) => [l.code, accountName(l.code, t, l.code)]));
  const columns: ListColumn<Line>[] = [
    bySubject
      ? { key: 'code', field: 'code', title: t('chart.code'), dataIndex: 'code', width: 110 }
      : {
          key: 'code',
          field: 'code',
          labels: kindNames,
          title: t('trial.account'),
          dataIndex: 'code',
          render: (c: string) => kindNames[c],
        },
    ...(bySubject
      ? [
          {
            key: 'name',
            field: lang === 'en' ? 'nameEn|code' : 'name|code',
            title: t('trial.subjectName'),
            ellipsis: true,
            render: (_: unknown, l: Line) => (lang === 'en' ? l.nameEn : l.name) ?? l.code,
          },
        ]
      : []),
    { key: 'accounts', field: 'accounts', kind: 'number', title: t('trial.accounts'), dataIndex: 'accounts', align: 'right', width: 90 },
    ...AMOUNTS.map((k): ListColumn<Line> => ({
      key: k,
      field: k,
      kind: bySubject ? 'money' : 'coins',
      title: label[k],
      align: 'right',
      width: 170,
      render: (_: unknown, l: Line) => <Amount minor={l[k]} ledger={tb.ledger} />,
    })),
  ];
  const tools = useListTools(`trial-${tb.ledger}`, columns);
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
        <Flex gap={8} align="center">
          <Tag color={tb.balanced ? 'success' : 'error'} data-testid={`trial-${tb.ledger}-status`}>
            {tb.balanced ? t('trial.balanced') : t('trial.unbalanced')}
          </Tag>
          <ListToolbar
            tools={tools}
            method="ledger.trialBalanceLines"
            filter={{ ledger: tb.ledger }}
            filterText={filterLine([[t('transfers.ledger'), ledgerName(tb.ledger, t)]])}
            title={t('lists.title.trialBalance')}
          />
        </Flex>
      }
    >
      <SmallTable<Line>
        rowKey="code"
        columns={tools.columns}
        dataSource={tb.rows}
        summary={() => (
          <Table.Summary.Row style={{ background: '#fafafa' }}>
            {tools.all
              .filter((c) => !tools.hidden.includes(c.key))
              .map((c, i) => {
                const k = AMOUNTS.find((a) => a === c.key);
                return (
                  <Table.Summary.Cell key={c.key} index={i} align={i === 0 ? undefined : 'right'}>
                    {i === 0 ? (
                      <strong>{t('trial.total')}</strong>
                    ) : k ? (
                      <Amount minor={tb.totals[k]} ledger={tb.ledger} strong />
                    ) : c.key === 'accounts' ? (
                      tb.rows.reduce((n, l) => n + l.accounts, 0)
                    ) : null}
                  </Table.Summary.Cell>
                );
              })}
          </Table.Summary.Row>
        )}
      />
    </Card>
  );
}

const INPUTS = LEDGERS.map((ledger) => ({ ledger }));

export default function TrialBalanceTab() {
  const t = useT();
  const reads = useReads('ledger.trialBalanceLines', INPUTS);
  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={`${t('trial.note')} ${t('trial.cnyBySubject')}`} />
      {reads.map((r, i) => r.data && <LedgerTable key={LEDGERS[i]} tb={r.data} />)}
    </Flex>
  );
}
