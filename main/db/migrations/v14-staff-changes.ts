// Migration 14: four eyes on staff users (issue 11 §2). Creating a user, changing a role, resetting a
// password, unlocking and disabling are proposals another admin confirms (`staff_changes`, shaped like
// `setting_changes`); a password set by an admin is a one-time code the user must replace at first
// login; a lock-out ends by itself after a time that grows with each lock-out.
import type { Migration } from '../migrations';
import { proposalColumns } from './ddl';

export const MIGRATION_14: Migration = {
  version: 14,
  name: 'staff changes confirmed by a second admin, one-time codes, lock-outs that expire',
  sql: `
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
-- A lock-out ends at locked_until; lockouts counts them since the last good login (the next one is longer).
ALTER TABLE staff ADD COLUMN locked_until INTEGER;
ALTER TABLE staff ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0 CHECK (lockouts >= 0);
-- Users locked for ever before this version are released a minute after the upgrade.
UPDATE staff SET locked_until = CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 60000, lockouts = 1 WHERE locked = 1;

-- target is the username (never renamed). payload: create {displayName, role}; role {role}; disable
-- {disabled}; reset and unlock {}. sole_admin = 1: taken on the proposer's word because the books had
-- one active admin (creating, a role, unlocking, disabling; never a password reset).
CREATE TABLE staff_changes (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('create', 'role', 'reset', 'unlock', 'disable')),
  target TEXT NOT NULL COLLATE NOCASE,
  payload TEXT NOT NULL DEFAULT '{}',
  ${proposalColumns()}
  sole_admin INTEGER NOT NULL DEFAULT 0 CHECK (sole_admin IN (0, 1)),
  CHECK (decided_by IS NULL OR decided_by <> proposed_by),
  CHECK ((status = 'proposed') = (decided_at IS NULL)),
  CHECK (status = 'proposed' OR decided_by IS NOT NULL OR (status = 'confirmed' AND sole_admin = 1 AND kind <> 'reset'))
) STRICT;
CREATE INDEX staff_changes_by_status ON staff_changes (status, id);
CREATE TRIGGER staff_changes_fixed BEFORE UPDATE OF kind, target, payload, proposed_by, proposed_at, sole_admin ON staff_changes
BEGIN SELECT RAISE(ABORT, 'a staff change is never edited: propose another'); END;
CREATE TRIGGER staff_changes_decided_once BEFORE UPDATE ON staff_changes WHEN OLD.status <> 'proposed'
BEGIN SELECT RAISE(ABORT, 'a staff change was decided already'); END;
CREATE TRIGGER staff_changes_no_delete BEFORE DELETE ON staff_changes
BEGIN SELECT RAISE(ABORT, 'a staff change is never deleted'); END;
`,
};
