// The lock screen: the session stays, the console is hidden until the same user's password is given.
import { Alert, Button, Form, Space, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { ApiError, call } from '../../api/coffer';
import { AuthFrame } from '../../app/AuthFrame';
import type { SessionInfo } from '../../app/session';
import { PasswordItem, SubmitButton } from '../../components/AuthFields';
import { useT } from '../../i18n';
import { loginErrorText } from '../login/loginError';

export default function LockScreen({
  session,
  onUnlocked,
  onEnded,
  onLogout,
}: {
  session: SessionInfo;
  onUnlocked(s: SessionInfo): void;
  onEnded(): void;
  onLogout(): void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const s = await call('session.unlock', { password });
      if (s) onUnlocked(s);
    } catch (e) {
      form.setFieldValue('password', '');
      if (e instanceof ApiError && e.code === 'UNAUTHENTICATED' && e.details.reason !== 'wrong_password') return onEnded();
      if (e instanceof ApiError && e.code === 'LOCKED') return onEnded();
      setError(e instanceof ApiError && e.details.reason === 'wrong_password' ? t('lock.wrong') : loginErrorText(e, session.username, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame
      testId="lock-screen"
      title={
        <Space>
          <LockOutlined />
          {t('lock.title')}
        </Space>
      }
    >
      <Typography.Paragraph>{t('lock.subtitle', { name: session.displayName, role: t(`role.${session.role}`) })}</Typography.Paragraph>
      {error && <Alert type="warning" showIcon title={error} style={{ marginBottom: 16 }} data-testid="lock-error" />}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <PasswordItem name="password" label={t('lock.password')} testId="unlock-password" current />
        <SubmitButton busy={busy} testId="unlock-submit">
          {t('lock.unlock')}
        </SubmitButton>
      </Form>
      <Button type="link" block onClick={onLogout} style={{ marginTop: 8 }} data-testid="lock-logout">
        {t('lock.switchUser')}
      </Button>
    </AuthFrame>
  );
}
