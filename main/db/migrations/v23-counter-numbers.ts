// Migration 23: requests entered at the counter (recharge requests, coin transfers, invoice requests) get
// a number a person can read, say and file — GT2026-000123, one series per year, gapless (issue 13 §1).
// Their own ids (`counter:ui-…`) stay as the platform-facing key; platform requests keep the platform's
// id. A number is drawn in the transaction that records the request (services/counter-numbers.ts), so a
// rolled-back request leaves no gap. Requests entered before this version are numbered here, in the order
// they were entered. Numbers are never changed or deleted.
import type { Migration } from '../migrations';
import { frozen } from './ddl';

const COUNTER_REQUESTS = `
  SELECT 'recharge' AS kind, request_id, requested_at AS at, id FROM recharge_requests WHERE request_id LIKE 'counter:%'
  UNION ALL SELECT 'transfer', request_id, requested_at, id FROM coin_movements WHERE request_id LIKE 'counter:%'
  UNION ALL SELECT 'invoice', request_id, requested_at, id FROM invoice_requests WHERE request_id LIKE 'counter:%'`;

// The year in Asia/Shanghai (UTC+8, no daylight saving) of a moment in ms.
const YEAR = "CAST(strftime('%Y', (at + 28800000) / 1000, 'unixepoch') AS INTEGER)";

export const MIGRATION_23: Migration = {
  version: 23,
  name: 'counter numbers (GT2026-000123) for requests entered at the counter',
  sql: `
CREATE TABLE counter_numbers (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
  seq INTEGER NOT NULL CHECK (seq > 0),
  kind TEXT NOT NULL CHECK (kind IN ('recharge', 'transfer', 'invoice')),
  request_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (year, seq),
  UNIQUE (kind, request_id),
  CHECK (number = 'GT' || year || '-' || substr('000000' || seq, -max(6, length(seq))))
) STRICT;
${frozen('counter_numbers', 'counter numbers are never changed', 'counter numbers are never deleted')}

INSERT INTO counter_numbers (number, year, seq, kind, request_id, created_at)
SELECT 'GT' || year || '-' || substr('000000' || seq, -max(6, length(seq))), year, seq, kind, request_id, at
FROM (
  SELECT kind, request_id, at, year, row_number() OVER (PARTITION BY year ORDER BY at, kind, id) AS seq
  FROM (SELECT kind, request_id, at, id, ${YEAR} AS year FROM (${COUNTER_REQUESTS}))
);
`,
};
