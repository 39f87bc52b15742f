// The "type the new password again" field of every password form (first admin, demo books, a forced
// change at login, changing one's own): required, and refused unless it equals the field it repeats.
import { Form, Input } from 'antd';
import { useT } from '../i18n';

export function ConfirmPasswordItem({ label, repeats, testId }: { label: string; repeats: string; testId: string }) {
  const t = useT();
  return (
    <Form.Item
      name="confirm"
      label={label}
      dependencies={[repeats]}
      rules={[
        { required: true, message: t('setup.required', { field: label }) },
        ({ getFieldValue }) => ({
          validator: (_r, value) =>
            !value || getFieldValue(repeats) === value ? Promise.resolve() : Promise.reject(new Error(t('setup.mismatch'))),
        }),
      ]}
    >
      <Input.Password autoComplete="new-password" data-testid={testId} />
    </Form.Item>
  );
}
