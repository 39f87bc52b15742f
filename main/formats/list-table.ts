// Any list of the console as a table that leaves Coffer: the rows a read method gave, laid out by the
// columns the screen showed (their titles in the screen's language, statuses by the screen's words).
// Amounts are yuan with two decimals and summed in a 合计 row; the filter is a line above the table.
import { shanghaiDateTime } from '../domain/dates';
import { esc, yuanText, type PrintSection } from './period-reports-html';
import { writeReportWorkbook, yuanCell, type Cell } from './report-xlsx';

/**
 * `minor`: an amount in its row's ledger (the row's `ledger`: 1 is CNY in fen, else coins), never summed across ledgers.
 * `account`: a ledger account's id, written as 科目编码 科目名称 (or the screen's word for a system account, else its name).
 */
export type ListColumnKind = 'text' | 'money' | 'coins' | 'minor' | 'number' | 'time' | 'staff' | 'account';

export interface ListColumn {
  /** Where the value sits in a row: a field name, a dotted path into it, or such paths joined by | (the first with a value). */
  key: string;
  title: string;
  kind: ListColumnKind;
  /** The screen's word for a stored value (a status), looked up before the value is written. */
  labels?: Record<string, string> | undefined;
}

export interface ListTable {
  title: string;
  /** The filter as the screen describes it; empty when nothing is filtered. */
  filterText: string;
  lang: 'zh-CN' | 'en';
  columns: ListColumn[];
  rows: readonly unknown[];
  /** Rows left out because the list was longer than an export takes. */
  cut: boolean;
  /** How the table names what rows hold by id or code. */
  names: ListNames;
  /** Rows left out of the 合计 (a voided voucher moves no money): those whose `key` holds one of `values`. */
  uncounted?: { key: string; values: string[] } | undefined;
}

export interface ListNames {
  /** display name by staff id and by username (people are shown by their names). */
  staff: ReadonlyMap<string, string>;
  /** ledger accounts by id: 科目编码 科目名称 in the table's language where the account has a subject. */
  accounts: ReadonlyMap<string, { code: string; title: string; subject: boolean }>;
}

const WORDS = {
  'zh-CN': { total: '合计', filter: '筛选：', all: '全部', cut: (n: number) => `仅含前 ${n} 行`, rows: (n: number) => `共 ${n} 行` },
  en: { total: 'Total', filter: 'Filter: ', all: 'all', cut: (n: number) => `first ${n} rows only`, rows: (n: number) => `${n} rows` },
} as const;

const SUMMED: ReadonlySet<ListColumnKind> = new Set(['money', 'coins']);

function pathAt(row: unknown, path: string): unknown {
  let v: unknown = row;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return null;
    v = Reflect.get(v, part);
  }
  return v;
}
/** The value at `key`: a path, or paths joined by | of which the first with a value counts (a counter number, else the id). */
export function listValue(row: unknown, key: string): unknown {
  for (const path of key.split('|')) {
    const v = pathAt(row, path);
    if (v !== null && v !== undefined && v !== '') return v;
  }
  return null;
}

const INTEGER = /^-?\d{1,18}$/;
function integerOf(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && INTEGER.test(v)) return BigInt(v);
  return null;
}

function words(v: unknown, c: ListColumn, names: ListNames): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v))
    return v
      .map((x) => words(x, c, names))
      .filter(Boolean)
      .join('、');
  if (typeof v === 'object') return '';
  const s = String(v);
  if (c.kind === 'account') return accountWords(s, c, names);
  if (c.labels && Object.hasOwn(c.labels, s)) return c.labels[s]!;
  if (c.kind === 'staff') return names.staff.get(s) ?? s;
  if (c.kind === 'time' && typeof v === 'number') return shanghaiDateTime(v).slice(0, 16);
  return s;
}

/** An account by its subject; else a system account by the screen's word for its code; else as named. */
function accountWords(id: string, c: ListColumn, names: ListNames): string {
  const a = names.accounts.get(id);
  if (!a) return `#${id}`;
  if (a.subject) return a.title;
  return c.labels && Object.hasOwn(c.labels, a.code) ? c.labels[a.code]! : a.title;
}

const isYuan = (c: ListColumn, row: unknown) => c.kind === 'money' || (c.kind === 'minor' && listValue(row, 'ledger') === 1);

/** A row's cells: money as yuan (a number), coins and counts as numbers, everything else as text. */
function cellsOf(row: unknown, columns: ListColumn[], names: ListNames): Cell[] {
  return columns.map((c) => {
    const v = listValue(row, c.key);
    if (c.kind === 'money' || c.kind === 'coins' || c.kind === 'number' || c.kind === 'minor') {
      const n = integerOf(v);
      if (n === null) return typeof v === 'number' ? v : null;
      return isYuan(c, row) ? yuanCell(Number(n)) : Number(n);
    }
    return words(v, c, names);
  });
}

/** Σ of each money or coins column, as bigint (fen or coins). */
export function listTotals(t: Pick<ListTable, 'columns' | 'rows' | 'uncounted'>): (bigint | null)[] {
  const u = t.uncounted;
  const counted = u ? t.rows.filter((r) => !u.values.includes(String(listValue(r, u.key)))) : t.rows;
  return t.columns.map((c) => {
    if (!SUMMED.has(c.kind)) return null;
    let sum = 0n;
    for (const r of counted) sum += integerOf(listValue(r, c.key)) ?? 0n;
    return sum;
  });
}

/** The lines above the table: the filter, and whether rows were left out. */
export function listPreamble(t: ListTable): string[] {
  const w = WORDS[t.lang];
  const filter = `${w.filter}${t.filterText.trim() || w.all}`;
  return [t.title, t.cut ? `${filter}（${w.cut(t.rows.length)}）` : `${filter}  ${w.rows(t.rows.length)}`];
}

function totalCells(t: ListTable): Cell[] {
  const totals = listTotals(t);
  const cells: Cell[] = totals.map((s, i) => (s === null ? null : t.columns[i]!.kind === 'money' ? yuanCell(Number(s)) : Number(s)));
  const at = totals.findIndex((s) => s === null);
  if (at >= 0) cells[at] = WORDS[t.lang].total;
  return cells;
}

export async function writeListWorkbook(target: string, t: ListTable, witness: string | null) {
  async function* rows(): AsyncIterable<Cell[]> {
    for (const r of t.rows) yield cellsOf(r, t.columns, t.names);
    if (t.columns.some((c) => SUMMED.has(c.kind))) yield totalCells(t);
  }
  return writeReportWorkbook(
    target,
    [
      {
        name: t.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '),
        preamble: listPreamble(t),
        columns: t.columns.map((c) => ({ header: c.title, money: c.kind === 'money', width: c.kind === 'text' ? 22 : 16 })),
        rows: rows(),
      },
    ],
    witness,
  );
}

/** The list as one printed section: landscape when it is wide. */
export function listPrintSection(t: ListTable): PrintSection {
  const numeric = (c: ListColumn) => c.kind === 'money' || c.kind === 'coins' || c.kind === 'number' || c.kind === 'minor';
  const td = (c: ListColumn, row: unknown) => {
    const v = listValue(row, c.key);
    if (!numeric(c)) return `<td>${esc(words(v, c, t.names))}</td>`;
    const n = integerOf(v);
    const text = n === null ? '' : isYuan(c, row) ? yuanText(n.toString()) : n.toLocaleString('en-US');
    return `<td class="num">${text}</td>`;
  };
  const head = `<thead><tr>${t.columns.map((c) => `<th>${esc(c.title)}</th>`).join('')}</tr></thead>`;
  const body = t.rows.map((r) => `<tr>${t.columns.map((c) => td(c, r)).join('')}</tr>`).join('\n');
  let total = '';
  if (t.columns.some((c) => SUMMED.has(c.kind))) {
    const cells = totalCells(t);
    const totals = listTotals(t);
    total = `<tr class="total">${t.columns
      .map((c, i) => {
        const s = totals[i];
        if (s === null || s === undefined) return `<td>${cells[i] === null ? '' : esc(String(cells[i]))}</td>`;
        return `<td class="num">${c.kind === 'money' ? yuanText(s.toString()) : s.toLocaleString('en-US')}</td>`;
      })
      .join('')}</tr>`;
  }
  const [title, ...sub] = listPreamble(t);
  return {
    title: title!,
    subtitle: sub,
    body: `<table>${head}<tbody>${body}${total}</tbody></table>`,
    landscape: t.columns.length > 6,
  };
}
