// First start: the books have no staff users. Either create the first admin (who is then logged in),
// or fill the empty books with demo data — five demo staff users sharing one password, and a living
// platform's customers, logins and transfers — and log in as one of them.
import { Alert, App as AntApp, Form, Input, InputNumber, Progress, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../api/coffer';
import { AuthFrame } from '../../app/AuthFrame';
import { ConfirmPasswordItem } from '../../components/ConfirmPasswordItem';
import { showError } from '../../app/errors';
import { jobPercent, useJobs } from '../../app/jobs';
import type { SessionInfo } from '../../app/session';
import { SubmitButton } from '../../components/AuthFields';
import { useT } from '../../i18n';

interface Values {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

export default function SetupScreen({
  booksPath,
  onDone,
  onDemoDone,
}: {
  /** null when the console is served (coffer serve): the server's paths are not the browser's business. */
  booksPath: string | null;
  onDone(s: SessionInfo): void;
  onDemoDone(users: string[]): void;
}) {
  const t = useT();
  const [mode, setMode] = useState<'admin' | 'demo'>('admin');
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
      <Segmented<'admin' | 'demo'>
        block
        value={mode}
        onChange={setMode}
        style={{ marginBottom: 16 }}
        options={[
          { value: 'admin', label: <span data-testid="setup-mode-admin">{t('setup.modeAdmin')}</span> },
          { value: 'demo', label: <span data-testid="setup-mode-demo">{t('setup.modeDemo')}</span> },
        ]}
      />
      {booksPath !== null && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('setup.booksPath')}: <Typography.Text code>{booksPath}</Typography.Text>
        </Typography.Paragraph>
      )}
      {mode === 'demo' ? (
        <DemoForm onDone={onDemoDone} />
      ) : (
        <>
          <Alert type="info" showIcon title={t('setup.intro')} style={{ marginBottom: 16 }} />
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
            <ConfirmPasswordItem label={t('setup.confirm')} repeats="password" testId="setup-confirm" />
            <SubmitButton busy={busy} testId="setup-submit">
              {t('setup.submit')}
            </SubmitButton>
          </Form>
        </>
      )}
    </AuthFrame>
  );
}

interface DemoValues {
  password: string;
  confirm: string;
  customers: number;
}

/** Demo books: the password is asked once (with a confirmation) and is every demo user's. */
function DemoForm({ onDone }: { onDone(users: string[]): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const [busy, setBusy] = useState(false);
  const running = jobs.jobs.find((j) => j.method === 'setup.createDemoBooks' && j.status === 'running');
  const submit = async (v: DemoValues) => {
    setBusy(true);
    try {
      const r = await jobs.run('setup.createDemoBooks', { password: v.password, customers: v.customers });
      onDone(r.staff.map((s) => s.username));
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<DemoValues> layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} initialValues={{ customers: 300 }}>
      <Alert type="warning" showIcon title={t('setup.demoIntro')} style={{ marginBottom: 16 }} />
      <Form.Item
        name="password"
        label={t('setup.demoPassword')}
        extra={t('setup.demoPasswordHint')}
        rules={[{ required: true, message: t('setup.required', { field: t('setup.password') }) }]}
      >
        <Input.Password autoComplete="new-password" data-testid="demo-password" />
      </Form.Item>
      <ConfirmPasswordItem label={t('setup.confirm')} repeats="password" testId="demo-confirm" />
      <Form.Item name="customers" label={t('setup.demoCustomers')}>
        <InputNumber<number> min={1} max={5000} precision={0} style={{ width: 160 }} data-testid="demo-customers" />
      </Form.Item>
      {busy && (
        <div style={{ marginBottom: 12 }} data-testid="demo-progress">
          <Typography.Text type="secondary">{t('setup.demoBuilding')}</Typography.Text>
          <Progress percent={running ? jobPercent(running) : 0} status="active" size="small" />
        </div>
      )}
      <SubmitButton busy={busy} testId="demo-submit">
        {t('setup.demoSubmit')}
      </SubmitButton>
    </Form>
  );
}
