// The header's indicator of running jobs, with progress and a cancel button for each.
import { Badge, Button, Flex, Popover, Progress, Typography } from 'antd';
import { CloseOutlined, SyncOutlined } from '@ant-design/icons';
import { lookup, useT } from '../i18n';
import { jobPercent, useJobs } from './jobs';

export function jobLabel(method: string, t: ReturnType<typeof useT>): string {
  return lookup(t, `job.method.${method}`, method);
}

export function JobIndicator() {
  const t = useT();
  const { jobs, cancel } = useJobs();
  const running = jobs.filter((j) => j.status === 'running');
  const content =
    jobs.length === 0 ? (
      <Typography.Text type="secondary">{t('header.noJobs')}</Typography.Text>
    ) : (
      <Flex vertical gap={8} style={{ width: 280 }}>
        {jobs.map((j) => (
          <div key={j.jobId}>
            <Flex justify="space-between" align="center">
              <Typography.Text>{jobLabel(j.method, t)}</Typography.Text>
              {j.status === 'running' && (
                <Button
                  size="small"
                  type="text"
                  icon={<CloseOutlined />}
                  aria-label={t('job.cancel')}
                  onClick={() => void cancel(j.jobId).catch(() => {})}
                />
              )}
            </Flex>
            <Progress
              percent={jobPercent(j)}
              size="small"
              status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'}
            />
          </div>
        ))}
      </Flex>
    );
  return (
    <Popover content={content} title={t('header.jobs')} trigger="click" placement="bottomRight">
      <Badge count={running.length} size="small">
        <Button type="text" icon={<SyncOutlined spin={running.length > 0} />} data-testid="job-indicator" aria-label={t('header.jobs')}>
          {running.length > 0 ? t('header.jobsRunning', { n: running.length }) : null}
        </Button>
      </Badge>
    </Popover>
  );
}
