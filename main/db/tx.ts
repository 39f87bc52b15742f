// Write transactions. Every state change runs inside one IMMEDIATE transaction on the books' single
// connection (held exclusively through Kysely's connection mutex, so no other call interleaves);
// any throw rolls the whole thing back, including the audit row written with it.
import type { Kysely } from 'kysely';
import type { Books, Queryable } from './books';
import type { Database } from './schema';

declare const inTx: unique symbol;

/** A write transaction: the same shape as the books, bound to the connection inside BEGIN IMMEDIATE. */
export interface Tx extends Queryable {
  readonly [inTx]: true;
  readonly books: Books;
}

// How many rollbacks (whole or to a savepoint) each books connection has seen: state kept in memory
// beside the books (the ledger's balance cache) is only good while this has not moved.
const rollbacks = new WeakMap<Books, number>();

export function rollbackCount(books: Books): number {
  return rollbacks.get(books) ?? 0;
}

function noteRollback(books: Books): void {
  rollbacks.set(books, rollbackCount(books) + 1);
}

export async function inWriteTx<T>(books: Books, work: (tx: Tx) => Promise<T> | T): Promise<T> {
  return books.db.connection().execute(async (conn: Kysely<Database>) => {
    books.raw.exec('BEGIN IMMEDIATE');
    try {
      const tx = { db: conn, sql: books.sql, books } as unknown as Tx;
      const result = await work(tx);
      books.raw.exec('COMMIT');
      return result;
    } catch (e) {
      noteRollback(books);
      if (books.raw.inTransaction) books.raw.exec('ROLLBACK');
      throw e;
    }
  });
}

let savepointSeq = 0;

/**
 * One item of a bulk action: its writes stand or fall alone inside the surrounding transaction.
 * Synchronous on purpose: an item of a batch must not let other work onto the connection midway.
 */
export function inSavepoint<T>(tx: Tx, work: () => T): T {
  const name = `item_${++savepointSeq}`;
  tx.books.raw.exec(`SAVEPOINT ${name}`);
  try {
    const result = work();
    tx.books.raw.exec(`RELEASE ${name}`);
    return result;
  } catch (e) {
    noteRollback(tx.books);
    tx.books.raw.exec(`ROLLBACK TO ${name}`);
    tx.books.raw.exec(`RELEASE ${name}`);
    throw e;
  }
}
