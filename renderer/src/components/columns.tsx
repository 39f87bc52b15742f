// Column factories for the console's lists and queues, so that an amount, a time, a row number, a status
// word or the actions column is written once: the same alignment, figures and export kind everywhere.
import type { ColumnType } from 'antd/es/table';
import type { CSSProperties, ReactNode } from 'react';
import { formatTime } from '../format/dates';
import { Amount } from './Amount';
import type { ListColumn } from './ListTools';
import { TwoLines } from './TwoLines';

type More<R> = Omit<Partial<ListColumn<R>>, 'title'>;

/** A column showing the row field `field` (key, field and dataIndex all say it). */
export function fieldColumn<R>(field: string, title: string, more: More<R> = {}): ListColumn<R> {
  return { key: field, field, title, dataIndex: field, ...more };
}

/** A time (epoch ms) as 2026-12-04 13:57, optionally in a styled span (tabular figures, no wrapping). */
export function timeColumn<R>(field: string, title: string, width: number, style?: CSSProperties, more: More<R> = {}): ListColumn<R> {
  const render = (ms: number) => (style ? <span style={style}>{formatTime(ms)}</span> : formatTime(ms));
  return fieldColumn<R>(field, title, { kind: 'time', width, render, ...more });
}

/** An amount cell: yuan of fen (ledger 1) or whole coins (ledger 2), right-aligned, tabular; empty when absent. */
export function AmountCell({ v, ledger = 1, strong }: { v: string | number | null | undefined; ledger?: number; strong?: boolean }) {
  return v === null || v === undefined || v === '' ? null : <Amount minor={String(v)} ledger={ledger} strong={strong} />;
}

type AmountMore<R> = More<R> & { strong?: boolean };

/** An amount column of one ledger (summed in 合计). */
function amountColumn<R>(kind: 'money' | 'coins', field: string, title: string, width: number, more: AmountMore<R>): ListColumn<R> {
  const { strong, ...rest } = more;
  const ledger = kind === 'money' ? 1 : 2;
  const render = (v: string | number | null) => <AmountCell v={v} ledger={ledger} strong={strong} />;
  return fieldColumn<R>(field, title, { kind, width, align: 'right', render, ...rest });
}

/** A money column (fen, exported as yuan). */
export function moneyColumn<R>(field: string, title: string, width: number, more: AmountMore<R> = {}): ListColumn<R> {
  return amountColumn('money', field, title, width, more);
}

/** A coins column (whole coins). */
export function coinsColumn<R>(field: string, title: string, width: number, more: AmountMore<R> = {}): ListColumn<R> {
  return amountColumn('coins', field, title, width, more);
}

/** The customer's name with a second, smaller line under it (the account, a request number). */
export function customerColumn<R extends { customerName: string }>(title: string, width: number, sub: (r: R) => ReactNode): ListColumn<R> {
  return {
    key: 'customer',
    title,
    field: 'customerName',
    width,
    ellipsis: true,
    render: (_: unknown, r: R) => <TwoLines main={<span>{r.customerName}</span>} sub={sub(r)} />,
  };
}

/** The row's id, a number at the right. */
export function idColumn<R>(title: string, width = 56): ListColumn<R> {
  return fieldColumn<R>('id', title, { kind: 'number', width, align: 'right' });
}

/** The words stored values are shown by: { draft: '草稿', … } (for a status column and its export). */
export function wordsOf<V extends string | number>(values: readonly V[], word: (v: V) => string): Record<string, string> {
  return Object.fromEntries(values.map((v) => [v, word(v)]));
}

/** The last column: the row's buttons, fixed at the right so that it stays in a 1280-wide window. */
export function actionsColumn<R>(
  title: string,
  width: number,
  render: (row: R) => ReactNode,
  more: Omit<ColumnType<R>, 'title' | 'render' | 'key'> & { key?: string } = {},
): ListColumn<R> {
  return { title, key: 'actions', width, fixed: 'right', render: (_: unknown, r: R) => render(r), ...more };
}
