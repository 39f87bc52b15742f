// 兑换规则 (Settings → conversion rules): the rule version in force and every proposed or decided
// version; an editor for a new version (base rate as an integer ratio, step tiers with bonus coins or
// a bonus percentage, first-recharge bonus, rounding, a channel's own rate) that is saved as a proposal
// a second admin confirms; and a calculator that shows what an amount becomes under the draft, the
// version in force and any version — asked of the books (conversion.calculate), never worked out here.
// Amounts and percentages are read from the typed text, never through floats.
import { Alert, App as AntApp, Button, Card, Checkbox, Descriptions, Flex, Form, Input, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMemo, useState } from 'react';
import { type Data } from '../../api/coffer';
import { errorText } from '../../app/errors';
import { useDebounced } from '../../hooks/useDebounced';
import { useInlineRead, type Inline } from '../../hooks/useInlineRead';
import { lookup, useT, type TFunction } from '../../i18n';
import { DEFAULT_CONVERSION } from '../../../../main/domain/conversion';
import { rateText, tierText } from '../records/RecordPage';
import { ProposalFields, useProposalEditor, type ProposalValues } from '../settings/ProposalFields';
import { SettingChangesCard } from '../settings/SettingChanges';
import { useSettingsForm } from '../settings/useSettingsForm';
import { bpToPct, pctToBp, ruleSummary } from '../settings/setting-values';
import type { ConversionRule, Rounding, Tier } from '../../../../main/domain/conversion';
import { channelText, coins, CoinsWithBonus, nums, yuan, yuanInputToApi, yuanInputToFen } from './common';

type Channel = 'bank' | 'alipay' | 'wechat';
const CHANNELS: Channel[] = ['bank', 'alipay', 'wechat'];
const ROUNDINGS: Rounding[] = ['down', 'half_up', 'up'];

type Rule = ConversionRule;

interface TierForm {
  from?: string;
  coins?: string;
  pct?: string;
}
interface ChannelForm {
  own?: boolean;
  per?: string;
  coins?: string;
  rounding?: Rounding;
}
interface RuleForm extends ProposalValues {
  per?: string;
  coins?: string;
  rounding?: Rounding;
  tiers?: TierForm[];
  firstCoins?: string;
  firstPct?: string;
  channels?: Partial<Record<Channel, ChannelForm>>;
}

function wholeOrNull(text: string | undefined): number | null {
  const s = (text ?? '').trim().replaceAll(',', '');
  if (!s) return null;
  return /^\d{1,15}$/.test(s) ? Number(s) : NaN;
}

/** The form's text → a rule the API checks again; or the first thing wrong, for the person to fix. */
function formToRule(v: RuleForm, t: TFunction): { rule: Rule } | { error: string } {
  const perFen = yuanInputToFen(v.per);
  const c = wholeOrNull(v.coins);
  if (!perFen || Number(perFen) <= 0) return { error: t('conv.err.per') };
  if (c === null || Number.isNaN(c) || c <= 0) return { error: t('conv.err.coins') };
  const tiers: Tier[] = [];
  for (const [i, tf] of (v.tiers ?? []).entries()) {
    const from = yuanInputToFen(tf.from);
    const bc = wholeOrNull(tf.coins);
    const bp = pctToBp(tf.pct);
    if (!from || Number(from) <= 0) return { error: t('conv.err.tierFrom', { n: i + 1 }) };
    if (Number.isNaN(bc) || Number.isNaN(bp)) return { error: t('conv.err.tierBonus', { n: i + 1 }) };
    tiers.push({ fromFen: Number(from), ...(bc ? { bonusCoins: bc } : {}), ...(bp ? { bonusBp: bp } : {}) });
  }
  const rule: Rule = { coins: c, perFen: Number(perFen), rounding: v.rounding ?? 'down', tiers };
  const fc = wholeOrNull(v.firstCoins);
  const fp = pctToBp(v.firstPct);
  if (Number.isNaN(fc) || Number.isNaN(fp)) return { error: t('conv.err.first') };
  if (fc) rule.firstRechargeBonusCoins = fc;
  if (fp) rule.firstRechargeBonusBp = fp;
  for (const ch of CHANNELS) {
    const f = v.channels?.[ch];
    if (!f?.own) continue;
    const p = yuanInputToFen(f.per);
    const cc = wholeOrNull(f.coins);
    if (!p || Number(p) <= 0 || cc === null || Number.isNaN(cc) || cc <= 0)
      return { error: t('conv.err.channel', { channel: channelText(t, ch) }) };
    rule.channels = { ...rule.channels, [ch]: { coins: cc, perFen: Number(p), rounding: f.rounding ?? rule.rounding } };
  }
  return { rule };
}

function ruleToForm(r: Rule): RuleForm {
  const channels: Partial<Record<Channel, ChannelForm>> = {};
  for (const ch of CHANNELS) {
    const own = r.channels?.[ch];
    channels[ch] = own
      ? { own: true, per: yuan(own.perFen ?? r.perFen), coins: String(own.coins ?? r.coins), rounding: own.rounding ?? r.rounding }
      : { own: false, per: yuan(r.perFen), coins: String(r.coins), rounding: r.rounding };
  }
  return {
    per: yuan(r.perFen),
    coins: String(r.coins),
    rounding: r.rounding,
    tiers: r.tiers.map((x) => ({
      from: yuan(x.fromFen),
      coins: x.bonusCoins ? String(x.bonusCoins) : '',
      pct: x.bonusBp ? bpToPct(x.bonusBp) : '',
    })),
    firstCoins: r.firstRechargeBonusCoins ? String(r.firstRechargeBonusCoins) : '',
    firstPct: r.firstRechargeBonusBp ? bpToPct(r.firstRechargeBonusBp) : '',
    channels,
  };
}

type Calc = Data<'conversion.calculate'>;
type CalcCell = { ok: true; c: Calc } | { ok: false; error: string } | null;

export default function ConversionRulesTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { form, admin, proposal } = useProposalEditor<RuleForm>();
  const busy = proposal.busy;
  const values = Form.useWatch([], form) as RuleForm | undefined;
  const draft = useMemo(() => (values ? formToRule(values, t) : null), [values, t]);
  const debouncedDraft = useDebounced(draft, 250);

  const [amount, setAmount] = useState('1288.00');
  const [channel, setChannel] = useState<Channel>('bank');
  const [first, setFirst] = useState(false);
  const [version, setVersion] = useState<number | undefined>(undefined);

  // The editor starts from the rule in force, and starts from it again once a change is decided.
  const editor = useSettingsForm(form, ['conversion.rules'], (d) => {
    const r = d.inForce.find((s) => s.key === 'conversion.rules')?.value as Rule | undefined;
    return r && ruleToForm(r);
  });
  const { data } = editor;

  const changes = useMemo(() => (data?.changes ?? []).filter((c) => c.key === 'conversion.rules'), [data]);
  // The version in force (0 = the built-in default).
  const inForceVersion = data?.inForce.find((s) => s.key === 'conversion.rules')?.version ?? 0;
  const inForceRule = data?.inForce.find((s) => s.key === 'conversion.rules')?.value as Rule | undefined;
  const threshold = data?.inForce.find((s) => s.key === 'approval.dualAboveFen')?.value as number | undefined;

  // The calculator: the same amount under the draft, the version in force and a chosen version.
  const amt = yuanInputToApi(amount);
  const asked = !!amt && Number(yuanInputToFen(amount)) > 0;
  const base = { amount: amt ?? '0', channel, firstRecharge: first };
  const draftRule = debouncedDraft && 'rule' in debouncedDraft ? debouncedDraft.rule : null;
  // Version 0 is the built-in rule (the API reads 0 as "the version in force").
  const versionInput = version === 0 ? { rule: DEFAULT_CONVERSION } : { version };
  const cellOf = (a: Inline<Calc> | undefined): CalcCell =>
    !a ? null : 'found' in a ? { ok: true, c: a.found } : { ok: false, error: errorText(a.error, t) };
  const calc = {
    draft: cellOf(
      useInlineRead('conversion.calculate', { ...base, rule: draftRule ?? {} }, { enabled: asked && !!draftRule, keepPrevious: true })
        .answer,
    ),
    inForce: cellOf(useInlineRead('conversion.calculate', base, { enabled: asked, keepPrevious: true }).answer),
    version: cellOf(
      useInlineRead('conversion.calculate', { ...base, ...versionInput }, { enabled: asked && version !== undefined, keepPrevious: true })
        .answer,
    ),
  };

  const propose = async (v: RuleForm) => {
    const r = formToRule(v, t);
    if ('error' in r) return void message.error(r.error);
    if (await proposal.propose('conversion.rules', r.rule, v, { success: t('conv.proposed') })) form.setFieldValue('reason', '');
  };

  const cell = (c: CalcCell, testId: string) => {
    if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
    if (!c.ok)
      return (
        <Typography.Text type="danger" data-testid={testId}>
          {c.error}
        </Typography.Text>
      );
    return (
      <Flex vertical data-testid={testId}>
        <span style={{ fontSize: 18 }}>
          <CoinsWithBonus paid={c.c.paidCoins} bonus={c.c.bonusCoins} />
        </span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {rateText(t, c.c.rate)}
          {c.c.tier ? ` · ${tierText(t, c.c.tier)}` : ''}
          {Number(c.c.firstRechargeBonus) > 0 ? ` · ${t('conv.firstBonus')} ${coins(c.c.firstRechargeBonus)}` : ''}
        </Typography.Text>
      </Flex>
    );
  };

  const draftError = draft && 'error' in draft ? draft.error : null;
  return (
    <Flex vertical gap={12} data-testid="conversion-tab">
      <Card size="small" title={t('conv.inForceTitle')} data-testid="conv-in-force">
        {inForceRule && (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('conv.version')}>
              {inForceVersion === 0 ? t('conv.versionDefault') : t('conv.versionN', { n: inForceVersion })}
            </Descriptions.Item>
            <Descriptions.Item label={t('conv.rule')}>{ruleSummary(t, inForceRule)}</Descriptions.Item>
            {threshold !== undefined && (
              <Descriptions.Item label={t('conv.dualAbove')}>
                <span style={nums}>{yuan(threshold)}</span> {t('appr.yuan')}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {t('conv.dualAboveNote')}
                </Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </Card>

      <Flex gap={12} align="start" wrap>
        <Card
          size="small"
          title={admin ? t('conv.editorTitle') : t('conv.draftTitle')}
          style={{ flex: '1 1 560px' }}
          data-testid="conv-editor"
        >
          <Form<RuleForm> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void propose(v)} disabled={busy}>
            <Typography.Text strong>{t('conv.rate')}</Typography.Text>
            <Flex gap={8} align="center" wrap style={{ margin: '8px 0 12px' }}>
              <span>{t('conv.every')}</span>
              <Form.Item name="per" noStyle>
                <Input style={{ width: 110 }} suffix={t('appr.yuan')} data-testid="conv-per" />
              </Form.Item>
              <span>=</span>
              <Form.Item name="coins" noStyle>
                <Input style={{ width: 110 }} suffix={t('appr.coinsUnit')} data-testid="conv-coins" />
              </Form.Item>
              <span style={{ marginInlineStart: 16 }}>{t('conv.roundingLabel')}</span>
              <Form.Item name="rounding" noStyle>
                <Select
                  style={{ width: 150 }}
                  options={ROUNDINGS.map((r) => ({ value: r, label: t(`conv.rounding.${r}`) }))}
                  data-testid="conv-rounding"
                />
              </Form.Item>
            </Flex>

            <Typography.Text strong>{t('conv.tiers')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '2px 0 8px' }}>
              {t('conv.tiersNote')}
            </Typography.Paragraph>
            <Form.List name="tiers">
              {(fields, { add, remove }) => (
                <Flex vertical gap={6} style={{ marginBottom: 12 }}>
                  {fields.map((f, i) => (
                    <Flex key={f.key} gap={8} align="center" data-testid={`conv-tier-${i}`}>
                      <span style={{ width: 28 }}>{i + 1}.</span>
                      <span>{t('conv.tierFrom')}</span>
                      <Form.Item name={[f.name, 'from']} noStyle>
                        <Input style={{ width: 130 }} suffix={t('appr.yuan')} data-testid={`conv-tier-${i}-from`} />
                      </Form.Item>
                      <span>{t('conv.tierBonus')}</span>
                      <Form.Item name={[f.name, 'pct']} noStyle>
                        <Input style={{ width: 90 }} suffix="%" data-testid={`conv-tier-${i}-pct`} />
                      </Form.Item>
                      <span>+</span>
                      <Form.Item name={[f.name, 'coins']} noStyle>
                        <Input style={{ width: 110 }} suffix={t('appr.coinsUnit')} data-testid={`conv-tier-${i}-coins`} />
                      </Form.Item>
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('conv.removeTier')} />
                    </Flex>
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => add({ from: '', pct: '', coins: '' })}
                    style={{ alignSelf: 'start' }}
                    data-testid="conv-add-tier"
                  >
                    {t('conv.addTier')}
                  </Button>
                </Flex>
              )}
            </Form.List>

            <Typography.Text strong>{t('conv.firstBonus')}</Typography.Text>
            <Flex gap={8} align="center" style={{ margin: '8px 0 12px' }}>
              <Form.Item name="firstPct" noStyle>
                <Input style={{ width: 90 }} suffix="%" data-testid="conv-first-pct" />
              </Form.Item>
              <span>+</span>
              <Form.Item name="firstCoins" noStyle>
                <Input style={{ width: 110 }} suffix={t('appr.coinsUnit')} data-testid="conv-first-coins" />
              </Form.Item>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('conv.firstNote')}
              </Typography.Text>
            </Flex>

            <Typography.Text strong>{t('conv.channels')}</Typography.Text>
            <Flex vertical gap={6} style={{ margin: '8px 0 12px' }}>
              {CHANNELS.map((ch) => {
                const own = values?.channels?.[ch]?.own;
                return (
                  <Flex key={ch} gap={8} align="center">
                    <Form.Item name={['channels', ch, 'own']} valuePropName="checked" noStyle>
                      <Checkbox style={{ width: 150 }} data-testid={`conv-channel-${ch}`}>
                        {t('conv.channelOwn', { channel: channelText(t, ch) })}
                      </Checkbox>
                    </Form.Item>
                    <span>{t('conv.every')}</span>
                    <Form.Item name={['channels', ch, 'per']} noStyle>
                      <Input style={{ width: 100 }} disabled={!own} suffix={t('appr.yuan')} />
                    </Form.Item>
                    <span>=</span>
                    <Form.Item name={['channels', ch, 'coins']} noStyle>
                      <Input style={{ width: 100 }} disabled={!own} suffix={t('appr.coinsUnit')} />
                    </Form.Item>
                    <Form.Item name={['channels', ch, 'rounding']} noStyle>
                      <Select
                        style={{ width: 140 }}
                        disabled={!own}
                        options={ROUNDINGS.map((r) => ({ value: r, label: t(`conv.rounding.${r}`) }))}
                      />
                    </Form.Item>
                  </Flex>
                );
              })}
            </Flex>

            {draftError && <Alert type="warning" showIcon title={draftError} style={{ marginBottom: 12 }} data-testid="conv-draft-error" />}

            {admin && (
              <ProposalFields
                busy={busy}
                testId="conv"
                submitTestId="conv-propose"
                submitText={t('conv.propose')}
                submitDisabled={!!draftError}
                extraButtons={
                  <Button onClick={() => inForceRule && form.setFieldsValue(ruleToForm(inForceRule))}>{t('conv.resetToInForce')}</Button>
                }
              />
            )}
          </Form>
        </Card>

        <Card size="small" title={t('conv.calcTitle')} style={{ flex: '1 1 380px' }} data-testid="conv-calculator">
          <Flex vertical gap={10}>
            <Flex gap={8} wrap align="center">
              <Input
                style={{ width: 150 }}
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                suffix={t('appr.yuan')}
                data-testid="calc-amount"
                status={amount.trim() && !yuanInputToFen(amount) ? 'error' : undefined}
              />
              <Select<Channel>
                style={{ width: 100 }}
                value={channel}
                onChange={setChannel}
                options={CHANNELS.map((c) => ({ value: c, label: channelText(t, c) }))}
                data-testid="calc-channel"
              />
              <Space size={4}>
                <Switch size="small" checked={first} onChange={setFirst} data-testid="calc-first" />
                <span>{t('conv.firstRecharge')}</span>
              </Space>
            </Flex>
            <Descriptions size="small" column={1} bordered styles={{ label: { width: 150 } }}>
              <Descriptions.Item label={t('conv.calcDraft')}>{cell(calc.draft, 'calc-draft')}</Descriptions.Item>
              <Descriptions.Item
                label={t('conv.calcInForce', {
                  v: inForceVersion === 0 ? t('conv.versionDefault') : t('conv.versionN', { n: inForceVersion }),
                })}
              >
                {cell(calc.inForce, 'calc-in-force')}
              </Descriptions.Item>
              <Descriptions.Item
                label={
                  <Select<number>
                    size="small"
                    allowClear
                    placeholder={t('conv.calcPickVersion')}
                    style={{ width: 130 }}
                    value={version}
                    onChange={(v) => setVersion(v ?? undefined)}
                    options={[
                      { value: 0, label: t('conv.versionDefault') },
                      ...changes.map((c) => ({
                        value: c.id,
                        label: `${t('conv.versionN', { n: c.id })} · ${t(`rules.status.${c.status}`)}`,
                      })),
                    ]}
                    data-testid="calc-version"
                  />
                }
              >
                {cell(calc.version, 'calc-version-result')}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('conv.calcNote', { channel: lookup(t, `appr.channel.${channel}`, channel) })}
            </Typography.Text>
          </Flex>
        </Card>
      </Flex>

      <SettingChangesCard title={t('conv.versionsTitle')} {...editor} testId="conv" emptyText={t('conv.noVersions')} />
    </Flex>
  );
}
