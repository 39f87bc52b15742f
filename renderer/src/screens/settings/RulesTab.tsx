// 规则与阈值: every setting in force by its name, its value in units (and any confirmed change still to
// come), its default and what it means; lists (matching rules, the GL mapping, the conversion rule, the
// invoice product) open as tables. An admin proposes a change through a form in the setting's units,
// effective once confirmed, from a time, or from a month; another admin confirms or rejects it (four
// eyes). Every change, pending or decided, is listed in the same words.
import {
  Alert,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
  type InputNumberProps,
  type TableColumnsType,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type Data } from '../../api/coffer';
import { NO_ROWS, useRead } from '../../api/queries';
import { useCan } from '../../app/session';
import { formatTime } from '../../format/dates';
import { SmallTable } from '../../components/CardTable';
import { useI18n, type TFunction } from '../../i18n';
import { formatYuan } from '../../../../main/domain/money';
import { shanghaiDate } from '../../../../main/domain/dates';
import { ProposalFields, proposalDefaults, useProposal, type ProposalValues } from './ProposalFields';
import { SettingChanges } from './SettingChanges';
import { DETAILED, SettingDetail } from './SettingDetail';
import {
  EDITED_ELSEWHERE,
  SETTING_FIELDS,
  fromFormValue,
  settingMeaning,
  settingName,
  settingText,
  toFormValue,
  type FormValue,
  type InForce,
  type SettingField,
  type Settings,
  type TextContext,
} from './setting-values';

type Leaf = Data<'vouchers.accounts'>[number];

/** A confirmed change of `s` that takes effect later: when, and what. */
function upcoming(data: Settings, s: InForce, now: number) {
  const later = data.changes
    .filter((c) => c.key === s.key && c.status === 'confirmed')
    .map((c) => ({ c, at: s.monthly ? c.effectiveFrom : Math.max(c.effectiveFrom, c.decidedAt ?? 0) }))
    .filter((x) => x.at > now)
    .sort((a, b) => a.at - b.at);
  return later[0] ?? null;
}

export default function RulesTab({ onOpenTab }: { onOpenTab?: (tab: string) => void }) {
  const { t, lang } = useI18n();
  const { admin } = useCan();
  const [editing, setEditing] = useState<InForce | null>(null);
  const settings = useRead('settings.list');
  const data = settings.data ?? null;
  const leaves: Leaf[] = useRead('vouchers.accounts').data ?? NO_ROWS;
  const reload = settings.refetch;

  const ctx = useMemo<TextContext>(() => {
    const names = new Map(leaves.map((l) => [l.subjectCode, lang === 'en' ? l.nameEn : l.name]));
    return { t, subjectName: (code) => names.get(code) };
  }, [leaves, lang, t]);

  const openEditor = (s: InForce) => {
    const where = EDITED_ELSEWHERE[s.key];
    if (!where) return setEditing(s);
    if ('tab' in where) onOpenTab?.(where.tab);
    else location.hash = where.hash;
  };

  const now = Date.now();
  const columns: TableColumnsType<InForce> = [
    {
      title: t('rules.setting'),
      dataIndex: 'key',
      width: 170,
      render: (k: string) => <Typography.Text strong>{settingName(t, k)}</Typography.Text>,
    },
    {
      title: t('rules.value'),
      key: 'value',
      width: 220,
      render: (_, s) => {
        const next = data && upcoming(data, s, now);
        return (
          <Flex vertical>
            <Typography.Text strong data-testid={`rule-value-${s.key}`}>
              {settingText(ctx, s.key, s.value)}
            </Typography.Text>
            {next && (
              <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid={`rule-upcoming-${s.key}`}>
                {t('setting.upcoming', {
                  when: s.monthly ? shanghaiDate(next.at).slice(0, 7) : formatTime(next.at),
                  value: settingText(ctx, s.key, next.c.value),
                })}
              </Typography.Text>
            )}
          </Flex>
        );
      },
    },
    {
      title: t('rules.default'),
      key: 'default',
      width: 150,
      render: (_, s) => {
        const text = settingText(ctx, s.key, s.default);
        // A long value (a rule, the invoice product) is not written out twice when it has not changed.
        const same = DETAILED.has(s.key) && text === settingText(ctx, s.key, s.value);
        return <Typography.Text type="secondary">{same ? t('setting.sameAsNow') : text}</Typography.Text>;
      },
    },
    {
      title: t('rules.meaning'),
      key: 'describe',
      render: (_, s) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {settingMeaning(t, s.key, s.describe)}
        </Typography.Text>
      ),
    },
    ...(admin
      ? [
          {
            title: t('setting.actions'),
            key: 'actions',
            width: 100,
            fixed: 'right' as const,
            render: (_: unknown, s: InForce) =>
              SETTING_FIELDS[s.key] || EDITED_ELSEWHERE[s.key] ? (
                <Button type="link" size="small" onClick={() => openEditor(s)} data-testid={`setting-edit-${s.key}`}>
                  {EDITED_ELSEWHERE[s.key] ? t('setting.editThere') : t('setting.edit')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  const pending = data?.changes.filter((c) => c.status === 'proposed').length ?? 0;
  return (
    <Flex vertical gap={12} data-testid="rules-tab">
      {pending > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('setting.pendingAlert', { n: pending })}
          action={
            <Button size="small" onClick={() => document.getElementById('setting-changes')?.scrollIntoView({ behavior: 'smooth' })}>
              {t('setting.showChanges')}
            </Button>
          }
          data-testid="rules-pending"
        />
      )}
      <Card size="small" title={t('rules.inForce')} styles={{ body: { padding: 0 } }}>
        <SmallTable<InForce>
          testId="rules-table"
          rowKey="key"
          columns={columns}
          dataSource={data?.inForce ?? []}
          scroll={{ x: 960 }}
          expandable={{
            rowExpandable: (s) => DETAILED.has(s.key) && !(Array.isArray(s.value) && s.value.length === 0),
            expandedRowRender: (s) => <SettingDetail settingKey={s.key} value={s.value} ctx={ctx} />,
          }}
        />
      </Card>
      <Card
        size="small"
        title={
          <Space>
            {t('rules.changes')}
            {pending > 0 && <Tag color="gold">{t('rules.pendingCount', { n: pending })}</Tag>}
          </Space>
        }
        styles={{ body: { padding: 0 } }}
        id="setting-changes"
      >
        {admin && pending > 0 && <Alert type="info" banner showIcon title={t('rules.fourEyes')} />}
        <SettingChanges
          data={data}
          ctx={ctx}
          reload={reload}
          testId="change"
          tableTestId="changes-table"
          pageSize={20}
          expandable={(c) => (DETAILED.has(c.key) ? <SettingDetail settingKey={c.key} value={c.value} ctx={ctx} /> : null)}
        />
      </Card>
      <ProposeModal
        setting={editing}
        ctx={ctx}
        leaves={leaves}
        // A proposal reads settings.list again itself (useProposal).
        onClose={() => setEditing(null)}
      />
    </Flex>
  );
}

interface ProposeForm extends ProposalValues {
  value?: FormValue;
}

/** The message when the typed value is not one the setting takes. */
function needText(t: TFunction, field: SettingField): string {
  switch (field.kind) {
    case 'yuan':
      return t('setting.need.yuan', { max: formatYuan(field.maxFen, true) });
    case 'bp':
      return t('setting.need.percent', { max: field.maxBp / 100 });
    case 'ratio':
      return t('setting.need.rate');
    case 'whole':
      return t('setting.need.whole', { min: field.min, max: field.max.toLocaleString('en-US') });
    case 'coinValue':
      return t('setting.need.coinValue');
    case 'subject':
      return t('setting.need.subject');
    case 'choice':
    case 'flag':
      return t('setting.need.choice');
  }
}

/** Yuan in the box: grouped with two decimals once typed ("80,000.00"); what is being typed stays as typed. */
const yuanFormatter = (v: string | undefined, info: { userTyping: boolean; input: string }) => {
  if (info.userTyping) return info.input;
  if (v === undefined || v === '') return '';
  const [whole = '', frac = ''] = String(v).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
};

/** A value in yuan or per cent: two places, never below zero, kept as the string typed (no float on the way to the books). */
function TwoPlaces(props: InputNumberProps<string>) {
  return <InputNumber<string> stringMode precision={2} min="0" {...props} />;
}

function ValueInput({
  field,
  leaves,
  value,
  onChange,
}: {
  field: SettingField;
  leaves: Leaf[];
  value?: FormValue;
  onChange?: (v: FormValue) => void;
}) {
  const { t, lang } = useI18n();
  const common = { value, onChange, 'data-testid': 'setting-value' } as const;
  switch (field.kind) {
    case 'yuan':
      return (
        <TwoPlaces
          {...(common as object)}
          max={formatYuan(field.maxFen)}
          suffix={t('appr.yuan')}
          formatter={yuanFormatter}
          parser={(v) => (v ?? '').replaceAll(',', '')}
          style={{ width: 240 }}
        />
      );
    case 'bp':
    case 'ratio':
      return (
        <TwoPlaces
          {...(common as object)}
          max={field.kind === 'bp' ? String(field.maxBp / 100) : '99.99'}
          suffix="%"
          style={{ width: 160 }}
        />
      );
    case 'whole':
      return (
        <InputNumber<number>
          {...(common as object)}
          precision={0}
          min={field.min}
          max={field.max}
          suffix={t(field.unit)}
          style={{ width: 200 }}
        />
      );
    case 'choice':
      return (
        <Radio.Group
          {...(common as object)}
          optionType="button"
          options={field.options.map((o) => ({ value: o.value, label: t(o.label) }))}
        />
      );
    case 'flag':
      return (
        <Radio.Group
          {...(common as object)}
          optionType="button"
          options={[
            { value: true, label: t('setting.yes') },
            { value: false, label: t('setting.no') },
          ]}
        />
      );
    case 'coinValue':
      return <Input {...(common as object)} suffix={t('rules.yuanPerCoinUnit')} placeholder="0.10" style={{ width: 200 }} />;
    case 'subject':
      return (
        <Select
          {...(common as object)}
          showSearch
          optionFilterProp="label"
          style={{ width: 320 }}
          options={leaves
            .filter((l) => l.type === 'expense')
            .map((l) => ({ value: l.subjectCode, label: `${l.subjectCode} ${lang === 'en' ? l.nameEn : l.name}` }))}
        />
      );
  }
}

function ProposeModal({
  setting,
  ctx,
  leaves,
  onClose,
}: {
  setting: InForce | null;
  ctx: TextContext;
  leaves: Leaf[];
  onClose(done: boolean): void;
}) {
  const { t } = ctx;
  const [form] = Form.useForm<ProposeForm>();
  const { propose, busy } = useProposal();
  const field = setting ? SETTING_FIELDS[setting.key] : undefined;
  // The form always opens on the value in force now: after a change is confirmed, that is the new value.
  useEffect(() => {
    if (setting) form.setFieldsValue({ ...proposalDefaults(), value: toFormValue(setting.key, setting.value) });
  }, [setting, form]);

  const finish = async (v: ProposeForm) => {
    if (!setting) return;
    if (await propose(setting.key, fromFormValue(setting.key, v.value), v, { monthly: setting.monthly })) onClose(true);
  };

  return (
    <Modal
      open={setting !== null}
      title={setting ? t('setting.editTitle', { name: settingName(t, setting.key) }) : ''}
      onCancel={() => onClose(false)}
      footer={null}
      forceRender
      width={680}
      data-testid="setting-modal"
    >
      {setting && field && (
        <Form<ProposeForm> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void finish(v)}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {settingMeaning(t, setting.key, setting.describe)}
          </Typography.Paragraph>
          <Form.Item label={t('setting.now')} style={{ marginBottom: 12 }}>
            <Typography.Text strong data-testid="setting-now">
              {settingText(ctx, setting.key, setting.value)}
            </Typography.Text>
          </Form.Item>
          <Form.Item
            name="value"
            label={t('setting.newValue')}
            rules={[
              {
                validator: async (_, v: FormValue) => {
                  const next = fromFormValue(setting.key, v);
                  if (next === null) throw new Error(needText(t, field));
                  if (settingText(ctx, setting.key, next) === settingText(ctx, setting.key, setting.value))
                    throw new Error(t('setting.same'));
                },
              },
            ]}
          >
            <ValueInput field={field} leaves={leaves} />
          </Form.Item>
          <ProposalFields monthly={setting.monthly} busy={busy} testId="setting-propose" />
        </Form>
      )}
    </Modal>
  );
}
