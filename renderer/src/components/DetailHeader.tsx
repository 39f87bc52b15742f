// The head of a page that shows one thing (an invoice, a recharge request, a bank statement): a back
// button, the thing's title and tags (`children`) on the left, its actions on the right.
import { Button, Flex, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

export function DetailHeader({
  onBack,
  backTestId,
  title,
  level = 5,
  titleTestId,
  gap,
  wrap,
  actions,
  children,
}: {
  onBack(): void;
  backTestId: string;
  title: ReactNode;
  level?: 4 | 5;
  titleTestId?: string;
  /** Between the back button, the title and the tags: antd's small unless given. */
  gap?: number;
  /** Let the actions wrap under the title on a narrow window. */
  wrap?: boolean;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const t = useT();
  return (
    <Flex justify="space-between" align="center" {...(wrap ? { wrap: true, gap: 8 } : {})}>
      <Space size={gap}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack} data-testid={backTestId}>
          {t('common.back')}
        </Button>
        <Typography.Title level={level} style={{ margin: 0 }} data-testid={titleTestId}>
          {title}
        </Typography.Title>
        {children}
      </Space>
      {actions}
    </Flex>
  );
}
