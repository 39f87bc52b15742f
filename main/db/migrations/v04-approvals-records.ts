// Migration 4: approvals, recharge records with gapless receipt numbers, bonus coins.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';

export const MIGRATION_4: Migration = {
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
};
