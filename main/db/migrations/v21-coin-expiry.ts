// Migration 21: recharge coins the platform lets expire (event `coins.expired`, issue 12 §1) are a coin
// movement of their own kind, 'expiry', beside transfers, earnings and spending: listed with the
// customer's movements, replayed and refused the same way, and counted by the wallet tie. The CHECK on
// coin_movements.type is widened the way migration 16 added CHECKs (sqlite_schema edited under
// writable_schema, schema_version bumped, in the migration's transaction): every existing row meets the
// wider constraint, so nothing is rewritten and no row's seal changes.
import type { RawDb } from '../books';
import type { Migration } from '../migrations';

const BEFORE = "type TEXT NOT NULL CHECK (type IN ('transfer', 'earnings', 'spend'))";
const AFTER = "type TEXT NOT NULL CHECK (type IN ('transfer', 'earnings', 'spend', 'expiry'))";

function widenMovementTypes(raw: RawDb): void {
  const table = raw.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'coin_movements'").get() as { sql: string };
  if (table.sql.split(BEFORE).length !== 2) throw new Error('the coin_movements table is not as migration 2 left it');
  const version = raw.pragma('schema_version', { simple: true }) as number;
  raw.unsafeMode(true);
  try {
    raw.pragma('writable_schema = ON');
    raw.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'coin_movements'").run(table.sql.replace(BEFORE, AFTER));
    raw.pragma(`schema_version = ${version + 1}`);
    raw.pragma('writable_schema = OFF');
  } finally {
    raw.unsafeMode(false);
  }
}

export const MIGRATION_21: Migration = {
  version: 21,
  name: 'coin movements of kind expiry (recharge coins the platform let expire)',
  sql: '',
  run: widenMovementTypes,
};
