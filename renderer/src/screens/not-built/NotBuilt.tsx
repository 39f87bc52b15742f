// An area a later release fills: says so plainly, with nothing pretending to work.
import { Result } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { useT, type MessageKey } from '../../i18n';

export default function NotBuilt({ label }: { label: MessageKey }) {
  const t = useT();
  return (
    <Result
      icon={<ClockCircleOutlined />}
      title={t('notBuilt.title')}
      subTitle={t('notBuilt.text', { area: t(label) })}
      data-testid="not-built"
    />
  );
}
