// The result of books.verify: counts, each ledger's totals, and every finding.
import { Alert, Descriptions, List, Tag, Typography } from 'antd';
import type { JobResult } from '../../api/coffer';
import { Amount } from '../../components/Amount';
import { Hash } from '../../components/Hash';
import { formatTime } from '../../format/dates';
import { SmallTable } from '../../components/CardTable';
import { lookup, useT } from '../../i18n';
import { ledgerName } from './ledgerOptions';

export type VerifyReport = JobResult<'books.verify'>;
type Tie = VerifyReport['ties'][number];

function anchorText(a: NonNullable<VerifyReport['anchor']>, t: ReturnType<typeof useT>): string {
  if (a.state === 'backup') return t('ledgerScreen.anchorBackup');
  if (a.state !== 'ok' || a.seq === null) return t('ledgerScreen.anchorBroken');
  return t(a.signatureChecked ? 'ledgerScreen.anchorOk' : 'ledgerScreen.anchorUnsigned', { seq: a.seq });
}

export function VerifyResult({ report }: { report: VerifyReport }) {
  const t = useT();
  const L = report.ledgers;
  return (
    <div data-testid="verify-result">
      <Alert
        type={report.ok ? 'success' : 'error'}
        showIcon
        title={report.ok ? t('ledgerScreen.verifyOk') : t('ledgerScreen.verifyBad', { n: report.findings.length })}
        description={`${formatTime(report.checkedAt)} · ${t('ledgerScreen.verifyCounts', { accounts: report.counts.accounts, transfers: report.counts.transfers, audit: report.counts.auditRows, sealed: report.counts.sealedRows })}`}
        style={{ marginBottom: 12 }}
      />
      <SmallTable
        rowKey="ledger"
        dataSource={L}
        columns={[
          { title: t('accounts.ledger'), dataIndex: 'ledger', render: (l: number) => ledgerName(l, t) },
          ...(['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const).map((k) => ({
            title: t(`accounts.${k}`),
            key: k,
            align: 'right' as const,
            render: (_: unknown, r: (typeof L)[number]) => <Amount minor={String(r[k])} ledger={r.ledger} />,
          })),
        ]}
      />
      <Descriptions
        size="small"
        style={{ marginTop: 12 }}
        items={[
          { key: 'h', label: t('ledgerScreen.lastAuditHash'), children: <Hash value={report.lastAuditHash} /> },
          ...(report.anchor
            ? [
                {
                  key: 'a',
                  label: t('ledgerScreen.anchor'),
                  children: <span data-testid="verify-anchor">{anchorText(report.anchor, t)}</span>,
                },
              ]
            : []),
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('ties.title')}
      </Typography.Title>
      <SmallTable
        testId="verify-ties"
        rowKey="name"
        dataSource={report.ties}
        columns={[
          {
            title: t('ties.name'),
            key: 'name',
            render: (_: unknown, x: Tie) =>
              t(`ties.kind.${x.kind}`, { ...x.about, ledger: x.about.ledger ? ledgerName(Number(x.about.ledger), t) : '' }),
          },
          ...(['expected', 'actual'] as const).map((k) => ({
            title: t(`ties.${k}`),
            key: k,
            align: 'right' as const,
            width: 150,
            render: (_: unknown, x: Tie) => <Amount minor={x[k]} ledger={x.unit === 'fen' ? 1 : 2} />,
          })),
          {
            title: '',
            key: 'ok',
            width: 70,
            render: (_: unknown, x: Tie) => <Tag color={x.ok ? 'green' : 'red'}>{t(x.ok ? 'ties.ok' : 'ties.broken')}</Tag>,
          },
        ]}
      />
      {report.findings.length > 0 && (
        <List
          size="small"
          bordered
          dataSource={report.findings}
          renderItem={(f) => (
            <List.Item>
              <Tag color="red">{lookup(t, `verifyCheck.${f.check}`, t('ties.title'))}</Tag>
              <Typography.Text>{f.message}</Typography.Text>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
