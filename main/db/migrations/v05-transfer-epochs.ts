// Migration 5: per-account transfer history indexed by epoch; no ledger index.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';
import { transferEpochSql } from './ddl';

export const MIGRATION_5: Migration = {
  version: 5,
  name: 'per-account transfer history indexed by epoch; no ledger index',
  sql: `
-- A page of one ledger's transfers reads the primary key backwards and skips the other ledgers' rows,
-- which costs less than keeping a third index on every posting.
DROP INDEX transfers_by_ledger;
DROP INDEX transfers_by_debit;
DROP INDEX transfers_by_credit;
CREATE INDEX transfers_by_debit ON transfers (${transferEpochSql('id')}, debit_account_id, id);
CREATE INDEX transfers_by_credit ON transfers (${transferEpochSql('id')}, credit_account_id, id);
`,
};
