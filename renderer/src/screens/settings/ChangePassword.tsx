// Change my own password: the current one, then the new one twice.
import { App as AntApp, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { call } from '../../api/coffer';
import { showError } from '../../app/errors';
import { useT } from '../../i18n';

interface Values {
  current: string;
  next: string;
  confirm: string;
}

export default function ChangePassword() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    try {
      await call('session.changePassword', { current: v.current, next: v.next });
      form.resetFields();
      void message.success(t('password.changed'));
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };
  const req = (k: 'password.current' | 'password.next' | 'password.confirm') => ({
    required: true,
    message: t('setup.required', { field: t(k) }),
  });
  return (
    <Card style={{ maxWidth: 440 }} title={t('settings.tab.password')}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="current" label={t('password.current')} rules={[req('password.current')]}>
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item name="next" label={t('password.next')} rules={[req('password.next')]}>
          <Input.Password autoComplete="new-password" data-testid="pw-next" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['next']}
          rules={[
            req('password.confirm'),
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || getFieldValue('next') === value ? Promise.resolve() : Promise.reject(new Error(t('setup.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="pw-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
