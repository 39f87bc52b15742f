// Row seals: every row a business action writes is hashed into the audit entry that records the
// action, so that an edit of the row made outside Coffer no longer matches its seal. Pure: the
// canonical form of a row, its seal, and the digest of one entry's seals.
import { createHash, hash } from 'node:crypto';

/**
 * The tables whose rows are sealed, each with a fixed number (stored in `seals.tbl`; never reuse or
 * renumber one). Every table of the books is here except the audit log itself, the seals, `meta`
 * and `migrations` (test/unit/row-seals.test.ts fails when a new table is left out).
 */
export const SEALED_TABLES = {
  ledgers: 1,
  accounts: 2,
  transfers: 3,
  staff: 4,
  settings: 5,
  setting_changes: 6,
  customers: 7,
  customer_accounts: 8,
  bank_bindings: 9,
  device_bindings: 10,
  rebind_requests: 11,
  logins: 12,
  event_imports: 13,
  events: 14,
  coin_movements: 15,
  approvals: 16,
  bank_accounts: 17,
  statements: 18,
  bank_lines: 19,
  bank_line_actions: 20,
  recharge_requests: 21,
  recharge_records: 22,
  allocations: 23,
  match_proposals: 24,
  match_suggestions: 25,
  receipt_counters: 26,
  refunds: 27,
  invoice_requests: 28,
  invoice_request_items: 29,
  invoice_sources: 30,
  invoices: 31,
  invoice_lines: 32,
  invoice_counters: 33,
  invoice_templates: 34,
  subjects: 35,
  periods: 36,
  vouchers: 37,
  voucher_lines: 38,
  voucher_counters: 39,
  chart_changes: 40,
  staff_changes: 41,
  revenue_runs: 42,
  revenue_run_lines: 43,
  invoice_exports: 44,
  invoice_export_items: 45,
  gl_templates: 46,
  voucher_exports: 47,
  voucher_export_items: 48,
  earnings_accruals: 49,
  payouts: 50,
  // 51–59 left to the tables other work of this round adds.
  counter_numbers: 60,
} as const;

export type SealedTable = keyof typeof SEALED_TABLES;

/**
 * Tables deliberately outside the seals: the chain itself, the file's own bookkeeping, and account_months,
 * sums of the (sealed) transfers that verify recomputes and compares row by row — a seal would prove
 * nothing more, and resealing every account's month at each posting cost ≈ 10 % of posting.
 */
export const UNSEALED_TABLES = ['audit', 'seals', 'meta', 'migrations', 'account_months'] as const;

/** Tables Coffer deletes rows from: a new row may take a deleted row's rowid, so inserts are noted too. */
export const ROWIDS_REUSED: readonly SealedTable[] = ['match_suggestions'];

const TABLE_BY_CODE = new Map<number, SealedTable>(Object.entries(SEALED_TABLES).map(([name, code]) => [code, name as SealedTable]));

export function tableOfCode(code: number): SealedTable | undefined {
  return TABLE_BY_CODE.get(code);
}

/** Seals are the first 16 bytes of SHA-256: 128 bits is beyond forging a collision for a row. */
export const SEAL_BYTES = 16;

/** The seal of a deleted row: the action that deleted it says so, so the row's absence is expected. */
export const DELETED_SEAL = Buffer.alloc(SEAL_BYTES);

type Cell = string | number | bigint | Buffer | null;

/** One cell as JSON text: integers and reals tagged, so that 1, 1.0 and '1' differ. */
function cellJson(v: Cell): string {
  if (typeof v === 'bigint') return `["i","${v}"]`;
  if (typeof v === 'number') return Number.isInteger(v) ? `["i","${v}"]` : `["r","${v}"]`;
  if (Buffer.isBuffer(v)) return `["b","${v.toString('hex')}"]`;
  return JSON.stringify(v);
}

/**
 * The bytes a row's seal hashes: its table, rowid and every non-null column by name in sorted order,
 * integers and reals tagged so that 1, 1.0 and '1' differ. A column added later as NULL leaves old
 * seals valid.
 */
export function rowPreimage(table: SealedTable, rowid: bigint | number, row: Readonly<Record<string, Cell>>): string {
  const names = Object.keys(row).sort();
  return columnsPreimage(
    table,
    rowid,
    names,
    names.map((k) => row[k] ?? null),
  );
}

/** The same bytes from a row read as an array, with its column names already in sorted order. */
export function columnsPreimage(
  table: SealedTable,
  rowid: bigint | number,
  sortedNames: readonly string[],
  values: readonly Cell[],
): string {
  // The text JSON.stringify([table, String(rowid), [[name, cell], …]]) gives, built directly: this runs
  // for every row written. Table and column names are plain identifiers, needing no escapes.
  let text = `["${table}","${rowid}",[`;
  let first = true;
  for (let i = 0; i < sortedNames.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    text += `${first ? '' : ','}["${sortedNames[i]}",${cellJson(v)}]`;
    first = false;
  }
  return text + ']]';
}

// one-shot hash: no Hash object per row (this runs for every row written)
const seal = (preimage: string) => hash('sha256', preimage, 'buffer').subarray(0, SEAL_BYTES);

export function rowSeal(table: SealedTable, rowid: bigint | number, row: Readonly<Record<string, Cell>>): Buffer {
  return seal(rowPreimage(table, rowid, row));
}

/**
 * Seals rows read as arrays (`columns` as the statement names them; `skip` leading columns that are
 * not the row's own, such as its rowid read under another name): the fast path for many rows.
 */
export function arraySealer(
  table: SealedTable,
  columns: readonly string[],
  skip: number,
): (rowid: bigint | number, values: readonly Cell[]) => Buffer {
  const order = columns
    .map((name, i) => ({ name, i }))
    .slice(skip)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // columnsPreimage's text built straight from the row's array: no array of cells per row
  const at = order.map((o) => o.i);
  const heads = order.map((o) => `["${o.name}",`);
  const start = `["${table}","`;
  return (rowid, values) => {
    let text = `${start}${rowid}",[`;
    let first = true;
    for (let k = 0; k < at.length; k++) {
      const v = values[at[k]!];
      if (v === null || v === undefined) continue;
      text += `${first ? '' : ','}${heads[k]}${cellJson(v)}]`;
      first = false;
    }
    return seal(text + ']]');
  };
}

export interface SealEntry {
  tbl: number;
  rowId: number;
  seal: Buffer;
}

/**
 * The digest one audit entry carries of the rows its action wrote: SHA-256 over one line per seal,
 * "tbl<TAB>rowid<TAB>seal-hex", in (tbl, rowid) order. An action that wrote no row has the digest of
 * nothing.
 */
export function sealsDigest(entries: Iterable<SealEntry>): string {
  const d = sealsDigester();
  for (const e of entries) d.add(e);
  return d.digest();
}

/** Incremental form of sealsDigest for verify, which streams seals entry by entry. */
export function sealsDigester(): { add(e: SealEntry): void; digest(): string } {
  const h = createHash('sha256');
  return {
    add: (e) => h.update(`${e.tbl}\t${e.rowId}\t${e.seal.toString('hex')}\n`, 'utf8'),
    digest: () => h.digest('hex'),
  };
}
