// Staff users (admin): a display name changes at once; a new user, a role, disabling, a password reset
// and an unlock are proposed and another admin confirms them in the list of waiting changes above the
// users. A one-time code is shown once, to the admin whose word made it take effect.
import {
  Alert,
  App as AntApp,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import { type Data, type MethodName } from '../../api/coffer';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { formatTime } from '../../format/dates';
import { SearchBox } from '../../components/SearchBox';
import { useT } from '../../i18n';
import { useSession } from '../../app/session';

type Staff = Data<'staff.list'>[number];
type Role = Staff['role'];
const ROLES: Role[] = ['clerk', 'approver', 'auditor', 'admin'];

type Dialog = { kind: 'create' } | { kind: 'edit'; staff: Staff } | { kind: 'reset'; staff: Staff } | null;
type Change = Data<'staff.changes'>[number];
type Decision = { change: Change; oneTimeCode: string | null };

export default function StaffUsers() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [code, setCode] = useState<{ user: string; code: string } | null>(null);
  const me = useSession().session.staffId;
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();

  const staffRead = useRead('staff.list');
  const changesRead = useRead('staff.changes');
  const rows: Staff[] = staffRead.data ?? NO_ROWS;
  const changes: Change[] = useMemo(() => (changesRead.data ?? NO_ROWS).filter((c) => c.status === 'proposed'), [changesRead.data]);
  const loading = staffRead.isFetching || changesRead.isFetching;
  const changed: MethodName[] = ['staff.list', 'staff.changes'];
  const unlockWrite = useWrite('staff.unlock', changed);
  const createWrite = useWrite('staff.create', changed);
  const updateWrite = useWrite('staff.update', changed);
  const resetWrite = useWrite('staff.resetPassword', changed);
  const decideWrite = useWrite('staff.decide', changed);
  const busy = createWrite.busy || updateWrite.busy || resetWrite.busy;

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? rows.filter((r) => r.username.toLowerCase().includes(q) || r.displayName.toLowerCase().includes(q)) : rows;
  }, [rows, query]);

  const open = (d: NonNullable<Dialog>) => {
    form.resetFields();
    if (d.kind === 'edit') form.setFieldsValue({ displayName: d.staff.displayName, role: d.staff.role, disabled: d.staff.disabled });
    setDialog(d);
  };

  /** What a proposal came to: the code shown once when it took effect, else "waits for another admin". */
  const outcome = (d: Decision, done: string) => {
    if (d.oneTimeCode) setCode({ user: d.change.target, code: d.oneTimeCode });
    void message.success(d.change.status === 'confirmed' ? done : t('staffChange.proposed'));
  };

  const unlock = async (s: Staff) => {
    const d = await unlockWrite.run({ id: s.id });
    if (d) outcome(d, t('staff.unlocked', { user: s.username }));
  };

  const submit = async (v: Record<string, unknown>) => {
    if (!dialog) return;
    if (dialog.kind === 'create') {
      const d = await createWrite.run({ username: String(v.username), displayName: String(v.displayName), role: v.role as Role });
      if (!d) return;
      outcome(d, t('staff.created', { user: String(v.username) }));
    } else if (dialog.kind === 'edit') {
      const s = dialog.staff;
      const change: { id: number; displayName?: string; role?: Role; disabled?: boolean } = { id: s.id };
      if (v.displayName !== s.displayName) change.displayName = String(v.displayName);
      if (v.role !== s.role) change.role = v.role as Role;
      if (Boolean(v.disabled) !== s.disabled) change.disabled = Boolean(v.disabled);
      const r = await updateWrite.run(change);
      if (!r) return;
      const took = r.changes.every((c) => c.status === 'confirmed');
      void message.success(took ? t('staff.saved') : t('staffChange.proposed'));
    } else {
      if ((await resetWrite.run({ id: dialog.staff.id })) === undefined) return;
      void message.success(t('staffChange.proposed'));
    }
    setDialog(null);
  };

  const decide = async (c: Change, decision: 'confirmed' | 'rejected') => {
    const d = await decideWrite.run({ id: c.id, decision });
    if (d) outcome(d, t(decision === 'confirmed' ? 'staffChange.confirmed' : 'staffChange.rejected'));
  };
  const nameOf = (username: string) => rows.find((r) => r.username === username)?.displayName ?? username;
  const describe = (c: Change) => {
    const user = c.kind === 'create' ? `${c.payload.displayName ?? ''}（${c.target}）` : nameOf(c.target);
    const role = c.payload.role ? t(`role.${c.payload.role}`) : '';
    if (c.kind === 'disable') return t(c.payload.disabled ? 'staffChange.kind.disable' : 'staffChange.kind.enable', { user });
    return t(`staffChange.kind.${c.kind}`, { user, role });
  };
  const changeColumns: TableColumnsType<Change> = [
    { title: t('staffChange.what'), key: 'what', render: (_, c) => describe(c) },
    { title: t('staffChange.proposedBy'), dataIndex: 'proposedByName', width: 140 },
    { title: t('staffChange.proposedAt'), dataIndex: 'proposedAt', width: 170, render: (ms: number) => formatTime(ms) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 260,
      render: (_, c) =>
        c.proposedBy === me ? (
          <Tag>{t('staffChange.own')}</Tag>
        ) : (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => void decide(c, 'confirmed')} data-testid={`staff-change-confirm-${c.id}`}>
              {t('staffChange.confirm')}
            </Button>
            <Button type="link" size="small" danger onClick={() => void decide(c, 'rejected')} data-testid={`staff-change-reject-${c.id}`}>
              {t('staffChange.reject')}
            </Button>
          </Space>
        ),
    },
  ];

  const columns: TableColumnsType<Staff> = [
    { title: t('staff.username'), dataIndex: 'username', width: 160 },
    { title: t('staff.displayName'), dataIndex: 'displayName', width: 160 },
    { title: t('staff.role'), dataIndex: 'role', width: 120, render: (r: Role) => t(`role.${r}`) },
    {
      title: t('staff.status'),
      key: 'status',
      width: 160,
      render: (_, s) => (
        <Space size={4} data-testid={`staff-status-${s.username}`}>
          {s.locked && <Tag color="red">{t('staff.locked')}</Tag>}
          {s.disabled && <Tag>{t('staff.disabled')}</Tag>}
          {!s.locked && !s.disabled && <Tag color="green">{t('staff.active')}</Tag>}
        </Space>
      ),
    },
    { title: t('staff.failedLogins'), dataIndex: 'failedLogins', width: 100, align: 'right' },
    { title: t('staff.createdAt'), dataIndex: 'createdAt', width: 170, render: (ms: number) => formatTime(ms) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, s) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => open({ kind: 'edit', staff: s })} data-testid={`staff-edit-${s.username}`}>
            {t('staff.edit')}
          </Button>
          <Button type="link" size="small" onClick={() => open({ kind: 'reset', staff: s })} data-testid={`staff-reset-${s.username}`}>
            {t('staff.resetPassword')}
          </Button>
          {s.locked && (
            <Button type="link" size="small" onClick={() => void unlock(s)} data-testid={`staff-unlock-${s.username}`}>
              {t('staff.unlock')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const title = !dialog
    ? ''
    : dialog.kind === 'create'
      ? t('staff.create')
      : dialog.kind === 'edit'
        ? t('staff.editTitle', { user: dialog.staff.username })
        : t('staff.resetTitle', { user: dialog.staff.username });
  const req = (field: string) => [{ required: true, message: t('setup.required', { field }) }];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="staff-users">
      <Flex justify="space-between">
        <SearchBox width={320} placeholder={t('staff.searchPlaceholder')} onSearch={setQuery} onChange={(e) => setQuery(e.target.value)} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'create' })} data-testid="staff-create">
          {t('staff.create')}
        </Button>
      </Flex>
      {changes.length > 0 && (
        <Table<Change>
          rowKey="id"
          size="small"
          bordered
          title={() => t('staffChange.title')}
          columns={changeColumns}
          dataSource={changes}
          pagination={false}
          data-testid="staff-changes"
        />
      )}
      <Table<Staff>
        rowKey="id"
        size="small"
        bordered
        loading={loading}
        columns={columns}
        dataSource={shown}
        pagination={false}
        data-testid="staff-table"
      />
      <Modal
        open={dialog !== null}
        title={title}
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ loading: busy, 'data-testid': 'staff-dialog-ok' }}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          {dialog?.kind === 'create' && (
            <Form.Item name="username" label={t('staff.username')} rules={req(t('staff.username'))}>
              <Input autoFocus data-testid="staff-username" />
            </Form.Item>
          )}
          {dialog?.kind !== 'reset' && (
            <>
              <Form.Item name="displayName" label={t('staff.displayName')} rules={req(t('staff.displayName'))}>
                <Input data-testid="staff-displayName" />
              </Form.Item>
              <Form.Item name="role" label={t('staff.role')} rules={req(t('staff.role'))}>
                <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="staff-role" />
              </Form.Item>
            </>
          )}
          {dialog?.kind === 'edit' && (
            <Form.Item name="disabled" label={t('staff.disable')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
          {dialog?.kind === 'create' && <Alert type="info" showIcon title={t('staffChange.createIntro')} />}
          {dialog?.kind === 'reset' && (
            <Alert type="info" showIcon title={t('staffChange.resetIntro', { user: dialog.staff.displayName })} />
          )}
          <button type="submit" hidden />
        </Form>
      </Modal>
      <Modal
        open={code !== null}
        title={code ? t('staffChange.codeTitle', { user: nameOf(code.user) }) : ''}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setCode(null)} data-testid="staff-code-done">
            {t('staffChange.codeDone')}
          </Button>
        }
      >
        <Typography.Paragraph>{code ? t('staffChange.codeBody', { user: nameOf(code.user) }) : ''}</Typography.Paragraph>
        <Typography.Text copyable code style={{ fontSize: 20 }} data-testid="staff-one-time-code">
          {code?.code}
        </Typography.Text>
      </Modal>
    </Space>
  );
}
