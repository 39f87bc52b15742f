// The month's 扣缴申报 (劳务报酬) as an Excel sheet: one row per person, a 合计 row, amounts as numbers in
// yuan with two decimals, every text cell neutralised so nothing a name holds can start a formula, ID
// numbers kept as text. `addWithholdingSheet` adds it to any exceljs Workbook (the month-end pack adds it
// beside its other sheets); `writeWithholdingWorkbook` writes it alone with the books' witness.
import type ExcelJS from 'exceljs';
import { excel } from './excel';
import { neutralise } from './csv';
import { atomicWrite } from './file-out';

export interface WithholdingSheetRow {
  /** 序号 */
  no: number;
  name: string;
  idTypeName: string;
  idNumber: string;
  /** 收入额 (fen) */
  income: string;
  /** 费用: the deduction (fen) */
  deduction: string;
  /** 应纳税所得额 (fen) */
  taxable: string;
  ratePercent: number;
  quickDeduction: string;
  /** 已扣缴税额: what the payouts withheld (fen); equals the tax on the month's income. */
  withheld: string;
  payments: number;
}

export interface WithholdingSheetData {
  month: string;
  rows: readonly WithholdingSheetRow[];
  totals: { persons: number; income: string; deduction: string; taxable: string; withheld: string; payments: number };
}

export const WITHHOLDING_HEADERS = [
  '序号',
  '姓名',
  '证件类型',
  '证件号码',
  '所得项目',
  '收入额',
  '费用',
  '应纳税所得额',
  '预扣率(%)',
  '速算扣除数',
  '已扣缴税额',
  '支付次数',
] as const;
const WIDTHS = [6, 14, 22, 24, 12, 14, 12, 14, 10, 12, 14, 10];
const MONEY_COLUMNS = [6, 7, 8, 10, 11];

const yuan = (fen: string): number => Number(fen) / 100;

/** Adds the sheet 扣缴申报 YYYY-MM to the workbook; returns the worksheet. */
export function addWithholdingSheet(wb: ExcelJS.Workbook, data: WithholdingSheetData): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(`扣缴申报 ${data.month}`);
  ws.columns = WIDTHS.map((width, i) => ({
    key: String(i),
    width,
    ...(MONEY_COLUMNS.includes(i + 1) ? { style: { numFmt: '#,##0.00' } } : {}),
  }));
  const header = ws.addRow([...WITHHOLDING_HEADERS]);
  header.font = { bold: true };
  for (const r of data.rows) {
    ws.addRow([
      r.no,
      neutralise(r.name),
      neutralise(r.idTypeName),
      neutralise(r.idNumber),
      '劳务报酬',
      yuan(r.income),
      yuan(r.deduction),
      yuan(r.taxable),
      r.ratePercent,
      yuan(r.quickDeduction),
      yuan(r.withheld),
      r.payments,
    ]);
  }
  const total = ws.addRow([
    '合计',
    `${data.totals.persons} 人`,
    null,
    null,
    null,
    yuan(data.totals.income),
    yuan(data.totals.deduction),
    yuan(data.totals.taxable),
    null,
    null,
    yuan(data.totals.withheld),
    data.totals.payments,
  ]);
  total.font = { bold: true };
  // ID numbers are text: Excel must not turn 18 digits into a rounded number.
  ws.getColumn(4).numFmt = '@';
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

/** Writes the sheet alone (temp file, then renamed into place); the witness goes into the description. */
export async function writeWithholdingWorkbook(target: string, data: WithholdingSheetData, witness: string | null) {
  const wb = new (await excel()).Workbook();
  if (witness) wb.description = witness;
  addWithholdingSheet(wb, data);
  const written = await atomicWrite(target, async (tmp) => {
    await wb.xlsx.writeFile(tmp);
  });
  return { ...written, persons: data.rows.length };
}
