// Migration 6: invoices: requests with reservations, blue and red-letter invoices with gapless serials, lines, template.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';
import { immutable } from './ddl';

// The buyer (购方) as a request names it and as its invoices copy it; natural_person follows, with or without a default.
const buyer = `invoice_type TEXT NOT NULL CHECK (invoice_type IN ('ordinary', 'special')),
  buyer_name TEXT NOT NULL,
  taxpayer_id TEXT,
  address TEXT,
  phone TEXT,
  bank_name TEXT,
  bank_account TEXT,`;

export const MIGRATION_6: Migration = {
  version: 6,
  name: 'invoices: requests with reservations, blue and red-letter invoices with gapless serials, lines, template',
  sql: `
-- What of each credited recharge's paid money is held by checked invoice requests and consumed by
-- blue invoices (restored by red-letter reversals). Together never more than the money paid.
ALTER TABLE recharge_records ADD COLUMN invoice_reserved INTEGER NOT NULL DEFAULT 0 CHECK (invoice_reserved >= 0);
ALTER TABLE recharge_records ADD COLUMN invoiced INTEGER NOT NULL DEFAULT 0 CHECK (invoiced >= 0);
CREATE TRIGGER recharge_records_invoice_cap BEFORE UPDATE OF invoice_reserved, invoiced ON recharge_records
WHEN NEW.invoice_reserved + NEW.invoiced > NEW.amount
BEGIN SELECT RAISE(ABORT, 'a recharge is never invoiced beyond its paid money'); END;

-- A customer's invoice request (开票申请): submitted → checked (amounts reserved) → issued | rejected.
CREATE TABLE invoice_requests (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  account_id INTEGER REFERENCES customer_accounts(id),
  ${buyer}
  natural_person INTEGER NOT NULL DEFAULT 0 CHECK (natural_person IN (0, 1)),
  email TEXT,
  remarks TEXT,
  amount INTEGER CHECK (amount IS NULL OR amount > 0),
  reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'checked', 'issued', 'rejected')),
  problems_json TEXT NOT NULL DEFAULT '[]',
  reason TEXT NOT NULL DEFAULT '',
  session TEXT,
  requested_at INTEGER NOT NULL,
  entered_by INTEGER REFERENCES staff(id),
  source_event TEXT,
  checked_by INTEGER REFERENCES staff(id),
  checked_at INTEGER,
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  review_sent_version INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX invoice_requests_by_status ON invoice_requests (status, id);
CREATE INDEX invoice_requests_by_customer ON invoice_requests (customer_id, id);
CREATE INDEX invoice_requests_unsent ON invoice_requests (id) WHERE review_sent_version < version;

-- The recharges a request names (by the platform's recharge request id), with what it reserves of each.
CREATE TABLE invoice_request_items (
  id INTEGER PRIMARY KEY,
  invoice_request_id INTEGER NOT NULL REFERENCES invoice_requests(id),
  recharge_ref TEXT NOT NULL,
  record_id INTEGER REFERENCES recharge_records(id),
  amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
  UNIQUE (invoice_request_id, recharge_ref)
) STRICT;
CREATE INDEX invoice_request_items_by_record ON invoice_request_items (record_id);

CREATE TABLE invoice_counters (
  series TEXT PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
) STRICT;

-- An issued invoice: blue, or a red-letter reversal of a blue one. Amounts are positive fen on both;
-- a red invoice's amounts count against its original. Never deleted; numbers arrive later.
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  serial TEXT NOT NULL UNIQUE CHECK (length(serial) <= 20),
  series TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('blue', 'red')),
  original_id INTEGER REFERENCES invoices(id),
  request_id INTEGER REFERENCES invoice_requests(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  ${buyer}
  natural_person INTEGER NOT NULL CHECK (natural_person IN (0, 1)),
  email TEXT,
  remarks TEXT,
  gross INTEGER NOT NULL CHECK (gross > 0),
  tax INTEGER NOT NULL CHECK (tax >= 0),
  net INTEGER NOT NULL CHECK (net >= 0 AND net + tax = gross),
  reversed INTEGER NOT NULL DEFAULT 0 CHECK (reversed >= 0 AND reversed <= gross),
  tax_number TEXT UNIQUE CHECK (tax_number IS NULL OR (length(tax_number) = 20 AND tax_number NOT GLOB '*[^0-9]*')),
  reason TEXT,
  product_version INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  issued_by INTEGER REFERENCES staff(id),
  UNIQUE (series, seq),
  CHECK ((kind = 'blue') = (original_id IS NULL)),
  CHECK (kind = 'blue' OR reversed = 0)
) STRICT;
CREATE INDEX invoices_by_time ON invoices (issued_at, id);
CREATE INDEX invoices_by_customer ON invoices (customer_id, id);
CREATE INDEX invoices_by_original ON invoices (original_id);
CREATE INDEX invoices_by_taxpayer ON invoices (taxpayer_id);
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are never deleted: reverse them with a red-letter invoice'); END;
CREATE TRIGGER invoices_fixed BEFORE UPDATE OF serial, series, seq, kind, original_id, customer_id, invoice_type, buyer_name, taxpayer_id, gross, tax, net, issued_at ON invoices
BEGIN SELECT RAISE(ABORT, 'an issued invoice is not edited: reverse it with a red-letter invoice'); END;

CREATE TABLE invoice_lines (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  line_no INTEGER NOT NULL,
  record_id INTEGER REFERENCES recharge_records(id),
  item_name TEXT NOT NULL,
  tax_code TEXT NOT NULL,
  rate_num INTEGER NOT NULL CHECK (rate_num >= 0),
  rate_den INTEGER NOT NULL CHECK (rate_den > 0),
  not_taxable INTEGER NOT NULL CHECK (not_taxable IN (0, 1)),
  gross INTEGER NOT NULL CHECK (gross > 0),
  tax INTEGER NOT NULL CHECK (tax >= 0),
  net INTEGER NOT NULL CHECK (net + tax = gross),
  UNIQUE (invoice_id, line_no)
) STRICT;
${immutable('invoice_lines', 'invoice lines')}

-- Which recharges' paid money an invoice consumed (blue) or gave back (red).
CREATE TABLE invoice_sources (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id),
  record_id INTEGER NOT NULL REFERENCES recharge_records(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  UNIQUE (invoice_id, record_id)
) STRICT;
CREATE INDEX invoice_sources_by_record ON invoice_sources (record_id);
${immutable('invoice_sources', 'invoice sources')}

-- The official batch-import template file an admin loaded; the latest is filled on export.
CREATE TABLE invoice_templates (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  version_marker TEXT,
  bytes BLOB NOT NULL,
  loaded_by INTEGER REFERENCES staff(id),
  loaded_at INTEGER NOT NULL
) STRICT;
`,
};
