// The sessions `coffer serve` keeps for every process serving the same books: a small SQLite file
// beside them (`<books>-sessions`), not a table of the books, so that a login, a lock or the minute's
// touch never waits for a long job holding the books' write lock, and is never sealed or rolled back
// with the books' own writes. Rows are keyed by the client id a token stands for (serve/border.ts:
// a digest of the token), so the file holds no token that could be replayed.
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import { MemoryShelf, type Session, type SessionShelf } from '../api/sessions';
import type { PostgresBooks } from '../db/postgres/open';
import { refuse } from '../domain/refusals';
import { isRole } from '../services/staff';

const SCHEMA = `CREATE TABLE IF NOT EXISTS sessions (
  client_id TEXT PRIMARY KEY,
  staff_id INTEGER NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_active INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  locked INTEGER NOT NULL,
  must_change_password INTEGER NOT NULL
) STRICT`;

interface SessionRow {
  client_id: string;
  staff_id: number;
  username: string;
  display_name: string;
  role: string;
  started_at: number;
  last_active: number;
  expires_at: number;
  locked: number;
  must_change_password: number;
}

export class SessionFile implements SessionShelf {
  private readonly db: Sqlite.Database;
  private readonly byClient: Sqlite.Statement<[string], SessionRow>;

  constructor(booksPath: string, nativeBinding?: string) {
    const file = `${booksPath}-sessions`;
    fs.closeSync(fs.openSync(file, 'a', 0o600)); // who is logged in is for this account's eyes only
    this.db = new Sqlite(file, nativeBinding ? { nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.pragma('synchronous = NORMAL'); // a session lost with the power is a login again: no fsync per login
    this.db.exec(SCHEMA);
    this.byClient = this.db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE client_id = ?');
  }

  load(clientId: string): Session | undefined {
    const r = this.byClient.get(clientId);
    if (!r || !isRole(r.role)) return undefined;
    return {
      clientId: r.client_id,
      staffId: r.staff_id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      startedAt: r.started_at,
      lastActive: r.last_active,
      expiresAt: r.expires_at,
      locked: r.locked === 1,
      mustChangePassword: r.must_change_password === 1,
    };
  }

  save(s: Session): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO sessions (client_id, staff_id, username, display_name, role, started_at, last_active, expires_at, locked, must_change_password)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.clientId,
        s.staffId,
        s.username,
        s.displayName,
        s.role,
        s.startedAt,
        s.lastActive,
        s.expiresAt,
        s.locked ? 1 : 0,
        s.mustChangePassword ? 1 : 0,
      );
  }

  touch(clientId: string, at: number): void {
    this.db.prepare('UPDATE sessions SET last_active = max(last_active, ?) WHERE client_id = ?').run(at, clientId);
  }

  remove(clientId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE client_id = ?').run(clientId);
  }

  removeStaff(staffId: number): void {
    this.db.prepare('DELETE FROM sessions WHERE staff_id = ?').run(staffId);
  }

  removeAll(): void {
    this.db.exec('DELETE FROM sessions');
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Books on PostgreSQL have no file beside them: their sessions stay in the memory of the one process that
 * serves them. One, so that a logout, a lock or a disabled user holds wherever the books are served: a
 * session-long advisory lock on the books' schema, held on a connection of its own, refuses a second.
 */
export async function soleServer(books: PostgresBooks): Promise<SessionShelf & { close(): void }> {
  const client = await books.pool.connect();
  const r = await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock(hashtext('coffer serve ' || current_schema())) AS held");
  if (!r.rows[0]?.held) {
    client.release();
    throw refuse('CONFLICT', 'serve_books_served', { path: books.path }, { field: 'books' });
  }
  const shelf = new MemoryShelf();
  return Object.assign(shelf, { close: () => client.release(true) }); // the connection ends, and the lock with it
}
