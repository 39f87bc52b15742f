// Migration 10: bank lines: no index on the counterparty account or on the amount alone.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';

export const MIGRATION_10: Migration = {
  version: 10,
  name: 'bank lines: no index on the counterparty account or on the amount alone',
  sql: `
-- Each took a statement's lines at random places, so big imports grew faster than their size; nothing
-- searches by counterparty account, and a search by amount goes per bank account through
-- bank_lines_by_account_amount.
DROP INDEX bank_lines_by_counterparty;
DROP INDEX bank_lines_by_amount;
`,
};
