// The month-end reports leaving Coffer: one report (科目余额表, 明细账, 银行存款日记账, balance sheet and
// income statement, 余额调节表) as a workbook carrying the books' witness, or as a printable page.
import type ExcelJS from 'exceljs';
import { excel } from '../formats/excel';
import type { Queryable } from '../db/books';
import { literal } from '../db/query';
import { shanghaiDateTime } from '../domain/dates';
import {
  addBalancesSheet,
  addBankReconciliationSheet,
  addDeferredRevenueSheet,
  addFinancialStatementsSheets,
  addLedgerDetailSheet,
  addVatDataSheet,
  writeReportFile,
} from '../formats/period-reports-xlsx';
import {
  balancesSections,
  bankReconciliationSections,
  deferredRevenueSections,
  vatDataSections,
  financialStatementsSections,
  ledgerDetailSections,
  printDocument,
  type PrintMeta,
  type PrintSection,
} from '../formats/period-reports-html';
import { balancesReport, bankJournal, ledgerDetail } from './balances';
import { bankReconciliations } from './bank-reconciliation';
import { deferredRevenueRollForward } from './deferred-revenue';
import { financialStatements } from './financial-statements';
import { vatData } from './vat-data';
import { witnessOf } from './witness';
import { refuse } from '../domain/refusals';

export const PERIOD_REPORTS = [
  'balances',
  'ledger',
  'bankJournal',
  'statements',
  'bankReconciliation',
  'deferredRevenue',
  'vatData',
] as const;
export type PeriodReportKind = (typeof PERIOD_REPORTS)[number];

export interface PeriodReportSpec {
  report: PeriodReportKind;
  month: string;
  /** ledger: the subject */
  subjectCode?: string;
  /** bankJournal: the bank account; bankReconciliation: one account (default all) */
  bankAccountId?: number;
}

/** 编制单位: the `company.name` the books keep, or '' (printed as a blank to fill in by hand). */
export async function reportCompany(q: Queryable): Promise<string> {
  return (await q.db.selectFrom('meta').select('value').where('key', '=', literal('company.name')).executeTakeFirst())?.value ?? '';
}

function need<T>(v: T | undefined, field: string): T {
  if (v === undefined) throw refuse('VALIDATION', 'report_field_required', { field }, { field });
  return v;
}

/** The file name (without its extension) a report is offered under. */
export function periodReportFileName(s: PeriodReportSpec): string {
  const what = {
    balances: '科目余额表',
    ledger: `明细账-${s.subjectCode ?? ''}`,
    bankJournal: `银行存款日记账-${s.bankAccountId ?? ''}`,
    statements: '资产负债表-利润表',
    bankReconciliation: '银行存款余额调节表',
    deferredRevenue: '递延收入变动表',
    vatData: '增值税申报数据',
  }[s.report];
  return `${what}-${s.month}`;
}

/** Adds the report's sheet(s) to a workbook (the month-end pack adds several to one). */
export async function addPeriodReport(wb: ExcelJS.Workbook, q: Queryable, s: PeriodReportSpec): Promise<void> {
  const meta = { company: (await reportCompany(q)) || '—' };
  switch (s.report) {
    case 'balances':
      addBalancesSheet(wb, await balancesReport(q, s.month), meta);
      return;
    case 'ledger':
      addLedgerDetailSheet(wb, await ledgerDetail(q, s.month, { subjectCode: need(s.subjectCode, 'subjectCode') }), meta);
      return;
    case 'bankJournal':
      addLedgerDetailSheet(wb, await bankJournal(q, s.month, need(s.bankAccountId, 'bankAccountId')), meta);
      return;
    case 'statements':
      addFinancialStatementsSheets(wb, await financialStatements(q, s.month), meta);
      return;
    case 'bankReconciliation':
      for (const r of await bankReconciliations(q, s.month, s.bankAccountId)) addBankReconciliationSheet(wb, r, meta);
      return;
    case 'deferredRevenue':
      addDeferredRevenueSheet(wb, await deferredRevenueRollForward(q, s.month), meta);
      return;
    case 'vatData':
      addVatDataSheet(wb, await vatData(q, s.month), meta);
      return;
  }
}

/** One report as a workbook at `target`, with the witness of the books as they stand. */
export async function exportPeriodReport(q: Queryable, target: string, s: PeriodReportSpec) {
  const wb = new (await excel()).Workbook();
  wb.creator = 'Coffer';
  await addPeriodReport(wb, q, s);
  return writeReportFile(target, wb, await witnessOf(q));
}

/** The printed pages of one report (the month-end pack prints several into one document). */
export async function periodReportSections(q: Queryable, s: PeriodReportSpec, meta: PrintMeta): Promise<PrintSection[]> {
  switch (s.report) {
    case 'balances':
      return balancesSections(await balancesReport(q, s.month), meta);
    case 'ledger':
      return ledgerDetailSections(await ledgerDetail(q, s.month, { subjectCode: need(s.subjectCode, 'subjectCode') }), meta);
    case 'bankJournal':
      return ledgerDetailSections(await bankJournal(q, s.month, need(s.bankAccountId, 'bankAccountId')), meta);
    case 'statements':
      return financialStatementsSections(await financialStatements(q, s.month), meta);
    case 'bankReconciliation':
      return bankReconciliationSections(await bankReconciliations(q, s.month, s.bankAccountId), meta);
    case 'deferredRevenue':
      return deferredRevenueSections(await deferredRevenueRollForward(q, s.month), meta);
    case 'vatData':
      return vatDataSections(await vatData(q, s.month), meta);
  }
}

/** Who prints, when, for which company: the line every printed page carries. */
export async function printMeta(q: Queryable, printedBy: string, now: number): Promise<PrintMeta> {
  return { company: await reportCompany(q), printedBy, printedAt: shanghaiDateTime(now).slice(0, 16) };
}

/** One report as a printable page: company, period, printed by and at, page numbers. */
export async function periodReportHtml(q: Queryable, s: PeriodReportSpec, printedBy: string, now: number): Promise<string> {
  const meta = await printMeta(q, printedBy, now);
  return printDocument(await periodReportSections(q, s, meta), meta);
}
