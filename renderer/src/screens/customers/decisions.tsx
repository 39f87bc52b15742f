// An approver's decisions: a held transfer (post or void) and a device re-bind (confirm or reject).
// Only approvers see the buttons, and not on what they entered or asked for themselves (four eyes);
// the server refuses both anyway.
import { App as AntApp, Button, Descriptions, Space, Tooltip, Typography, type DescriptionsProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { type Data } from '../../api/coffer';
import { useWrite } from '../../api/queries';
import { useT } from '../../i18n';
import { Coins, useCan, walletLabel } from './common';
import { DecideModal } from './forms';

type Movement = Data<'coins.movements'>[number];
type Rebind = Data<'devices.rebindRequests'>[number];

function DecisionButtons({
  testId,
  mine,
  mineText,
  onPick,
}: {
  testId: string;
  mine: boolean;
  mineText: string;
  onPick(approve: boolean): void;
}) {
  const t = useT();
  const buttons = (
    <Space size={0}>
      <Button type="link" size="small" disabled={mine} onClick={() => onPick(true)} data-testid={`${testId}-approve`}>
        {t('decide.approve')}
      </Button>
      <Button type="link" size="small" danger disabled={mine} onClick={() => onPick(false)} data-testid={`${testId}-reject`}>
        {t('decide.reject')}
      </Button>
    </Space>
  );
  return mine ? <Tooltip title={mineText}>{buttons}</Tooltip> : buttons;
}

/** What is decided, as the dialog shows it above the note. */
const Summary = ({ items }: { items: DescriptionsProps['items'] }) => <Descriptions size="small" column={1} bordered items={items} />;

/** The approve/reject buttons and the note dialog behind them; `decide` is a useWrite's run (undefined: refused, shown, the dialog stays). */
function Decision({
  testId,
  mine,
  mineText,
  title,
  summary,
  decide,
  decided,
  onDone,
}: {
  testId: string;
  mine: boolean;
  mineText: string;
  title(approve: boolean): string;
  summary: ReactNode;
  decide(approve: boolean, note: string): Promise<unknown>;
  decided(approve: boolean): string;
  onDone?(): void | Promise<void>;
}) {
  const { message } = AntApp.useApp();
  const [approve, setApprove] = useState<boolean | null>(null);
  return (
    <>
      <DecisionButtons testId={testId} mine={mine} mineText={mineText} onPick={setApprove} />
      <DecideModal
        open={approve !== null}
        approve={approve === true}
        title={title(approve === true)}
        summary={summary}
        onCancel={() => setApprove(null)}
        onDecide={async (note) => {
          if ((await decide(approve === true, note)) === undefined) return false;
          void message.success(decided(approve === true));
          await onDone?.();
          return true;
        }}
      />
    </>
  );
}

export function MovementActions({ movement: m, onDone }: { movement: Movement; onDone?(): void | Promise<void> }) {
  const t = useT();
  const can = useCan();
  const decide = useWrite('coins.decide', ['customers.get', 'coins.movements']);
  if (!can.approve || m.status !== 'awaiting_approval') return null;
  return (
    <Decision
      testId={`movement-${m.id}`}
      mine={m.enteredBy === can.staffId}
      mineText={t('decide.ownTransfer')}
      title={(approve) => (approve ? t('held.approveTitle') : t('held.rejectTitle'))}
      summary={
        <Summary
          items={[
            { key: 'c', label: t('customer.name'), children: m.customerName },
            { key: 'w', label: t('transfer.wallet'), children: walletLabel(m.walletKind, t) },
            { key: 'f', label: t('transfer.from'), children: m.fromAccount },
            { key: 'to', label: t('transfer.to'), children: m.toAccount },
            { key: 'a', label: t('transfer.coins'), children: <Coins value={m.amount} strong /> },
          ]}
        />
      }
      decide={(approve, note) => decide.run({ id: m.id, approve, note })}
      decided={(approve) => (approve ? t('held.approved') : t('held.rejected'))}
      onDone={onDone}
    />
  );
}

export function RebindActions({ request: r, onDone }: { request: Rebind; onDone?(): void | Promise<void> }) {
  const t = useT();
  const can = useCan();
  const decide = useWrite('devices.decideRebind', ['customers.get', 'devices.rebindRequests']);
  if (r.status !== 'pending') return r.decisionNote ? <Typography.Text type="secondary">{r.decisionNote}</Typography.Text> : null;
  if (!can.approve) return <Typography.Text type="secondary">{t('rebind.waiting')}</Typography.Text>;
  return (
    <Decision
      testId={`rebind-${r.id}`}
      mine={r.requestedBy === can.staffId}
      mineText={t('decide.ownRebind')}
      title={(approve) => (approve ? t('rebind.approveTitle') : t('rebind.rejectTitle'))}
      summary={
        <Summary
          items={[
            { key: 'c', label: t('customer.name'), children: r.customerName },
            { key: 'a', label: t('bank.account'), children: r.accountExternalId },
            { key: 'n', label: t('rebind.newAddress'), children: `${r.kind.toUpperCase()} ${r.address}` },
            { key: 'r', label: t('rebind.reason'), children: r.reason },
            { key: 'b', label: t('rebind.requestedBy'), children: r.requestedByName },
          ]}
        />
      }
      decide={(approve, note) => decide.run({ id: r.id, approve, note })}
      decided={(approve) => (approve ? t('rebind.approved') : t('rebind.rejected'))}
      onDone={onDone}
    />
  );
}
