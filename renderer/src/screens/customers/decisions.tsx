// An approver's decisions: a held transfer (post or void) and a device re-bind (confirm or reject).
// Only approvers see the buttons, and not on what they entered or asked for themselves (four eyes);
// the server refuses both anyway.
import { App as AntApp, Button, Descriptions, Space, Tooltip, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { type Data } from '../../api/coffer';
import { useWrite } from '../../api/queries';
import { useT } from '../../i18n';
import { Coins, walletLabel } from './common';
import { useCan } from '../../app/session';
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

/** Each decision's words: why the buttons are off for the one who entered it, and its test ids' prefix. */
const KIND = {
  held: { own: 'decide.ownTransfer', testId: 'movement' },
  rebind: { own: 'decide.ownRebind', testId: 'rebind' },
} as const;

/**
 * The approve/reject buttons and the note dialog behind them, worded by `words` (held: a held transfer,
 * rebind: a re-bind request) for `row`; off for the one who entered or asked for it (four eyes). The dialog
 * sums it up: the customer, then `items`. `decide` is a useWrite's run (undefined: refused, shown, the dialog stays).
 */
function Decision({
  items,
  decide,
  ...of
}: ({ words: 'held'; row: Movement } | { words: 'rebind'; row: Rebind }) & {
  items: NonNullable<DescriptionsProps['items']>;
  decide(input: { id: number; approve: boolean; note: string }): Promise<unknown>;
}) {
  const t = useT();
  const can = useCan();
  const { message } = AntApp.useApp();
  const [approve, setApprove] = useState<boolean | null>(null);
  const { words, row } = of;
  const by = of.words === 'held' ? of.row.enteredBy : of.row.requestedBy;
  return (
    <>
      <DecisionButtons
        testId={`${KIND[words].testId}-${row.id}`}
        mine={by === can.staffId}
        mineText={t(KIND[words].own)}
        onPick={setApprove}
      />
      <DecideModal
        open={approve !== null}
        approve={approve === true}
        title={t(approve === true ? `${words}.approveTitle` : `${words}.rejectTitle`)}
        summary={
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[{ key: 'c', label: t('customer.name'), children: row.customerName }, ...items]}
          />
        }
        onCancel={() => setApprove(null)}
        onDecide={async (note) => {
          if ((await decide({ id: row.id, approve: approve === true, note })) === undefined) return false;
          void message.success(t(approve === true ? `${words}.approved` : `${words}.rejected`));
          return true;
        }}
      />
    </>
  );
}

export function MovementActions({ movement: m }: { movement: Movement }) {
  const t = useT();
  const can = useCan();
  const decide = useWrite('coins.decide', ['customers.get', 'coins.movements']);
  if (!can.approver || m.status !== 'awaiting_approval') return null;
  return (
    <Decision
      words="held"
      row={m}
      items={[
        { key: 'w', label: t('transfer.wallet'), children: walletLabel(m.walletKind, t) },
        { key: 'f', label: t('transfer.from'), children: m.fromAccount },
        { key: 'to', label: t('transfer.to'), children: m.toAccount },
        { key: 'a', label: t('transfer.coins'), children: <Coins value={m.amount} strong /> },
      ]}
      decide={decide.run}
    />
  );
}

export function RebindActions({ request: r }: { request: Rebind }) {
  const t = useT();
  const can = useCan();
  const decide = useWrite('devices.decideRebind', ['customers.get', 'devices.rebindRequests']);
  if (r.status !== 'pending') return r.decisionNote ? <Typography.Text type="secondary">{r.decisionNote}</Typography.Text> : null;
  if (!can.approver) return <Typography.Text type="secondary">{t('rebind.waiting')}</Typography.Text>;
  return (
    <Decision
      words="rebind"
      row={r}
      items={[
        { key: 'a', label: t('bank.account'), children: r.accountExternalId },
        { key: 'n', label: t('rebind.newAddress'), children: `${r.kind.toUpperCase()} ${r.address}` },
        { key: 'r', label: t('rebind.reason'), children: r.reason },
        { key: 'b', label: t('rebind.requestedBy'), children: r.requestedByName },
      ]}
      decide={decide.run}
    />
  );
}
