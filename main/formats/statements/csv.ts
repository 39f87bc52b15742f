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

export function parseCsv(text: string, maxRows: number): Row[] {
  const d = guessDelimiter(text);
  const rows: Row[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const n = text.length;
  const endRow = () => {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
    if (rows.length > maxRows) fail('too_large', `more than ${maxRows} rows`, rowLine);
    cells = [];
    cell = '';
  };
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
      quoteLine = line;
    } else if (c === d) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) fail('truncated', 'the file ends inside a quoted field (cut off?)', quoteLine);
  if (cell !== '' || cells.length) endRow();
  return rows;
}
