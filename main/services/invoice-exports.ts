// Invoices out: the tax bureau's batch-import workbook (blue invoices only; validated first and refused
// with the list of problems rather than written for the tax system to reject), the invoice register of
// a period with a monthly summary, and the official template an admin loads once. Everything streams
// from the books page by page.
import { witnessOf } from './witness';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Compilable } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect, execute, selectAll, selectAllExact, type RowOf } from '../db/query';
import { inWriteTx, type AnyBooks, type Tx } from '../db/tx';
import { shanghaiDate, shanghaiDateTime, shanghaiDayStart } from '../domain/dates';
import { CofferError } from '../domain/errors';
import { FORMULA_LEAD, INVOICE_TYPE_TEXT, LIMITS } from '../domain/invoice-buyer';
import { rateText } from '../domain/invoice-tax';
import { formatYuan } from '../domain/money';
import { refusalMessage, refuse, type Refusal, type RefusalCode, type RefusalParams } from '../domain/refusals';
import {
  BUILT_IN,
  readSmallXlsx,
  templateShape,
  writeInvoiceWorkbook,
  type DataRow,
  type TemplateShape,
} from '../formats/invoice-workbook';
import { fileSha256 } from '../formats/file-out';
import { writeReportWorkbook, yuanCell, type Cell } from '../formats/report-xlsx';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { ExportProgress } from './exports';
import { exportCount, invoiceFilter, invoiceStatus, type InvoiceStatus } from './invoice-read';

const NO_PROGRESS: ExportProgress = { progress() {}, checkpoint: async () => {} };
const PAGE = 2000;
const MAX_PROBLEMS = 200;

export interface ExportFilter {
  /** Shanghai dates, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  status?: InvoiceStatus[] | undefined;
  ids?: number[] | undefined;
  /** Export again invoices an earlier export wrote (recorded as forced); without it they are refused. */
  force?: boolean | undefined;
}

/** A blue invoice reversed in full is left out unless the filter asks for that status by name. */
const includesReversed = (f: ExportFilter) => f.status?.includes('reversed') ?? false;

function periodOf(f: ExportFilter): { from?: number; to?: number } {
  const day = (d: string, field: string) => {
    try {
      return shanghaiDayStart(d);
    } catch {
      throw refuse('VALIDATION', 'date_invalid', { field, date: d }, { field });
    }
  };
  return {
    ...(f.from ? { from: day(f.from, 'from') } : {}),
    ...(f.to ? { to: day(f.to, 'to') + 86_400_000 } : {}),
  };
}

/** The blue invoices chosen (by ids, or period and status); fully reversed ones unless the filter names them. */
const blueChosen = (q: Queryable, f: ExportFilter) =>
  blueNamed(q, f).$if(!includesReversed(f), (w) => w.whereRef('i.reversed', '<', 'i.gross'));
/** The blue invoices the filter names, reversed in full or not. */
const blueNamed = (q: Queryable, f: ExportFilter) =>
  q.db
    .selectFrom('invoices as i')
    .where(invoiceFilter(q, { ...periodOf(f), kind: 'blue', status: f.status }))
    .$if(!!f.ids?.length, (w) => w.where('i.id', 'in', f.ids!));

/** What the workbook and its checks read of an invoice (not `i.*`: a third of the columns, read three times over). */
const BLUE_COLUMNS = [
  'i.id',
  'i.serial',
  'i.invoice_type',
  'i.buyer_name',
  'i.taxpayer_id',
  'i.address',
  'i.phone',
  'i.bank_name',
  'i.bank_account',
  'i.natural_person',
  'i.email',
  'i.remarks',
] as const;
const bluePage = (q: Queryable, f: ExportFilter, after: number) =>
  blueChosen(q, f).select(BLUE_COLUMNS).where('i.id', '>', after).orderBy('i.id').limit(PAGE);
type BlueRow = RowOf<typeof bluePage>;

/** Pages of a query keyed on id (after: the last id of the page before), in id order. */
async function* pagesOf<R extends { id: number }>(q: Queryable, page: (after: number) => Compilable<R>): AsyncGenerator<R[]> {
  let after = 0;
  for (;;) {
    const rows = await selectAll(q, page(after));
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

/** Pages of the blue invoices chosen, in id order. */
const bluePages = (q: Queryable, f: ExportFilter) => pagesOf(q, (after) => bluePage(q, f, after));

const LINE_COLUMNS = ['invoice_id', 'item_name', 'tax_code', 'rate_num', 'rate_den', 'not_taxable', 'gross'] as const;
/** A page's lines by its ids (a selection by ids), the serial the page's (no join back to the invoices). */
const linesOfPage = (q: Queryable, ids: number[]) =>
  q.db.selectFrom('invoice_lines').select(LINE_COLUMNS).where('invoice_id', 'in', ids).orderBy('invoice_id').orderBy('line_no');
/** The lines of the invoices from the page's first id to its last: one range of the (invoice_id, line_no) key. */
const linesOfRange = (q: Queryable, first: number, last: number) =>
  q.db
    .selectFrom('invoice_lines')
    .select(LINE_COLUMNS)
    .where((eb) => eb.between('invoice_id', first, last))
    .orderBy('invoice_id')
    .orderBy('line_no');
type LineRow = RowOf<typeof linesOfRange> & { serial: string };

const yesNo = (b: boolean) => (b ? '是' : '否');

function basicRow(r: BlueRow): DataRow {
  const showBank = r.address !== null || r.phone !== null || r.bank_name !== null || r.bank_account !== null;
  return {
    发票流水号: r.serial,
    发票类型: INVOICE_TYPE_TEXT[r.invoice_type],
    是否含税: '是',
    受票方自然人标识: yesNo(r.natural_person === 1),
    购买方名称: r.buyer_name,
    购买方纳税人识别号: r.taxpayer_id ?? '',
    购买方地址: r.address ?? '',
    购买方电话: r.phone ?? '',
    购买方开户银行: r.bank_name ?? '',
    购买方银行账号: r.bank_account ?? '',
    // 否 unless the buyer gave an address, phone or bank details to show (an empty cell is not 否).
    是否展示购买方地址电话银行账号: yesNo(showBank),
    备注: r.remarks ?? '',
    购买方邮箱: r.email ?? '',
  };
}

function detailRow(l: LineRow): DataRow {
  return {
    发票流水号: l.serial,
    项目名称: l.item_name,
    商品和服务税收编码: l.tax_code,
    金额: formatYuan(l.gross),
    税率: rateText({ num: l.rate_num, den: l.rate_den }, l.not_taxable === 1),
    是否使用优惠政策: '否',
  };
}

const chars = (s: string) => [...s].length;

/** One cell the tax system would refuse: the invoice's serial and the column, and why as a refusal code. */
export interface ExportProblem {
  serial: string;
  column: string;
  code: RefusalCode;
  params: Record<string, string>;
  message: string;
}

/** What the tax system would refuse in one invoice and its lines, each naming the serial and column. */
function problemsOf(r: BlueRow, lines: LineRow[]): ExportProblem[] {
  const p: ExportProblem[] = [];
  const at = <C extends RefusalCode>(column: string, code: C, params: RefusalParams<C>) =>
    p.push({ serial: r.serial, column, code, params, message: `${r.serial} ${column}: ${refusalMessage(code, params)}` });
  const none = {} as Record<never, string>;
  const tooLong = (column: string, max: number) => at(column, 'cell_too_long', { max: String(max) });
  if (chars(r.serial) > 20) tooLong('发票流水号', 20);
  if (!r.buyer_name.trim()) at('购买方名称', 'cell_required', none);
  if (chars(r.buyer_name) > LIMITS.name) tooLong('购买方名称', LIMITS.name);
  if (FORMULA_LEAD.test(r.buyer_name)) at('购买方名称', 'cell_formula', none);
  if (r.invoice_type === 'special' && !r.taxpayer_id) at('购买方纳税人识别号', 'cell_special_needs_id', none);
  if (r.taxpayer_id && chars(r.taxpayer_id) > LIMITS.taxpayerId) tooLong('购买方纳税人识别号', LIMITS.taxpayerId);
  if (r.remarks && chars(r.remarks) > LIMITS.remarks) tooLong('备注', LIMITS.remarks);
  if (r.remarks && FORMULA_LEAD.test(r.remarks)) at('备注', 'cell_formula', none);
  if (r.email && chars(r.email) > LIMITS.email) tooLong('购买方邮箱', LIMITS.email);
  if (!lines.length) at('2-发票明细信息', 'invoice_no_lines', none);
  for (const l of lines) {
    if (chars(l.item_name) > 100) tooLong('项目名称', 100);
    if (!/^\d{19}$/.test(l.tax_code)) at('商品和服务税收编码', 'tax_code_invalid', { taxCode: l.tax_code });
    if (formatYuan(l.gross).length > 16) tooLong('金额', 16);
    if (l.not_taxable === 1 && r.invoice_type === 'special') at('税率', 'cell_not_taxable_special', none);
  }
  return p;
}

/**
 * The lines of a page's invoices by invoice. A page chosen by period and status is read as one range of
 * invoice ids (the lines of invoices in it that the page left out are dropped here); a selection by
 * ids may be sparse, so it is read by its ids.
 */
async function linesByInvoice(q: Queryable, rows: { id: number; serial: string }[], byIds: boolean): Promise<Map<number, LineRow[]>> {
  const map = new Map<number, LineRow[]>();
  if (!rows.length) return map;
  const serials = new Map(rows.map((r) => [r.id, r.serial]));
  const lines = await (
    byIds
      ? linesOfPage(
          q,
          rows.map((r) => r.id),
        )
      : linesOfRange(q, rows[0]!.id, rows[rows.length - 1]!.id)
  ).execute();
  for (const read of lines) {
    const serial = serials.get(read.invoice_id);
    if (serial === undefined) continue;
    const l: LineRow = { ...read, serial };
    const list = map.get(l.invoice_id);
    if (list) list.push(l);
    else map.set(l.invoice_id, [l]);
  }
  return map;
}

/** The loaded official template's shape, or the built-in rendition. */
export async function workbookShape(q: Queryable): Promise<{ shape: TemplateShape; template: string | null }> {
  const t = await q.db.selectFrom('invoice_templates').select(['file_name', 'bytes']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!t) return { shape: BUILT_IN, template: null };
  const { shape, problems } = templateShape(await readSmallXlsx(t.bytes));
  if (!shape) throw templateRefusal('BOOKS', problems, 'template_no_longer_reads', { file: t.file_name });
  return { shape, template: t.file_name };
}

/** A blue invoice the selection named that the export leaves out, and why (a refusal code). */
export interface SkippedInvoice {
  id: number;
  serial: string;
  code: RefusalCode;
  params: Record<string, string>;
  message: string;
}

/** An invoice an earlier export wrote: the latest export that did. */
export interface ExportedBefore {
  id: number;
  serial: string;
  exportId: number;
  exportedAt: number;
}

/** What a validated selection holds: the blue invoices and their lines, what it skips, what was exported before. */
export interface ValidatedSelection {
  invoices: number;
  lines: number;
  /** Fully reversed blue invoices left out (first 200; skippedCount counts all). */
  skipped: SkippedInvoice[];
  skippedCount: number;
  /** Invoices of the selection an earlier export wrote (first 200; againCount counts all). */
  again: ExportedBefore[];
  againCount: number;
}

/** The blue invoices the filter names that are reversed in full: left out of a default export. */
async function skippedOf(q: Queryable, f: ExportFilter): Promise<{ list: SkippedInvoice[]; count: number }> {
  if (includesReversed(f)) return { list: [], count: 0 };
  const skipped = blueNamed(q, f).whereRef('i.reversed', '=', 'i.gross');
  const count = (await skipped.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())!.n;
  const rows = await skipped.select(['i.id', 'i.serial']).orderBy('i.id').limit(MAX_PROBLEMS).execute();
  return {
    count,
    list: rows.map((r) => ({
      id: r.id,
      serial: r.serial,
      code: 'export_skip_reversed' as const,
      params: { serial: r.serial },
      message: refusalMessage('export_skip_reversed', { serial: r.serial }),
    })),
  };
}

/** The latest export of each of these invoices that one wrote. */
const exportedBeforeQuery = (q: Queryable, ids: number[]) =>
  q.db
    .selectFrom(
      q.db
        .selectFrom('invoice_export_items')
        .select((eb) => ['invoice_id as id', eb.fn.max('export_id').as('exportId')])
        .where('invoice_id', 'in', ids)
        .groupBy('invoice_id')
        .as('g'),
    )
    .innerJoin('invoices as i', 'i.id', 'g.id')
    .innerJoin('invoice_exports as e', 'e.id', 'g.exportId')
    .select(['g.id', 'i.serial', 'g.exportId', 'e.exported_at as exportedAt'])
    .orderBy('g.id');

/** Which of these invoices an earlier export wrote. */
async function exportedBefore(q: Queryable, ids: readonly number[]): Promise<ExportedBefore[]> {
  const out: ExportedBefore[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...(await exportedBeforeQuery(q, chunk).execute()));
  }
  return out;
}

/** The refusal of a selection with invoices exported before, naming them (first 10 in the message, 200 in details). */
function alreadyExported(again: ExportedBefore[], count: number): CofferError {
  const serials = again.slice(0, 10).map((a) => a.serial);
  const exports = [...new Set(again.map((a) => a.exportId))].sort((a, b) => a - b).slice(0, 10);
  return refuse(
    'CONFLICT',
    'invoices_already_exported',
    {
      count: String(count),
      serials: serials.join(', ') + (count > serials.length ? ' …' : ''),
      exports: exports.map((e) => `#${e}`).join(', '),
    },
    { field: 'force', invoices: again.slice(0, MAX_PROBLEMS) },
  );
}

/**
 * The first pass of the batch-import export: validates every invoice and line chosen and refuses with
 * the problems (up to 200 listed, all counted) before anything asks where to write. Blue invoices
 * reversed in full are left out and listed as skipped; invoices an earlier export wrote are refused
 * (CONFLICT, invoices_already_exported, naming them) unless the filter says force.
 */
export async function validateInvoiceWorkbook(
  q: Queryable,
  f: ExportFilter,
  job: ExportProgress = NO_PROGRESS,
): Promise<ValidatedSelection> {
  let invoices = 0;
  let lines = 0;
  const problems: ExportProblem[] = [];
  let problemCount = 0;
  const again: ExportedBefore[] = [];
  let againCount = 0;
  for await (const page of bluePages(q, f)) {
    const byInvoice = await linesByInvoice(q, page, !!f.ids?.length);
    for (const r of page) {
      const found = problemsOf(r, byInvoice.get(r.id) ?? []);
      problemCount += found.length;
      if (problems.length < MAX_PROBLEMS) problems.push(...found.slice(0, MAX_PROBLEMS - problems.length));
      lines += byInvoice.get(r.id)?.length ?? 0;
    }
    const before = await exportedBefore(
      q,
      page.map((r) => r.id),
    );
    againCount += before.length;
    if (again.length < MAX_PROBLEMS) again.push(...before.slice(0, MAX_PROBLEMS - again.length));
    invoices += page.length;
    job.progress(invoices, null);
    await job.checkpoint();
  }
  const skipped = await skippedOf(q, f);
  if (invoices === 0) throw refuse('NOT_FOUND', 'no_blue_invoices', {}, { skipped: skipped.list, skippedCount: skipped.count });
  if (problemCount)
    throw refuse(
      'REFUSED',
      'export_problems',
      { count: String(problemCount) },
      { problems, count: problemCount },
      {
        suffix: `: ${problems
          .slice(0, 5)
          .map((p) => p.message)
          .join('; ')}`,
      },
    );
  if (againCount && !f.force) throw alreadyExported(again, againCount);
  return { invoices, lines, skipped: skipped.list, skippedCount: skipped.count, again, againCount };
}

/**
 * Writes the batch-import workbook, validated first, without marking it (the bench and format tests;
 * what leaves Coffer goes through exportAndMarkInvoices).
 */
export async function exportInvoiceWorkbook(q: Queryable, target: string, f: ExportFilter, job: ExportProgress = NO_PROGRESS) {
  return writeValidatedWorkbook(q, target, f, await validateInvoiceWorkbook(q, f, job), job);
}

/** The second pass: writes a selection validateInvoiceWorkbook passed; ids are the invoices written. */
export async function writeValidatedWorkbook(
  q: Queryable,
  target: string,
  f: ExportFilter,
  valid: ValidatedSelection,
  job: ExportProgress = NO_PROGRESS,
) {
  const { invoices, lines } = valid;
  const { shape, template } = await workbookShape(q);
  let written = 0;
  const total = invoices + lines;
  const ids: number[] = [];
  const out = await writeInvoiceWorkbook(
    target,
    shape,
    {
      async *basics() {
        for await (const page of bluePages(q, f)) {
          for (const r of page) ids.push(r.id);
          yield page.map(basicRow);
        }
      },
      async *details() {
        for await (const page of pagesOf(q, (after) =>
          blueChosen(q, f).select(['i.id', 'i.serial']).where('i.id', '>', after).orderBy('i.id').limit(PAGE),
        )) {
          const byInvoice = await linesByInvoice(q, page, !!f.ids?.length);
          yield page.flatMap((r) => (byInvoice.get(r.id) ?? []).map(detailRow));
        }
      },
    },
    async (n) => {
      written += n;
      job.progress(written, total);
      await job.checkpoint();
    },
    await witnessOf(q),
  );
  return { ...out, invoices: ids.length, lines, template, ids, skipped: valid.skipped, skippedCount: valid.skippedCount };
}

/**
 * Marks a written workbook: one invoice_exports row (file name, SHA-256, who, when, forced) and one item
 * per invoice, `again` when an earlier export wrote it. Checked again here, in the transaction: an
 * export that raced this one makes it refused unless forced.
 */
export async function markInvoiceExport(
  tx: Tx,
  actor: Actor,
  m: { fileName: string; sha256: string; ids: readonly number[]; force: boolean; skipped: number },
  now: number,
): Promise<{ exportId: number; again: ExportedBefore[]; againCount: number }> {
  const before = await exportedBefore(tx, m.ids);
  if (before.length && !m.force) throw alreadyExported(before.slice(0, MAX_PROBLEMS), before.length);
  const seen = new Set(before.map((b) => b.id));
  const exportId = Number(
    (
      await execute(
        tx,
        tx.db.insertInto('invoice_exports').values({
          file_name: m.fileName,
          sha256: m.sha256,
          invoices: m.ids.length,
          again: before.length,
          skipped: m.skipped,
          forced: m.force ? 1 : 0,
          exported_by: actor.staffId,
          exported_at: now,
        }),
      )
    ).lastInsertRowid,
  );
  // One prepared statement run per invoice written (thousands): raw, as compiledOnce reads only.
  const add = tx.sql('INSERT INTO invoice_export_items (export_id, invoice_id, again) VALUES (?, ?, ?)');
  for (const id of m.ids) await add.run(exportId, id, seen.has(id) ? 1 : 0);
  await recordAudit(tx, actor, {
    action: 'invoice.export',
    entity: 'invoice_export',
    entityId: exportId,
    after: {
      file: m.fileName,
      sha256: m.sha256,
      invoices: m.ids.length,
      skipped: m.skipped,
      forced: m.force,
      again: before.slice(0, 20).map((b) => b.serial),
      againCount: before.length,
    },
    count: m.ids.length,
    at: now,
  });
  return { exportId, again: before.slice(0, MAX_PROBLEMS), againCount: before.length };
}

/**
 * What leaves Coffer for the tax system: the validated selection written, its SHA-256 taken, and the
 * export marked in one write transaction. If marking fails the file is removed: nothing leaves unmarked.
 */
export async function exportAndMarkInvoices(
  books: AnyBooks,
  actor: Actor,
  target: string,
  f: ExportFilter,
  valid: ValidatedSelection,
  now: () => number,
  job: ExportProgress = NO_PROGRESS,
) {
  const out = await writeValidatedWorkbook(books.reader, target, f, valid, job);
  try {
    const sha256 = fileSha256(out.path);
    const mark = await inWriteTx(books, async (tx) =>
      markInvoiceExport(
        tx,
        actor,
        { fileName: path.basename(out.path), sha256, ids: out.ids, force: !!f.force, skipped: out.skippedCount },
        now(),
      ),
    );
    const { ids: _ids, ...rest } = out;
    return { ...rest, sha256, forced: !!f.force, exportId: mark.exportId, again: mark.again, againCount: mark.againCount };
  } catch (e) {
    fs.rmSync(out.path, { force: true });
    throw e;
  }
}

const REGISTER_COLUMNS = [
  { header: '发票流水号 Serial', width: 16 },
  { header: '蓝/红 Kind', width: 8 },
  { header: '原发票流水号 Original', width: 16 },
  { header: '发票类型 Type', width: 14 },
  { header: '开票时间 Issued', width: 20 },
  { header: '客户 Customer', width: 20 },
  { header: '购买方名称 Buyer', width: 28 },
  { header: '纳税人识别号 Taxpayer id', width: 22 },
  { header: '价税合计 Gross', width: 14, money: true },
  { header: '金额 Net', width: 14, money: true },
  { header: '税额 Tax', width: 12, money: true },
  { header: '已红冲 Reversed', width: 14, money: true },
  { header: '状态 Status', width: 14 },
  { header: '发票号码 Number', width: 24 },
  { header: '红冲原因 Reason', width: 24 },
  { header: '蓝字发票号码 Blue number', width: 24 },
  { header: '红字确认单 Confirmation', width: 24 },
  { header: '红冲原因类别 Category', width: 14 },
  { header: '购买方确认日期 Buyer confirmed', width: 16 },
  { header: '导出次数 Exports', width: 10 },
];

const STATUS_TEXT: Record<InvoiceStatus, string> = { issued: '已开具', partly_reversed: '部分红冲', reversed: '已红冲', red: '红字发票' };

/** The register's page: every column of the invoice, its status, original, customer and how many exports wrote it. */
const registerPage = (q: Queryable, f: ExportFilter, after: number, pageSize: number) =>
  q.db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .leftJoin('invoices as o', 'o.id', 'i.original_id')
    .selectAll('i')
    .select([invoiceStatus.as('status'), 'o.serial as original_serial', 'c.name as customer_name', exportCount().as('exports')])
    .where(invoiceFilter(q, { ...periodOf(f), status: f.status }))
    .where('i.id', '>', after)
    .orderBy('i.id')
    .limit(pageSize);
type RegisterRow = RowOf<typeof registerPage>;

function registerCells(r: RegisterRow): Cell[] {
  const sign = r.kind === 'red' ? -1 : 1;
  return [
    r.serial,
    r.kind === 'red' ? '红字' : '蓝字',
    r.original_serial,
    INVOICE_TYPE_TEXT[r.invoice_type],
    shanghaiDateTime(r.issued_at),
    r.customer_name,
    r.buyer_name,
    r.taxpayer_id,
    yuanCell(sign * r.gross),
    yuanCell(sign * r.net),
    yuanCell(sign * r.tax),
    yuanCell(r.reversed),
    STATUS_TEXT[r.status],
    r.tax_number,
    r.reason,
    r.blue_tax_number,
    r.red_confirmation_no,
    r.red_category,
    r.buyer_confirmed_on,
    r.kind === 'blue' ? r.exports : null,
  ];
}

/**
 * The invoice register of a period (blue and red; red amounts negative) and a monthly summary. Written
 * page by page (keyset on id), yielding and reporting progress between pages as the batch-import
 * workbook does; a cancel between pages leaves no file.
 */
export async function exportInvoiceRegister(
  q: Queryable,
  target: string,
  f: ExportFilter,
  job: ExportProgress = NO_PROGRESS,
  pageSize = PAGE,
) {
  const total = (await q.db
    .selectFrom('invoices as i')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(invoiceFilter(q, { ...periodOf(f), status: f.status }))
    .executeTakeFirst())!.n;
  let count = 0;
  job.progress(0, total);
  async function* rows(): AsyncGenerator<Cell[]> {
    let after = 0;
    for (;;) {
      const list = await registerPage(q, f, after, pageSize).execute();
      if (!list.length) return;
      for (const r of list) yield registerCells(r);
      count += list.length;
      after = list[list.length - 1]!.id;
      job.progress(count, Math.max(total, count));
      await job.checkpoint();
    }
  }
  const p = periodOf(f);
  const month = sql.raw<string>(dialect(q).shanghaiMonth('issued_at'));
  const summary = await selectAllExact(
    q,
    q.db
      .selectFrom('invoices')
      .select((eb) => [
        month.as('month'),
        sql<number>`count(CASE WHEN kind = 'blue' THEN 1 END)`.as('blue_n'),
        eb.fn.coalesce(sql<number | null>`sum(CASE WHEN kind = 'blue' THEN gross END)`, eb.lit(0)).as('blue_gross'),
        eb.fn.coalesce(sql<number | null>`sum(CASE WHEN kind = 'blue' THEN tax END)`, eb.lit(0)).as('blue_tax'),
        sql<number>`count(CASE WHEN kind = 'red' THEN 1 END)`.as('red_n'),
        eb.fn.coalesce(sql<number | null>`sum(CASE WHEN kind = 'red' THEN gross END)`, eb.lit(0)).as('red_gross'),
        eb.fn.coalesce(sql<number | null>`sum(CASE WHEN kind = 'red' THEN tax END)`, eb.lit(0)).as('red_tax'),
      ])
      .where('issued_at', '>=', p.from ?? 0)
      .where('issued_at', '<', p.to ?? Number.MAX_SAFE_INTEGER)
      .groupBy(sql`month`)
      .orderBy(sql`month`),
  );
  const n = (v: bigint) => Number(v);
  const out = await writeReportWorkbook(
    target,
    [
      { name: '发票登记簿 Register', columns: REGISTER_COLUMNS, rows: rows() },
      {
        name: '月度汇总 Monthly',
        columns: [
          { header: '月份 Month', width: 10 },
          { header: '蓝字张数 Blue', width: 10 },
          { header: '蓝字价税合计 Blue gross', width: 18, money: true },
          { header: '蓝字税额 Blue tax', width: 14, money: true },
          { header: '红字张数 Red', width: 10 },
          { header: '红字价税合计 Red gross', width: 18, money: true },
          { header: '红字税额 Red tax', width: 14, money: true },
          { header: '净价税合计 Net gross', width: 18, money: true },
          { header: '净税额 Net tax', width: 14, money: true },
        ],
        rows: summary.map((s) => {
          const net = s.blue_gross - s.red_gross;
          const netTax = s.blue_tax - s.red_tax;
          return [
            s.month,
            n(s.blue_n),
            yuanCell(n(s.blue_gross)),
            yuanCell(n(s.blue_tax)),
            n(s.red_n),
            yuanCell(-n(s.red_gross)),
            yuanCell(-n(s.red_tax)),
            yuanCell(Number(net)),
            yuanCell(Number(netTax)),
          ];
        }),
      },
    ],
    await witnessOf(q),
  );
  return {
    ...out,
    invoices: count,
    months: summary.length,
    period: { from: f.from ?? null, to: f.to ?? null, asOf: shanghaiDate(Date.now()) },
  };
}

/** Stores an official template file after checking its sheets and header rows (admin; audited). */
export async function readTemplate(bytes: Buffer): Promise<TemplateShape> {
  let sheets;
  try {
    sheets = await readSmallXlsx(bytes);
  } catch (e) {
    throw refuse('VALIDATION', 'template_not_xlsx', { detail: (e as Error).message }, { field: 'file' });
  }
  const { shape, problems } = templateShape(sheets);
  if (!shape) throw templateRefusal('VALIDATION', problems, 'template_not_batch', {}, { field: 'file' });
  return shape;
}

/** A template refused for its problems: the first as the cause, all of them (coded) in the details. */
function templateRefusal(
  errorCode: 'BOOKS' | 'VALIDATION',
  problems: Refusal[],
  code: 'template_no_longer_reads' | 'template_not_batch',
  params: { file?: string },
  details: Record<string, unknown> = {},
) {
  const [first, ...rest] = problems;
  const suffix = rest.map((p) => `; ${p.message}`).join('');
  return refuse(errorCode, code, { ...first!.params, ...params, cause: first!.code } as never, { ...details, problems }, { suffix });
}

export async function storeTemplate(tx: Tx, actor: Actor, fileName: string, bytes: Buffer, shape: TemplateShape, now: number) {
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const info = await execute(
    tx,
    tx.db
      .insertInto('invoice_templates')
      .values({ file_name: fileName, sha256, version_marker: shape.version, bytes, loaded_by: actor.staffId, loaded_at: now }),
  );
  const columns = shape.sheets['1-发票基本信息'].rows[2].length;
  await recordAudit(tx, actor, {
    action: 'invoice.template_load',
    entity: 'invoice_template',
    entityId: Number(info.lastInsertRowid),
    after: { fileName, sha256, version: shape.version, columns },
    at: now,
  });
  return { id: Number(info.lastInsertRowid), fileName, sha256, version: shape.version, columns };
}

export async function templateInfo(q: Queryable) {
  const t = await q.db
    .selectFrom('invoice_templates as t')
    .leftJoin('staff as s', 's.id', 't.loaded_by')
    .select([
      't.id',
      't.file_name as fileName',
      't.sha256',
      't.version_marker as version',
      't.loaded_at as loadedAt',
      's.username as loadedBy',
    ])
    .orderBy('t.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return t ?? null;
}
