// Books for the approval benches (bench/serve.ts, bench/approval-statements.ts): staff, payers, and
// requests matched to a statement's lines, each waiting for the approver.
import { Dispatcher } from '../main/api/dispatcher';
import type { Books } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import type { IncomingStatement } from '../main/services/bank-statements';
import { hashPassword } from '../main/services/passwords';
import { reconcile } from '../main/services/reconcile';
import { commitBenchStatement, payerCard, payerName, seedPayers } from './lib';
import { ACCOUNT_NUMBER, seedStaff } from './staff';

export const PASSWORD = 'bench password 1';

export interface Item {
  id: number;
  version: number;
}

/** Books with `count` matched requests, ready for the approver; answers the items in request order. */
export async function matchedBooks(books: Books, count: number): Promise<Item[]> {
  const hash = await hashPassword(PASSWORD);
  const now = Date.now();
  const { clerk } = await inWriteTx(books, async (tx) => {
    const staff = await seedStaff(tx, now, { approver: true, bankAccount: true, passwordHash: hash });
    await seedPayers(tx, count, now, now - 30 * 86_400_000);
    return staff;
  });
  const api = new Dispatcher({
    books,
    scanWorker: null,
    ports: { dialogs: { openFile: async () => null, saveFile: async () => null }, clock: Date.now },
  });
  await api.dispatch('clerk', 'session.login', { username: 'clerk', password: PASSWORD });
  const lines: IncomingStatement['lines'] = [];
  for (let a = 1; a <= count; a++) {
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
  if (items.length !== count) throw new Error(`set-up: ${items.length} of ${count} requests matched`);
  return items;
}
