// The fields and button of the sign-in screens' forms (unlock, a forced password change, first admin):
// a required password box, and the full-width submit button.
import { Button, Form, Input } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

export function PasswordItem({
  name,
  label,
  testId,
  current,
}: {
  name: string;
  label: string;
  testId: string;
  /** The password in use (unlocking), not a new one. */
  current?: boolean;
}) {
  const t = useT();
  return (
    <Form.Item name={name} label={label} rules={[{ required: true, message: t('setup.required', { field: label }) }]}>
      <Input.Password autoFocus autoComplete={current ? 'current-password' : 'new-password'} data-testid={testId} />
    </Form.Item>
  );
}

export function SubmitButton({ busy, testId, children }: { busy: boolean; testId: string; children: ReactNode }) {
  return (
    <Button type="primary" htmlType="submit" block loading={busy} data-testid={testId}>
      {children}
    </Button>
  );
}
