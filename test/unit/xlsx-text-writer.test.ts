// The text workbook writer (main/formats/xlsx-text-writer.ts) against exceljs's streaming writer, which
// the batch-import workbook was written with before: the same parts with the same XML for the same rows
// (tricky text included), and exceljs reads every cell back as the text written, formatted '@'.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openTextWorkbook } from '../../main/formats/xlsx-text-writer';
import zlib from 'node:zlib';
import { checkZip } from '../../main/formats/statements/zip';
import { DEFAULT_LIMITS } from '../../main/formats/statements/types';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Rows = (string | null)[][];
const TEXT_STYLE: Partial<ExcelJS.Style> = { numFmt: '@' };

async function withExceljs(file: string, sheets: { name: string; widths: number[]; rows: Rows; hidden?: boolean }[], description: string) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
    zip: { zlib: { level: 1 } },
  });
  wb.description = description;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, s.hidden ? { state: 'hidden' } : {});
    if (s.widths.length) ws.columns = s.widths.map((w, i) => ({ key: String(i), width: w, style: TEXT_STYLE }));
    for (const r of s.rows) {
      const row = ws.addRow(r);
      row.eachCell((c) => {
        c.style = TEXT_STYLE;
      });
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
}

async function withOurs(file: string, sheets: { name: string; widths: number[]; rows: Rows; hidden?: boolean }[], description: string) {
  const wb = await openTextWorkbook(file, { description });
  for (const s of sheets) {
    const ws = wb.sheet(s.name, { widths: s.widths, hidden: s.hidden ?? false });
    await ws.rows(s.rows);
    await ws.end();
  }
  await wb.close();
}

/** The zip's parts in order as text (timestamps in docProps/core.xml blanked), after the statement readers' zip checks. */
function parts(file: string): [string, string][] {
  const b = fs.readFileSync(file);
  return checkZip(b, DEFAULT_LIMITS).map((e) => {
    const start = e.offset + 30 + b.readUInt16LE(e.offset + 26) + b.readUInt16LE(e.offset + 28);
    const text = zlib.inflateRawSync(b.subarray(start, start + e.compressedSize)).toString('utf8');
    return [e.name, text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'T')];
  });
}

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', '&<>"\'', '=1+1', 'a\u0001b\u0008c\u000bd\u001fe\u007f', 'line\nbreak\r\ttab', '发票流水号', '充值 12'),
);

describe('the text workbook writer', () => {
  it('writes the parts and XML exceljs writes for the same rows, and exceljs reads them back', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.option(text, { nil: null, freq: 3 }), { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 8, max: 40 }), { minLength: 6, maxLength: 6 }),
        async (rows, widths) => {
          // Rows as the batch-import writer makes them: the first cell text (the serial), nulls after it.
          const body = rows.map((r) => [r[0] ?? 'S', ...r.slice(1)]);
          const sheets = [
            { name: '1-发票基本信息', widths, rows: [['说明'], widths.map(() => ''), widths.map((_, i) => `h${i}`), ...body] },
            { name: 'excelVersion', widths: [], rows: [[], [], [], ['pt:20260401']], hidden: true },
          ];
          const a = path.join(dir, `a${n}.xlsx`);
          const b = path.join(dir, `b${n++}.xlsx`);
          await withExceljs(a, sheets, 'coffer-witness & <test>');
          await withOurs(b, sheets, 'coffer-witness & <test>');
          expect(parts(b)).toEqual(parts(a));
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.readFile(b);
          const theirs = new ExcelJS.Workbook();
          await theirs.xlsx.readFile(a);
          const ws = wb.getWorksheet('1-发票基本信息')!;
          const ref = theirs.getWorksheet('1-发票基本信息')!;
          body.forEach((r, i) =>
            r.forEach((v, j) => {
              const cell = ws.getRow(i + 4).getCell(j + 1);
              expect(cell.numFmt).toBe('@');
              expect(cell.value).toBe(ref.getRow(i + 4).getCell(j + 1).value);
              // Plain text reads back as written.
              if (v && /^[\p{L}\p{N} &<>"'=+]+$/u.test(v)) expect(cell.value).toBe(v);
            }),
          );
          expect(wb.getWorksheet('excelVersion')!.state).toBe('hidden');
          expect(wb.description).toBe('coffer-witness & <test>');
        },
      ),
      { numRuns: 25 },
    );
  });

  it('writes many pages as one deflate stream per sheet', async () => {
    const file = path.join(dir, 'big.xlsx');
    const wb = await openTextWorkbook(file);
    const ws = wb.sheet('s', { widths: [12, 12, 12] });
    for (let p = 0; p < 10; p++) await ws.rows(Array.from({ length: 2000 }, (_, i) => [`FP${p * 2000 + i}`, null, `第${i}行 & <x>`]));
    await ws.end();
    await wb.close();
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(file);
    const s = back.getWorksheet('s')!;
    expect(s.rowCount).toBe(20_000);
    expect(s.getRow(19_999).getCell(1).value).toBe('FP19998');
    expect(s.getRow(20_000).getCell(3).value).toBe('第1999行 & <x>');
  });
});
