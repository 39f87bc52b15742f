// Vouchers for the user's general ledger (金蝶 KIS / 用友 U8, T+): pure rules, no I/O. Which columns each
// layout has and what each column holds (by name, so a template the user loads may order, rename or add
// columns), how an automatic voucher's many transfers become one debit line and one credit line per
// subject (and customer), and the checks on the mapping from Coffer's 科目编码 to the user's 科目代码.
// Facts: ../shared/reference/month-end.md § Vouchers and their import files.
import { refuse } from './refusals';

export const GL_FORMATS = ['kingdee', 'yonyou'] as const;
export type GlFormat = (typeof GL_FORMATS)[number];

/** What a column of an import file holds. */
export type GlField =
  | 'date'
  | 'year'
  | 'period'
  | 'word'
  | 'number'
  | 'lineNo'
  | 'attachments'
  | 'summary'
  | 'subjectCode'
  | 'subjectName'
  | 'debit'
  | 'credit'
  | 'currency'
  | 'rate'
  | 'quantity'
  | 'unitPrice'
  | 'preparer'
  | 'reviewer'
  | 'poster'
  | 'auxType'
  | 'customerCode'
  | 'customerName';

/** The built-in layouts (reference columns), in order. Customer columns come last, filled when 辅助核算 is on. */
export const BUILT_IN_HEADERS: Record<GlFormat, readonly string[]> = {
  kingdee: [
    '日期',
    '凭证字',
    '凭证号',
    '附单据数',
    '摘要',
    '科目代码',
    '科目名称',
    '借方金额',
    '贷方金额',
    '币别',
    '汇率',
    '数量',
    '单价',
    '制单人',
    '审核人',
    '过账人',
  ],
  yonyou: [
    '制单日期',
    '凭证类别',
    '凭证编号',
    '附单据数',
    '摘要',
    '科目编码',
    '借方金额',
    '贷方金额',
    '币种',
    '汇率',
    '制单人',
    '客户编码',
    '客户名称',
  ],
};

/** Kingdee carries a customer as a 核算项目 (type, code, name); added to the built-in layout when 辅助核算 is on. */
export const KINGDEE_AUX_HEADERS = ['核算项目类别', '核算项目代码', '核算项目名称'] as const;

/** Header names (normalised) each field goes by in the GLs' import files and their versions. */
const NAMES: Record<GlField, readonly string[]> = {
  date: ['日期', '制单日期', '凭证日期', '记账日期', '业务日期'],
  year: ['会计年度', '年度'],
  period: ['会计期间', '期间'],
  word: ['凭证字', '凭证类别', '凭证类型', '凭证类别字'],
  number: ['凭证号', '凭证编号'],
  lineNo: ['分录序号', '分录号', '行号'],
  attachments: ['附单据数', '附件数', '附件张数', '单据数', '附单据'],
  summary: ['摘要', '凭证摘要'],
  subjectCode: ['科目代码', '科目编码', '会计科目代码', '会计科目编码', '科目'],
  subjectName: ['科目名称', '会计科目名称', '会计科目'],
  debit: ['借方金额', '借方', '借方本币', '本币借方金额', '借方金额本币'],
  credit: ['贷方金额', '贷方', '贷方本币', '本币贷方金额', '贷方金额本币'],
  currency: ['币别', '币种', '币别代码', '币别名称', '币种名称'],
  rate: ['汇率'],
  quantity: ['数量'],
  unitPrice: ['单价'],
  preparer: ['制单人', '制单'],
  reviewer: ['审核人', '审核'],
  poster: ['过账人', '过账', '记账人', '记账'],
  auxType: ['核算项目类别', '核算项目'],
  customerCode: ['客户编码', '客户代码', '核算项目代码', '客户'],
  customerName: ['客户名称', '核算项目名称'],
};

/** A header as written (spaces, a leading or trailing *, a trailing note in brackets) reduced to its name. */
export function headerName(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/^[*＊]+|[*＊]+$/g, '')
    .replace(/[（(][^（）()]*[）)]$/, '')
    .replace(/^[*＊]+|[*＊]+$/g, '');
}

const FIELD_BY_NAME = new Map<string, GlField>(
  (Object.entries(NAMES) as [GlField, readonly string[]][]).flatMap(([f, names]) => names.map((n) => [n, f] as const)),
);

export function fieldOfHeader(text: string): GlField | null {
  return FIELD_BY_NAME.get(headerName(text)) ?? null;
}

/** Columns an import of this layout cannot do without; a template missing one is refused naming it. */
export const REQUIRED_FIELDS: readonly GlField[] = ['date', 'word', 'number', 'summary', 'subjectCode', 'debit', 'credit'];

/** The name a missing field is called by in the layout's own words (科目代码 for Kingdee, 科目编码 for Yonyou). */
export function fieldHeader(format: GlFormat, field: GlField): string {
  const own = BUILT_IN_HEADERS[format].find((h) => fieldOfHeader(h) === field);
  return own ?? (field === 'customerCode' && format === 'kingdee' ? '核算项目代码' : NAMES[field][0]!);
}

/** Each column's field (null: a column Coffer has nothing for, left empty); the first column of a field wins. */
export function columnFields(headers: readonly string[]): (GlField | null)[] {
  const seen = new Set<GlField>();
  return headers.map((h) => {
    const f = fieldOfHeader(h);
    if (!f || seen.has(f)) return null;
    seen.add(f);
    return f;
  });
}

/** The first required field (with customers: the customer code too) the headers lack, or null. */
export function missingField(headers: readonly string[], customerAux: boolean): GlField | null {
  const have = new Set(columnFields(headers).filter((f): f is GlField => f !== null));
  for (const f of [...REQUIRED_FIELDS, ...(customerAux ? (['customerCode'] as const) : [])]) if (!have.has(f)) return f;
  return null;
}

/**
 * The header row among a sheet's first rows: the first row that has every required column; failing
 * that, the row with the most known columns (so a refusal can name what that row lacks).
 */
export function findHeaderRow(
  rows: readonly { line: number; cells: readonly string[] }[],
  scan = 30,
): { line: number; cells: string[] } | null {
  let best: { line: number; cells: string[]; known: number } | null = null;
  for (const r of rows.filter((x) => x.line <= scan)) {
    const cells = r.cells.map((c) => c.trim());
    const fields = columnFields(cells).filter((f) => f !== null);
    if (REQUIRED_FIELDS.every((f) => fields.includes(f))) return { line: r.line, cells: trimEnd(cells) };
    if (fields.length > (best?.known ?? 0)) best = { line: r.line, cells: trimEnd(cells), known: fields.length };
  }
  return best && { line: best.line, cells: best.cells };
}

function trimEnd(cells: string[]): string[] {
  const out = [...cells];
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The mapping from Coffer's 科目编码 to the user's 科目代码

export interface SubjectMapEntry {
  from: string;
  to: string;
  name?: string | undefined;
}

export interface ChartSubject {
  code: string;
  name: string;
  type: string;
  leaf: boolean;
}

/** A 科目代码 as GLs write it: letters or digits in groups joined by a dot or a hyphen (1002, 1002.01, 2203-01). */
export const TARGET_CODE = /^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$/;
export const TARGET_MAX = 40;

/**
 * Refuses a mapping the GL would misread: a Coffer code that is not a leaf subject or is given twice, an
 * empty or ill-formed target, and two subjects of different types (an asset and a liability …) that
 * would land on one code — counting subjects left unmapped, which export under their own code.
 */
export function checkSubjectMap(map: readonly SubjectMapEntry[], chart: readonly ChartSubject[]): void {
  const byCode = new Map(chart.map((s) => [s.code, s]));
  const seen = new Set<string>();
  for (const [i, e] of map.entries()) {
    const field = { field: `value.${i}` };
    const s = byCode.get(e.from);
    if (!s) throw refuse('VALIDATION', 'gl_map_unknown_subject', { code: e.from }, field);
    if (!s.leaf) throw refuse('VALIDATION', 'gl_map_not_leaf', { code: e.from }, field);
    if (seen.has(e.from)) throw refuse('VALIDATION', 'gl_map_duplicate', { code: e.from }, field);
    seen.add(e.from);
    const to = e.to.trim();
    if (!to || to.length > TARGET_MAX || !TARGET_CODE.test(to))
      throw refuse('VALIDATION', 'gl_map_target_invalid', { code: e.from, target: e.to }, field);
  }
  const target = targetsOf(map, chart);
  const firstAt = new Map<string, ChartSubject>();
  for (const s of chart.filter((x) => x.leaf)) {
    const to = target(s.code).code;
    const first = firstAt.get(to);
    if (!first) firstAt.set(to, s);
    else if (first.type !== s.type)
      throw refuse('VALIDATION', 'gl_map_type_conflict', {
        target: to,
        first: `${first.code} ${first.name}`,
        second: `${s.code} ${s.name}`,
      });
  }
}

/** A Coffer 科目编码's code and name in the user's GL: mapped, or its own. */
export function targetsOf(
  map: readonly SubjectMapEntry[],
  chart: readonly ChartSubject[],
): (code: string) => { code: string; name: string } {
  const names = new Map(chart.map((s) => [s.code, s.name]));
  const byFrom = new Map(map.map((e) => [e.from, e]));
  return (code) => {
    const e = byFrom.get(code);
    const own = names.get(code) ?? code;
    return e ? { code: e.to.trim(), name: e.name?.trim() || own } : { code, name: own };
  };
}

// ---------------------------------------------------------------------------------------------------
// Lines

export interface GlCustomer {
  code: string;
  name: string;
}

export interface GlLine {
  summary: string;
  code: string;
  name: string;
  /** Fen; a red voucher's are negative (红字), on the side the original had. */
  debit: number;
  credit: number;
  customer: GlCustomer | null;
}

/** One side of one transfer of an automatic voucher, on its subject (already mapped). */
export interface TransferSide {
  side: 'D' | 'C';
  code: string;
  name: string;
  amount: number;
  customer: GlCustomer | null;
}

/**
 * An automatic voucher's transfers as the GL wants them: one debit line per subject and one credit
 * line per subject (split per customer where a line carries customers), debits first, by code. Each
 * transfer adds its amount to one debit and one credit line, so the lines balance as the transfers do.
 */
export function summarise(summary: string, sides: readonly TransferSide[]): GlLine[] {
  const lines = new Map<string, GlLine>();
  for (const s of sides) {
    const key = `${s.side}\u0000${s.code}\u0000${s.customer?.code ?? ''}`;
    let l = lines.get(key);
    if (!l) lines.set(key, (l = { summary, code: s.code, name: s.name, debit: 0, credit: 0, customer: s.customer }));
    if (s.side === 'D') l.debit += s.amount;
    else l.credit += s.amount;
  }
  const order = (l: GlLine) => (l.debit !== 0 ? 0 : 1);
  return [...lines.values()].sort(
    (a, b) =>
      order(a) - order(b) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.customer?.code ?? '').localeCompare(b.customer?.code ?? ''),
  );
}

/** Σ debits and Σ credits of a voucher's lines (fen). */
export function lineTotals(lines: readonly GlLine[]): { debit: number; credit: number } {
  return lines.reduce((t, l) => ({ debit: t.debit + l.debit, credit: t.credit + l.credit }), { debit: 0, credit: 0 });
}

export interface GlVoucher {
  id: number;
  name: string;
  date: string;
  word: string;
  number: number;
  attachments: number;
  preparer: string;
  reviewer: string;
  lines: GlLine[];
}

export type GlCell = string | number | null;

/** The values of one line's row, by field. Amounts in yuan as numbers (the writer formats them 0.00). */
export function lineValues(format: GlFormat, v: GlVoucher, l: GlLine, lineNo: number): Partial<Record<GlField, GlCell>> {
  return {
    date: v.date,
    year: Number(v.date.slice(0, 4)),
    period: Number(v.date.slice(5, 7)),
    word: v.word,
    number: v.number,
    lineNo,
    attachments: v.attachments,
    summary: l.summary,
    subjectCode: l.code,
    subjectName: l.name,
    debit: l.debit / 100,
    credit: l.credit / 100,
    currency: format === 'kingdee' ? 'RMB' : '人民币',
    rate: 1,
    quantity: null,
    unitPrice: null,
    preparer: v.preparer,
    reviewer: v.reviewer || null,
    poster: null,
    auxType: l.customer ? '客户' : null,
    customerCode: l.customer?.code ?? null,
    customerName: l.customer?.name ?? null,
  };
}

/** Fields whose cells are amounts (number format 0.00). */
export const MONEY_FIELDS: ReadonlySet<GlField> = new Set(['debit', 'credit']);
