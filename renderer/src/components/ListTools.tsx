// What every list of the console has, written once: Excel and print of what is filtered (the server's one
// list exporter runs the list's own read method), a 合计 row for the money on screen, sorting of the rows
// shown, a column chooser and saved filters remembered per list (localStorage), and the sum of a selection.
import { App as AntApp, Button, type ButtonProps, Checkbox, Dropdown, Flex, Input, Modal, Popover, Space, Table, Typography } from 'antd';
import type { ColumnType, ColumnsType as TableColumnsType } from 'antd/es/table';
import { DeleteOutlined, FileExcelOutlined, FilterOutlined, PrinterOutlined, SettingOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Input as ApiInput } from '../api/coffer';
import { showError } from '../app/errors';
import { useJobs } from '../app/jobs';
import { useI18n, useT } from '../i18n';
import { formatAmount } from '../format/money';
import { amountStyle } from './Amount';

type ExportInput = ApiInput<'lists.export'>;
/** `minor`: an amount in its row's ledger (CNY fen or coins), never summed across ledgers; `account`: a ledger account's id. */
export type ListColumnKind = NonNullable<ExportInput['columns'][number]['kind']>;
export type ListMethod = ExportInput['method'];

/** An antd column with what the tools need: a stable key, a plain title, the row field it shows and its kind. */
export interface ListColumn<R> extends ColumnType<R> {
  key: string;
  title: string;
  /** The row's field (a dotted path) the column shows: exported and sorted by; none for an actions column. */
  field?: string;
  kind?: ListColumnKind;
  /** The words a stored value is shown by (a status), for the file. */
  labels?: Record<string, string>;
}

/** The value at `field`: a dotted path, or paths joined by | of which the first with a value counts. */
function valueAt(row: unknown, field: string): unknown {
  for (const path of field.split('|')) {
    let v: unknown = row;
    for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? Reflect.get(v, part) : undefined;
    if (v !== null && v !== undefined && v !== '') return v;
  }
  return undefined;
}

const INTEGER = /^-?\d+$/;
function asBigInt(v: unknown): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && INTEGER.test(v)) return BigInt(v);
  return 0n;
}

function compare(kind: ListColumnKind, a: unknown, b: unknown): number {
  if (kind === 'money' || kind === 'coins' || kind === 'minor') {
    const d = asBigInt(a) - asBigInt(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''), 'zh-CN');
}

/** Σ of a money (fen) or coins field over rows, exact. */
export function sumOf(rows: readonly unknown[], field: string): bigint {
  return rows.reduce<bigint>((s, r) => s + asBigInt(valueAt(r, field)), 0n);
}

function stored<T>(key: string, fallback: T): T {
  try {
    const s = localStorage.getItem(key);
    // Dates of a saved filter went in as ISO strings; they come back as dates.
    return s === null
      ? fallback
      : (JSON.parse(s, (_k, v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(v) ? dayjs(v) : v)) as T);
  } catch {
    return fallback;
  }
}
function useStored<T>(key: string, fallback: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => stored(key, fallback));
  const set = useCallback(
    (v: T) => {
      setValue(v);
      localStorage.setItem(key, JSON.stringify(v));
    },
    [key],
  );
  return [value, set];
}

export interface ListTools<R> {
  id: string;
  /** The columns on screen: the chosen ones, sortable where they show a field. */
  columns: TableColumnsType<R>;
  all: ListColumn<R>[];
  hidden: string[];
  setHidden(keys: string[]): void;
  /** For Table's `summary`: the 合计 of the money shown. */
  summary: ((rows: readonly R[]) => ReactNode) | undefined;
  uncounted: Uncounted | undefined;
}

/** Rows the 合计 leaves out: those whose `field` holds one of `values` (a voided voucher moves no money). */
export interface Uncounted {
  field: string;
  values: string[];
}

/** The tools of list `id` (its remembered column choice) over its columns. */
export function useListTools<R>(
  id: string,
  columns: ListColumn<R>[],
  o: { selectable?: boolean; uncounted?: Uncounted } = {},
): ListTools<R> {
  const t = useT();
  const [hidden, setHidden] = useStored<string[]>(`coffer.list.${id}.hidden`, []);
  const shown = useMemo(
    () =>
      columns
        .filter((c) => !hidden.includes(c.key))
        .map((c): ColumnType<R> => {
          const { field, kind = 'text', labels: _labels, ...col } = c;
          return field && col.sorter === undefined
            ? { ...col, sorter: (a: R, b: R) => compare(kind, valueAt(a, field), valueAt(b, field)), showSorterTooltip: false }
            : col;
        }),
    [columns, hidden],
  );
  const summed = columns.filter((c) => !hidden.includes(c.key));
  const isSum = (c: ListColumn<R>) => Boolean(c.field) && (c.kind === 'money' || c.kind === 'coins');
  const first = summed.findIndex(isSum);
  const u = o.uncounted;
  const counted = (rows: readonly R[]) => (u ? rows.filter((r) => !u.values.includes(String(valueAt(r, u.field)))) : rows);
  // The label spans the selection column (when there is one) and the columns before the first amount; when an
  // amount comes first, the label sits at the left of that amount's cell (never over it).
  const lead = first + (o.selectable ? 1 : 0);
  const label = (
    <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
      {t('lists.pageTotal')}
    </Typography.Text>
  );
  const summary =
    first >= 0
      ? (rows: readonly R[]) => (
          <Table.Summary fixed>
            <Table.Summary.Row data-testid={`${id}-total`}>
              {first > 0 ? (
                <Table.Summary.Cell index={0} colSpan={lead}>
                  {label}
                </Table.Summary.Cell>
              ) : (
                o.selectable && <Table.Summary.Cell index={0} />
              )}
              {summed.slice(first).map((c, i) => {
                const sum = isSum(c) && (
                  <Typography.Text strong style={amountStyle}>
                    {formatAmount(sumOf(counted(rows), c.field!), c.kind === 'money' ? 1 : 2)}
                  </Typography.Text>
                );
                return (
                  <Table.Summary.Cell key={c.key} index={lead + i} align={isSum(c) ? 'right' : undefined}>
                    {i === 0 && first === 0 ? (
                      <Flex justify="space-between" gap={8}>
                        {label}
                        {sum}
                      </Flex>
                    ) : (
                      sum
                    )}
                  </Table.Summary.Cell>
                );
              })}
            </Table.Summary.Row>
          </Table.Summary>
        )
      : undefined;
  return { id, columns: shown, all: columns, hidden, setHidden, summary, uncounted: u };
}

/** "已选 3 笔 合计 ¥5,456.00": the selection's count and the sum of its money field. */
export function SelectionSum<R>({ rows, field, testId }: { rows: readonly R[]; field: string; testId?: string }) {
  const t = useT();
  if (!rows.length) return null;
  return (
    <Typography.Text strong data-testid={testId ?? 'selection-sum'}>
      {t('lists.selected', { n: rows.length, sum: formatAmount(sumOf(rows, field), 1) })}
    </Typography.Text>
  );
}

interface SavedFilter {
  name: string;
  values: unknown;
}

/**
 * The list's toolbar: Excel and print of what `filter` selects (as the list method reads it), the column chooser,
 * and the saved filters (`values` is the filter form's state; `onApply` puts a saved one back and searches).
 */
export function ListToolbar<R, V>({
  tools,
  method,
  filter,
  filterText,
  title,
  values,
  onApply,
}: {
  tools: ListTools<R>;
  method: ListMethod;
  filter: Record<string, unknown>;
  filterText: string;
  title: string;
  values?: V;
  onApply?(values: V): void;
}) {
  const t = useT();
  const { lang } = useI18n();
  const { message } = AntApp.useApp();
  const jobs = useJobs();
  const [busy, setBusy] = useState<'xlsx' | 'print' | null>(null);
  const [saved, setSaved] = useStored<SavedFilter[]>(`coffer.list.${tools.id}.filters`, []);
  const [naming, setNaming] = useState<string | null>(null);
  const testId = tools.id;
  const saveOk: ButtonProps & Record<`data-${string}`, string> = { disabled: !naming?.trim(), 'data-testid': `${testId}-save-ok` };

  const run = async (format: 'xlsx' | 'print') => {
    setBusy(format);
    try {
      const columns = tools.all
        .filter((c) => c.field && !tools.hidden.includes(c.key))
        .map((c) => ({ key: c.field!, title: c.title, kind: c.kind ?? 'text', ...(c.labels ? { labels: c.labels } : {}) }));
      const u = tools.uncounted;
      const uncounted = u ? { uncounted: { key: u.field, values: u.values } } : {};
      const r = await jobs.run('lists.export', { method, filter, columns, title, filterText, lang, format, ...uncounted });
      message.success({
        content: <span data-testid={`${testId}-exported`}>{t('lists.exported', { n: r.rows, path: r.path })}</span>,
        duration: 6,
      });
    } catch (e) {
      showError(message, e, t);
    } finally {
      setBusy(null);
    }
  };

  const chooser = (
    <Checkbox.Group
      value={tools.all.filter((c) => !tools.hidden.includes(c.key)).map((c) => c.key)}
      onChange={(keys) => tools.setHidden(tools.all.filter((c) => !keys.includes(c.key)).map((c) => c.key))}
      data-testid={`${testId}-columns-list`}
    >
      <Flex vertical gap={4}>
        {tools.all.map((c) => (
          <Checkbox key={c.key} value={c.key} data-testid={`${testId}-column-${c.key}`}>
            {c.title}
          </Checkbox>
        ))}
      </Flex>
    </Checkbox.Group>
  );

  return (
    <Space size={4} wrap data-testid={`${testId}-toolbar`}>
      {onApply && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              ...saved.map((s) => ({
                key: `apply:${s.name}`,
                label: (
                  <Flex justify="space-between" gap={12} data-testid={`${testId}-saved-${s.name}`}>
                    <span>{s.name}</span>
                    <DeleteOutlined
                      aria-label={t('lists.deleteFilter')}
                      onClick={(e) => {
                        e.stopPropagation();
                        setSaved(saved.filter((x) => x.name !== s.name));
                      }}
                    />
                  </Flex>
                ),
              })),
              ...(saved.length ? [{ type: 'divider' as const }] : []),
              { key: 'save', label: <span data-testid={`${testId}-save-filter`}>{t('lists.saveFilter')}</span> },
            ],
            onClick: ({ key }) => {
              if (key === 'save') setNaming('');
              const found = saved.find((s) => `apply:${s.name}` === key);
              if (found) onApply(found.values as V);
            },
          }}
        >
          <Button icon={<FilterOutlined />} data-testid={`${testId}-filters`}>
            {t('lists.savedFilters')}
          </Button>
        </Dropdown>
      )}
      <Popover trigger="click" content={chooser} title={t('lists.columns')} placement="bottomRight">
        <Button icon={<SettingOutlined />} data-testid={`${testId}-columns`}>
          {t('lists.columns')}
        </Button>
      </Popover>
      <Button icon={<FileExcelOutlined />} loading={busy === 'xlsx'} onClick={() => void run('xlsx')} data-testid={`${testId}-excel`}>
        {t('lists.excel')}
      </Button>
      <Button icon={<PrinterOutlined />} loading={busy === 'print'} onClick={() => void run('print')} data-testid={`${testId}-print`}>
        {t('lists.print')}
      </Button>
      <Modal
        open={naming !== null}
        title={t('lists.saveFilter')}
        okButtonProps={saveOk}
        onOk={() => {
          const name = naming!.trim();
          setSaved([...saved.filter((s) => s.name !== name), { name, values: values ?? {} }]);
          setNaming(null);
        }}
        onCancel={() => setNaming(null)}
        destroyOnHidden
      >
        <Input
          autoFocus
          maxLength={40}
          value={naming ?? ''}
          placeholder={t('lists.filterName')}
          onChange={(e) => setNaming(e.target.value)}
          data-testid={`${testId}-filter-name`}
        />
      </Modal>
    </Space>
  );
}

/** The filter as a line for the file: "label value" parts that have a value, joined. */
export function filterLine(parts: [string, string | null | undefined | false][]): string {
  return parts
    .filter(([, v]) => v)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
}

/** Typed yuan bounds as the filter line says them: "100.00 ~ 500.00", "≥ 100.00", "≤ 500.00". */
export function amountRangeText(min: string | undefined, max: string | undefined): string | null {
  const a = min?.trim();
  const b = max?.trim();
  if (a && b) return `${a} ~ ${b}`;
  if (a) return `≥ ${a}`;
  if (b) return `≤ ${b}`;
  return null;
}
