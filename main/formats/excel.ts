// exceljs, loaded on first use: it pulls in some hundreds of files (zip, streams, XML), which every CLI
// command and the console's start would otherwise pay for, though only workbook reads and writes need it.
import type ExcelJS from 'exceljs';

let loading: Promise<typeof ExcelJS> | null = null;

export function excel(): Promise<typeof ExcelJS> {
  return (loading ??= import('exceljs').then((m) => m.default));
}
