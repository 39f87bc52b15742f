// Vouchers for the user's general ledger (金蝶 KIS / 用友), issue 12 §4. A month's posted vouchers leave in
// the GL's import layout: manual vouchers with their own lines, automatic vouchers summarised to one
// debit and one credit line per subject (and customer, with 客户 辅助核算 on); subjects under the user's
// 科目代码 (setting gl.subjectMap, four eyes). A template an admin loaded wins over the built-in headers.
// Every export is recorded with the file's SHA-256 and the vouchers it wrote; exporting vouchers again is
// refused unless an admin or approver forces it, and the forced export is recorded too. Drafts and
// voided vouchers are not exported: the result lists them as skipped.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { storedJson } from '../db/stored-json';
import type { Queryable } from '../db/books';
import { execute, literal } from '../db/query';
import type { Tx } from '../db/tx';
import { shanghaiDateTime } from '../domain/dates';
import { CofferError } from '../domain/errors';
import {
  BUILT_IN_HEADERS,
  KINGDEE_AUX_HEADERS,
  checkSubjectMap,
  columnFields,
  fieldHeader,
  findHeaderRow,
  lineTotals,
  lineValues,
  missingField,
  summarise,
  targetsOf,
  type GlCustomer,
  type GlFormat,
  type GlLine,
  type GlVoucher,
  type TransferSide,
} from '../domain/gl-export';
import { refuse } from '../domain/refusals';
import { readSmallXlsx } from '../formats/invoice-workbook';
import { fileSha256 } from '../formats/file-out';
import { writeGlWorkbook, type GlSheetHead } from '../formats/gl-voucher-xlsx';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { glChart, settingAt, settingVersionAt } from './settings';
import { voucherName } from './voucher-numbers';

/** How each layout is called in messages and on screen. */
export const FORMAT_TEXT: Record<GlFormat, string> = { kingdee: '金蝶 Kingdee KIS', yonyou: '用友 Yonyou' };
/** The largest template read (the invoice template's limit). */
export const GL_TEMPLATE_MAX_BYTES = 20 * 1024 * 1024;
const FORCE_ROLES: readonly string[] = ['admin', 'approver'];
const LISTED = 10;

// ---------------------------------------------------------------------------------------------------
// Templates

export interface GlTemplateHead {
  sheetName: string;
  headerLine: number;
  /** The rows down to the header row, as text. */
  rows: { line: number; cells: string[] }[];
  headers: string[];
}

/**
 * Reads a template the user exported from their GL: the zip-bomb and size checks first (readSmallXlsx),
 * then the first sheet whose first 30 rows hold a header row with every column the import needs.
 */
export async function readGlTemplate(bytes: Buffer, fileName: string, format: GlFormat): Promise<GlTemplateHead> {
  if (bytes.length > GL_TEMPLATE_MAX_BYTES)
    throw refuse(
      'LIMIT',
      'gl_template_unreadable',
      { file: fileName, problem: `over ${GL_TEMPLATE_MAX_BYTES / 1048576} MiB` },
      { field: 'file' },
    );
  let sheets;
  try {
    sheets = await readSmallXlsx(bytes, 10_000);
  } catch (e) {
    throw refuse(
      'VALIDATION',
      'gl_template_unreadable',
      { file: fileName, problem: (e as Error).message.slice(0, 200) },
      { field: 'file' },
    );
  }
  let firstMissing: string | null = null;
  for (const s of sheets) {
    const found = findHeaderRow(s.rows);
    if (!found) continue;
    const missing = missingField(found.cells, false);
    if (missing) {
      firstMissing ??= fieldHeader(format, missing);
      continue;
    }
    return {
      sheetName: s.name,
      headerLine: found.line,
      rows: s.rows
        .filter((r) => r.line < found.line)
        .map((r) => ({ line: r.line, cells: r.cells }))
        .concat([found]),
      headers: found.cells,
    };
  }
  throw refuse(
    'VALIDATION',
    'gl_template_column_missing',
    { format: FORMAT_TEXT[format], column: firstMissing ?? fieldHeader(format, 'date') },
    { field: 'file' },
  );
}

export async function storeGlTemplate(
  tx: Tx,
  actor: Actor,
  format: GlFormat,
  fileName: string,
  bytes: Buffer,
  head: GlTemplateHead,
  now: number,
) {
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const info = await execute(
    tx,
    tx.db.insertInto('gl_templates').values({
      format,
      file_name: fileName,
      sha256,
      bytes,
      sheet_name: head.sheetName,
      header_row: head.headerLine,
      headers_json: JSON.stringify(head.headers),
      loaded_by: actor.staffId,
      loaded_at: now,
    }),
  );
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'gl.template_load',
    entity: 'gl_template',
    entityId: id,
    after: { format, fileName, sha256, sheet: head.sheetName, headerRow: head.headerLine, headers: head.headers },
    at: now,
  });
  return (await glTemplates(tx))[format]!;
}

export interface GlTemplateInfo {
  id: number;
  format: GlFormat;
  fileName: string;
  sha256: string;
  sheetName: string;
  headerRow: number;
  headers: string[];
  loadedAt: number;
  loadedBy: string | null;
}

/** The template in use for each layout (the newest loaded), or null where the built-in headers apply. */
export async function glTemplates(q: Queryable): Promise<Record<GlFormat, GlTemplateInfo | null>> {
  const rows = await q.db
    .selectFrom('gl_templates as t')
    .leftJoin('staff as s', 's.id', 't.loaded_by')
    .select([
      't.id',
      't.format',
      't.file_name as fileName',
      't.sha256',
      't.sheet_name as sheetName',
      't.header_row as headerRow',
      't.headers_json as headers',
      't.loaded_at as loadedAt',
      's.display_name as loadedBy',
    ])
    .where('t.id', 'in', (eb) =>
      eb
        .selectFrom('gl_templates')
        .select((e) => e.fn.max('id').as('id'))
        .groupBy('format'),
    )
    .execute();
  const out: Record<GlFormat, GlTemplateInfo | null> = { kingdee: null, yonyou: null };
  for (const r of rows) out[r.format] = { ...r, headers: storedJson(z.array(z.string()), r.headers, 'gl_templates.headers') };
  return out;
}

/** The sheet head an export writes under: the loaded template's, or the built-in headers. */
async function sheetHead(q: Queryable, format: GlFormat, customerAux: boolean): Promise<{ head: GlSheetHead; templateId: number | null }> {
  const t = await q.db
    .selectFrom('gl_templates')
    .select(['id', 'file_name', 'bytes'])
    .where('format', '=', format)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!t) {
    const headers = [...BUILT_IN_HEADERS[format], ...(customerAux && format === 'kingdee' ? KINGDEE_AUX_HEADERS : [])];
    return {
      head: { sheetName: '凭证', rows: [{ line: 1, cells: headers }], headerLine: 1, fields: columnFields(headers) },
      templateId: null,
    };
  }
  const tpl = await readGlTemplate(t.bytes, t.file_name, format);
  const missing = missingField(tpl.headers, customerAux);
  if (missing) throw refuse('REFUSED', 'gl_template_column_missing', { format: FORMAT_TEXT[format], column: fieldHeader(format, missing) });
  return {
    head: { sheetName: tpl.sheetName, rows: tpl.rows, headerLine: tpl.headerLine, fields: columnFields(tpl.headers) },
    templateId: t.id,
  };
}

// ---------------------------------------------------------------------------------------------------
// A month's vouchers as the GL gets them

const voucherHeads = (q: Queryable, month: string) =>
  q.db
    .selectFrom('vouchers as v')
    .leftJoin('staff as p', 'p.id', 'v.prepared_by')
    .leftJoin('staff as r', 'r.id', 'v.reviewed_by')
    .select([
      'v.id',
      'v.word',
      'v.period',
      'v.number',
      'v.date',
      'v.attachments',
      'v.summary',
      'v.source',
      'v.status',
      'v.reverses_id',
      'p.display_name as preparer',
      'r.display_name as reviewer',
    ])
    .where('v.period', '=', month)
    .orderBy('v.word')
    .orderBy('v.number');

export interface SkippedVoucher {
  id: number;
  name: string;
  status: string;
  summary: string;
}

export interface MonthVouchers {
  vouchers: GlVoucher[];
  skipped: SkippedVoucher[];
}

/** Which customer each transfer of the month that moved a customer's money was for (辅助核算). */
async function customersOfTransfers(q: Queryable, month: string): Promise<Map<number, GlCustomer>> {
  const postedIn = q.db
    .selectFrom('recharge_records as r')
    .innerJoin('transfers as t', 't.id', 'r.money_transfer_id')
    .innerJoin('vouchers as v', 'v.id', 't.voucher_id')
    .select(['r.money_transfer_id as t', 'r.customer_id as cid'])
    .where('v.period', '=', month)
    .unionAll(
      q.db
        .selectFrom('transfers as t')
        .innerJoin('vouchers as v', 'v.id', 't.voucher_id')
        .innerJoin('recharge_records as r', (j) => j.on(sql<boolean>`r.receipt_no = substr(t.key, 9, length(t.key) - 14)`))
        .select(['t.id as t', 'r.customer_id as cid'])
        .where('v.period', '=', month)
        .where('t.code', '=', literal('recharge_reversal'))
        .where('t.ledger', '=', literal(1))
        .where('t.key', 'like', literal('reverse:%:money')),
    )
    .unionAll(
      q.db
        .selectFrom('refunds as f')
        .innerJoin('recharge_records as r', 'r.id', 'f.record_id')
        .innerJoin('transfers as t', 't.id', 'f.ledger_transfer_id')
        .innerJoin('vouchers as v', 'v.id', 't.voucher_id')
        .select(['t.id as t', 'r.customer_id as cid']) // f.ledger_transfer_id, which the join made t.id
        .where('v.period', '=', month),
    );
  const rows = await q.db
    .selectFrom(postedIn.as('x'))
    .innerJoin('customers as c', 'c.id', 'x.cid')
    .select(['x.t', 'c.id', 'c.external_id', 'c.name'])
    .execute();
  return new Map(rows.map((r) => [r.t, { code: r.external_id ?? `C${r.id}`, name: r.name }]));
}

/** The subjects whose lines carry the customer: customer prepayments (合同负债) and refunds payable. */
async function customerSubjects(q: Queryable): Promise<Set<string>> {
  const rows = await q.db
    .selectFrom('accounts')
    .select('subject_code as code')
    .distinct()
    .where('ledger', '=', literal(1))
    .where('owner_kind', 'is', null)
    .where('code', 'in', [literal('customer_prepayments'), literal('refunds_payable')])
    .where('subject_code', 'is not', null)
    .$narrowType<{ code: string }>()
    .execute();
  return new Set(rows.map((r) => r.code));
}

export async function monthVouchers(q: Queryable, month: string, at: number): Promise<MonthVouchers> {
  const chart = await glChart(q);
  const map = await settingAt(q, 'gl.subjectMap', at);
  checkSubjectMap(map, chart);
  const target = targetsOf(map, chart);
  const aux = await settingAt(q, 'gl.customerAux', at);
  const subjectOf = new Map(
    (await q.db.selectFrom('accounts').select(['id', 'subject_code as s', 'code']).where('ledger', '=', literal(1)).execute()).map((a) => {
      if (a.s === null) throw refuse('BOOKS', 'account_unmapped', { code: a.code });
      return [a.id, a.s] as const;
    }),
  );
  const heads = await voucherHeads(q, month).execute();

  const manual = new Map<number, GlLine[]>();
  for (const l of await q.db
    .selectFrom('voucher_lines as l')
    .innerJoin('vouchers as v', 'v.id', 'l.voucher_id')
    .select(['l.voucher_id as v', 'l.summary', 'l.account_id as a', 'l.debit', 'l.credit', 'v.reverses_id as red'])
    .where('v.period', '=', month)
    .where('v.status', '=', literal('posted'))
    .where('v.source', '=', literal('manual'))
    .orderBy('l.voucher_id')
    .orderBy('l.line_no')
    .execute()) {
    const sign = l.red !== null ? -1 : 1;
    const t = target(subjectOf.get(l.a)!);
    const list = manual.get(l.v) ?? [];
    list.push({ summary: l.summary, code: t.code, name: t.name, debit: sign * l.debit, credit: sign * l.credit, customer: null });
    manual.set(l.v, list);
  }

  const customers = aux ? await customersOfTransfers(q, month) : new Map<number, GlCustomer>();
  const onCustomer = aux ? await customerSubjects(q) : new Set<string>();
  const sides = new Map<number, TransferSide[]>();
  for (const t of await q.db
    .selectFrom('transfers as t')
    .innerJoin('vouchers as v', 'v.id', 't.voucher_id')
    .select(['t.id', 'v.id as v', 't.debit_account_id as d', 't.credit_account_id as c', 't.amount'])
    .where('v.period', '=', month)
    .where('v.status', '=', literal('posted'))
    .where('v.source', '<>', literal('manual'))
    .where('t.kind', 'in', [literal('single'), literal('post')])
    .orderBy('t.voucher_id')
    .orderBy('t.id')
    .execute()) {
    const list = sides.get(t.v) ?? [];
    for (const [side, account] of [
      ['D', t.d],
      ['C', t.c],
    ] as const) {
      const subject = subjectOf.get(account)!;
      const to = target(subject);
      list.push({
        side,
        code: to.code,
        name: to.name,
        amount: t.amount,
        customer: onCustomer.has(subject) ? (customers.get(t.id) ?? null) : null,
      });
    }
    sides.set(t.v, list);
  }

  const vouchers: GlVoucher[] = [];
  const skipped: SkippedVoucher[] = [];
  for (const h of heads) {
    const name = voucherName(h);
    const lines = h.source === 'manual' ? (manual.get(h.id) ?? []) : summarise(h.summary, sides.get(h.id) ?? []);
    if (h.status !== 'posted' || lines.length === 0) {
      skipped.push({ id: h.id, name, status: h.status === 'posted' ? 'empty' : h.status, summary: h.summary });
      continue;
    }
    const totals = lineTotals(lines);
    if (totals.debit !== totals.credit)
      throw refuse('BOOKS', 'gl_voucher_unbalanced', { voucher: name, debitFen: String(totals.debit), creditFen: String(totals.credit) });
    vouchers.push({
      id: h.id,
      name,
      date: h.date,
      word: h.word,
      number: h.number,
      attachments: h.attachments,
      preparer: h.preparer ?? 'Coffer',
      reviewer: h.reviewer ?? '',
      lines,
    });
  }
  return { vouchers, skipped };
}

// ---------------------------------------------------------------------------------------------------
// Exports: refused when done before, unless forced; recorded

export interface PriorExport {
  id: number;
  format: GlFormat;
  month: string;
  fileName: string;
  sha256: string;
  vouchers: number;
  lines: number;
  forced: boolean;
  exportedBy: string;
  exportedAt: number;
}

export async function priorExports(q: Queryable, month: string): Promise<PriorExport[]> {
  return (
    await q.db
      .selectFrom('voucher_exports as e')
      .leftJoin('staff as s', 's.id', 'e.exported_by')
      .select((eb) => [
        'e.id',
        'e.format',
        'e.month',
        'e.file_name as fileName',
        'e.sha256',
        'e.vouchers',
        'e.lines',
        'e.forced',
        eb.fn.coalesce('s.display_name', 'e.exported_by_name').as('exportedBy'),
        'e.exported_at as exportedAt',
      ])
      .where('e.month', '=', month)
      .orderBy('e.id', 'desc')
      .execute()
  ).map((r) => ({ ...r, forced: r.forced === 1 }));
}

/** The vouchers among `ids` some earlier export wrote, by name; with the exports that wrote them. */
async function exportedBefore(q: Queryable, month: string, ids: ReadonlySet<number>): Promise<{ names: string[]; exports: PriorExport[] }> {
  const rows = await q.db
    .selectFrom('voucher_export_items as i')
    .innerJoin('vouchers as v', 'v.id', 'i.voucher_id')
    .select(['v.id', 'v.word', 'v.period', 'v.number'])
    .distinct()
    .where('v.period', '=', month)
    .orderBy('v.word')
    .orderBy('v.number')
    .execute();
  const names = rows.filter((r) => ids.has(r.id)).map(voucherName);
  return { names, exports: names.length ? await priorExports(q, month) : [] };
}

function refuseExportedBefore(month: string, before: { names: string[]; exports: PriorExport[] }): CofferError {
  const listed = before.names.slice(0, LISTED).join(', ') + (before.names.length > LISTED ? ', …' : '');
  const exports = before.exports
    .slice(0, 3)
    .map((e) => `#${e.id} ${FORMAT_TEXT[e.format]} ${shanghaiDateTime(e.exportedAt)} ${e.exportedBy}`)
    .join('; ');
  return refuse(
    'CONFLICT',
    'gl_exported_before',
    { month, count: String(before.names.length), vouchers: listed, exports },
    { field: 'force', vouchers: before.names, exports: before.exports.map((e) => e.id) },
  );
}

export interface GlExportInput {
  month: string;
  format: GlFormat;
  force?: boolean | undefined;
}

export interface GlExportPlan extends MonthVouchers {
  input: GlExportInput;
  head: GlSheetHead;
  templateId: number | null;
  mappingVersion: number;
  customerAux: boolean;
  lines: number;
  /** Vouchers of this export an earlier export wrote (only with force). */
  again: string[];
}

/**
 * Everything checked before anything is written (and before the console asks where to save): the
 * role to force, the vouchers and their balance, the mapping, the template, and earlier exports.
 */
export async function planGlExport(q: Queryable, actor: Actor, i: GlExportInput, now: number): Promise<GlExportPlan> {
  if (i.force && !FORCE_ROLES.includes(actor.role))
    throw refuse('FORBIDDEN', 'gl_force_role', { user: actor.name, role: actor.role }, { field: 'force' });
  const month = await monthVouchers(q, i.month, now);
  if (!month.vouchers.length) throw refuse('NOT_FOUND', 'gl_no_vouchers', { month: i.month }, { field: 'month' });
  const before = await exportedBefore(q, i.month, new Set(month.vouchers.map((v) => v.id)));
  if (before.names.length && !i.force) throw refuseExportedBefore(i.month, before);
  const customerAux = await settingAt(q, 'gl.customerAux', now);
  const { head, templateId } = await sheetHead(q, i.format, customerAux);
  return {
    ...month,
    input: i,
    head,
    templateId,
    mappingVersion: await settingVersionAt(q, 'gl.subjectMap', now),
    customerAux,
    lines: month.vouchers.reduce((n, v) => n + v.lines.length, 0),
    again: before.names,
  };
}

/** Writes the planned export; the file's SHA-256 is what the record keeps. */
export async function writeGlExport(
  target: string,
  plan: GlExportPlan,
  witness: string | null,
): Promise<{ path: string; bytes: number; sha256: string }> {
  const { format } = plan.input;
  function* rows() {
    for (const v of plan.vouchers) for (const [n, l] of v.lines.entries()) yield lineValues(format, v, l, n + 1);
  }
  const out = await writeGlWorkbook(target, plan.head, rows(), witness);
  const sha256 = fileSha256(out.path);
  return { ...out, sha256 };
}

export interface GlExportResult {
  exportId: number;
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
  format: GlFormat;
  month: string;
  vouchers: number;
  lines: number;
  forced: boolean;
  /** Vouchers an earlier export had written (a forced export). */
  again: string[];
  skipped: SkippedVoucher[];
  template: string | null;
  customerAux: boolean;
}

/**
 * Records the export and which vouchers it wrote. Checked again inside the transaction: an export that
 * another desk recorded meanwhile refuses this one (unless forced), and the caller removes the file.
 */
export async function recordGlExport(
  tx: Tx,
  actor: Actor,
  plan: GlExportPlan,
  file: { path: string; fileName: string; bytes: number; sha256: string },
  now: number,
): Promise<GlExportResult> {
  const { month, format } = plan.input;
  const forced = !!plan.input.force;
  // The CLI without --as records under its name with no staff id.
  if (actor.staffId === 0) actor = { ...actor, staffId: null };
  const ids = new Set(plan.vouchers.map((v) => v.id));
  const before = await exportedBefore(tx, month, ids);
  if (before.names.length && !forced) throw refuseExportedBefore(month, before);
  const info = await execute(
    tx,
    tx.db.insertInto('voucher_exports').values({
      format,
      month,
      file_name: file.fileName,
      sha256: file.sha256,
      vouchers: plan.vouchers.length,
      lines: plan.lines,
      forced: forced ? 1 : 0,
      template_id: plan.templateId,
      mapping_version: plan.mappingVersion,
      exported_by: actor.staffId || null,
      exported_by_name: actor.name,
      exported_at: now,
    }),
  );
  const exportId = Number(info.lastInsertRowid);
  // One prepared statement run per voucher written: raw, as compiledOnce reads only.
  const item = tx.sql('INSERT INTO voucher_export_items (export_id, voucher_id) VALUES (?, ?)');
  for (const v of plan.vouchers) await item.run(exportId, v.id);
  const template = plan.templateId === null ? null : ((await glTemplates(tx))[format]?.fileName ?? null);
  await recordAudit(tx, actor, {
    action: forced ? 'gl.export_forced' : 'gl.export',
    entity: 'voucher_export',
    entityId: exportId,
    after: {
      format,
      month,
      file: file.fileName,
      sha256: file.sha256,
      vouchers: plan.vouchers.length,
      lines: plan.lines,
      again: before.names,
      skipped: plan.skipped.map((s) => `${s.name} ${s.status}`),
      template,
      mappingVersion: plan.mappingVersion,
      customerAux: plan.customerAux,
    },
    at: now,
  });
  return {
    exportId,
    path: file.path,
    fileName: file.fileName,
    bytes: file.bytes,
    sha256: file.sha256,
    format,
    month,
    vouchers: plan.vouchers.length,
    lines: plan.lines,
    forced,
    again: before.names,
    skipped: plan.skipped,
    template,
    customerAux: plan.customerAux,
  };
}

export interface GlExportStatus {
  month: string;
  posted: number;
  skipped: SkippedVoucher[];
  /** Posted vouchers of the month an earlier export wrote, by name. */
  exportedBefore: string[];
  exports: PriorExport[];
  templates: Record<GlFormat, GlTemplateInfo | null>;
  /** Per layout, the column its loaded template lacks for the settings in force (客户 辅助核算 needs one), or null. */
  missingColumn: Record<GlFormat, string | null>;
  customerAux: boolean;
  mapped: number;
}

/** What the export screen shows before exporting: counts, earlier exports, templates and settings. */
export async function glExportStatus(q: Queryable, month: string, now: number): Promise<GlExportStatus> {
  const heads = await q.db
    .selectFrom('vouchers')
    .select(['id', 'word', 'period', 'number', 'status', 'summary'])
    .where('period', '=', month)
    .orderBy('word')
    .orderBy('number')
    .execute();
  const posted = heads.filter((h) => h.status === 'posted');
  const before = await exportedBefore(q, month, new Set(posted.map((h) => h.id)));
  const templates = await glTemplates(q);
  const customerAux = await settingAt(q, 'gl.customerAux', now);
  const missing = (f: GlFormat) => {
    const m = templates[f] && missingField(templates[f].headers, customerAux);
    return m ? fieldHeader(f, m) : null;
  };
  return {
    month,
    posted: posted.length,
    skipped: heads
      .filter((h) => h.status !== 'posted')
      .map((h) => ({ id: h.id, name: voucherName(h), status: h.status, summary: h.summary })),
    exportedBefore: before.names,
    exports: await priorExports(q, month),
    templates,
    missingColumn: { kingdee: missing('kingdee'), yonyou: missing('yonyou') },
    customerAux,
    mapped: (await settingAt(q, 'gl.subjectMap', now)).length,
  };
}
