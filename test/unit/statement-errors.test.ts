// A statement the engine refuses answers with a rejected promise on both engines: a caller that chains
// `.catch`, or starts several at once under Promise.all, meets the refusal there, never as a throw at the
// call that escapes them (SQLite's driver answers at once, PostgreSQL's later; the books hide the difference).
import { describe, expect, it } from 'vitest';
import type { AnyBooks } from '../../main/db/tx';
import { withScratchBooks } from '../support/books-hooks';
import { firstValue } from '../support/temp-books';

let books: AnyBooks;
withScratchBooks('each', (made) => ({ books } = made), { prefix: 'coffer-stmt-' });

describe('a refused statement', () => {
  it('rejects its promise for all, get and run alike (a broken constraint, a missing parameter) and writes nothing', async () => {
    const insert = books.sql('INSERT INTO settings (key, value) VALUES (?, ?)');
    // settings.value is NOT NULL on both engines
    const caught: unknown[] = [];
    let escaped: unknown = null;
    try {
      await Promise.all([
        insert.run('x.key', null).catch((e: unknown) => caught.push(e)),
        books
          .sql('SELECT * FROM settings WHERE key = ?')
          .get()
          .catch((e: unknown) => caught.push(e)),
        books
          .sql('SELECT * FROM settings WHERE key = ?')
          .all()
          .catch((e: unknown) => caught.push(e)),
      ]);
    } catch (e) {
      escaped = e;
    }
    expect(escaped).toBeNull();
    expect(caught).toHaveLength(3);
    expect(Number(await firstValue(books, "SELECT count(*) FROM settings WHERE key = 'x.key'"))).toBe(0);
  });
});
