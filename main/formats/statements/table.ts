// Rows of a CSV or worksheet → statements, through a profile or a custom mapping. The header row is
// the row among the first 60 that holds the most known header names; the profile is the one whose
// columns that header fits best.
import { refusal, type Refusal } from '../../domain/refusals';
import { addDecimals, compareDecimals, fitToCurrency, isBlankAmount, negateDecimal, parseBankAmount } from './decimal';
import { checkContinuity, refuseDuplicateRefs } from './continuity';
import { LineTally } from './tally';
export { OtherOrder } from './tally';
import { excelSerial, parseDateTime, parseTime, type DateTime } from './dates';
import { PROFILES, REVERSAL_WORDS, profileById, type ColumnMapping, type ColumnRef, type Profile } from './profiles';
import type { Row } from './csv';
import { fail, mention, type Balance, type CurrencyMention, type Statement, type StatementFormat, type StatementLine } from './types';

export const HEADER_SCAN = 60;

export function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/／/g, '/')
    .toLowerCase();
}

function names(ref: ColumnRef | undefined): string[] {
  if (ref === undefined || typeof ref === 'number') return [];
  return (typeof ref === 'string' ? [ref] : [...ref]).map(normaliseHeader);
}

function refsOf(m: ColumnMapping): ColumnRef[] {
  const a = m.amount;
  const amountRefs =
    a.kind === 'signed'
      ? [a.amount]
      : a.kind === 'in_out'
        ? [a.in, a.out]
        : a.kind === 'debit_credit'
          ? [a.debit, a.credit]
          : [a.amount, a.direction];
  return [
    m.date,
    ...amountRefs,
    ...[
      m.time,
      m.valueDate,
      m.balance,
      m.currency,
      m.account,
      m.counterpartyName,
      m.counterpartyAccount,
      m.counterparty,
      m.reference,
      m.bankRef,
      m.skip?.column,
    ].filter((r): r is ColumnRef => r !== undefined),
    ...(m.memo ?? []),
  ];
}

function requiredRefs(m: ColumnMapping): ColumnRef[] {
  return refsOf(m).slice(0, m.amount.kind === 'signed' ? 2 : 3);
}

const KNOWN = new Set(PROFILES.flatMap((p) => refsOf(p.mapping).flatMap(names)));

function resolve(ref: ColumnRef | undefined, headers: string[]): number | null {
  if (ref === undefined) return null;
  if (typeof ref === 'number') return ref >= 0 ? ref : null;
  for (const n of names(ref)) {
    const i = headers.indexOf(n);
    if (i >= 0) return i;
  }
  return null;
}

function label(ref: ColumnRef): string {
  return typeof ref === 'number' ? `column ${ref + 1}` : typeof ref === 'string' ? ref : ref.join(' / ');
}

export interface Layout {
  headerIndex: number; // index into rows
  headers: string[]; // as written
  profile: Profile | null;
  mapping: ColumnMapping;
}

function scoreRow(cells: string[], wanted: Set<string>): number {
  return new Set(cells.map(normaliseHeader).filter((c) => wanted.has(c))).size;
}

export function findHeaderRow(rows: Row[], mapping?: ColumnMapping): number | null {
  if (mapping?.headerRow) {
    const i = rows.findIndex((r) => r.line === mapping.headerRow);
    return i >= 0 ? i : null;
  }
  const wanted = mapping ? new Set(refsOf(mapping).flatMap(names)) : KNOWN;
  let best = -1;
  let bestScore = mapping ? 0 : 1;
  rows.slice(0, HEADER_SCAN).forEach((r, i) => {
    const s = scoreRow(r.cells, wanted);
    if (s > bestScore) [best, bestScore] = [i, s];
  });
  return best >= 0 ? best : null;
}

function fits(m: ColumnMapping, headers: string[]): { ok: boolean; score: number; missing: ColumnRef[] } {
  const missing = requiredRefs(m).filter((r) => resolve(r, headers) === null);
  return { ok: missing.length === 0, score: refsOf(m).filter((r) => resolve(r, headers) !== null).length, missing };
}

/** Required columns of a mapping that a (normalised) header lacks, as labels. */
export function missingColumns(m: ColumnMapping, headers: string[]): string[] {
  return fits(m, headers).missing.map(label);
}

export function chooseLayout(rows: Row[], opts: { profile?: string; mapping?: ColumnMapping }): Layout {
  let named: Profile | undefined;
  if (opts.profile) {
    named = profileById(opts.profile);
    if (!named)
      fail('bad_profile', 'stmt_no_profile', { profile: opts.profile, known: PROFILES.map((p) => p.id).join(', ') }, null, 'profile');
  }
  const custom = opts.mapping ?? named?.mapping;
  const headerIndex = findHeaderRow(rows, custom);
  if (headerIndex === null) {
    fail('bad_header', 'stmt_no_header_row', { rows: String(HEADER_SCAN) }, rows[0]?.line ?? 1, null);
  }
  const headerRow = rows[headerIndex] as Row;
  const headers = headerRow.cells.map(normaliseHeader);
  const shown = headerRow.cells.map((c) => c.trim()).filter(Boolean);
  if (custom) {
    const f = fits(custom, headers);
    if (!f.ok) {
      const column = label(f.missing[0] as ColumnRef);
      const header = shown.join(', ');
      if (named) fail('bad_header', 'stmt_profile_needs', { profile: named.id, column, header }, headerRow.line, column);
      fail('bad_header', 'stmt_mapping_needs', { column, header }, headerRow.line, column);
    }
    return { headerIndex, headers: headerRow.cells, profile: opts.mapping ? null : (named ?? null), mapping: custom };
  }
  const ranked = PROFILES.map((p) => ({ p, f: fits(p.mapping, headers) }))
    .filter((x) => x.f.ok)
    .sort((a, b) => b.f.score - a.f.score);
  const chosen = ranked[0]?.p;
  if (!chosen) fail('bad_header', 'stmt_no_profile_fits', { header: shown.join(', ') }, headerRow.line, null);
  return { headerIndex, headers: headerRow.cells, profile: chosen, mapping: chosen.mapping };
}

const CURRENCIES: Record<string, string> = {
  人民币: 'CNY',
  人民币元: 'CNY',
  '人民币(元)': 'CNY',
  本币: 'CNY',
  rmb: 'CNY',
  美元: 'USD',
  美金: 'USD',
  港币: 'HKD',
  港元: 'HKD',
  港幣: 'HKD',
  欧元: 'EUR',
  日元: 'JPY',
  日圆: 'JPY',
  英镑: 'GBP',
  澳元: 'AUD',
  加元: 'CAD',
  新加坡元: 'SGD',
  瑞士法郎: 'CHF',
  韩元: 'KRW',
  新台币: 'TWD',
  澳门元: 'MOP',
};

function currencyOf(text: string, line: number, field: string): string {
  const t = text.trim().replace(/（/g, '(').replace(/）/g, ')');
  const c = CURRENCIES[t.toLowerCase()] ?? (/^[A-Za-z]{3}$/.test(t) ? t.toUpperCase() : undefined);
  if (!c) fail('bad_value', 'stmt_currency_not_known', { value: text }, line, field);
  return c;
}

/** A preamble line above the header naming the currency: `币种：美元`, `币别:人民币`, `Currency: USD`. */
function findPreambleCurrency(rows: Row[]): CurrencyMention | null {
  for (const r of rows) {
    const m = /(币种|币别|货币|currency)\s*[:：]\s*([^\s,，;；|]+)/i.exec(r.cells.join(' '));
    if (m?.[2]) return { currency: currencyOf(m[2], r.line, m[1] ?? '币种'), line: r.line, field: m[1] ?? '币种' };
  }
  return null;
}

/** "张三/6222 0000 1234 5678", "6217000012345678 张三" → name and account (the all-digit part). */
export function splitCounterparty(cell: string): { name: string | null; account: string | null } {
  const parts = cell
    .split(/[/／|｜;；,，\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const digits = parts.filter((p) => /^[\d*]+$/.test(p));
  const account = digits.join('');
  const name = parts.filter((p) => !/^[\d*]+$/.test(p)).join(' ');
  return account.length >= 6 ? { name: name || null, account } : { name: cell.trim() || null, account: null };
}

function cleanCell(v: string | undefined): string {
  const s = (v ?? '').trim();
  const excelText = /^="(.*)"$/.exec(s); // ="6222…" keeps Excel from turning an account into a number
  return excelText ? (excelText[1] ?? '') : s;
}

// "/" and "--" stand for "nothing" in WeChat and Alipay exports
const PLACEHOLDER = /^(\/|-+|—+)$/;
const SUMMARY = /^(合计|总计|小计|本页|累计|共\d|#|-{3,})/;

export interface TableSource {
  /** the rows read so far: for CSV the first rows (the header is among them), for worksheets all */
  rows: Row[];
  /** the rows after `rows`, read one at a time (CSV), so a big file is never held as cells */
  rest?: Iterator<Row, void>;
  format: StatementFormat;
  /** worksheet cells: a number in a date column is an Excel serial day */
  serialDates: boolean;
  /** rows are lines of text, so the last one may have been cut off (a worksheet row leaves out empty cells) */
  text?: boolean;
}

/**
 * A table read as a stream: each line is handed to `line` as it is read and not kept; the whole-file
 * checks run on a `LineTally` per statement. References whose hash met another's are compared as
 * text when their hash is in `exact`; otherwise a repeat ends the reading with `SuspectRefs`.
 */
export interface TableStream {
  exact: ReadonlySet<string>;
  /** the order the running balances are guessed to run in (see LineTally) */
  newestFirst?: boolean;
  /** `repeated`: a bank reference met twice so far (the file will be refused or read again) */
  line(group: { account: string | null; currency: string }, l: StatementLine, repeated: boolean): void | Promise<void>;
}

/** Two bank references with one 64-bit hash: the file must be read again comparing those as text. */
export class SuspectRefs extends Error {
  constructor(readonly hashes: string[]) {
    super('bank references to compare as text');
  }
}

/** A whole table's statements, each with its lines. */
export function readTable(src: TableSource, layout: Layout): Statement[] {
  const work = tableWork(src, layout);
  for (let w = work.next(); ; w = work.next()) if (w.done) return w.value;
}

/** A table read as it streams: each line handed to `stream` (and its write waited for) as it is read; statements without lines. */
export async function streamTable(src: TableSource, layout: Layout, stream: TableStream): Promise<Statement[]> {
  const work = tableWork(src, layout, stream);
  for (let w = work.next(); ; w = work.next()) {
    if (w.done) return w.value;
    await w.value;
  }
}

/** The reading, yielding each write the stream started so that an async reader waits for it before the next line. */
function* tableWork(src: TableSource, layout: Layout, stream?: TableStream): Generator<Promise<void>, Statement[], void> {
  const { rows } = src;
  const { mapping: m, headers: shown } = layout;
  const headers = shown.map(normaliseHeader);
  const col = (ref: ColumnRef | undefined) => resolve(ref, headers);
  // A mapping built in the preview names no reversal rule: 冲正 / 冲账 / 抹账 in its memo columns mark one.
  const reversalRule = m.reversal ?? { columns: m.memo ?? [], words: REVERSAL_WORDS };
  const field = (i: number | null) => (i === null ? null : (shown[i] ?? '').trim() || `column ${i + 1}`);
  const c = {
    date: col(m.date),
    time: col(m.time),
    value: col(m.valueDate),
    balance: col(m.balance),
    currency: col(m.currency),
    account: col(m.account),
    cpName: col(m.counterpartyName),
    cpAccount: col(m.counterpartyAccount),
    cp: col(m.counterparty),
    reference: col(m.reference),
    bankRef: col(m.bankRef),
    memo: (m.memo ?? []).map(col).filter((i): i is number => i !== null),
    reversal: reversalRule.columns.map(col).filter((i): i is number => i !== null),
    skip: col(m.skip?.column),
  };
  if (c.time === c.date) c.time = null;
  const a = m.amount;
  const amountCols =
    a.kind === 'signed'
      ? [col(a.amount)]
      : a.kind === 'in_out'
        ? [col(a.in), col(a.out)]
        : a.kind === 'debit_credit'
          ? [col(a.credit), col(a.debit)]
          : [col(a.amount), col(a.direction)];
  const required = [c.date, ...amountCols].filter((i): i is number => i !== null);
  const needed = Math.max(...required) + 1;
  const order = m.dateOrder ?? 'ymd';
  const preambleAccount = findPreambleAccount(rows.slice(0, layout.headerIndex));
  // Every currency the file names, wherever: the import refuses the file unless all are the account's.
  const currencies: CurrencyMention[] = [];
  const preambleCurrency = findPreambleCurrency(rows.slice(0, layout.headerIndex));
  if (preambleCurrency) currencies.push(preambleCurrency);
  // The columns the header names (a trailing empty header cell is no column): a last row with fewer
  // cells than that, and fewer than the lines before it, was cut off.
  const named = shown.reduce((n, h, i) => (h.trim() ? i + 1 : n), 0);
  let widest = 0;
  const headerKey = headers.join('\u0001');

  const parseDate = (text: string, line: number, i: number): DateTime => {
    const dt = parseDateTime(text, order) ?? (src.serialDates ? excelSerial(text) : null);
    if (!dt && text) fail('bad_date', 'stmt_not_date', { value: text }, line, field(i));
    if (!dt) fail('bad_date', 'stmt_no_date', {}, line, field(i));
    return dt;
  };
  const money = (text: string, line: number, i: number | null): string | null => {
    if (isBlankAmount(text)) return null;
    const v = parseBankAmount(text);
    if (v === null) fail('bad_amount', 'stmt_not_amount', { value: text }, line, field(i));
    return v;
  };

  const groups = new Map<string, { account: string | null; currency: string; lines: StatementLine[]; tally: LineTally | null }>();
  const each = (row: Row, last: boolean): void | Promise<void> => {
    const cells = row.cells.map(cleanCell);
    const filled = cells.filter(Boolean);
    if (filled.length <= 1) return; // blank lines and one-cell notes ("共12笔记录", "导出时间…")
    if (SUMMARY.test(filled[0] ?? '')) return;
    if (cells[0] === shown[0]?.trim() && cells.map(normaliseHeader).join('\u0001') === headerKey) return; // header repeated on every page
    if (row.cells.length < needed) {
      // A short row that does not start like a line is a note ("已收入:5笔,14754.48元"); one that does was cut.
      if (!parseDateTime(cells[c.date as number] ?? cells[0] ?? '', order)) return;
      if (last)
        fail(
          'truncated',
          'stmt_last_row_short',
          { cells: String(row.cells.length), columns: String(headers.length) },
          row.line,
          field(needed - 1),
        );
      fail(
        'bad_value',
        'stmt_row_cells',
        { cells: String(row.cells.length), columns: String(headers.length) },
        row.line,
        field(needed - 1),
      );
    }
    if (src.text && last && row.cells.length < named && (widest === 0 || row.cells.length < widest))
      fail(
        'truncated',
        'stmt_last_row_cut',
        { cells: String(row.cells.length), columns: String(named) },
        row.line,
        field(row.cells.length),
      );
    widest = Math.max(widest, row.cells.length);
    const get = (i: number | null) => (i === null ? '' : (cells[i] ?? ''));
    const text = (i: number | null) => (PLACEHOLDER.test(get(i)) ? '' : get(i));
    if (m.skip && c.skip !== null && m.skip.values.includes(get(c.skip))) return;
    const line = row.line;

    let amount: string;
    if (a.kind === 'signed') {
      const v = money(get(amountCols[0] ?? null), line, amountCols[0] ?? null);
      if (v === null) fail('bad_amount', 'stmt_no_amount', {}, line, field(amountCols[0] ?? null));
      amount = v;
    } else if (a.kind === 'direction') {
      const dir = get(amountCols[1] ?? null);
      if ((a.ignore ?? []).includes(dir)) return;
      const v = money(get(amountCols[0] ?? null), line, amountCols[0] ?? null);
      if (v === null) fail('bad_amount', 'stmt_no_amount', {}, line, field(amountCols[0] ?? null));
      if (a.in.includes(dir)) amount = v;
      else if (a.out.includes(dir)) amount = negateDecimal(v);
      else
        fail('bad_value', 'stmt_direction', { value: dir, in: a.in.join('/'), out: a.out.join('/') }, line, field(amountCols[1] ?? null));
    } else {
      // in_out and debit_credit: the first column is money in (收入, 贷方), the second money out
      const vin = money(get(amountCols[0] ?? null), line, amountCols[0] ?? null);
      const vout = money(get(amountCols[1] ?? null), line, amountCols[1] ?? null);
      const nonZero = (v: string | null) => v !== null && compareDecimals(v, '0') !== 0;
      if (nonZero(vin) && nonZero(vout))
        fail(
          'bad_amount',
          'stmt_both_amounts',
          { first: String(field(amountCols[0] ?? null)), second: String(field(amountCols[1] ?? null)) },
          line,
          field(amountCols[0] ?? null),
        );
      if (vin === null && vout === null) fail('bad_amount', 'stmt_no_amount_either', {}, line, field(amountCols[0] ?? null));
      amount = nonZero(vout) || vin === null ? negateDecimal(vout ?? '0') : vin;
    }

    const dt = parseDate(get(c.date), line, c.date as number);
    let time = dt.time;
    if (c.time !== null && get(c.time)) {
      time =
        parseTime(get(c.time)) ??
        parseDateTime(get(c.time), order)?.time ??
        (src.serialDates ? excelSerial(get(c.time))?.time : null) ??
        null;
      if (time === null) fail('bad_date', 'stmt_not_time', { value: get(c.time) }, line, field(c.time));
    }
    const valueDate = c.value !== null && get(c.value) ? parseDate(get(c.value), line, c.value).date : null;
    const currency =
      c.currency !== null && get(c.currency)
        ? currencyOf(get(c.currency), line, field(c.currency) ?? '')
        : (preambleCurrency?.currency ?? m.defaultCurrency ?? 'CNY');
    if (c.currency !== null && get(c.currency)) mention(currencies, currency, line, field(c.currency) ?? 'currency');
    const amountField = field(amountCols[0] ?? null);
    const balanceText = get(c.balance);
    const balance = c.balance !== null ? money(balanceText, line, c.balance) : null;
    const counterparty =
      c.cp !== null
        ? splitCounterparty(text(c.cp))
        : { name: text(c.cpName) || null, account: text(c.cpAccount).replace(/\s/g, '') || null };
    const memoParts = [...new Set(c.memo.map(text).filter(Boolean))];
    const reversal = c.reversal.some((i) => reversalRule.words.some((w) => get(i).includes(w)));
    const account = (c.account !== null ? get(c.account).replace(/\s/g, '') : '') || preambleAccount;
    const key = `${account ?? ''}\u0001${currency}`;
    const group = groups.get(key) ?? {
      account,
      currency,
      lines: [],
      tally: stream ? new LineTally(stream.exact, stream.newestFirst === true) : null,
    };
    groups.set(key, group);
    const l: StatementLine = {
      booked: dt.date,
      value: valueDate,
      amount: fitToCurrency(amount, currency, line, amountField),
      counterparty,
      reference: text(c.reference) || null,
      memo: memoParts.length ? memoParts.join(' | ') : null,
      bank_ref: text(c.bankRef) || null,
      time,
      balance_after: balance === null ? null : fitToCurrency(balance, currency, line, field(c.balance)),
      reversal,
      line,
    };
    if (group.tally && stream) {
      group.tally.add(l);
      return stream.line(group, l, group.tally.repeated);
    } else group.lines.push(l);
  };
  // one row of look-ahead: a short last row is a file cut off, a short row elsewhere a bad row
  let pending: Row | null = null;
  const take = (row: Row) => {
    const written = pending ? each(pending, false) : undefined;
    pending = row;
    return written;
  };
  for (let k = layout.headerIndex + 1; k < rows.length; k++) {
    const written = take(rows[k] as Row);
    if (written) yield written;
  }
  if (src.rest)
    for (let r = src.rest.next(); !r.done; r = src.rest.next()) {
      const written = take(r.value);
      if (written) yield written;
    }
  if (pending) {
    const written = each(pending, true);
    if (written) yield written;
  }
  if (!groups.size) fail('empty', 'stmt_header_only', {}, rows[layout.headerIndex]?.line ?? null);
  if (stream) {
    const suspects = [...groups.values()].flatMap((g) => g.tally?.suspects ?? []).map((h) => `${h[0]}:${h[1]}`);
    if (suspects.length) throw new SuspectRefs(suspects);
    return [...groups.values()].map((g) => {
      const t = g.tally as LineTally;
      t.refuseDuplicates(field(c.bankRef) ?? 'bank_ref');
      const { opening, closing, continuity } = t.result();
      return {
        account: g.account,
        currency: g.currency,
        opening,
        closing,
        lines: [],
        continuity,
        format: src.format,
        profile: layout.profile?.id ?? null,
        currencies,
      };
    });
  }
  return [...groups.values()].map((g) => {
    refuseDuplicateRefs(g.lines, field(c.bankRef) ?? 'bank_ref');
    const { opening, closing, problems } = runningBalances(g.lines);
    return {
      account: g.account,
      currency: g.currency,
      opening,
      closing,
      lines: g.lines,
      continuity: checkContinuity(opening, closing, g.lines, problems),
      format: src.format,
      profile: layout.profile?.id ?? null,
      currencies,
    };
  });
}

function findPreambleAccount(rows: Row[]): string | null {
  for (const r of rows) {
    const m = /(?:账号|帐号|账户|卡号)\s*[:：]?\s*\[?\s*([0-9*][0-9* -]{5,}[0-9*])/.exec(r.cells.join(' '));
    if (m?.[1]) return m[1].replace(/[\s-]/g, '');
  }
  return null;
}

/**
 * With a balance on every line, the opening and closing balances follow from the first and last
 * line, and each line must carry the previous balance forward. Exports run oldest-first or
 * newest-first; the order whose dates do not go backwards (or, on one day, that breaks less) is used.
 */
function runningBalances(lines: StatementLine[]): { opening: Balance | null; closing: Balance | null; problems: Refusal[] } {
  if (!lines.length || lines.some((l) => !l.balance_after)) return { opening: null, closing: null, problems: [] };
  const breaks = (seq: StatementLine[]) => {
    const out: Refusal[] = [];
    for (let i = 1; i < seq.length; i++) {
      const prev = seq[i - 1] as StatementLine;
      const cur = seq[i] as StatementLine;
      const expected = addDecimals(prev.balance_after as string, cur.amount);
      if (compareDecimals(expected, cur.balance_after as string) !== 0) {
        out.push(
          refusal('continuity_running_balance', {
            line: String(cur.line),
            balance: cur.balance_after as string,
            previous: prev.balance_after as string,
            amount: `${cur.amount.startsWith('-') ? '' : '+'}${cur.amount}`,
            expected,
          }),
        );
      }
    }
    return out;
  };
  const first = (lines[0] as StatementLine).booked;
  const last = (lines[lines.length - 1] as StatementLine).booked;
  const reversed = [...lines].reverse();
  const newestFirst = first > last || (first === last && breaks(reversed).length < breaks(lines).length);
  const seq = newestFirst ? reversed : lines;
  const head = seq[0] as StatementLine;
  const tail = seq[seq.length - 1] as StatementLine;
  return {
    opening: { date: head.booked, amount: addDecimals(head.balance_after as string, negateDecimal(head.amount)) },
    closing: { date: tail.booked, amount: tail.balance_after as string },
    problems: breaks(seq),
  };
}
