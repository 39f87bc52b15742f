// A long read — an export, a print, a preview — in one committed state of the books, on a connection of
// its own. One state: a workbook's totals and its rows, or an audit file's last hash and the chain it
// ends, come from the same commit, and what a write job has written but not committed (a cancel would
// remove it) is never in a file. Its own connection: the window's reads take turns on the books' reader
// and would wait behind an export that pauses between pages; here they do not.
import { openReadOnlyBooks, type Queryable } from './books';
import { inReadSnapshot, type AnyBooks } from './tx';
import { inPostgresSnapshot } from './postgres/tx';

/** Runs `work` in a read snapshot of its own: on a SQLite file a read-only connection opened for it. */
export async function inOwnSnapshot<T>(books: AnyBooks, work: (q: Queryable) => Promise<T>, nativeBinding?: string): Promise<T> {
  if (books.engine === 'postgres') return inPostgresSnapshot(books, work); // a connection of the pool
  if (books.reader.db === books.db) return inReadSnapshot(books, work); // books in memory have one connection
  const own = openReadOnlyBooks(books.path, nativeBinding);
  try {
    own.prepare('BEGIN').run(); // deferred: the snapshot is taken at the first read
    return await work(own);
  } finally {
    await own.destroy(); // closing ends the read transaction
  }
}
