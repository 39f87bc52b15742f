// Vouchers out for the user's general ledger (金蝶 KIS / 用友): one sheet, one row per voucher line, under
// the built-in headers or a loaded template's (the template's rows down to its header row are copied as
// text, and each data row is filled under the headers it has, by name). Streamed to a temporary file
// and renamed into place; text that would start a formula is neutralised; amounts are numbers shown
// 0.00; the books' witness goes into the workbook's description.
import type ExcelJS from 'exceljs';
import { excel } from './excel';
import { neutralise } from './csv';
import { MONEY_FIELDS, type GlCell, type GlField } from '../domain/gl-export';
import { atomicWrite } from './file-out';

export interface GlSheetHead {
  sheetName: string;
  /** The rows above the data, by line (1-based); the last is the header row. */
  rows: { line: number; cells: string[] }[];
  /** The header row's line. */
  headerLine: number;
  /** Each column's field, or null for a column left empty. */
  fields: (GlField | null)[];
  widths?: (number | undefined)[];
}

const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: '@' };
const MONEY_STYLE: Partial<ExcelJS.Style> = { numFmt: '0.00' };
const PLAIN_STYLE: Partial<ExcelJS.Style> = {};

/** A written cell: text neutralised (='…' never starts a formula), numbers as they are. */
function cellOf(v: GlCell | undefined): string | number | null {
  if (v === undefined || v === null || v === '') return null;
  return typeof v === 'string' ? neutralise(v) : v;
}

export async function writeGlWorkbook(
  target: string,
  head: GlSheetHead,
  rows: Iterable<Partial<Record<GlField, GlCell>>>,
  witness: string | null,
): Promise<{ path: string; bytes: number }> {
  const written = await atomicWrite(target, async (tmp) => {
    const wb = new (await excel()).stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    if (witness) wb.description = witness;
    const ws = wb.addWorksheet(head.sheetName);
    ws.columns = head.fields.map((f, i) => ({ key: String(i), width: head.widths?.[i] ?? (f === 'summary' ? 28 : 14) }));
    let line = 1;
    for (const r of head.rows) {
      while (line < r.line) {
        ws.addRow([]).commit();
        line++;
      }
      const row = ws.addRow(r.cells.map((c) => (c === '' ? null : neutralise(c))));
      row.eachCell((c) => (c.style = TEXT_STYLE));
      row.commit();
      line++;
    }
    for (const values of rows) {
      const row = ws.addRow(head.fields.map((f) => (f ? cellOf(values[f]) : null)));
      head.fields.forEach((f, i) => {
        if (!f) return;
        const c = row.getCell(i + 1);
        c.style = MONEY_FIELDS.has(f) ? MONEY_STYLE : typeof values[f] === 'number' ? PLAIN_STYLE : TEXT_STYLE;
      });
      row.commit();
    }
    ws.commit();
    await wb.commit();
  });
  return written;
}
