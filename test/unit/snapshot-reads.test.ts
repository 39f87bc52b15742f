// Reads see committed books only. A long write job (an event import) holds its transaction open and
// yields between chunks; a read made meanwhile must not see the rows it has written so far, because a
// cancel removes them (issue 14: "1 row during a cancelled import, 0 after"). Reads run on their own
// read-only connection; the job's writes are on the writer's. On PostgreSQL books every read and the
// job's transaction each hold a connection of the pool: the same is proved with PostgreSQL's own.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../main/db/books';
import { inReadSnapshot, inWriteTx } from '../../main/db/tx';
import { SYSTEM_ACTOR as SYSTEM } from '../../main/services/actor';
import { registerCustomer } from '../../main/services/customers';
import { hashPassword } from '../../main/services/passwords';
import { withStaffedApi } from '../support/books-hooks';
import { firstValue, olderSnapshotOpen, ON_POSTGRES, PASSWORD, type TestApi } from '../support/temp-books';

let t: TestApi;
withStaffedApi((api) => (t = api));

const registered = (i: number) =>
  JSON.stringify({
    id: `bulk-${i}`,
    type: 'customer.registered',
    at: '2026-11-20T09:00:00+08:00',
    data: { customer: `C-${i}`, kind: 'person', name: '李娜' },
  });

/** Starts an import of `n` registrations and answers once it has applied some and yielded. */
async function importUnderway(n: number) {
  const file = path.join(t.dir, 'bulk.jsonl');
  fs.writeFileSync(file, Array.from({ length: n }, (_, i) => registered(i)).join('\n'));
  t.dialogs.nextOpen = file;
  const preview = await t.runJob('clerk', 'events.preview');
  const { jobId } = await t.call('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
  // The job yields after each 2,000 events applied, its transaction still open: on the writer's own
  // connection its rows are there already.
  if (ON_POSTGRES) {
    for (let i = 0; i < 5000 && !(await writeOpenOnCustomers()); i++) await new Promise((r) => setTimeout(r, 5));
    expect(await writeOpenOnCustomers()).toBe(true);
    return jobId;
  }
  const written = () => (t.books.raw.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  for (let i = 0; i < 5000 && written() === 0; i++) await new Promise((r) => setImmediate(r));
  expect(written()).toBeGreaterThan(0);
  expect(t.books.raw.inTransaction).toBe(true);
  return jobId;
}

/** PostgreSQL: a transaction that has written to these books' customers table is open (its row lock on
 *  the table is held until it commits or rolls back), as another connection of the server sees it. */
const writeOpenOnCustomers = async () =>
  Number(
    await firstValue(
      t.anyBooks,
      "SELECT count(*) AS n FROM pg_locks WHERE relation = 'customers'::regclass AND mode = 'RowExclusiveLock' AND granted",
    ),
  ) > 0;

const customersSeen = async () => (await t.call('clerk', 'customers.search', {})).total;

describe('a read made while a write job runs', () => {
  it('sees the committed books, not the rows the job has written so far; a cancel leaves them as they were', async () => {
    const jobId = await importUnderway(6000);
    expect(await customersSeen()).toBe(0);
    if (ON_POSTGRES) expect(await writeOpenOnCustomers()).toBe(true); // the read was made while the job's writes were uncommitted
    await t.call('clerk', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    expect(await customersSeen()).toBe(0);
  });

  it('an export made meanwhile reads the committed books: no statement for a customer the cancelled import wrote', async () => {
    const jobId = await importUnderway(20000);
    const written = ON_POSTGRES ? 1 : Number(t.books.raw.prepare('SELECT max(id) AS n FROM customers').pluck().get());
    const file = path.join(t.dir, 'statement-during.xlsx');
    t.dialogs.nextSave = file;
    const exported = t.runJob('clerk', 'customers.statementExport', { customerId: written, month: '2026-11' });
    await expect(exported).rejects.toMatchObject({ code: 'NOT_FOUND' });
    if (!ON_POSTGRES) expect(t.books.raw.inTransaction).toBe(true); // the import was still uncommitted throughout
    expect(fs.existsSync(file)).toBe(false);
    await t.call('clerk', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    expect(await customersSeen()).toBe(0);
  });

  it('sees what the job wrote once it commits', async () => {
    const jobId = await importUnderway(4500);
    expect(await customersSeen()).toBe(0);
    if (ON_POSTGRES) expect(await writeOpenOnCustomers()).toBe(true);
    await t.dispatcher.jobs.settle(jobId);
    expect(t.events.find((e) => e.jobId === jobId && e.type === 'job.done')).toBeDefined();
    expect(await customersSeen()).toBe(4500);
  });
});

describe('a read that waits between its statements', () => {
  const count = async (q: Queryable) => Number(await firstValue(q, 'SELECT count(*) AS n FROM customers'));
  const register = (i: number) =>
    inWriteTx(t.anyBooks, (tx) =>
      registerCustomer(
        tx,
        SYSTEM,
        { externalId: `S-${i}`, kind: 'person', name: '王芳', phone: null, email: null, realName: null, idNumber: null, notes: '' },
        { at: Date.now() },
      ),
    );

  it('sees one committed state: a write committed meanwhile is not half seen, and the next read sees it', async () => {
    const seen = await inReadSnapshot(t.anyBooks, async (q) => {
      const before = await count(q);
      await register(1); // commits on the writer's connection while the read is under way
      return [before, await count(q)];
    });
    expect(seen).toEqual([0, 0]);
    expect(await inReadSnapshot(t.anyBooks, count)).toBe(1);
  });

  it('a bare statement on the reader, outside a snapshot, sees the commit (what the snapshot guards against)', async () => {
    const before = await count(t.anyBooks.reader);
    await register(2);
    expect([before, await count(t.anyBooks.reader)]).toEqual([0, 1]);
  });

  // The file's one read-only connection is shared by turns; on PostgreSQL each read takes a connection of its own.
  it.skipIf(ON_POSTGRES)(
    'takes turns: a second read starts after the first has ended, and a failing read ends its transaction',
    async () => {
      const order: string[] = [];
      const first = inReadSnapshot(t.books, async (q) => {
        order.push('first starts');
        await count(q);
        await register(3);
        order.push('first ends');
        throw new Error('a read that fails');
      });
      const second = inReadSnapshot(t.books, async (q) => {
        order.push('second starts');
        return count(q);
      });
      await expect(first).rejects.toThrow('a read that fails');
      expect(await second).toBe(1);
      expect(order).toEqual(['first starts', 'first ends', 'second starts']);
    },
  );
});

describe('an export job', () => {
  it('does not hold the window up: while it waits for where to save, reads are answered and see later commits', async () => {
    const customerId = await inWriteTx(t.anyBooks, (tx) =>
      registerCustomer(
        tx,
        SYSTEM,
        { externalId: 'E-1', kind: 'person', name: '赵敏', phone: null, email: null, realName: null, idNumber: null, notes: '' },
        { at: Date.now() },
      ),
    );
    // The export has read the statement and asks where to save it; the answer waits until released.
    let release: (file: string) => void = () => undefined;
    const answered = new Promise<string>((r) => (release = r));
    let asked = false;
    t.dialogs.saveFile = async () => {
      asked = true;
      return answered;
    };
    const exported = t.runJob('clerk', 'customers.statementExport', { customerId, month: '2026-11' });
    for (let i = 0; i < 5000 && !asked; i++) await new Promise((r) => setTimeout(r, 2));
    expect(asked).toBe(true);
    // Meanwhile the window's reads are answered, and see a change committed after the export began.
    await inWriteTx(t.anyBooks, (tx) =>
      registerCustomer(
        tx,
        SYSTEM,
        { externalId: 'E-2', kind: 'person', name: '周芷若', phone: null, email: null, realName: null, idNumber: null, notes: '' },
        { at: Date.now() },
      ),
    );
    expect(await customersSeen()).toBe(2);
    // The statement was read before asking: no snapshot is held while the dialog is open.
    expect(olderSnapshotOpen(t.anyBooks)).toBe(false);
    release(path.join(t.dir, 'statement.xlsx'));
    expect((await exported).path).toBe(path.join(t.dir, 'statement.xlsx'));
  });
});

describe('a check made outside any transaction', () => {
  // A password that a write transaction has set but not committed may be rolled back: a login made
  // meanwhile must be judged on the committed one. The login's password check reads the staff row
  // outside a transaction; on the writer's connection it would see the uncommitted hash.
  it('judges a login on the committed password, not one a transaction still holds', async () => {
    const next = 'battery staple 42';
    const nextHash = await hashPassword(next);
    const rolledBack = new Error('rolled back on purpose');
    let login: Promise<unknown> | undefined;
    await expect(
      inWriteTx(t.anyBooks, async (tx) => {
        await tx.sql("UPDATE staff SET password_hash = ? WHERE username = 'clerk'").run(nextHash);
        login = t.call('desk-2', 'session.login', { username: 'clerk', password: next });
        login.catch(() => undefined); // judged below, once the transaction has ended
        await new Promise((r) => setTimeout(r, 50)); // the login reads the password while the change is open
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    await expect(login).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const session = await t.call('desk-3', 'session.login', { username: 'clerk', password: PASSWORD });
    expect(session?.username).toBe('clerk');
  });
});
