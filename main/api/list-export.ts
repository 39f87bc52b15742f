// Every list of the console to Excel or print, written once: the screen names its read method, the
// filter it shows and the columns it shows; this runs that same read method page after page (with its
// own input schema and its own role check) up to a cap, and lays the rows out by those columns.
import { z } from 'zod';
import { refuse } from '../domain/refusals';
import { parseInput, inputRefusal, says } from '../domain/input-problems';
import type { Queryable } from '../db/books';
import { listPrintSection, listValue, writeListWorkbook, type ListColumn, type ListNames, type ListTable } from '../formats/list-table';
import { printDocument } from '../formats/period-reports-html';
import { printMeta } from '../services/period-report-files';
import { witnessOf } from '../services/witness';
import { checkRole, chosenPath, stamp, type JobCtx, type MethodDef } from './define';
import { approvalMethods } from './methods/approvals';
import { auditMethods } from './methods/audit';
import { customerMethods } from './methods/customers';
import { invoiceMethods } from './methods/invoices';
import { ledgerMethods } from './methods/ledger';
import { rechargeMethods } from './methods/recharges';
import { voucherMethods } from './methods/vouchers';
import { savePrintable } from './print';

/** How a list method pages: by the id before (keyset), by offset, by line number, or not at all. */
type Paging = 'keyset' | 'offset' | 'lineNo' | 'whole';
interface ListSource {
  def: MethodDef;
  paging: Paging;
}
const source = (def: MethodDef, paging: Paging): ListSource => ({ def, paging });

export const LIST_SOURCES = {
  'requests.list': source(rechargeMethods['requests.list'], 'keyset'),
  'records.list': source(approvalMethods['records.list'], 'keyset'),
  'statements.lines': source(rechargeMethods['statements.lines'], 'lineNo'),
  'ledger.transfers': source(ledgerMethods['ledger.transfers'], 'keyset'),
  'ledger.trialBalanceLines': source(ledgerMethods['ledger.trialBalanceLines'], 'whole'),
  'customers.search': source(customerMethods['customers.search'], 'offset'),
  'logins.list': source(customerMethods['logins.list'], 'keyset'),
  'invoices.list': source(invoiceMethods['invoices.list'], 'keyset'),
  'vouchers.list': source(voucherMethods['vouchers.list'], 'keyset'),
  'audit.list': source(auditMethods['audit.list'], 'keyset'),
} satisfies Record<string, ListSource>;
export type ListMethod = keyof typeof LIST_SOURCES;
export const LIST_METHODS = Object.keys(LIST_SOURCES) as [ListMethod, ...ListMethod[]];

/** The most rows one export takes; a longer list is cut, and the file says so. */
export const LIST_EXPORT_CAP = 20_000;
const PAGE = 500;
const PAGING_KEYS = ['beforeId', 'limit', 'offset', 'afterLineNo'];

const text = (max: number) => z.string().trim().max(max);
/** Words for a column's stored values: a status has a few, the audit log's actions about 120. */
const MAX_LABELS = 300;
const fieldPath = z
  .string()
  .max(80)
  .regex(/^[A-Za-z]\w*(\.[A-Za-z]\w*)*(\|[A-Za-z]\w*(\.[A-Za-z]\w*)*)*$/, says('field_path'));
const column = z
  .object({
    key: fieldPath,
    title: text(60).min(1),
    kind: z.enum(['text', 'money', 'coins', 'minor', 'number', 'time', 'staff', 'account']).default('text'),
    labels: z
      .record(z.string().max(60), text(100))
      .refine((r) => Object.keys(r).length <= MAX_LABELS, says('too_many_labels'))
      .optional(),
  })
  .strict();

export const listExportInput = z
  .object({
    method: z.enum(LIST_METHODS),
    /** The list method's own filter (without paging); checked by the method's own schema. */
    filter: z.record(z.string().max(40), z.unknown()).default({}),
    columns: z.array(column).min(1).max(30),
    title: text(60).min(1),
    filterText: text(500).default(''),
    /** Rows the 合计 leaves out, by a field's value (a voided voucher). */
    uncounted: z
      .object({ key: fieldPath, values: z.array(text(40)).min(1).max(20) })
      .strict()
      .optional(),
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
    format: z.enum(['xlsx', 'print']),
  })
  .strict();
export type ListExportInput = z.output<typeof listExportInput>;

function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  if (result !== null && typeof result === 'object' && 'rows' in result && Array.isArray(result.rows)) return result.rows;
  return [];
}
function nextBeforeIdOf(result: unknown): number | null {
  if (result !== null && typeof result === 'object' && 'nextBeforeId' in result && typeof result.nextBeforeId === 'number')
    return result.nextBeforeId;
  return null;
}
function lineNoOf(row: unknown): number | null {
  return row !== null && typeof row === 'object' && 'lineNo' in row && typeof row.lineNo === 'number' ? row.lineNo : null;
}

/**
 * The rows the list method gives for `filter`, every page up to `cap`: as the screen reads them, with the method's
 * role check for the caller and its schema for the filter (a paging key in the filter is the exporter's, not the caller's).
 */
export async function collectListRows(
  ctx: JobCtx,
  q: Queryable,
  method: string,
  src: ListSource,
  filter: Record<string, unknown>,
  cap = LIST_EXPORT_CAP,
): Promise<{ rows: unknown[]; cut: boolean }> {
  if (!ctx.session) throw refuse('UNAUTHENTICATED', 'not_logged_in', {});
  checkRole(method, src.def.roles, ctx.session.role);
  if (src.def.kind !== 'read') throw refuse('VALIDATION', 'unknown_method', { method }, { method });
  const def = src.def;
  const own = Object.fromEntries(Object.entries(filter).filter(([k]) => !PAGING_KEYS.includes(k)));
  const run = async (paging: Record<string, number>) => {
    const parsed = parseInput(def.input, { ...own, ...paging }, 'filter');
    if (!parsed.success) throw inputRefusal(parsed.problems);
    return def.run({ api: ctx.api, clientId: ctx.clientId, session: ctx.session, actor: ctx.actor, q }, parsed.data);
  };
  const rows: unknown[] = [];
  let paging: Record<string, number> | null = src.paging === 'whole' ? {} : { limit: PAGE };
  while (paging && rows.length <= cap) {
    const result = await run(paging);
    const page = rowsOf(result);
    rows.push(...page);
    ctx.job.progress(Math.min(rows.length, cap), null);
    await ctx.job.checkpoint();
    const full = page.length === PAGE;
    const next = nextBeforeIdOf(result);
    const last = lineNoOf(page[page.length - 1]);
    paging =
      src.paging === 'keyset' && next !== null
        ? { limit: PAGE, beforeId: next }
        : src.paging === 'offset' && full
          ? { limit: PAGE, offset: rows.length }
          : src.paging === 'lineNo' && full && last !== null
            ? { limit: PAGE, afterLineNo: last }
            : null;
  }
  return { rows: rows.slice(0, cap), cut: rows.length > cap };
}

/** display name by staff id and by username. */
export async function staffNames(q: Queryable): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const s of await q.db.selectFrom('staff').select(['id', 'username', 'display_name as name']).execute()) {
    names.set(String(s.id), s.name);
    names.set(s.username, s.name);
  }
  return names;
}

/** The accounts the rows name in `account` columns, by id: 科目编码 科目名称 (in `lang`) where the account has a subject. */
async function accountNames(q: Queryable, t: Pick<ListTable, 'columns' | 'rows' | 'lang'>): Promise<ListNames['accounts']> {
  const ids = new Set<number>();
  for (const c of t.columns.filter((c) => c.kind === 'account'))
    for (const r of t.rows) {
      const id = Number(listValue(r, c.key));
      if (Number.isSafeInteger(id)) ids.add(id);
    }
  const read = async (id: number) =>
    q.db
      .selectFrom('accounts as a')
      .leftJoin('subjects as s', 's.code', 'a.subject_code')
      .select(['a.id', 'a.code', 'a.name', 's.code as subjectCode', 's.name as subjectName', 's.name_en as subjectNameEn'])
      .where('a.id', '=', id)
      .executeTakeFirst();
  const names = new Map<string, { code: string; title: string; subject: boolean }>();
  for (const id of ids) {
    const a = await read(id);
    if (!a) continue;
    const subject = t.lang === 'en' ? a.subjectNameEn || a.subjectName : a.subjectName;
    const bySubject = Boolean(a.subjectCode && subject);
    names.set(String(id), { code: a.code, title: bySubject ? `${a.subjectCode} ${subject}` : a.name, subject: bySubject });
  }
  return names;
}

/** Writes the list as the user chose (a workbook, or a printed page) into the file they choose. */
export async function exportList(ctx: JobCtx, i: ListExportInput, cap = LIST_EXPORT_CAP) {
  const now = ctx.api.ports.clock();
  const { table, meta, witness } = await ctx.snapshot(async (q) => {
    const { rows, cut } = await collectListRows(ctx, q, i.method, LIST_SOURCES[i.method], i.filter, cap);
    const columns: ListColumn[] = i.columns;
    const names = { staff: await staffNames(q), accounts: await accountNames(q, { columns, rows, lang: i.lang }) };
    const table: ListTable = { title: i.title, filterText: i.filterText, lang: i.lang, columns, rows, cut, names, uncounted: i.uncounted };
    return { table, meta: await printMeta(q, ctx.session?.displayName ?? ctx.actor.name, now), witness: await witnessOf(q) };
  });
  const counted = { rows: table.rows.length, cut: table.cut };
  const baseName = `${i.title}-${stamp(now)}`;
  if (i.format === 'print') {
    const out = await savePrintable(ctx, printDocument([listPrintSection(table)], meta), i.title, baseName);
    return { ...out, ...counted };
  }
  const target = await chosenPath(ctx, 'save', i.title, `${baseName}.xlsx`, ['xlsx']);
  const out = await writeListWorkbook(target, table, witness);
  return { ...out, format: 'xlsx' as const, ...counted };
}
