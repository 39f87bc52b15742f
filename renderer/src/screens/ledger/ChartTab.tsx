// The chart of accounts (科目表): a tree of subjects with 科目编码, 科目名称, type, side and balance (parents
// are the sum of their sub-accounts). Admins add subjects and rename them at once; moving a ledger account
// to another subject reclassifies money, so it is a proposal another admin confirms below.
import { Alert, App as AntApp, Button, Flex, Form, Input, Modal, Select, Space, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import { type Data, type MethodName } from '../../api/coffer';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { Amount } from '../../components/Amount';
import { ChangeStatus } from '../../components/ChangeStatus';
import type { ChangeDecision } from '../../hooks/useDecideChange';
import { CardTable, SmallTable } from '../../components/CardTable';
import { useLocalName, useT, type TFunction } from '../../i18n';
import { accountName } from './ledgerOptions';
import { CellTag } from '../../components/CellTag';

type Chart = Data<'chart.list'>;
type Line = Chart['lines'][number];
type Node = Line & { children?: Node[] };
type Change = Data<'chart.changes'>[number];
type SubjectType = Line['type'];
const TYPES: SubjectType[] = ['asset', 'liability', 'equity', 'revenue', 'expense'];

/** A ledger account as the console names it: its subject's own account, a system account by code, a bank by name. */
function ledgerAccountLabel(a: Line['accounts'][number], subject: string, t: TFunction): string {
  if (a.code === `gl:${subject}`) return t('chart.ownAccount');
  return accountName(a.name, t, a.code, a.ownerKind === null);
}

function tree(lines: Line[]): Node[] {
  const byCode = new Map<string, Node>(lines.map((l) => [l.code, { ...l }]));
  const roots: Node[] = [];
  for (const n of byCode.values()) {
    const parent = n.parentCode ? byCode.get(n.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(n);
    else roots.push(n);
  }
  return roots;
}

type Dialog = { kind: 'add'; parent: Line | null } | { kind: 'rename'; line: Line } | { kind: 'remap'; line: Line } | null;

export default function ChartTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { admin } = useCan();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm();
  const chart = useRead('chart.list', {}).data ?? null;
  const changes: Change[] = useRead('chart.changes', {}).data ?? NO_ROWS;
  const changed: MethodName[] = ['chart.list', 'chart.changes'];
  const addSubject = useWrite('chart.addSubject', changed);
  const renameSubject = useWrite('chart.renameSubject', changed);
  const proposeRemap = useWrite('chart.proposeRemap', changed);
  const decideRemap = useWrite('chart.decideRemap', changed);
  const busy = addSubject.busy || renameSubject.busy || proposeRemap.busy;

  const nodes = useMemo(() => (chart ? tree(chart.lines) : []), [chart]);
  const subjectName = useLocalName();

  const open = (d: Dialog) => {
    form.resetFields();
    if (d?.kind === 'rename') form.setFieldsValue({ name: d.line.name, nameEn: d.line.nameEn });
    if (d?.kind === 'remap') form.setFieldsValue({ accountId: d.line.accounts[0]?.id });
    setDialog(d);
  };

  const submit = async () => {
    if (!dialog) return;
    const v = (await form.validateFields()) as Record<string, string | number | undefined>;
    if (dialog.kind === 'add') {
      const code = typeof v.code === 'string' && v.code.trim() ? v.code.trim() : undefined;
      const r = await addSubject.run({
        ...(dialog.parent ? { parentCode: dialog.parent.code } : { type: v.type as SubjectType }),
        ...(code ? { code } : {}),
        name: String(v.name),
        nameEn: String(v.nameEn),
      });
      if (!r) return;
      void message.success(t('chart.added', { code: r.code }));
    } else if (dialog.kind === 'rename') {
      if ((await renameSubject.run({ code: dialog.line.code, name: String(v.name), nameEn: String(v.nameEn) })) === undefined) return;
      void message.success(t('chart.renamed'));
    } else {
      if ((await proposeRemap.run({ accountId: Number(v.accountId), toCode: String(v.toCode), reason: String(v.reason) })) === undefined)
        return;
      void message.success(t('chart.proposed'));
    }
    setDialog(null);
  };

  const decide = async (c: Change, decision: ChangeDecision) => {
    if ((await decideRemap.run({ id: c.id, decision })) === undefined) return;
    void message.success(decision === 'confirmed' ? t('rules.confirmed') : t('rules.rejected'));
  };

  const columns: TableColumnsType<Node> = [
    { title: t('chart.code'), dataIndex: 'code', width: 120, render: (c: string) => <span data-testid={`chart-code-${c}`}>{c}</span> },
    { title: t('chart.name'), key: 'name', ellipsis: true, render: (_, l) => subjectName(l) },
    { title: t('chart.type'), dataIndex: 'type', width: 90, render: (ty: SubjectType) => t(`chart.type.${ty}`) },
    { title: t('chart.side'), dataIndex: 'side', width: 60, align: 'center', render: (s: Line['side']) => t(`chart.side.${s}`) },
    {
      title: t('chart.balance'),
      key: 'balance',
      width: 130,
      align: 'right',
      render: (_, l) => (
        <span data-testid={`chart-balance-${l.code}`}>
          <Amount minor={l.balance} ledger={1} strong={l.level === 1} />
        </span>
      ),
    },
    {
      title: t('chart.accounts'),
      key: 'accounts',
      width: 190,
      render: (_, l) => (
        <Flex wrap gap={4}>
          {l.accounts
            .filter((a) => a.code !== `gl:${l.code}`)
            .map((a) => (
              <CellTag key={a.id} style={{ whiteSpace: 'normal', maxWidth: '100%' }}>
                {ledgerAccountLabel(a, l.code, t)}
              </CellTag>
            ))}
        </Flex>
      ),
    },
  ];
  if (admin)
    columns.push({
      title: t('chart.actions'),
      key: 'actions',
      width: 200,
      render: (_, l) => (
        <Space size={0}>
          {l.canAddChild && (
            <Button type="link" size="small" onClick={() => open({ kind: 'add', parent: l })} data-testid={`chart-add-${l.code}`}>
              {t('chart.addChild')}
            </Button>
          )}
          <Button type="link" size="small" onClick={() => open({ kind: 'rename', line: l })} data-testid={`chart-rename-${l.code}`}>
            {t('chart.rename')}
          </Button>
          {l.leaf && l.accounts.some((a) => a.code !== `gl:${l.code}`) && (
            <Button type="link" size="small" onClick={() => open({ kind: 'remap', line: l })} data-testid={`chart-remap-${l.code}`}>
              {t('chart.remap')}
            </Button>
          )}
        </Space>
      ),
    });

  const changeColumns: TableColumnsType<Change> = [
    { title: '#', dataIndex: 'id', width: 60 },
    {
      title: t('chart.change.account'),
      key: 'account',
      render: (_, c) => accountName(c.accountName, t, c.accountCode),
    },
    { title: t('chart.change.from'), key: 'from', render: (_, c) => `${c.fromCode} ${c.fromName}` },
    { title: t('chart.change.to'), key: 'to', render: (_, c) => `${c.toCode} ${c.toName}` },
    { title: t('chart.reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('chart.change.by'), dataIndex: 'proposedByName', width: 120 },
    {
      title: t('chart.change.status'),
      key: 'status',
      width: 220,
      render: (_, c) => <ChangeStatus change={c} admin={admin} decide={decide} testId="chart-change" />,
    },
  ];

  const remapTargets =
    dialog?.kind === 'remap' && chart
      ? chart.lines
          .filter((l) => l.leaf && l.type === dialog.line.type && l.code !== dialog.line.code)
          .map((l) => ({ value: l.code, label: `${l.code} ${subjectName(l)}` }))
      : [];

  return (
    <Flex vertical gap={16} data-testid="chart-tab">
      <Flex justify="space-between" align="center" gap={12}>
        <Typography.Text type="secondary">{t('chart.intro')}</Typography.Text>
        {admin && (
          <Button icon={<PlusOutlined />} onClick={() => open({ kind: 'add', parent: null })} data-testid="chart-add-top">
            {t('chart.addTop')}
          </Button>
        )}
      </Flex>
      {chart && chart.unmapped.length > 0 && (
        <Alert type="warning" showIcon title={t('chart.unmapped', { list: chart.unmapped.map((a) => a.name).join('、') })} />
      )}
      <SmallTable<Node>
        testId="chart-table"
        rowKey="code"
        columns={columns}
        dataSource={nodes}
        loading={!chart}
        expandable={{ defaultExpandAllRows: true }}
        key={chart ? 'loaded' : 'loading'}
        scroll={{ y: 'calc(100vh - 330px)' }}
      />
      <CardTable<Change>
        title={t('chart.changes')}
        testId="chart-changes"
        columns={changeColumns}
        dataSource={changes}
        locale={{ emptyText: t('chart.noChanges') }}
      />

      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'add'
            ? dialog.parent
              ? t('chart.addChildTitle', { code: dialog.parent.code, name: subjectName(dialog.parent) })
              : t('chart.addTitle')
            : dialog?.kind === 'rename'
              ? t('chart.renameTitle', { code: dialog.line.code })
              : t('chart.remapTitle')
        }
        onOk={() => void submit()}
        onCancel={() => setDialog(null)}
        confirmLoading={busy}
        okText={t('common.ok')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="chart-form">
          {dialog?.kind === 'add' && (
            <>
              {!dialog.parent && (
                <Form.Item name="type" label={t('chart.type')} rules={[{ required: true }]}>
                  <Select options={TYPES.map((ty) => ({ value: ty, label: t(`chart.type.${ty}`) }))} data-testid="chart-form-type" />
                </Form.Item>
              )}
              <Form.Item
                name="code"
                label={t('chart.code')}
                extra={dialog.parent ? t('chart.codeHint') : undefined}
                rules={dialog.parent ? [] : [{ required: true }]}
              >
                <Input maxLength={12} placeholder={dialog.parent ? `${dialog.parent.code}··` : '6xxx'} data-testid="chart-form-code" />
              </Form.Item>
            </>
          )}
          {(dialog?.kind === 'add' || dialog?.kind === 'rename') && (
            <>
              <Form.Item name="name" label={t('chart.nameZh')} rules={[{ required: true, whitespace: true }]}>
                <Input maxLength={60} data-testid="chart-form-name" />
              </Form.Item>
              <Form.Item name="nameEn" label={t('chart.nameEn')} rules={[{ required: true, whitespace: true }]}>
                <Input maxLength={80} data-testid="chart-form-name-en" />
              </Form.Item>
            </>
          )}
          {dialog?.kind === 'remap' && (
            <>
              <Form.Item name="accountId" label={t('chart.account')} rules={[{ required: true }]}>
                <Select
                  options={dialog.line.accounts
                    .filter((a) => a.code !== `gl:${dialog.line.code}`)
                    .map((a) => ({ value: a.id, label: ledgerAccountLabel(a, dialog.line.code, t) }))}
                />
              </Form.Item>
              <Form.Item name="toCode" label={t('chart.target')} rules={[{ required: true }]}>
                <Select showSearch optionFilterProp="label" options={remapTargets} data-testid="chart-form-target" />
              </Form.Item>
              <Form.Item name="reason" label={t('chart.reason')} rules={[{ required: true, min: 2 }]}>
                <Input.TextArea maxLength={500} rows={2} data-testid="chart-form-reason" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Flex>
  );
}
