// Keyset paging without a total count: "newer" goes back a page, "older" follows nextBeforeId.
import { Button, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useT } from '../i18n';

export function KeysetPager({
  page,
  rows,
  nextBeforeId,
  onNewer,
  onOlder,
  testId,
}: {
  page: number;
  rows: number;
  nextBeforeId: number | null;
  onNewer(): void;
  onOlder(id: number): void;
  testId: string;
}) {
  const t = useT();
  return (
    <Space data-testid={testId}>
      <Typography.Text type="secondary">
        {t('transfers.page', { n: page })} · {t('common.rowsOnPage', { n: rows })}
      </Typography.Text>
      <Button icon={<LeftOutlined />} disabled={page <= 1} onClick={onNewer} data-testid={`${testId}-newer`}>
        {t('common.newer')}
      </Button>
      <Button
        disabled={nextBeforeId === null}
        onClick={() => nextBeforeId !== null && onOlder(nextBeforeId)}
        data-testid={`${testId}-older`}
      >
        {t('common.older')} <RightOutlined />
      </Button>
    </Space>
  );
}
