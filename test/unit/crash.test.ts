// Crash safety: a writer killed with SIGKILL at a random moment leaves books that verify clean, with
// every batch of transfers there entirely (with its audit row) or not at all; a full disk fails a
// batch with a clear error and leaves nothing of it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toErrorBody } from '../../main/api/dispatcher';
import { openBooks, type Books } from '../../main/db/books';
import { inWriteTx } from '../../main/db/tx';
import { recordAudit } from '../../main/services/audit';
import { createAccount, createTransfers, expectPosted, type TransferInput } from '../../main/services/ledger-post';
import { verifyBooks } from '../../main/services/verify';
import { tempDir } from '../support/temp-books';
import { runAndKill } from '../support/crash-run';

const N = 400;
const ACCOUNTS = 50;
const dir = tempDir('coffer-crash-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function coinAccounts(books: Books, count: number): Promise<[number, number]> {
  return inWriteTx(books, async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++)
      ids.push(await createAccount(tx, { ledger: 2, code: 'wallet_recharge', name: `w${i}`, ownerKind: 'account', ownerId: i + 1 }));
    return [ids[0]!, ids[ids.length - 1]!];
  });
}

describe('crash safety', () => {
  it('a writer killed mid-batch leaves whole batches only, each with its audit row, and clean books', async () => {
    const file = path.join(dir, 'crash.books.sqlite');
    const books = await openBooks(file, { create: true });
    const [first, last] = await coinAccounts(books, ACCOUNTS);
    await books.close();

    const delays = [0, 3, 7, 13, 29, 1 + Math.floor(Math.random() * 40)];
    let batchesBefore = 0;
    const log: string[] = [];
    for (const [round, delay] of delays.entries()) {
      const killed = await runAndKill(file, N, `r${round}`, `${first}-${last}`, 2 + round, delay);

      const b = await openBooks(file);
      try {
        const report = await verifyBooks(b);
        expect(report.findings).toEqual([]);
        expect(report.ok).toBe(true);

        const transfers = ((await b.sql("SELECT count(*) AS n FROM transfers WHERE code = 'crash'").get()) as { n: number }).n;
        expect(transfers % N).toBe(0);
        const batches = transfers / N;
        const partial = await b
          .sql("SELECT memo, count(*) AS n FROM transfers WHERE code = 'crash' GROUP BY memo HAVING count(*) <> ?")
          .all(N);
        expect(partial).toEqual([]);

        // Audit rows match the batches one to one.
        const audit = (await b
          .sql("SELECT entity_id AS batch, item_count AS n FROM audit WHERE action = 'crash.batch' ORDER BY id")
          .all()) as {
          batch: string;
          n: number;
        }[];
        expect(audit.length).toBe(batches);
        const memos = (
          (await b.sql("SELECT DISTINCT memo FROM transfers WHERE code = 'crash' ORDER BY memo").all()) as { memo: string }[]
        ).map((m) => m.memo);
        expect(audit.map((a) => a.batch).sort()).toEqual(memos);
        expect(audit.every((a) => a.n === N)).toBe(true);

        // Every batch the child saw committed is there; at most one more (committed, killed before printing).
        const thisRound = batches - batchesBefore;
        expect(thisRound).toBeGreaterThanOrEqual(killed.committed);
        expect(thisRound).toBeLessThanOrEqual(killed.committed + 1);
        log.push(
          `round ${round}: killed ${delay} ms after commit ${2 + round} while "${killed.lastLine}"; ${killed.committed} printed, ${thisRound} in the file`,
        );
        batchesBefore = batches;
      } finally {
        await b.close();
      }
    }
    console.log(log.join('\n'));
  }, 120_000);

  it('a full disk (max_page_count) fails a batch with a clear error and leaves nothing of it', async () => {
    const books = await openBooks(path.join(dir, 'full.books.sqlite'), { create: true });
    try {
      const [first, last] = await coinAccounts(books, 20);
      const batch = (tag: string, n: number): TransferInput[] =>
        Array.from({ length: n }, (_, i) => ({
          key: `${tag}-${i}`,
          ledger: 2,
          debitAccountId: first + (i % (last - first)),
          creditAccountId: first + ((i + 1) % (last - first)),
          amount: 100 + i,
          code: 'fill',
          memo: tag,
        }));
      const post = (tag: string, n: number) =>
        inWriteTx(books, async (tx) => {
          expectPosted(await createTransfers(tx, batch(tag, n)));
          await recordAudit(
            tx,
            { staffId: null, name: 'test', role: 'system' },
            { action: 'fill.batch', entity: 'transfers', entityId: tag, count: n },
          );
        });
      await post('small', 10);
      const count = async () =>
        (await books.sql('SELECT (SELECT count(*) FROM transfers) AS t, (SELECT count(*) FROM audit) AS a').get()) as {
          t: number;
          a: number;
        };
      const before = await count();

      const pages = books.raw.pragma('page_count', { simple: true }) as number;
      books.raw.pragma(`max_page_count = ${pages + 3}`);
      let error: unknown;
      try {
        await post('big', 5000);
      } catch (e) {
        error = e;
      }
      expect((error as { code?: string })?.code).toBe('SQLITE_FULL');
      const body = toErrorBody(error);
      expect(body.code).toBe('BOOKS');
      expect(body.message).toBe('the books file could not be written (SQLITE_FULL); nothing was saved');
      expect(books.raw.inTransaction).toBe(false);
      expect(await count()).toEqual(before);
      expect(((await books.sql("SELECT count(*) AS n FROM transfers WHERE memo = 'big'").get()) as { n: number }).n).toBe(0);
      expect((await verifyBooks(books)).findings).toEqual([]);

      // With room again, the same batch goes through whole.
      books.raw.pragma('max_page_count = 1073741823');
      await post('big', 5000);
      expect(await count()).toEqual({ t: before.t + 5000, a: before.a + 1 });
      expect((await verifyBooks(books)).ok).toBe(true);
    } finally {
      await books.close();
    }
  });
});
