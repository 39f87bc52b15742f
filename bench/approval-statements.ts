// node --import tsx bench/approval-statements.ts: the statements one approval sends to PostgreSQL (issue
// 15 §4: on PostgreSQL each is a round trip, so their count bounds an approval's latency). Books made as
// bench/serve.ts makes them, copied to a PostgreSQL schema of their own; the approver approves a first
// request through the dispatcher (warming what is kept per books), then each next one alone while
// pg.Client#query counts what is sent. BENCH_STATEMENTS_SHOW=1 prints each statement.
import pg from 'pg';
import { Dispatcher } from '../main/api/dispatcher';
import { openBooks, type Books } from '../main/db/books';
import { copyBooksToPostgres } from '../main/db/postgres/books';
import { openPostgresBooks } from '../main/db/postgres/open';
import { inWriteTx } from '../main/db/tx';
import type { IncomingStatement } from '../main/services/bank-statements';
import { hashPassword } from '../main/services/passwords';
import { reconcile } from '../main/services/reconcile';
import { commitBenchStatement, freshFile, payerCard, payerName, removeFile, seedPayers } from './lib';
import { ACCOUNT_NUMBER, seedStaff } from './staff';
import { log } from './harness';
import { benchSchema } from './postgres-schema';

const COUNT = 4;
const PASSWORD = 'bench password 1';
const SHOW = process.env.BENCH_STATEMENTS_SHOW === '1';

interface Item {
  id: number;
  version: number;
}

/** Books with 3N matched requests, ready for the approver; answers the items in request order. */
async function matchedBooks(books: Books): Promise<Item[]> {
  const hash = await hashPassword(PASSWORD);
  const now = Date.now();
  const { clerk } = await inWriteTx(books, async (tx) => {
    const staff = await seedStaff(tx, now, { approver: true, bankAccount: true, passwordHash: hash });
    await seedPayers(tx, COUNT, now, now - 30 * 86_400_000);
    return staff;
  });
  const api = new Dispatcher({
    books,
    scanWorker: null,
    ports: { dialogs: { openFile: async () => null, saveFile: async () => null }, clock: Date.now },
  });
  await api.dispatch('clerk', 'session.login', { username: 'clerk', password: PASSWORD });
  const lines: IncomingStatement['lines'] = [];
  for (let a = 1; a <= COUNT; a++) {
    const amount = `${100 + a}.00`;
    const r = await api.dispatch('clerk', 'requests.create', {
      requestId: `bench-request-${a}`,
      accountId: a,
      payerAccount: payerCard(a),
      amount,
    });
    if (!r.ok) throw new Error(`set-up: ${JSON.stringify(r.error)}`);
    const code = (r.data as { referenceCode: string }).referenceCode;
    lines.push({
      booked: new Date(now + 8 * 3_600_000).toISOString().slice(0, 10),
      value: null,
      amount,
      counterparty: { name: payerName(a), account: payerCard(a) },
      reference: null,
      memo: `充值${code}`,
      bank_ref: `S${a}`,
    });
  }
  await inWriteTx(books, async (tx) => {
    await commitBenchStatement(tx, clerk, ACCOUNT_NUMBER, lines, 'corporate', now);
    await reconcile(tx, clerk, now);
  });
  const items = (await books.sql("SELECT id, version FROM recharge_requests WHERE status = 'matched' ORDER BY id").all()) as Item[];
  if (items.length !== COUNT) throw new Error(`set-up: ${items.length} of ${COUNT} requests matched`);
  return items;
}

/** The statements each approval after the first sent, and their texts when asked. */
async function main(): Promise<void> {
  const file = freshFile('statements.books.sqlite');
  const books = await openBooks(file, { create: true });
  const items = await matchedBooks(books);
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
