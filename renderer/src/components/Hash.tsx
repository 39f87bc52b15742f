// A SHA-256 hash shown shortened, with a copy button for the whole value.
import { Tooltip, Typography } from 'antd';
import { shortHash } from '../format/dates';
import { useT } from '../i18n';

export function Hash({ value }: { value: string }) {
  const t = useT();
  return (
    <Tooltip title={value}>
      <Typography.Text code copyable={{ text: value, tooltips: [t('common.copy'), t('common.copied')] }} style={{ whiteSpace: 'nowrap' }}>
        {shortHash(value)}
      </Typography.Text>
    </Tooltip>
  );
}
