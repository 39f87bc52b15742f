// First start: the books have no staff users; create the first admin (who is then logged in).
import { Alert, App as AntApp, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../api/coffer';
import { AuthFrame } from '../../app/AuthFrame';
import { showError } from '../../app/errors';
import type { SessionInfo } from '../../app/session';
import { useT } from '../../i18n';

interface Values {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

export default function SetupScreen({ booksPath, onDone }: { booksPath: string; onDone(s: SessionInfo): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const s = await call('setup.createFirstAdmin', { username: v.username, displayName: v.displayName, password: v.password });
      if (s) onDone(s);
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };
  const req = (field: string) => [{ required: true, message: t('setup.required', { field }) }];
  return (
    <AuthFrame title={t('setup.title')} testId="setup-screen">
      <Alert type="info" showIcon title={t('setup.intro')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('setup.booksPath')}: <Typography.Text code>{booksPath}</Typography.Text>
      </Typography.Paragraph>
      <Form<Values> layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="username" label={t('setup.username')} rules={req(t('setup.username'))}>
          <Input autoFocus autoComplete="username" data-testid="setup-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('setup.displayName')} rules={req(t('setup.displayName'))}>
          <Input data-testid="setup-displayName" />
        </Form.Item>
        <Form.Item name="password" label={t('setup.password')} rules={req(t('setup.password'))}>
          <Input.Password autoComplete="new-password" data-testid="setup-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('setup.confirm')}
          dependencies={['password']}
          rules={[
            ...req(t('setup.confirm')),
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || getFieldValue('password') === value ? Promise.resolve() : Promise.reject(new Error(t('setup.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="setup-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="setup-submit">
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
