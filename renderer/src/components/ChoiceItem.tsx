// A form item choosing one of a few values with buttons side by side (a customer's kind, a wallet, an
// invoice type, when a change takes effect): `choices` maps each value to the message key of its words.
import { Form, Radio } from 'antd';
import { useT, type MessageKey } from '../i18n';

export function ChoiceItem({
  name,
  label,
  choices,
  disabled,
}: {
  name: string;
  label: string;
  choices: Record<string, MessageKey>;
  disabled?: boolean;
}) {
  const t = useT();
  const options = Object.entries(choices).map(([value, key]) => ({ value, label: t(key) }));
  return (
    <Form.Item name={name} label={label}>
      <Radio.Group optionType="button" disabled={disabled} options={options} />
    </Form.Item>
  );
}
