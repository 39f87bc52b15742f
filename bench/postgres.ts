// node --import tsx bench/postgres.ts: posting on PostgreSQL (issue 15 §1 and §4), measured on the books'
// own schema (createPostgresBooks: every index, key, check and refusing trigger of `transfers` and
// `accounts`), so that the choice between the two ways of keeping concurrent balance changes whole is
// made on figures:
//   - lock order: each batch locks its accounts with SELECT … FOR UPDATE in id order (no deadlock
//     possible), then writes its transfers (one multi-row INSERT … SELECT FROM unnest) and the new
//     balances (one UPDATE … FROM unnest), under READ COMMITTED;
//   - serializable: the same batch without row locks under SERIALIZABLE, retried whole on a
//     serialization failure (40001) or deadlock (40P01).
//   - Coffer: the services' own posting (createTransfers in inWriteTx on openPostgresBooks: accounts locked
//     in id order, one statement per transfer, the rows noted and sealed under an audit entry appended
//     under the chain's lock) — what the application does, beside the two prototypes above.
// Each runs with one client and with BENCH_PG_CLIENTS (8) clients at once on a shared pool of
// BENCH_PG_ACCOUNTS (1,000) coin accounts, BENCH_PG_TRANSFERS (50,000) transfers in batches of
// BENCH_PG_BATCH (1,000; 100 with many clients, so that they collide). The baseline in the same run:
// the same rows inserted into an unindexed copy of `transfers` (the floor of any posting). After each
// run every account's balances are compared with the sums of its transfers: a lost update shows.
// Needs PostgreSQL at COFFER_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test); works in
// a schema of its own and drops it. `--write-docs` rewrites the postgres section of docs/PERFORMANCE.md.
import os from 'node:os';
import pg from 'pg';
import { createPostgresBooks } from '../main/db/postgres/books';
import { openPostgresBooks } from '../main/db/postgres/open';
import { inWriteTx } from '../main/db/tx';
import { createTransfers } from '../main/services/ledger-post';
import { LEDGER } from '../main/domain/ledgers';
import { envInt, fmtInt, machine, markdownTable, prng, rate, seconds, writeDocSection } from './lib';
import { log, WRITE_DOCS } from './harness';
import { benchSchema, connect } from './postgres-schema';

const TRANSFERS = envInt('BENCH_PG_TRANSFERS', 50_000);
const ACCOUNTS = envInt('BENCH_PG_ACCOUNTS', 1000);
const BATCH = envInt('BENCH_PG_BATCH', 1000);
const CLIENTS = envInt('BENCH_PG_CLIENTS', 8);
const TARGET_PER_SECOND = 20_000;

type Strategy = 'lock order' | 'serializable';
interface Transfer {
  key: string;
  debit: number;
  credit: number;
  amount: number;
}

/** `count` transfers between random accounts of the pool, keys prefixed so runs never collide. */
function transfers(prefix: string, count: number, accountIds: readonly number[], seed: number): Transfer[] {
  const pick = prng(seed);
  const out: Transfer[] = [];
  for (let i = 0; i < count; i++) {
    const debit = accountIds[pick(accountIds.length)]!;
    let credit = accountIds[pick(accountIds.length)]!;
    if (credit === debit) credit = accountIds[(accountIds.indexOf(debit) + 1) % accountIds.length]!;
    out.push({ key: `${prefix}-${i}`, debit, credit, amount: 1 + pick(10_000) });
  }
  return out;
}

const INSERT_TRANSFERS = `INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, code, memo, ts, business_date)
  SELECT k, ${LEDGER.RECHARGE_COIN}, d, c, a, 'single', 'bench', '', $5, '2026-11-20'
  FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS t(k, d, c, a)`;

/** One batch: balances read (locked in id order, or not), transfers and new balances written. */
async function postBatch(client: pg.Client, batch: readonly Transfer[], strategy: Strategy): Promise<void> {
  const ids = [...new Set(batch.flatMap((t) => [t.debit, t.credit]))].sort((a, b) => a - b);
  const read = await client.query<{ id: string; d: string; c: string }>(
    `SELECT id, debits_posted AS d, credits_posted AS c FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id${strategy === 'lock order' ? ' FOR UPDATE' : ''}`,
    [ids],
  );
  const balances = new Map(read.rows.map((r) => [Number(r.id), { d: BigInt(r.d), c: BigInt(r.c) }]));
  for (const t of batch) {
    balances.get(t.debit)!.d += BigInt(t.amount);
    balances.get(t.credit)!.c += BigInt(t.amount);
  }
  await client.query(INSERT_TRANSFERS, [
    batch.map((t) => t.key),
    batch.map((t) => t.debit),
    batch.map((t) => t.credit),
    batch.map((t) => t.amount),
    Date.now(),
  ]);
  const changed = [...balances];
  await client.query(
    `UPDATE accounts a SET debits_posted = v.d, credits_posted = v.c
     FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(id, d, c) WHERE a.id = v.id`,
    [changed.map(([id]) => id), changed.map(([, b]) => b.d.toString()), changed.map(([, b]) => b.c.toString())],
  );
}

const RETRY = new Set(['40001', '40P01']);

/** Posts every batch in its own transaction; returns how many transactions were retried. */
async function postAll(client: pg.Client, all: readonly Transfer[], batch: number, strategy: Strategy): Promise<number> {
  let retries = 0;
  for (let i = 0; i < all.length; i += batch) {
    const slice = all.slice(i, i + batch);
    for (;;) {
      await client.query(strategy === 'serializable' ? 'BEGIN ISOLATION LEVEL SERIALIZABLE' : 'BEGIN');
      try {
        await postBatch(client, slice, strategy);
        await client.query('COMMIT');
        break;
      } catch (e) {
        await client.query('ROLLBACK');
        if (!RETRY.has((e as { code?: string }).code ?? '')) throw e;
        retries++;
      }
    }
  }
  return retries;
}

/** Accounts whose kept balances differ from the sums of their transfers (a lost update). */
async function lostUpdates(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>(`
    SELECT count(*) AS n FROM accounts a
    LEFT JOIN (SELECT debit_account_id AS id, sum(amount) AS s FROM transfers GROUP BY 1) d ON d.id = a.id
    LEFT JOIN (SELECT credit_account_id AS id, sum(amount) AS s FROM transfers GROUP BY 1) c ON c.id = a.id
    WHERE a.owner_kind = 'bench' AND (a.debits_posted <> coalesce(d.s, 0) OR a.credits_posted <> coalesce(c.s, 0))`);
  return Number(r.rows[0]?.n ?? 0);
}

interface Run {
  name: string;
  ms: number;
  transfers: number;
  retries: number;
  lost: number;
}

async function timed(name: string, work: () => Promise<number>, count: number, check: pg.Client): Promise<Run> {
  const t0 = performance.now();
  const retries = await work();
  const ms = performance.now() - t0;
  const lost = await lostUpdates(check);
  log(`  ${name}: ${seconds(ms)} (${fmtInt(rate(count, ms))} /s), ${retries} retried, ${lost} accounts off their transfers`);
  return { name, ms, transfers: count, retries, lost };
}

async function main(): Promise<void> {
  log(`Coffer PostgreSQL posting benchmark — ${new Date().toISOString()}\nmachine: ${machine()}`);
  log(`transfers ${fmtInt(TRANSFERS)} per run, ${fmtInt(ACCOUNTS)} accounts, batches of ${BATCH}, ${CLIENTS} clients\n`);
  const { url, drop } = await benchSchema();
  const clients: pg.Client[] = [];
  try {
    await createPostgresBooks(url);
    const first = await connect(url);
    clients.push(first);
    const made = await first.query<{ id: string }>(
      `INSERT INTO accounts (ledger, code, name, owner_kind, owner_id, created_at)
       SELECT ${LEDGER.RECHARGE_COIN}, 'bench-' || g, 'bench ' || g, 'bench', g, 0 FROM generate_series(1, $1::int) AS g RETURNING id`,
      [ACCOUNTS],
    );
    const ids = made.rows.map((r) => Number(r.id));
    for (let i = 1; i < CLIENTS; i++) clients.push(await connect(url));
    const version = (await first.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?';
    log(`PostgreSQL ${version}`);

    // the floor: the same rows into a copy of transfers without its indexes, keys, checks or triggers
    await first.query('CREATE TEMP TABLE floor_transfers AS SELECT * FROM transfers WITH NO DATA');
    const floorRows = transfers('floor', TRANSFERS, ids, 1);
    const floorT0 = performance.now();
    for (let i = 0; i < floorRows.length; i += BATCH) {
      const b = floorRows.slice(i, i + BATCH);
      await first.query(INSERT_TRANSFERS.replace('INSERT INTO transfers', 'INSERT INTO floor_transfers'), [
        b.map((t) => t.key),
        b.map((t) => t.debit),
        b.map((t) => t.credit),
        b.map((t) => t.amount),
        Date.now(),
      ]);
    }
    const floorMs = performance.now() - floorT0;
    log(`  floor (unindexed copy of transfers, one client): ${seconds(floorMs)} (${fmtInt(rate(TRANSFERS, floorMs))} /s)`);

    const runs: Run[] = [];
    let seed = 2;
    for (const strategy of ['lock order', 'serializable'] as const) {
      const one = transfers(`${strategy}-1`, TRANSFERS, ids, seed++);
      runs.push(await timed(`${strategy}, 1 client, batches of ${BATCH}`, () => postAll(first, one, BATCH, strategy), TRANSFERS, first));
      const per = Math.ceil(TRANSFERS / CLIENTS);
      const many = clients.map((_, i) => transfers(`${strategy}-${CLIENTS}-${i}`, per, ids, seed++));
      const small = Math.max(1, Math.floor(BATCH / 10));
      runs.push(
        await timed(
          `${strategy}, ${CLIENTS} clients at once, batches of ${small}`,
          async () => (await Promise.all(clients.map((c, i) => postAll(c, many[i]!, small, strategy)))).reduce((a, b) => a + b, 0),
          per * CLIENTS,
          first,
        ),
      );
    }

    // The application's own posting, through the services, on the same books.
    const books = await openPostgresBooks(url, { maxConnections: CLIENTS + 1 });
    try {
      const post = async (rows: readonly Transfer[], batch: number) => {
        for (let i = 0; i < rows.length; i += batch) {
          const inputs = rows.slice(i, i + batch).map((t) => ({
            key: t.key,
            ledger: LEDGER.RECHARGE_COIN,
            debitAccountId: t.debit,
            creditAccountId: t.credit,
            amount: t.amount,
            code: 'bench',
          }));
          await inWriteTx(books, (tx) => createTransfers(tx, inputs, { date: '2026-11-20' }));
        }
        return 0;
      };
      const one = transfers('coffer-1', TRANSFERS, ids, seed++);
      runs.push(await timed(`Coffer (createTransfers), 1 client, batches of ${BATCH}`, () => post(one, BATCH), TRANSFERS, first));
      const per = Math.ceil(TRANSFERS / CLIENTS);
      const small = Math.max(1, Math.floor(BATCH / 10));
      const many = clients.map((_, i) => transfers(`coffer-${CLIENTS}-${i}`, per, ids, seed++));
      runs.push(
        await timed(
          `Coffer (createTransfers), ${CLIENTS} clients at once, batches of ${small}`,
          async () => (await Promise.all(many.map((rows) => post(rows, small)))).reduce((a, b) => a + b, 0),
          per * CLIENTS,
          first,
        ),
      );
    } finally {
      await books.close();
    }

    const floorRate = rate(TRANSFERS, floorMs);
    const table = markdownTable(
      ['measure', 'figure', 'baseline (same run)', 'ratio', 'retried', 'lost updates', 'target', ''],
      runs.map((r) => {
        const perSecond = rate(r.transfers, r.ms);
        return [
          `${r.name}, ${fmtInt(r.transfers)} transfers`,
          `${seconds(r.ms)} (${fmtInt(perSecond)} /s)`,
          `unindexed insert ${fmtInt(floorRate)} /s`,
          (perSecond / floorRate).toFixed(2),
          String(r.retries),
          String(r.lost),
          `≥ ${fmtInt(TARGET_PER_SECOND)} /s`,
          perSecond >= TARGET_PER_SECOND && r.lost === 0 ? 'met' : 'MISSED',
        ];
      }),
    );
    const load = os.loadavg()[0]!.toFixed(1);
    const section = `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}, PostgreSQL ${version} (local, default settings), load average ${load} at the end.\n\n${table}`;
    log('\n' + section);
    if (WRITE_DOCS && TRANSFERS === 50_000) log(writeDocSection('postgres', section));
  } finally {
    for (const c of clients) await c.end();
    await drop();
  }
}

await main();
