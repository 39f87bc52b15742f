// The CSV reader hands rows over one at a time, cutting cells as slices of the text; it must read
// any text exactly as the character-by-character reader it replaced: same cells, same line numbers,
// same refusal for a file that ends inside quotes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../main/formats/statements/csv';

/** The reader before rows were streamed (RFC 4180 quotes, CR / LF / CRLF rows), for comparison. */
function reference(text: string, d: string): { cells: string[]; line: number }[] | 'truncated' {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
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
    } else if (c === d) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ cells, line: rowLine });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) return 'truncated';
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
  }
  return rows;
}

describe('CSV rows', () => {
  it('reads any text like the character-by-character reader', () => {
    const piece = fc.constantFrom(',', '"', '""', '\n', '\r', '\r\n', ' ', 'a', '金额', '1,000.00', '\u3000', 'x"y');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = 'a,b,c\n' + pieces.join(''); // the first line fixes the delimiter as a comma
        const want = reference(text, ',');
        if (want === 'truncated') expect(() => parseCsv(text, 1000)).toThrow(/ends inside a quoted field/);
        else expect(parseCsv(text, 1000)).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });
});
