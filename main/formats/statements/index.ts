// Statement files in: the format is recognised from the bytes (the file name only breaks ties),
// each reader returns normalised statements, and a refused file throws a StatementError that names
// its line and field.
import { readCamt053 } from './camt053';
import { csvRows, type Row } from './csv';
import { readMt940 } from './mt940';
import { readOfx } from './ofx';
import { PROFILES, type ColumnMapping } from './profiles';
import { HEADER_SCAN, chooseLayout, findHeaderRow, missingColumns, normaliseHeader, readTable, type TableSource } from './table';
import { decodeText, type TextEncoding } from './text';
import { readXls } from './xls';
import { readXlsx } from './xlsx';
import { DEFAULT_LIMITS, StatementError, fail, type Limits, type Statement, type StatementFormat } from './types';

export * from './types';
export { PROFILES, profileById, type AmountRule, type ColumnMapping, type ColumnRef, type Profile } from './profiles';
export { CURRENCY_EXPONENTS, currencyExponent, toMinorUnits } from './decimal';
export { splitCounterparty } from './table';

export interface ReadOptions {
  fileName: string;
  /** a profile id (icbc, ccb, boc, cmbc, alipay, wechat, corporate) for CSV, XLSX and XLS */
  profile?: string;
  /** a custom column mapping from the preview; wins over `profile` */
  mapping?: ColumnMapping;
  limits?: Partial<Limits>;
}

type Sniffed = StatementFormat | 'text';

const SIGNATURES = [
  ['%PDF', 'stmt_file_is_pdf'],
  ['\x89PNG', 'stmt_file_is_png'],
  ['\xFF\xD8\xFF', 'stmt_file_is_jpeg'],
  ['GIF8', 'stmt_file_is_gif'],
  ['Rar!', 'stmt_file_is_rar'],
  ['\x1F\x8B', 'stmt_file_is_gzip'],
  ['7z\xBC\xAF', 'stmt_file_is_7z'],
] as const;

function extension(fileName: string): string {
  return /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
}

function sniff(bytes: Buffer, fileName: string): Sniffed {
  const ext = extension(fileName);
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (head.startsWith('PK\x03\x04') || head.startsWith('PK\x05\x06')) return 'xlsx';
  if (head.startsWith('\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1')) return 'xls';
  for (const [sig, what] of SIGNATURES) if (head.startsWith(sig)) fail('wrong_format', what, { file: fileName }, null, null);
  if (ext === 'xlsx' || ext === 'xlsm') fail('wrong_format', 'stmt_not_workbook', { file: fileName }, 1, null);
  const text = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (/^OFXHEADER|<OFX>|<\?OFX/i.test(text)) return 'ofx';
  if (text.startsWith('<?xml') || text.startsWith('<Document')) return 'camt053';
  if (/^(\{1:|:20:)/m.test(text) || /^:\d\d[A-Z]?:/m.test(text)) return 'mt940';
  if (/^<(!doctype html|html|table)/i.test(text)) fail('unsupported', 'stmt_html', { file: fileName }, 1, null);
  if (/^[[{]/.test(text)) fail('wrong_format', 'stmt_json', { file: fileName }, 1, null);
  if (ext === 'sta' || ext === 'mt940' || ext === '940') return 'mt940';
  if (ext === 'ofx' || ext === 'qfx') return 'ofx';
  if (ext === 'xml') return 'camt053';
  return 'text';
}

function limitsOf(opts: { limits?: Partial<Limits> }): Limits {
  return { ...DEFAULT_LIMITS, ...opts.limits };
}

interface Tabular {
  source: TableSource;
  encoding: TextEncoding | null;
  sheet: string | null;
}

/**
 * A CSV's first rows (enough to find the header, or to reach the header row a mapping names) are
 * read ahead; the rest stays an iterator for `readTable` unless `whole` asks for every row.
 */
function csvSource(
  text: string,
  maxRows: number,
  headerRow: number | undefined,
  whole: boolean,
): { rows: Row[]; rest: Iterator<Row, void> } {
  const rest = csvRows(text, maxRows);
  const rows: Row[] = [];
  for (;;) {
    const last = rows[rows.length - 1];
    if (!whole && rows.length >= HEADER_SCAN + 11 && (headerRow === undefined || (last?.line ?? 0) >= headerRow)) break;
    const r = rest.next();
    if (r.done) break;
    rows.push(r.value);
  }
  return { rows, rest };
}

async function tabulars(
  bytes: Buffer,
  format: 'xlsx' | 'xls' | 'text',
  fileName: string,
  limits: Limits,
  csv: { headerRow?: number; whole: boolean },
): Promise<Tabular[]> {
  if (format === 'xls') {
    const { sheets, date1904 } = readXls(bytes, limits);
    // date-formatted cells are already text; a bare number in a date column is a serial day only in the 1900 system
    return sheets.map((s) => ({ source: { rows: s.rows, format: 'xls', serialDates: !date1904 }, encoding: null, sheet: s.name }));
  }
  if (format === 'xlsx') {
    const sheets = await readXlsx(bytes, limits);
    return sheets.map((s) => ({ source: { rows: s.rows, format: 'xlsx', serialDates: true }, encoding: null, sheet: s.name }));
  }
  const { text, encoding } = decodeText(bytes);
  // Some banks' ".xls" downloads are tab-separated text; they are read as such.
  const fmt: StatementFormat = extension(fileName) === 'xls' ? 'xls' : 'csv';
  const { rows, rest } = csvSource(text, limits.maxLines, csv.headerRow, csv.whole);
  return [{ source: { rows, rest, format: fmt, serialDates: false, text: true }, encoding, sheet: null }];
}

function csvRemainder(src: TableSource): TableSource {
  const rows = [...src.rows];
  if (src.rest) for (let r = src.rest.next(); !r.done; r = src.rest.next()) rows.push(r.value);
  return { rows, format: src.format, serialDates: src.serialDates, ...(src.text ? { text: true } : {}) };
}

function checkSize(bytes: Buffer, format: Sniffed, limits: Limits): void {
  if (bytes.length === 0) fail('empty', 'stmt_file_empty', {});
  if (format !== 'xlsx' && format !== 'xls' && bytes.length > limits.maxTextBytes) {
    fail('too_large', 'stmt_file_too_large', { bytes: String(bytes.length), max: String(limits.maxTextBytes) });
  }
}

/** Reads every statement in a file (camt.053, MT940 and OFX may hold several; a CSV one per account and currency). */
export async function readStatements(bytes: Buffer, opts: ReadOptions): Promise<Statement[]> {
  const limits = limitsOf(opts);
  const format = sniff(bytes, opts.fileName);
  checkSize(bytes, format, limits);
  switch (format) {
    case 'camt053':
      return readCamt053(decodeText(bytes).text);
    case 'mt940':
      return readMt940(decodeText(bytes).text);
    case 'ofx':
      return readOfx(bytes);
    default: {
      const tabs = await tabulars(bytes, format === 'xlsx' || format === 'xls' ? format : 'text', opts.fileName, limits, {
        ...(opts.mapping?.headerRow ? { headerRow: opts.mapping.headerRow } : {}),
        whole: false,
      });
      let firstError: unknown = null;
      for (const t of tabs) {
        if (!t.source.rows.some((r) => r.cells.some((c) => c.trim()))) {
          // a CSV whose first rows are all blank is read on: the header may come later, or nothing at all
          if (!t.source.rest) continue;
          const more = csvRemainder(t.source);
          if (!more.rows.some((r) => r.cells.some((c) => c.trim()))) continue;
          t.source = more;
        }
        try {
          return readTable(t.source, chooseLayout(t.source.rows, opts));
        } catch (err) {
          // a workbook's first sheet may be a cover page; the error of the first sheet tried is kept
          if (!(err instanceof StatementError) || err.code !== 'bad_header' || tabs.length === 1) throw err;
          firstError ??= err;
        }
      }
      if (firstError) throw firstError;
      fail('empty', 'stmt_no_rows', {});
    }
  }
}

export interface LayoutPreview {
  format: StatementFormat;
  encoding: TextEncoding | null;
  sheet: string | null;
  /** line (CSV) or row number (worksheet) of the header, null when none was found */
  headerRow: number | null;
  headers: string[];
  /** the rows after the header (or the first rows when there is none), at most 10 */
  sampleRows: string[][];
  suggestedProfile: string | null;
  /** which shipped profiles fit the header, and what each misses */
  profiles: { id: string; name: string; fits: boolean; missing: string[] }[];
}

/** What the console's mapping preview shows for a CSV, XLSX or XLS file. */
export async function detectLayout(bytes: Buffer, fileName: string, opts: { limits?: Partial<Limits> } = {}): Promise<LayoutPreview> {
  const limits = limitsOf(opts);
  const format = sniff(bytes, fileName);
  checkSize(bytes, format, limits);
  if (format !== 'xlsx' && format !== 'xls' && format !== 'text') {
    return { format, encoding: null, sheet: null, headerRow: null, headers: [], sampleRows: [], suggestedProfile: null, profiles: [] };
  }
  const tabs = await tabulars(bytes, format, fileName, limits, { whole: true });
  const previews = tabs.map((t) => preview(t));
  return previews.find((p) => p.headerRow !== null) ?? (previews[0] as LayoutPreview);
}

function preview(t: Tabular): LayoutPreview {
  const rows = t.source.rows;
  let headerIndex: number | null = null;
  let suggested: string | null = null;
  try {
    const layout = chooseLayout(rows, {});
    headerIndex = layout.headerIndex;
    suggested = layout.profile?.id ?? null;
  } catch (err) {
    if (!(err instanceof StatementError)) throw err;
  }
  headerIndex ??= findHeaderRow(rows);
  const header = headerIndex === null ? null : (rows[headerIndex] as Row);
  const headers = header ? header.cells.map((c) => c.trim()) : [];
  const normalised = headers.map(normaliseHeader);
  const sample = rows.slice(headerIndex === null ? 0 : headerIndex + 1, (headerIndex ?? -1) + 11).map((r) => r.cells.map((c) => c.trim()));
  return {
    format: t.source.format,
    encoding: t.encoding,
    sheet: t.sheet,
    headerRow: header?.line ?? null,
    headers,
    sampleRows: sample,
    suggestedProfile: suggested,
    profiles: PROFILES.map((p) => {
      const missing = missingColumns(p.mapping, normalised);
      return { id: p.id, name: p.name, fits: header !== null && missing.length === 0, missing };
    }),
  };
}

export interface InspectLine {
  booked: string;
  value: string | null;
  amount: string;
  counterparty: { name: string | null; account: string | null };
  reference: string | null;
  memo: string | null;
  bank_ref: string | null;
}

export type InspectJson =
  | {
      statements: {
        account: string | null;
        currency: string | null;
        opening: { date: string; amount: string } | null;
        closing: { date: string; amount: string } | null;
        lines: InspectLine[];
        continuity: Statement['continuity'];
      }[];
    }
  | { error: { code: string; message: string; line: number | null } };

/** Exactly what `coffer inspect statement FILE --json` prints; a refused file gives `{"error": …}`. */
export async function inspectStatementJson(bytes: Buffer, opts: ReadOptions): Promise<InspectJson> {
  try {
    const statements = await readStatements(bytes, opts);
    return {
      statements: statements.map((s) => ({
        account: s.account,
        currency: s.currency,
        opening: s.opening,
        closing: s.closing,
        lines: s.lines.map((l) => ({
          booked: l.booked,
          value: l.value,
          amount: l.amount,
          counterparty: { name: l.counterparty.name, account: l.counterparty.account },
          reference: l.reference,
          memo: l.memo,
          bank_ref: l.bank_ref,
        })),
        continuity: s.continuity,
      })),
    };
  } catch (err) {
    if (err instanceof StatementError) return { error: { code: err.code, message: err.message, line: err.line } };
    return { error: { code: 'unreadable', message: `the file could not be read: ${(err as Error).message}`, line: null } };
  }
}
