// Migration 13: honest amounts. A write-off has a kind (手续费: the platform bears a fee; 短付: the customer
// paid less, and the record carries what was received); a recharge record keeps what was requested beside
// what was received; a refund may come from unallocated money (or money reclassified to 待查) as well as
// from a reversed record, and waits for an approver before it is payable; bank lines get their
// explanations (reclassified to 待查, a money-out line classified to an account, a chargeback receivable).
// SQLite-only DDL (STRICT tables, triggers).
import type { Migration } from '../migrations';

export const MIGRATION_13: Migration = {
  version: 13,
  name: 'write-off kinds, received amounts, refunds of unallocated money, bank line explanations',
  sql: `
-- fee: Dr 手续费 / Cr unallocated receipts, the record carries the full request; short: nothing posted,
-- the record carries what was received. Write-offs made before kinds existed were posted as fees.
ALTER TABLE allocations ADD COLUMN writeoff_kind TEXT CHECK (writeoff_kind IN ('fee', 'short'));
UPDATE allocations SET writeoff_kind = 'fee' WHERE kind = 'writeoff';
CREATE TRIGGER allocations_writeoff_kind BEFORE INSERT ON allocations
WHEN (NEW.kind = 'writeoff') <> (NEW.writeoff_kind IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'a write-off has a kind (fee or short); a bank allocation has none'); END;

-- What the request asked for; amount is what was received (they differ after a short payment).
ALTER TABLE recharge_records ADD COLUMN requested INTEGER CHECK (requested IS NULL OR requested >= amount);
UPDATE recharge_records SET requested = amount;

-- Refunds: from a reversed record (as before: payable at once), or from a bank line's unallocated money
-- or its money reclassified to 待查 (proposed by one person, approved by another, then payable).
CREATE TABLE refunds_v13 (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'reversal' CHECK (source IN ('reversal', 'unallocated', 'investigation')),
  record_id INTEGER UNIQUE REFERENCES recharge_records(id),
  source_line_id INTEGER REFERENCES bank_lines(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  reason TEXT,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'payable' CHECK (status IN ('proposed', 'payable', 'paid', 'rejected')),
  proposed_by INTEGER REFERENCES staff(id),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  payable_transfer_id INTEGER REFERENCES transfers(id),
  bank_line_id INTEGER UNIQUE REFERENCES bank_lines(id),
  matched_by INTEGER REFERENCES staff(id),
  matched_at INTEGER,
  ledger_transfer_id INTEGER REFERENCES transfers(id),
  CHECK ((source = 'reversal') = (record_id IS NOT NULL)),
  CHECK ((source = 'reversal') = (source_line_id IS NULL)),
  CHECK ((status = 'paid') = (bank_line_id IS NOT NULL AND ledger_transfer_id IS NOT NULL)),
  CHECK (decided_by IS NULL OR proposed_by IS NULL OR decided_by <> proposed_by)
) STRICT;
INSERT INTO refunds_v13 (id, record_id, amount, created_at, status, bank_line_id, matched_by, matched_at, ledger_transfer_id)
  SELECT id, record_id, amount, created_at, status, bank_line_id, matched_by, matched_at, ledger_transfer_id FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_v13 RENAME TO refunds;
CREATE INDEX refunds_by_status ON refunds (status, id);
CREATE INDEX refunds_by_source_line ON refunds (source_line_id, status) WHERE source_line_id IS NOT NULL;

-- What explains a bank line's money beyond matching: a money-in line's unallocated money reclassified to
-- 224103 待查款项 (after an age, four eyes); a money-out line classified to a leaf account (four eyes) or
-- booked as a chargeback receivable (122102) against the record whose coins were spent (an approver).
-- A line's allocated amount counts money moved off unallocated receipts: to requests, refunds or 待查.
CREATE TABLE bank_line_actions (
  id INTEGER PRIMARY KEY,
  bank_line_id INTEGER NOT NULL REFERENCES bank_lines(id),
  kind TEXT NOT NULL CHECK (kind IN ('reclassify', 'classify', 'chargeback')),
  amount INTEGER NOT NULL CHECK (amount > 0),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  record_id INTEGER REFERENCES recharge_records(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'done', 'rejected')),
  proposed_by INTEGER REFERENCES staff(id),
  proposed_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  ledger_transfer_id INTEGER REFERENCES transfers(id),
  CHECK ((kind = 'chargeback') = (record_id IS NOT NULL)),
  CHECK ((status = 'done') = (ledger_transfer_id IS NOT NULL)),
  CHECK (kind = 'chargeback' OR decided_by IS NULL OR proposed_by IS NULL OR decided_by <> proposed_by)
) STRICT;
CREATE INDEX bank_line_actions_by_line ON bank_line_actions (bank_line_id, status);
CREATE INDEX bank_line_actions_waiting ON bank_line_actions (status, id) WHERE status = 'proposed';
-- A money-out line is explained once.
CREATE UNIQUE INDEX bank_line_actions_explained ON bank_line_actions (bank_line_id)
  WHERE kind IN ('classify', 'chargeback') AND status <> 'rejected';
CREATE TRIGGER bank_line_actions_no_delete BEFORE DELETE ON bank_line_actions
BEGIN SELECT RAISE(ABORT, 'a bank line action is never deleted'); END;
CREATE TRIGGER bank_line_actions_decided_once BEFORE UPDATE ON bank_line_actions WHEN OLD.status <> 'proposed'
BEGIN SELECT RAISE(ABORT, 'a bank line action was decided already'); END;
`,
};
