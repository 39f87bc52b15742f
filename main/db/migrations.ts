// The books file's migrations: a static, ordered list compiled into the app (never read from a folder
// at run time). Each runs in its own IMMEDIATE transaction and is recorded in `migrations`.
// This is the SQLite-only part of the schema (STRICT tables, CHECKs, triggers); queries elsewhere
// stay portable through Kysely.

import type { RawDb } from './books';
import { MIGRATION_1 } from './migrations/v01-ledger-staff-audit';
import { MIGRATION_2 } from './migrations/v02-customers-events';
import { MIGRATION_3 } from './migrations/v03-bank-statements';
import { MIGRATION_4 } from './migrations/v04-approvals-records';
import { MIGRATION_5 } from './migrations/v05-transfer-epochs';
import { MIGRATION_6 } from './migrations/v06-invoices';
import { MIGRATION_7 } from './migrations/v07-bank-reversals';
import { MIGRATION_8 } from './migrations/v08-match-proposals';
import { MIGRATION_9 } from './migrations/v09-refusal-codes';
import { MIGRATION_10 } from './migrations/v10-bank-line-indexes';
import { MIGRATION_11 } from './migrations/v11-right-books';
import { MIGRATION_12 } from './migrations/v12-chart';
import { MIGRATION_13 } from './migrations/v13-honest-amounts';
import { MIGRATION_14 } from './migrations/v14-staff-changes';
import { MIGRATION_15 } from './migrations/v15-red-vouchers';
import { MIGRATION_16 } from './migrations/v16-seals';
import { MIGRATION_17 } from './migrations/v17-revenue';
import { MIGRATION_18 } from './migrations/v18-payouts';
import { MIGRATION_19 } from './migrations/v19-gl-export';
import { MIGRATION_20 } from './migrations/v20-invoice-fixes';
import { MIGRATION_21 } from './migrations/v21-coin-expiry';
import { MIGRATION_22 } from './migrations/v22-account-months';
import { MIGRATION_23 } from './migrations/v23-counter-numbers';
import { MIGRATION_24 } from './migrations/v24-queue-index';

export { TRANSFER_EPOCH_SHIFT, transferEpochSql } from './migrations/ddl';

export const COFFER_APPLICATION_ID = 0x43464652; // "CFFR" in PRAGMA application_id

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL alone cannot take, run after `sql` in the same transaction. */
  run?: (raw: RawDb) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  MIGRATION_1,
  MIGRATION_2,
  MIGRATION_3,
  MIGRATION_4,
  MIGRATION_5,
  MIGRATION_6,
  MIGRATION_7,
  MIGRATION_8,
  MIGRATION_9,
  MIGRATION_10,
  MIGRATION_11,
  MIGRATION_12,
  MIGRATION_13,
  MIGRATION_14,
  MIGRATION_15,
  MIGRATION_16,
  MIGRATION_17,
  MIGRATION_18,
  MIGRATION_19,
  MIGRATION_20,
  MIGRATION_21,
  MIGRATION_22,
  MIGRATION_23,
  MIGRATION_24,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
