// The tax bureau's batch-import workbook (批量开具 template) for 数电 invoices, written streaming:
// sheets 1-发票基本信息, 2-发票明细信息, 3-特定业务信息, 4-附加要素信息 and the hidden excelVersion;
// row 1 the filling instructions, row 2 required/length notes, row 3 the headers, data from row 4;
// every cell text-formatted ('@') as the template requires. Columns are written by header name, so a
// loaded official template (whose rows 1–3 are copied) may order or add columns as its version does.
// Facts: ../shared/reference/invoices.md.
import type ExcelJS from 'exceljs';
import { excel } from './excel';
import { checkZip, storedZip } from './statements/zip';
import { DEFAULT_LIMITS } from './statements/types';
import { refusal, type Refusal } from '../domain/refusals';
import { atomicWrite } from './file-out';
import { openTextWorkbook, type TextWorkbook } from './xlsx-text-writer';

export const SHEET_NAMES = ['1-发票基本信息', '2-发票明细信息', '3-特定业务信息', '4-附加要素信息'] as const;
export const VERSION_SHEET = 'excelVersion';
export const BUILT_IN_VERSION = 'pt:20260401';

/** Sheet 1, the recent 39-column version, in the template's order. */
export const BASIC_HEADERS = [
  '发票流水号',
  '发票类型',
  '特定业务类型',
  '是否含税',
  '受票方自然人标识',
  '购买方名称',
  '购买方纳税人识别号',
  '购买方证件类型',
  '购买方证件号码',
  '购买方国籍（或地区）',
  '购买方地址',
  // Columns 12–15 share one header in the template; they and 16 are for scrap purchases only.
  '购买方所在地区（报废产品收购必填）',
  '购买方所在地区（报废产品收购必填）',
  '购买方所在地区（报废产品收购必填）',
  '购买方所在地区（报废产品收购必填）',
  '购买方详细地址（报废产品收购必填）',
  '购买方电话',
  '购买方开户银行',
  '购买方银行账号',
  '是否展示购买方地址电话银行账号',
  '是否开具涉税专业服务发票品目',
  '涉税专业服务协议编号',
  '备注',
  '报废产品销售类型',
  '每千克煤炭发热量',
  '干基全硫',
  '干燥无灰基挥发分',
  '销售方开户行',
  '销售方银行账号',
  '是否展示销售方地址电话银行账号',
  '购买方邮箱',
  '购买方经办人姓名',
  '购买方经办人证件类型',
  '购买方经办人证件号码',
  '经办人国籍(地区)',
  '经办人自然人纳税人识别号',
  '放弃享受减按1%征收率原因',
  '收款人',
  '复核人',
] as const;

export const DETAIL_HEADERS = [
  '发票流水号',
  '项目名称',
  '商品和服务税收编码',
  '规格型号',
  '单位',
  '数量',
  '单价',
  '金额',
  '税率',
  '折扣金额',
  '是否使用优惠政策',
  '优惠政策类型',
  '即征即退类型',
  '煤炭种类',
] as const;

export const SPECIAL_HEADERS = ['发票流水号'] as const;
export const EXTRA_HEADERS = ['发票流水号', '附加要素名称', '附加要素内容'] as const;

const REQUIRED: Record<string, string> = {
  发票流水号: '必填\n(限20字符)',
  发票类型: '必填\n(限10字符)',
  是否含税: '必填(是/否)\n(限2字符)',
  受票方自然人标识: '非必填(是/否)\n(限2字符)',
  购买方名称: '必填\n(限100字符)',
  购买方纳税人识别号: '专票必填\n(限20字符)',
  备注: '非必填\n(限230字符)',
  购买方邮箱: '非必填\n(限72字符)',
  项目名称: '必填\n(限100字符)',
  商品和服务税收编码: '必填\n(限20字符)',
  金额: '必填\n(限16字符)\n保留两位小数',
  税率: '必填\n(限8字符)',
};

export interface SheetHead {
  /** Rows 1–3 as text; row 3 is the headers. */
  rows: [string[], string[], string[]];
  widths?: (number | undefined)[];
}

export interface TemplateShape {
  sheets: Record<(typeof SHEET_NAMES)[number], SheetHead>;
  version: string;
}

function builtInHead(headers: readonly string[], title: string): SheetHead {
  const instructions = `填表说明：${title}。第3行为表头，从第4行起每行一条记录；所有单元格均为文本格式；各工作表以“发票流水号”关联；本文件仅可包含数电发票，不支持差额、减按开具。`;
  return {
    rows: [[instructions], headers.map((h, i) => REQUIRED[h] ?? (i === 0 ? '必填' : '')), [...headers]],
    widths: headers.map((h) => Math.max(12, Math.min(40, h.length * 2 + 4))),
  };
}

/** Coffer's own rendition: exact sheet names and row-3 headers; rows 1–2 in its own words. */
export const BUILT_IN: TemplateShape = {
  sheets: {
    '1-发票基本信息': builtInHead(BASIC_HEADERS, '发票基本信息'),
    '2-发票明细信息': builtInHead(DETAIL_HEADERS, '发票明细信息'),
    '3-特定业务信息': builtInHead(SPECIAL_HEADERS, '特定业务信息（本批无特定业务）'),
    '4-附加要素信息': builtInHead(EXTRA_HEADERS, '附加要素信息'),
  },
  version: BUILT_IN_VERSION,
};

/** A data row as header → text; headers the sheet does not have are left out, missing ones stay empty. */
export type DataRow = Record<string, string>;

export interface InvoiceWorkbookSource {
  /** Sheet 1 rows, one per invoice (an async iterable: read from the books page by page). */
  basics(): AsyncIterable<DataRow[]>;
  /** Sheet 2 rows, the lines, linked to sheet 1 by 发票流水号. */
  details(): AsyncIterable<DataRow[]>;
}

/**
 * A sheet's columns: the loaded template's widths or 16. Every column and written cell is text ('@').
 */
const widthsOf = (head: SheetHead) => head.rows[2].map((_, i) => head.widths?.[i] ?? 16);

async function writeSheet(
  wb: TextWorkbook,
  name: string,
  head: SheetHead,
  pages: AsyncIterable<DataRow[]> | null,
  onRows: (n: number) => Promise<void>,
) {
  const sheet = wb.sheet(name, { widths: widthsOf(head) });
  const headers = head.rows[2];
  await sheet.rows(head.rows);
  if (pages) {
    for await (const page of pages) {
      // Empty cells are written as empty text-formatted cells (most of the 39 columns).
      await sheet.rows(page.map((data) => headers.map((h) => data[h] || null)));
      await onRows(page.length);
    }
  }
  await sheet.end();
}

/**
 * Writes the workbook to a temporary file beside the target and renames it into place when complete.
 * Sheets are written one after the other, each streamed page by page (formats/xlsx-text-writer.ts: the
 * parts and XML exceljs's streaming writer made for this workbook, without a cell object per cell), so
 * memory stays flat.
 */
export async function writeInvoiceWorkbook(
  target: string,
  shape: TemplateShape,
  source: InvoiceWorkbookSource,
  onRows: (n: number) => Promise<void> = async () => {},
  /** The books' witness, in the workbook's description only: sheets and cells stay as the template has them. */
  witness: string | null = null,
): Promise<{ path: string; bytes: number }> {
  const written = await atomicWrite(target, async (tmp) => {
    const wb = await openTextWorkbook(tmp, { description: witness });
    try {
      await writeSheet(wb, SHEET_NAMES[0], shape.sheets[SHEET_NAMES[0]], source.basics(), onRows);
      await writeSheet(wb, SHEET_NAMES[1], shape.sheets[SHEET_NAMES[1]], source.details(), onRows);
      await writeSheet(wb, SHEET_NAMES[2], shape.sheets[SHEET_NAMES[2]], null, onRows);
      await writeSheet(wb, SHEET_NAMES[3], shape.sheets[SHEET_NAMES[3]], null, onRows);
      // The marker sits where the public renditions of the template put it (A4).
      const v = wb.sheet(VERSION_SHEET, { hidden: true });
      await v.rows([[], [], [], [shape.version]]);
      await v.end();
      await wb.close();
    } catch (e) {
      wb.abort();
      throw e;
    }
  });
  return written;
}

export interface ReadSheet {
  name: string;
  rows: { cells: string[]; line: number }[];
}

/**
 * The shape of an official template file from its sheets (read by the statement readers' guarded
 * xlsx reader): the four sheets by exact name with rows 1–3, and the version marker. Problems are
 * listed rather than guessed around.
 */
export function templateShape(sheets: ReadSheet[]): { shape: TemplateShape | null; problems: Refusal[] } {
  const problems: Refusal[] = [];
  const out: Partial<Record<(typeof SHEET_NAMES)[number], SheetHead>> = {};
  for (const name of SHEET_NAMES) {
    const s = sheets.find((x) => x.name === name);
    if (!s) {
      problems.push(refusal('template_no_sheet', { sheet: name }));
      continue;
    }
    const row = (n: number) => s.rows.find((r) => r.line === n)?.cells ?? [];
    const headers = row(3).map((c) => c.trim());
    while (headers.length && headers[headers.length - 1] === '') headers.pop();
    if (headers[0] !== '发票流水号') problems.push(refusal('template_first_header', { sheet: name, header: headers[0] ?? '' }));
    out[name] = { rows: [row(1), row(2).slice(0, headers.length), headers] };
  }
  const basics = out['1-发票基本信息']?.rows[2] ?? [];
  for (const h of ['发票类型', '购买方名称', '购买方纳税人识别号', '是否含税'])
    if (out['1-发票基本信息'] && !basics.includes(h)) problems.push(refusal('template_no_column', { sheet: '1-发票基本信息', column: h }));
  const details = out['2-发票明细信息']?.rows[2] ?? [];
  for (const h of ['项目名称', '商品和服务税收编码', '金额', '税率'])
    if (out['2-发票明细信息'] && !details.includes(h)) problems.push(refusal('template_no_column', { sheet: '2-发票明细信息', column: h }));
  const version =
    sheets
      .find((x) => x.name === VERSION_SHEET)
      ?.rows.flatMap((r) => r.cells)
      .find((c) => c.trim() !== '')
      ?.trim() ?? '';
  if (problems.length) return { shape: null, problems };
  return { shape: { sheets: out as TemplateShape['sheets'], version: version || BUILT_IN_VERSION }, problems };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return '';
  }
  return String(v);
}

/**
 * A small workbook (a template, a numbers file) read whole, after the zip-bomb checks the statement
 * readers use (each entry inflated once, by them). exceljs's streaming reader depends on the order of the parts inside the zip and fails on
 * some valid files; the whole-file reader does not, and these files are small.
 */
export async function readSmallXlsx(bytes: Buffer, maxRows = 500_000): Promise<ReadSheet[]> {
  // the entries the checks inflated, stored: exceljs inflates none of them again
  const stored = Buffer.concat([...storedZip(checkZip(bytes, DEFAULT_LIMITS))]);
  const wb = new (await excel()).Workbook();
  await wb.xlsx.load(stored as unknown as ArrayBuffer);
  let count = 0;
  return wb.worksheets.map((ws) => {
    const rows: ReadSheet['rows'] = [];
    ws.eachRow({ includeEmpty: false }, (row, line) => {
      if (++count > maxRows) throw new Error(`more than ${maxRows} rows`);
      const values = row.values as ExcelJS.CellValue[];
      rows.push({ line, cells: Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1] ?? null)) });
    });
    return { name: ws.name, rows };
  });
}
