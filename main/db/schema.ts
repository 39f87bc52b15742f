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

export interface Database {
  ledgers: LedgerTable;
  accounts: AccountTable;
  transfers: TransferTable;
  staff: StaffTable;
  audit: AuditTable;
  meta: MetaTable;
  migrations: MigrationTable;
  settings: SettingTable;
}

export type Account = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;
export type Transfer = Selectable<TransferTable>;
export type Staff = Selectable<StaffTable>;
export type AuditRow = Selectable<AuditTable>;
