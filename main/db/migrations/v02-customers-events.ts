// Migration 2: customers, accounts, devices, logins, coin transfers, events, setting changes.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';
import { proposalColumns } from './ddl';

export const MIGRATION_2: Migration = {
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
  ${proposalColumns()}
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
};
