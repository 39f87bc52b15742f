// Rules & thresholds: the settings in force (device policy, transfer approval threshold, idle
// minutes); an admin proposes a change effective from a time, with a reason; another admin confirms
// or rejects it (four eyes). Every change, pending or decided, is listed.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { showError } from '../../app/errors';
import { useSession } from '../../app/session';
import { formatTime } from '../../format/dates';
import { formatYuan } from '../../../../main/domain/money';
import { useDecideChange } from '../../hooks/useDecideChange';
import { useT, type MessageKey, type TFunction } from '../../i18n';

type Settings = Data<'settings.list'>;
type InForce = Settings['inForce'][number];
type Change = Settings['changes'][number];
type Key = string;

// How each setting reads on screen. Settings other areas add (and any key this screen does not know)
// still show: by their key, the server's description, and their value as it is.
type Kind = 'policy' | 'coins' | 'minutes' | 'days' | 'fen' | 'list' | 'flag' | 'coinValue' | 'subject';
const KINDS: Record<string, Kind> = {
  'device.policy': 'policy',
  'transfer.approvalThreshold': 'coins',
  'session.idleMinutes': 'minutes',
  'recharge.expiryDays': 'days',
  'matching.writeOffCapFen': 'fen',
  'matching.unallocatedReclassifyDays': 'days',
  'matching.rules': 'list',
  'gl.subjectMap': 'list',
  'gl.customerAux': 'flag',
  'earnings.coinValue': 'coinValue',
  'earnings.costSubject': 'subject',
};
const LIMITS: Record<string, [number, number]> = {
  'session.idleMinutes': [1, 480],
  'recharge.expiryDays': [1, 365],
  'matching.writeOffCapFen': [0, 100_000],
  'matching.unallocatedReclassifyDays': [0, 3650],
};
const UNIT: Partial<Record<Kind, MessageKey>> = { coins: 'coins.unit', minutes: 'rules.minutes', days: 'rules.days', fen: 'rules.fen' };

function lookup(t: TFunction, key: string, fallback: string): string {
  const text = t(key as MessageKey);
  return text === key ? fallback : text;
}
function keyLabel(key: Key, t: TFunction): string {
  return lookup(t, `rules.key.${key}`, key);
}
/** Proposable here: a policy, a whole number, the earnings coin value or a subject (lists of rules are edited where they are used). */
function proposable(s: InForce): boolean {
  return KINDS[s.key] === 'policy' || KINDS[s.key] === 'coinValue' || KINDS[s.key] === 'subject' || typeof s.default === 'number';
}

/** fen per perCoins coins → yuan per coin, as many decimals as it needs (at most 6): "0.10", "0.0125". */
export function yuanPerCoin(v: { fen: number; perCoins: number }): string {
  const micro = Math.round((v.fen * 10_000) / v.perCoins); // 1/1,000,000 yuan
  const text = (micro / 1_000_000).toFixed(6).replace(/0+$/, '');
  const [whole, frac = ''] = text.split('.');
  return `${whole}.${frac.padEnd(2, '0')}`;
}

/** What an admin typed in yuan per coin ("0.1", "0.0125") → fen per perCoins coins, reduced; null if not one. */
export function coinValueOf(text: string): { fen: number; perCoins: number } | null {
  const m = /^(\d{1,4})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  const decimals = m[2] ?? '';
  let fen = Number(`${m[1]}${decimals}`);
  let perCoins = 10 ** decimals.length / 100;
  if (perCoins < 1) {
    fen = fen / perCoins;
    perCoins = 1;
  }
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(fen, perCoins) || 1;
  return { fen: fen / g, perCoins: perCoins / g };
}

function unitOf(key: Key | undefined, t: TFunction): string {
  const unit = key && KINDS[key] ? UNIT[KINDS[key]] : undefined;
  return unit ? t(unit) : '';
}

function valueText(key: Key, value: unknown, t: TFunction): string {
  const kind = KINDS[key];
  if (kind === 'policy') return value === 'review' ? t('device.policy.review') : t('device.policy.strict');
  if (kind === 'fen' && typeof value === 'number') return `${formatYuan(value, true)} ${t('ledger.unit.1')}`;
  if (kind === 'list' && Array.isArray(value)) return t('rules.listCount', { n: value.length });
  if (kind === 'flag') return value ? t('rules.on') : t('rules.off');
  if (kind === 'coinValue' && value && typeof value === 'object')
    return t('rules.yuanPerCoin', { yuan: yuanPerCoin(value as { fen: number; perCoins: number }) });
  if (typeof value === 'number') {
    const unit = kind && UNIT[kind];
    return `${value.toLocaleString('en-US')}${unit ? ` ${t(unit)}` : ''}`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface ProposeValues {
  key: Key;
  policy?: 'strict' | 'review';
  number?: number;
  text?: string;
  when: 'now' | 'later';
  effectiveFrom?: Dayjs;
  reason: string;
}

export default function RulesTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { session } = useSession();
  const admin = session.role === 'admin';
  const [data, setData] = useState<Settings | null>(null);
  const [form] = Form.useForm<ProposeValues>();
  const [busy, setBusy] = useState(false);
  const key = Form.useWatch('key', form);
  const when = Form.useWatch('when', form);

  const load = useCallback(async () => {
    try {
      setData(await call('settings.list'));
    } catch (e) {
      showError(message, e, t);
    }
  }, [message, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const propose = async (v: ProposeValues) => {
    setBusy(true);
    try {
      const effectiveFrom = v.when === 'later' && v.effectiveFrom ? v.effectiveFrom.valueOf() : Date.now();
      const kind = KINDS[v.key];
      const value =
        v.key === 'device.policy'
          ? (v.policy ?? 'strict')
          : kind === 'coinValue'
            ? coinValueOf(v.text ?? '')
            : kind === 'subject'
              ? (v.text ?? '').trim()
              : Number(v.number);
      // The key comes from the server's own list of settings in force.
      await call('settings.propose', { key: v.key as InForce['key'], value, effectiveFrom, reason: v.reason.trim() });
      void message.success(t('rules.proposed'));
      form.resetFields();
      await load();
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };

  const decide = useDecideChange(load);

  const inForceColumns: TableColumnsType<InForce> = [
    {
      title: t('rules.setting'),
      dataIndex: 'key',
      width: 200,
      render: (k: Key) => <Typography.Text strong>{keyLabel(k, t)}</Typography.Text>,
    },
    {
      title: t('rules.value'),
      key: 'value',
      width: 170,
      render: (_, s) => (
        <Typography.Text strong data-testid={`rule-value-${s.key}`}>
          {valueText(s.key, s.value, t)}
        </Typography.Text>
      ),
    },
    {
      title: t('rules.default'),
      key: 'default',
      width: 150,
      render: (_, s) => <Typography.Text type="secondary">{valueText(s.key, s.default, t)}</Typography.Text>,
    },
    { title: t('rules.meaning'), key: 'describe', render: (_, s) => lookup(t, `rules.describe.${s.key}`, s.describe) },
  ];

  const statusColor = { proposed: 'gold', confirmed: 'green', rejected: 'default' } as const;
  const changeColumns: TableColumnsType<Change> = [
    { title: t('rules.proposedAt'), dataIndex: 'proposedAt', width: 170, render: (ms: number) => formatTime(ms) },
    { title: t('rules.setting'), dataIndex: 'key', width: 170, render: (k: Key) => keyLabel(k, t) },
    {
      title: t('rules.newValue'),
      key: 'value',
      width: 130,
      render: (_, c) => <Typography.Text strong>{valueText(c.key, c.value, t)}</Typography.Text>,
    },
    { title: t('rules.effectiveFrom'), dataIndex: 'effectiveFrom', width: 170, render: (ms: number) => formatTime(ms) },
    { title: t('rules.reason'), dataIndex: 'reason', ellipsis: true },
    { title: t('rules.proposedBy'), dataIndex: 'proposedByName', width: 100 },
    {
      title: t('rules.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: Change['status'], c) => (
        <Tag color={statusColor[s]} style={{ marginInlineEnd: 0 }} data-testid={`change-status-${c.id}`}>
          {t(`rules.status.${s}`)}
        </Tag>
      ),
    },
    ...(admin
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, c: Change) => {
              if (c.status !== 'proposed') return null;
              const mine = c.proposedBy === session.staffId;
              const buttons = (
                <Space size={0}>
                  <Popconfirm
                    title={t('rules.confirmAsk')}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => decide(c, 'confirmed')}
                    disabled={mine}
                  >
                    <Button type="link" size="small" disabled={mine} data-testid={`change-confirm-${c.id}`}>
                      {t('rules.confirm')}
                    </Button>
                  </Popconfirm>
                  <Popconfirm
                    title={t('rules.rejectAsk')}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => decide(c, 'rejected')}
                    disabled={mine}
                  >
                    <Button type="link" size="small" danger disabled={mine} data-testid={`change-reject-${c.id}`}>
                      {t('rules.reject')}
                    </Button>
                  </Popconfirm>
                </Space>
              );
              return mine ? <Tooltip title={t('rules.ownChange')}>{buttons}</Tooltip> : buttons;
            },
          },
        ]
      : []),
  ];

  const pending = data?.changes.filter((c) => c.status === 'proposed').length ?? 0;
  return (
    <Flex vertical gap={12} data-testid="rules-tab">
      <Card size="small" title={t('rules.inForce')} styles={{ body: { padding: 0 } }}>
        <Table<InForce>
          data-testid="rules-table"
          rowKey="key"
          size="small"
          columns={inForceColumns}
          dataSource={data?.inForce ?? []}
          pagination={false}
        />
      </Card>
      {admin && (
        <Card size="small" title={t('rules.propose')}>
          <Typography.Paragraph type="secondary">{t('rules.proposeIntro')}</Typography.Paragraph>
          <Form<ProposeValues>
            form={form}
            layout="inline"
            onFinish={(v) => void propose(v)}
            initialValues={{ key: 'transfer.approvalThreshold', when: 'now', policy: 'review' }}
            style={{ rowGap: 12 }}
            requiredMark={false}
          >
            <Form.Item name="key" label={t('rules.setting')}>
              <Select
                style={{ width: 200 }}
                options={(data?.inForce ?? []).filter(proposable).map((s) => ({ value: s.key, label: keyLabel(s.key, t) }))}
                data-testid="propose-key"
              />
            </Form.Item>
            {key === 'device.policy' ? (
              <Form.Item name="policy" label={t('rules.newValue')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'strict', label: t('device.policy.strict') },
                    { value: 'review', label: t('device.policy.review') },
                  ]}
                />
              </Form.Item>
            ) : KINDS[key] === 'coinValue' ? (
              <Form.Item
                name="text"
                label={t('rules.newValue')}
                rules={[
                  {
                    required: true,
                    validator: async (_, v: string | undefined) =>
                      coinValueOf(v ?? '') ? undefined : Promise.reject(new Error(t('rules.coinValueNeeded'))),
                  },
                ]}
              >
                <Input style={{ width: 180 }} suffix={t('rules.yuanPerCoinUnit')} placeholder="0.10" data-testid="propose-coin-value" />
              </Form.Item>
            ) : KINDS[key] === 'subject' ? (
              <Form.Item
                name="text"
                label={t('rules.newValue')}
                rules={[{ required: true, pattern: /^\d{4}(\d\d){0,4}$/, message: t('rules.subjectNeeded') }]}
              >
                <Input style={{ width: 180 }} placeholder="6401" data-testid="propose-subject" />
              </Form.Item>
            ) : (
              <Form.Item name="number" label={t('rules.newValue')} rules={[{ required: true, message: t('rules.valueNeeded') }]}>
                <InputNumber<number>
                  min={LIMITS[key]?.[0] ?? 0}
                  max={LIMITS[key]?.[1] ?? Number.MAX_SAFE_INTEGER}
                  precision={0}
                  style={{ width: 180 }}
                  suffix={unitOf(key, t)}
                  data-testid="propose-number"
                />
              </Form.Item>
            )}
            <Form.Item name="when" label={t('rules.effectiveFrom')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'now', label: t('rules.whenConfirmed') },
                  { value: 'later', label: t('rules.fromTime') },
                ]}
              />
            </Form.Item>
            {when === 'later' && (
              <Form.Item name="effectiveFrom" rules={[{ required: true, message: t('rules.timeNeeded') }]}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                />
              </Form.Item>
            )}
            <Form.Item
              name="reason"
              label={t('rules.reason')}
              rules={[{ required: true, whitespace: true, min: 2, message: t('rules.reasonNeeded') }]}
              style={{ flex: 1, minWidth: 280 }}
            >
              <Input maxLength={500} data-testid="propose-reason" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="propose-submit">
                {t('rules.submit')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Card
        size="small"
        title={
          <Space>
            {t('rules.changes')}
            {pending > 0 && <Tag color="gold">{t('rules.pendingCount', { n: pending })}</Tag>}
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {admin && pending > 0 && <Alert type="info" banner showIcon title={t('rules.fourEyes')} />}
        <Table<Change>
          data-testid="changes-table"
          rowKey="id"
          size="small"
          columns={changeColumns}
          dataSource={data?.changes ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1100 }}
        />
      </Card>
    </Flex>
  );
}
