// The books file's migrations: a static, ordered list compiled into the app (never read from a folder
// at run time). Each runs in its own IMMEDIATE transaction and is recorded in `migrations`.
// This is the SQLite-only part of the schema (STRICT tables, CHECKs, triggers); queries elsewhere
// stay portable through Kysely.

import type { RawDb } from './books';
import { MIGRATION_11 } from './migrations/v11-right-books';
import { MIGRATION_12 } from './migrations/v12-chart';
import { MIGRATION_13 } from './migrations/v13-honest-amounts';
import { MIGRATION_14 } from './migrations/v14-staff-changes';
import { MIGRATION_15 } from './migrations/v15-red-vouchers';
import { MIGRATION_16 } from './migrations/v16-seals';
import { MIGRATION_17 } from './migrations/v17-revenue';
import { MIGRATION_18 } from './migrations/v18-payouts';
import { MIGRATION_19 } from './migrations/v19-gl-export';
import { MIGRATION_20 } from './migrations/v20-invoice-fixes';
import { MIGRATION_21 } from './migrations/v21-coin-expiry';
import { MIGRATION_22 } from './migrations/v22-account-months';
import { MIGRATION_23 } from './migrations/v23-counter-numbers';

export const COFFER_APPLICATION_ID = 0x43464652; // "CFFR" in PRAGMA application_id

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL alone cannot take, run after `sql` in the same transaction. */
  run?: (raw: RawDb) => void;
}

const immutable = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are immutable: correct by reversal'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are immutable: correct by reversal'); END;`;

/**
 * Transfers are grouped in epochs of 2^16 consecutive ids for the per-account history indexes. An index
 * on (debit account, id) takes each new row at a random place, so every batch rewrote nearly all of its
 * leaf pages at commit, and the cost grew with the table; keyed by (epoch, account, id) new rows land only
 * in the newest epoch's pages. Readers of one account's history walk the epochs newest first
 * (services/ledger-read.ts) and must write the expression exactly as the index does.
 */
export const TRANSFER_EPOCH_SHIFT = 16;
export const transferEpochSql = (column: string) => `(${column} >> ${TRANSFER_EPOCH_SHIFT})`;
// The refusal texts that never carried parameters, as they were written before version 9 (frozen
// here: a migration must not change when the messages do).
const FIXED_REASONS: [string, string][] = [
  ['amount_must_be_positive', 'the amount must be a positive whole number of coins'],
  ['same_account', 'an account cannot transfer to itself'],
  ['different_customers', 'the accounts belong to different customers: coins never leave a link group'],
  ['from_account_not_linked', 'the paying account is not in its customer’s link group'],
  ['to_account_not_linked', 'the receiving account is not in its customer’s link group'],
  ['exceeds_credits', 'the wallet does not hold enough coins'],
  ['overflows_credits', 'the receiving wallet would overflow'],
  ['overflows_debits', 'the amount is too large'],
  ['held_for_approval', 'above the approval threshold: waits for an approver'],
];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger, staff, audit',
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE ledgers (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  unit TEXT NOT NULL
) STRICT;
INSERT INTO ledgers (id, code, name, unit) VALUES
  (1, 'CNY', 'Money (CNY)', 'fen'),
  (2, 'RECHARGE_COIN', 'Recharge coins', 'coin'),
  (3, 'EARNINGS_COIN', 'Earnings coins', 'coin');

-- flags: 1 = debits must not exceed credits, 2 = credits must not exceed debits (never both).
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  ledger INTEGER NOT NULL REFERENCES ledgers(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  owner_kind TEXT,
  owner_id INTEGER,
  flags INTEGER NOT NULL DEFAULT 0 CHECK (flags BETWEEN 0 AND 3 AND flags <> 3),
  debits_pending INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  debits_posted INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_pending INTEGER NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  credits_posted INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  created_at INTEGER NOT NULL,
  CHECK ((flags & 1) = 0 OR debits_pending + debits_posted <= credits_posted),
  CHECK ((flags & 2) = 0 OR credits_pending + credits_posted <= debits_posted)
) STRICT;
CREATE INDEX accounts_by_ledger ON accounts (ledger, code);
CREATE INDEX accounts_by_owner ON accounts (owner_kind, owner_id);
CREATE UNIQUE INDEX accounts_system_code ON accounts (ledger, code) WHERE owner_kind IS NULL;
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN SELECT RAISE(ABORT, 'ledger accounts are never deleted'); END;
CREATE TRIGGER accounts_fixed_identity BEFORE UPDATE OF ledger, flags, created_at ON accounts
BEGIN SELECT RAISE(ABORT, 'an account''s ledger and flags are fixed'); END;
CREATE TRIGGER accounts_posted_only_grows BEFORE UPDATE ON accounts
WHEN NEW.debits_posted < OLD.debits_posted OR NEW.credits_posted < OLD.credits_posted
BEGIN SELECT RAISE(ABORT, 'posted balances only grow: correct by reversal'); END;

INSERT INTO accounts (ledger, code, name, flags, created_at) VALUES
  (1, 'unallocated_receipts', 'Unallocated receipts', 0, 0),
  (1, 'customer_prepayments', 'Customer prepayments', 0, 0),
  (1, 'refunds_payable', 'Refunds payable', 0, 0),
  (1, 'suspense', 'Suspense', 0, 0),
  (2, 'coin_issuance', 'Recharge coin issuance', 0, 0),
  (2, 'coin_consumption', 'Recharge coins spent', 0, 0),
  (3, 'earnings_pool', 'Earnings pool', 0, 0),
  (3, 'earnings_consumption', 'Earnings coins spent', 0, 0);

CREATE TABLE transfers (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 255),
  ledger INTEGER NOT NULL REFERENCES ledgers(id),
  debit_account_id INTEGER NOT NULL REFERENCES accounts(id),
  credit_account_id INTEGER NOT NULL REFERENCES accounts(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  kind TEXT NOT NULL CHECK (kind IN ('single', 'pending', 'post', 'void')),
  pending_id INTEGER REFERENCES transfers(id),
  reverses_id INTEGER REFERENCES transfers(id),
  chain_id INTEGER,
  code TEXT NOT NULL,
  memo TEXT NOT NULL DEFAULT '',
  ts INTEGER NOT NULL,
  staff_id INTEGER,
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post', 'void')) = (pending_id IS NOT NULL)),
  CHECK (reverses_id IS NULL OR kind = 'single')
) STRICT;
CREATE UNIQUE INDEX transfers_pending_resolved_once ON transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE UNIQUE INDEX transfers_reversed_once ON transfers (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX transfers_by_debit ON transfers (debit_account_id, id);
CREATE INDEX transfers_by_credit ON transfers (credit_account_id, id);
CREATE INDEX transfers_by_ledger ON transfers (ledger, id);
CREATE INDEX transfers_by_ts ON transfers (ts);
${immutable('transfers', 'ledger transfers')}

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 1 AND 64),
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('clerk', 'approver', 'auditor', 'admin')),
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  staff_id INTEGER,
  staff_name TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  before_json TEXT,
  after_json TEXT,
  item_count INTEGER NOT NULL DEFAULT 1 CHECK (item_count >= 0),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_by_ts ON audit (ts);
CREATE INDEX audit_by_action ON audit (action, id);
CREATE INDEX audit_by_entity ON audit (entity, entity_id);
${immutable('audit', 'audit rows')}

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by INTEGER REFERENCES staff(id)
) STRICT;
`,
  },
  {
    version: 2,
    name: 'customers, accounts, devices, logins, coin transfers, events, setting changes',
    sql: `
-- Settings that matter are changed by proposal: one person proposes, another confirms, and the value
-- takes effect from a stated time. The value in force at T is the latest confirmed change effective <= T.
CREATE TABLE setting_changes (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  proposed_by INTEGER NOT NULL REFERENCES staff(id),
  proposed_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'rejected')),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  CHECK (decided_by IS NULL OR decided_by <> proposed_by)
) STRICT;
CREATE INDEX setting_changes_in_force ON setting_changes (key, status, effective_from);

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  external_id TEXT UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  phone TEXT,
  email TEXT,
  real_name TEXT,
  id_number TEXT,
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES staff(id),
  source_event TEXT
) STRICT;
CREATE INDEX customers_by_name ON customers (name);
CREATE INDEX customers_by_phone ON customers (phone);

-- A customer's registered account (账户): one recharge wallet and one earnings wallet on the coin
-- ledgers. linked = 1 puts it in the customer's link group.
CREATE TABLE customer_accounts (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  recharge_wallet_id INTEGER NOT NULL UNIQUE REFERENCES accounts(id),
  earnings_wallet_id INTEGER NOT NULL UNIQUE REFERENCES accounts(id),
  linked INTEGER NOT NULL DEFAULT 1 CHECK (linked IN (0, 1)),
  opened_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES staff(id),
  source_event TEXT
) STRICT;
CREATE INDEX customer_accounts_by_customer ON customer_accounts (customer_id);

-- Bank accounts an account pays from, with the time each binding starts and ends.
CREATE TABLE bank_bindings (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  bank_name TEXT NOT NULL,
  account_number TEXT NOT NULL CHECK (length(account_number) BETWEEN 4 AND 40),
  holder_name TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  created_by INTEGER REFERENCES staff(id),
  source_event TEXT,
  CHECK (ends_at IS NULL OR ends_at >= starts_at)
) STRICT;
CREATE INDEX bank_bindings_by_account ON bank_bindings (account_id, starts_at);
CREATE INDEX bank_bindings_by_number ON bank_bindings (account_number);
CREATE UNIQUE INDEX bank_bindings_one_open ON bank_bindings (account_id, account_number) WHERE ends_at IS NULL;

-- Device binding: the IP and/or MAC registered for an account (normalised), with history.
CREATE TABLE device_bindings (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('ip', 'mac')),
  address TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER,
  source TEXT NOT NULL
) STRICT;
CREATE INDEX device_bindings_by_account ON device_bindings (account_id, kind);
CREATE UNIQUE INDEX device_bindings_one_open ON device_bindings (account_id, kind) WHERE ends_at IS NULL;

CREATE TABLE logins (
  id INTEGER PRIMARY KEY,
  event_id TEXT,
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  session TEXT,
  at INTEGER NOT NULL,
  ip TEXT,
  mac TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'flagged', 'blocked')),
  policy TEXT NOT NULL CHECK (policy IN ('strict', 'review')),
  reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX logins_by_account ON logins (account_id, at);
CREATE INDEX logins_by_outcome ON logins (outcome, at);
CREATE UNIQUE INDEX logins_by_session ON logins (session) WHERE session IS NOT NULL;

-- Re-binding a device address: a clerk asks, an approver (another person) confirms.
CREATE TABLE rebind_requests (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  kind TEXT NOT NULL CHECK (kind IN ('ip', 'mac')),
  address TEXT NOT NULL,
  reason TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES staff(id),
  requested_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  decision_note TEXT NOT NULL DEFAULT '',
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
) STRICT;
CREATE INDEX rebind_requests_by_status ON rebind_requests (status, requested_at);

-- Coin movements among a customer's linked accounts, earnings credited and coins spent.
CREATE TABLE coin_movements (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('transfer', 'earnings', 'spend')),
  wallet_kind TEXT NOT NULL CHECK (wallet_kind IN ('recharge', 'earnings')),
  from_account_id INTEGER REFERENCES customer_accounts(id),
  to_account_id INTEGER REFERENCES customer_accounts(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL CHECK (status IN ('posted', 'awaiting_approval', 'refused', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',
  session TEXT,
  ledger_transfer_id INTEGER REFERENCES transfers(id),
  requested_at INTEGER NOT NULL,
  entered_by INTEGER REFERENCES staff(id),
  source_event TEXT,
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  CHECK (decided_by IS NULL OR entered_by IS NULL OR decided_by <> entered_by)
) STRICT;
CREATE INDEX coin_movements_from ON coin_movements (from_account_id, requested_at);
CREATE INDEX coin_movements_to ON coin_movements (to_account_id, requested_at);
CREATE INDEX coin_movements_by_status ON coin_movements (status, requested_at);

-- The platform's event files: every event id once, with what became of it.
CREATE TABLE event_imports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  lines INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  imported_by INTEGER REFERENCES staff(id),
  imported_at INTEGER NOT NULL
) STRICT;
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'refused')),
  reason TEXT NOT NULL DEFAULT '',
  import_id INTEGER REFERENCES event_imports(id),
  line INTEGER,
  entered_by INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX events_by_import ON events (import_id, status);
CREATE INDEX events_by_status ON events (status, type);
`,
  },
  {
    version: 3,
    name: 'platform bank accounts, statements, bank lines, recharge requests, allocations',
    sql: `
INSERT INTO accounts (ledger, code, name, flags, created_at) VALUES
  (1, 'bank_fees', 'Bank fees written off', 0, 0),
  (1, 'opening_balances', 'Opening balances of bank accounts', 0, 0);

-- The platform's own bank accounts; each has a CNY ledger account that mirrors the bank's balance.
CREATE TABLE bank_accounts (
  id INTEGER PRIMARY KEY,
  bank_name TEXT NOT NULL,
  account_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'CNY' CHECK (currency = 'CNY'),
  ledger_account_id INTEGER NOT NULL UNIQUE REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  created_by INTEGER REFERENCES staff(id)
) STRICT;

CREATE TABLE statements (
  id INTEGER PRIMARY KEY,
  bank_account_id INTEGER NOT NULL REFERENCES bank_accounts(id),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  profile TEXT,
  opening_date TEXT,
  opening_amount INTEGER,
  closing_date TEXT,
  closing_amount INTEGER,
  first_booked TEXT,
  last_booked TEXT,
  lines INTEGER NOT NULL,
  new_lines INTEGER NOT NULL,
  duplicate_lines INTEGER NOT NULL,
  continuity_ok INTEGER NOT NULL CHECK (continuity_ok IN (0, 1)),
  continuity_json TEXT NOT NULL DEFAULT '[]',
  imported_by INTEGER REFERENCES staff(id),
  imported_at INTEGER NOT NULL
) STRICT;
CREATE INDEX statements_by_account ON statements (bank_account_id, last_booked);

-- One movement on a platform bank account, booked to the ledger when imported. amount is signed fen
-- (money in > 0). allocated is what matching has given to requests (money in only).
CREATE TABLE bank_lines (
  id INTEGER PRIMARY KEY,
  statement_id INTEGER NOT NULL REFERENCES statements(id),
  bank_account_id INTEGER NOT NULL REFERENCES bank_accounts(id),
  line_no INTEGER NOT NULL,
  booked TEXT NOT NULL,
  value_date TEXT,
  time TEXT,
  amount INTEGER NOT NULL CHECK (amount <> 0),
  counterparty_name TEXT,
  counterparty_account TEXT,
  reference TEXT,
  memo TEXT,
  bank_ref TEXT,
  dedupe_key TEXT NOT NULL,
  ledger_transfer_id INTEGER NOT NULL REFERENCES transfers(id),
  allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND (amount < 0 OR allocated <= amount)),
  UNIQUE (bank_account_id, dedupe_key)
) STRICT;
CREATE INDEX bank_lines_by_counterparty ON bank_lines (counterparty_account);
CREATE INDEX bank_lines_by_amount ON bank_lines (amount);
CREATE INDEX bank_lines_open ON bank_lines (booked) WHERE amount > 0 AND allocated < amount;
CREATE INDEX bank_lines_by_statement ON bank_lines (statement_id, line_no);

-- A customer's recharge request (充值申请). covered = allocated bank money + confirmed write-offs.
CREATE TABLE recharge_requests (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  bank_binding_id INTEGER REFERENCES bank_bindings(id),
  payer_account TEXT,
  payer_name TEXT,
  amount INTEGER NOT NULL CHECK (amount > 0),
  channel TEXT NOT NULL DEFAULT 'bank' CHECK (channel IN ('bank', 'alipay', 'wechat')),
  reference_code TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  session TEXT,
  status TEXT NOT NULL DEFAULT 'submitted'
    CHECK (status IN ('submitted', 'partly_paid', 'matched', 'overpaid', 'approved', 'credited', 'reversed', 'rejected', 'expired')),
  covered INTEGER NOT NULL DEFAULT 0 CHECK (covered >= 0),
  version INTEGER NOT NULL DEFAULT 1,
  reason TEXT NOT NULL DEFAULT '',
  review_sent_version INTEGER NOT NULL DEFAULT 0,
  entered_by INTEGER REFERENCES staff(id),
  source_event TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX recharge_requests_by_status ON recharge_requests (status, requested_at);
CREATE INDEX recharge_requests_by_code ON recharge_requests (reference_code);
CREATE INDEX recharge_requests_by_payer ON recharge_requests (payer_account);
CREATE INDEX recharge_requests_by_amount ON recharge_requests (amount);
CREATE INDEX recharge_requests_by_account ON recharge_requests (account_id, requested_at);
CREATE INDEX recharge_requests_unsent ON recharge_requests (id) WHERE review_sent_version < version;

-- Allocation of bank money (or a write-off) to a request; undone, never deleted.
CREATE TABLE allocations (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES recharge_requests(id),
  bank_line_id INTEGER REFERENCES bank_lines(id),
  kind TEXT NOT NULL CHECK (kind IN ('bank', 'writeoff')),
  amount INTEGER NOT NULL CHECK (amount > 0),
  rule TEXT,
  matched_by INTEGER REFERENCES staff(id),
  run_by INTEGER REFERENCES staff(id),
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('proposed', 'active', 'undone', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',
  ledger_transfer_id INTEGER REFERENCES transfers(id),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  undone_by INTEGER REFERENCES staff(id),
  undone_at INTEGER,
  undo_reason TEXT,
  CHECK ((kind = 'bank') = (bank_line_id IS NOT NULL)),
  CHECK (decided_by IS NULL OR matched_by IS NULL OR decided_by <> matched_by)
) STRICT;
CREATE INDEX allocations_by_request ON allocations (request_id, status);
CREATE INDEX allocations_by_line ON allocations (bank_line_id, status);

-- Suggestions the matcher found but may not apply on its own (suggest rules, ambiguous candidates).
CREATE TABLE match_suggestions (
  id INTEGER PRIMARY KEY,
  bank_line_id INTEGER NOT NULL REFERENCES bank_lines(id),
  request_id INTEGER NOT NULL REFERENCES recharge_requests(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  score INTEGER NOT NULL,
  rule TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('suggested', 'ambiguous')),
  run_at INTEGER NOT NULL,
  UNIQUE (bank_line_id, request_id)
) STRICT;
CREATE INDEX match_suggestions_by_request ON match_suggestions (request_id);
`,
  },
  {
    version: 4,
    name: 'approvals, recharge records with gapless receipt numbers, bonus coins',
    sql: `
INSERT INTO accounts (ledger, code, name, flags, created_at) VALUES
  (2, 'bonus_issuance', 'Bonus coins issued (never invoiced)', 0, 0);

-- One approver's approval of a request at the version they saw; two different approvers above the threshold.
CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES recharge_requests(id),
  approver INTEGER NOT NULL REFERENCES staff(id),
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE (request_id, approver)
) STRICT;

CREATE TABLE receipt_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
) STRICT;

-- The recharge record (充值记录): the receipt of a credited recharge, with everything that priced it.
CREATE TABLE recharge_records (
  id INTEGER PRIMARY KEY,
  receipt_no TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  request_id INTEGER NOT NULL UNIQUE REFERENCES recharge_requests(id),
  account_id INTEGER NOT NULL REFERENCES customer_accounts(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  channel TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  rule_json TEXT NOT NULL,
  paid_coins INTEGER NOT NULL CHECK (paid_coins >= 0),
  bonus_coins INTEGER NOT NULL CHECK (bonus_coins >= 0),
  first_recharge INTEGER NOT NULL CHECK (first_recharge IN (0, 1)),
  tier_json TEXT,
  evidence_json TEXT NOT NULL,
  matched_by_json TEXT NOT NULL,
  approved_by_json TEXT NOT NULL,
  credited_at INTEGER NOT NULL,
  money_transfer_id INTEGER NOT NULL REFERENCES transfers(id),
  coins_transfer_id INTEGER NOT NULL REFERENCES transfers(id),
  bonus_transfer_id INTEGER REFERENCES transfers(id),
  reversed_at INTEGER,
  reversed_by INTEGER REFERENCES staff(id),
  reversal_reason TEXT,
  UNIQUE (year, seq)
) STRICT;
CREATE INDEX recharge_records_by_customer ON recharge_records (customer_id, credited_at);
CREATE INDEX recharge_records_by_time ON recharge_records (credited_at);
`,
  },
  {
    version: 5,
    name: 'per-account transfer history indexed by epoch; no ledger index',
    sql: `
-- A page of one ledger's transfers reads the primary key backwards and skips the other ledgers' rows,
-- which costs less than keeping a third index on every posting.
DROP INDEX transfers_by_ledger;
DROP INDEX transfers_by_debit;
DROP INDEX transfers_by_credit;
CREATE INDEX transfers_by_debit ON transfers (${transferEpochSql('id')}, debit_account_id, id);
CREATE INDEX transfers_by_credit ON transfers (${transferEpochSql('id')}, credit_account_id, id);
`,
  },
  {
    version: 6,
    name: 'invoices: requests with reservations, blue and red-letter invoices with gapless serials, lines, template',
    sql: `
-- What of each credited recharge's paid money is held by checked invoice requests and consumed by
-- blue invoices (restored by red-letter reversals). Together never more than the money paid.
ALTER TABLE recharge_records ADD COLUMN invoice_reserved INTEGER NOT NULL DEFAULT 0 CHECK (invoice_reserved >= 0);
ALTER TABLE recharge_records ADD COLUMN invoiced INTEGER NOT NULL DEFAULT 0 CHECK (invoiced >= 0);
CREATE TRIGGER recharge_records_invoice_cap BEFORE UPDATE OF invoice_reserved, invoiced ON recharge_records
WHEN NEW.invoice_reserved + NEW.invoiced > NEW.amount
BEGIN SELECT RAISE(ABORT, 'a recharge is never invoiced beyond its paid money'); END;

-- A customer's invoice request (开票申请): submitted → checked (amounts reserved) → issued | rejected.
CREATE TABLE invoice_requests (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  account_id INTEGER REFERENCES customer_accounts(id),
  invoice_type TEXT NOT NULL CHECK (invoice_type IN ('ordinary', 'special')),
  buyer_name TEXT NOT NULL,
  taxpayer_id TEXT,
  address TEXT,
  phone TEXT,
  bank_name TEXT,
  bank_account TEXT,
  natural_person INTEGER NOT NULL DEFAULT 0 CHECK (natural_person IN (0, 1)),
  email TEXT,
  remarks TEXT,
  amount INTEGER CHECK (amount IS NULL OR amount > 0),
  reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'checked', 'issued', 'rejected')),
  problems_json TEXT NOT NULL DEFAULT '[]',
  reason TEXT NOT NULL DEFAULT '',
  session TEXT,
  requested_at INTEGER NOT NULL,
  entered_by INTEGER REFERENCES staff(id),
  source_event TEXT,
  checked_by INTEGER REFERENCES staff(id),
  checked_at INTEGER,
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  review_sent_version INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX invoice_requests_by_status ON invoice_requests (status, id);
CREATE INDEX invoice_requests_by_customer ON invoice_requests (customer_id, id);
CREATE INDEX invoice_requests_unsent ON invoice_requests (id) WHERE review_sent_version < version;

-- The recharges a request names (by the platform's recharge request id), with what it reserves of each.
CREATE TABLE invoice_request_items (
  id INTEGER PRIMARY KEY,
  invoice_request_id INTEGER NOT NULL REFERENCES invoice_requests(id),
  recharge_ref TEXT NOT NULL,
  record_id INTEGER REFERENCES recharge_records(id),
  amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
  UNIQUE (invoice_request_id, recharge_ref)
) STRICT;
CREATE INDEX invoice_request_items_by_record ON invoice_request_items (record_id);

CREATE TABLE invoice_counters (
  series TEXT PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
) STRICT;

-- An issued invoice: blue, or a red-letter reversal of a blue one. Amounts are positive fen on both;
-- a red invoice's amounts count against its original. Never deleted; numbers arrive later.
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL UNIQUE CHECK (length(serial) <= 20),
  series TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blue', 'red')),
  original_id INTEGER REFERENCES invoices(id),
  request_id INTEGER REFERENCES invoice_requests(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  invoice_type TEXT NOT NULL CHECK (invoice_type IN ('ordinary', 'special')),
  buyer_name TEXT NOT NULL,
  taxpayer_id TEXT,
  address TEXT,
  phone TEXT,
  bank_name TEXT,
  bank_account TEXT,
  natural_person INTEGER NOT NULL CHECK (natural_person IN (0, 1)),
  email TEXT,
  remarks TEXT,
  gross INTEGER NOT NULL CHECK (gross > 0),
  tax INTEGER NOT NULL CHECK (tax >= 0),
  net INTEGER NOT NULL CHECK (net >= 0 AND net + tax = gross),
  reversed INTEGER NOT NULL DEFAULT 0 CHECK (reversed >= 0 AND reversed <= gross),
  tax_number TEXT UNIQUE CHECK (tax_number IS NULL OR (length(tax_number) = 20 AND tax_number NOT GLOB '*[^0-9]*')),
  reason TEXT,
  product_version INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  issued_by INTEGER REFERENCES staff(id),
  UNIQUE (series, seq),
  CHECK ((kind = 'blue') = (original_id IS NULL)),
  CHECK (kind = 'blue' OR reversed = 0)
) STRICT;
CREATE INDEX invoices_by_time ON invoices (issued_at, id);
CREATE INDEX invoices_by_customer ON invoices (customer_id, id);
CREATE INDEX invoices_by_original ON invoices (original_id);
CREATE INDEX invoices_by_taxpayer ON invoices (taxpayer_id);
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are never deleted: reverse them with a red-letter invoice'); END;
CREATE TRIGGER invoices_fixed BEFORE UPDATE OF serial, series, seq, kind, original_id, customer_id, invoice_type, buyer_name, taxpayer_id, gross, tax, net, issued_at ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice is not edited: reverse it with a red-letter invoice'); END;

CREATE TABLE invoice_lines (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  line_no INTEGER NOT NULL,
  record_id INTEGER REFERENCES recharge_records(id),
  item_name TEXT NOT NULL,
  tax_code TEXT NOT NULL,
  rate_num INTEGER NOT NULL CHECK (rate_num >= 0),
  rate_den INTEGER NOT NULL CHECK (rate_den > 0),
  not_taxable INTEGER NOT NULL CHECK (not_taxable IN (0, 1)),
  gross INTEGER NOT NULL CHECK (gross > 0),
  tax INTEGER NOT NULL CHECK (tax >= 0),
  net INTEGER NOT NULL CHECK (net + tax = gross),
  UNIQUE (invoice_id, line_no)
) STRICT;
${immutable('invoice_lines', 'invoice lines')}

-- Which recharges' paid money an invoice consumed (blue) or gave back (red).
CREATE TABLE invoice_sources (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  record_id INTEGER NOT NULL REFERENCES recharge_records(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  UNIQUE (invoice_id, record_id)
) STRICT;
CREATE INDEX invoice_sources_by_record ON invoice_sources (record_id);
${immutable('invoice_sources', 'invoice sources')}

-- The official batch-import template file an admin loaded; the latest is filled on export.
CREATE TABLE invoice_templates (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  version_marker TEXT,
  bytes BLOB NOT NULL,
  loaded_by INTEGER REFERENCES staff(id),
  loaded_at INTEGER NOT NULL
) STRICT;
`,
  },
  {
    version: 7,
    name: 'bank reversal (冲正) lines netted against their original line',
    sql: `
-- reversal: the bank marked the line as a reversal (冲正, MT940 RC/RD, camt RvslInd).
-- netted_with: the other line of a netted pair (set on both); neither is offered to matching again.
-- netting_transfer_id (on the reversal line): the transfer Dr unallocated receipts / Cr suspense that
-- moved the pair off both accounts. reversal_of and reversal_note: for a reversal not netted yet, the
-- original found (when it is matched to a request, so the accountant must unmatch it first) and why.
ALTER TABLE bank_lines ADD COLUMN reversal INTEGER NOT NULL DEFAULT 0 CHECK (reversal IN (0, 1));
ALTER TABLE bank_lines ADD COLUMN netted_with INTEGER REFERENCES bank_lines(id);
ALTER TABLE bank_lines ADD COLUMN netting_transfer_id INTEGER REFERENCES transfers(id);
ALTER TABLE bank_lines ADD COLUMN reversal_of INTEGER REFERENCES bank_lines(id);
ALTER TABLE bank_lines ADD COLUMN reversal_note TEXT;
CREATE INDEX bank_lines_pending_reversals ON bank_lines (bank_account_id) WHERE reversal = 1 AND netted_with IS NULL;
CREATE INDEX bank_lines_by_account_amount ON bank_lines (bank_account_id, amount);
CREATE TRIGGER bank_lines_netted_never_allocated BEFORE UPDATE OF allocated, netted_with ON bank_lines
WHEN NEW.netted_with IS NOT NULL AND NEW.allocated > 0
BEGIN SELECT RAISE(ABORT, 'a netted bank line (冲正) is never allocated to a request'); END;
CREATE TRIGGER bank_lines_netting_final BEFORE UPDATE OF netted_with ON bank_lines
WHEN OLD.netted_with IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a netted pair of bank lines stays netted'); END;
`,
  },
  {
    version: 8,
    name: 'match proposals waiting for a second person (four eyes under a matching rule)',
    sql: `
-- A match or an unmatch that a matching rule holds for a second staff user. Proposing moves no money:
-- the line's allocated and the request's covered change only when another user confirms, through the
-- same checked allocation as any match, and only if neither side changed since (request_version,
-- line_allocated). A declined rule proposal is not proposed again for the same line and request.
CREATE TABLE match_proposals (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('match', 'unmatch')),
  origin TEXT NOT NULL CHECK (origin IN ('rule', 'hand')),
  bank_line_id INTEGER NOT NULL REFERENCES bank_lines(id),
  request_id INTEGER NOT NULL REFERENCES recharge_requests(id),
  allocation_id INTEGER REFERENCES allocations(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  excess INTEGER NOT NULL DEFAULT 0 CHECK (excess >= 0),
  rule TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  request_version INTEGER NOT NULL,
  line_allocated INTEGER NOT NULL,
  proposed_by INTEGER NOT NULL REFERENCES staff(id),
  proposed_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'declined')),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  decline_reason TEXT,
  CHECK (kind = 'match' OR allocation_id IS NOT NULL),
  CHECK (status <> 'confirmed' OR decided_by <> proposed_by)
) STRICT;
CREATE INDEX match_proposals_by_status ON match_proposals (status, id);
CREATE UNIQUE INDEX match_proposals_one_waiting ON match_proposals (kind, bank_line_id, request_id) WHERE status = 'proposed';
CREATE INDEX match_proposals_by_request ON match_proposals (request_id);
`,
  },
  {
    version: 9,
    name: 'refusal codes with parameters; refunds payable',
    sql: `
-- A refusal (or a note such as "held for an approver") kept with its stable code and parameters, so the
-- console translates it by code; reason keeps the English message. Rows from before keep a NULL code
-- and are shown as their text, except the fixed texts below, which map to their codes exactly.
ALTER TABLE logins ADD COLUMN reason_code TEXT;
ALTER TABLE logins ADD COLUMN reason_params TEXT CHECK (reason_params IS NULL OR json_valid(reason_params));
ALTER TABLE coin_movements ADD COLUMN reason_code TEXT;
ALTER TABLE coin_movements ADD COLUMN reason_params TEXT CHECK (reason_params IS NULL OR json_valid(reason_params));
ALTER TABLE events ADD COLUMN reason_code TEXT;
ALTER TABLE events ADD COLUMN reason_params TEXT CHECK (reason_params IS NULL OR json_valid(reason_params));
${FIXED_REASONS.map(
  ([code, text]) =>
    `UPDATE coin_movements SET reason_code = '${code}', reason_params = '{}' WHERE reason = '${text}';
UPDATE events SET reason_code = '${code}', reason_params = '{}' WHERE reason = '${text}';`,
).join('\n')}
UPDATE events SET reason_code = 'held_for_approval', reason_params = '{}' WHERE reason = 'waiting for an approver';

-- A refund owed after a reversal: the money sits in refunds payable until a money-out bank line (the
-- bank's record of paying it back) is matched to it; then Dr refunds payable / Cr suspense, where the
-- money-out line was booked at import. One line pays one refund, for exactly its amount.
CREATE TABLE refunds (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL UNIQUE REFERENCES recharge_records(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'payable' CHECK (status IN ('payable', 'paid')),
  bank_line_id INTEGER UNIQUE REFERENCES bank_lines(id),
  matched_by INTEGER REFERENCES staff(id),
  matched_at INTEGER,
  ledger_transfer_id INTEGER REFERENCES transfers(id),
  CHECK ((status = 'paid') = (bank_line_id IS NOT NULL AND ledger_transfer_id IS NOT NULL))
) STRICT;
CREATE INDEX refunds_by_status ON refunds (status, id);
INSERT INTO refunds (record_id, amount, created_at) SELECT id, amount, reversed_at FROM recharge_records WHERE reversed_at IS NOT NULL;

-- A setting change (a conversion rule version, a threshold) is never edited once proposed, and a
-- decision stands: a new version replaces it. Records refer to versions by id.
CREATE TRIGGER setting_changes_fixed BEFORE UPDATE OF key, value, effective_from, proposed_by, proposed_at ON setting_changes
BEGIN SELECT RAISE(ABORT, 'a setting change is never edited: propose a new version'); END;
CREATE TRIGGER setting_changes_decided_once BEFORE UPDATE OF status, decided_by, decided_at ON setting_changes WHEN OLD.status <> 'proposed'
BEGIN SELECT RAISE(ABORT, 'a setting change was decided already'); END;
CREATE TRIGGER setting_changes_no_delete BEFORE DELETE ON setting_changes
BEGIN SELECT RAISE(ABORT, 'a setting change is never deleted'); END;
UPDATE logins SET reason_code = 'no_address_registered', reason_params = '{}' WHERE reason = 'no address is registered for this account';
UPDATE logins SET reason_code = 'no_registered_kind', reason_params = '{}' WHERE reason = 'the login gave no address of a registered kind';
`,
  },
  {
    version: 10,
    name: 'bank lines: no index on the counterparty account or on the amount alone',
    sql: `
-- Each took a statement's lines at random places, so big imports grew faster than their size; nothing
-- searches by counterparty account, and a search by amount goes per bank account through
-- bank_lines_by_account_amount.
DROP INDEX bank_lines_by_counterparty;
DROP INDEX bank_lines_by_amount;
`,
  },
  MIGRATION_11,
  MIGRATION_12,
  MIGRATION_13,
  MIGRATION_14,
  MIGRATION_15,
  MIGRATION_16,
  MIGRATION_17,
  MIGRATION_18,
  MIGRATION_19,
  MIGRATION_20,
  MIGRATION_21,
  MIGRATION_22,
  MIGRATION_23,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
