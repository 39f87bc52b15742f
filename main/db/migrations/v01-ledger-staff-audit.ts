// Migration 1: ledger, staff, audit.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';
import { immutable } from './ddl';

export const MIGRATION_1: Migration = {
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
};
