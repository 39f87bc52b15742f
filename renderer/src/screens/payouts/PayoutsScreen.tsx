// 收益提现: creators' payout requests (from the platform's events or entered at the counter) with their
// status, totals and filters; an approver who did not enter one approves (tax withheld, net payable) or
// rejects it (coins back in the wallet); an approved one is paid by matching the bank's money-out line.
// 扣缴申报: the month's withholding per person, exported by an auditor or admin (ID numbers whole). ID
// numbers arrive masked from the main process for clerks and approvers; the screen never unmasks.
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
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type CSSProperties } from 'react';
import { type Data, type MethodName } from '../../api/coffer';
import { NO_ROWS, useRead, useWrite } from '../../api/queries';
import { showError } from '../../app/errors';
import { useQuietRead } from '../../hooks/useQuietRead';
import { useJobs } from '../../app/jobs';
import { useCan, useSession } from '../../app/session';
import { ApproveReject } from '../../components/ApproveReject';
import { moneyColumn } from '../../components/columns';
import { SmallTable } from '../../components/CardTable';
import { lookup, useT, type MessageKey } from '../../i18n';
import { refusalText } from '../../i18n/refusal-text';
import { Yuan, fenText } from '../reconciliation/shared';
import { yuanPerCoin } from '../settings/setting-values';

type List = Data<'payouts.list'>;
type Payout = List['rows'][number];
type Report = Data<'withholding.report'>;
type ReportRow = Report['rows'][number];
type Line = Data<'payouts.candidates'>[number];

const STATUSES = ['requested', 'approved', 'paid', 'rejected', 'refused'] as const;
type Status = (typeof STATUSES)[number];
const STATUS_COLOR: Record<Status, string> = { requested: 'gold', approved: 'blue', paid: 'green', rejected: 'default', refused: 'red' };
const ID_TYPES = [
  'resident_id',
  'cn_passport',
  'hk_macao_permit',
  'taiwan_permit',
  'foreign_passport',
  'foreign_permanent_residence',
  'hk_macao_residence',
  'taiwan_residence',
] as const;

const coinsText = (n: string | number) => Number(n).toLocaleString('en-US');

/** What payouts change: their list, a payout's candidate lines and the month's withholding report. */
const PAYOUT_READS: MethodName[] = ['payouts.list', 'payouts.candidates', 'withholding.report'];

/** The value of earnings coins in force (null when the settings cannot be read: the form then shows no yuan). */
/** A text field of the entry form that may not be left blank (antd's own required message). */
function RequiredText({
  name,
  label,
  max,
  testId,
  style,
}: {
  name: string;
  label: string;
  max: number;
  testId: string;
  style?: CSSProperties;
}) {
  return (
    <Form.Item name={name} label={label} rules={[{ required: true, whitespace: true }]} style={style}>
      <Input maxLength={max} data-testid={testId} />
    </Form.Item>
  );
}

function useCoinValue() {
  const s = useQuietRead('settings.list').data;
  return (s?.inForce.find((x) => x.key === 'earnings.coinValue')?.value as { fen: number; perCoins: number } | undefined) ?? null;
}

function PayoutList() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { counter, approver, staffId } = useCan();
  const coinValue = useCoinValue();
  const [status, setStatus] = useState<Status | 'all'>('requested');
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [text, setText] = useState('');
  const [entry, setEntry] = useState(false);
  const [reject, setReject] = useState<Payout | null>(null);
  const [note, setNote] = useState('');
  const [pay, setPay] = useState<Payout | null>(null);
  const [form] = Form.useForm();

  const data: List | null =
    useRead(
      'payouts.list',
      {
        ...(status === 'all' ? {} : { status }),
        ...(month ? { month: month.format('YYYY-MM') } : {}),
        ...(text.trim() ? { text: text.trim() } : {}),
        limit: 200,
      },
      { keepPrevious: true },
    ).data ?? null;
  const lines: Line[] = useRead('payouts.candidates', { payoutId: pay?.id ?? 0 }, { enabled: pay !== null }).data ?? NO_ROWS;
  const decide = useWrite('payouts.decide', PAYOUT_READS);
  const match = useWrite('payouts.match', PAYOUT_READS);
  const request = useWrite('payouts.request', PAYOUT_READS);
  const busy = decide.busy || match.busy || request.busy;

  /** A write's answer said: true when it was taken (undefined is a refusal useWrite has shown). */
  const done = (out: unknown, key: MessageKey) => {
    if (out === undefined) return false;
    void message.success(t(key));
    return true;
  };

  const openPay = (p: Payout) => setPay(p);

  const columns: TableColumnsType<Payout> = [
    { title: t('payouts.date'), dataIndex: 'businessDate', width: 96 },
    {
      title: t('payouts.account'),
      dataIndex: 'account',
      width: 96,
      ellipsis: true,
      render: (v: string, p) => (
        <Tooltip title={p.sourceEvent ? t('payouts.fromPlatform') : t('payouts.enteredBy', { name: p.enteredBy ?? '' })}>{v}</Tooltip>
      ),
    },
    {
      title: t('payouts.payee'),
      key: 'payee',
      width: 160,
      render: (_, p) => (
        <Flex vertical>
          <Typography.Text>{p.payeeName}</Typography.Text>
          <Tooltip title={t(`payouts.idType.${p.idType}`)}>
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid={`payout-id-${p.id}`}>
              {p.idNumber}
            </Typography.Text>
          </Tooltip>
        </Flex>
      ),
    },
    { title: t('payouts.coins'), dataIndex: 'coins', width: 90, align: 'right', render: (v: string) => coinsText(v) },
    moneyColumn('gross', t('payouts.gross'), 100),
    {
      title: t('payouts.tax'),
      dataIndex: 'tax',
      width: 100,
      align: 'right',
      render: (v: string | null, p) =>
        v === null ? (
          '—'
        ) : p.estimated ? (
          <Tooltip title={t('payouts.estimatedHint')}>
            <Typography.Text type="secondary">
              <Yuan fen={v} /> *
            </Typography.Text>
          </Tooltip>
        ) : (
          <Yuan fen={v} />
        ),
    },
    {
      title: t('payouts.net'),
      dataIndex: 'net',
      width: 100,
      align: 'right',
      render: (v: string | null, p) =>
        v === null ? '—' : p.estimated ? <Typography.Text type="secondary">{fenText(v)}</Typography.Text> : <Yuan fen={v} strong />,
    },
    {
      title: t('payouts.status'),
      dataIndex: 'status',
      width: 88,
      render: (s: Status, p) => (
        <Tooltip title={p.why ? refusalText(t, p.why) : p.note || undefined}>
          <Tag color={STATUS_COLOR[s]} data-testid={`payout-status-${p.id}`}>
            {t(`payouts.status.${s}`)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, p) => {
        if (p.status === 'requested') {
          return (
            <ApproveReject
              own={p.enteredById !== null && p.enteredById === staffId}
              ownText={t('payouts.ownEntry')}
              disabled={!approver}
              loading={busy}
              onApprove={() =>
                Modal.confirm({
                  title: t('payouts.approveAsk'),
                  content: t('payouts.approveDetail', {
                    gross: fenText(p.gross),
                    tax: fenText(p.tax ?? '0'),
                    net: fenText(p.net ?? '0'),
                  }),
                  okText: t('payouts.approve'),
                  cancelText: t('common.cancel'),
                  onOk: async () => done(await decide.run({ id: p.id, approve: true }), 'payouts.approved'),
                })
              }
              onReject={() => {
                setNote('');
                setReject(p);
              }}
              words={[t('payouts.approve'), t('payouts.reject')]}
              testIds={[`payout-approve-${p.id}`, `payout-reject-${p.id}`]}
            />
          );
        }
        if (p.status === 'approved')
          return (
            <Button size="small" disabled={!counter} onClick={() => void openPay(p)} data-testid={`payout-pay-${p.id}`}>
              {t('payouts.matchLine')}
            </Button>
          );
        if (p.status === 'paid')
          return <Typography.Text type="secondary">{t('payouts.paidOn', { date: p.lineBooked ?? '' })}</Typography.Text>;
        return null;
      },
    },
  ];

  const totals = data?.totals;
  const entered = async (v: Record<string, string | number>) => {
    const r = await request.run({
      account: String(v.account),
      payeeName: String(v.payeeName),
      idType: v.idType as (typeof ID_TYPES)[number],
      idNumber: String(v.idNumber),
      bankName: String(v.bankName),
      accountNumber: String(v.accountNumber),
      coins: Number(v.coins),
    });
    // Recorded but refused by the rules: said as a refusal, the form stays.
    if (r?.status === 'refused' && r.why) return showError(message, new Error(refusalText(t, r.why)), t);
    if (done(r, 'payouts.entered')) {
      setEntry(false);
      form.resetFields();
    }
  };
  const coins = Form.useWatch('coins', form) as number | undefined;

  return (
    <Flex vertical gap={12} data-testid="payouts-list">
      <Flex gap={12} wrap align="center" justify="space-between">
        <Space wrap>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as Status | 'all')}
            options={[...STATUSES.map((s) => ({ value: s, label: t(`payouts.status.${s}`) })), { value: 'all', label: t('payouts.all') }]}
            data-testid="payouts-status"
          />
          <DatePicker picker="month" value={month} onChange={setMonth} placeholder={t('payouts.month')} allowClear />
          <Input.Search allowClear placeholder={t('payouts.search')} onSearch={setText} style={{ width: 220 }} />
        </Space>
        <Space>
          {coinValue && (
            <Typography.Text type="secondary" data-testid="coin-value">
              {t('payouts.coinValue', { yuan: yuanPerCoin(coinValue) })}
            </Typography.Text>
          )}
          <Button type="primary" disabled={!counter} onClick={() => setEntry(true)} data-testid="payout-new">
            {t('payouts.new')}
          </Button>
        </Space>
      </Flex>
      {totals && (
        <Flex gap={20} wrap data-testid="payout-totals" style={{ padding: '8px 12px', background: '#fafafa', borderRadius: 6 }}>
          {(
            [
              ['payouts.count', String(totals.count)],
              ['payouts.coins', coinsText(totals.coins)],
              ['payouts.gross', fenText(totals.gross)],
              ['payouts.taxWithheld', fenText(totals.tax)],
              ['payouts.netApproved', fenText(totals.net)],
              ['payouts.unpaid', fenText(totals.unpaid)],
            ] as [MessageKey, string][]
          ).map(([label, value]) => (
            <Space key={label} size={6}>
              <Typography.Text type="secondary">{t(label)}</Typography.Text>
              <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>
                {value}
              </Typography.Text>
            </Space>
          ))}
        </Flex>
      )}
      <SmallTable<Payout> testId="payouts-table" columns={columns} dataSource={data?.rows ?? []} pageSize={50} scroll={{ x: 960 }} />

      <Modal
        open={entry}
        title={t('payouts.new')}
        onCancel={() => setEntry(false)}
        onOk={() => form.submit()}
        okText={t('payouts.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        width={560}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('payouts.entryIntro')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void entered(v)}
          initialValues={{ idType: 'resident_id' }}
          requiredMark={false}
        >
          <Flex gap={12}>
            <RequiredText name="account" label={t('payouts.account')} max={64} testId="entry-account" style={{ flex: 1 }} />
            <Form.Item
              name="coins"
              label={t('payouts.coins')}
              rules={[{ required: true }]}
              style={{ flex: 1 }}
              extra={
                coins && coinValue
                  ? t('payouts.grossPreview', { yuan: fenText(Math.round((coins * coinValue.fen) / coinValue.perCoins)) })
                  : undefined
              }
            >
              <InputNumber<number> min={1} precision={0} style={{ width: '100%' }} data-testid="entry-coins" />
            </Form.Item>
          </Flex>
          <RequiredText name="payeeName" label={t('payouts.payee')} max={100} testId="entry-payee" />
          <Flex gap={12}>
            <Form.Item name="idType" label={t('payouts.idTypeLabel')} style={{ width: 220 }}>
              <Select options={ID_TYPES.map((k) => ({ value: k, label: t(`payouts.idType.${k}`) }))} />
            </Form.Item>
            <RequiredText name="idNumber" label={t('payouts.idNumber')} max={40} testId="entry-id" style={{ flex: 1 }} />
          </Flex>
          <Flex gap={12}>
            <RequiredText name="bankName" label={t('payouts.bankName')} max={100} testId="entry-bank" style={{ width: 220 }} />
            <RequiredText name="accountNumber" label={t('payouts.accountNumber')} max={60} testId="entry-card" style={{ flex: 1 }} />
          </Flex>
        </Form>
      </Modal>

      <Modal
        open={reject !== null}
        title={t('payouts.rejectTitle')}
        onCancel={() => setReject(null)}
        okText={t('payouts.reject')}
        okButtonProps={{ danger: true, disabled: note.trim().length < 2 }}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onOk={async () => {
          if (reject && done(await decide.run({ id: reject.id, approve: false, note: note.trim() }), 'payouts.rejected')) setReject(null);
        }}
      >
        <Typography.Paragraph type="secondary">{t('payouts.rejectIntro')}</Typography.Paragraph>
        <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={3} data-testid="reject-note" />
      </Modal>

      <Modal
        open={pay !== null}
        title={t('payouts.matchTitle', { net: fenText(pay?.net ?? '0'), payee: pay?.payeeName ?? '' })}
        onCancel={() => setPay(null)}
        footer={null}
        width={720}
      >
        {lines.length === 0 ? (
          <Alert type="info" showIcon title={t('payouts.noLines')} />
        ) : (
          <SmallTable<Line>
            dataSource={lines}
            columns={[
              { title: t('payouts.lineBooked'), dataIndex: 'booked', width: 110 },
              { title: t('payouts.counterparty'), dataIndex: 'counterpartyName', ellipsis: true, render: (v: string | null) => v ?? '—' },
              { title: t('payouts.memo'), dataIndex: 'memo', ellipsis: true, render: (v: string | null) => v ?? '—' },
              moneyColumn('amount', t('payouts.lineAmount'), 120),
              {
                title: '',
                key: 'match',
                width: 90,
                render: (_, l) => (
                  <Button
                    size="small"
                    type="primary"
                    loading={busy}
                    onClick={async () => {
                      if (pay && done(await match.run({ payoutId: pay.id, lineId: l.id }), 'payouts.matched')) setPay(null);
                    }}
                    data-testid={`match-line-${l.id}`}
                  >
                    {t('payouts.match')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Modal>
    </Flex>
  );
}

function WithholdingTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { session } = useSession();
  const jobs = useJobs();
  const exporter = session.role === 'auditor' || session.role === 'admin';
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const data: Report | null = useRead('withholding.report', { month: month.format('YYYY-MM') }, { keepPrevious: true }).data ?? null;
  const [busy, setBusy] = useState(false);

  const doExport = async () => {
    setBusy(true);
    try {
      const r = await jobs.run('withholding.export', { month: month.format('YYYY-MM') });
      void message.success(t('withholding.exported', { n: r.persons, path: r.path }));
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && (e as { code: string }).code === 'CANCELLED')) showError(message, e, t);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<ReportRow> = [
    { title: t('withholding.no'), dataIndex: 'no', width: 44 },
    { title: t('withholding.name'), dataIndex: 'name', width: 80, ellipsis: true },
    {
      title: t('withholding.idType'),
      dataIndex: 'idType',
      width: 100,
      ellipsis: true,
      render: (k: string) => lookup(t, `payouts.idType.${k}`, k),
    },
    { title: t('withholding.idNumber'), dataIndex: 'idNumber', width: 160 },
    moneyColumn('income', t('withholding.income'), 100),
    moneyColumn('deduction', t('withholding.deduction'), 88),
    moneyColumn('taxable', t('withholding.taxable'), 104),
    {
      title: t('withholding.rateQuick'),
      key: 'rate',
      width: 120,
      align: 'right',
      render: (_, r) => (Number(r.quickDeduction) ? `${r.ratePercent} % − ${fenText(r.quickDeduction)}` : `${r.ratePercent} %`),
    },
    moneyColumn('withheld', t('withholding.withheld'), 100, { strong: true }),
    { title: t('withholding.payments'), dataIndex: 'payments', width: 56, align: 'right' },
  ];

  const totals = data?.totals;
  return (
    <Flex vertical gap={12} data-testid="withholding-tab">
      <Flex gap={12} align="center" justify="space-between" wrap>
        <Space>
          <DatePicker picker="month" value={month} onChange={(m) => m && setMonth(m)} allowClear={false} data-testid="withholding-month" />
          <Typography.Text type="secondary">{t('withholding.intro')}</Typography.Text>
        </Space>
        <Tooltip title={exporter ? undefined : t('withholding.exportRoles')}>
          <Button type="primary" disabled={!exporter} loading={busy} onClick={() => void doExport()} data-testid="withholding-export">
            {t('withholding.export')}
          </Button>
        </Tooltip>
      </Flex>
      {data?.idMasked && <Alert type="info" showIcon banner title={t('withholding.masked')} />}
      <SmallTable<ReportRow>
        testId="withholding-table"
        rowKey="no"
        columns={columns}
        dataSource={data?.rows ?? []}
        scroll={{ x: 952 }}
        summary={() =>
          totals && totals.persons > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={4}>
                <Typography.Text strong>{t('withholding.total', { n: totals.persons })}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <Yuan fen={totals.income} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <Yuan fen={totals.deduction} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                <Yuan fen={totals.taxable} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} />
              <Table.Summary.Cell index={8} align="right">
                <Yuan fen={totals.withheld} strong />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={9} align="right">
                {totals.payments}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Flex>
  );
}

export default function PayoutsScreen() {
  const t = useT();
  return (
    <Card title={t('payouts.title')} data-testid="payouts-screen">
      <Tabs
        items={[
          { key: 'list', label: t('payouts.tab.list'), children: <PayoutList /> },
          { key: 'withholding', label: t('payouts.tab.withholding'), children: <WithholdingTab /> },
        ]}
      />
    </Card>
  );
}
