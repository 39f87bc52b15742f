// Migration 8: match proposals waiting for a second person (four eyes under a matching rule).
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';
import { proposalColumns } from './ddl';

export const MIGRATION_8: Migration = {
  version: 8,
  name: 'match proposals waiting for a second person (four eyes under a matching rule)',
  sql: `
-- A match or an unmatch that a matching rule holds for a second staff user. Proposing moves no money:
-- the line's allocated and the request's covered change only when another user confirms, through the
-- same checked allocation as any match, and only if neither side changed since (request_version,
-- line_allocated). A declined rule proposal is not proposed again for the same line and request.
CREATE TABLE match_proposals (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('match', 'unmatch')),
  origin TEXT NOT NULL CHECK (origin IN ('rule', 'hand')),
  bank_line_id INTEGER NOT NULL REFERENCES bank_lines(id),
  request_id INTEGER NOT NULL REFERENCES recharge_requests(id),
  allocation_id INTEGER REFERENCES allocations(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  excess INTEGER NOT NULL DEFAULT 0 CHECK (excess >= 0),
  rule TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  request_version INTEGER NOT NULL,
  line_allocated INTEGER NOT NULL,
  ${proposalColumns('declined')}
  decline_reason TEXT,
  CHECK (kind = 'match' OR allocation_id IS NOT NULL),
  CHECK (status <> 'confirmed' OR decided_by <> proposed_by)
) STRICT;
CREATE INDEX match_proposals_by_status ON match_proposals (status, id);
CREATE UNIQUE INDEX match_proposals_one_waiting ON match_proposals (kind, bank_line_id, request_id) WHERE status = 'proposed';
CREATE INDEX match_proposals_by_request ON match_proposals (request_id);
`,
};
