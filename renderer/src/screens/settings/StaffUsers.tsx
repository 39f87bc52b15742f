// Staff users (admin): create, edit role / display name / disabled, reset password, unlock.
import {
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
  type InputRef,
  type TableColumnsType,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { showError } from '../../app/errors';
import { formatTime } from '../../format/dates';
import { useSlashFocus } from '../../hooks/useSlashFocus';
import { useLoading } from '../../hooks/useLoading';
import { useT } from '../../i18n';

type Staff = Data<'staff.list'>[number];
type Role = Staff['role'];
const ROLES: Role[] = ['clerk', 'approver', 'auditor', 'admin'];

type Dialog = { kind: 'create' } | { kind: 'edit'; staff: Staff } | { kind: 'reset'; staff: Staff } | null;

export default function StaffUsers() {
  const t = useT();
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<Staff[]>([]);
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const searchRef = useRef<InputRef>(null);
  useSlashFocus(searchRef);

  const { loading, load } = useLoading(
    useCallback(async () => {
      setRows(await call('staff.list'));
    }, []),
  );
  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? rows.filter((r) => r.username.toLowerCase().includes(q) || r.displayName.toLowerCase().includes(q)) : rows;
  }, [rows, query]);

  const open = (d: NonNullable<Dialog>) => {
    form.resetFields();
    if (d.kind === 'edit') form.setFieldsValue({ displayName: d.staff.displayName, role: d.staff.role, disabled: d.staff.disabled });
    setDialog(d);
  };

  const unlock = async (s: Staff) => {
    try {
      await call('staff.unlock', { id: s.id });
      void message.success(t('staff.unlocked', { user: s.username }));
      await load();
    } catch (e) {
      showError(message, e, t);
    }
  };

  const submit = async (v: Record<string, unknown>) => {
    if (!dialog) return;
    setBusy(true);
    try {
      if (dialog.kind === 'create') {
        await call('staff.create', {
          username: String(v.username),
          displayName: String(v.displayName),
          role: v.role as Role,
          password: String(v.password),
        });
        void message.success(t('staff.created', { user: String(v.username) }));
      } else if (dialog.kind === 'edit') {
        const s = dialog.staff;
        const change: { id: number; displayName?: string; role?: Role; disabled?: boolean } = { id: s.id };
        if (v.displayName !== s.displayName) change.displayName = String(v.displayName);
        if (v.role !== s.role) change.role = v.role as Role;
        if (Boolean(v.disabled) !== s.disabled) change.disabled = Boolean(v.disabled);
        await call('staff.update', change);
        void message.success(t('staff.saved'));
      } else {
        await call('staff.resetPassword', { id: dialog.staff.id, password: String(v.password) });
        void message.success(t('staff.passwordReset', { user: dialog.staff.username }));
      }
      setDialog(null);
      await load();
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };

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
        <Input.Search
          ref={searchRef}
          allowClear
          style={{ width: 320 }}
          placeholder={t('staff.searchPlaceholder')}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ kind: 'create' })} data-testid="staff-create">
          {t('staff.create')}
        </Button>
      </Flex>
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
          {dialog?.kind !== 'edit' && (
            <Form.Item
              name="password"
              label={dialog?.kind === 'reset' ? t('staff.newPassword') : t('staff.password')}
              rules={req(t('staff.password'))}
            >
              <Input.Password autoComplete="new-password" data-testid="staff-password" />
            </Form.Item>
          )}
          <button type="submit" hidden />
        </Form>
      </Modal>
    </Space>
  );
}
