// Statement files in: the format is recognised from the bytes (the file name only breaks ties),
// each reader returns normalised statements, and a refused file throws a StatementError that names
// its line and field.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { readCamt053 } from './camt053';
import { CsvChunks, csvRows, type Row } from './csv';
import { readMt940 } from './mt940';
import { readOfx } from './ofx';
import { PROFILES, type ColumnMapping } from './profiles';
import {
  HEADER_SCAN,
  SuspectRefs,
  chooseLayout,
  findHeaderRow,
  missingColumns,
  normaliseHeader,
  readTable,
  streamTable,
  type TableSource,
  type TableStream,
} from './table';
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

/** The file cannot be read as a stream (not text, UTF-16, several statements, an odd encoding): read it whole. */
export class NotStreamable extends Error {
  constructor(why: string) {
    super(why);
  }
}

/** The file is not UTF-8 after all: read it again as GB18030. */
export class ReadAsGb18030 extends Error {}

export { OtherOrder, SuspectRefs, type TableStream } from './table';

const CHUNK = 1 << 16;

/**
 * A CSV/TSV statement file read as a stream: bytes in 64 KiB pieces (digested, checked for NUL and
 * decoded as they pass), rows cut from the decoded text as they complete, each line handed to
 * `stream.line` and not kept. The statements returned carry no lines; their continuity, duplicate
 * references and currencies are the whole file's, as `readStatements` gives them. Throws what
 * `readStatements` would throw, decided in the same order (a NUL anywhere, then the encoding, then
 * the first problem in the rows), or `NotStreamable` / `ReadAsGb18030` / `SuspectRefs` for the
 * caller to read the file another way.
 */
export async function streamStatements(
  file: string,
  opts: ReadOptions & { gb18030?: boolean; /** tests: smaller pieces */ pieceBytes?: number },
  stream: TableStream,
): Promise<{ statements: Statement[]; sha256: string }> {
  const limits = limitsOf(opts);
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const pieceSize = opts.pieceBytes ?? CHUNK;
    const buf = Buffer.alloc(pieceSize);
    let pos = 0;
    const readPiece = (): Buffer | null => {
      if (pos >= size) return null;
      const n = fs.readSync(fd, buf, 0, Math.min(pieceSize, size - pos), pos);
      pos += n;
      return n ? buf.subarray(0, n) : null;
    };
    const head = Buffer.alloc(Math.min(4096, size));
    fs.readSync(fd, head, 0, head.length, 0);
    const format = sniff(head, opts.fileName);
    if (format !== 'text') throw new NotStreamable(`a ${format} file`);
    if (size === 0) fail('empty', 'stmt_file_empty', {});
    if (size > limits.maxTextBytes) fail('too_large', 'stmt_file_too_large', { bytes: String(size), max: String(limits.maxTextBytes) });
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) throw new NotStreamable('UTF-16');
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    const first = Buffer.from(readPiece() ?? Buffer.alloc(0));
    const hash = createHash('sha256');
    const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const gb = opts.gb18030 ? iconv.getDecoder('gb18030') : null;
    let lines = 1; // of the bytes read so far
    let nulSeen = false;
    let skip = bom && !gb ? 3 : 0;
    // Every piece is digested and checked for NUL; the decoder's failure ends the UTF-8 reading.
    const take = (piece: Buffer, last: boolean): string => {
      hash.update(piece);
      const nul = piece.indexOf(0);
      if (nul >= 0) {
        nulSeen = true;
        let at = lines;
        for (let i = 0; i < nul; i++) if (piece[i] === 0x0a) at++;
        fail('bad_encoding', 'stmt_nul_bytes', {}, at);
      }
      for (let i = piece.indexOf(0x0a); i >= 0; i = piece.indexOf(0x0a, i + 1)) lines++;
      const bytes = skip ? piece.subarray(skip) : piece;
      skip = 0;
      let text: string;
      if (gb) {
        text = gb.write(bytes) + (last ? (gb.end() ?? '') : '');
        if (text.includes('\uFFFD')) throw new NotStreamable('GB18030 with bytes it cannot decode');
      } else {
        try {
          text = utf8.decode(bytes, { stream: !last });
        } catch {
          // cut at the very end, or a BOM over bytes that are not UTF-8: as the whole-file reader says it
          if (last || pos >= size - 4 || bom) throw new NotStreamable('UTF-8 failing at its end');
          throw new ReadAsGb18030();
        }
      }
      return text;
    };
    /** After a problem in the rows: the rest of the bytes, for a NUL or an encoding that would come first. */
    const drain = (): void => {
      for (let p = readPiece(); p; p = readPiece()) take(p, pos >= size);
    };
    const chunks = new CsvChunks(limits.maxLines);
    function* rows(): Generator<Row, void, undefined> {
      let text = take(first, pos >= size);
      // the delimiter is guessed from the first 64 KiB of text, as csvRows does
      while (text.length < 64 * 1024 && pos < size) {
        const p = readPiece() as Buffer;
        text += take(p, pos >= size);
      }
      const out: Row[] = [];
      chunks.push(text, pos >= size, (r) => out.push(r));
      yield* out;
      while (pos < size) {
        const p = readPiece() as Buffer;
        out.length = 0;
        chunks.push(take(p, pos >= size), pos >= size, (r) => out.push(r));
        yield* out;
      }
    }
    try {
      const it = rows();
      const head: Row[] = [];
      for (;;) {
        const last = head[head.length - 1];
        const headerRow = opts.mapping?.headerRow || undefined;
        if (head.length >= HEADER_SCAN + 11 && (headerRow === undefined || (last?.line ?? 0) >= headerRow)) break;
        const r = it.next();
        if (r.done) break;
        head.push(r.value);
      }
      if (!head.some((r) => r.cells.some((c) => c.trim()))) throw new NotStreamable('blank first rows');
      const fmt: StatementFormat = extension(opts.fileName) === 'xls' ? 'xls' : 'csv';
      const src: TableSource = { rows: head, rest: it, format: fmt, serialDates: false, text: true };
      const statements = await streamTable(src, chooseLayout(head, opts), stream);
      return { statements, sha256: hash.digest('hex') };
    } catch (err) {
      if ((err instanceof StatementError && !nulSeen) || err instanceof SuspectRefs) drain();
      throw err;
    }
  } finally {
    fs.closeSync(fd);
  }
}
