// The sessions `coffer serve` keeps for every process serving the same books on PostgreSQL: a table of
// the books' schema (serve_sessions, postgres/ddl.ts), so that a token from one process answers on
// another, and a logout, a lock or a disabled user holds on all of them. Written on the books' pool, a
// statement at a time outside any write transaction: a login or the minute's touch never waits for a
// long job, and is never sealed or rolled back with the books' own writes.
import type { Session, SessionShelf } from '../api/sessions';
import { SERVE_SESSIONS_TABLE } from '../db/postgres/ddl';
import type { PostgresBooks } from '../db/postgres/open';
import { flag, SESSION_COLUMNS, sessionOfRow, sessionValues } from './session-rows';

export class SessionTable implements SessionShelf {
  private constructor(private readonly books: PostgresBooks) {}

  /** The shelf of the books, its table made first where the books are older than it. */
  static async open(books: PostgresBooks): Promise<SessionTable> {
    await books.pool.query(SERVE_SESSIONS_TABLE);
    return new SessionTable(books);
  }

  private async run(sql: string, params: unknown[] = []): Promise<unknown[]> {
    return (await this.books.pool.query(sql, params)).rows;
  }

  async load(clientId: string): Promise<Session | undefined> {
    const [row] = await this.run('SELECT * FROM serve_sessions WHERE client_id = $1', [clientId]);
    return sessionOfRow(row);
  }

  async save(s: Session): Promise<void> {
    const marks = SESSION_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
    const replace = SESSION_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`);
    await this.run(
      `INSERT INTO serve_sessions (${SESSION_COLUMNS.join(', ')}) VALUES (${marks}) ON CONFLICT (client_id) DO UPDATE SET ${replace.join(', ')}`,
      sessionValues(s),
    );
  }

  async update(s: Session): Promise<void> {
    await this.run('UPDATE serve_sessions SET locked = $1, must_change_password = $2 WHERE client_id = $3', [
      flag(s.locked),
      flag(s.mustChangePassword),
      s.clientId,
    ]);
  }

  async touch(clientId: string, at: number): Promise<void> {
    await this.run('UPDATE serve_sessions SET last_active = greatest(last_active, $1) WHERE client_id = $2', [at, clientId]);
  }

  async remove(clientId: string): Promise<void> {
    await this.run('DELETE FROM serve_sessions WHERE client_id = $1', [clientId]);
  }

  async removeStaff(staffId: number): Promise<void> {
    await this.run('DELETE FROM serve_sessions WHERE staff_id = $1', [staffId]);
  }

  async removeAll(): Promise<void> {
    await this.run('DELETE FROM serve_sessions');
  }

  async removeEnded(expiredBefore: number, idleBefore: number): Promise<void> {
    await this.run('DELETE FROM serve_sessions WHERE expires_at < $1 OR last_active < $2', [expiredBefore, idleBefore]);
  }

  close(): void {} // the books' pool is the books' to end
}
