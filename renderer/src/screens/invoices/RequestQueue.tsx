// 开票申请: the queue of invoice requests, newest first, each with its check result — the amount
// reserved once it passed, or every problem named by its field once it failed. A clerk checks a
// selection or everything waiting; an approver issues checked requests (one or in bulk) or rejects
// one with a reason. The per-item result (checked, issued with its serial, refused with the reason)
// stays on screen. Four eyes: whoever entered or checked a request cannot issue it.
// Keyboard: j/k or ↓/↑ move, space selects, c checks the selection, i issues it, r rejects the current row, ? help.
import { Alert, App as AntApp, Button, Flex, Form, Input, Space, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined, FileDoneOutlined, LockOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useCallback, useState } from 'react';
import type { Data } from '../../api/coffer';
import { useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { FilterForm } from '../../components/FilterForm';
import {
  AllRowsButton,
  QueueCard,
  RejectModal,
  ResultsCard,
  SelectionButton,
  requestColumn,
  useQueueCursor,
  useSelection,
} from '../../components/Queue';
import { TwoLines } from '../../components/TwoLines';
import { actionsColumn } from '../../components/columns';
import { useFilteredList } from '../../hooks/useFilteredList';
import type { ListFilter } from '../../hooks/useKeysetPage';
import { StatusFilterItem } from '../../components/StatusFilterItem';
import { useT } from '../../i18n';
import { Yuan } from '../approvals/common';
import { CounterRequestModal } from './CounterRequestModal';
import { RequestDetail } from './RequestDetail';
import {
  BuyerCell,
  invoiceTypeText,
  ProblemList,
  outcomeText,
  REQUEST_STATUSES,
  RequestStatusTag,
  type FieldProblem,
  type RequestRow,
  type RequestStatus,
} from './common';

type CheckOutcome = Data<'invoices.check'>[number];
type IssueOutcome = Data<'invoices.issue'>[number];
type Result =
  | {
      kind: 'check';
      outcome: CheckOutcome['outcome'];
      id: number;
      requestId: string;
      amount?: string;
      problems?: FieldProblem[];
      code?: string;
      params?: Record<string, string>;
      reason?: string;
    }
  | {
      kind: 'issue';
      outcome: IssueOutcome['outcome'];
      id: number;
      requestId: string;
      serial?: string;
      invoiceId?: number;
      gross?: string;
      code?: string;
      params?: Record<string, string>;
      reason?: string;
    };

interface Filters {
  status?: RequestStatus[];
  text?: string;
}

const PAGE = 100;
const OPEN: RequestStatus[] = ['submitted', 'checked'];

function checkResult(o: CheckOutcome): Result {
  const base = { kind: 'check' as const, outcome: o.outcome, id: o.id, requestId: o.requestId };
  if (o.outcome === 'checked') return { ...base, amount: o.amount };
  if (o.outcome === 'rejected') return { ...base, problems: o.problems };
  return { ...base, code: o.code, reason: o.reason };
}

function issueResult(o: IssueOutcome): Result {
  const base = { kind: 'issue' as const, outcome: o.outcome, id: o.id, requestId: o.requestId };
  if (o.outcome === 'issued') return { ...base, serial: o.serial, invoiceId: o.invoiceId, gross: o.gross };
  return { ...base, code: o.code, reason: o.reason };
}

function toFilter(filters: Filters): ListFilter<'invoices.requests'> {
  return {
    ...(filters.status?.length ? { status: filters.status } : {}),
    ...(filters.text?.trim() ? { text: filters.text.trim() } : {}),
  };
}

export function RequestQueue({ onOpenInvoice }: { onOpenInvoice(id: number): void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { counter: checker, approver, staffId: me } = useCan();
  const [results, setResults] = useState<{ list: Result[]; seen: Map<number, RequestRow> } | null>(null);
  const [rejecting, setRejecting] = useState<RequestRow | null>(null);
  const [counter, setCounter] = useState(false);
  const [expanded, setExpanded] = useState<number[]>([]);

  const { form, list, search, clear } = useFilteredList('invoices.requests', PAGE, { initial: { status: OPEN }, toFilter });
  const rows = list.rows;
  /** Four eyes: who entered or checked a request does not issue it. */
  const mayIssue = (r: RequestRow) => approver && r.status === 'checked' && r.enteredBy !== me && r.checkedBy !== me;
  const selectable = useCallback(
    (r: RequestRow) => (r.status === 'submitted' && checker) || (r.status === 'checked' && approver),
    [checker, approver],
  );
  const sel = useSelection(rows, selectable);
  const { selected } = sel;

  const check = useWrite('invoices.check', ['invoices.requests']);
  const issue = useWrite('invoices.issue', ['invoices.requests']);
  const rejectOne = useWrite('invoices.rejectRequest', ['invoices.requests']);
  const busy = check.busy || issue.busy || rejectOne.busy;

  const act = async (run: () => Promise<Result[] | undefined>) => {
    const out = await run();
    if (!out) return;
    if (!out.length) return void message.info(t('invreq.nothingToDo'));
    // The rows as they were when acted on: after the refresh an issued request leaves the queue.
    setResults({ list: out, seen: new Map(rows.map((r) => [r.id, r])) });
    const good = out.filter((o) => o.outcome === 'checked' || o.outcome === 'issued').length;
    const bad = out.length - good;
    const text = t('invreq.done', { good, bad });
    if (bad) void message.warning(text);
    else void message.success(text);
    sel.clear();
  };

  const checkSelection = () => {
    const ids = rows.filter((r) => selected.includes(r.id) && r.status === 'submitted').map((r) => r.id);
    if (!ids.length) return void message.info(t('invreq.noneToCheck'));
    void act(async () => (await check.run({ ids }))?.map(checkResult));
  };

  const checkAll = () => act(async () => (await check.run({}))?.map(checkResult));

  const issueSelection = () => {
    const items = rows.filter((r) => selected.includes(r.id) && r.status === 'checked').map((r) => ({ id: r.id, version: r.version }));
    if (!items.length) return void message.info(t('invreq.noneToIssue'));
    void act(async () => (await issue.run({ items }))?.map(issueResult));
  };

  const reject = async (reason: string) => {
    if (!rejecting) return;
    if (!(await rejectOne.run({ id: rejecting.id, reason }))) return;
    void message.success(t('invreq.rejected', { id: rejecting.counterNo ?? rejecting.requestId }));
    setRejecting(null);
  };

  // Keyboard, while no dialog or text box has the keys.
  const cursor = useQueueCursor({
    rows,
    blocked: !!rejecting || busy || counter,
    tableTestId: 'invreq-table',
    onKey: (key, at) => {
      if (key === ' ') sel.toggle(at);
      else if (key === 'Enter' && at) setExpanded((x) => (x.includes(at.id) ? x.filter((k) => k !== at.id) : [...x, at.id]));
      else if (key === 'c' && checker) checkSelection();
      else if (key === 'i' && approver) issueSelection();
      else if (key === 'r' && approver && at && (at.status === 'submitted' || at.status === 'checked')) setRejecting(at);
      else return false;
      return true;
    },
  });

  const columns: TableColumnsType<RequestRow> = [
    requestColumn(t('invreq.request'), 190, (r) => (r.sourceEvent ? t('invreq.fromEvents') : t('invreq.fromCounter'))),
    {
      title: t('invreq.buyer'),
      key: 'buyer',
      width: 240,
      render: (_, r) => <BuyerCell name={r.buyerName} maxWidth={230} more={r.taxpayerId || t('invreq.noTaxpayerId')} />,
    },
    {
      title: t('invreq.customerType'),
      key: 'customer',
      width: 170,
      render: (_, r) => (
        <TwoLines
          main={
            <Typography.Link href={`#/customers/c/${r.customerId}`} style={{ whiteSpace: 'nowrap' }}>
              {r.customerName}
            </Typography.Link>
          }
          sub={invoiceTypeText(t, r.invoiceType)}
        />
      ),
    },
    {
      title: t('invreq.amount'),
      key: 'amount',
      width: 140,
      align: 'right',
      render: (_, r) =>
        r.status === 'checked' ? (
          <TwoLines align="end" main={<Yuan fen={r.reserved} strong />} sub={t('invreq.reserved')} nowrap />
        ) : r.amount !== null ? (
          <Yuan fen={r.amount} strong />
        ) : (
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t('invreq.allInvoiceable')}
          </Typography.Text>
        ),
    },
    {
      title: t('invreq.check'),
      key: 'check',
      render: (_, r) => (
        <Flex vertical gap={4} data-testid={`invreq-check-${r.id}`}>
          <Space size={6} wrap>
            <RequestStatusTag status={r.status} testId={`invreq-status-${r.id}`} />
            {r.invoiceSerial && r.invoiceId && (
              <Typography.Link onClick={() => onOpenInvoice(r.invoiceId!)} data-testid={`invreq-serial-${r.id}`}>
                {r.invoiceSerial}
              </Typography.Link>
            )}
            {r.status === 'checked' && approver && !mayIssue(r) && (
              <Tooltip title={t('invreq.fourEyes')}>
                <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid={`invreq-foureyes-${r.id}`}>
                  <LockOutlined /> {t('invreq.fourEyesShort')}
                </Typography.Text>
              </Tooltip>
            )}
          </Space>
          {r.problems.length > 0 && <ProblemList problems={r.problems} testId={`invreq-problems-${r.id}`} />}
          {r.status === 'rejected' && !r.problems.length && r.reason && (
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {t('invreq.rejectReason')}：{r.reason}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    ...(approver
      ? [
          actionsColumn(t('common.actions'), 80, (r: RequestRow) =>
            r.status === 'submitted' || r.status === 'checked' ? (
              <Button type="link" size="small" danger onClick={() => setRejecting(r)} data-testid={`invreq-reject-${r.id}`}>
                {t('invreq.reject')}
              </Button>
            ) : null,
          ),
        ]
      : []),
  ];

  const keys: [string, string][] = [
    ['j / ↓', t('appr.key.next')],
    ['k / ↑', t('appr.key.prev')],
    [t('appr.key.spaceName'), t('appr.key.select')],
    ['Enter', t('invreq.key.details')],
    ...(checker ? ([['c', t('invreq.key.check')]] as [string, string][]) : []),
    ...(approver
      ? ([
          ['i', t('invreq.key.issue')],
          ['r', t('invreq.key.reject')],
        ] as [string, string][])
      : []),
    ['?', t('appr.key.help')],
  ];
  const selRows = rows.filter((r) => selected.includes(r.id));
  const toCheck = selRows.filter((r) => r.status === 'submitted').length;
  const toIssue = selRows.filter((r) => r.status === 'checked').length;

  return (
    <Flex vertical gap={12} data-testid="invreq-screen">
      <FilterForm<Filters>
        form={form}
        onSearch={search}
        onReset={clear}
        testId="invreq-search"
        icon={<SearchOutlined />}
        initialValues={{ status: OPEN }}
        card
      >
        <StatusFilterItem label={t('invreq.statusLabel')} statuses={REQUEST_STATUSES} words="invreq.status" testId="invreq-filter-status" />
        <Form.Item name="text">
          <Input allowClear style={{ width: 260 }} placeholder={t('invreq.textPlaceholder')} data-testid="invreq-filter-text" />
        </Form.Item>
      </FilterForm>

      {!checker && <Alert type="info" showIcon title={t('invreq.readOnly')} />}

      <QueueCard<RequestRow>
        title={t('invreq.queueTitle')}
        counts={t('invreq.counts', { n: rows.length, selected: selected.length })}
        testId="invreq"
        list={list}
        cursor={cursor}
        keys={keys}
        actions={
          <>
            {checker && (
              <>
                <Button icon={<PlusOutlined />} onClick={() => setCounter(true)} data-testid="invreq-counter">
                  {t('invreq.counter')}
                </Button>
                <SelectionButton icon={<CheckOutlined />} n={toCheck} busy={busy} onClick={checkSelection} testId="invreq-check-selected">
                  {t('invreq.checkSelected', { n: toCheck })}
                </SelectionButton>
                <AllRowsButton
                  label={t('invreq.checkAll')}
                  ask={t('invreq.checkAllAsk')}
                  okText={t('invreq.checkAll')}
                  busy={busy}
                  onConfirm={() => void checkAll()}
                  testId="invreq-check-all"
                />
              </>
            )}
            {approver && (
              <SelectionButton
                primary
                icon={<FileDoneOutlined />}
                n={toIssue}
                busy={busy}
                onClick={issueSelection}
                testId="invreq-issue-selected"
              >
                {t('invreq.issueSelected', { n: toIssue })}
              </SelectionButton>
            )}
          </>
        }
        columns={columns}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (k) => setExpanded(k as number[]),
          expandedRowRender: (r) => <RequestDetail id={r.id} version={r.version} />,
        }}
        rowSelection={
          checker
            ? {
                selectedRowKeys: selected,
                onChange: (k) => sel.setSelected(k as number[]),
                getCheckboxProps: (r) => ({ disabled: !selectable(r), 'aria-label': r.counterNo ?? r.requestId }),
              }
            : undefined
        }
        locale={{ emptyText: t('invreq.empty') }}
        scroll={{ x: 1100 }}
      />

      {results && (
        <RequestResults results={results.list} seen={results.seen} onOpenInvoice={onOpenInvoice} onClose={() => setResults(null)} />
      )}

      <RejectModal
        open={rejecting !== null}
        title={rejecting ? t('invreq.rejectTitle', { id: rejecting.counterNo ?? rejecting.requestId }) : ''}
        okText={t('invreq.reject')}
        summary={rejecting && `${rejecting.buyerName} · ${invoiceTypeText(t, rejecting.invoiceType)}`}
        hint={t('invreq.rejectText')}
        placeholder={t('invreq.rejectReasonPlaceholder')}
        busy={busy}
        okTestId="invreq-reject-ok"
        reasonTestId="invreq-reject-reason"
        onOk={(reason) => void reject(reason)}
        onCancel={() => setRejecting(null)}
      />

      <CounterRequestModal
        open={counter}
        onClose={(created) => {
          setCounter(false);
          if (created) list.refresh();
        }}
      />
    </Flex>
  );
}

function RequestResults({
  results,
  seen,
  onOpenInvoice,
  onClose,
}: {
  results: Result[];
  seen: Map<number, RequestRow>;
  onOpenInvoice(id: number): void;
  onClose(): void;
}) {
  const t = useT();
  const columns: TableColumnsType<Result> = [
    { title: t('invreq.request'), key: 'request', width: 200, render: (_, r) => seen.get(r.id)?.counterNo ?? r.requestId },
    { title: t('invreq.buyer'), key: 'buyer', width: 220, ellipsis: true, render: (_, r) => seen.get(r.id)?.buyerName ?? '' },
  ];
  const detail = (r: Result) => {
    if (r.outcome === 'issued')
      return (
        <Space size={12}>
          <Typography.Link onClick={() => onOpenInvoice(r.invoiceId!)} data-testid={`invreq-result-serial-${r.id}`}>
            {r.serial}
          </Typography.Link>
          <span>
            {t('inv.gross')} <Yuan fen={r.gross!} strong />
          </span>
        </Space>
      );
    if (r.outcome === 'checked')
      return (
        <span>
          {t('invreq.reserved')} <Yuan fen={r.amount!} strong />
        </span>
      );
    if (r.outcome === 'rejected') return <ProblemList problems={r.problems ?? []} />;
    return (
      <Flex vertical>
        <Typography.Text strong>{outcomeText(t, { code: r.code, params: r.params, reason: r.reason ?? '' })}</Typography.Text>
      </Flex>
    );
  };
  const issue = results[0]?.kind === 'issue';
  return (
    <ResultsCard<Result>
      testId="invreq-results"
      title={issue ? t('invreq.issueResults') : t('invreq.checkResults')}
      outcomes={[
        ...(issue
          ? ([['issued', 'green', t('invreq.outcome.issued'), 'invreq-results-good']] as const)
          : ([
              ['checked', 'green', t('invreq.outcome.checked'), 'invreq-results-good'],
              ['rejected', 'orange', t('invreq.outcome.rejected'), 'invreq-results-rejected'],
            ] as const)),
        ['refused', 'red', t('invreq.outcome.refused'), 'invreq-results-refused'],
      ]}
      columns={columns}
      detailTitle={t('invreq.resultDetail')}
      detail={detail}
      results={results}
      onClose={onClose}
    />
  );
}
