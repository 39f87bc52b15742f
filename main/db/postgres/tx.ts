// Write transactions on PostgreSQL books: each on a connection of its own from the pool, under READ
// COMMITTED, several at once. What keeps them whole is where they meet: balances are changed under row
// locks taken in id order (services/ledger-post.ts), the audit chain is extended under one advisory lock
// (postgres/seals.ts), gapless numbers are drawn under a lock per series (lockSeries). Before COMMIT the
// rows written after the last audit entry are sealed under one of their own, as on SQLite.
import type pg from 'pg';
import type { Queryable } from '../books';
import { SEALING_SETTING } from './ddl';
import type { PostgresBooks } from './open';
import { postgresQueryableOn } from './queryable';
import { noteWrites, sealPostgresLeftovers } from './seals';

/** A write transaction's statements, all on the one connection that holds it. */
export function transactionQueryable(books: PostgresBooks, client: pg.PoolClient): Queryable {
  return postgresQueryableOn(client, books.ids);
}

/** A write transaction's statements, which tell the seals whether anything may have been written since they last looked. */
function writeQueryable(books: PostgresBooks, client: pg.PoolClient): Queryable {
  const writes = noteWrites();
  const q = postgresQueryableOn(client, books.ids, writes.heard);
  writes.track(q);
  return q;
}

/**
 * Runs `work` in a write transaction of its own. `onRollback` is told of a rollback (the services' caches
 * of rows are only good while none happened).
 */
export async function inPostgresWriteTx<T>(books: PostgresBooks, work: (q: Queryable) => Promise<T>, onRollback: () => void): Promise<T> {
  const client = await books.pool.connect();
  try {
    try {
      // one round trip: a simple query may hold several statements
      await client.query(`BEGIN; SELECT set_config('${SEALING_SETTING}', 'on', true)`);
      const q = writeQueryable(books, client);
      const result = await work(q);
      await sealPostgresLeftovers(q, books.sealed, Date.now(), 'written after the action was recorded');
      await client.query('COMMIT');
      return result;
    } catch (e) {
      onRollback();
      await client.query('ROLLBACK');
      throw e;
    }
  } finally {
    client.release();
  }
}

/** A read that sees one committed state: its statements in one REPEATABLE READ, READ ONLY transaction. */
export async function inPostgresSnapshot<T>(books: PostgresBooks, work: (q: Queryable) => Promise<T>): Promise<T> {
  const client = await books.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await work(transactionQueryable(books, client));
    } finally {
      await client.query('COMMIT');
    }
  } finally {
    client.release();
  }
}
