// Opening books kept on PostgreSQL (a postgres:// URL whose search_path names their schema): refused
// unless they are books of this Coffer's version, then a pool the reads share and from which each write
// transaction takes a connection of its own (db/postgres/tx.ts).
import type pg from 'pg';
import { pgDriver } from './driver';
import { SEALED_TABLES } from '../../domain/row-seals';
import type { Queryable } from '../books';
import { withFreshBooks } from './books';
import { expectSameVersion } from './copy-back';
import { PLAIN, postgresQueryableOn, readIdentityColumns, type IdentityColumns } from './queryable';
import { sealedColumns, type SealedColumns } from './seals';

export interface PostgresBooks extends Queryable {
  readonly engine: 'postgres';
  /** The URL with any password hidden: what messages and the session name the books by. */
  readonly path: string;
  /** The reads' pool: each statement sees the last commit (inReadSnapshot holds one snapshot). */
  readonly reader: Queryable;
  readonly schemaVersion: number;
  /** Opened `readOnly`: every transaction READ ONLY, as a books file opened read-only. */
  readonly readOnly: boolean;
  readonly pool: pg.Pool;
  readonly ids: IdentityColumns;
  readonly sealed: SealedColumns;
  close(): Promise<void>;
}

/** A URL as it may be shown or printed: a password in it replaced by ***. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}

/**
 * `readOnly`: every transaction on the pool's connections is READ ONLY unless it says otherwise (the CLI's
 * offline reader: nothing it runs can change the books, as a file opened read-only).
 */
export async function openPostgresBooks(
  url: string,
  options: { maxConnections?: number; readOnly?: boolean } = {},
): Promise<PostgresBooks> {
  const { schema } = await withFreshBooks((_raw, s) => ({ schema: s }));
  const pool = new (await pgDriver()).Pool({ connectionString: url, max: options.maxConnections ?? 8, types: PLAIN });
  // A client's queries run in order: this one before any the pool hands it out for.
  if (options.readOnly) pool.on('connect', (client) => void client.query('SET default_transaction_read_only = on').catch(() => {}));
  try {
    const client = await pool.connect();
    try {
      await expectSameVersion(client, schema);
    } finally {
      client.release();
    }
    const ids = await readIdentityColumns(pool);
    const q = postgresQueryableOn(pool, ids);
    return {
      ...q,
      engine: 'postgres',
      path: shownUrl(url),
      reader: q,
      schemaVersion: schema.userVersion,
      readOnly: !!options.readOnly,
      pool,
      ids,
      sealed: sealedColumns(schema, SEALED_TABLES),
      close: () => pool.end(),
    };
  } catch (e) {
    await pool.end();
    throw e;
  }
}
