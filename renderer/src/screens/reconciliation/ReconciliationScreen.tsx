// 对账: the platform's bank accounts and statements, statement import, the review queue after
// auto-matching, unallocated receipts by age and payments to explain, the matching rules, and the reconciliation report. Where the screen is lives in the
// hash: #/reconciliation/<tab>[/<sub>], a statement's lines at #/reconciliation/s/<id>, the report
// at #/reconciliation/report/<bankAccountId>[/<statementId>].
import { Alert, App as AntApp, Button, Space, Tabs, Tooltip } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { type JobResult, type MethodName } from '../../api/coffer';
import { useInvalidate, useJobWrite } from '../../api/queries';
import { useCounter } from '../../app/session';
import { useHashPath } from '../../hooks/useHashPath';
import { useT } from '../../i18n';
import { BANK_READS, BankAccounts, StatementPage } from './BankAccounts';
import { PaymentsTab } from './PaymentsTab';
import { ReportTab } from './ReportTab';
import { QUEUE_TABS, ReviewQueue, type QueueTab } from './ReviewQueue';
import { RulesEditor } from './RulesEditor';
import { fenText } from './shared';
import { StatementImport } from './StatementImport';
import { UNALLOCATED_READS, UnallocatedTab } from './UnallocatedTab';

const TABS = ['accounts', 'import', 'queue', 'ageing', 'payments', 'rules', 'report'] as const;
type TabKey = (typeof TABS)[number];

export default function ReconciliationScreen() {
  const t = useT();
  const { message } = AntApp.useApp();
  const counter = useCounter();
  const [path, go] = useHashPath();
  const invalidate = useInvalidate();
  /** After a run or an import every tab shows the new state. */
  const everyTab: MethodName[] = ['reconcile.queue', 'moneyOut.list', ...UNALLOCATED_READS, ...BANK_READS];
  const reload = () => void invalidate(...everyTab);
  const runWrite = useJobWrite('reconcile.run', everyTab);
  const running = runWrite.busy;
  const [ran, setRan] = useState<JobResult<'reconcile.run'> | null>(null);

  const openRequest = (id: number) => {
    location.hash = `#/recharges/r/${id}`;
  };
  const report = (bankAccountId: number, statementId?: number) =>
    statementId === undefined ? go('report', bankAccountId) : go('report', bankAccountId, statementId);

  if (path[0] === 's' && path[1] && /^\d+$/.test(path[1])) {
    return <StatementPage key={path[1]} id={Number(path[1])} onBack={() => go('accounts')} onReport={report} />;
  }

  const tab: TabKey = (TABS as readonly string[]).includes(path[0] ?? '') ? (path[0] as TabKey) : 'accounts';
  const queueTab: QueueTab = (QUEUE_TABS as readonly string[]).includes(path[1] ?? '') ? (path[1] as QueueTab) : 'suggested';
  const num = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : undefined);

  const run = async () => {
    const r = await runWrite.run({});
    if (!r) return;
    setRan(r);
    void message.success(t('run.done', { n: r.allocated }));
    if (tab !== 'queue') go('queue', r.proposed ? 'awaiting' : r.ambiguous ? 'ambiguous' : r.suggested ? 'suggested' : 'unmatchedLines');
  };

  return (
    <>
      {ran && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setRan(null)}
          style={{ marginBottom: 8 }}
          data-testid="run-result"
          title={t('run.summary', {
            lines: ran.linesConsidered,
            requests: ran.requestsConsidered,
            allocated: ran.allocated,
            amount: fenText(ran.amountAllocated),
            suggested: ran.suggested,
            ambiguous: ran.ambiguous,
          })}
          description={ran.proposed ? t('run.proposed', { n: ran.proposed }) : undefined}
        />
      )}
      <Tabs
        data-testid="recon-tabs"
        activeKey={tab}
        onChange={(k) => go(k)}
        destroyOnHidden
        tabBarExtraContent={
          <Space>
            <Tooltip title={counter ? t('run.hint') : t('run.rolesOnly')}>
              <Button
                type="primary"
                icon={<ThunderboltOutlined />}
                loading={running}
                disabled={!counter}
                onClick={() => void run()}
                data-testid="run-matching"
              >
                {t('run.button')}
              </Button>
            </Tooltip>
          </Space>
        }
        items={[
          {
            key: 'accounts',
            label: <span data-testid="recon-tab-accounts">{t('recon.tab.accounts')}</span>,
            children: <BankAccounts onOpenStatement={(id) => go('s', id)} onReport={report} />,
          },
          {
            key: 'import',
            label: <span data-testid="recon-tab-import">{t('recon.tab.import')}</span>,
            children: <StatementImport onImported={reload} onOpenStatement={(id) => go('s', id)} />,
          },
          {
            key: 'queue',
            label: <span data-testid="recon-tab-queue">{t('recon.tab.queue')}</span>,
            children: <ReviewQueue tab={queueTab} onTab={(q) => go('queue', q)} onOpenRequest={openRequest} />,
          },
          {
            key: 'ageing',
            label: <span data-testid="recon-tab-ageing">{t('recon.tab.ageing')}</span>,
            children: <UnallocatedTab />,
          },
          {
            key: 'payments',
            label: <span data-testid="recon-tab-payments">{t('recon.tab.payments')}</span>,
            children: <PaymentsTab />,
          },
          {
            key: 'rules',
            label: <span data-testid="recon-tab-rules">{t('recon.tab.rules')}</span>,
            children: <RulesEditor />,
          },
          {
            key: 'report',
            label: <span data-testid="recon-tab-report">{t('recon.tab.report')}</span>,
            children: (
              <ReportTab
                bankAccountId={num(path[1])}
                statementId={num(path[2])}
                onChange={(b, s) => (b === undefined ? go('report') : s === undefined ? go('report', b) : go('report', b, s))}
              />
            ),
          },
        ]}
      />
    </>
  );
}
