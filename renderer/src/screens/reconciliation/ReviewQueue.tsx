// The review queue: what the accountant looks at after auto-matching. Six tabs — suggestions to
// confirm (one by one or in bulk, with a result per item), ambiguous lines to resolve by picking a
// candidate, bank lines nobody claimed (match by hand, splitting a line over several requests), bank
// reversals (冲正) not netted (the line they undo is matched: unmatch it on the request's page; or
// none was found), requests no money was found for, requests paid short or over (write off a small
// shortfall), and matches and unmatches a four-eyes rule holds for a second person (an approver who
// did not propose them confirms or declines).
// Keyboard: j/k move, Enter acts on the current row, x selects, 1–3 pick a candidate, r reloads, ? help.
import { Alert, App as AntApp, Badge, Button, Flex, Modal, Space, Tabs, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { call } from '../../api/coffer';
import { NO_ROWS, useInvalidate, useReads, useWrite } from '../../api/queries';
import { errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { KeysHelp, RefreshButton, SelectionButton, useQueueCursor, useSelection } from '../../components/Queue';
import { TwoLines } from '../../components/TwoLines';
import { SmallTable } from '../../components/CardTable';
import { actionsColumn } from '../../components/columns';
import { useT, type TFunction } from '../../i18n';
import { WriteOffModal } from './dialogs';
import { MatchModal, type MatchTarget } from './MatchModal';
import {
  AccountNo,
  Counterparty,
  LineStatusTag,
  RequestStatusTag,
  Yuan,
  fenText,
  memoColumn,
  outstanding,
  remaining,
  ruleName,
  type LineRow,
  type ProposalRow,
  type RequestRow,
  type ReversalRow,
  type SuggestionRow,
} from './shared';
import { DeclineProposalModal } from './dialogs';
import { Person, useStaffNames } from '../../components/Person';
import { CellTag } from '../../components/CellTag';

export const QUEUE_TABS = ['suggested', 'ambiguous', 'unmatchedLines', 'reversals', 'unpaidRequests', 'mismatched', 'awaiting'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];
const LIMIT = 100;

/** One bank line with more than one candidate request: the line's side of its suggestions, and them. */
type Group = Pick<
  SuggestionRow,
  'lineId' | 'booked' | 'lineAmount' | 'lineAllocated' | 'counterpartyName' | 'counterpartyAccount' | 'memo'
> & {
  candidates: SuggestionRow[];
};

interface Data {
  suggested: SuggestionRow[];
  ambiguous: Group[];
  unmatchedLines: LineRow[];
  reversals: ReversalRow[];
  unpaidRequests: RequestRow[];
  mismatched: RequestRow[];
  awaiting: ProposalRow[];
}
const QUEUE_INPUTS = QUEUE_TABS.map((tab) => ({ tab, limit: LIMIT }));

/** What a match by hand answered: allocated now, or held for a second person by a four-eyes rule. */
export type MatchOutcome = { allocationId: number | null; proposalId: number | null };

interface BulkResult {
  id: number;
  label: string;
  amount: number;
  ok: boolean;
  message: string;
}

/** A row's action: small, spinning while that row's action runs; `primary` for the one the row waits for. */
function RowAction({
  primary,
  allowed,
  running,
  onClick,
  testId,
  children,
}: {
  primary?: boolean;
  allowed: boolean;
  running: boolean;
  onClick(): void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Button
      size="small"
      type={primary ? 'primary' : undefined}
      ghost={primary}
      disabled={!allowed}
      loading={running}
      onClick={onClick}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}

function group(rows: SuggestionRow[]): Group[] {
  const by = new Map<number, Group>();
  for (const r of rows) {
    let g = by.get(r.lineId);
    if (!g) {
      g = { ...r, candidates: [] };
      by.set(r.lineId, g);
    }
    g.candidates.push(r);
  }
  return [...by.values()];
}

export function ReviewQueue({ tab, onTab, onOpenRequest }: { tab: QueueTab; onTab(tab: QueueTab): void; onOpenRequest(id: number): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { counter, approver, staffId } = useCan();
  const [declining, setDeclining] = useState<ProposalRow | null>(null);
  const [bulk, setBulk] = useState<{ running: boolean; results: BulkResult[] } | null>(null);
  const [matching, setMatching] = useState<MatchTarget | null>(null);
  const [writeOff, setWriteOff] = useState<RequestRow | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);

  const reads = useReads('reconcile.queue', QUEUE_INPUTS);
  const loading = reads.some((r) => r.isFetching);
  const [s, a, l, rv, u, m, w] = reads.map((r) => r.data ?? NO_ROWS);
  const ambiguous = useMemo(() => group(a as SuggestionRow[]), [a]);
  const data: Data = {
    suggested: s as SuggestionRow[],
    ambiguous,
    unmatchedLines: l as LineRow[],
    reversals: rv as ReversalRow[],
    unpaidRequests: u as RequestRow[],
    mismatched: m as RequestRow[],
    awaiting: w as ProposalRow[],
  };
  const invalidate = useInvalidate();
  const load = useCallback(() => invalidate('reconcile.queue'), [invalidate]);
  const sel = useSelection(
    data.suggested,
    useCallback(() => counter, [counter]),
  );
  const { selected } = sel;

  const match = useWrite('reconcile.match', ['reconcile.queue']);
  const confirm = useWrite('reconcile.confirmProposal', ['reconcile.queue']);
  const net = useWrite('reconcile.netReversal', ['reconcile.queue']);

  /** One row's action: the row shows as busy while it runs; a refusal is shown by useWrite. */
  const rowAction = async (id: number, work: () => Promise<void>) => {
    setBusyId(id);
    try {
      await work();
    } finally {
      setBusyId(null);
    }
  };

  const confirmOne = (s: SuggestionRow) =>
    rowAction(s.id, async () => {
      const r = await match.run({ lineId: s.lineId, requestId: s.requestId, amount: String(s.amount) });
      if (!r) return;
      if (r.proposalId) void message.info(t('queue.proposed', { ref: s.requestRef, amount: fenText(s.amount) }));
      else void message.success(t('queue.confirmed', { ref: s.requestRef, amount: fenText(s.amount) }));
    });

  const confirmProposal = (p: ProposalRow) =>
    rowAction(p.id, async () => {
      if (!(await confirm.run({ proposalId: p.id }))) return;
      void message.success(
        t(p.kind === 'match' ? 'queue.proposalConfirmed' : 'queue.unmatchConfirmed', { ref: p.requestRef, amount: fenText(p.amount) }),
      );
    });

  const netReversal = (r: ReversalRow) =>
    rowAction(r.id, async () => {
      if (!(await net.run({ lineId: r.id }))) return;
      void message.success(t('queue.reversalNetted', { amount: fenText(Math.abs(Number(r.amount))) }));
    });

  const confirmSelected = async () => {
    const items = data.suggested.filter((s) => selected.includes(s.id));
    if (!items.length) return;
    const results: BulkResult[] = [];
    setBulk({ running: true, results });
    // One by one: a refusal is reported for its item and never stops the rest.
    for (const s of items) {
      const label = `${s.requestRef} · ${s.customerName}`;
      try {
        const r: MatchOutcome = await call('reconcile.match', { lineId: s.lineId, requestId: s.requestId, amount: String(s.amount) });
        results.push({ id: s.id, label, amount: s.amount, ok: true, message: r.proposalId ? t('queue.bulkProposed') : t('queue.bulkOk') });
      } catch (e) {
        results.push({ id: s.id, label, amount: s.amount, ok: false, message: errorText(e, t) });
      }
      setBulk({ running: true, results: [...results] });
    }
    setBulk({ running: false, results });
    sel.clear();
    await load();
  };

  // Keyboard shortcuts while the queue is on screen and no dialog or text box has the keys.
  const rows = data[tab];
  const { setCursor, help, setHelp, rowProps } = useQueueCursor<Data[QueueTab][number]>({
    rows,
    blocked: !!matching || !!writeOff || !!bulk,
    onKey: (key, at) => {
      if (key === 'r') void load();
      else if (key === 'x' && tab === 'suggested' && at) sel.toggle(at as SuggestionRow);
      else if (/^[1-9]$/.test(key) && tab === 'ambiguous' && at && counter) {
        const c = (at as Group).candidates[Number(key) - 1];
        if (c) void confirmOne(c);
      } else if (key === 'Enter' && at && counter) {
        if (tab === 'suggested') void confirmOne(at as SuggestionRow);
        else if (tab === 'unmatchedLines') setMatching({ kind: 'line', line: at as LineRow });
        else if (tab === 'reversals') {
          const first = (at as ReversalRow).originalRequestIds?.split(',')[0];
          if (!first) return false;
          onOpenRequest(Number(first));
        } else if (tab === 'unpaidRequests') setMatching({ kind: 'request', request: at as RequestRow });
        else if (tab === 'mismatched') onOpenRequest((at as RequestRow).id);
        else return false;
      } else return false;
      return true;
    },
  });
  useEffect(() => {
    setCursor(0);
  }, [tab, setCursor]);

  const lineCell = (l: { counterpartyName: string | null; counterpartyAccount: string | null }) => <Counterparty line={l} missing="—" />;
  /** The request a match is for, linked to its page, over its customer and reference code. */
  const requestCell = (m: { requestId: number; requestRef: string; customerName: string; referenceCode: string }) => (
    <TwoLines
      main={<Typography.Link onClick={() => onOpenRequest(m.requestId)}>{m.requestRef}</Typography.Link>}
      sub={`${m.customerName} · ${m.referenceCode}`}
    />
  );

  const suggestedColumns: TableColumnsType<SuggestionRow> = [
    { title: t('line.booked'), dataIndex: 'booked', width: 105 },
    { title: t('queue.lineAmount'), dataIndex: 'lineAmount', width: 120, align: 'right', render: (v: number) => <Yuan fen={v} /> },
    {
      title: t('queue.request'),
      key: 'req',
      width: 200,
      ellipsis: true,
      render: (_, s) => requestCell(s),
    },
    {
      title: t('queue.needs'),
      key: 'needs',
      width: 120,
      align: 'right',
      render: (_, s) => <Yuan fen={s.requestAmount - s.covered} />,
    },
    { title: t('queue.matchAmount'), dataIndex: 'amount', width: 120, align: 'right', render: (v: number) => <Yuan fen={v} strong /> },
    { title: t('queue.score'), dataIndex: 'score', width: 60, align: 'right' },
    // The bank line's details and the rule after the amounts: they may scroll inside the table at 1280.
    { title: t('line.counterparty'), key: 'cp', width: 200, render: (_, s) => lineCell(s) },
    memoColumn(t, 200),
    { title: t('queue.rule'), dataIndex: 'rule', width: 210, render: (r: string) => ruleName(r, t) },
    actionsColumn(
      t('common.actions'),
      90,
      (s) => (
        <RowAction primary allowed={counter} running={busyId === s.id} onClick={() => void confirmOne(s)} testId={`confirm-${s.id}`}>
          {t('queue.confirm')}
        </RowAction>
      ),
      { key: 'act' },
    ),
  ];

  const ambiguousColumns: TableColumnsType<Group> = [
    { title: t('line.booked'), dataIndex: 'booked', width: 105 },
    {
      title: t('queue.lineLeft'),
      key: 'left',
      width: 120,
      align: 'right',
      render: (_, g) => <Yuan fen={g.lineAmount - g.lineAllocated} strong />,
    },
    { title: t('line.counterparty'), key: 'cp', width: 200, render: (_, g) => lineCell(g) },
    memoColumn(t, 200),
    {
      title: t('queue.candidates'),
      key: 'cands',
      render: (_, g) => (
        <Flex vertical gap={4} data-testid={`candidates-${g.lineId}`}>
          {g.candidates.map((c, i) => (
            <Flex key={c.id} gap={8} align="center">
              <CellTag>{i + 1}</CellTag>
              <Typography.Link onClick={() => onOpenRequest(c.requestId)} style={{ whiteSpace: 'nowrap' }}>
                {c.requestRef}
              </Typography.Link>
              <Typography.Text ellipsis={{ tooltip: c.customerName }} style={{ maxWidth: 170 }}>
                {c.customerName}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {t('queue.needsShort', { amount: fenText(c.requestAmount - c.covered) })} · {c.referenceCode} ·{' '}
                {t('queue.scoreShort', { n: c.score })}
              </Typography.Text>
              <RowAction allowed={counter} running={busyId === c.id} onClick={() => void confirmOne(c)} testId={`pick-${c.id}`}>
                {t('queue.pick', { amount: fenText(c.amount) })}
              </RowAction>
            </Flex>
          ))}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('queue.ruleWas', { rule: ruleName(g.candidates[0]?.rule, t) })}
          </Typography.Text>
        </Flex>
      ),
    },
  ];

  const lineColumns: TableColumnsType<LineRow> = [
    { title: t('line.booked'), dataIndex: 'booked', width: 105 },
    { title: t('line.amount'), dataIndex: 'amount', width: 130, align: 'right', render: (v: number) => <Yuan fen={v} /> },
    { title: t('queue.lineLeft'), key: 'left', width: 130, align: 'right', render: (_, l) => <Yuan fen={remaining(l)} strong /> },
    { title: t('line.counterparty'), key: 'cp', width: 220, render: (_, l) => lineCell(l) },
    memoColumn(t),
    { title: t('line.bankRef'), dataIndex: 'bankRef', width: 170 },
    {
      title: t('common.actions'),
      key: 'act',
      width: 110,
      render: (_, l) => (
        <Button size="small" disabled={!counter} onClick={() => setMatching({ kind: 'line', line: l })} data-testid={`match-line-${l.id}`}>
          {t('queue.matchByHand')}
        </Button>
      ),
    },
  ];

  const reversalColumns: TableColumnsType<ReversalRow> = [
    { title: t('line.booked'), dataIndex: 'booked', width: 105 },
    { title: t('line.amount'), dataIndex: 'amount', width: 130, align: 'right', render: (v: number) => <Yuan fen={v} signed /> },
    { title: t('line.counterparty'), key: 'cp', width: 200, render: (_, l) => lineCell(l) },
    memoColumn(t, 180),
    { title: t('line.status'), key: 's', width: 120, render: (_, l) => <LineStatusTag line={l} /> },
    {
      title: t('queue.reversalOf'),
      key: 'orig',
      render: (_, r) =>
        r.originalId === null ? (
          <Typography.Text type="secondary">{t('queue.reversalNone')}</Typography.Text>
        ) : (
          <Flex vertical data-testid={`reversal-original-${r.id}`}>
            <span>
              {t('queue.reversalOriginal', {
                line: r.originalLineNo ?? '',
                booked: r.originalBooked ?? '',
                amount: fenText(r.originalAmount),
              })}
              {r.originalBankRef ? ` · ${r.originalBankRef}` : ''}
            </span>
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {t('queue.reversalMatched')}{' '}
              {(r.originalRequestIds ?? '')
                .split(',')
                .filter(Boolean)
                .map((id, i) => (
                  <Typography.Link key={id} onClick={() => onOpenRequest(Number(id))} style={{ marginInlineEnd: 6 }}>
                    {(r.originalRequests ?? '').split(', ')[i] ?? id}
                  </Typography.Link>
                ))}
            </Typography.Text>
          </Flex>
        ),
    },
    {
      title: t('common.actions'),
      key: 'act',
      width: 110,
      render: (_, r) => (
        <Tooltip title={t('queue.reversalNetHint')}>
          <RowAction allowed={counter} running={busyId === r.id} onClick={() => void netReversal(r)} testId={`net-reversal-${r.id}`}>
            {t('queue.reversalNet')}
          </RowAction>
        </Tooltip>
      ),
    },
  ];

  const names = useStaffNames();
  const mine = (p: ProposalRow) => p.proposedBy === staffId;
  const awaitingColumns: TableColumnsType<ProposalRow> = [
    {
      title: t('queue.proposal'),
      key: 'kind',
      width: 90,
      render: (_, p) => (
        <Flex vertical gap={2}>
          <CellTag color={p.kind === 'match' ? 'blue' : 'volcano'} style={{ width: 'fit-content' }}>
            {t(`queue.proposal.${p.kind}`)}
          </CellTag>
          {p.stale && (
            <Tooltip title={t('queue.staleHint')}>
              <CellTag color="red" style={{ width: 'fit-content' }} data-testid={`stale-${p.id}`}>
                {t('queue.stale')}
              </CellTag>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    { title: t('line.booked'), dataIndex: 'booked', width: 100 },
    { title: t('line.counterparty'), key: 'cp', width: 170, render: (_, p) => lineCell(p) },
    memoColumn(t, 130),
    {
      title: t('queue.request'),
      key: 'req',
      width: 160,
      render: (_, p) => requestCell(p),
    },
    { title: t('queue.matchAmount'), dataIndex: 'amount', width: 120, align: 'right', render: (v: number) => <Yuan fen={v} strong /> },
    {
      title: t('queue.fourEyesRule'),
      key: 'rule',
      width: 140,
      render: (_, p) => <TwoLines main={<span>{ruleName(p.rule, t)}</span>} sub={p.reason || null} />,
    },
    {
      title: t('queue.proposedBy'),
      key: 'by',
      width: 100,
      render: (_, p) =>
        p.origin === 'rule' ? t('queue.proposedByRules', { name: names.name(p.proposedByName) }) : <Person who={p.proposedByName} />,
    },
    actionsColumn(
      t('common.actions'),
      140,
      (p) => (
        <Space size={4}>
          <Tooltip title={!approver ? t('queue.approverOnly') : mine(p) ? t('queue.notYourOwn') : p.stale ? t('queue.staleHint') : ''}>
            <RowAction
              primary
              allowed={approver && !mine(p) && !p.stale}
              running={busyId === p.id}
              onClick={() => void confirmProposal(p)}
              testId={`confirm-proposal-${p.id}`}
            >
              {t('queue.confirm')}
            </RowAction>
          </Tooltip>
          <Button size="small" danger disabled={!approver} onClick={() => setDeclining(p)} data-testid={`decline-proposal-${p.id}`}>
            {t('queue.decline')}
          </Button>
        </Space>
      ),
      { key: 'act' },
    ),
  ];

  const requestColumns = (mismatched: boolean): TableColumnsType<RequestRow> => [
    {
      title: t('request.requestId'),
      dataIndex: 'requestId',
      width: 200,
      ellipsis: true,
      render: (v: string, r) => <Typography.Link onClick={() => onOpenRequest(r.id)}>{v}</Typography.Link>,
    },
    { title: t('request.customer'), dataIndex: 'customerName', width: 180, ellipsis: true },
    { title: t('request.payerAccount'), dataIndex: 'payerAccount', width: 200, render: (v: string | null) => <AccountNo value={v} /> },
    { title: t('request.referenceCode'), dataIndex: 'referenceCode', width: 110 },
    { title: t('request.amount'), dataIndex: 'amount', width: 130, align: 'right', render: (v: number) => <Yuan fen={v} /> },
    ...(mismatched
      ? [
          {
            title: t('request.covered'),
            dataIndex: 'covered',
            width: 130,
            align: 'right' as const,
            render: (v: number) => <Yuan fen={v} />,
          },
          {
            title: t('queue.difference'),
            key: 'diff',
            width: 120,
            align: 'right' as const,
            render: (_: unknown, r: RequestRow) => <Yuan fen={-outstanding(r)} strong signed />,
          },
        ]
      : []),
    { title: t('request.status'), dataIndex: 'status', width: 90, render: (s: string) => <RequestStatusTag status={s} /> },
    {
      title: t('common.actions'),
      key: 'act',
      width: 170,
      render: (_, r) => (
        <Space size={4}>
          {!mismatched && (
            <Button
              size="small"
              disabled={!counter}
              onClick={() => setMatching({ kind: 'request', request: r })}
              data-testid={`match-request-${r.id}`}
            >
              {t('queue.matchByHand')}
            </Button>
          )}
          {mismatched && r.status === 'partly_paid' && (
            <Button size="small" disabled={!counter} onClick={() => setWriteOff(r)} data-testid={`writeoff-${r.id}`}>
              {t('writeoff.button')}
            </Button>
          )}
          <Button size="small" type="link" onClick={() => onOpenRequest(r.id)}>
            {t('common.details')}
          </Button>
        </Space>
      ),
    },
  ];

  const label = (tb: QueueTab) => (
    <span data-testid={`queue-tab-${tb}`}>
      {t(`queue.tab.${tb}`)}{' '}
      <Badge
        count={data[tb].length >= LIMIT ? `${LIMIT}+` : data[tb].length}
        showZero
        color={data[tb].length ? (tb === 'suggested' ? '#1677ff' : tb === 'awaiting' ? '#cf1322' : '#fa8c16') : '#d9d9d9'}
        style={{ marginInlineStart: 4 }}
      />
    </span>
  );
  const table = (tb: QueueTab) => {
    const common = { loading, ...rowProps, testId: `queue-${tb}` };
    switch (tb) {
      case 'suggested':
        return (
          <SmallTable<SuggestionRow>
            {...common}
            columns={suggestedColumns}
            dataSource={data.suggested}
            scroll={{ x: 1520 }}
            rowSelection={counter ? { selectedRowKeys: selected, onChange: (keys) => sel.setSelected(keys as number[]) } : undefined}
          />
        );
      case 'ambiguous':
        return <SmallTable<Group> {...common} rowKey="lineId" columns={ambiguousColumns} dataSource={data.ambiguous} />;
      case 'awaiting':
        return <SmallTable<ProposalRow> {...common} columns={awaitingColumns} dataSource={data.awaiting} scroll={{ x: 1150 }} />;
      case 'unmatchedLines':
        return <SmallTable<LineRow> {...common} columns={lineColumns} dataSource={data.unmatchedLines} />;
      case 'reversals':
        return <SmallTable<ReversalRow> {...common} columns={reversalColumns} dataSource={data.reversals} />;
      default:
        return <SmallTable<RequestRow> {...common} columns={requestColumns(tb === 'mismatched')} dataSource={data[tb]} />;
    }
  };

  const intro = useMemo(() => introText(tab, t), [tab, t]);
  const keys: [string, string][] = [
    ['j / ↓', t('keys.next')],
    ['k / ↑', t('keys.prev')],
    ['Enter', t('keys.enter')],
    ['x', t('keys.select')],
    ['1 – 3', t('keys.pick')],
    ['r', t('keys.reload')],
    ['?', t('keys.help')],
  ];
  return (
    <Flex vertical gap={8} data-testid="review-queue">
      <Tabs activeKey={tab} onChange={(k) => onTab(k as QueueTab)} items={QUEUE_TABS.map((tb) => ({ key: tb, label: label(tb) }))} />
      {/* The queue's buttons beside its introduction, not in the tab bar: its seven tabs need the room at 1280 wide. */}
      <Flex justify="space-between" align="center" gap={12}>
        <Typography.Text type="secondary">{intro}</Typography.Text>
        <Space>
          {tab === 'suggested' && counter && (
            <SelectionButton
              primary
              icon={<CheckOutlined />}
              n={selected.length}
              busy={false}
              onClick={() => void confirmSelected()}
              testId="bulk-confirm"
            >
              {t('queue.bulkConfirm', { n: selected.length })}
            </SelectionButton>
          )}
          <RefreshButton onClick={() => void load()} labelled testId="queue-reload" />
          <KeysHelp open={help} onOpenChange={setHelp} title={t('keys.title')} keys={keys} testId="keys-help" buttonTestId="keys-button" />
        </Space>
      </Flex>
      {table(tab)}
      {rows.length >= LIMIT && <Typography.Text type="secondary">{t('queue.firstN', { n: LIMIT })}</Typography.Text>}
      <MatchModal
        target={matching}
        onClose={(changed) => {
          setMatching(null);
          if (changed) void load();
        }}
      />
      <DeclineProposalModal proposal={declining} onClose={() => setDeclining(null)} />
      <WriteOffModal request={writeOff} onClose={() => setWriteOff(null)} />
      <Modal
        open={bulk !== null}
        title={t('queue.bulkTitle')}
        onCancel={() => !bulk?.running && setBulk(null)}
        footer={
          <Button type="primary" disabled={bulk?.running} onClick={() => setBulk(null)} data-testid="bulk-close">
            {t('common.close')}
          </Button>
        }
        width={680}
        data-testid="bulk-result"
      >
        {bulk && (
          <>
            <Alert
              type={bulk.results.every((r) => r.ok) ? 'success' : 'warning'}
              showIcon
              style={{ marginBottom: 12 }}
              title={t('queue.bulkSummary', {
                ok: bulk.results.filter((r) => r.ok).length,
                refused: bulk.results.filter((r) => !r.ok).length,
              })}
            />
            <SmallTable<BulkResult>
              dataSource={bulk.results}
              columns={[
                { title: t('queue.request'), dataIndex: 'label' },
                { title: t('queue.matchAmount'), dataIndex: 'amount', align: 'right', width: 120, render: (v: number) => <Yuan fen={v} /> },
                {
                  title: t('queue.result'),
                  key: 'r',
                  width: 260,
                  render: (_, r) => <Typography.Text type={r.ok ? 'success' : 'danger'}>{r.message}</Typography.Text>,
                },
              ]}
            />
          </>
        )}
      </Modal>
    </Flex>
  );
}

function introText(tab: QueueTab, t: TFunction): string {
  return t(`queue.intro.${tab}`);
}
