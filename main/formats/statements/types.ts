// What every statement reader hands back: exact signed decimal strings in the statement's currency
// (money in is positive), ISO dates, and null wherever the file has no value.

export interface StatementLine {
  booked: string; // YYYY-MM-DD
  value: string | null; // value date
  amount: string; // signed decimal, money in positive, exact ("-25.03")
  counterparty: { name: string | null; account: string | null };
  reference: string | null; // end-to-end / customer reference
  memo: string | null; // 附言/摘要/remittance info
  bank_ref: string | null; // the bank's own id for dedupe (FITID, AcctSvcrRef, 交易流水号) or null
  time?: string | null; // HH:MM:SS when the file has it
  balance_after?: string | null;
  reversal?: boolean; // MT940 RC/RD, camt RvslInd, a 冲正 row
  line?: number; // where the line starts in the file (1-based), for messages downstream
}

export interface Balance {
  date: string;
  amount: string;
}

export interface Continuity {
  ok: boolean;
  /** false when the file lacks an opening or closing balance, so nothing could be compared */
  checked: boolean;
  expected_closing: string | null;
  problems: string[];
}

export type StatementFormat = 'csv' | 'xlsx' | 'xls' | 'camt053' | 'mt940' | 'ofx';

export interface Statement {
  account: string | null;
  currency: string | null;
  opening: Balance | null;
  closing: Balance | null;
  lines: StatementLine[];
  continuity: Continuity; // opening + Σ lines vs closing, reported not refused
  format: StatementFormat;
  profile: string | null;
  /**
   * Every place in the file that names a currency (a preamble line, a currency column, camt `Ccy`,
   * MT940 field 60/62, OFX CURDEF), the first of each currency: the import refuses a file when any of
   * them is not the bank account's currency.
   */
  currencies?: CurrencyMention[];
}

export interface CurrencyMention {
  currency: string;
  line: number | null;
  field: string;
}

/** Adds a currency mention unless one of the same currency is already listed. */
export function mention(list: CurrencyMention[], currency: string | null | undefined, line: number | null, field: string): void {
  if (!currency) return;
  const c = currency.toUpperCase();
  if (!list.some((m) => m.currency === c)) list.push({ currency: c, line, field });
}

export type StatementErrorCode =
  | 'unreadable'
  | 'wrong_format'
  | 'unsupported'
  | 'bad_header'
  | 'bad_amount'
  | 'bad_date'
  | 'bad_value'
  | 'bad_encoding'
  | 'bad_profile'
  | 'missing_field'
  | 'truncated'
  | 'too_large'
  | 'zip_bomb'
  | 'duplicate'
  | 'empty';

export class StatementError extends Error {
  override readonly name = 'StatementError';
  readonly field: string | null;
  constructor(
    readonly code: StatementErrorCode,
    message: string,
    readonly line: number | null = null,
    field: string | null = null,
  ) {
    super(capMessage(message));
    this.field = field === null ? null : capText(field);
  }
}

/** How much of a value from the file a message quotes: a 1 MB cell must not become a 1 MB message. */
export const QUOTE_CAP = 80;
const MESSAGE_CAP = 300;

/** Text from a file cut to `max` characters (never inside a surrogate pair), with an ellipsis. */
export function capText(text: string, max = QUOTE_CAP): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** Every quoted value in a message cut to QUOTE_CAP characters, and the whole to MESSAGE_CAP. */
export function capMessage(message: string): string {
  const quoted = message.replace(/"([^"]{81,})"/g, (_, v: string) => `"${capText(v)}"`);
  return capText(quoted, MESSAGE_CAP);
}

/** Where a message says "line 12, field TRNAMT: …". */
export function where(line: number | null, field: string | null): string {
  const parts: string[] = [];
  if (line !== null) parts.push(`line ${line}`);
  if (field !== null) parts.push(`field ${capText(field)}`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

export function fail(code: StatementErrorCode, what: string, line: number | null = null, field: string | null = null): never {
  throw new StatementError(code, where(line, field) + what, line, field);
}

export interface Limits {
  /** text formats (CSV, MT940, OFX, camt) */
  maxTextBytes: number;
  /** xlsx or xls file on disk */
  maxXlsxBytes: number;
  maxUncompressedBytes: number;
  maxRatio: number;
  maxLines: number;
  /** cells of an .xls workbook (all sheets) */
  maxCells: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxTextBytes: 200 * 1024 * 1024,
  maxXlsxBytes: 20 * 1024 * 1024,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxRatio: 100,
  maxLines: 2_000_000,
  maxCells: 5_000_000,
};
