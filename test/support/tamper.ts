// What an attacker holding a books file does, for the tampering tests: SQL on a connection of their
// own, and the audit chain recomputed by someone who knows its published format (docs/AUDIT.md).
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { AnyBooks } from '../../main/db/tx';
import { auditHash } from '../../main/domain/audit-chain';
import { auditContentOf, type AuditDbRow } from '../../main/services/audit';
import { numberedPlaceholders, PLAIN, toPostgres } from '../../main/db/postgres/queryable';

export const one = <T>(db: Sqlite.Database, sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;

export type AuditRow = AuditDbRow;

/** Recomputes the chain from entry `fromId` on, as an attacker who knows the format would. */
export function rechain(db: Sqlite.Database, fromId: number, edit: (r: AuditRow) => AuditRow = (r) => r): { seq: number; hash: string } {
  let prev = one<{ hash: string }>(db, 'SELECT prev_hash AS hash FROM audit WHERE id = ?', fromId).hash;
  let head = { seq: 0, hash: prev };
  const update = db.prepare('UPDATE audit SET staff_name = ?, prev_hash = ?, hash = ? WHERE id = ?');
  for (const row of db.prepare('SELECT * FROM audit WHERE id >= ? ORDER BY id').all(fromId) as AuditRow[]) {
    const r = edit(row);
    const hash = auditHash(prev, auditContentOf(r));
    update.run(r.staff_name, prev, hash, r.id);
    prev = hash;
    head = { seq: r.id, hash };
  }
  return head;
}

/**
 * An edit made outside Coffer by someone holding the books, on either engine: on a file, the table's
 * guard triggers dropped for the edit and put back; on PostgreSQL, a plain connection of the pool with
 * every trigger off for its transaction (session_replication_role = replica, as a superuser can), so
 * neither the guards nor the seal notes see it. `text` takes ? placeholders.
 */
export async function editOutside(books: AnyBooks, table: string, text: string, ...params: unknown[]): Promise<void> {
  if (books.engine === 'postgres') {
    const client = await books.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(numberedPlaceholders(text), params.map(toPostgres));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
    return;
  }
  const raw = books.raw;
  const triggers = raw.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?").all(table) as {
    name: string;
    sql: string;
  }[];
  for (const t of triggers) raw.exec(`DROP TRIGGER "${t.name}"`);
  try {
    raw.prepare(text).run(...params);
  } finally {
    for (const t of triggers) raw.exec(t.sql);
  }
}

/** `rechain` on books of either engine, each row rewritten by editOutside. */
export async function rechainOutside(
  books: AnyBooks,
  fromId: number,
  edit: (r: AuditRow) => AuditRow = (r) => r,
): Promise<{ seq: number; hash: string }> {
  let prev = ((await books.sql('SELECT prev_hash AS hash FROM audit WHERE id = ?').get(fromId)) as { hash: string }).hash;
  let head = { seq: 0, hash: prev };
  for (const row of (await books.sql('SELECT * FROM audit WHERE id >= ? ORDER BY id').all(fromId)) as AuditRow[]) {
    const r = edit(row);
    const hash = auditHash(prev, auditContentOf(r));
    await editOutside(
      books,
      'audit',
      'UPDATE audit SET staff_name = ?, prev_hash = ?, hash = ? WHERE id = ?',
      r.staff_name,
      prev,
      hash,
      r.id,
    );
    prev = hash;
    head = { seq: r.id, hash };
  }
  return head;
}

/** An attacker's connection to books of either engine: statements with ? placeholders. */
export interface Attacker {
  one<T>(text: string, ...params: unknown[]): Promise<T>;
  all<T>(text: string, ...params: unknown[]): Promise<T[]>;
  run(text: string, ...params: unknown[]): Promise<void>;
}

/**
 * `edit` on a connection of the attacker's own, while Coffer has the books closed: a books file with
 * every trigger dropped (for good), or PostgreSQL books (their URL) in a transaction with every trigger
 * off (session_replication_role = replica, as a superuser can).
 */
export async function asAttacker(where: { file: string } | { url: string }, edit: (db: Attacker) => Promise<void>): Promise<void> {
  if ('url' in where) {
    const client = new pg.Client({ connectionString: where.url, types: PLAIN });
    await client.connect();
    const query = (text: string, params: unknown[]) => client.query(numberedPlaceholders(text), params.map(toPostgres));
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await edit({
        one: async <T>(text: string, ...params: unknown[]) => (await query(text, params)).rows[0] as T,
        all: async <T>(text: string, ...params: unknown[]) => (await query(text, params)).rows as T[],
        run: async (text, ...params) => void (await query(text, params)),
      });
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Sqlite(where.file);
  try {
    for (const { name } of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").all() as { name: string }[])
      db.exec(`DROP TRIGGER "${name}"`);
    await edit({
      one: async <T>(text: string, ...params: unknown[]) => db.prepare(text).get(...params) as T,
      all: async <T>(text: string, ...params: unknown[]) => db.prepare(text).all(...params) as T[],
      run: async (text, ...params) => void db.prepare(text).run(...params),
    });
  } finally {
    db.close();
  }
}
