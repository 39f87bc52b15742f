// Issue "Shared books" §1: the write services run on PostgreSQL books and leave them as they leave a
// books file. The same books on both engines (a file, and its copy on PostgreSQL), the same actions with
// the same clock: afterwards the two must tally equal — every table's rows, the trial balance, and the
// audit chain's head, which covers every row's seal, so the seals too are the same bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBooks, type Books } from '../../main/db/books';
import { copyBooksToPostgres, connectPostgres, createPostgresBooks } from '../../main/db/postgres/books';
import { openPostgresBooks, type PostgresBooks } from '../../main/db/postgres/open';
import { readSqliteSchema } from '../../main/db/postgres/sqlite-schema';
import { tallyDifferences, tallyPostgres, tallySqlite } from '../../main/db/postgres/tally';
import { inReadSnapshot, inSavepoint, inWriteTx, txControl, type AnyBooks } from '../../main/db/tx';
import { generateDemoEvents, writeEventsFile } from '../../main/demo';
import { SYSTEM_ACTOR, type Actor } from '../../main/services/actor';
import { auditContentOf, recordAudit, type AuditDbRow } from '../../main/services/audit';
import { GENESIS_HASH, auditHash } from '../../main/domain/audit-chain';
import { commitEventImport } from '../../main/services/event-import';
import { createAccount, createTransfers, type TransferInput } from '../../main/services/ledger-post';
import { listRevenueRuns, runRevenue } from '../../main/services/revenue';
import { createFirstAdmin, createStaff } from '../../main/services/staff';
import { numberCounterRequest } from '../../main/services/counter-numbers';
import { verifyBooks } from '../../main/services/verify';
import { runAndKill } from '../support/crash-run';
import { freshSchema, postgresReachable, POSTGRES_REQUIRED, type TestSchema } from '../support/postgres';
import { demoBooksOnBoth, type DemoOnBoth } from '../support/postgres-demo';

const reachable = await postgresReachable();
const NOW = Date.parse('2026-11-25T10:00:00+08:00');
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hiZW5jaA$YmVuY2hiZW5jaGJlbmNoYmVuY2hiZW5jaGJlbmNoYmVuYw';

/** The tables whose rows differ between a books file and its copy on PostgreSQL, each with how. */
async function tallyBetween(file: Books, url: string): Promise<string[]> {
  const schema = readSqliteSchema(file.raw);
  const client = await connectPostgres(url);
  try {
    return tallyDifferences(tallySqlite(file.raw, schema), await tallyPostgres(client, schema));
  } finally {
    await client.end();
  }
}

describe.skipIf(!reachable && !POSTGRES_REQUIRED)('write services on PostgreSQL books', () => {
  let dir: string;
  let file: Books;
  let target: TestSchema;
  let shared: PostgresBooks;
  let clerk: Actor;

  /** The same action on both engines. */
  const onBoth = async <T>(work: (books: AnyBooks) => Promise<T>): Promise<[T, T]> => [await work(file), await work(shared)];
  const expectSameBooks = async () => expect(await tallyBetween(file, target.url)).toEqual([]);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-pg-writes-'));
    file = await openBooks(path.join(dir, 'books.sqlite'), { create: true });
    const admin = await inWriteTx(file, (tx) => createFirstAdmin(tx, { username: 'admin', displayName: 'admin', passwordHash: HASH }, NOW));
    target = await freshSchema();
    await copyBooksToPostgres(file.raw, target.url);
    shared = await openPostgresBooks(target.url);
    const [c] = await onBoth((books) =>
      inWriteTx(books, (tx) =>
        createStaff(
          tx,
          { staffId: admin.id, name: 'admin', role: 'admin' },
          { username: 'clerk', displayName: 'clerk', role: 'clerk', passwordHash: HASH },
          NOW,
        ),
      ),
    );
    clerk = { staffId: c.id, name: c.username, role: c.role };
  }, 120_000);

  afterAll(async () => {
    await shared?.close();
    await file?.close();
    await target?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records an action with the same audit entry and seals on both engines', async () => {
    await expectSameBooks();
    const [a, b] = await onBoth(
      async (books) => (await books.sql('SELECT id, hash, rows_digest AS digest FROM audit ORDER BY id DESC LIMIT 1').get()) as object,
    );
    expect(b).toEqual(a);
  });

  it('keeps one chain when an item rolled back to its savepoint had appended an entry, and the action appends after it', async () => {
    await onBoth((books) =>
      inWriteTx(books, async (tx) => {
        await recordAudit(tx, clerk, { action: 'test.before', entity: 'item', at: NOW });
        await inSavepoint(tx, async () => {
          await recordAudit(tx, clerk, { action: 'test.refused', entity: 'item', at: NOW });
          throw new Error('refused after its entry');
        }).catch(() => {});
        await recordAudit(tx, clerk, { action: 'test.after', entity: 'item', at: NOW });
      }),
    );
    const chain = (await shared.sql('SELECT id, action, prev_hash AS prev, hash FROM audit ORDER BY id DESC LIMIT 3').all()) as {
      id: number;
      action: string;
      prev: string;
      hash: string;
    }[];
    expect(chain.map((e) => e.action)).toEqual(['test.after', 'test.before', chain[2]!.action]);
    expect(chain[0]!.id).toBe(chain[1]!.id + 1);
    expect(chain[0]!.prev).toBe(chain[1]!.hash);
    await expectSameBooks();
  });

  it('imports a platform event file alike: every event applied or refused alike, one refused event writing nothing', async () => {
    const { events } = generateDemoEvents({ customers: 25, seed: 7, start: NOW - 20 * 86_400_000, end: NOW - 3_600_000 });
    const events_file = path.join(dir, 'events.jsonl');
    writeEventsFile(events_file, events);
    const [onFile, onPostgres] = await onBoth((books) => inWriteTx(books, (tx) => commitEventImport(tx, clerk, events_file, { now: NOW })));
    expect(onFile.refused).toBeGreaterThan(0); // the generator's mix includes refusals
    expect(onPostgres).toEqual(onFile);
    await expectSameBooks();
  }, 120_000);

  it('posts transfers, replays, a pending and its posting, a reversal, a linked chain and a failed chain alike', async () => {
    const post = (books: AnyBooks, inputs: (a: number, b: number) => TransferInput[]) =>
      inWriteTx(books, async (tx) => {
        const [a, b] = (
          (await tx.sql("SELECT id FROM accounts WHERE code IN ('test_a', 'test_b') ORDER BY code").all()) as { id: number }[]
        ).map((r) => r.id) as [number, number];
        const posted = await createTransfers(tx, inputs(a, b), { staffId: clerk.staffId, now: NOW });
        // recorded as the services record a posting (a write recording nothing is sealed at Date.now())
        await recordAudit(tx, clerk, { action: 'ledger.post', entity: 'transfer', count: posted.length, at: NOW });
        return posted;
      });
    await onBoth((books) =>
      inWriteTx(books, async (tx) => {
        await createAccount(tx, { ledger: 2, code: 'test_a', name: 'A' }, NOW);
        await createAccount(tx, { ledger: 2, code: 'test_b', name: 'B' }, NOW);
        await recordAudit(tx, clerk, { action: 'ledger.accounts', entity: 'account', at: NOW });
      }),
    );
    const [first, firstPg] = await onBoth((books) =>
      post(books, (a, b) => [
        { key: 'w-1', ledger: 2, debitAccountId: a, creditAccountId: b, amount: 500, code: 'test' },
        { key: 'w-2', ledger: 2, debitAccountId: b, creditAccountId: a, amount: 200, code: 'test', linked: true },
        { key: 'w-3', ledger: 2, debitAccountId: a, creditAccountId: b, amount: 50, code: 'test' },
        { key: 'w-1', ledger: 2, debitAccountId: a, creditAccountId: b, amount: 500, code: 'test' }, // replayed in its own batch
        { key: 'p-1', kind: 'pending', ledger: 2, debitAccountId: a, creditAccountId: b, amount: 70, code: 'test' },
      ]),
    );
    expect(first.map((r) => r.result)).toEqual(['ok', 'ok', 'ok', 'exists', 'ok']);
    expect(firstPg).toEqual(first);
    const [pendingId, w3] = [first[4]!.id!, first[2]!.id!];
    const [second, secondPg] = await onBoth((books) =>
      post(books, (a, b) => [
        { key: 'p-1-post', kind: 'post', pendingId, amount: 60, code: 'test' },
        { key: 'w-3-back', ledger: 2, debitAccountId: b, creditAccountId: a, amount: 50, reversesId: w3, code: 'test' },
        { key: 'w-1', ledger: 2, debitAccountId: a, creditAccountId: b, amount: 501, code: 'test' }, // same key, other amount
      ]),
    );
    expect(second.map((r) => r.result)).toEqual(['ok', 'ok', 'exists_with_different_amount']);
    expect(secondPg).toEqual(second);
    await expectSameBooks();
    const [third, thirdPg] = await onBoth((books) =>
      post(books, (a, b) => [
        { key: 'w-4', ledger: 2, debitAccountId: b, creditAccountId: a, amount: 1, code: 'test', linked: true },
        { key: 'w-5', ledger: 2, debitAccountId: a, creditAccountId: a, amount: 1, code: 'test' },
      ]),
    );
    // w-4 and w-5 are one chain: w-5 is refused for itself, and takes w-4 with it
    expect(third.map((r) => r.result)).toEqual(['linked_event_failed', 'accounts_must_be_different']);
    expect(thirdPg).toEqual(third);
    await expectSameBooks();
  });

  // Last: after a rollback the engines' row ids part (a PostgreSQL sequence does not give back what a
  // rolled-back insert took; SQLite's next rowid is the largest plus one), so the books no longer tally.
  it('draws a gapless counter number, and a rolled-back one is drawn again', async () => {
    const draw = (books: AnyBooks, id: string) => inWriteTx(books, (tx) => numberCounterRequest(tx, 'transfer', id, NOW));
    const [first] = await onBoth((books) => draw(books, 'counter:ui-1'));
    await onBoth(async (books) =>
      expect(
        inWriteTx(books, async (tx) => {
          await numberCounterRequest(tx, 'transfer', 'counter:ui-2', NOW);
          throw new Error('undone');
        }),
      ).rejects.toThrow('undone'),
    );
    const [again, againPg] = await onBoth((books) => draw(books, 'counter:ui-3'));
    expect(first).toBe('GT2026-000001');
    expect([again, againPg]).toEqual(['GT2026-000002', 'GT2026-000002']);
    const series = await shared.sql("SELECT seq FROM counter_numbers WHERE kind = 'transfer' ORDER BY seq").all();
    expect(series).toEqual([{ seq: 1 }, { seq: 2 }]);
  });

  it('keeps every balance and one audit chain when eight transactions post on the same accounts at once', async () => {
    const accounts = await inWriteTx(shared, async (tx) => {
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push(await createAccount(tx, { ledger: 2, code: `busy_${i}`, name: `busy ${i}` }, NOW));
      return ids;
    });
    const writers = Array.from({ length: 8 }, (_, w) =>
      inWriteTx(shared, async (tx) => {
        const inputs = Array.from({ length: 25 }, (_, i) => {
          // each writer walks the accounts in its own order, so their batches cross
          const from = accounts[(w + i) % 4]!;
          const to = accounts[(w + i * 3 + 1) % 4]!;
          return {
            key: `busy-${w}-${i}`,
            ledger: 2,
            debitAccountId: from,
            creditAccountId: to === from ? accounts[(w + 2) % 4]! : to,
            amount: 1 + i,
            code: 'test',
          };
        });
        const posted = await createTransfers(tx, inputs, { staffId: clerk.staffId, now: NOW });
        await recordAudit(tx, clerk, { action: 'ledger.post', entity: 'transfer', count: posted.length, at: NOW });
        return posted;
      }),
    );
    const results = (await Promise.all(writers)).flat();
    expect(results.every((r) => r.result === 'ok')).toBe(true);

    const off = await shared
      .sql(
        `SELECT a.id FROM accounts a WHERE a.id IN (${accounts.join(', ')}) AND (
           a.debits_posted <> (SELECT coalesce(sum(amount), 0) FROM transfers t WHERE t.debit_account_id = a.id) OR
           a.credits_posted <> (SELECT coalesce(sum(amount), 0) FROM transfers t WHERE t.credit_account_id = a.id))`,
      )
      .all();
    expect(off).toEqual([]); // no lost update
    const chain = (await shared.sql('SELECT * FROM audit ORDER BY id').all()) as AuditDbRow[];
    let prev = GENESIS_HASH;
    chain.forEach((row, i) => {
      expect(row.id).toBe(i + 1); // numbered without a gap
      expect(row.prev_hash).toBe(prev); // one chain, not two heads
      expect(row.hash).toBe(auditHash(prev, auditContentOf(row)));
      prev = row.hash;
    });
    expect(chain.filter((r) => r.action === 'ledger.post').length).toBeGreaterThanOrEqual(8);
  }, 120_000);
});

describe.skipIf(!reachable && !POSTGRES_REQUIRED)('a writer killed on PostgreSQL books', () => {
  it('leaves whole batches only, each with its audit entry and seals, balances equal to their transfers', async () => {
    const N = 300;
    const target = await freshSchema();
    try {
      await createPostgresBooks(target.url);
      const books = await openPostgresBooks(target.url);
      let range: string;
      try {
        range = await inWriteTx(books, async (tx) => {
          const ids: number[] = [];
          for (let i = 0; i < 20; i++)
            ids.push(
              await createAccount(tx, { ledger: 2, code: 'wallet_recharge', name: `w${i}`, ownerKind: 'account', ownerId: i + 1 }, NOW),
            );
          return `${ids[0]}-${ids.at(-1)}`;
        });
      } finally {
        await books.close();
      }
      for (const [round, delay] of [0, 5, 17].entries()) await runAndKill(target.url, N, `r${round}`, range, 1 + round, delay);

      const q = target.client;
      const one = async (sql: string) => Number((await q.query<{ n: string }>(sql)).rows[0]!.n);
      const transfers = await one("SELECT count(*) AS n FROM transfers WHERE code = 'crash'");
      expect(transfers).toBeGreaterThanOrEqual(6 * N);
      expect(transfers % N).toBe(0); // no half batch
      expect(await one("SELECT count(*) AS n FROM audit WHERE action = 'crash.batch'")).toBe(transfers / N);
      expect(await one('SELECT count(*) AS n FROM coffer_sealing')).toBe(0); // what the killed one noted went with it
      expect(
        await one('SELECT count(*) AS n FROM transfers t WHERE NOT EXISTS (SELECT 1 FROM seals s WHERE s.tbl = 3 AND s.row_id = t.id)'),
      ).toBe(0);
      expect(
        await one(`SELECT count(*) AS n FROM accounts a WHERE a.ledger = 2 AND (
          a.debits_posted <> (SELECT coalesce(sum(amount), 0) FROM transfers WHERE debit_account_id = a.id) OR
          a.credits_posted <> (SELECT coalesce(sum(amount), 0) FROM transfers WHERE credit_account_id = a.id))`),
      ).toBe(0);
      const chain = (await q.query<{ id: string; prev_hash: string; hash: string }>('SELECT id, prev_hash, hash FROM audit ORDER BY id'))
        .rows;
      chain.forEach((row, i) => {
        expect(Number(row.id)).toBe(i + 1);
        if (i > 0) expect(row.prev_hash).toBe(chain[i - 1]!.hash);
      });
    } finally {
      await target.drop();
    }
  }, 180_000);
});

// The revenue run replays every coin transfer (services/revenue-replay.ts) before it writes its voucher and
// customer lines: on demo books, whose November has coins spent and expired, both engines post the same.
describe.skipIf(!reachable && !POSTGRES_REQUIRED)('the revenue run on PostgreSQL books', () => {
  let both: DemoOnBoth;
  const admin: Actor = { staffId: 1, name: 'admin', role: 'admin' };
  const MONTH_END = Date.parse('2026-12-01T10:00:00+08:00');

  beforeAll(async () => {
    both = await demoBooksOnBoth(Date.UTC(2026, 10, 20));
  }, 120_000);
  afterAll(async () => await both?.close());

  it('posts each month’s run, voucher and customer lines alike', async () => {
    const run = (books: AnyBooks, month: string) => inWriteTx(books, (tx) => runRevenue(tx, admin, month, MONTH_END));
    const { file, target, shared } = both;
    for (const month of ['2026-10', '2026-11']) {
      const onFile = await run(file, month);
      expect(await run(shared, month)).toEqual(onFile);
      // every table to its ids: account_months too, whose rows an upsert on PostgreSQL once numbered apart
      expect(await tallyBetween(file, target.url)).toEqual([]);
    }
    const november = (await listRevenueRuns(file, '2026-11'))[0]!;
    expect(BigInt(november.revenue)).toBeGreaterThan(0n); // coins were used: the replay released value
    expect(november.voucher).not.toBeNull();
  }, 120_000);
});

describe.skipIf(!reachable && !POSTGRES_REQUIRED)('sealing before COMMIT on PostgreSQL books', () => {
  let target: TestSchema;
  let shared: PostgresBooks;
  beforeAll(async () => {
    target = await freshSchema();
    await createPostgresBooks(target.url);
    shared = await openPostgresBooks(target.url);
  }, 120_000);
  afterAll(async () => {
    await shared?.close();
    await target?.drop();
  });

  const noNotesAndClean = async () => {
    expect((await target.client.query<{ n: number }>('SELECT count(*)::int AS n FROM coffer_sealing')).rows[0]!.n).toBe(0);
    expect((await inReadSnapshot(shared, (q) => verifyBooks(q))).findings).toEqual([]);
  };
  const lastEntry = () => shared.sql('SELECT action, after_json AS after FROM audit ORDER BY id DESC LIMIT 1').get();
  const sealedOne = { action: 'books.seal', after: JSON.stringify({ reason: 'written after the action was recorded', rows: 1 }) };

  it('seals a row written after the last entry though a read came last', async () => {
    await inWriteTx(shared, async (tx) => {
      await createAccount(tx, { ledger: 1, code: 'late-1', name: 'late 1' }, NOW);
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'test.account', entity: 'account', at: NOW });
      await createAccount(tx, { ledger: 1, code: 'late-2', name: 'late 2' }, NOW); // after the entry
      await tx.sql('SELECT count(*) AS n FROM accounts').get();
    });
    expect(await lastEntry()).toEqual(sealedOne);
    await noNotesAndClean();
  });

  it('seals the rows a rollback to a savepoint gave back to the notes after an entry inside it had taken them', async () => {
    await inWriteTx(shared, async (tx) => {
      await createAccount(tx, { ledger: 1, code: 'late-3', name: 'late 3' }, NOW);
      await txControl(tx, 'SAVEPOINT entry');
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'test.account', entity: 'account', at: NOW });
      await txControl(tx, 'ROLLBACK TO entry');
      await txControl(tx, 'RELEASE entry');
    });
    expect(await lastEntry()).toEqual(sealedOne);
    await noNotesAndClean();
  });
});
