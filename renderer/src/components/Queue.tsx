// What the queue screens (审批, 开票申请, 对账复核) share: the cursor row moved by the keyboard, the
// selection that keeps only rows still selectable, the card with its counts, buttons, refresh and
// keys help, the reject-with-a-reason dialog, and the per-item results card.
import {
  Button,
  Card,
  Flex,
  Modal,
  Popconfirm,
  Popover,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
  type TableProps,
} from 'antd';
import { QuestionCircleOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { KeysetList } from '../hooks/useKeysetPage';
import { useQueueKeys, type QueueKeys } from '../hooks/useQueueKeys';
import { KeysetTable } from './KeysetTable';
import { formatTime } from '../format/dates';
import { ReasonBox } from './ReasonBox';
import { TwoLines } from './TwoLines';
import { useT } from '../i18n';

/** The cursor row and the keys help of a queue; `rowProps` go on its table. */
export function useQueueCursor<Row>(keys: Omit<QueueKeys<Row>, 'cursor' | 'setCursor' | 'setHelp'>) {
  const [cursor, setCursor] = useState(0);
  const [help, setHelp] = useState(false);
  const n = keys.rows.length;
  useEffect(() => {
    setCursor((c) => Math.min(c, Math.max(0, n - 1)));
  }, [n]);
  useQueueKeys({ ...keys, cursor, setCursor, setHelp });
  const rowProps = {
    rowClassName: (_: unknown, i: number) => (i === cursor ? 'queue-cursor' : ''),
    onRow: (_: unknown, i?: number) => ({ onClick: () => i !== undefined && setCursor(i) }),
  };
  return { cursor, setCursor, help, setHelp, rowProps };
}

/** Selected row ids; a reload drops the ones no longer on screen or no longer selectable. */
export function useSelection<Row extends { id: number }>(rows: readonly Row[], selectable: (r: Row) => boolean) {
  const [selected, setSelected] = useState<number[]>([]);
  useEffect(() => {
    setSelected((sel) => {
      const kept = sel.filter((id) => rows.some((r) => r.id === id && selectable(r)));
      return kept.length === sel.length ? sel : kept;
    });
  }, [rows, selectable]);
  const toggle = useCallback(
    (r: Row | undefined) => {
      if (!r || !selectable(r)) return;
      setSelected((sel) => (sel.includes(r.id) ? sel.filter((x) => x !== r.id) : [...sel, r.id]));
    },
    [selectable],
  );
  const clear = useCallback(() => setSelected([]), []);
  return { selected, setSelected, toggle, clear };
}

export function ShortcutHelp({ keys, testId }: { keys: [string, string][]; testId: string }) {
  return (
    <table data-testid={testId} style={{ borderSpacing: '12px 4px' }}>
      <tbody>
        {keys.map(([k, what]) => (
          <tr key={k}>
            <td>
              <Typography.Text keyboard>{k}</Typography.Text>
            </td>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The keys help behind a button; without a label the button is an icon with the title as tooltip. */
export function KeysHelp({
  open,
  onOpenChange,
  title,
  keys,
  testId,
  buttonTestId,
  label,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  keys: [string, string][];
  testId: string;
  buttonTestId: string;
  label?: string;
}) {
  const button = label ? (
    <Button icon={<QuestionCircleOutlined />} data-testid={buttonTestId}>
      {label}
    </Button>
  ) : (
    <Tooltip title={title}>
      <Button icon={<QuestionCircleOutlined />} data-testid={buttonTestId} aria-label={title} />
    </Tooltip>
  );
  return (
    <Popover open={open} onOpenChange={onOpenChange} title={title} content={<ShortcutHelp keys={keys} testId={testId} />} trigger="click">
      {button}
    </Popover>
  );
}

/** Refresh: an icon with its name for screen readers, or with the word when `labelled`. */
export function RefreshButton({ onClick, labelled, testId }: { onClick(): void; labelled?: boolean; testId?: string }) {
  const t = useT();
  return labelled ? (
    <Button icon={<ReloadOutlined />} onClick={onClick} data-testid={testId}>
      {t('common.refresh')}
    </Button>
  ) : (
    <Button icon={<ReloadOutlined />} onClick={onClick} aria-label={t('common.refresh')} data-testid={testId} />
  );
}

/**
 * The queue's card: title with its counts, the screen's buttons then refresh and keys help, the table (the
 * page of `list`, the keyboard cursor's rows) and its pager. Test ids: `${testId}-counts`, `-table`, `-pager`,
 * `-keys` (the help button) and `-keys-help`.
 */
export function QueueCard<R extends object>({
  title,
  counts,
  testId,
  actions,
  list,
  cursor,
  keys,
  ...table
}: Omit<TableProps<R>, 'title' | 'dataSource' | 'loading' | 'pagination' | 'size' | 'rowKey' | 'rowClassName' | 'onRow'> & {
  title: string;
  counts: string;
  testId: string;
  actions?: ReactNode;
  list: KeysetList<R>;
  cursor: Pick<ReturnType<typeof useQueueCursor<R>>, 'help' | 'setHelp' | 'rowProps'>;
  keys: [string, string][];
}) {
  const t = useT();
  return (
    <KeysetTable<R>
      list={list}
      testId={testId}
      {...cursor.rowProps}
      {...table}
      cardTitle={
        <Space size={[12, 0]} wrap>
          <span>{title}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid={`${testId}-counts`}>
            {counts}
          </Typography.Text>
        </Space>
      }
      cardExtra={
        <Space wrap>
          {actions}
          <RefreshButton onClick={list.refresh} />
          <KeysHelp
            open={cursor.help}
            onOpenChange={cursor.setHelp}
            title={t('appr.key.title')}
            keys={keys}
            testId={`${testId}-keys-help`}
            buttonTestId={`${testId}-keys`}
            label={t('appr.key.button')}
          />
        </Space>
      }
    />
  );
}

/** A toolbar button acting on the `n` selected rows: disabled with none, spinning while the queue is busy. */
export function SelectionButton({
  icon,
  n,
  busy,
  primary,
  onClick,
  testId,
  children,
}: {
  icon: ReactNode;
  n: number;
  busy: boolean;
  primary?: boolean;
  onClick(): void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Button type={primary ? 'primary' : undefined} icon={icon} disabled={!n} loading={busy} onClick={onClick} data-testid={testId}>
      {children}
    </Button>
  );
}

/** A toolbar button acting on every row the queue's filter passes, once the user says yes to `ask`. */
export function AllRowsButton({
  label,
  ask,
  description,
  okText,
  busy,
  onConfirm,
  testId,
}: {
  label: string;
  ask: string;
  description?: string;
  okText: string;
  busy: boolean;
  onConfirm(): void;
  testId: string;
}) {
  const t = useT();
  return (
    <Popconfirm
      title={ask}
      description={description && <div style={{ maxWidth: 320 }}>{description}</div>}
      okText={okText}
      cancelText={t('common.cancel')}
      onConfirm={onConfirm}
    >
      <Button loading={busy} data-testid={testId}>
        {label}
      </Button>
    </Popconfirm>
  );
}

/** A queue's first column: the request's number (the counter's, else the platform's) over when it was made, and `more`. */
export function requestColumn<R extends { counterNo: string | null; requestId: string; requestedAt: number }>(
  title: string,
  width: number,
  more?: (r: R) => ReactNode,
): TableColumnsType<R>[number] {
  return {
    title,
    key: 'request',
    width,
    render: (_, r) => (
      <TwoLines
        main={<Typography.Text style={{ whiteSpace: 'nowrap' }}>{r.counterNo ?? r.requestId}</Typography.Text>}
        sub={
          <>
            {formatTime(r.requestedAt)}
            {more && <> · {more(r)}</>}
          </>
        }
        nowrap
      />
    ),
  };
}

/** Reject one item with a reason of at least two characters; onOk gets the trimmed reason. */
export function RejectModal({
  open,
  title,
  okText,
  summary,
  hint,
  placeholder,
  busy,
  okTestId,
  reasonTestId,
  onOk,
  onCancel,
}: {
  open: boolean;
  title: string;
  okText: string;
  summary: ReactNode;
  hint: string;
  placeholder: string;
  busy: boolean;
  okTestId: string;
  reasonTestId: string;
  onOk(reason: string): void;
  onCancel(): void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (!open) setReason('');
  }, [open]);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy, 'data-testid': okTestId }}
      cancelText={t('common.cancel')}
      onOk={() => onOk(reason.trim())}
      onCancel={onCancel}
      destroyOnHidden
    >
      {open && (
        <Flex vertical gap={8}>
          <Typography.Text>{summary}</Typography.Text>
          <Typography.Text type="secondary">
            <StopOutlined /> {hint}
          </Typography.Text>
          <ReasonBox value={reason} onChange={setReason} placeholder={placeholder} testId={reasonTestId} />
        </Flex>
      )}
    </Modal>
  );
}

/**
 * The per-item results of a bulk action: the item's `columns`, then its outcome as a tag and `detail`; the
 * counts of `outcomes` ([outcome, colour, words, test id]) as tags in the title. Brought into view when shown.
 */
export function ResultsCard<R extends { id: number; outcome: string }>({
  testId,
  title,
  outcomes,
  columns,
  detailTitle,
  detail,
  results,
  onClose,
}: {
  testId: string;
  title: string;
  outcomes: readonly (readonly [outcome: R['outcome'], color: string, words: string, testId: string])[];
  columns: TableColumnsType<R>;
  detailTitle: string;
  detail(result: R): ReactNode;
  results: R[];
  onClose(): void;
}) {
  const t = useT();
  useEffect(() => {
    document.querySelector(`[data-testid="${testId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [results, testId]);
  const tag = (o: string) => {
    const [, color, words] = outcomes.find(([x]) => x === o) ?? [];
    return <Tag color={color}>{words}</Tag>;
  };
  const all: TableColumnsType<R> = [
    ...columns,
    { title: t('appr.result'), key: 'outcome', width: 120, render: (_, r) => tag(r.outcome) },
    { title: detailTitle, key: 'detail', render: (_, r) => detail(r) },
  ];
  return (
    <Card
      size="small"
      data-testid={testId}
      title={
        <Space size={8}>
          <span>{title}</span>
          {outcomes.map(([o, color, words, id]) => (
            <Tag key={id} color={color} data-testid={id}>
              {words} {results.filter((r) => r.outcome === o).length}
            </Tag>
          ))}
        </Space>
      }
      extra={<Button onClick={onClose}>{t('common.close')}</Button>}
      styles={{ body: { padding: 0 } }}
    >
      <Table<R>
        rowKey="id"
        size="small"
        columns={all}
        dataSource={results}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        rowClassName={(o) => `result-${o.outcome}`}
      />
    </Card>
  );
}
