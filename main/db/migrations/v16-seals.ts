// Migration 16: row seals under the audit chain (issue 11 §1). Each audit entry from now on carries
// the digest of the rows its action wrote, and `seals` keeps one 16-byte seal per row per entry, so
// verify can tell a row edited outside Coffer from one Coffer wrote. `books_id` names these books in
// the anchor file beside them, so that another books file put in their place is recognised.
// Opening the books right after this migration seals every existing row (db/books.ts).
import type { Migration } from '../migrations';

export const MIGRATION_16: Migration = {
  version: 16,
  name: 'row seals under the audit chain; books id for the anchor',
  sql: `
ALTER TABLE audit ADD COLUMN rows_digest TEXT CHECK (rows_digest IS NULL OR length(rows_digest) = 64);

CREATE TABLE seals (
  audit_id INTEGER NOT NULL,
  tbl INTEGER NOT NULL,
  row_id INTEGER NOT NULL,
  seal BLOB NOT NULL CHECK (length(seal) = 16),
  PRIMARY KEY (audit_id, tbl, row_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'seals are immutable: correct by reversal'); END;
CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'seals are immutable: correct by reversal'); END;

INSERT OR IGNORE INTO meta (key, value) VALUES ('books_id', lower(hex(randomblob(16))));
`,
};
