// The file the tax platform gives back after a batch issue: each invoice's serial (发票流水号) with the
// 20-digit number it assigned (发票号码). CSV (any common delimiter and encoding) or XLSX; the first row
// naming both columns is the header. A wrong file is refused whole with every bad row named.
import { refusal, refuse, type Refusal } from '../domain/refusals';
import { parseCsv } from './statements/csv';
import { decodeText } from './statements/text';
import { StatementError, statementRefused } from './statements/types';
import { readSmallXlsx } from './invoice-workbook';

const SERIAL = ['发票流水号', '流水号', 'serial'];
const NUMBER = ['发票号码', '数电发票号码', '数电票号码', '全电发票号码', 'number', 'invoice number'];
const MAX_ROWS = 500_000;

export interface NumberRow {
  line: number;
  serial: string;
  number: string;
}

const norm = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

export async function readInvoiceNumbers(bytes: Buffer, fileName: string): Promise<NumberRow[]> {
  let rows: { cells: string[]; line: number }[];
  try {
    const xlsx = bytes[0] === 0x50 && bytes[1] === 0x4b;
    rows = xlsx ? (await readSmallXlsx(bytes, MAX_ROWS)).flatMap((s) => s.rows) : parseCsv(decodeText(bytes).text, MAX_ROWS);
  } catch (e) {
    if (e instanceof StatementError) throw statementRefused(fileName, e);
    throw refuse('VALIDATION', 'numbers_unreadable', { file: fileName, detail: (e as Error).message }, { file: fileName });
  }
  const head = rows.findIndex((r) => r.cells.some((c) => SERIAL.includes(norm(c))) && r.cells.some((c) => NUMBER.includes(norm(c))));
  if (head < 0) throw refuse('VALIDATION', 'numbers_no_header', { file: fileName }, { file: fileName });
  const cells = rows[head]!.cells.map(norm);
  const si = cells.findIndex((c) => SERIAL.includes(c));
  const ni = cells.findIndex((c) => NUMBER.includes(c));
  const out: NumberRow[] = [];
  const problems: Refusal[] = [];
  const seen = new Map<string, string>();
  for (const r of rows.slice(head + 1)) {
    const serial = (r.cells[si] ?? '').trim().toUpperCase();
    const number = (r.cells[ni] ?? '').trim();
    if (!serial && !number) continue;
    const line = String(r.line);
    if (!/^[0-9A-Z]{1,20}$/.test(serial)) problems.push(refusal('numbers_bad_serial', { line, serial }));
    else if (!/^\d{20}$/.test(number)) problems.push(refusal('numbers_bad_number', { line, number }));
    else if (seen.has(serial) && seen.get(serial) !== number) problems.push(refusal('numbers_twice', { line, serial }));
    else {
      seen.set(serial, number);
      out.push({ line: r.line, serial, number });
    }
  }
  if (problems.length) {
    const params = { file: fileName, count: String(problems.length) };
    const listed = problems
      .slice(0, 5)
      .map((p) => p.message)
      .join('; ');
    // The rows (up to 200) ride along as refusals of their own, each with its code and parameters.
    throw refuse('VALIDATION', 'numbers_bad_rows', params, { file: fileName, problems: problems.slice(0, 200) }, { suffix: `: ${listed}` });
  }
  if (!out.length) throw refuse('VALIDATION', 'numbers_no_rows', { file: fileName }, { file: fileName });
  return out;
}
