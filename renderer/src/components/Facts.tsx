// What a screen or dialog knows about the thing in hand (a bank line, a request, a file about to be
// imported), as the console shows such facts everywhere: a small bordered table of label and value.
import { Descriptions, type DescriptionsProps } from 'antd';

export function Facts({ testId, ...facts }: Omit<DescriptionsProps, 'size' | 'bordered'> & { testId?: string }) {
  return <Descriptions size="small" bordered data-testid={testId} {...facts} />;
}
