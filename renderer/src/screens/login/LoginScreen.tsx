// Login: username and password; a refused login says why (attempts left, locked, disabled).
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, call } from '../../api/coffer';
import { AuthFrame } from '../../app/AuthFrame';
import type { SessionInfo } from '../../app/session';
import { useT, type MessageKey } from '../../i18n';
import { loginErrorText } from './loginError';

interface Values {
  username: string;
  password: string;
}

export default function LoginScreen({
  notice,
  detail,
  onLoggedIn,
}: {
  notice?: MessageKey | undefined;
  detail?: string | undefined;
  onLoggedIn(s: SessionInfo): void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ e: unknown; username: string } | null>(null);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const s = await call('session.login', { username: v.username.trim(), password: v.password });
      if (s) onLoggedIn(s);
    } catch (e) {
      setError({ e, username: v.username.trim() });
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };
  const locked = error?.e instanceof ApiError && error.e.code === 'LOCKED';
  return (
    <AuthFrame title={t('login.title')} testId="login-screen">
      {notice && !error && (
        <Alert
          type={notice === 'login.demoReady' ? 'success' : 'warning'}
          showIcon
          title={t(notice)}
          description={detail}
          style={{ marginBottom: 16 }}
          data-testid="login-notice"
        />
      )}
      {error && (
        <Alert
          type={locked ? 'error' : 'warning'}
          showIcon
          title={loginErrorText(error.e, error.username, t)}
          style={{ marginBottom: 16 }}
          data-testid="login-error"
        />
      )}
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('setup.required', { field: t('login.username') }) }]}
        >
          <Input autoFocus autoComplete="username" data-testid="login-username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('setup.required', { field: t('login.password') }) }]}
        >
          <Input.Password autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
