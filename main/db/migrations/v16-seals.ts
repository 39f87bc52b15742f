// Migration 16: row seals under the audit chain (issue 11 §1), and the transfers' insert guards as
// CHECK constraints (below). Each audit entry from now on carries
// the digest of the rows its action wrote, and `seals` keeps one 16-byte seal per row per entry, so
// verify can tell a row edited outside Coffer from one Coffer wrote. `books_id` names these books in
// the anchor file beside them, so that another books file put in their place is recognised.
// Opening the books right after this migration seals every existing row (db/books.ts).
import type { RawDb } from '../books';
import type { Migration } from '../migrations';
import { frozen } from './ddl';

const DATED = "business_date IS NOT NULL AND business_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'";
const CNY_VOUCHER = 'ledger <> 1 OR voucher_id IS NOT NULL';

/**
 * The three BEFORE INSERT guards migration 11 put on transfers become CHECK constraints: with any
 * trigger on a table, SQLite keeps a statement journal for every insert into it, which made posting
 * three times slower (1.0 s → 3.3 s for 80,000 transfers). The constraints are added the way SQLite
 * documents for adding a CHECK (sqlite_schema edited under writable_schema, schema_version bumped, in
 * one transaction), after proving no existing row breaks them. A posting into a closed month is refused
 * by createTransfers (the only writer of transfers) and shown by verify (`closed_period`).
 */
function guardsAsChecks(raw: RawDb): void {
  const bad = raw.prepare(`SELECT count(*) AS n FROM transfers WHERE NOT ((${DATED}) AND (${CNY_VOUCHER}))`).get() as { n: number };
  if (bad.n > 0) throw new Error(`${bad.n} transfers lack a business date or a CNY voucher; the books cannot be upgraded`);
  const table = raw.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'transfers'").get() as { sql: string };
  if (!table.sql.endsWith('\n) STRICT')) throw new Error('the transfers table is not as migration 11 left it');
  const sql = `${table.sql.slice(0, -'\n) STRICT'.length)},\n  CHECK (${DATED}),\n  CHECK (${CNY_VOUCHER})\n) STRICT`;
  const version = raw.pragma('schema_version', { simple: true }) as number;
  raw.unsafeMode(true);
  try {
    raw.pragma('writable_schema = ON');
    raw.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'transfers'").run(sql);
    raw.pragma(`schema_version = ${version + 1}`);
    raw.pragma('writable_schema = OFF');
  } finally {
    raw.unsafeMode(false);
  }
  raw.exec('DROP TRIGGER transfers_business_date; DROP TRIGGER transfers_period_open; DROP TRIGGER transfers_cny_voucher;');
}

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
${frozen('seals', 'seals are immutable: correct by reversal')}

INSERT OR IGNORE INTO meta (key, value) VALUES ('books_id', lower(hex(randomblob(16))));
`,
  run: guardsAsChecks,
};
