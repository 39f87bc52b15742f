// Choose a customer by typing part of a name, phone or account number (asks the books as you type).
import { Form, Input, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useDebounced } from '../../hooks/useDebounced';
import { useQuietRead } from '../../hooks/useQuietRead';
import { useT } from '../../i18n';

export function CustomerPicker({
  value,
  name,
  onChange,
  testId,
}: {
  value?: number;
  /** The chosen customer's name, shown before the books have answered (a saved filter put back). */
  name?: string;
  onChange(id?: number, name?: string): void;
  testId?: string;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const found = useQuietRead(
    'customers.search',
    { ...(q ? { text: q } : {}), sort: 'name', offset: 0, limit: 20 },
    { keepPrevious: true },
  ).data;
  const options = useMemo(
    () => (found?.rows ?? []).map((r) => ({ value: r.id, name: r.name, label: r.externalId ? `${r.name}（${r.externalId}）` : r.name })),
    [found],
  );
  const shown = value && name && !options.some((o) => o.value === value) ? [{ value, name, label: name }, ...options] : options;
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear
      value={value}
      onChange={(v) => onChange(v ?? undefined, shown.find((o) => o.value === v)?.name)}
      options={shown}
      placeholder={t('customer.pickPlaceholder')}
      style={{ width: 260 }}
      data-testid={testId}
      notFoundContent={t('customer.noneFound')}
    />
  );
}

/**
 * A filter form's customer: `customerId` asked of the books and `customerName` beside it, so the filter line
 * names the customer and a saved filter shows the name when put back.
 */
export function CustomerFilterItem({ label, testId }: { label: string; testId?: string }) {
  const form = Form.useFormInstance<{ customerId?: number; customerName?: string }>();
  const name = Form.useWatch('customerName', form);
  return (
    <>
      <Form.Item name="customerId" label={label}>
        <CustomerPicker
          {...(name ? { name } : {})}
          {...(testId ? { testId } : {})}
          onChange={(customerId, customerName) => form.setFieldsValue({ customerId, customerName })}
        />
      </Form.Item>
      <Form.Item name="customerName" hidden>
        <Input />
      </Form.Item>
    </>
  );
}

/** The filter line's words for a chosen customer: the name, or its number when no name was kept. */
export const customerText = (f: { customerId?: number; customerName?: string }) =>
  f.customerId ? (f.customerName ?? `#${f.customerId}`) : null;
