// A list filter's item choosing one value of a few (a ledger, a voucher's status, who did it), cleared
// for all; `searchable` when there are enough choices to want typing.
import { Form, Select, type SelectProps } from 'antd';

export function PickFilterItem({
  name,
  label,
  options,
  width,
  placeholder,
  searchable,
  testId,
}: {
  name: string;
  label: string;
  options: SelectProps['options'];
  width: number;
  placeholder?: string;
  searchable?: boolean;
  testId?: string;
}) {
  return (
    <Form.Item name={name} label={label}>
      <Select
        allowClear
        showSearch={searchable ? { optionFilterProp: 'label' } : undefined}
        style={{ width }}
        placeholder={placeholder}
        options={options}
        data-testid={testId}
      />
    </Form.Item>
  );
}
