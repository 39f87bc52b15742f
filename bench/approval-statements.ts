// node --import tsx bench/approval-statements.ts: the statements one approval sends to PostgreSQL (issue
// 15 §4: on PostgreSQL each is a round trip, so their count bounds an approval's latency). Books made as
// bench/serve.ts makes them, copied to a PostgreSQL schema of their own; the approver approves a first
// request through the dispatcher (warming what is kept per books), then each next one alone while
// pg.Client#query counts what is sent. BENCH_STATEMENTS_SHOW=1 prints each statement.
import pg from 'pg';
import { Dispatcher } from '../main/api/dispatcher';
import { openBooks } from '../main/db/books';
import { copyBooksToPostgres } from '../main/db/postgres/books';
import { openPostgresBooks } from '../main/db/postgres/open';
import { freshFile, removeFile } from './lib';
import { log } from './harness';
import { benchSchema } from './postgres-schema';
import { matchedBooks, PASSWORD } from './matched-books';

const COUNT = 4;
const SHOW = process.env.BENCH_STATEMENTS_SHOW === '1';

/** The statements each approval after the first sent, and their texts when asked. */
async function main(): Promise<void> {
  const file = freshFile('statements.books.sqlite');
  const books = await openBooks(file, { create: true });
  const items = await matchedBooks(books, COUNT);
  const schema = await benchSchema();
  try {
    await copyBooksToPostgres(books.raw, schema.url);
    await books.close();
    const pgBooks = await openPostgresBooks(schema.url);
    const api = new Dispatcher({
      books: pgBooks,
      scanWorker: null,
      ports: { dialogs: { openFile: async () => null, saveFile: async () => null }, clock: Date.now },
    });
    await api.dispatch('approver', 'session.login', { username: 'approver', password: PASSWORD });
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<typeof query>) {
      const config: unknown = args[0];
      sent.push(typeof config === 'string' ? config : String((config as { text?: unknown }).text));
      return query.apply(this, args);
    } as typeof query;
    for (const [n, item] of items.entries()) {
      sent.length = 0;
      const r = await api.dispatch('approver', 'approvals.approve', { items: [item] });
      if (!r.ok || (r.data as { outcome: string }[])[0]?.outcome !== 'credited') throw new Error(`approval refused: ${JSON.stringify(r)}`);
      log(`approval ${n + 1}${n === 0 ? ' (warming)' : ''}: ${sent.length} statements`);
      if (SHOW && n === items.length - 1) for (const s of sent) log(`  ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
    pg.Client.prototype.query = query;
    await pgBooks.close();
  } finally {
    await schema.drop();
    removeFile(file);
  }
}

await main();
