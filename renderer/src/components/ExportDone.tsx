// A written export file said in its dialog: a success alert with the file's place (copyable) and
// what else the caller lists about it (counts, template, mark) as further description items.
import { Alert, Descriptions, Typography } from 'antd';
import type { ReactNode } from 'react';

export function ExportDone({
  testId,
  title,
  fileLabel,
  path,
  children,
}: {
  /** The alert's test id; the path's is `${testId}` with -done replaced by -path. */
  testId: string;
  title: string;
  fileLabel: string;
  path: string;
  children: ReactNode;
}) {
  return (
    <Alert
      type="success"
      showIcon
      data-testid={testId}
      title={title}
      description={
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={fileLabel}>
            <Typography.Text copyable data-testid={testId.replace(/-done$/, '-path')}>
              {path}
            </Typography.Text>
          </Descriptions.Item>
          {children}
        </Descriptions>
      }
    />
  );
}
