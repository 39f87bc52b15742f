// An edit made outside Coffer, past the triggers that keep a table's rows from changing (as someone
// with the database's own tools would): on a books file its triggers dropped for the statement and made
// again, on PostgreSQL its triggers disabled for it. The books' own connection runs it, so the next read
// through them sees it.
import type { AnyBooks } from '../../main/db/tx';

export async function editOutsideCoffer(books: AnyBooks, table: string, statement: string): Promise<void> {
  if (books.engine === 'postgres') {
    const client = await books.pool.connect();
    try {
      await client.query(`ALTER TABLE "${table}" DISABLE TRIGGER USER`);
      await client.query(statement);
      await client.query(`ALTER TABLE "${table}" ENABLE TRIGGER USER`);
    } finally {
      client.release();
    }
    return;
  }
  const triggers = books.raw.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?").all(table) as {
    name: string;
    sql: string;
  }[];
  for (const t of triggers) books.raw.exec(`DROP TRIGGER "${t.name}"`);
  books.raw.exec(statement);
  for (const t of triggers) books.raw.exec(t.sql);
}
