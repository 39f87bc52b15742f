// What every statement reader hands back: exact signed decimal strings in the statement's currency
// (money in is positive), ISO dates, and null wherever the file has no value.
import type { CofferError } from '../../domain/errors';
import { refusalMessage, refuse, type Refusal, type RefusalCode, type RefusalParams } from '../../domain/refusals';

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
  /** each with its catalogue code and parameters, and the English */
  problems: Refusal[];
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

/**
 * A file a reader refuses: `code` says what kind of problem (tests and the CLI sort by it), `reason`
 * and `params` say which, in the refusal catalogue's words (the console translates them), and the
 * message says it in English after where it is ("line 12, field TRNAMT: …").
 */
export class StatementError<C extends RefusalCode = RefusalCode> extends Error {
  override readonly name = 'StatementError';
  readonly field: string | null;
  readonly params: RefusalParams<C>;
  constructor(
    readonly code: StatementErrorCode,
    readonly reason: C,
    params: RefusalParams<C>,
    readonly line: number | null = null,
    field: string | null = null,
  ) {
    // Values quoted from the file are cut like the message's quotes; a reader's own note on the damage less so.
    const capped = Object.fromEntries(
      Object.entries(params as Record<string, string>).map(([k, v]) => [k, capText(v, k === 'detail' ? MESSAGE_CAP : QUOTE_CAP)]),
    );
    super(capMessage(where(line, field) + refusalMessage(reason, capped as RefusalParams<C>)));
    this.params = capped as RefusalParams<C>;
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

export function fail<C extends RefusalCode>(
  code: StatementErrorCode,
  reason: C,
  params: RefusalParams<C>,
  line: number | null = null,
  field: string | null = null,
): never {
  throw new StatementError(code, reason, params, line, field);
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

/** Refuses an .xlsx or .xls workbook larger than the limit, before anything of it is read. */
export function checkWorkbookSize(bytes: Uint8Array, limits: Limits): void {
  if (bytes.length > limits.maxXlsxBytes) {
    fail('too_large', 'stmt_workbook_too_large', {
      bytes: String(bytes.length),
      max: String(limits.maxXlsxBytes),
      maxMiB: String(limits.maxXlsxBytes / 1048576),
    });
  }
}

/**
 * A file a reader refused, as one coded problem: the reader's problem is its cause, the line and
 * column of the file are named when known (`details.code` keeps the reader's kind of problem).
 */
export function statementRefused(file: string, e: StatementError): CofferError {
  const details = { file, code: e.code, line: e.line, field: e.field };
  const cause = { ...(e.params as Record<string, string>), file, cause: e.reason };
  const line = e.line === null ? null : String(e.line);
  if (line !== null && e.field !== null)
    return refuse('VALIDATION', 'statement_refused_at', { ...cause, line, column: e.field } as never, details);
  if (line !== null) return refuse('VALIDATION', 'statement_refused_line', { ...cause, line } as never, details);
  if (e.field !== null) return refuse('VALIDATION', 'statement_refused_column', { ...cause, column: e.field } as never, details);
  return refuse('VALIDATION', 'statement_refused', cause as never, details);
}
