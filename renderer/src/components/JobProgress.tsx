// A running job's line of text with its done/total count, and its progress bar.
import { Progress, Typography } from 'antd';
import { jobPercent, type JobView } from '../app/jobs';

export function JobProgress({ testId, label, job }: { testId: string; label: string; job: JobView | undefined }) {
  return (
    <div data-testid={testId}>
      <Typography.Text>
        {label}
        {job?.total ? ` ${job.done.toLocaleString()} / ${job.total.toLocaleString()}` : ''}
      </Typography.Text>
      <Progress percent={job ? jobPercent(job) : 0} status="active" />
    </div>
  );
}
