// 审批 (the daily screen): recharge requests fully covered by bank money, newest first, with the coins
// each would credit under the rule version in force when it was submitted (bonus apart) and the flags
// an approver looks at. Approve a selection, or everything that passes the filter; the per-item result
// (credited with its receipt number, waiting for a second approver, refused with the reason) stays on
// screen. Rows the viewer may not approve (four eyes) are shown but cannot be selected.
// Keyboard: j/k or ↓/↑ move, space selects, a approves the selection, r rejects the current row, ? help.
import { Alert, App as AntApp, Button, Flex, Form, Input, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined, LockOutlined, SearchOutlined } from '@ant-design/icons';
import { useCallback, useState } from 'react';
import { type Data, type Input as ApiInput } from '../../api/coffer';
import { useJobWrite, useWrite } from '../../api/queries';
import { useCan } from '../../app/session';
import { AmountRange } from '../../components/AmountRange';
import { FilterForm } from '../../components/FilterForm';
import {
  AllRowsButton,
  QueueCard,
  RejectModal,
  SelectionButton,
  requestColumn,
  useQueueCursor,
  useSelection,
} from '../../components/Queue';
import { TwoLines } from '../../components/TwoLines';
import { actionsColumn } from '../../components/columns';
import { useFilteredList } from '../../hooks/useFilteredList';
import { useT } from '../../i18n';
import { CustomerPicker } from '../customers/CustomerPicker';
import { ApprovalResults } from './ApprovalResults';
import { channelText, CoinsWithBonus, RuleVersion, Yuan, yuanInputToFen } from './common';

export type QueueRow = Data<'approvals.queue'>['rows'][number];
export type Outcome = Data<'approvals.approve'>[number];

interface Filters {
  customerId?: number;
  minAmount?: string;
  maxAmount?: string;
  text?: string;
}

const PAGE = 100;

/** "6222021001234567890" → "6222 0210 0123 4567 890". */
function grouped(no: string | null | undefined): string {
  return (no ?? '').replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

function toFilter(filters: Filters): ApiInput<'approvals.approveAll'> {
  const f: ApiInput<'approvals.approveAll'> = {};
  if (filters.customerId) f.customerId = filters.customerId;
  const min = yuanInputToFen(filters.minAmount);
  const max = yuanInputToFen(filters.maxAmount);
  if (min !== null) f.minAmount = min;
  if (max !== null) f.maxAmount = max;
  if (filters.text?.trim()) f.text = filters.text.trim();
  return f;
}

export default function ApprovalsScreen() {
  const t = useT();
  const { message } = AntApp.useApp();
  const { approver } = useCan();
  const [results, setResults] = useState<{ outcomes: Outcome[]; seen: Map<number, QueueRow> } | null>(null);
  const [rejecting, setRejecting] = useState<QueueRow | null>(null);

  const { form, filter: apiFilter, list, search, clear } = useFilteredList('approvals.queue', PAGE, { toFilter });
  const rows = list.rows;
  // A selection only keeps rows still on screen and still approvable.
  const sel = useSelection(
    rows,
    useCallback((r: QueueRow) => approver && r.canApprove, [approver]),
  );
  const { selected } = sel;

  const approve = useWrite('approvals.approve', ['approvals.queue']);
  const approveFiltered = useJobWrite('approvals.approveAll', ['approvals.queue']);
  const rejectOne = useWrite('requests.reject', ['approvals.queue']);
  const busy = approve.busy || approveFiltered.busy || rejectOne.busy;

  const finish = (outcomes: Outcome[]) => {
    setResults({ outcomes, seen: new Map(rows.map((r) => [r.id, r])) });
    const credited = outcomes.filter((o) => o.outcome === 'credited').length;
    const waiting = outcomes.filter((o) => o.outcome === 'approved').length;
    const refused = outcomes.filter((o) => o.outcome === 'refused').length;
    const text = t('appr.done', { credited, waiting, refused });
    if (refused) void message.warning(text);
    else void message.success(text);
    sel.clear();
  };

  const approveSelection = async () => {
    const items = rows.filter((r) => selected.includes(r.id) && r.canApprove).map((r) => ({ id: r.id, version: r.version }));
    if (!items.length) return void message.info(t('appr.nothingSelected'));
    const out = await approve.run({ items });
    if (out) finish(out);
  };

  const approveAll = async () => {
    const out = await approveFiltered.run(apiFilter);
    if (out && !out.length) void message.info(t('appr.nothingToApprove'));
    else if (out) finish(out);
  };

  const reject = async (reason: string) => {
    if (!rejecting) return;
    if (!(await rejectOne.run({ id: rejecting.id, version: rejecting.version, reason }))) return;
    void message.success(t('appr.rejected', { id: rejecting.counterNo ?? rejecting.requestId }));
    setRejecting(null);
  };

  // Keyboard, while no dialog or text box has the keys.
  const cursor = useQueueCursor({
    rows,
    blocked: !!rejecting || busy,
    tableTestId: 'approval-table',
    onKey: (key, at) => {
      if (key === ' ' && approver) sel.toggle(at);
      else if (key === 'a' && approver) void approveSelection();
      else if (key === 'r' && approver && at) setRejecting(at);
      else return false;
      return true;
    },
  });

  const columns: TableColumnsType<QueueRow> = [
    requestColumn(t('appr.request'), 150),
    {
      title: t('appr.customer'),
      key: 'customer',
      width: 128,
      render: (_, r) => (
        <TwoLines main={<Typography.Text ellipsis={{ tooltip: r.customerName }}>{r.customerName}</Typography.Text>} sub={r.account} />
      ),
    },
    {
      title: t('appr.amount'),
      key: 'amount',
      width: 120,
      align: 'right',
      render: (_, r) => (
        <TwoLines
          align="end"
          main={<Yuan fen={r.amount} strong />}
          sub={
            r.covered !== r.amount && (
              <>
                {t('appr.covered')} <Yuan fen={r.covered} />
              </>
            )
          }
          subType="warning"
          nowrap
        />
      ),
    },
    {
      title: t('appr.payer'),
      key: 'payer',
      width: 176,
      render: (_, r) => (
        <TwoLines
          main={<span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{grouped(r.payerAccount)}</span>}
          sub={channelText(t, r.channel)}
        />
      ),
    },
    {
      title: t('appr.evidence'),
      key: 'evidence',
      width: 76,
      render: (_, r) => (
        <Typography.Link href={`#/recharges/r/${r.id}`} data-testid={`approval-evidence-${r.id}`}>
          {t('appr.evidenceLink')}
        </Typography.Link>
      ),
    },
    {
      title: t('appr.coins'),
      key: 'coins',
      width: 150,
      align: 'right',
      render: (_, r) => (
        <Flex vertical align="end" data-testid={`approval-coins-${r.id}`}>
          <CoinsWithBonus paid={r.paidCoins} bonus={r.bonusCoins} />
          <RuleVersion v={r.ruleVersion} />
        </Flex>
      ),
    },
    {
      title: t('appr.flags'),
      key: 'flags',
      width: 140,
      render: (_, r) => (
        <Flex vertical gap={4} data-testid={`approval-flags-${r.id}`}>
          <Flex vertical align="start" gap={4}>
            {r.status === 'overpaid' && <Tag color="orange">{t('appr.flag.overpaid')}</Tag>}
            {r.flags.deviceMismatch && <Tag color="red">{t('appr.flag.deviceMismatch')}</Tag>}
            {r.flags.firstRecharge && <Tag color="green">{t('appr.flag.firstRecharge')}</Tag>}
            {r.flags.large && <Tag color="gold">{t('appr.flag.large')}</Tag>}
            {r.flags.secondApprovalNeeded && <Tag color="purple">{t('appr.flag.secondNeeded')}</Tag>}
          </Flex>
          {!r.canApprove && (
            <Tooltip title={r.status === 'approved' ? t('appr.fourEyes.approved') : t('appr.fourEyes.prepared')}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`approval-foureyes-${r.id}`}>
                <LockOutlined /> {r.status === 'approved' ? t('appr.fourEyes.approvedShort') : t('appr.fourEyes.preparedShort')}
              </Typography.Text>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    ...(approver
      ? [
          actionsColumn(t('common.actions'), 64, (r: QueueRow) => (
            <Button type="link" size="small" danger onClick={() => setRejecting(r)} data-testid={`approval-reject-${r.id}`}>
              {t('appr.reject')}
            </Button>
          )),
        ]
      : []),
  ];

  const selectable = rows.filter((r) => r.canApprove).length;
  const keys: [string, string][] = [
    ['j / ↓', t('appr.key.next')],
    ['k / ↑', t('appr.key.prev')],
    [t('appr.key.spaceName'), t('appr.key.select')],
    ['a', t('appr.key.approve')],
    ['r', t('appr.key.reject')],
    ['?', t('appr.key.help')],
  ];

  return (
    <Flex vertical gap={12} data-testid="approvals-screen">
      <FilterForm<Filters> form={form} onSearch={search} onReset={clear} testId="approval-search" icon={<SearchOutlined />} card>
        <Form.Item name="customerId" label={t('appr.customer')}>
          <CustomerPicker onChange={(id) => form.setFieldValue('customerId', id)} testId="approval-filter-customer" />
        </Form.Item>
        <AmountRange label={t('appr.amount')} testId="approval-filter" min={t('appr.min')} max={t('appr.max')} />
        <Form.Item name="text">
          <Input allowClear style={{ width: 220 }} placeholder={t('appr.textPlaceholder')} data-testid="approval-filter-text" />
        </Form.Item>
      </FilterForm>

      {!approver && <Alert type="info" showIcon title={t('appr.readOnly')} data-testid="approval-readonly" />}

      <QueueCard<QueueRow>
        title={t('appr.queueTitle')}
        counts={t('appr.counts', { n: rows.length, selectable, selected: selected.length })}
        testId="approval"
        list={list}
        cursor={cursor}
        keys={keys}
        actions={
          approver && (
            <>
              <SelectionButton
                primary
                icon={<CheckOutlined />}
                n={selected.length}
                busy={busy}
                onClick={() => void approveSelection()}
                testId="approve-selected"
              >
                {t('appr.approveSelected', { n: selected.length })}
              </SelectionButton>
              <AllRowsButton
                label={t('appr.approveAll')}
                ask={t('appr.approveAllAsk')}
                description={t('appr.approveAllText')}
                okText={t('appr.approveAllOk')}
                busy={busy}
                onConfirm={() => void approveAll()}
                testId="approve-all"
              />
            </>
          )
        }
        columns={columns}
        rowSelection={
          approver
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => sel.setSelected(keys as number[]),
                getCheckboxProps: (r) => ({ disabled: !r.canApprove, 'aria-label': r.counterNo ?? r.requestId }),
                renderCell: (_checked, r, _i, node) => (r.canApprove ? node : <Tooltip title={t('appr.fourEyes.tooltip')}>{node}</Tooltip>),
              }
            : undefined
        }
        locale={{ emptyText: t('appr.empty') }}
        scroll={{ x: 1000 }}
      />

      {results && <ApprovalResults outcomes={results.outcomes} seen={results.seen} onClose={() => setResults(null)} />}

      <RejectModal
        open={rejecting !== null}
        title={rejecting ? t('appr.rejectTitle', { id: rejecting.counterNo ?? rejecting.requestId }) : ''}
        okText={t('appr.reject')}
        summary={
          rejecting && (
            <>
              {rejecting.customerName} · <Yuan fen={rejecting.amount} strong /> {t('appr.yuan')}
            </>
          )
        }
        hint={t('appr.rejectText')}
        placeholder={t('appr.rejectReason')}
        busy={busy}
        okTestId="reject-ok"
        reasonTestId="reject-reason"
        onOk={(reason) => void reject(reason)}
        onCancel={() => setRejecting(null)}
      />
    </Flex>
  );
}
