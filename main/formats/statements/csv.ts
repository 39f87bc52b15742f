// CSV / TSV text → rows of cells with the line each row starts on. Quotes per RFC 4180; the
// delimiter (comma, tab, semicolon) is the one that splits the first lines most consistently.
import { fail } from './types';

export interface Row {
  cells: string[];
  line: number;
}

function guessDelimiter(text: string): string {
  const sample = text
    .slice(0, 64 * 1024)
    .split(/\r\n|\n|\r/)
    .slice(0, 40);
  let best = ',';
  let bestScore = -1;
  for (const d of [',', '\t', ';']) {
    const counts = sample.map((l) => l.split(d).length - 1).filter((c) => c > 0);
    if (!counts.length) continue;
    const top = Math.max(...counts);
    const score = counts.filter((c) => c === top).length * top;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** A row read from the text, and where the next one starts (its offset and line). */
interface ReadRow extends Row {
  next: number;
  nextLine: number;
}

/**
 * The row that starts at `from` on line `line`, delimiter `d`. Cells are slices of the text, not
 * strings grown a character at a time: at a million lines the per-character concatenations were most
 * of the garbage the reader made. Undefined when the text ends before the row does and more may follow
 * (not `final`), or when nothing is left of it; with `final` the end of the text ends the last row.
 */
function readRow(t: string, from: number, line: number, d: number, final: boolean): ReadRow | undefined {
  const n = t.length;
  const cells: string[] = [];
  let cell = ''; // the part of the current cell before `start` (quoted parts, unquoted text before them)
  let start = from; // where the current cell's pending unquoted text begins
  let quoted = false;
  const rowLine = line;
  let quoteLine = line;
  for (let i = from; i < n; i++) {
    const c = t.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (i + 1 >= n && !final) return undefined; // a doubled quote may follow in the next piece
        if (t.charCodeAt(i + 1) === QUOTE) {
          cell += t.slice(start, i + 1);
          i++;
        } else {
          cell += t.slice(start, i);
          quoted = false;
        }
        start = i + 1;
      } else if (c === LF) line++;
    } else if (c === QUOTE && (cell + t.slice(start, i)).trim() === '') {
      cell = '';
      quoted = true;
      quoteLine = line;
      start = i + 1;
    } else if (c === d) {
      cells.push(cell + t.slice(start, i));
      cell = '';
      start = i + 1;
    } else if (c === LF || c === CR) {
      if (c === CR && i + 1 >= n && !final) return undefined; // CR LF split across pieces
      cells.push(cell + t.slice(start, i));
      if (c === CR && t.charCodeAt(i + 1) === LF) i++;
      return { cells, line: rowLine, next: i + 1, nextLine: line + 1 };
    }
  }
  if (!final) return undefined;
  if (quoted) fail('truncated', 'stmt_csv_open_quote', {}, quoteLine);
  cell += t.slice(start, n);
  if (cell === '' && !cells.length) return undefined;
  cells.push(cell);
  return { cells, line: rowLine, next: n, nextLine: line };
}

function countRow(count: number, maxRows: number, line: number): number {
  if (count + 1 > maxRows) fail('too_large', 'stmt_too_many_rows', { max: String(maxRows) }, line);
  return count + 1;
}

/** Rows one at a time, so a caller that keeps only what it needs of each row never holds the whole file as cells. */
export function* csvRows(text: string, maxRows: number): Generator<Row, void, undefined> {
  const d = guessDelimiter(text).charCodeAt(0);
  let at = 0;
  let line = 1;
  let count = 0;
  for (let r = readRow(text, at, line, d, true); r; r = readRow(text, at, line, d, true)) {
    count = countRow(count, maxRows, r.line);
    yield { cells: r.cells, line: r.line };
    at = r.next;
    line = r.nextLine;
  }
}

export function parseCsv(text: string, maxRows: number): Row[] {
  return [...csvRows(text, maxRows)];
}

/**
 * The same rows as `csvRows`, from text that arrives in pieces: a row is handed over once its end of
 * line is seen, and an unfinished row waits (from its start) for the next piece. The delimiter is
 * guessed from the first piece, which the caller makes at least 64 KiB of text or the whole file.
 */
export class CsvChunks {
  private buf = '';
  private line = 1;
  private count = 0;
  private d = -1;

  constructor(private readonly maxRows: number) {}

  /** Rows completed by `text`; with `final` the text is the end of the file. */
  push(text: string, final: boolean, out: (row: Row) => void): void {
    const t = this.buf ? this.buf + text : text;
    if (this.d < 0) this.d = guessDelimiter(t).charCodeAt(0);
    let at = 0;
    for (let r = readRow(t, at, this.line, this.d, final); r; r = readRow(t, at, this.line, this.d, final)) {
      this.count = countRow(this.count, this.maxRows, r.line);
      out({ cells: r.cells, line: r.line });
      at = r.next;
      this.line = r.nextLine;
    }
    this.buf = final ? '' : t.slice(at);
  }
}
