// Keyset paging without a total count: "newer" goes back a page, "older" follows nextBeforeId.
import { Button, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useCallback, useState } from 'react';
import { useT } from '../i18n';

/** The stack of beforeIds that led to the current page (undefined = newest). */
export function useKeyset() {
  const [stack, setStack] = useState<(number | undefined)[]>([undefined]);
  const beforeId = stack[stack.length - 1];
  const older = useCallback((next: number) => setStack((s) => [...s, next]), []);
  const newer = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { beforeId, page: stack.length, older, newer, reset };
}

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
