// Migration 19: vouchers for the user's general ledger (金蝶 KIS / 用友 U8, T+), issue 12 §4. An admin
// loads the import template their GL exports (one per format; the newest wins); every export of a
// month's vouchers is recorded with the file's SHA-256 and the vouchers it wrote, so a second export of
// the same vouchers is refused unless forced, and a forced one is recorded too. Nothing here is ever
// edited or deleted.
import type { Migration } from '../migrations';

const fixed = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are never edited'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${what} are never deleted'); END;`;

export const MIGRATION_19: Migration = {
  version: 19,
  name: 'voucher exports for the general ledger (Kingdee, Yonyou): loaded templates and the record of each export',
  sql: `
CREATE TABLE gl_templates (
  id INTEGER PRIMARY KEY,
  format TEXT NOT NULL CHECK (format IN ('kingdee', 'yonyou')),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  bytes BLOB NOT NULL,
  sheet_name TEXT NOT NULL,
  header_row INTEGER NOT NULL CHECK (header_row > 0),
  headers_json TEXT NOT NULL,
  loaded_by INTEGER REFERENCES staff(id),
  loaded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX gl_templates_by_format ON gl_templates (format, id);
${fixed('gl_templates', 'loaded GL templates')}

CREATE TABLE voucher_exports (
  id INTEGER PRIMARY KEY,
  format TEXT NOT NULL CHECK (format IN ('kingdee', 'yonyou')),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  vouchers INTEGER NOT NULL CHECK (vouchers > 0),
  lines INTEGER NOT NULL CHECK (lines > 0),
  forced INTEGER NOT NULL CHECK (forced IN (0, 1)),
  template_id INTEGER REFERENCES gl_templates(id),
  mapping_version INTEGER NOT NULL,
  exported_by INTEGER REFERENCES staff(id),
  exported_by_name TEXT NOT NULL,
  exported_at INTEGER NOT NULL
) STRICT;
CREATE INDEX voucher_exports_by_month ON voucher_exports (month, id);
${fixed('voucher_exports', 'voucher exports')}

CREATE TABLE voucher_export_items (
  export_id INTEGER NOT NULL REFERENCES voucher_exports(id),
  voucher_id INTEGER NOT NULL REFERENCES vouchers(id),
  PRIMARY KEY (export_id, voucher_id)
) STRICT;
CREATE INDEX voucher_export_items_by_voucher ON voucher_export_items (voucher_id, export_id);
${fixed('voucher_export_items', 'voucher export items')}
`,
};
