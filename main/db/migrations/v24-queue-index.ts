// Migration 24: the approval queue read newest first from an index of its own (issue 14 §4).
// SQLite-only DDL; queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';

export const MIGRATION_24: Migration = {
  version: 24,
  name: 'approval queue: a partial index of the requests waiting for approval, in id order',
  sql: `
-- The queue (services/approval-read.ts) is every request matched, overpaid or approved once, newest id
-- first. recharge_requests_by_status keeps each status in request-time order, so a page had to sort
-- every waiting request (and price its flags) before taking 100: 57-90 ms at 100,000 waiting. This
-- index holds only the waiting requests, in id order: a page reads its 100 rows and stops. Derived
-- from the table, so nothing in it is sealed.
CREATE INDEX recharge_requests_queue ON recharge_requests (id) WHERE status IN ('matched', 'overpaid', 'approved');
`,
};
