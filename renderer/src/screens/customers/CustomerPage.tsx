// One customer: their facts; the accounts with both wallets (available / reserved) and the link
// group; bound bank accounts and registered devices with their history; the login timeline (blocked
// red, flagged orange); coin movements; device re-binds. Counter staff open accounts, bind and
// unbind bank accounts, link and unlink, enter transfers and ask for re-binds; an approver decides.
import {
  App as AntApp,
  Badge,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Result,
  Space,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
  type TableColumnsType,
} from 'antd';
import { PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useState, type ReactNode } from 'react';
import { CardTable, SmallTable } from '../../components/CardTable';
import { type Data } from '../../api/coffer';
import { useWrite } from '../../api/queries';
import { useDetailRead } from '../../hooks/useDetailRead';
import { formatTime } from '../../format/dates';
import { useT, type MessageKey, type TFunction } from '../../i18n';
import { Coins, MovementStatusTag, OutcomeTag, ReasonCell, RebindStatusTag, whyText, walletLabel } from './common';
import { useCan } from '../../app/session';
import { BindBankModal, OpenAccountModal, RebindRequestModal, TransferModal } from './forms';
import { MovementActions, RebindActions } from './decisions';
import { CustomerInvoicing } from '../invoices/CustomerInvoicing';
import { CellTag } from '../../components/CellTag';

type Page = Data<'customers.get'>;
type Account = Page['accounts'][number];
type Login = Page['logins'][number];
type Movement = Page['movements'][number];
type Rebind = Page['rebinds'][number];
type Bank = Account['bankAccounts'][number] & { account: string; accountId: number };
type Device = Account['devices'][number] & { account: string };

type Dialog =
  { kind: 'open' } | { kind: 'bank'; account: Account } | { kind: 'rebind'; account: Account } | { kind: 'transfer'; from?: number } | null;

const nums = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** From and to of a binding (a bank account, a device): open-ended while it holds, tagged with `current`. */
function periodColumns<R extends { startsAt: number; endsAt: number | null }>(t: TFunction, current: MessageKey): TableColumnsType<R> {
  return [
    { title: t('period.from'), dataIndex: 'startsAt', width: 170, render: (ms: number) => <span style={nums}>{formatTime(ms)}</span> },
    {
      title: t('period.to'),
      dataIndex: 'endsAt',
      width: 170,
      render: (ms: number | null) => (ms === null ? <Tag color="green">{t(current)}</Tag> : <span style={nums}>{formatTime(ms)}</span>),
    },
  ];
}

/** Bank account numbers are kept as digits; shown in groups of four, the way cards print them. */
function groupDigits(n: string): string {
  return n.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export function CustomerPage({ id, onBack }: { id: number; onBack(): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const can = useCan();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [tab, setTab] = useState('logins');
  const read = useDetailRead('customers.get', { id });
  const page = read.data;
  const linkWrite = useWrite('accounts.setLinked', ['customers.get']);
  const unbindWrite = useWrite('accounts.unbindBank', ['customers.get']);

  // What a dialog changed is read again by its own write.
  const closeDialog = () => setDialog(null);
  /** The dialogs an account's row opens: its action's name (in the test id), the dialog, the button's label. */
  const accountDialogs = (a: Account): [string, Dialog, string][] => [
    ['transfer', { kind: 'transfer', from: a.id }, t('transfer.short')],
    ['bind', { kind: 'bank', account: a }, t('bank.bind')],
    ['rebind', { kind: 'rebind', account: a }, t('rebind.ask')],
  ];

  if (read.missing)
    return <Result status="404" title={t('customer.notFound')} extra={<Button onClick={onBack}>{t('customer.backToList')}</Button>} />;
  if (!page) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const { customer: c, accounts } = page;
  const setLinked = async (a: Account, linked: boolean) => {
    if ((await linkWrite.run({ customerId: c.id, accountIds: [a.id], linked })) === undefined) return;
    void message.success(t(linked ? 'account.linkedOk' : 'account.unlinkedOk', { id: a.externalId }));
  };
  const unbind = async (b: Bank) => {
    if ((await unbindWrite.run({ accountId: b.accountId, accountNumber: b.accountNumber })) === undefined) return;
    void message.success(t('bank.unbound'));
  };

  const accountColumns: TableColumnsType<Account> = [
    {
      title: t('account.externalId'),
      dataIndex: 'externalId',
      width: 180,
      fixed: 'left',
      render: (v: string, a) => (
        <Flex vertical>
          <Typography.Text strong>{v}</Typography.Text>
          <Typography.Text type="secondary" ellipsis={{ tooltip: a.name }} style={{ maxWidth: 164, fontSize: 12 }}>
            {a.name}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('account.linkGroup'),
      dataIndex: 'linked',
      width: 96,
      align: 'center',
      render: (l: boolean, a) => (
        <CellTag color={l ? 'blue' : 'default'} data-testid={`account-linked-${a.externalId}`}>
          {l ? t('account.linked') : t('account.notLinked')}
        </CellTag>
      ),
    },
    ...(['recharge', 'earnings'] as const).map((w) => ({
      title: walletLabel(w, t),
      key: w,
      children: [
        {
          title: t('wallet.available'),
          key: `${w}-available`,
          width: 110,
          align: 'right' as const,
          render: (_: unknown, a: Account) => <Coins value={a[w].available} strong />,
        },
        {
          title: t('wallet.reserved'),
          key: `${w}-reserved`,
          width: 96,
          align: 'right' as const,
          render: (_: unknown, a: Account) =>
            a[w].reserved === '0' ? <Typography.Text type="secondary">0</Typography.Text> : <Coins value={a[w].reserved} />,
        },
      ],
    })),
    { title: t('account.openedAt'), dataIndex: 'openedAt', width: 170, render: (ms: number) => <span style={nums}>{formatTime(ms)}</span> },
    ...(can.counter
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 330,
            // the actions wrap rather than run out of the window: the English words are longer
            render: (_: unknown, a: Account) => (
              <Space size={0} wrap>
                {accountDialogs(a).map(([action, dialog, label]) => (
                  <Button
                    key={action}
                    type="link"
                    size="small"
                    onClick={() => setDialog(dialog)}
                    data-testid={`account-${action}-${a.externalId}`}
                  >
                    {label}
                  </Button>
                ))}
                <Popconfirm
                  title={a.linked ? t('account.unlinkConfirm', { id: a.externalId }) : t('account.linkConfirm', { id: a.externalId })}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => setLinked(a, !a.linked)}
                >
                  <Button type="link" size="small" data-testid={`account-${a.linked ? 'unlink' : 'link'}-${a.externalId}`}>
                    {a.linked ? t('account.unlink') : t('account.link')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const banks: Bank[] = accounts.flatMap((a) => a.bankAccounts.map((b) => ({ ...b, account: a.externalId, accountId: a.id })));
  const bankColumns: TableColumnsType<Bank> = [
    { title: t('bank.account'), dataIndex: 'account', width: 120 },
    { title: t('bank.bankName'), dataIndex: 'bankName', width: 180, ellipsis: true },
    {
      title: t('bank.accountNumber'),
      dataIndex: 'accountNumber',
      width: 230,
      render: (v: string) => <span style={nums}>{groupDigits(v)}</span>,
    },
    { title: t('bank.holderName'), dataIndex: 'holderName', width: 120 },
    ...periodColumns<Bank>(t, 'period.current'),
    ...(can.counter
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, b: Bank) =>
              b.endsAt === null && (
                <Popconfirm
                  title={t('bank.unbindConfirm', { number: b.accountNumber })}
                  okText={t('common.ok')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => unbind(b)}
                >
                  <Button type="link" size="small" danger data-testid={`bank-unbind-${b.id}`}>
                    {t('bank.unbind')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  const devices: Device[] = accounts.flatMap((a) => a.devices.map((d) => ({ ...d, account: a.externalId })));
  const deviceColumns: TableColumnsType<Device> = [
    { title: t('bank.account'), dataIndex: 'account', width: 120 },
    { title: t('device.kind'), dataIndex: 'kind', width: 80, render: (k: 'ip' | 'mac') => <Tag>{k.toUpperCase()}</Tag> },
    { title: t('device.address'), dataIndex: 'address', width: 220, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    ...periodColumns<Device>(t, 'period.inUse'),
    { title: t('device.source'), dataIndex: 'source', render: (s: string) => sourceText(s) },
  ];
  function sourceText(s: string): string {
    if (s.startsWith('rebind:')) return t('device.source.rebind', { id: s.slice(7) });
    if (s.startsWith('event:')) return t('device.source.event', { id: s.slice(6) });
    if (s === 'counter') return t('device.source.counter');
    return s;
  }

  const movementColumns: TableColumnsType<Movement> = [
    { title: t('movement.time'), dataIndex: 'requestedAt', width: 170, render: (ms: number) => <span style={nums}>{formatTime(ms)}</span> },
    { title: t('movement.type'), dataIndex: 'type', width: 90, render: (k: Movement['type']) => t(`movement.type.${k}`) },
    { title: t('transfer.wallet'), dataIndex: 'walletKind', width: 100, render: (w: Movement['walletKind']) => walletLabel(w, t) },
    { title: t('transfer.from'), dataIndex: 'fromAccount', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('transfer.to'), dataIndex: 'toAccount', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('transfer.coins'), dataIndex: 'amount', width: 110, align: 'right', render: (v: string) => <Coins value={v} /> },
    {
      title: t('movement.status'),
      dataIndex: 'status',
      width: 110,
      render: (s: Movement['status']) => <MovementStatusTag status={s} t={t} />,
    },
    {
      title: t('movement.reason'),
      key: 'reason',
      ellipsis: { showTitle: false },
      render: (_: unknown, m: Movement) => <ReasonCell text={whyText(m, t)} />,
    },
    ...(can.approver
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, m: Movement) => <MovementActions movement={m} />,
          },
        ]
      : []),
  ];

  const rebindColumns: TableColumnsType<Rebind> = [
    {
      title: t('rebind.requestedAt'),
      dataIndex: 'requestedAt',
      width: 170,
      render: (ms: number) => <span style={nums}>{formatTime(ms)}</span>,
    },
    { title: t('bank.account'), dataIndex: 'accountExternalId', width: 110 },
    { title: t('device.kind'), dataIndex: 'kind', width: 70, render: (k: 'ip' | 'mac') => <Tag>{k.toUpperCase()}</Tag> },
    { title: t('rebind.newAddress'), dataIndex: 'address', width: 190, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('rebind.reason'), dataIndex: 'reason', ellipsis: { showTitle: false }, render: (r: string) => <ReasonCell text={r} /> },
    { title: t('rebind.requestedBy'), dataIndex: 'requestedByName', width: 100 },
    { title: t('rebind.status'), dataIndex: 'status', width: 90, render: (s: Rebind['status']) => <RebindStatusTag status={s} /> },
    { title: t('common.actions'), key: 'actions', width: 150, render: (_, r) => <RebindActions request={r} /> },
  ];

  const blocked = page.logins.filter((l) => l.outcome === 'blocked').length;
  const flagged = page.logins.filter((l) => l.outcome === 'flagged').length;
  const pendingRebinds = page.rebinds.filter((r) => r.status === 'pending').length;
  const held = page.movements.filter((m) => m.status === 'awaiting_approval').length;
  const count = (n: number, color?: string) => (n ? <Badge count={n} color={color} size="small" offset={[4, -2]} /> : null);
  /** A tab's name with the counts that want attention (test id `ctab-<key>`). */
  const tabLabel = (key: 'logins' | 'banks' | 'devices' | 'movements' | 'rebinds' | 'invoicing', counts: ReactNode = null) => (
    <span data-testid={`ctab-${key}`}>
      {t(`customer.tab.${key}`)}
      {counts}
    </span>
  );

  return (
    <Flex vertical gap={12} data-testid="customer-page">
      <Breadcrumb
        items={[
          {
            title: (
              <a onClick={onBack} data-testid="customer-back">
                {t('customer.list')}
              </a>
            ),
          },
          { title: c.name },
        ]}
      />
      <Card
        size="small"
        title={
          <Space>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="customer-name">
              {c.name}
            </Typography.Title>
            <Tag>{t(`customer.kind.${c.kind}`)}</Tag>
            {blocked > 0 && <Tag color="red">{t('customer.blockedLogins', { n: blocked })}</Tag>}
            {flagged > 0 && <Tag color="orange">{t('customer.flaggedLogins', { n: flagged })}</Tag>}
          </Space>
        }
        extra={
          can.counter && (
            <Space>
              <Button icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'open' })} data-testid="account-open">
                {t('account.open')}
              </Button>
              <Button
                type="primary"
                icon={<SwapOutlined />}
                onClick={() => setDialog({ kind: 'transfer' })}
                data-testid="transfer-open"
                disabled={accounts.length < 2}
              >
                {t('transfer.title')}
              </Button>
            </Space>
          )
        }
      >
        <Descriptions
          size="small"
          column={4}
          data-testid="customer-facts"
          items={[
            { key: 'ext', label: t('customer.externalId'), children: c.externalId ?? '—' },
            { key: 'phone', label: t('customer.phone'), children: c.phone ?? '—' },
            { key: 'email', label: t('customer.email'), children: c.email ?? '—' },
            { key: 'created', label: t('customer.createdAt'), children: formatTime(c.createdAt) },
            { key: 'real', label: t('customer.realName'), children: c.realName ?? '—' },
            { key: 'idn', label: t('customer.idNumber'), children: c.idNumber ?? '—' },
            { key: 'accounts', label: t('customer.accounts'), children: accounts.length },
            { key: 'notes', label: t('customer.notes'), children: c.notes || '—' },
          ]}
        />
      </Card>
      <CardTable<Account>
        title={t('customer.accountsTitle')}
        testId="account-table"
        bordered
        columns={accountColumns}
        dataSource={accounts}
        scroll={{ x: 'max-content' }}
        empty={t('customer.noAccounts')}
      />
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'logins',
              label: tabLabel(
                'logins',
                <>
                  {count(blocked, 'red')}
                  {count(flagged, 'orange')}
                </>,
              ),
              children: <LoginTimeline logins={page.logins} />,
            },
            {
              key: 'banks',
              label: tabLabel('banks'),
              children: <SmallTable<Bank> testId="bank-table" bordered columns={bankColumns} dataSource={banks} />,
            },
            {
              key: 'devices',
              label: tabLabel('devices'),
              children: <SmallTable<Device> testId="device-table" bordered columns={deviceColumns} dataSource={devices} />,
            },
            {
              key: 'movements',
              label: tabLabel('movements', count(held, 'gold')),
              children: (
                <SmallTable<Movement>
                  testId="movement-table"
                  bordered
                  columns={movementColumns}
                  dataSource={page.movements}
                  pageSize={20}
                />
              ),
            },
            {
              key: 'rebinds',
              label: tabLabel('rebinds', count(pendingRebinds, 'gold')),
              children: <SmallTable<Rebind> testId="rebind-table" bordered columns={rebindColumns} dataSource={page.rebinds} />,
            },
            {
              key: 'invoicing',
              label: tabLabel('invoicing'),
              children: <CustomerInvoicing customerId={c.id} />,
            },
          ]}
        />
      </Card>
      <OpenAccountModal open={dialog?.kind === 'open'} customerId={c.id} onClose={closeDialog} />
      <BindBankModal open={dialog?.kind === 'bank'} account={dialog?.kind === 'bank' ? dialog.account : null} onClose={closeDialog} />
      <RebindRequestModal
        open={dialog?.kind === 'rebind'}
        account={dialog?.kind === 'rebind' ? dialog.account : null}
        onClose={closeDialog}
      />
      <TransferModal
        open={dialog?.kind === 'transfer'}
        accounts={accounts}
        {...(dialog?.kind === 'transfer' && dialog.from ? { from: dialog.from } : {})}
        onClose={closeDialog}
      />
    </Flex>
  );
}

/** Logins newest first; blocked in red, flagged in orange, each with its address and the reason. */
function LoginTimeline({ logins }: { logins: Login[] }) {
  const t = useT();
  if (!logins.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('login.none')} />;
  const color = { ok: 'green', flagged: 'orange', blocked: 'red' } as const;
  return (
    <div style={{ maxHeight: 420, overflow: 'auto', paddingTop: 8 }}>
      <Timeline
        data-testid="login-timeline"
        items={logins.map((l) => ({
          key: l.id,
          color: color[l.outcome],
          content: (
            <Space size={8} wrap data-testid={`login-${l.id}`} data-outcome={l.outcome}>
              <span style={nums}>{formatTime(l.at)}</span>
              <OutcomeTag outcome={l.outcome} t={t} />
              <Typography.Text strong>{l.accountExternalId}</Typography.Text>
              {l.ip && <Typography.Text code>IP {l.ip}</Typography.Text>}
              {l.mac && <Typography.Text code>MAC {l.mac}</Typography.Text>}
              <Typography.Text type="secondary">{t(`device.policy.${l.policy}`)}</Typography.Text>
              {l.reason && <Typography.Text type={l.outcome === 'blocked' ? 'danger' : 'warning'}>{whyText(l, t)}</Typography.Text>}
            </Space>
          ),
        }))}
      />
    </div>
  );
}
