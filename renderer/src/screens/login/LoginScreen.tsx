// Login: username and password; a refused login says why (locked until when, disabled). A user who
// logged in with a one-time code sets a password of their own here before the console opens.
import { Alert, Form, Input } from 'antd';
import { useState } from 'react';
import { ApiError, call } from '../../api/coffer';
import { AuthFrame } from '../../app/AuthFrame';
import { ConfirmPasswordItem } from '../../components/ConfirmPasswordItem';
import type { SessionInfo } from '../../app/session';
import { PasswordItem, SubmitButton } from '../../components/AuthFields';
import { useT, type MessageKey } from '../../i18n';
import { loginErrorText } from './loginError';
import { useDialogRun } from '../../hooks/useDialogRun';

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
  const [oneTimeCode, setOneTimeCode] = useState<string | null>(null);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const s = await call('session.login', { username: v.username.trim(), password: v.password });
      if (s?.mustChangePassword) setOneTimeCode(v.password);
      else if (s) onLoggedIn(s);
    } catch (e) {
      setError({ e, username: v.username.trim() });
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };
  const locked = error?.e instanceof ApiError && error.e.code === 'LOCKED';
  if (oneTimeCode !== null) return <SetOwnPassword code={oneTimeCode} onDone={onLoggedIn} />;
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
        <SubmitButton busy={busy} testId="login-submit">
          {t('login.submit')}
        </SubmitButton>
      </Form>
    </AuthFrame>
  );
}

/** After a login with a one-time code: the new password twice; nothing else works until it is set. */
function SetOwnPassword({ code, onDone }: { code: string; onDone(s: SessionInfo): void }) {
  const t = useT();
  const [form] = Form.useForm<{ next: string; confirm: string }>();
  const { busy, error, run } = useDialogRun();
  const submit = (v: { next: string; confirm: string }) =>
    run(async () => {
      const s = await call('session.changePassword', { current: code, next: v.next });
      if (s) onDone(s);
    });
  return (
    <AuthFrame title={t('login.mustChangeTitle')} testId="must-change-screen">
      <Alert type="info" showIcon title={t('login.mustChangeIntro')} style={{ marginBottom: 16 }} />
      {error && <Alert type="warning" showIcon title={error} style={{ marginBottom: 16 }} data-testid="must-change-error" />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <PasswordItem name="next" label={t('password.next')} testId="must-change-next" />
        <ConfirmPasswordItem label={t('password.confirm')} repeats="next" testId="must-change-confirm" />
        <SubmitButton busy={busy} testId="must-change-submit">
          {t('password.submit')}
        </SubmitButton>
      </Form>
    </AuthFrame>
  );
}
