// Kysely table types for the books file. Money columns are integers in minor units (fen or coins),
// guarded as safe integers by the ledger rules; they never hold floats.
import type { Generated, Insertable, Selectable } from 'kysely';

export interface LedgerTable {
  id: number;
  code: string;
  name: string;
  unit: string;
}

export interface AccountTable {
  id: Generated<number>;
  ledger: number;
  code: string;
  name: string;
  owner_kind: string | null;
  owner_id: number | null;
  flags: number;
  debits_pending: Generated<number>;
  debits_posted: Generated<number>;
  credits_pending: Generated<number>;
  credits_posted: Generated<number>;
  created_at: number;
  /** CNY accounts: the chart of accounts' leaf subject (科目编码) this account posts to. */
  subject_code: string | null;
}

export interface TransferTable {
  id: number;
  key: string;
  ledger: number;
  debit_account_id: number;
  credit_account_id: number;
  amount: number;
  kind: 'single' | 'pending' | 'post' | 'void';
  pending_id: number | null;
  reverses_id: number | null;
  chain_id: number | null;
  code: string;
  memo: string;
  ts: number;
  staff_id: number | null;
  /** 记账日期, YYYY-MM-DD (Asia/Shanghai); ts is when it was entered. */
  business_date: string;
  /** CNY transfers: the voucher (记账凭证) they belong to. */
  voucher_id: number | null;
}

export interface SubjectTable {
  code: string;
  name: string;
  name_en: string;
  type: 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';
  parent_code: string | null;
  created_at: number;
  created_by: number | null;
}

export interface PeriodTable {
  month: string;
  state: 'open' | 'closing' | 'closed';
  closed_by: number | null;
  closed_at: number | null;
  confirmed_by: number | null;
  confirmed_at: number | null;
  reopen_requested_by: number | null;
  reopen_requested_at: number | null;
  reopen_reason: string | null;
  times_reopened: Generated<number>;
}

export interface VoucherTable {
  id: Generated<number>;
  period: string;
  word: '记' | '收' | '付' | '转';
  number: number;
  date: string;
  attachments: Generated<number>;
  summary: string;
  source: string;
  status: 'draft' | 'posted' | 'voided';
  prepared_by: number | null;
  prepared_at: number;
  reviewed_by: number | null;
  reviewed_at: number | null;
  review_note: string | null;
  reverses_id: number | null;
}

export interface VoucherLineTable {
  voucher_id: number;
  line_no: number;
  summary: string;
  account_id: number;
  debit: Generated<number>;
  credit: Generated<number>;
}

export interface StaffTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: 'clerk' | 'approver' | 'auditor' | 'admin';
  password_hash: string;
  failed_logins: Generated<number>;
  locked: Generated<number>;
  disabled: Generated<number>;
  created_at: number;
  updated_at: number;
  must_change_password: Generated<number>;
  locked_until: number | null;
  lockouts: Generated<number>;
}

export interface AuditTable {
  id: Generated<number>;
  ts: number;
  staff_id: number | null;
  staff_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  item_count: number;
  prev_hash: string;
  hash: string;
  rows_digest: string | null;
}

export interface SealTable {
  audit_id: number;
  tbl: number;
  row_id: number;
  seal: Buffer;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface MigrationTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: number | null;
}

/** Migration 19: a voucher import template loaded from the user's GL (the newest per format is used). */
export interface GlTemplateTable {
  id: Generated<number>;
  format: 'kingdee' | 'yonyou';
  file_name: string;
  sha256: string;
  bytes: Buffer;
  sheet_name: string;
  header_row: number;
  headers_json: string;
  loaded_by: number | null;
  loaded_at: number;
}

/** Migration 19: one export of a month's vouchers for the GL, and (items) which vouchers it wrote. */
export interface VoucherExportTable {
  id: Generated<number>;
  format: 'kingdee' | 'yonyou';
  month: string;
  file_name: string;
  sha256: string;
  vouchers: number;
  lines: number;
  forced: 0 | 1;
  template_id: number | null;
  mapping_version: number;
  exported_by: number | null;
  exported_by_name: string;
  exported_at: number;
}

export interface VoucherExportItemTable {
  export_id: number;
  voucher_id: number;
}

/** A request entered at the counter and its number (GT2026-000123), gapless per year (migration 23). */
export interface CounterNumberTable {
  id: Generated<number>;
  number: string;
  year: number;
  seq: number;
  kind: 'recharge' | 'transfer' | 'invoice';
  request_id: string;
  created_at: number;
}

export interface Database {
  ledgers: LedgerTable;
  accounts: AccountTable;
  transfers: TransferTable;
  staff: StaffTable;
  audit: AuditTable;
  seals: SealTable;
  meta: MetaTable;
  migrations: MigrationTable;
  settings: SettingTable;
  subjects: SubjectTable;
  periods: PeriodTable;
  vouchers: VoucherTable;
  voucher_lines: VoucherLineTable;
  gl_templates: GlTemplateTable;
  voucher_exports: VoucherExportTable;
  voucher_export_items: VoucherExportItemTable;
  counter_numbers: CounterNumberTable;
}

export type Account = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;
export type Transfer = Selectable<TransferTable>;
export type Staff = Selectable<StaffTable>;
export type AuditRow = Selectable<AuditTable>;
