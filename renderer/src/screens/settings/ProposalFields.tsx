// The end of every form that proposes a settings change: when it takes effect (once confirmed, from a
// time, or — for a setting that governs a month — from a month's first day), the reason, the submit
// button and the four-eyes note. useProposal sends it; every settings editor shares both. ProposalCard is
// an editor's card: its form, read-only to all but an admin, ending in these fields.
import { App as AntApp, Button, Card, DatePicker, Flex, Form, Input, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { ChoiceItem } from '../../components/ChoiceItem';
import { useT } from '../../i18n';
import { shanghaiDayStart } from '../../../../main/domain/dates';
import type { SettingKey } from './setting-values';

export interface ProposalValues {
  when?: 'now' | 'later';
  effectiveFrom?: Dayjs;
  month?: Dayjs;
  reason?: string;
}

/** A fresh proposal: effective once confirmed (or from this month), no reason yet. */
export function proposalDefaults(): ProposalValues {
  return { when: 'now', effectiveFrom: undefined, month: dayjs().startOf('month'), reason: '' };
}

/** The instant the change takes effect: a monthly setting from 00:00 Beijing time on its month's first day. */
export function effectiveFromOf(v: ProposalValues, monthly: boolean, now = Date.now()): number {
  if (monthly) return shanghaiDayStart(`${(v.month ?? dayjs(now)).format('YYYY-MM')}-01`);
  return v.when === 'later' && v.effectiveFrom ? v.effectiveFrom.valueOf() : now;
}

/** Proposes `value` for `key` with the form's timing and reason; true when the proposal was recorded (settings.list is then read again). */
export function useProposal() {
  const t = useT();
  const { message } = AntApp.useApp();
  const write = useWrite('settings.propose', ['settings.list']);
  const propose = async (
    key: SettingKey,
    value: unknown,
    v: ProposalValues,
    o: { monthly?: boolean; success?: string | false } = {},
  ): Promise<boolean> => {
    const out = await write.run({
      key,
      value,
      effectiveFrom: effectiveFromOf(v, o.monthly ?? false),
      reason: (v.reason ?? '').trim(),
    });
    if (out === undefined) return false;
    if (o.success !== false) void message.success(o.success ?? t('rules.proposed'));
    return true;
  };
  return { propose, busy: write.busy };
}

/**
 * The start of a settings editor an admin proposes from: its form, whether this user may propose (an
 * admin), the proposal, and `card`, what ProposalCard takes from them. `busy`: another action of the
 * screen runs (a template loading), which holds the form.
 */
export function useProposalEditor<F extends ProposalValues>(busy = false) {
  const { admin } = useCan();
  const [form] = Form.useForm<F>();
  const proposal = useProposal();
  return { form, admin, proposal, card: { admin, form, busy, sending: proposal.busy } };
}

export function ProposalFields({
  monthly = false,
  busy,
  testId,
  submitTestId,
  submitText,
  submitDisabled,
  extraButtons,
}: {
  monthly?: boolean;
  busy: boolean;
  /** Prefix of the test ids: `${testId}-reason`, `${testId}-submit`, `${testId}-month`. */
  testId: string;
  submitTestId?: string;
  submitText?: string;
  submitDisabled?: boolean;
  extraButtons?: React.ReactNode;
}) {
  const t = useT();
  const form = Form.useFormInstance<ProposalValues>();
  const when = Form.useWatch('when', form);
  return (
    <>
      <Flex gap={12} wrap align="start">
        {monthly ? (
          <Form.Item
            name="month"
            label={t('rules.effectiveFrom')}
            extra={t('setting.monthlyNote')}
            rules={[{ required: true, message: t('rules.timeNeeded') }]}
            style={{ maxWidth: 360 }}
          >
            <DatePicker picker="month" format="YYYY-MM" allowClear={false} data-testid={`${testId}-month`} />
          </Form.Item>
        ) : (
          <>
            <ChoiceItem name="when" label={t('rules.effectiveFrom')} choices={{ now: 'rules.whenConfirmed', later: 'rules.fromTime' }} />
            {when === 'later' && (
              <Form.Item name="effectiveFrom" label=" " rules={[{ required: true, message: t('rules.timeNeeded') }]}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                />
              </Form.Item>
            )}
          </>
        )}
        <Form.Item
          name="reason"
          label={t('rules.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('rules.reasonNeeded') }]}
          style={{ flex: 1, minWidth: 240 }}
        >
          <Input maxLength={500} data-testid={`${testId}-reason`} />
        </Form.Item>
      </Flex>
      <Flex gap={8} align="center" wrap>
        <Button type="primary" htmlType="submit" loading={busy} disabled={submitDisabled} data-testid={submitTestId ?? `${testId}-submit`}>
          {submitText ?? t('rules.submit')}
        </Button>
        {extraButtons}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('setting.fourEyesNote')}
        </Typography.Text>
      </Flex>
    </>
  );
}

/** A settings editor's card: its form (read-only to all but an admin, and while anything is sent) ending in the proposal fields. */
export function ProposalCard<F extends ProposalValues>({
  admin,
  titles,
  form,
  busy,
  sending,
  onPropose,
  testId,
  submitText,
  children,
}: {
  admin: boolean;
  titles: { editor: string; readOnly: string };
  form: FormInstance<F>;
  /** Another action of the screen runs (a template loading). */
  busy: boolean;
  /** The proposal is being sent. */
  sending: boolean;
  onPropose(values: F): Promise<void>;
  /** Prefix of the proposal fields' test ids; the submit button is `${testId}-propose`. */
  testId: string;
  submitText: string;
  children: ReactNode;
}) {
  return (
    <Card size="small" title={admin ? titles.editor : titles.readOnly}>
      <Form<F> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void onPropose(v)} disabled={!admin || busy || sending}>
        {children}
        {admin && <ProposalFields busy={sending} testId={testId} submitTestId={`${testId}-propose`} submitText={submitText} />}
      </Form>
    </Card>
  );
}
