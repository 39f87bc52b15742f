// A filter form's last item: "search" submits the form; what "reset" clears is the screen's own.
import { Button, Form, Space } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

export function FilterButtons({ testId, icon, onReset }: { testId: string; icon?: ReactNode; onReset(): void }) {
  const t = useT();
  return (
    <Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" icon={icon} data-testid={testId}>
          {t('common.search')}
        </Button>
        <Button onClick={onReset}>{t('common.reset')}</Button>
      </Space>
    </Form.Item>
  );
}
