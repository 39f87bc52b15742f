// XLSX through exceljs's streaming reader, only after the zip has passed checkZip, which hands it the
// entries it inflated (stored, so nothing is inflated twice). Cells become text:
// a number cell becomes its shortest round-trip decimal ("1288.5"), which is exactly what the sheet
// XML holds for any amount of up to 15 significant digits; anything longer (0.30000000000000004, a
// computed float) then fails the currency's decimal check instead of being rounded silently.
import { excel } from '../excel';
import { Readable } from 'node:stream';
import { checkZip, storedZip, type Inflate } from './zip';
import type { Row } from './csv';
import { fail, type Limits } from './types';

export interface Sheet {
  name: string;
  rows: Row[];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date)
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '');
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return o.error;
  }
  return '';
}

/**
 * Each entry is inflated once, by the zip check (with its caps): exceljs reads the checked entries
 * stored, so it inflates nothing again. `inflate` is for tests that count.
 */
export async function readXlsx(bytes: Buffer, limits: Limits, inflate?: Inflate): Promise<Sheet[]> {
  const entries = checkZip(bytes, limits, inflate);
  const sheets: Sheet[] = [];
  let count = 0;
  try {
    const reader = new (await excel()).stream.xlsx.WorkbookReader(Readable.from(storedZip(entries), { objectMode: false }), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'ignore',
    });
    for await (const ws of reader) {
      const sheet: Sheet = { name: (ws as unknown as { name?: string }).name ?? `sheet ${sheets.length + 1}`, rows: [] };
      sheets.push(sheet);
      for await (const row of ws) {
        if (++count > limits.maxLines) fail('too_large', 'stmt_too_many_rows', { max: String(limits.maxLines) }, row.number);
        const values = row.values as unknown[];
        sheet.rows.push({
          cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1])),
          line: row.number,
        });
      }
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'StatementError') throw err;
    fail('unreadable', 'stmt_workbook_unreadable', { detail: (err as Error).message });
  }
  if (!sheets.length) fail('empty', 'stmt_no_worksheet', {});
  return sheets;
}
