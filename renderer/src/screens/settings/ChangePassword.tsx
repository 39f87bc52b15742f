// Change my own password: the current one, then the new one twice.
import { App as AntApp, Button, Card, Form, Input } from 'antd';
import { useWrite } from '../../api/queries';
import { ConfirmPasswordItem } from '../../components/ConfirmPasswordItem';
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
  const change = useWrite('session.changePassword');
  const submit = async (v: Values) => {
    if ((await change.run({ current: v.current, next: v.next })) === undefined) return;
    form.resetFields();
    void message.success(t('password.changed'));
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
        <ConfirmPasswordItem label={t('password.confirm')} repeats="next" testId="pw-confirm" />
        <Button type="primary" htmlType="submit" loading={change.busy} data-testid="pw-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
