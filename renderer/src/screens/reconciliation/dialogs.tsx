// Small dialogs of the reconciliation screens: a reason for an action that needs one (unmatch,
// reject), and a write-off proposal, which always takes the whole difference (the server refuses a
// part), says what the difference is (a fee the platform bears, or a customer who paid less) and
// waits for an approver.
import { Alert, App as AntApp, Form, Input, Flex, Radio, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useWrite } from '../../api/queries';
import { useT } from '../../i18n';
import { fenText, outstanding, type ProposalRow, type RequestRow } from './shared';
import { FormModal } from '../../components/FormModal';
import { useStaffNames } from '../../components/Person';
import { Facts } from '../../components/Facts';

/**
 * The reason for an action on `target` (null: closed). Above the reason: `note` in a box (a warning when
 * `warning`), then `intro`; `field` is a further field of the action, in the form above the reason. `act`
 * answers true when it was done: `done` is said and the dialog closes; false keeps it open (refused, or a
 * field to put right).
 */
export function ReasonModal<T>({
  target,
  title,
  okText,
  danger,
  testId,
  note,
  warning,
  intro,
  field,
  act,
  done,
  onClose,
}: {
  target: T | null;
  title: string;
  okText: string;
  danger?: boolean;
  testId: string;
  note?: (target: T) => string;
  warning?: boolean;
  intro?: (target: T) => ReactNode;
  field?: (target: T) => ReactNode;
  act(reason: string, target: T): Promise<boolean>;
  done?: string;
  onClose(): void;
}) {
  const t = useT();
  const { message } = AntApp.useApp();
  const submit = async (reason: string) => {
    if (target === null) return true;
    if (!(await act(reason, target))) return false;
    if (done) void message.success(done);
    return true;
  };
  return (
    <FormModal<{ reason: string }>
      open={target !== null}
      title={title}
      testId={testId}
      okText={okText}
      danger={danger}
      width={520}
      destroyOnHidden={false}
      intro={
        target !== null && (
          <>
            {note && <Alert type={warning ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }} title={note(target)} />}
            {intro?.(target)}
          </>
        )
      }
      onCancel={onClose}
      submit={(v) => submit(v.reason.trim())}
    >
      {target !== null && field?.(target)}
      <Form.Item
        name="reason"
        label={t('recon.reason')}
        rules={[{ required: true, whitespace: true, min: 2, message: t('rules.reasonNeeded') }]}
      >
        <Input.TextArea autoFocus rows={3} maxLength={500} data-testid={`${testId}-reason`} />
      </Form.Item>
    </FormModal>
  );
}

export function WriteOffModal({ request, onClose }: { request: RequestRow | null; onClose(): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const diff = request ? outstanding(request) : 0;
  const propose = useWrite('reconcile.proposeWriteOff', ['reconcile.queue', 'requests.get']);
  // No default: the person proposing says which it is.
  const [kind, setKind] = useState<'fee' | 'short' | null>(null);
  useEffect(() => {
    if (request) setKind(null);
  }, [request]);
  return (
    <ReasonModal<RequestRow>
      target={request}
      title={t('writeoff.title')}
      okText={t('writeoff.propose')}
      testId="writeoff-dialog"
      intro={(request) => (
        <>
          <Facts
            column={2}
            items={[
              { key: 'r', label: t('request.requestId'), children: request.requestId },
              { key: 'c', label: t('request.customer'), children: request.customerName },
              { key: 'a', label: t('request.amount'), children: fenText(request.amount) },
              { key: 'v', label: t('request.covered'), children: fenText(request.covered) },
              {
                key: 'd',
                label: t('writeoff.amount'),
                span: 2,
                children: <strong data-testid="writeoff-amount">{fenText(diff)}</strong>,
              },
            ]}
          />
          <Alert style={{ margin: '12px 0' }} type="info" showIcon title={t('writeoff.rule')} />
          <Typography.Text strong>{t('writeoff.kind')}</Typography.Text>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value as 'fee' | 'short')}
            style={{ display: 'block', margin: '6px 0 12px' }}
            data-testid="writeoff-kind"
          >
            <Flex vertical gap={4}>
              {(['fee', 'short'] as const).map((k) => (
                <Radio key={k} value={k} data-testid={`writeoff-kind-${k}`}>
                  {t(`writeoff.kind.${k}`)}
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {t(`writeoff.kind.${k}Help`)}
                  </Typography.Text>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </>
      )}
      act={async (reason, request) => {
        if (!kind) {
          void message.warning(t('writeoff.kindNeeded'));
          return false;
        }
        return (await propose.run({ requestId: request.id, amount: String(diff), kind, reason })) !== undefined;
      }}
      done={t('writeoff.proposed')}
      onClose={onClose}
    />
  );
}

/** An approver declines a proposed match or unmatch with a reason: nothing moves; both sides are free again. */
export function DeclineProposalModal({ proposal, onClose }: { proposal: ProposalRow | null; onClose(): void }) {
  const t = useT();
  const names = useStaffNames();
  const decline = useWrite('reconcile.declineProposal', ['reconcile.queue']);
  return (
    <ReasonModal<ProposalRow>
      target={proposal}
      title={t('queue.declineTitle')}
      okText={t('queue.decline')}
      danger
      testId="decline-proposal-dialog"
      note={(proposal) =>
        t('queue.declineIntro', {
          kind: t(`queue.proposal.${proposal.kind}`),
          ref: proposal.requestRef,
          amount: fenText(proposal.amount),
          who: names.name(proposal.proposedByName),
        })
      }
      act={async (reason, proposal) => (await decline.run({ proposalId: proposal.id, reason })) !== undefined}
      done={t('queue.declined')}
      onClose={onClose}
    />
  );
}
