// Old binary Excel (.xls, BIFF8 inside an OLE2 container) → the same rows of text the XLSX reader
// gives, so header detection and the profiles do not know the difference. Only the records a bank
// export uses are read: shared strings, the cell records, cached formula results, and XF/FORMAT to tell
// which numbers are dates. Number cells become their shortest round-trip decimal, exactly as in
// xlsx.ts, so an amount is checked by the same decimal rules; an RK integer scaled by 100 is written
// from the integer itself, with no float division.
import { openCfb } from './cfb';
import type { Row } from './csv';
import type { Sheet } from './xlsx';
import { checkWorkbookSize, fail, type Limits } from './types';

const BOF = 0x0809;
const EOF = 0x000a;
const CONTINUE = 0x003c;
const FILEPASS = 0x002f;
const DATEMODE = 0x0022;
const FORMAT = 0x041e;
const XF = 0x00e0;
const BOUNDSHEET = 0x0085;
const SST = 0x00fc;
const LABELSST = 0x00fd;
const LABEL = 0x0204;
const RSTRING = 0x00d6;
const NUMBER = 0x0203;
const RK = 0x027e;
const MULRK = 0x00bd;
const FORMULA = 0x0006;
const STRING = 0x0207;
const BOOLERR = 0x0205;
const OLD_BOFS = new Map([
  [0x0009, 'Excel 2.x (BIFF2)'],
  [0x0209, 'Excel 3.0 (BIFF3)'],
  [0x0409, 'Excel 4.0 (BIFF4)'],
]);
const MAX_RECORD = 8224;
const MAX_ROWS = 65536;
const MAX_COLS = 256;

// Built-in number formats that show a date or time: 14–22 and 45–47 everywhere, 27–36 and 50–58 in
// Chinese, Japanese and Korean Excel (yyyy"年"m"月"d"日" and its kin).
const BUILTIN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);
const BUILTIN_TIMES = new Set([18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56, 57, 58]);

const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
};

function corrupt(what: string): never {
  fail('unreadable', 'stmt_xls_damaged', { detail: what });
}

/** A custom format shows a date when, outside quoted text and [colour]/[$-804] brackets, it uses y m d h s or 年 月 日. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .split(';')[0] as string;
  return /[ymdhs年月日]/i.test(bare.replace(/general/gi, ''));
}

function isTimeFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\[(?![hms]+\])[^\]]*\]/gi, '');
  return !/[yd年日]/i.test(bare) && /[hs时秒]/i.test(bare);
}

/** A record body followed by its CONTINUE records; strings that cross a boundary restart with a flags byte. */
class Parts {
  private i = 0;
  private pos = 0;
  constructor(
    private readonly parts: Buffer[],
    private readonly what: string,
  ) {}

  private cur(): Buffer {
    while (this.i < this.parts.length && this.pos >= (this.parts[this.i] as Buffer).length) {
      this.i++;
      this.pos = 0;
    }
    if (this.i >= this.parts.length) corrupt(`${this.what} ends early`);
    return this.parts[this.i] as Buffer;
  }

  u8(): number {
    return this.cur()[this.pos++] as number;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() + this.u16() * 0x10000) >>> 0;
  }

  skip(n: number): void {
    let left = n;
    while (left > 0) {
      const b = this.cur();
      const step = Math.min(left, b.length - this.pos);
      this.pos += step;
      left -= step;
    }
  }

  chars(count: number, high: boolean): string {
    let out = '';
    let left = count;
    let wide = high;
    while (left > 0) {
      let b = this.parts[this.i];
      if (b === undefined || this.pos >= b.length) {
        // the characters go on in the next CONTINUE record, which starts with its own flags byte
        this.i++;
        this.pos = 0;
        b = this.parts[this.i];
        if (b === undefined || b.length === 0) corrupt(`${this.what} ends inside a string`);
        wide = ((b[0] as number) & 1) === 1;
        this.pos = 1;
      }
      const width = wide ? 2 : 1;
      const take = Math.min(left, Math.floor((b.length - this.pos) / width));
      if (take === 0) corrupt(`${this.what} splits a character`);
      out += b.toString(wide ? 'utf16le' : 'latin1', this.pos, this.pos + take * width);
      this.pos += take * width;
      left -= take;
    }
    return out;
  }

  /** XLUnicodeString (16-bit length) or ShortXLUnicodeString (8-bit), with rich-text and phonetic runs skipped. */
  string(lengthBytes: 1 | 2, rich = false): string {
    const cch = lengthBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    const runs = rich && flags & 8 ? this.u16() : 0;
    const ext = rich && flags & 4 ? this.u32() : 0;
    const text = this.chars(cch, (flags & 1) === 1);
    if (runs) this.skip(runs * 4);
    if (ext) this.skip(ext);
    return text;
  }
}

interface Record_ {
  type: number;
  parts: Buffer[]; // the body and the bodies of the CONTINUE records after it
  offset: number;
}

function* records(stream: Buffer, from: number): Generator<Record_> {
  let pos = from;
  while (pos < stream.length) {
    if (pos + 4 > stream.length) fail('truncated', 'stmt_xls_cut_at', { pos: String(pos) });
    const type = stream.readUInt16LE(pos);
    const len = stream.readUInt16LE(pos + 2);
    if (len > MAX_RECORD) corrupt(`record 0x${type.toString(16)} at byte ${pos} is ${len} bytes long (at most ${MAX_RECORD})`);
    if (pos + 4 + len > stream.length) fail('truncated', 'stmt_xls_cut_record', { pos: String(pos) });
    const rec: Record_ = { type, parts: [stream.subarray(pos + 4, pos + 4 + len)], offset: pos };
    pos += 4 + len;
    while (pos + 4 <= stream.length && stream.readUInt16LE(pos) === CONTINUE) {
      const clen = stream.readUInt16LE(pos + 2);
      if (clen > MAX_RECORD || pos + 4 + clen > stream.length) fail('truncated', 'stmt_xls_cut_record', { pos: String(pos) });
      rec.parts.push(stream.subarray(pos + 4, pos + 4 + clen));
      pos += 4 + clen;
    }
    yield rec;
  }
}

function body(r: Record_, min: number, name: string): Buffer {
  const b = r.parts[0] as Buffer;
  if (b.length < min) corrupt(`${name} record at byte ${r.offset} is ${b.length} bytes, needs ${min}`);
  return b;
}

function checkBof(r: Record_ | undefined, where: string, sheet: boolean): void {
  if (!r) fail('truncated', 'stmt_xls_missing', { what: where });
  const old = OLD_BOFS.get(r.type);
  if (old) fail('unsupported', 'stmt_xls_old', { kind: old });
  if (r.type !== BOF) corrupt(`${where} does not start with a BOF record`);
  const b = body(r, 4, 'BOF');
  const version = b.readUInt16LE(0);
  if (version !== 0x0600) fail('unsupported', 'stmt_xls_biff5', { version: version.toString(16) });
  const kind = b.readUInt16LE(2);
  if (sheet ? kind !== 0x0010 : kind !== 0x0005) corrupt(`${where} starts with a BOF of kind 0x${kind.toString(16)}`);
}

/** 1900 or 1904 day serial → "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or, for a time alone, "HH:MM:SS". */
function serialText(v: number, date1904: boolean, timeOnly: boolean): string | null {
  if (!(v >= 0 && v < 2_958_466)) return null;
  const total = Math.round(v * 86_400);
  const days = Math.floor(total / 86_400);
  const secs = total - days * 86_400;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  if (days === 0 && (timeOnly || v < 1)) return time;
  const d = new Date((date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)) + days * 86_400_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return secs ? `${date} ${time}` : date;
}

/** "128850" scaled by 100 → "1288.5", exactly. */
function hundredths(n: number): string {
  const sign = n < 0 ? '-' : '';
  const s = String(Math.abs(n)).padStart(3, '0');
  const frac = s.slice(-2).replace(/0+$/, '');
  return sign + s.slice(0, -2) + (frac ? `.${frac}` : '');
}

/** An RK number: a 30-bit integer or the top 30 bits of a double, optionally divided by 100. */
function rk(v: number): { value: number; text: string } {
  const div100 = (v & 1) === 1;
  if (v & 2) {
    const n = v >> 2; // arithmetic shift keeps the sign of the 30-bit integer
    return div100 ? { value: n / 100, text: hundredths(n) } : { value: n, text: String(n) };
  }
  const b = Buffer.alloc(8);
  b.writeUInt32LE((v & 0xfffffffc) >>> 0, 4);
  const d = b.readDoubleLE(0);
  const value = div100 ? d / 100 : d;
  return { value, text: String(value) };
}

interface Globals {
  date1904: boolean;
  xfFormats: number[];
  formats: Map<number, string>;
  strings: string[];
  sheets: { name: string; offset: number }[];
}

function readGlobals(stream: Buffer): Globals {
  const g: Globals = { date1904: false, xfFormats: [], formats: new Map(), strings: [], sheets: [] };
  const it = records(stream, 0);
  checkBof(it.next().value as Record_ | undefined, 'the Workbook stream', false);
  for (const r of it) {
    switch (r.type) {
      case FILEPASS:
        return fail('unsupported', 'stmt_xls_encrypted', {});
      case DATEMODE:
        g.date1904 = body(r, 2, 'DATEMODE').readUInt16LE(0) === 1;
        break;
      case FORMAT: {
        const p = new Parts([body(r, 5, 'FORMAT')], 'a FORMAT record');
        const id = p.u16();
        g.formats.set(id, p.string(2));
        break;
      }
      case XF:
        g.xfFormats.push(body(r, 4, 'XF').readUInt16LE(2));
        break;
      case BOUNDSHEET: {
        const b = body(r, 8, 'BOUNDSHEET');
        const p = new Parts([b.subarray(6)], 'a BOUNDSHEET record');
        const name = p.string(1);
        if (b[5] === 0) g.sheets.push({ name, offset: b.readUInt32LE(0) });
        break;
      }
      case SST: {
        const p = new Parts(r.parts, 'the shared string table');
        p.u32();
        const unique = p.u32();
        const bytes = r.parts.reduce((n, x) => n + x.length, 0);
        if (unique > bytes / 3) corrupt(`the shared string table declares ${unique} strings in ${bytes} bytes`);
        for (let k = 0; k < unique; k++) g.strings.push(p.string(2, true));
        break;
      }
      case EOF:
        return g;
      default:
    }
  }
  fail('truncated', 'stmt_xls_no_eof', {});
}

interface Grid {
  rows: Map<number, string[]>;
  cells: number;
}

function readSheet(stream: Buffer, g: Globals, offset: number, name: string, limits: Limits, total: { cells: number }): Row[] {
  if (offset >= stream.length) corrupt(`sheet ${name} starts at byte ${offset}, past the end of the Workbook stream`);
  const grid: Grid = { rows: new Map(), cells: 0 };
  const formatOf = (xf: number): string | number | null => {
    const id = g.xfFormats[xf];
    if (id === undefined) return null;
    return g.formats.get(id) ?? id;
  };
  const put = (row: number, col: number, text: string) => {
    if (row >= MAX_ROWS || col >= MAX_COLS) corrupt(`sheet ${name} has a cell at row ${row + 1}, column ${col + 1}, outside a BIFF8 sheet`);
    let cells = grid.rows.get(row);
    if (!cells) {
      if (grid.rows.size >= limits.maxLines) fail('too_large', 'stmt_sheet_rows', { sheet: name, max: String(limits.maxLines) });
      cells = [];
      grid.rows.set(row, cells);
    }
    if (cells[col] === undefined && ++total.cells > limits.maxCells)
      fail('too_large', 'stmt_workbook_cells', { max: String(limits.maxCells) });
    cells[col] = text;
  };
  const number = (row: number, col: number, xf: number, value: number, text: string) => {
    const fmt = formatOf(xf);
    const isDate = typeof fmt === 'number' ? BUILTIN_DATES.has(fmt) : fmt !== null && isDateFormat(fmt);
    const timeOnly = typeof fmt === 'number' ? BUILTIN_TIMES.has(fmt) : fmt !== null && isTimeFormat(fmt);
    put(row, col, (isDate ? serialText(value, g.date1904, timeOnly) : null) ?? text);
  };
  const it = records(stream, offset);
  checkBof(it.next().value as Record_ | undefined, `sheet ${name}`, true);
  let depth = 0; // an embedded chart brings its own BOF … EOF
  let pendingString: { row: number; col: number } | null = null;
  for (const r of it) {
    if (r.type === BOF) depth++;
    else if (r.type === EOF) {
      if (depth-- === 0) return gridRows(grid);
    }
    if (depth > 0) continue;
    const b = r.parts[0] as Buffer;
    switch (r.type) {
      case LABELSST: {
        body(r, 10, 'LABELSST');
        const k = b.readUInt32LE(6);
        const s = g.strings[k];
        if (s === undefined) corrupt(`a cell of sheet ${name} refers to shared string ${k} of ${g.strings.length}`);
        put(b.readUInt16LE(0), b.readUInt16LE(2), s);
        break;
      }
      case LABEL:
      case RSTRING: {
        body(r, 9, 'LABEL');
        put(b.readUInt16LE(0), b.readUInt16LE(2), new Parts([b.subarray(6)], 'a LABEL record').string(2));
        break;
      }
      case NUMBER: {
        body(r, 14, 'NUMBER');
        const v = b.readDoubleLE(6);
        number(b.readUInt16LE(0), b.readUInt16LE(2), b.readUInt16LE(4), v, String(v));
        break;
      }
      case RK: {
        body(r, 10, 'RK');
        const v = rk(b.readInt32LE(6));
        number(b.readUInt16LE(0), b.readUInt16LE(2), b.readUInt16LE(4), v.value, v.text);
        break;
      }
      case MULRK: {
        body(r, 12, 'MULRK');
        const row = b.readUInt16LE(0);
        const first = b.readUInt16LE(2);
        const n = (b.length - 6) / 6;
        if (!Number.isInteger(n) || b.readUInt16LE(b.length - 2) !== first + n - 1)
          corrupt(`a MULRK record of sheet ${name} has a bad length`);
        for (let i = 0; i < n; i++) {
          const v = rk(b.readInt32LE(4 + i * 6 + 2));
          number(row, first + i, b.readUInt16LE(4 + i * 6), v.value, v.text);
        }
        break;
      }
      case FORMULA: {
        body(r, 20, 'FORMULA');
        const row = b.readUInt16LE(0);
        const col = b.readUInt16LE(2);
        if (b.readUInt16LE(12) !== 0xffff) {
          const v = b.readDoubleLE(6);
          number(row, col, b.readUInt16LE(4), v, String(v));
        } else if (b[6] === 0) pendingString = { row, col };
        else if (b[6] === 1) put(row, col, b[8] ? 'TRUE' : 'FALSE');
        else if (b[6] === 2) put(row, col, ERRORS[b[8] as number] ?? '#ERROR');
        else put(row, col, '');
        break;
      }
      case STRING: {
        if (!pendingString) break;
        put(pendingString.row, pendingString.col, new Parts(r.parts, 'a STRING record').string(2));
        pendingString = null;
        break;
      }
      case BOOLERR: {
        body(r, 8, 'BOOLERR');
        const v = b[6] as number;
        put(b.readUInt16LE(0), b.readUInt16LE(2), b[7] ? (ERRORS[v] ?? '#ERROR') : v ? 'TRUE' : 'FALSE');
        break;
      }
      default:
    }
  }
  fail('truncated', 'stmt_xls_sheet_eof', { sheet: name });
}

function gridRows(grid: Grid): Row[] {
  return [...grid.rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([row, cells]) => ({ cells: Array.from(cells, (c) => c ?? ''), line: row + 1 }));
}

/** The worksheets of an .xls workbook, in order; `date1904` says which day serials its dates used. */
export function readXls(bytes: Buffer, limits: Limits): { sheets: Sheet[]; date1904: boolean } {
  checkWorkbookSize(bytes, limits);
  const cfb = openCfb(bytes);
  const names = new Set(cfb.entries.map((e) => e.name.toLowerCase()));
  if (names.has('encryptedpackage') || names.has('encryptioninfo')) fail('unsupported', 'stmt_xlsx_encrypted', {});
  const entry = cfb.entries.find((e) => e.type === 'stream' && e.name.toLowerCase() === 'workbook');
  if (!entry) {
    if (names.has('book')) fail('unsupported', 'stmt_xls_book_stream', {});
    const what = names.has('worddocument')
      ? 'stmt_ole2_word'
      : names.has('powerpoint document')
        ? 'stmt_ole2_powerpoint'
        : 'stmt_ole2_other';
    fail('wrong_format', what, {});
  }
  const stream = cfb.read(entry);
  const g = readGlobals(stream);
  if (!g.sheets.length) fail('empty', 'stmt_no_worksheet', {});
  const total = { cells: 0 };
  const sheets = g.sheets.map((s) => ({ name: s.name, rows: readSheet(stream, g, s.offset, s.name, limits, total) }));
  return { sheets, date1904: g.date1904 };
}
