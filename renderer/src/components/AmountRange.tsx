// A filter's amount bounds: two boxes side by side (`${testId}-min`, `${testId}-max`), typed in yuan or coins.
import { Form, Input, Space } from 'antd';

export function AmountRange({
  label,
  testId,
  min,
  max,
  width = 110,
  minName = 'minAmount',
  maxName = 'maxAmount',
  disabled,
  align,
}: {
  label?: string;
  testId: string;
  /** The placeholders. */
  min: string;
  max: string;
  width?: number;
  minName?: string;
  maxName?: string;
  disabled?: boolean;
  align?: 'right';
}) {
  const style = { width, ...(align ? { textAlign: align } : {}) };
  const boxes = (
    <Space.Compact>
      <Form.Item name={minName} noStyle>
        <Input disabled={disabled} style={style} placeholder={min} data-testid={`${testId}-min`} />
      </Form.Item>
      <Form.Item name={maxName} noStyle>
        <Input disabled={disabled} style={style} placeholder={max} data-testid={`${testId}-max`} />
      </Form.Item>
    </Space.Compact>
  );
  return label === undefined ? boxes : <Form.Item label={label}>{boxes}</Form.Item>;
}
