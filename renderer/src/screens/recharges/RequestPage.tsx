// One recharge request: what the customer said (account, payer bank account, amount, reference
// code), where it stands, its allocations (which bank line, how much, which rule or which staff user
// matched it, who ran the matcher, and undone ones with their reason), the bank lines that are its
// evidence, and the matcher's suggestions. Actions follow the role: counter staff match, unmatch
// (with a reason) and propose a write-off; an approver decides a write-off (not their own) and
// rejects a request, naming the version they saw.
import { Alert, App as AntApp, Button, Flex, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { CardTable } from '../../components/CardTable';
import { type MethodName } from '../../api/coffer';
import { useRead, useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { formatTime } from '../../format/dates';
import { ApproveReject } from '../../components/ApproveReject';
import { moneyColumn } from '../../components/columns';
import { DetailHeader } from '../../components/DetailHeader';
import { lookup, useT } from '../../i18n';
import { ReasonModal, WriteOffModal } from '../reconciliation/dialogs';
import { MatchModal, type MatchTarget } from '../reconciliation/MatchModal';
import {
  AccountNo,
  Counterparty,
  LineStatusTag,
  Memo,
  RequestStatusTag,
  Yuan,
  fenText,
  memoColumn,
  outstanding,
  remaining,
  requestNo,
  ruleName,
  type AllocationRow,
  type LineRow,
  type RequestRow,
  type RequestSuggestion,
} from '../reconciliation/shared';
import { Person, useStaffNames } from '../../components/Person';
import { Facts } from '../../components/Facts';
import { CellTag } from '../../components/CellTag';

const OPEN = ['submitted', 'partly_paid'];
/** What a decision on this page changes: the request, the lists and queues it stands in, the bank lines. */
const REQUEST_CHANGES: MethodName[] = [
  'requests.get',
  'requests.list',
  'reconcile.queue',
  'approvals.queue',
  'unallocated.ageing',
  'statements.lines',
];
const ALLOC_COLOR = { active: 'green', proposed: 'gold', undone: 'default', rejected: 'red' } as const;

export function RequestPage({ id, onBack }: { id: number; onBack(): void }) {
  const t = useT();
  const names = useStaffNames();
  const { message } = AntApp.useApp();
  const { counter, approver, username } = useCan();
  const [matching, setMatching] = useState<MatchTarget | null>(null);
  const [unmatching, setUnmatching] = useState<AllocationRow | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [writeOff, setWriteOff] = useState<RequestRow | null>(null);

  const read = useRead('requests.get', { id });
  const data = read.data;
  const load = read.refetch;
  const decideWrite = useWrite('reconcile.decideWriteOff', REQUEST_CHANGES);
  const matchWrite = useWrite('reconcile.match', REQUEST_CHANGES);
  const unmatchWrite = useWrite('reconcile.unmatch', REQUEST_CHANGES);
  const rejectWrite = useWrite('requests.reject', REQUEST_CHANGES);

  if (!data) return null;
  const r = data.request;
  const open = OPEN.includes(r.status);
  const pendingWriteOff = data.allocations.some((a) => a.kind === 'writeoff' && a.status === 'proposed');

  const decide = async (a: AllocationRow, approve: boolean) => {
    if ((await decideWrite.run({ allocationId: a.id, approve })) === undefined) return;
    void message.success(approve ? t('writeoff.approved') : t('writeoff.rejected'));
  };
  const confirmSuggestion = async (s: RequestSuggestion) => {
    const m = await matchWrite.run({
      lineId: s.lineId,
      requestId: r.id,
      amount: String(Math.min(remaining(s), outstanding(r))),
    });
    if (!m) return;
    if (m.proposalId) void message.info(t('queue.proposed', { ref: r.requestId, amount: fenText(Math.min(remaining(s), outstanding(r))) }));
    else void message.success(t('match.done'));
  };

  const allocationColumns: TableColumnsType<AllocationRow> = [
    { title: '#', dataIndex: 'id', width: 55, align: 'right' },
    {
      title: t('alloc.kind'),
      dataIndex: 'kind',
      width: 100,
      render: (k: string, a) =>
        k === 'bank' ? (
          t('alloc.kind.bank', { line: a.bankLineId ?? '' })
        ) : (
          <span data-testid={`writeoff-kind-of-${a.id}`}>
            {t('alloc.kind.writeoff')}
            {a.writeoffKind && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {t(`writeoff.kindShort.${a.writeoffKind}`)}
              </Typography.Text>
            )}
          </span>
        ),
    },
    { title: t('alloc.amount'), dataIndex: 'amount', width: 130, align: 'right', render: (v: number) => <Yuan fen={v} strong /> },
    {
      title: t('alloc.by'),
      key: 'by',
      width: 260,
      render: (_, a) =>
        a.kind === 'writeoff' ? (
          t('alloc.proposedBy', { user: names.name(a.matchedBy) })
        ) : a.rule ? (
          <Flex vertical>
            <span>{t('alloc.byRule', { rule: ruleName(a.rule, t) })}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('alloc.runBy', { user: names.name(a.runBy) })}
            </Typography.Text>
          </Flex>
        ) : (
          t('alloc.byHand', { user: names.name(a.matchedBy ?? a.runBy) })
        ),
    },
    { title: t('alloc.at'), dataIndex: 'createdAt', width: 160, render: (ms: number) => formatTime(ms) },
    {
      title: t('alloc.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: AllocationRow['status']) => <CellTag color={ALLOC_COLOR[s]}>{t(`alloc.status.${s}`)}</CellTag>,
    },
    {
      title: t('alloc.note'),
      key: 'note',
      render: (_, a) =>
        a.status === 'undone' ? (
          <span>{t('alloc.undone', { reason: a.undoReason ?? '' })}</span>
        ) : a.decidedBy ? (
          <span>
            {t('alloc.decidedBy', { user: names.name(a.decidedBy) })}
            {a.reason ? ` · ${a.reason}` : ''}
          </span>
        ) : (
          <Memo text={a.reason} />
        ),
    },
    {
      title: t('common.actions'),
      key: 'act',
      width: 170,
      // the table scrolls sideways below 1440; its actions stay in view
      fixed: 'right',
      render: (_, a) => {
        if (a.status === 'active' && counter)
          return (
            <Button size="small" danger onClick={() => setUnmatching(a)} data-testid={`unmatch-${a.id}`}>
              {t('alloc.unmatch')}
            </Button>
          );
        if (a.status === 'proposed' && approver)
          return (
            <ApproveReject
              own={a.matchedBy === username}
              ownText={t('writeoff.ownProposal')}
              onApprove={() => void decide(a, true)}
              onReject={() => void decide(a, false)}
              words={[t('writeoff.approve'), t('writeoff.reject')]}
              testIds={[`writeoff-approve-${a.id}`, `writeoff-reject-${a.id}`]}
            />
          );
        return null;
      },
    },
  ];

  const lineColumns: TableColumnsType<LineRow> = [
    { title: t('line.booked'), key: 'b', width: 150, render: (_, l) => `${l.booked}${l.time ? ` ${l.time}` : ''}` },
    moneyColumn('amount', t('line.amount'), 130),
    {
      title: t('request.toThis'),
      key: 'mine',
      width: 140,
      align: 'right',
      render: (_, l) => {
        const mine = data.allocations
          .filter((a) => a.bankLineId === l.id && a.status === 'active')
          .reduce((sum, a) => sum + Number(a.amount), 0);
        return mine ? <Yuan fen={mine} strong /> : <CellTag data-testid="evidence-undone">{t('request.evidenceUndone')}</CellTag>;
      },
    },
    { title: t('line.status'), key: 's', width: 90, render: (_, l) => <LineStatusTag line={l} /> },
    {
      title: t('line.counterparty'),
      key: 'cp',
      width: 240,
      render: (_, l) => <Counterparty line={l} />,
    },
    memoColumn(t),
    { title: t('line.bankRef'), dataIndex: 'bankRef', width: 170 },
    {
      title: t('line.statement'),
      dataIndex: 'statementId',
      width: 90,
      fixed: 'right',
      render: (s: number) => <Typography.Link href={`#/reconciliation/s/${s}`}>#{s}</Typography.Link>,
    },
  ];

  const suggestionColumns: TableColumnsType<RequestSuggestion> = [
    ...(lineColumns.slice(0, 1) as TableColumnsType<RequestSuggestion>),
    { title: t('queue.lineLeft'), key: 'left', width: 130, align: 'right', render: (_, s) => <Yuan fen={remaining(s)} strong /> },
    ...(lineColumns.slice(4, 6) as TableColumnsType<RequestSuggestion>),
    { title: t('queue.rule'), dataIndex: 'rule', width: 180, render: (x: string | null) => ruleName(x, t) },
    {
      title: t('queue.score'),
      key: 'score',
      width: 100,
      render: (_, s) => (
        <Space size={4}>
          {s.score}
          {s.kind === 'ambiguous' && <Tag color="orange">{t('queue.tab.ambiguous')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'act',
      width: 90,
      render: (_, s) => (
        <Button size="small" type="primary" ghost disabled={!counter || !open} onClick={() => void confirmSuggestion(s)}>
          {t('queue.confirm')}
        </Button>
      ),
    },
  ];

  return (
    <Flex vertical gap={12} data-testid="request-page">
      <DetailHeader
        onBack={onBack}
        backTestId="request-back"
        title={t('request.pageTitle', { ref: requestNo(r) })}
        wrap
        actions={
          <Space wrap>
            {counter && open && (
              <Button type="primary" onClick={() => setMatching({ kind: 'request', request: r })} data-testid="request-match">
                {t('queue.matchByHand')}
              </Button>
            )}
            {counter && r.status === 'partly_paid' && !pendingWriteOff && (
              <Button onClick={() => setWriteOff(r)} data-testid="request-writeoff">
                {t('writeoff.button')}
              </Button>
            )}
            {approver && ['submitted', 'partly_paid', 'matched', 'overpaid'].includes(r.status) && (
              <Button danger onClick={() => setRejecting(true)} data-testid="request-reject">
                {t('request.reject')}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
      >
        <RequestStatusTag status={r.status} />
        <Typography.Text type="secondary">{t('request.version', { v: r.version })}</Typography.Text>
      </DetailHeader>
      {r.reason && <Alert type="warning" showIcon title={t('request.reasonShown', { reason: r.reason })} />}
      <Facts
        column={4}
        testId="request-facts"
        items={[
          {
            key: 'c',
            label: t('request.customer'),
            children: <Typography.Link href={`#/customers/c/${r.customerId}`}>{r.customerName}</Typography.Link>,
          },
          { key: 'a', label: t('request.account'), children: r.account },
          { key: 'p', label: t('request.payerAccount'), children: <AccountNo value={r.payerAccount} /> },
          { key: 'pn', label: t('request.payerName'), children: r.payerName ?? '—' },
          { key: 'amt', label: t('request.amount'), children: <Yuan fen={r.amount} strong /> },
          { key: 'cov', label: t('request.covered'), children: <Yuan fen={r.covered} /> },
          {
            key: 'left',
            label: t('request.outstanding'),
            children: (
              <span data-testid="request-outstanding">
                <Yuan fen={outstanding(r)} strong={outstanding(r) !== 0} signed />
              </span>
            ),
          },
          { key: 'code', label: t('request.referenceCode'), children: <Typography.Text code>{r.referenceCode}</Typography.Text> },
          { key: 'ch', label: t('request.channel'), children: lookup(t, `request.channel.${r.channel}`, r.channel) },
          { key: 'at', label: t('request.requestedAt'), children: formatTime(r.requestedAt) },
          r.counterNo
            ? {
                key: 'id',
                label: t('request.source'),
                span: 2,
                children: (
                  <>
                    {t('request.source.counter')} · <Person who={r.enteredBy} />
                  </>
                ),
              }
            : {
                key: 'id',
                label: t('request.platformRef'),
                span: 2,
                children: <Typography.Text copyable>{r.requestId}</Typography.Text>,
              },
        ]}
      />
      <CardTable<AllocationRow>
        title={t('request.allocations')}
        testId="request-allocations"
        columns={allocationColumns}
        dataSource={data.allocations}
        scroll={{ x: 1200 }}
        empty={t('request.noAllocations')}
      />
      <CardTable<LineRow>
        title={t('request.evidence')}
        testId="request-evidence"
        columns={lineColumns}
        dataSource={data.evidence}
        scroll={{ x: 1200 }}
        empty={t('request.noEvidence')}
      />
      {data.suggestions.length > 0 && (
        <CardTable<RequestSuggestion>
          title={t('request.suggestions')}
          testId="request-suggestions"
          rowKey="lineId"
          columns={suggestionColumns}
          dataSource={data.suggestions}
        />
      )}
      <MatchModal target={matching} onClose={() => setMatching(null)} />
      <WriteOffModal request={writeOff} onClose={() => setWriteOff(null)} />
      <ReasonModal<AllocationRow>
        target={unmatching}
        title={t('alloc.unmatchTitle', { amount: fenText(unmatching?.amount ?? 0) })}
        note={() => t('alloc.unmatchIntro')}
        warning
        okText={t('alloc.unmatch')}
        danger
        testId="unmatch-dialog"
        onClose={() => setUnmatching(null)}
        act={async (reason, a) => {
          const u = await unmatchWrite.run({ allocationId: a.id, reason });
          if (!u) return false;
          if (u.proposalId) void message.info(t('unmatch.proposed'));
          else void message.success(t('alloc.unmatched'));
          return true;
        }}
      />
      <ReasonModal<RequestRow>
        target={rejecting ? r : null}
        title={t('request.rejectTitle', { ref: r.requestId })}
        note={(r) => t('request.rejectIntro', { v: r.version })}
        warning
        okText={t('request.reject')}
        danger
        testId="reject-dialog"
        onClose={() => setRejecting(false)}
        act={async (reason, r) => {
          if ((await rejectWrite.run({ id: r.id, reason, version: r.version })) === undefined) {
            // Refused (often a newer version): show the request as it now is.
            await load();
            return false;
          }
          return true;
        }}
        done={t('request.rejected')}
      />
    </Flex>
  );
}
