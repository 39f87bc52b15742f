// Reports out to Excel: streamed with exceljs's workbook writer (rows are committed as they are
// written, so a big report never sits in memory), written to a temporary file and renamed into place.
// Text cells that would start a formula are neutralised; amounts are numbers formatted as yuan.
import { excel } from './excel';
import { neutralise } from './csv';
import { atomicWrite } from './file-out';

export type Cell = string | number | null;

export interface SheetSpec {
  name: string;
  /** Lines written above the header row (a title, the filter the rows were chosen by). */
  preamble?: string[];
  columns: { header: string; width?: number; money?: boolean }[];
  /** Rows, or pages of rows yielded asynchronously (a long export yields to the event loop between pages). */
  rows: Iterable<Cell[]> | AsyncIterable<Cell[]>;
}

/** A money cell: fen shown as yuan. (Excel stores numbers as doubles; fen/100 is exact to the cent on screen.) */
export const yuanCell = (fen: number): number => fen / 100;

/** `witness` goes into the workbook's description (File → Info), proving what the books held. */
export async function writeReportWorkbook(
  target: string,
  sheets: SheetSpec[],
  witness: string | null,
): Promise<{ path: string; bytes: number }> {
  const written = await atomicWrite(target, async (tmp) => {
    const wb = new (await excel()).stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
    if (witness) wb.description = witness;
    for (const spec of sheets) {
      const ws = wb.addWorksheet(spec.name);
      ws.columns = spec.columns.map((c, i) => ({
        key: String(i),
        width: c.width ?? 16,
        ...(c.money ? { style: { numFmt: '#,##0.00' } } : {}),
      }));
      for (const line of spec.preamble ?? []) ws.addRow([neutralise(line)]).commit();
      ws.addRow(spec.columns.map((c) => neutralise(c.header))).commit();
      for await (const row of spec.rows) ws.addRow(row.map((v) => (typeof v === 'string' ? neutralise(v) : v))).commit();
      ws.commit();
    }
    await wb.commit();
  });
  return written;
}
