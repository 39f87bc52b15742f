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
  constructor(
    readonly code: StatementErrorCode,
    message: string,
    readonly line: number | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** Where a message says "line 12, field TRNAMT: …". */
export function where(line: number | null, field: string | null): string {
  const parts: string[] = [];
  if (line !== null) parts.push(`line ${line}`);
  if (field !== null) parts.push(`field ${field}`);
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
