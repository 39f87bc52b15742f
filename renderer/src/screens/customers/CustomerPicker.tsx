// Choose a customer by typing part of a name, phone or account number (asks the books as you type).
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { call } from '../../api/coffer';
import { useDebounced } from '../../hooks/useDebounced';
import { useT } from '../../i18n';

export function CustomerPicker({ value, onChange, testId }: { value?: number; onChange(id?: number): void; testId?: string }) {
  const t = useT();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  useEffect(() => {
    let live = true;
    call('customers.search', { ...(q ? { text: q } : {}), sort: 'name', offset: 0, limit: 20 })
      .then((d) => live && setOptions(d.rows.map((r) => ({ value: r.id, label: r.externalId ? `${r.name}（${r.externalId}）` : r.name }))))
      .catch(() => live && setOptions([]));
    return () => {
      live = false;
    };
  }, [q]);
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      options={options}
      placeholder={t('customer.pickPlaceholder')}
      style={{ width: 260 }}
      data-testid={testId}
      notFoundContent={t('customer.noneFound')}
    />
  );
}
