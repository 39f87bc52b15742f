// Migration 3: platform bank accounts, statements, bank lines, recharge requests, allocations.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';

export const MIGRATION_3: Migration = {
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
};
