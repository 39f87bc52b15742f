// Lookups remembered during a write transaction (TxMemo): a rollback forgets exactly what was put after
// the savepoint it rolls back to opened, and an event import that remembers accounts and the cost of
// earnings' leaf account gives the same outcomes when refused events roll back between its lookups.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inSavepoint, inWriteTx, TxMemo, type AnyBooks } from '../../main/db/tx';
import { withScratchBooks, withStaffedApi } from '../support/books-hooks';
import type { TestApi } from '../support/temp-books';

class Refused extends Error {}

async function refusedSavepoint(tx: Parameters<typeof inSavepoint>[0], work: () => void): Promise<void> {
  await inSavepoint(tx, () => {
    work();
    throw new Refused();
  }).catch((e: unknown) => {
    if (!(e instanceof Refused)) throw e;
  });
}

describe('TxMemo', () => {
  // Books of the engine the suites run on: PostgreSQL's savepoints must forget what SQLite's do.
  let books: AnyBooks;
  withScratchBooks('each', (opened) => ({ books } = opened));

  it('a savepoint rolled back forgets what was put inside it, and keeps what was put before', async () => {
    await inWriteTx(books, async (tx) => {
      const memo = new TxMemo<string, number>(tx.books);
      memo.set('before', 1);
      await refusedSavepoint(tx, () => memo.set('inside', 2));
      expect(memo.get('before')).toBe(1);
      expect(memo.get('inside')).toBeUndefined();

      // nested: the inner rollback forgets the inner entry only; the outer's stays once it is released
      await inSavepoint(tx, async () => {
        memo.set('outer', 3);
        await refusedSavepoint(tx, () => memo.set('inner', 4));
        memo.set('after inner', 5);
      });
      expect([memo.get('outer'), memo.get('inner'), memo.get('after inner')]).toEqual([3, undefined, 5]);

      // an entry put again inside a refused savepoint is forgotten, not taken back to its old value
      await refusedSavepoint(tx, () => memo.set('before', 6));
      expect(memo.get('before')).toBeUndefined();

      // a savepoint released, then an enclosing one rolled back: both inner and outer entries go
      await refusedSavepoint(tx, () => {
        memo.set('enclosing', 7);
      });
      await inSavepoint(tx, async () => {
        await inSavepoint(tx, () => memo.set('released', 8));
      });
      expect(memo.get('released')).toBe(8);
      memo.release();
      // released: no longer told of rollbacks
      await refusedSavepoint(tx, () => undefined);
      expect(memo.get('released')).toBe(8);
    });
  });

  it('the whole transaction rolled back forgets everything', async () => {
    const memo = await inWriteTx(books, async (tx) => new TxMemo<string, number>(tx.books));
    await expect(
      inWriteTx(books, async () => {
        memo.set('a', 1);
        throw new Refused();
      }),
    ).rejects.toBeInstanceOf(Refused);
    expect(memo.get('a')).toBeUndefined();
    memo.release();
  });
});

describe('an event import that remembers lookups', () => {
  let t: TestApi;
  withStaffedApi((api) => (t = api));

  const ev = (n: number, type: string, data: object) =>
    JSON.stringify({ id: `evt-${String(n).padStart(4, '0')}`, type, at: `2026-11-20T09:${String(n).padStart(2, '0')}:00+08:00`, data });

  it('gives each event the outcome it has with nothing remembered, refused events between cached lookups', async () => {
    const lines = [
      ev(1, 'customer.registered', { customer: 'C1', kind: 'person', name: '张伟' }),
      ev(2, 'customer.registered', { customer: 'C2', kind: 'person', name: '李娜' }),
      ev(3, 'account.opened', { customer: 'C1', account: 'A1', name: 'a1', ip: '10.1.2.3' }),
      ev(4, 'account.opened', { customer: 'C1', account: 'A2', name: 'a2', ip: '10.1.2.3' }),
      ev(5, 'account.opened', { customer: 'C2', account: 'B1', name: 'b1', ip: '10.1.2.4' }),
      // A1 and the leaf account looked up and remembered
      ev(6, 'earnings.credited', { account: 'A1', coins: 500 }),
      // A1 and A2 looked up inside events then refused (another customer's account; an unknown one)
      ev(7, 'accounts.linked', { customer: 'C1', accounts: ['A1', 'B1'] }),
      ev(8, 'accounts.linked', { customer: 'C1', accounts: ['A2', 'A9'] }),
      // a refused event that names no account, then lookups of what was remembered before it
      ev(9, 'account.opened', { customer: 'C9', account: 'A9', name: 'a9', ip: '10.1.2.3' }),
      ev(10, 'earnings.credited', { account: 'A1', coins: 300 }),
      // unlinked: A2 changes, and must be read again, not taken from memory
      ev(11, 'accounts.unlinked', { customer: 'C1', accounts: ['A2'] }),
      ev(12, 'earnings.credited', { account: 'A2', coins: 200 }),
      ev(13, 'transfer.requested', { from_account: 'A2', to_account: 'A1', wallet: 'earnings', coins: 100 }),
      ev(14, 'accounts.linked', { customer: 'C1', accounts: ['A2'] }),
      ev(15, 'transfer.requested', { from_account: 'A1', to_account: 'A2', wallet: 'earnings', coins: 100 }),
      // A1's addresses read and remembered, then a refused event, then read from memory
      ev(16, 'customer.login', { account: 'A1', session: 'S1', ip: '10.1.2.3' }),
      ev(17, 'customer.login', { account: 'A9', session: 'S2', ip: '10.1.2.3' }),
      ev(18, 'customer.login', { account: 'A1', session: 'S3', ip: '10.9.9.9' }),
      ev(19, 'customer.login', { account: 'B1', session: 'S4', ip: '10.1.2.4' }),
    ];
    const file = path.join(t.dir, 'memo.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    t.dialogs.nextOpen = file;
    const preview = await t.runJob('clerk', 'events.preview');
    expect(preview.errors).toEqual([]);
    const result = await t.runJob('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
    const statuses = await t.anyBooks.sql('SELECT id, status, reason_code AS code FROM events ORDER BY line').all();
    expect(statuses).toEqual([
      { id: 'evt-0001', status: 'applied', code: null },
      { id: 'evt-0002', status: 'applied', code: null },
      { id: 'evt-0003', status: 'applied', code: null },
      { id: 'evt-0004', status: 'applied', code: null },
      { id: 'evt-0005', status: 'applied', code: null },
      { id: 'evt-0006', status: 'applied', code: null },
      { id: 'evt-0007', status: 'refused', code: 'account_other_customer' },
      { id: 'evt-0008', status: 'refused', code: 'unknown_account' },
      { id: 'evt-0009', status: 'refused', code: 'unknown_customer' },
      { id: 'evt-0010', status: 'applied', code: null },
      { id: 'evt-0011', status: 'applied', code: null },
      { id: 'evt-0012', status: 'applied', code: null },
      // A2 is out of the link group now: the memory must not still say linked
      { id: 'evt-0013', status: 'refused', code: 'from_account_not_linked' },
      { id: 'evt-0014', status: 'applied', code: null },
      { id: 'evt-0015', status: 'applied', code: null },
      { id: 'evt-0016', status: 'applied', code: null },
      { id: 'evt-0017', status: 'refused', code: 'unknown_account' },
      { id: 'evt-0018', status: 'refused', code: 'login_blocked' },
      { id: 'evt-0019', status: 'applied', code: null },
    ]);
    expect(result).toMatchObject({ applied: 13, refused: 6 });
    expect(await t.anyBooks.sql('SELECT count(*) AS n FROM earnings_accruals').get()).toEqual({ n: 3 });
    const verify = await t.runJob('auditor', 'books.verify');
    expect(verify.ok).toBe(true);
  });
});
