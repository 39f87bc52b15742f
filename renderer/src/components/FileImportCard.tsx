// The card of a file import (events, bank statements): the steps with the current one (red on a
// refusal), a note for roles that may not import, the choose-a-file button with the formats beside it,
// the job's progress while it works, then what the screen shows of the current step.
import { Alert, Button, Card, Flex, Steps, Typography } from 'antd';
import { FileSearchOutlined } from '@ant-design/icons';
import type { ComponentProps, ReactNode } from 'react';
import { JobProgress } from './JobProgress';

export function FileImportCard({
  title,
  steps,
  step,
  failed,
  mayImport,
  rolesOnly,
  idle,
  busy,
  onChoose,
  chooseText,
  chooseTestId,
  hint,
  progress,
  children,
}: {
  title: string;
  steps: string[];
  step: number;
  failed: boolean;
  mayImport: boolean;
  rolesOnly: string;
  /** Nothing chosen yet: the button is the primary one and says "choose" rather than "choose another". */
  idle: boolean;
  busy: boolean;
  onChoose(): void;
  chooseText: [first: string, another: string];
  chooseTestId: string;
  hint: string;
  /** While a job works: its progress bar's test id, label and job. */
  progress: { testId: string; label: string; job: ComponentProps<typeof JobProgress>['job'] } | null;
  children: ReactNode;
}) {
  return (
    <Card size="small" title={title}>
      <Flex vertical gap={16}>
        <Steps size="small" current={step} status={failed ? 'error' : undefined} items={steps.map((s) => ({ title: s }))} />
        {!mayImport && <Alert type="info" showIcon title={rolesOnly} />}
        <Flex gap={12} align="center" wrap>
          <Button
            type={idle ? 'primary' : 'default'}
            icon={<FileSearchOutlined />}
            disabled={!mayImport || busy}
            onClick={onChoose}
            data-testid={chooseTestId}
          >
            {idle ? chooseText[0] : chooseText[1]}
          </Button>
          <Typography.Text type="secondary">{hint}</Typography.Text>
        </Flex>
        {progress && <JobProgress testId={progress.testId} label={progress.label} job={progress.job} />}
        {children}
      </Flex>
    </Card>
  );
}
