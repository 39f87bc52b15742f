// Backup (a job with progress) and restore: check the chosen file, confirm its facts, restore, and
// then everyone logs in again.
import { Alert, App as AntApp, Button, Card, Descriptions, Flex, Progress, Typography } from 'antd';
import { CloudDownloadOutlined, HistoryOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { announceSessionEnded, call, type JobResult } from '../../api/coffer';
import { showError } from '../../app/errors';
import { jobPercent, useJobs } from '../../app/jobs';
import { Hash } from '../../components/Hash';
import { formatTime } from '../../format/dates';
import { useBusy } from '../../hooks/useBusy';
import { useT } from '../../i18n';

export default function BackupRestore() {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const jobs = useJobs();
  const [busy, runBackup] = useBusy();
  const [result, setResult] = useState<JobResult<'books.backup'> | null>(null);
  const running = jobs.jobs.find((j) => j.method === 'books.backup' && j.status === 'running');

  const backup = () =>
    runBackup(async () => {
      setResult(null);
      setResult(await jobs.run('books.backup'));
    });

  const restore = async () => {
    try {
      const check = await call('books.checkRestore');
      modal.confirm({
        title: t('backup.confirmTitle'),
        width: 620,
        okText: t('backup.confirmRestore'),
        okButtonProps: { danger: true, 'data-testid': 'restore-confirm' },
        cancelText: t('common.cancel'),
        content: (
          <Descriptions
            column={1}
            size="small"
            bordered
            data-testid="restore-facts"
            items={[
              { key: 'path', label: t('backup.path'), children: <Typography.Text code>{check.path}</Typography.Text> },
              { key: 'v', label: t('backup.schemaVersion'), children: check.schemaVersion },
              { key: 'rows', label: t('backup.auditRows'), children: check.auditRows },
              { key: 'hash', label: t('backup.hash'), children: <Hash value={check.lastAuditHash} /> },
              { key: 'at', label: t('backup.backupAt'), children: check.backupAt ? formatTime(check.backupAt) : t('common.none') },
              { key: 'of', label: t('backup.backupOf'), children: check.backupOf ?? t('common.none') },
            ]}
          />
        ),
        onOk: async () => {
          try {
            const r = await call('books.restore', { token: check.token, lastAuditHash: check.lastAuditHash });
            // Every session ended with the restore: everyone logs in again, on the restored books.
            announceSessionEnded('restored', t('backup.restored', { path: r.previousBooksSavedAs }));
          } catch (e) {
            showError(message, e, t);
          }
        },
      });
    } catch (e) {
      showError(message, e, t);
    }
  };

  return (
    <Flex vertical gap={16} style={{ maxWidth: 760 }} data-testid="backup-restore">
      <Card title={t('backup.title')}>
        <Typography.Paragraph type="secondary">{t('backup.intro')}</Typography.Paragraph>
        <Button type="primary" icon={<CloudDownloadOutlined />} loading={busy} onClick={() => void backup()} data-testid="backup-now">
          {t('backup.now')}
        </Button>
        {running && <Progress percent={jobPercent(running)} status="active" style={{ marginTop: 12 }} />}
        {result && (
          <div data-testid="backup-result" style={{ marginTop: 16 }}>
            <Alert type="success" showIcon title={t('backup.done')} style={{ marginBottom: 12 }} />
            <Descriptions
              column={1}
              size="small"
              bordered
              items={[
                {
                  key: 'p',
                  label: t('backup.path'),
                  children: (
                    <Typography.Text code copyable>
                      {result.path}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'b',
                  label: t('backup.bytes'),
                  children: <span style={{ fontVariantNumeric: 'tabular-nums' }}>{result.bytes.toLocaleString('en-US')}</span>,
                },
                { key: 'h', label: t('backup.hash'), children: <Hash value={result.lastAuditHash} /> },
              ]}
            />
          </div>
        )}
      </Card>
      <Card title={t('backup.restoreTitle')}>
        <Alert type="warning" showIcon title={t('backup.restoreIntro')} style={{ marginBottom: 12 }} />
        <Button danger icon={<HistoryOutlined />} onClick={() => void restore()} data-testid="restore-start">
          {t('backup.restore')}
        </Button>
      </Card>
    </Flex>
  );
}
