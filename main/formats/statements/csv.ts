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
