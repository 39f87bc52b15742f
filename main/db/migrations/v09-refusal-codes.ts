// Migration 9: refusal codes with parameters; refunds payable.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';
import { FIXED_REASONS } from './ddl';

export const MIGRATION_9: Migration = {
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
};
