// 未分配收款: money received that no request took, aged by booking date, with what can be done with it —
// refund it (four eyes, then paid here when the bank's money-out line is matched to it), match it to a later request (the hand match), or
// after the configured age reclassify it to 224103 待查款项 (four eyes). Below: money in 待查 (refundable)
// and the refunds and reclassifications or classifications waiting for an approver.
import { Alert, App as AntApp, Button, Empty, Flex, Form, Input, Select, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import type { Data } from '../../api/coffer';
import { NO_ROWS, useInvalidate, useRead, useReads, useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { CardTable, SmallTable } from '../../components/CardTable';
import { ApproveReject } from '../../components/ApproveReject';
import { moneyColumn } from '../../components/columns';
import { lookup, useI18n, useT } from '../../i18n';
import { ReasonModal } from './dialogs';
import { MatchModal, type MatchTarget } from './MatchModal';
import { Yuan, fenText, fenToInput, nums, yuanInputToFen, type LineRow } from './shared';
import { Person } from '../../components/Person';

type Ageing = Data<'unallocated.ageing'>;
type AgeLine = Ageing['lines'][number];
type HeldLine = Ageing['investigation'][number];
type Waiting = Ageing['waiting'][number];
type RefundTarget = { line: AgeLine | HeldLine; from: 'unallocated' | 'investigation'; max: string };
/** What a refund, reclassification or match of received money changes on this tab. */
export const UNALLOCATED_READS = ['unallocated.ageing', 'refunds.list', 'refunds.candidates'] as const;

const asLineRow = (l: AgeLine): LineRow => ({
  id: l.id,
  statementId: 0,
  bankAccountId: l.bankAccountId,
  lineNo: 0,
  booked: l.booked,
  time: null,
  amount: l.amount,
  allocated: String(Number(l.amount) - Number(l.unallocated) + Number(l.waiting)),
  counterpartyName: l.counterpartyName,
  counterpartyAccount: l.counterpartyAccount,
  reference: null,
  memo: l.memo,
  bankRef: null,
});

export function UnallocatedTab() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { lang } = useI18n();
  const { counter, approver, staffId } = useCan();
  const [refund, setRefund] = useState<RefundTarget | null>(null);
  const [reclassify, setReclassify] = useState<AgeLine | null>(null);
  const [matching, setMatching] = useState<MatchTarget | null>(null);

  const data: Ageing | undefined = useRead('unallocated.ageing', {}).data;
  const invalidate = useInvalidate();
  const load = () => invalidate(...UNALLOCATED_READS);
  const decideRefund = useWrite('refunds.decide', [...UNALLOCATED_READS]);
  const decideAction = useWrite('bankLines.decideAction', [...UNALLOCATED_READS, 'moneyOut.list']);
  const proposeReclassify = useWrite('unallocated.proposeReclassify', [...UNALLOCATED_READS]);

  const decide = async (w: Waiting, approve: boolean) => {
    const done =
      w.what === 'refund' ? await decideRefund.run({ refundId: w.id, approve }) : await decideAction.run({ actionId: w.id, approve });
    if (done) void message.success(approve ? t('ageing.approved') : t('ageing.rejected'));
  };

  if (!data) return null;
  const columns: TableColumnsType<AgeLine> = [
    { title: t('ageing.booked'), dataIndex: 'booked', width: 104 },
    { title: t('ageing.bankAccount'), dataIndex: 'bankAccount', width: 150, ellipsis: true },
    {
      title: t('ageing.counterparty'),
      dataIndex: 'counterpartyName',
      ellipsis: true,
      render: (v: string | null, l) => (
        <Tooltip title={l.memo}>
          <span>{v ?? '—'}</span>
        </Tooltip>
      ),
    },
    {
      title: t('ageing.unallocated'),
      dataIndex: 'unallocated',
      width: 120,
      align: 'right',
      render: (v: string) => <Yuan fen={v} strong />,
    },
    {
      title: t('ageing.waiting'),
      dataIndex: 'waiting',
      width: 100,
      align: 'right',
      render: (v: string) => (v === '0' ? '—' : <Yuan fen={v} />),
    },
    { title: t('ageing.age'), dataIndex: 'ageDays', width: 100, align: 'right', render: (v: number) => <span style={nums}>{v}</span> },
    {
      title: t('ageing.bucket'),
      dataIndex: 'bucket',
      width: 100,
      render: (b: string) => (
        <Tag color={b === '90+' ? 'red' : b === '61-90' ? 'orange' : undefined}>{lookup(t, `ageing.bucket.${b}`, b)}</Tag>
      ),
    },
    {
      title: t('ageing.actions'),
      key: 'actions',
      width: 240,
      render: (_, l) => {
        const free = Number(l.unallocated) - Number(l.waiting);
        return (
          <Space size={4}>
            <Button
              size="small"
              disabled={!counter || free <= 0}
              onClick={() => setRefund({ line: l, from: 'unallocated', max: String(free) })}
              data-testid={`ageing-refund-${l.id}`}
            >
              {t('ageing.refund')}
            </Button>
            <Button size="small" disabled={!counter || free <= 0} onClick={() => setMatching({ kind: 'line', line: asLineRow(l) })}>
              {t('ageing.apply')}
            </Button>
            <Tooltip title={l.reclassifiable ? undefined : t('ageing.tooYoung', { days: data.reclassifyAfterDays })}>
              <Button
                size="small"
                disabled={!counter || !l.reclassifiable}
                onClick={() => setReclassify(l)}
                data-testid={`ageing-reclassify-${l.id}`}
              >
                {t('ageing.reclassify')}
              </Button>
            </Tooltip>
          </Space>
        );
      },
    },
  ];

  const waitingColumns: TableColumnsType<Waiting> = [
    {
      title: t('ageing.what'),
      key: 'what',
      width: 150,
      render: (_, w) => lookup(t, `ageing.what.${w.kind}`, w.kind),
    },
    { title: t('ageing.booked'), dataIndex: 'booked', width: 104 },
    {
      title: t('ageing.counterpartyOrSubject'),
      key: 'cp',
      ellipsis: true,
      render: (_, w) =>
        w.subjectCode ? `${w.subjectCode} ${lang === 'en' ? w.subjectNameEn : w.subjectName}` : (w.counterpartyName ?? '—'),
    },
    moneyColumn('amount', t('ageing.amount'), 120, { strong: true }),
    { title: t('ageing.proposedBy'), dataIndex: 'proposedBy', width: 100, render: (u: string | null) => <Person who={u} /> },
    { title: t('ageing.reason'), dataIndex: 'reason', ellipsis: true },
    {
      title: t('ageing.actions'),
      key: 'decide',
      width: 150,
      render: (_, w) => (
        <ApproveReject
          own={w.proposedById === staffId}
          ownText={t('ageing.ownProposal')}
          disabled={!approver}
          onApprove={() => void decide(w, true)}
          onReject={() => void decide(w, false)}
          words={[t('ageing.approve'), t('ageing.reject')]}
          testIds={[`waiting-approve-${w.what}-${w.id}`, `waiting-reject-${w.what}-${w.id}`]}
        />
      ),
    },
  ];

  return (
    <Flex vertical gap={12} data-testid="ageing-tab">
      <Alert type="info" showIcon title={t('ageing.intro', { days: data.reclassifyAfterDays })} />
      <Flex gap={24} wrap data-testid="ageing-buckets">
        {data.buckets.map((b) => (
          <Statistic
            key={b.bucket}
            title={`${lookup(t, `ageing.bucket.${b.bucket}`, b.bucket)} · ${t('ageing.lines', { n: b.lines })}`}
            value={fenText(b.amount)}
          />
        ))}
        <Statistic title={t('ageing.total')} value={fenText(data.total)} />
      </Flex>
      <SmallTable<AgeLine>
        testId="ageing-lines"
        columns={columns}
        dataSource={data.lines}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <Empty description={t('ageing.empty')} /> }}
      />
      {data.waiting.length > 0 && (
        <CardTable<Waiting>
          title={t('ageing.waitingTitle')}
          testId="ageing-waiting"
          rowKey={(w) => `${w.what}-${w.id}`}
          columns={waitingColumns}
          dataSource={data.waiting}
        />
      )}
      <PayableLineRefunds />
      {data.investigation.length > 0 && (
        <CardTable<HeldLine>
          title={t('ageing.investigation')}
          testId="ageing-investigation"
          dataSource={data.investigation}
          columns={[
            { title: t('ageing.booked'), dataIndex: 'booked', width: 104 },
            { title: t('ageing.bankAccount'), dataIndex: 'bankAccount', width: 150, ellipsis: true },
            { title: t('ageing.counterparty'), dataIndex: 'counterpartyName', ellipsis: true, render: (v: string | null) => v ?? '—' },
            moneyColumn('held', t('ageing.held'), 120, { strong: true }),
            { title: t('ageing.age'), dataIndex: 'ageDays', width: 100, align: 'right' },
            {
              title: t('ageing.actions'),
              key: 'a',
              width: 100,
              render: (_, l) => (
                <Button size="small" disabled={!counter} onClick={() => setRefund({ line: l, from: 'investigation', max: l.held })}>
                  {t('ageing.refund')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <RefundModal target={refund} onClose={() => setRefund(null)} />
      <ReasonModal<AgeLine>
        target={reclassify}
        title={t('ageing.reclassifyTitle')}
        okText={t('ageing.reclassify')}
        testId="reclassify-dialog"
        note={(l) => t('ageing.reclassifyIntro', { amount: fenText(Number(l.unallocated) - Number(l.waiting)) })}
        act={async (reason, l) => (await proposeReclassify.run({ lineId: l.id, reason })) !== undefined}
        done={t('ageing.reclassifyProposed')}
        onClose={() => setReclassify(null)}
      />
      <MatchModal
        target={matching}
        onClose={(changed) => {
          setMatching(null);
          if (changed) void load();
        }}
      />
    </Flex>
  );
}

function RefundModal({ target, onClose }: { target: RefundTarget | null; onClose(): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const proposeRefund = useWrite('unallocated.proposeRefund', [...UNALLOCATED_READS]);
  const [amount, setAmount] = useState('');
  useEffect(() => {
    if (target) setAmount(fenToInput(target.max));
  }, [target]);
  return (
    <ReasonModal<RefundTarget>
      target={target}
      title={t(target?.from === 'investigation' ? 'ageing.refundInvestigationTitle' : 'ageing.refundTitle')}
      okText={t('ageing.refund')}
      testId="line-refund-dialog"
      note={() => t('ageing.refundIntro')}
      field={(target) => (
        <Form.Item label={t('ageing.refundAmount')} extra={`≤ ${fenText(target.max)}`}>
          <Input value={amount} onChange={(e) => setAmount(e.target.value)} style={{ width: 200 }} data-testid="line-refund-amount" />
        </Form.Item>
      )}
      act={async (reason, target) => {
        const fen = yuanInputToFen(amount);
        if (fen === null || fen === '0') {
          void message.warning(t('ageing.amountInvalid'));
          return false;
        }
        return (await proposeRefund.run({ lineId: target.line.id, amount: fen, from: target.from, reason })) !== undefined;
      }}
      done={t('ageing.refundProposed')}
      onClose={onClose}
    />
  );
}

type LineRefund = Data<'refunds.list'>[number];
type Candidate = Data<'refunds.candidates'>[number];

/** Approved refunds of bank lines' money, payable until the bank's money-out line is matched to each. */
function PayableLineRefunds() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { counter } = useCan();
  const refunds: LineRefund[] = useRead('refunds.list', { status: 'payable', fromLines: true }).data ?? NO_ROWS;
  const found = useReads(
    'refunds.candidates',
    refunds.map((r) => ({ refundId: r.id })),
  );
  const candidates: Record<number, Candidate[]> = Object.fromEntries(refunds.map((r, i) => [r.id, found[i]?.data ?? NO_ROWS]));
  const [picked, setPicked] = useState<Record<number, number | undefined>>({});
  const matchRefund = useWrite('refunds.match', [...UNALLOCATED_READS, 'moneyOut.list']);

  const match = async (refundId: number) => {
    const lineId = picked[refundId];
    if (lineId === undefined) return;
    if (await matchRefund.run({ refundId, lineId })) void message.success(t('refund.matched'));
  };

  if (!refunds.length) return null;
  return (
    <CardTable<LineRefund>
      title={t('ageing.payableTitle')}
      testId="ageing-payable"
      dataSource={refunds}
      columns={[
        { title: t('ageing.what'), dataIndex: 'source', width: 150, render: (s: string) => lookup(t, `ageing.what.${s}`, s) },
        {
          title: t('ageing.counterparty'),
          dataIndex: 'customerName',
          width: 160,
          ellipsis: true,
          render: (v: string | null) => v ?? '—',
        },
        moneyColumn('amount', t('ageing.amount'), 120, { strong: true }),
        {
          title: t('refund.pickLine'),
          key: 'line',
          render: (_, r) =>
            (candidates[r.id] ?? []).length === 0 ? (
              <Typography.Text type="secondary">{t('refund.noLines')}</Typography.Text>
            ) : (
              <Space size={4}>
                <Select<number>
                  style={{ width: 300 }}
                  size="small"
                  value={picked[r.id]}
                  onChange={(v) => setPicked((p) => ({ ...p, [r.id]: v }))}
                  options={(candidates[r.id] ?? []).map((c) => ({
                    value: c.id,
                    label: `${c.booked} · ${fenText(c.amount)} · ${c.counterpartyName ?? ''} ${c.memo ?? ''}`.trim(),
                  }))}
                  data-testid={`payable-line-${r.id}`}
                />
                <Button
                  size="small"
                  type="primary"
                  disabled={!counter || picked[r.id] === undefined}
                  onClick={() => void match(r.id)}
                  data-testid={`payable-match-${r.id}`}
                >
                  {t('refund.match')}
                </Button>
              </Space>
            ),
        },
      ]}
    />
  );
}
