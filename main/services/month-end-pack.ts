// The month-end pack (月结包): the reports a finance team files for a month — 科目余额表, balance sheet and
// income statement, deferred-revenue roll-forward, 余额调节表, VAT data and the 扣缴申报 — in one workbook
// (a sheet each, after a cover) and one printed document, made only when every check of period close
// passes. Each sheet comes from the same service as its screen, so the pack and the screens agree.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import { excel } from '../formats/excel';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import { fillPackCover, writeReportFile } from '../formats/period-reports-xlsx';
import { packCoverSection, printDocument, type PrintMeta } from '../formats/period-reports-html';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { addWithholdingSheetFor } from './payouts';
import { addPeriodReport, periodReportSections, printMeta, reportCompany, type PeriodReportKind } from './period-report-files';
import { periodStatus, type PeriodStatus } from './periods';
import { witnessOf } from './witness';
import { mapInTurn } from './in-turn';

/** The reports of the pack, in the order of its sheets and pages. */
export const PACK_REPORTS: readonly PeriodReportKind[] = ['balances', 'statements', 'deferredRevenue', 'bankReconciliation', 'vatData'];

/** The month's close checks, refused with the count of those failing unless every one passes. */
export async function packReadiness(q: Queryable, month: string, now: number): Promise<PeriodStatus> {
  const status = await periodStatus(q, month, now);
  const failing = status.checks.filter((c) => !c.ok);
  if (failing.length > 0) throw refuse('REFUSED', 'month_end_pack_checks', { month, count: String(failing.length) }, { field: 'month' });
  return status;
}

/** What the cover says: the month, its state and who closed it, the checks, who made the pack, the witness. */
export interface PackCover {
  company: string;
  month: string;
  state: PeriodStatus['state'];
  closedBy: string | null;
  confirmedBy: string | null;
  checks: number;
  preparedBy: string;
  preparedAt: string;
  witness: string | null;
  contents: string[];
}

async function cover(q: Queryable, status: PeriodStatus, meta: PrintMeta, contents: string[]): Promise<PackCover> {
  return {
    company: await reportCompany(q),
    month: status.month,
    state: status.state,
    closedBy: status.closedBy,
    confirmedBy: status.confirmedBy,
    checks: status.checks.length,
    preparedBy: meta.printedBy,
    preparedAt: meta.printedAt,
    witness: await witnessOf(q),
    contents,
  };
}

/** The pack as a workbook: the cover, then a sheet (or two) per report. ID numbers masked unless the role sees them. */
export async function packWorkbook(q: Queryable, month: string, actor: Actor, now: number): Promise<ExcelJS.Workbook> {
  const status = await packReadiness(q, month, now);
  const wb = new (await excel()).Workbook();
  wb.creator = 'Coffer';
  const meta = await printMeta(q, actor.name, now);
  const coverSheet = wb.addWorksheet('封面 Cover');
  for (const report of PACK_REPORTS) await addPeriodReport(wb, q, { report, month });
  await addWithholdingSheetFor(wb, q, month, actor.role);
  fillPackCover(
    coverSheet,
    await cover(
      q,
      status,
      meta,
      wb.worksheets.slice(1).map((ws) => ws.name),
    ),
  );
  return wb;
}

/** The pack as one printable document: the cover, then each report from a new page. */
export async function packHtml(q: Queryable, month: string, actor: Actor, now: number): Promise<string> {
  const status = await packReadiness(q, month, now);
  const meta = await printMeta(q, actor.name, now);
  const sections = (await mapInTurn(PACK_REPORTS, async (report) => periodReportSections(q, { report, month }, meta))).flat();
  const first = packCoverSection(
    await cover(
      q,
      status,
      meta,
      sections.map((s) => s.title),
    ),
  );
  return printDocument([first, ...sections], meta, `月结包 ${month}`);
}

export interface PackFile {
  path: string;
  bytes: number;
  sha256: string;
}

export function fileDigest(path: string): PackFile {
  const bytes = fs.readFileSync(path);
  return { path, bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/** Writes the workbook at `target` with the books' witness; returns what was written. */
export async function writePackWorkbook(q: Queryable, month: string, actor: Actor, now: number, target: string): Promise<PackFile> {
  const wb = await packWorkbook(q, month, actor, now);
  await writeReportFile(target, wb, await witnessOf(q));
  return fileDigest(target);
}

/** The pack in the audit trail: the month, the files and their digests, the witness they were made at. */
export async function recordPack(
  tx: Tx,
  actor: Actor,
  month: string,
  files: { workbook: PackFile; pdf: PackFile | null },
  now: number,
): Promise<void> {
  await recordAudit(tx, actor, {
    action: 'month_end.pack',
    entity: 'period',
    entityId: month,
    after: {
      month,
      workbook: { bytes: files.workbook.bytes, sha256: files.workbook.sha256 },
      pdf: files.pdf && { bytes: files.pdf.bytes, sha256: files.pdf.sha256 },
      witness: await witnessOf(tx),
    },
    at: now,
  });
}
