// The ledger: accounts, the chart of accounts (科目表), trial balance and transfers, with "verify books" and "export journal" jobs.
import { App as AntApp, Button, Space, Tabs } from 'antd';
import { ExportOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { lazy, useState } from 'react';
import { lazyTab } from '../../components/tabs';
import { useInvalidate } from '../../api/queries';
import { useJobs } from '../../app/jobs';
import { useBusy } from '../../hooks/useBusy';
import { useT } from '../../i18n';
import { VerifyResult } from './VerifyResult';

const AccountsTab = lazy(() => import('./AccountsTab'));
const TrialBalanceTab = lazy(() => import('./TrialBalanceTab'));
const ChartTab = lazy(() => import('./ChartTab'));
const TransfersTab = lazy(() => import('./TransfersTab'));

export default function LedgerScreen() {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const jobs = useJobs();
  const [tab, setTab] = useState('accounts');
  const invalidate = useInvalidate();
  const [verifying, runVerify] = useBusy();
  const [exporting, runExportJournal] = useBusy();

  const verify = () =>
    runVerify(async () => {
      const report = await jobs.run('books.verify');
      modal.info({
        title: t('ledgerScreen.verifyTitle'),
        icon: null,
        width: 760,
        content: <VerifyResult report={report} />,
        okText: t('common.close'),
      });
      void invalidate('ledger.accounts', 'ledger.trialBalanceLines', 'chart.list', 'chart.changes');
    });

  const exportJournal = () =>
    runExportJournal(async () => {
      const r = await jobs.run('ledger.exportJournal');
      void message.success(t('ledgerScreen.exported', { path: r.path, n: r.transfers }));
    });

  return (
    <Tabs
      data-testid="ledger-tabs"
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      tabBarExtraContent={
        <Space>
          <Button icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()} data-testid="verify-books">
            {t('ledgerScreen.verify')}
          </Button>
          <Button icon={<ExportOutlined />} loading={exporting} onClick={() => void exportJournal()} data-testid="export-journal">
            {t('ledgerScreen.export')}
          </Button>
        </Space>
      }
      items={[
        lazyTab('accounts', t('ledgerScreen.tab.accounts'), <AccountsTab />),
        lazyTab('chart', t('ledgerScreen.tab.chart'), <ChartTab />),
        lazyTab('trial', t('ledgerScreen.tab.trial'), <TrialBalanceTab />),
        lazyTab('transfers', t('ledgerScreen.tab.transfers'), <TransfersTab />),
      ]}
    />
  );
}
