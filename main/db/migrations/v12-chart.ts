// Migration 12: changes to the chart of accounts that reclassify money. Remapping a ledger account to
// another leaf subject (customer prepayments 2204 合同负债 → 2203 预收账款) moves its balance in the
// balance sheet, so it is proposed by one admin and takes effect only when a second admin confirms it,
// as settings do. Adding and renaming subjects move no money and take effect at once (audited only).
import type { Migration } from '../migrations';
import { proposalColumns } from './ddl';

export const MIGRATION_12: Migration = {
  version: 12,
  name: 'chart of accounts: remapping a ledger account waits for a second admin',
  sql: `
CREATE TABLE chart_changes (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('remap')),
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  from_code TEXT NOT NULL REFERENCES subjects(code),
  to_code TEXT NOT NULL REFERENCES subjects(code),
  reason TEXT NOT NULL DEFAULT '',
  ${proposalColumns()}
  CHECK (from_code <> to_code),
  CHECK (decided_by IS NULL OR decided_by <> proposed_by),
  CHECK ((status = 'proposed') = (decided_by IS NULL))
) STRICT;
CREATE INDEX chart_changes_open ON chart_changes (account_id) WHERE status = 'proposed';
CREATE TRIGGER chart_changes_fixed BEFORE UPDATE OF kind, account_id, from_code, to_code, reason, proposed_by, proposed_at ON chart_changes
BEGIN SELECT RAISE(ABORT, 'a chart change is never edited: propose another'); END;
CREATE TRIGGER chart_changes_decided_once BEFORE UPDATE OF status, decided_by, decided_at ON chart_changes WHEN OLD.status <> 'proposed'
BEGIN SELECT RAISE(ABORT, 'a chart change was decided already'); END;
CREATE TRIGGER chart_changes_no_delete BEFORE DELETE ON chart_changes
BEGIN SELECT RAISE(ABORT, 'a chart change is never deleted'); END;
`,
};
