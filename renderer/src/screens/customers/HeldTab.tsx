// Transfers above the approval threshold, waiting for an approver, across customers; and device
// re-bind requests waiting for one. An approver decides here (or on the customer's page).
import { Flex, Tag, Typography, type TableColumnsType } from 'antd';
import { CardTable } from '../../components/CardTable';
import type { Data } from '../../api/coffer';
import { NO_ROWS, useRead } from '../../api/queries';
import { formatTime } from '../../format/dates';
import { useT } from '../../i18n';
import { Coins, ReasonCell, walletLabel } from './common';
import { useCan } from '../../app/session';
import { MovementActions, RebindActions } from './decisions';

type Movement = Data<'coins.movements'>[number];
type Rebind = Data<'devices.rebindRequests'>[number];
const nums = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function HeldTab({ onOpen }: { onOpen(id: number): void }) {
  const t = useT();
  const can = useCan();
  const heldRead = useRead('coins.movements', { status: 'awaiting_approval', limit: 500 });
  const rebindRead = useRead('devices.rebindRequests', { status: 'pending' });
  const held: Movement[] = heldRead.data ?? NO_ROWS;
  const rebinds: Rebind[] = rebindRead.data ?? NO_ROWS;
  const loading = heldRead.isFetching || rebindRead.isFetching;

  const customerLink = (name: string, id: number | undefined, testId: string) =>
    id === undefined ? (
      name
    ) : (
      <Typography.Link onClick={() => onOpen(id)} data-testid={testId}>
        {name}
      </Typography.Link>
    );

  const heldColumns: TableColumnsType<Movement> = [
    { title: t('movement.time'), dataIndex: 'requestedAt', width: 170, render: (ms: number) => <span style={nums}>{formatTime(ms)}</span> },
    { title: t('customer.name'), dataIndex: 'customerName', width: 160, ellipsis: true },
    { title: t('transfer.wallet'), dataIndex: 'walletKind', width: 100, render: (w: Movement['walletKind']) => walletLabel(w, t) },
    { title: t('transfer.from'), dataIndex: 'fromAccount', width: 120 },
    { title: t('transfer.to'), dataIndex: 'toAccount', width: 120 },
    { title: t('transfer.coins'), dataIndex: 'amount', width: 120, align: 'right', render: (v: string) => <Coins value={v} strong /> },
    {
      title: t('movement.source'),
      key: 'source',
      width: 110,
      render: (_, m) =>
        m.enteredBy === null ? <Tag>{t('movement.source.platform')}</Tag> : <Tag color="blue">{t('movement.source.counter')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, m) =>
        can.approver ? <MovementActions movement={m} /> : <Typography.Text type="secondary">{t('held.waiting')}</Typography.Text>,
    },
  ];

  const rebindColumns: TableColumnsType<Rebind> = [
    {
      title: t('rebind.requestedAt'),
      dataIndex: 'requestedAt',
      width: 170,
      render: (ms: number) => <span style={nums}>{formatTime(ms)}</span>,
    },
    {
      title: t('customer.name'),
      dataIndex: 'customerName',
      width: 200,
      ellipsis: true,
      render: (n: string, r) => customerLink(n, r.customerId, `rebind-customer-${r.id}`),
    },
    { title: t('bank.account'), dataIndex: 'accountExternalId', width: 120 },
    {
      title: t('rebind.newAddress'),
      key: 'address',
      width: 240,
      render: (_, r) => <Typography.Text code>{`${r.kind.toUpperCase()} ${r.address}`}</Typography.Text>,
    },
    { title: t('rebind.reason'), dataIndex: 'reason', ellipsis: { showTitle: false }, render: (r: string) => <ReasonCell text={r} /> },
    { title: t('rebind.requestedBy'), dataIndex: 'requestedByName', width: 110 },
    { title: t('common.actions'), key: 'actions', width: 150, render: (_, r) => <RebindActions request={r} /> },
  ];

  const waiting = <R extends object>(title: string, testId: string, columns: TableColumnsType<R>, rows: R[], empty: string) => (
    <CardTable<R> title={title} testId={testId} loading={loading} columns={columns} dataSource={rows} scroll={{ x: 1000 }} empty={empty} />
  );
  return (
    <Flex vertical gap={12} data-testid="held-tab">
      {waiting(t('held.title'), 'held-table', heldColumns, held, t('held.none'))}
      {waiting(t('rebind.pendingTitle'), 'pending-rebinds-table', rebindColumns, rebinds, t('rebind.none'))}
    </Flex>
  );
}
