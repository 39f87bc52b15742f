// The 客户对账单 leaving Coffer: a workbook (the figures and the lines, with the books' witness) or a printed
// page (PDF through the print port, HTML without one), in the console's language.
import { excel } from '../formats/excel';
import type { Queryable } from '../db/books';
import { addCustomerStatementSheets } from '../formats/customer-statement-xlsx';
import { customerStatementSection } from '../formats/customer-statement-html';
import type { StatementLang } from '../formats/customer-statement-text';
import { writeReportFile } from '../formats/period-reports-xlsx';
import { printDocument } from '../formats/period-reports-html';
import type { CustomerStatement } from './customer-statement';
import { printMeta, reportCompany } from './period-report-files';
import { witnessOf } from './witness';

/** The name a statement's file is offered under (without its extension). */
export function statementFileName(s: CustomerStatement, lang: StatementLang): string {
  const name = s.customer.name.replace(/[\\/:*?"<>|]/g, '_');
  return `${lang === 'zh-CN' ? '客户对账单' : 'customer-statement'}-${name}-${s.from}-${s.to}`;
}

/** What a statement's workbook takes from the books besides the statement, read in the statement's snapshot. */
export interface StatementFileContext {
  company: string;
  witness: string | null;
}

export async function statementFileContext(q: Queryable): Promise<StatementFileContext> {
  return { company: await reportCompany(q), witness: await witnessOf(q) };
}

/** Writes the workbook from what was read: the books are not held open while the user picks where it goes. */
export async function exportCustomerStatement(target: string, s: CustomerStatement, c: StatementFileContext, lang: StatementLang) {
  const wb = new (await excel()).Workbook();
  wb.creator = 'Coffer';
  addCustomerStatementSheets(wb, s, c.company, lang);
  return writeReportFile(target, wb, c.witness);
}

export async function customerStatementHtml(
  q: Queryable,
  s: CustomerStatement,
  lang: StatementLang,
  printedBy: string,
  now: number,
): Promise<string> {
  const meta = await printMeta(q, printedBy, now);
  return printDocument([customerStatementSection(s, meta.company, lang)], meta);
}
