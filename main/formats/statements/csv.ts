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

/**
 * Rows one at a time, so a caller that keeps only what it needs of each row never holds the whole
 * file as cells. Cells are slices of the text, not strings grown a character at a time: at a
 * million lines the per-character concatenations were most of the garbage the reader made.
 */
export function* csvRows(text: string, maxRows: number): Generator<Row, void, undefined> {
  const d = guessDelimiter(text).charCodeAt(0);
  const n = text.length;
  let cells: string[] = [];
  let cell = ''; // the part of the current cell before `start` (quoted parts, unquoted text before them)
  let start = 0; // where the current cell's pending unquoted text begins
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) {
          cell += text.slice(start, i + 1);
          i++;
        } else {
          cell += text.slice(start, i);
          quoted = false;
        }
        start = i + 1;
      } else if (c === LF) line++;
    } else if (c === QUOTE && (cell + text.slice(start, i)).trim() === '') {
      cell = '';
      quoted = true;
      quoteLine = line;
      start = i + 1;
    } else if (c === d) {
      cells.push(cell + text.slice(start, i));
      cell = '';
      start = i + 1;
    } else if (c === LF || c === CR) {
      cells.push(cell + text.slice(start, i));
      if (++count > maxRows) fail('too_large', 'stmt_too_many_rows', { max: String(maxRows) }, rowLine);
      yield { cells, line: rowLine };
      cells = [];
      cell = '';
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      start = i + 1;
      line++;
      rowLine = line;
    }
  }
  if (quoted) fail('truncated', 'stmt_csv_open_quote', {}, quoteLine);
  cell += text.slice(start, n);
  if (cell !== '' || cells.length) {
    cells.push(cell);
    if (count + 1 > maxRows) fail('too_large', 'stmt_too_many_rows', { max: String(maxRows) }, rowLine);
    yield { cells, line: rowLine };
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
    const d = this.d;
    const n = t.length;
    let rowStart = 0;
    for (;;) {
      // one row from rowStart, as csvRows reads it
      const cells: string[] = [];
      let cell = '';
      let start = rowStart;
      let quoted = false;
      let line = this.line;
      const rowLine = line;
      let quoteLine = line;
      let i = rowStart;
      let done = false;
      for (; i < n; i++) {
        const c = t.charCodeAt(i);
        if (quoted) {
          if (c === QUOTE) {
            if (i + 1 >= n && !final) break; // a doubled quote may follow in the next piece
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
          if (c === CR && i + 1 >= n && !final) break; // CR LF split across pieces
          cells.push(cell + t.slice(start, i));
          if (++this.count > this.maxRows) fail('too_large', 'stmt_too_many_rows', { max: String(this.maxRows) }, rowLine);
          if (c === CR && t.charCodeAt(i + 1) === LF) i++;
          done = true;
          break;
        }
      }
      if (done) {
        out({ cells, line: rowLine });
        rowStart = i + 1;
        this.line = line + 1;
        continue;
      }
      if (!final) {
        this.buf = t.slice(rowStart);
        return;
      }
      if (quoted) fail('truncated', 'stmt_csv_open_quote', {}, quoteLine);
      cell += t.slice(start, n);
      if (cell !== '' || cells.length) {
        cells.push(cell);
        if (this.count + 1 > this.maxRows) fail('too_large', 'stmt_too_many_rows', { max: String(this.maxRows) }, rowLine);
        out({ cells, line: rowLine });
      }
      this.buf = '';
      return;
    }
  }
}
