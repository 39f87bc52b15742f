// An approver's decisions: a held transfer (post or void) and a device re-bind (confirm or reject).
// Only approvers see the buttons, and not on what they entered or asked for themselves (four eyes);
// the server refuses both anyway.
import { App as AntApp, Button, Descriptions, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { call, type Data } from '../../api/coffer';
import { showError } from '../../app/errors';
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

export function MovementActions({ movement: m, onDone }: { movement: Movement; onDone(): void | Promise<void> }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const can = useCan();
  const [approve, setApprove] = useState<boolean | null>(null);
  if (!can.approve || m.status !== 'awaiting_approval') return null;
  return (
    <>
      <DecisionButtons
        testId={`movement-${m.id}`}
        mine={m.enteredBy === can.staffId}
        mineText={t('decide.ownTransfer')}
        onPick={setApprove}
      />
      <DecideModal
        open={approve !== null}
        approve={approve === true}
        title={approve ? t('held.approveTitle') : t('held.rejectTitle')}
        summary={
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'c', label: t('customer.name'), children: m.customerName },
              { key: 'w', label: t('transfer.wallet'), children: walletLabel(m.walletKind, t) },
              { key: 'f', label: t('transfer.from'), children: m.fromAccount },
              { key: 'to', label: t('transfer.to'), children: m.toAccount },
              { key: 'a', label: t('transfer.coins'), children: <Coins value={m.amount} strong /> },
            ]}
          />
        }
        onCancel={() => setApprove(null)}
        onDecide={async (note) => {
          try {
            await call('coins.decide', { id: m.id, approve: approve === true, note });
            void message.success(approve ? t('held.approved') : t('held.rejected'));
            await onDone();
            return true;
          } catch (e) {
            showError(message, e, t);
            return false;
          }
        }}
      />
    </>
  );
}

export function RebindActions({ request: r, onDone }: { request: Rebind; onDone(): void | Promise<void> }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const can = useCan();
  const [approve, setApprove] = useState<boolean | null>(null);
  if (r.status !== 'pending') return r.decisionNote ? <Typography.Text type="secondary">{r.decisionNote}</Typography.Text> : null;
  if (!can.approve) return <Typography.Text type="secondary">{t('rebind.waiting')}</Typography.Text>;
  return (
    <>
      <DecisionButtons
        testId={`rebind-${r.id}`}
        mine={r.requestedBy === can.staffId}
        mineText={t('decide.ownRebind')}
        onPick={setApprove}
      />
      <DecideModal
        open={approve !== null}
        approve={approve === true}
        title={approve ? t('rebind.approveTitle') : t('rebind.rejectTitle')}
        summary={
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'c', label: t('customer.name'), children: r.customerName },
              { key: 'a', label: t('bank.account'), children: r.accountExternalId },
              { key: 'n', label: t('rebind.newAddress'), children: `${r.kind.toUpperCase()} ${r.address}` },
              { key: 'r', label: t('rebind.reason'), children: r.reason },
              { key: 'b', label: t('rebind.requestedBy'), children: r.requestedByName },
            ]}
          />
        }
        onCancel={() => setApprove(null)}
        onDecide={async (note) => {
          try {
            await call('devices.decideRebind', { id: r.id, approve: approve === true, note });
            void message.success(approve ? t('rebind.approved') : t('rebind.rejected'));
            await onDone();
            return true;
          } catch (e) {
            showError(message, e, t);
            return false;
          }
        }}
      />
    </>
  );
}
