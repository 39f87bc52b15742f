// The file the tax platform gives back after a batch issue: each invoice's serial (发票流水号) with the
// 20-digit number it assigned (发票号码). CSV (any common delimiter and encoding) or XLSX; the first row
// naming both columns is the header. A wrong file is refused whole with every bad row named.
import { CofferError } from '../domain/errors';
import { parseCsv } from './statements/csv';
import { decodeText } from './statements/text';
import { StatementError } from './statements/types';
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
    if (e instanceof StatementError) throw new CofferError('VALIDATION', `${fileName}: ${e.message}`, { file: fileName, line: e.line });
    throw new CofferError('VALIDATION', `${fileName}: not a readable CSV or .xlsx file: ${(e as Error).message}`, { file: fileName });
  }
  const head = rows.findIndex((r) => r.cells.some((c) => SERIAL.includes(norm(c))) && r.cells.some((c) => NUMBER.includes(norm(c))));
  if (head < 0)
    throw new CofferError('VALIDATION', `${fileName}: no header row naming 发票流水号 and 发票号码 (serial and number)`, {
      file: fileName,
    });
  const cells = rows[head]!.cells.map(norm);
  const si = cells.findIndex((c) => SERIAL.includes(c));
  const ni = cells.findIndex((c) => NUMBER.includes(c));
  const out: NumberRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const r of rows.slice(head + 1)) {
    const serial = (r.cells[si] ?? '').trim().toUpperCase();
    const number = (r.cells[ni] ?? '').trim();
    if (!serial && !number) continue;
    if (!/^[0-9A-Z]{1,20}$/.test(serial)) problems.push(`line ${r.line}, 发票流水号: "${serial}" is not a serial`);
    else if (!/^\d{20}$/.test(number)) problems.push(`line ${r.line}, 发票号码: "${number}" is not a 20-digit invoice number`);
    else if (seen.has(serial) && seen.get(serial) !== number)
      problems.push(`line ${r.line}, 发票流水号: ${serial} appears twice with different numbers`);
    else {
      seen.set(serial, number);
      out.push({ line: r.line, serial, number });
    }
  }
  if (problems.length)
    throw new CofferError(
      'VALIDATION',
      `${fileName}: ${problems.length} bad row(s), nothing was recorded: ${problems.slice(0, 5).join('; ')}`,
      {
        file: fileName,
        problems: problems.slice(0, 200),
      },
    );
  if (!out.length) throw new CofferError('VALIDATION', `${fileName}: no rows under the header`, { file: fileName });
  return out;
}
