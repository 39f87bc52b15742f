// 匹配规则: the ordered rules (the first rule that finds a single candidate decides), edited as a
// draft — reorder, enable, change conditions — with a dry run over today's open lines and requests
// that shows what the draft would match against the rules in force. Saving makes a proposal effective
// when another admin confirms it (four eyes); every proposal is listed here, pending ones to confirm or reject.
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type ButtonProps,
  type TableColumnsType,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { useCan } from '../../app/session';
import { ChoiceItem } from '../../components/ChoiceItem';
import { useT } from '../../i18n';
import type { MatchRule } from '../../../../main/domain/matching';
import { ProposalFields, proposalDefaults, useProposal, type ProposalValues } from '../settings/ProposalFields';
import { SettingChanges } from '../settings/SettingChanges';
import { useSettingsEditor } from '../settings/useSettingsForm';
import { SettingDetail } from '../settings/SettingDetail';
import { bpToPct, pctToBp } from '../settings/setting-values';
import { conditionsText, fenText, ruleName, yuanInputToFen } from './shared';
import { CellTag } from '../../components/CellTag';
import { useBusy } from '../../hooks/useBusy';

type DryRun = Data<'reconcile.dryRun'>;

const KEY = 'matching.rules';

/** A rule's icon button in the actions column (up, down, edit, delete): small, plain, named for screen readers by `label`. */
function RowButton({ label, ...button }: ButtonProps & { label: string }) {
  return <Button size="small" type="text" aria-label={label} {...button} />;
}

function ActionTag({ action }: { action: MatchRule['action'] }) {
  const t = useT();
  return <CellTag color={action === 'match' ? 'green' : 'blue'}>{t(`rule.action.${action}`)}</CellTag>;
}

export function RulesEditor() {
  const t = useT();
  const { admin } = useCan();
  const [draft, setDraft] = useState<MatchRule[]>([]);
  const [dirty, setDirty] = useState(false);
  const [editing, setEditing] = useState<{ index: number; rule: MatchRule } | null>(null);
  const [dry, setDry] = useState<{ draft: DryRun; current: DryRun } | null>(null);
  const [running, runDry] = useBusy();
  const [proposing, setProposing] = useState(false);

  // The draft starts from the rules in force, and again once a change is decided or the draft discarded.
  const { data: settings, reload: load } = useSettingsEditor([KEY], (s) => {
    const inForce = s.inForce.find((x) => x.key === KEY)?.value as MatchRule[] | undefined;
    setDraft(structuredClone(inForce ?? []));
    setDirty(false);
    setDry(null);
  });

  const inForce = (settings?.inForce.find((x) => x.key === KEY)?.value as MatchRule[] | undefined) ?? [];
  const pending = (settings?.changes ?? []).filter((c) => c.key === KEY && c.status === 'proposed');
  const change = (next: MatchRule[]) => {
    setDraft(next);
    setDirty(true);
    setDry(null);
  };
  const move = (i: number, d: -1 | 1) => {
    const next = [...draft];
    const [r] = next.splice(i, 1);
    next.splice(i + d, 0, r!);
    change(next);
  };

  const dryRun = async () => {
    await runDry(async () => {
      const [d, c] = await Promise.all([call('reconcile.dryRun', { rules: draft }), call('reconcile.dryRun', { rules: inForce })]);
      setDry({ draft: d, current: c });
    });
  };

  const columns: TableColumnsType<MatchRule & { i: number }> = [
    { title: t('rule.order'), key: 'o', width: 60, align: 'center', render: (_, r) => r.i + 1 },
    {
      title: t('rule.enabled'),
      key: 'e',
      width: 70,
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.enabled}
          disabled={!admin}
          onChange={(on) => change(draft.map((x, j) => (j === r.i ? { ...x, enabled: on } : x)))}
          data-testid={`rule-enabled-${r.i}`}
        />
      ),
    },
    {
      title: t('rule.name'),
      key: 'n',
      width: 260,
      render: (_, r) => <Typography.Text delete={!r.enabled}>{ruleName(r.name, t)}</Typography.Text>,
    },
    { title: t('rule.conditions'), key: 'c', render: (_, r) => conditionsText(r, t) },
    { title: t('rule.action'), key: 'a', width: 100, render: (_, r) => <ActionTag action={r.action} /> },
    ...(admin
      ? [
          {
            title: t('common.actions'),
            key: 'x',
            width: 150,
            render: (_: unknown, r: MatchRule & { i: number }) => (
              <Space size={0}>
                <RowButton
                  icon={<ArrowUpOutlined />}
                  label={t('rule.up')}
                  disabled={r.i === 0}
                  onClick={() => move(r.i, -1)}
                  data-testid={`rule-up-${r.i}`}
                />
                <RowButton
                  icon={<ArrowDownOutlined />}
                  label={t('rule.down')}
                  disabled={r.i === draft.length - 1}
                  onClick={() => move(r.i, 1)}
                  data-testid={`rule-down-${r.i}`}
                />
                <RowButton
                  icon={<EditOutlined />}
                  label={t('rule.edit')}
                  onClick={() => setEditing({ index: r.i, rule: { ...r } })}
                  data-testid={`rule-edit-${r.i}`}
                />
                <Popconfirm title={t('rule.deleteAsk')} onConfirm={() => change(draft.filter((_, j) => j !== r.i))}>
                  <RowButton danger icon={<DeleteOutlined />} label={t('rule.delete')} />
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const byRule = (d: DryRun | undefined, rule: string) => d?.byRule.find((b) => b.rule === rule);
  const allRules = dry ? [...new Set([...dry.draft.byRule.map((b) => b.rule), ...dry.current.byRule.map((b) => b.rule)])] : [];

  return (
    <Flex vertical gap={12} data-testid="rules-editor">
      <Card
        size="small"
        title={
          <Space>
            {t('rule.title')}
            {dirty && <Tag color="gold">{t('rule.draftChanged')}</Tag>}
          </Space>
        }
        extra={
          <Space>
            {admin && (
              <Button
                icon={<PlusOutlined />}
                onClick={() =>
                  setEditing({ index: -1, rule: { name: '', enabled: true, amount: 'exact', windowDays: 7, action: 'suggest' } })
                }
                data-testid="rule-add"
              >
                {t('rule.add')}
              </Button>
            )}
            <Button icon={<ExperimentOutlined />} loading={running} onClick={() => void dryRun()} data-testid="rule-dry-run">
              {t('rule.dryRun')}
            </Button>
            {admin && (
              <Button type="primary" disabled={!dirty} onClick={() => setProposing(true)} data-testid="rule-propose">
                {t('rule.propose')}
              </Button>
            )}
            {dirty && <Button onClick={() => void load()}>{t('rule.discard')}</Button>}
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Alert type="info" banner showIcon title={admin ? t('rule.introAdmin') : t('rule.intro')} />
        <Table<MatchRule & { i: number }>
          data-testid="rule-table"
          rowKey="i"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={draft.map((r, i) => ({ ...r, i }))}
        />
      </Card>
      {dry && (
        <Card size="small" title={t('rule.dryTitle')} data-testid="rule-dry-result">
          <Flex vertical gap={12}>
            <Alert
              type="info"
              showIcon
              title={t('rule.drySummary', {
                a: dry.draft.allocations,
                s: dry.draft.suggestions,
                m: dry.draft.ambiguous,
                a0: dry.current.allocations,
                s0: dry.current.suggestions,
                m0: dry.current.ambiguous,
              })}
              description={t('rule.dryNote')}
            />
            {allRules.length === 0 && <Alert type="warning" showIcon title={t('rule.dryNothing')} data-testid="rule-dry-nothing" />}
            <Table
              size="small"
              rowKey="rule"
              pagination={false}
              style={{ display: allRules.length ? undefined : 'none' }}
              dataSource={allRules.map((rule) => ({ rule }))}
              columns={[
                { title: t('rule.name'), dataIndex: 'rule', render: (r: string) => ruleName(r, t) },
                ...(['allocate', 'propose', 'suggest', 'ambiguous'] as const).map((k) => ({
                  title: t(`rule.dry.${k}`),
                  key: k,
                  width: 170,
                  align: 'right' as const,
                  render: (_: unknown, { rule }: { rule: string }) => {
                    const now = byRule(dry.current, rule)?.[k] ?? 0;
                    const next = byRule(dry.draft, rule)?.[k] ?? 0;
                    return (
                      <span>
                        {next}
                        {next !== now && (
                          <Typography.Text type={next > now ? 'success' : 'danger'}>
                            {' '}
                            ({next > now ? '+' : ''}
                            {next - now})
                          </Typography.Text>
                        )}
                      </span>
                    );
                  },
                })),
              ]}
            />
            {dry.draft.sample.length > 0 && (
              <Table
                size="small"
                rowKey={(d) => `${d.kind}-${d.lineId}-${d.requestId}`}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={dry.draft.sample}
                columns={[
                  {
                    title: t('rule.dry.kind'),
                    key: 'k',
                    width: 110,
                    render: (_, d) => (
                      <Tag color={d.kind === 'allocate' ? (d.fourEyes ? 'purple' : 'green') : d.ambiguous ? 'orange' : 'blue'}>
                        {d.kind === 'allocate'
                          ? t(d.fourEyes ? 'rule.dry.propose' : 'rule.dry.allocate')
                          : d.ambiguous
                            ? t('rule.dry.ambiguous')
                            : t('rule.dry.suggest')}
                      </Tag>
                    ),
                  },
                  { title: t('rule.dry.line'), dataIndex: 'lineId', width: 100, render: (v: number) => `#${v}` },
                  { title: t('rule.dry.request'), dataIndex: 'requestId', width: 100, render: (v: number) => `#${v}` },
                  { title: t('report.amount'), dataIndex: 'amount', width: 150, align: 'right', render: (v: number) => fenText(v) },
                  { title: t('rule.name'), dataIndex: 'rule', render: (r: string) => ruleName(r, t) },
                ]}
              />
            )}
          </Flex>
        </Card>
      )}
      <Card size="small" title={t('rule.pendingTitle')} styles={{ body: { padding: 0 } }}>
        {pending.length > 0 && <Alert type="warning" banner showIcon title={t('rules.fourEyes')} />}
        <SettingChanges
          data={settings}
          keys={[KEY]}
          ctx={{ t }}
          reload={load}
          testId="rule"
          tableTestId="rule-pending"
          expandable={(c) => <SettingDetail settingKey={KEY} value={c.value} ctx={{ t }} />}
        />
      </Card>
      <RuleModal
        editing={editing}
        onClose={(rule) => {
          if (rule && editing) change(editing.index < 0 ? [...draft, rule] : draft.map((x, j) => (j === editing.index ? rule : x)));
          setEditing(null);
        }}
      />
      <ProposeModal
        open={proposing}
        rules={draft}
        onClose={(done) => {
          setProposing(false);
          if (done) void load();
        }}
      />
    </Flex>
  );
}

interface RuleForm {
  name: string;
  conditions: ('referenceInMemo' | 'payerAccount' | 'payerName')[];
  amount: MatchRule['amount'];
  toleranceYuan?: string;
  tolerancePct?: string;
  windowDays: number;
  action: MatchRule['action'];
  fourEyesYuan?: string;
}

function RuleModal({ editing, onClose }: { editing: { index: number; rule: MatchRule } | null; onClose(rule?: MatchRule): void }) {
  const t = useT();
  const [form] = Form.useForm<RuleForm>();
  const amount = Form.useWatch('amount', form);
  useEffect(() => {
    if (!editing) return;
    const r = editing.rule;
    form.setFieldsValue({
      name: r.name ? ruleName(r.name, t) : '',
      conditions: (['referenceInMemo', 'payerAccount', 'payerName'] as const).filter((k) => r[k]),
      amount: r.amount,
      toleranceYuan: r.toleranceFen ? fenText(r.toleranceFen) : '',
      tolerancePct: r.toleranceBp ? bpToPct(r.toleranceBp) : '',
      windowDays: r.windowDays,
      action: r.action,
      fourEyesYuan: r.fourEyesFromFen === undefined ? '' : fenText(r.fourEyesFromFen),
    });
  }, [editing, form, t]);
  const finish = (v: RuleForm) => {
    if (!editing) return;
    // A shipped rule keeps its name unless the admin renamed it (so it still reads translated).
    const keptName = editing.rule.name && v.name === ruleName(editing.rule.name, t) ? editing.rule.name : v.name.trim();
    const tolFen = Number(yuanInputToFen(v.toleranceYuan) ?? 0);
    const tolBp = pctToBp(v.tolerancePct);
    // Empty: no four eyes; 0.00: every match under the rule.
    const fourEyes = v.fourEyesYuan?.trim() ? yuanInputToFen(v.fourEyesYuan) : null;
    const rule: MatchRule = {
      name: keptName,
      enabled: editing.rule.enabled,
      amount: v.amount,
      windowDays: v.windowDays,
      action: v.action,
      ...(v.conditions.includes('referenceInMemo') ? { referenceInMemo: true } : {}),
      ...(v.conditions.includes('payerAccount') ? { payerAccount: true } : {}),
      ...(v.conditions.includes('payerName') ? { payerName: true } : {}),
      ...(v.amount === 'exact' && tolFen > 0 ? { toleranceFen: tolFen } : {}),
      ...(v.amount === 'exact' && tolBp ? { toleranceBp: tolBp } : {}),
      ...(fourEyes !== null && fourEyes !== undefined ? { fourEyesFromFen: Number(fourEyes) } : {}),
    };
    onClose(rule);
  };
  return (
    <Modal
      open={editing !== null}
      title={editing && editing.index >= 0 ? t('rule.edit') : t('rule.add')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'rule-modal-ok' }}
      forceRender
      width={600}
      data-testid="rule-modal"
    >
      <Form<RuleForm> form={form} layout="vertical" onFinish={finish} requiredMark={false}>
        <Form.Item name="name" label={t('rule.name')} rules={[{ required: true, whitespace: true, message: t('rule.nameNeeded') }]}>
          <Input maxLength={80} data-testid="rule-name" />
        </Form.Item>
        <Form.Item name="conditions" label={t('rule.conditions')}>
          <Checkbox.Group
            options={[
              { value: 'referenceInMemo', label: t('rule.cond.reference') },
              { value: 'payerAccount', label: t('rule.cond.payerAccount') },
              { value: 'payerName', label: t('rule.cond.payerName') },
            ]}
          />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="amount" label={t('rule.amountLabel')}>
            <Select
              style={{ width: 200 }}
              options={(['exact', 'upTo', 'atLeast', 'any'] as const).map((k) => ({ value: k, label: t(`rule.amount.${k}`) }))}
              data-testid="rule-amount"
            />
          </Form.Item>
          {amount === 'exact' && (
            <>
              <Form.Item name="toleranceYuan" label={t('rule.toleranceYuan')}>
                <Input style={{ width: 120 }} suffix={t('ledger.unit.1')} />
              </Form.Item>
              <Form.Item name="tolerancePct" label={t('rule.toleranceBp')}>
                <InputNumber<string> stringMode min="0" max="10" precision={2} style={{ width: 120 }} suffix="%" />
              </Form.Item>
            </>
          )}
          <Form.Item name="windowDays" label={t('rule.windowDays')} rules={[{ required: true }]}>
            <InputNumber<number> min={0} max={365} precision={0} style={{ width: 120 }} data-testid="rule-window" />
          </Form.Item>
        </Flex>
        <ChoiceItem name="action" label={t('rule.action')} choices={{ match: 'rule.action.match', suggest: 'rule.action.suggest' }} />
        <Form.Item name="fourEyesYuan" label={t('rule.fourEyes')} extra={t('rule.fourEyesHint')}>
          <Input style={{ width: 160 }} placeholder="—" data-testid="rule-four-eyes" />
        </Form.Item>
        <Typography.Text type="secondary">{t('rule.candidatesNote')}</Typography.Text>
        <button type="submit" hidden />
      </Form>
    </Modal>
  );
}

function ProposeModal({ open, rules, onClose }: { open: boolean; rules: MatchRule[]; onClose(done: boolean): void }) {
  const t = useT();
  const [form] = Form.useForm<ProposalValues>();
  const { propose, busy } = useProposal();
  useEffect(() => {
    if (open) form.setFieldsValue(proposalDefaults());
  }, [open, form]);
  return (
    <Modal open={open} title={t('rule.propose')} onCancel={() => onClose(false)} footer={null} forceRender width={640}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('rules.fourEyes')} />
      <Form<ProposalValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={async (v) => {
          if (await propose(KEY, rules, v)) onClose(true);
        }}
      >
        <ProposalFields busy={busy} testId="rule-propose" submitTestId="rule-propose-ok" />
      </Form>
    </Modal>
  );
}
