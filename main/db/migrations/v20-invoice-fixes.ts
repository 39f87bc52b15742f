// Migration 20: invoice fixes (issue 12 §5). A red-letter invoice carries its 红字确认单 (number, reason
// category, the buyer's confirmation for a 专票) and the blue invoice's 20-digit number; an invoice whose
// output VAT was posted at issue names that transfer; every batch-import export marks what it wrote
// (file digest, who, when, forced or not), so a second export of the same invoices is refused unless forced.
// SQLite-only DDL (STRICT tables, triggers).
import type { Migration } from '../migrations';
import { frozen } from './ddl';

export const RED_REASON_CATEGORIES = ['开票有误', '销货退回', '服务中止', '销售折让'] as const;

export const MIGRATION_20: Migration = {
  version: 20,
  name: 'red-letter confirmation forms, output VAT at invoice, invoice export marks',
  sql: `
-- The 红字确认单 of a red-letter invoice and the number of the blue invoice it reverses (null on red
-- invoices issued before this version). Set when the red invoice is issued, never changed.
ALTER TABLE invoices ADD COLUMN blue_tax_number TEXT CHECK (blue_tax_number IS NULL OR (length(blue_tax_number) = 20 AND blue_tax_number NOT GLOB '*[^0-9]*'));
ALTER TABLE invoices ADD COLUMN red_confirmation_no TEXT CHECK (red_confirmation_no IS NULL OR length(red_confirmation_no) BETWEEN 1 AND 40);
ALTER TABLE invoices ADD COLUMN red_category TEXT CHECK (red_category IS NULL OR red_category IN ('开票有误', '销货退回', '服务中止', '销售折让'));
-- For a 专票: the day (Shanghai) the buyer confirmed the form on the tax platform.
ALTER TABLE invoices ADD COLUMN buyer_confirmed_on TEXT CHECK (buyer_confirmed_on IS NULL OR buyer_confirmed_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
-- The output VAT posted when the invoice was issued (Dr 合同负债 / Cr 应交增值税（销项税额）, reversed by a
-- red-letter invoice of one that posted); null for 不征税 products and invoices issued before this version.
ALTER TABLE invoices ADD COLUMN vat_transfer_id INTEGER REFERENCES transfers(id);
CREATE UNIQUE INDEX invoices_red_confirmation ON invoices (red_confirmation_no) WHERE red_confirmation_no IS NOT NULL;
CREATE TRIGGER invoices_red_fixed BEFORE UPDATE OF blue_tax_number, red_confirmation_no, red_category, buyer_confirmed_on, vat_transfer_id ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice is not edited: reverse it with a red-letter invoice'); END;

-- Every batch-import workbook written: the file's SHA-256, who wrote it and when, and whether it was
-- forced over invoices exported before.
CREATE TABLE invoice_exports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  invoices INTEGER NOT NULL CHECK (invoices > 0),
  again INTEGER NOT NULL DEFAULT 0 CHECK (again >= 0 AND again <= invoices),
  skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
  forced INTEGER NOT NULL CHECK (forced IN (0, 1)),
  exported_by INTEGER REFERENCES staff(id),
  exported_at INTEGER NOT NULL,
  CHECK (again = 0 OR forced = 1)
) STRICT;
${frozen('invoice_exports', 'invoice exports are immutable')}

-- The invoices each export wrote; again = 1 when the invoice had been exported before (a forced export).
CREATE TABLE invoice_export_items (
  id INTEGER PRIMARY KEY,
  export_id INTEGER NOT NULL REFERENCES invoice_exports(id),
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  again INTEGER NOT NULL CHECK (again IN (0, 1)),
  UNIQUE (export_id, invoice_id)
) STRICT;
CREATE INDEX invoice_export_items_by_invoice ON invoice_export_items (invoice_id, export_id);
${frozen('invoice_export_items', 'invoice export items are immutable')}
`,
};
