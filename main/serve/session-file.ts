// The sessions `coffer serve` keeps for every process serving the same books file: a small SQLite file
// beside them (`<books>-sessions`), not a table of the books, so that a login, a lock or the minute's
// touch never waits for a long job holding the books' write lock, and is never sealed or rolled back
// with the books' own writes. Books on PostgreSQL keep theirs in a table (serve/session-table.ts).
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import type { Session, SessionShelf } from '../api/sessions';
import { flag, SESSION_COLUMNS, sessionOfRow, sessionValues } from './session-rows';

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

export class SessionFile implements SessionShelf {
  private readonly db: Sqlite.Database;
  /** The one statement every served call runs, compiled once rather than at each call. */
  private readonly loadRow: Sqlite.Statement<[string]>;

  constructor(booksPath: string, nativeBinding?: string) {
    const file = `${booksPath}-sessions`;
    fs.closeSync(fs.openSync(file, 'a', 0o600)); // who is logged in is for this account's eyes only
    this.db = new Sqlite(file, nativeBinding ? { nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.pragma('synchronous = NORMAL'); // a session lost with the power is a login again: no fsync per login
    this.db.exec(SCHEMA);
    this.loadRow = this.db.prepare('SELECT * FROM sessions WHERE client_id = ?');
  }

  load(clientId: string): Session | undefined {
    return sessionOfRow(this.loadRow.get(clientId));
  }

  save(s: Session): void {
    const marks = SESSION_COLUMNS.map(() => '?').join(', ');
    this.db.prepare(`INSERT OR REPLACE INTO sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${marks})`).run(...sessionValues(s));
  }

  update(s: Session): void {
    this.db
      .prepare('UPDATE sessions SET locked = ?, must_change_password = ? WHERE client_id = ?')
      .run(flag(s.locked), flag(s.mustChangePassword), s.clientId);
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

  removeEnded(expiredBefore: number, idleBefore: number): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at < ? OR last_active < ?').run(expiredBefore, idleBefore);
  }

  close(): void {
    this.db.close();
  }
}
