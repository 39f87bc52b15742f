// A file the console wrote (a report, a receipt, a month-end pack): its place, copyable, and its size.
import { Flex, Typography } from 'antd';
import { useT } from '../i18n';

export function SavedFile({ file, testId }: { file: { path: string; bytes: number }; testId: string }) {
  const t = useT();
  return (
    <Flex vertical data-testid={testId}>
      <Typography.Text copyable>{file.path}</Typography.Text>
      <Typography.Text type="secondary">{t('record.bytes', { n: file.bytes.toLocaleString('en-US') })}</Typography.Text>
    </Flex>
  );
}
