// A before/after JSON value, pretty-printed (or shown as stored when it is not JSON).
import { Typography } from 'antd';
import { useT } from '../../i18n';

export function pretty(json: string | null): string | null {
  if (json === null) return null;
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

export function JsonBlock({ title, json }: { title: string; json: string | null }) {
  const t = useT();
  const text = pretty(json);
  return (
    <div style={{ flex: 1, minWidth: 0 }}>
      <Typography.Text strong>{title}</Typography.Text>
      {text === null ? (
        <div>
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        </div>
      ) : (
        <pre
          style={{ margin: '4px 0 0', padding: 8, background: '#f6f8fa', borderRadius: 4, maxHeight: 260, overflow: 'auto', fontSize: 12 }}
        >
          {text}
        </pre>
      )}
    </div>
  );
}
