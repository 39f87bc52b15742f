// A list filter's status item: any number of the statuses, each shown by its words (`words` is the
// message key prefix: `${words}.${status}`), none chosen meaning all.
import { Form, Select } from 'antd';
import { lookup, useT } from '../i18n';

export function StatusFilterItem<S extends string>({
  label,
  statuses,
  words,
  testId,
}: {
  label: string;
  statuses: readonly S[];
  words: string;
  testId: string;
}) {
  const t = useT();
  const options = statuses.map((s) => ({ value: s, label: lookup(t, `${words}.${s}`, s) }));
  return (
    <Form.Item name="status" label={label}>
      <Select<S[]>
        mode="multiple"
        allowClear
        style={{ minWidth: 240 }}
        placeholder={t('invreq.allStatuses')}
        options={options}
        data-testid={testId}
      />
    </Form.Item>
  );
}
