// node --import tsx bench/run.ts (`npm run bench -- ledger`): ledger posting throughput through the service API beside raw better-sqlite3 inserts of
// the same rows (same pragmas, same batches, same run), the latency of one approval-sized transaction,
// transfer page queries and verify at the full size. Every figure is printed with its baseline or
// target and the ratio.
//   BENCH_TRANSFERS (default 1,000,000), BENCH_ACCOUNTS (10,000), BENCH_BATCH (8,000),
//   BENCH_LATENCY_RUNS (2,000). `--write-docs` also rewrites the results section of
//   docs/PERFORMANCE.md (only for a default-sized run). BENCH_KEEP=1 keeps bench/.data/*.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Dispatcher } from '../main/api/dispatcher';
import { openBooks, type Books } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { recordAudit } from '../main/services/audit';
import { createAccount, createTransfers, expectPosted, type TransferInput } from '../main/services/ledger-post';
import type { JobEvent } from '../main/api/jobs';
import type { VerifyReport } from '../main/services/verify';
import { BENCH_DIR, envInt, fmtInt, freshFile, machine, markdownTable, ms, plan, rate, removeFile, seconds, stats, type Plan } from './lib';
import { KEEP, log, now, type Row, verdict, WRITE_DOCS } from './harness';

const TRANSFERS = envInt('BENCH_TRANSFERS', 1_000_000);
const ACCOUNTS = envInt('BENCH_ACCOUNTS', 10_000);
const BATCH = envInt('BENCH_BATCH', 8_000);
const LATENCY_RUNS = envInt('BENCH_LATENCY_RUNS', 2_000);
/** Experiment: PRAGMA cache_size (KiB) on every connection, books included. Unset = as shipped. */
const CACHE_KIB = process.env.BENCH_CACHE_KIB ? envInt('BENCH_CACHE_KIB', 2000) : null;
/** Experiment: PRAGMA wal_autocheckpoint (pages) on every connection. Unset = as shipped (1,000). */
const WAL_CHECKPOINT = process.env.BENCH_WAL_AUTOCHECKPOINT ? envInt('BENCH_WAL_AUTOCHECKPOINT', 1000) : null;
const ACTOR = { staffId: null, name: 'bench', role: 'system' as const };

const results: Row[] = [];

function applyMoneyPragmas(raw: Sqlite.Database): void {
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  if (CACHE_KIB !== null) raw.pragma(`cache_size = -${CACHE_KIB}`);
  if (WAL_CHECKPOINT !== null) raw.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT}`);
}

// ── the raw baselines ──────────────────────────────────────────────────────────────────────
/** Times the plan's rows through `ins` in BATCH-sized transactions, then closes and removes the file. */
function timedInserts(raw: Sqlite.Database, ins: Sqlite.Statement, p: Plan, ts: number, file: string): number {
  const t0 = now();
  for (let start = 0; start < p.count; start += BATCH) {
    const end = Math.min(p.count, start + BATCH);
    raw.exec('BEGIN IMMEDIATE');
    for (let i = start; i < end; i++) ins.run(`t${i}`, p.ledger[i], p.debit[i], p.credit[i], p.amount[i], 'single', 'bench', '', ts);
    raw.exec('COMMIT');
  }
  const elapsed = now() - t0;
  raw.close();
  removeFile(file);
  return elapsed;
}

/** The same rows into a plain table (rowid only, no other index), prepared single-row inserts, same batches. */
function rawPlain(p: Plan, ts: number): number {
  const file = freshFile('raw-plain.sqlite');
  const raw = new Sqlite(file);
  applyMoneyPragmas(raw);
  raw.exec(`CREATE TABLE plain (id INTEGER PRIMARY KEY, key TEXT NOT NULL, ledger INTEGER NOT NULL, debit_account_id INTEGER NOT NULL,
    credit_account_id INTEGER NOT NULL, amount INTEGER NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, memo TEXT NOT NULL, ts INTEGER NOT NULL) STRICT`);
  const ins = raw.prepare(
    'INSERT INTO plain (key, ledger, debit_account_id, credit_account_id, amount, kind, code, memo, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return timedInserts(raw, ins, p, ts, file);
}

/**
 * The same rows into Coffer's own transfers table (its UNIQUE key and four indexes, copied from a books
 * file), raw prepared inserts without the ledger logic: shows what the indexes cost by themselves.
 */
function rawIndexed(p: Plan, ts: number, ddl: string[]): number {
  const file = freshFile('raw-indexed.sqlite');
  const raw = new Sqlite(file);
  applyMoneyPragmas(raw);
  // Parent tables for the foreign keys (checked as in the books: better-sqlite3 turns them on).
  raw.exec('CREATE TABLE ledgers (id INTEGER PRIMARY KEY) STRICT; INSERT INTO ledgers VALUES (1), (2), (3)');
  raw.exec(
    'CREATE TABLE accounts (id INTEGER PRIMARY KEY) STRICT; CREATE TABLE vouchers (id INTEGER PRIMARY KEY) STRICT; INSERT INTO vouchers VALUES (1)',
  );
  raw.exec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ACCOUNTS + 100}) INSERT INTO accounts (id) SELECT i FROM n`,
  );
  for (const sql of ddl) raw.exec(sql);
  const ins = raw.prepare(
    "INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, chain_id, code, memo, ts, staff_id, business_date, voucher_id) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, NULL, '2026-11-25', 1)",
  );
  return timedInserts(raw, ins, p, ts, file);
}

// ── the service ────────────────────────────────────────────────────────────────────────────
async function makeAccounts(books: Books): Promise<number[][]> {
  return inWriteTx(books, async (tx) => {
    const byLedger: number[][] = [[], [], []];
    for (let i = 0; i < ACCOUNTS; i++) {
      const ledger = (i % 3) + 1;
      const id = await createAccount(tx, {
        ledger,
        code: ledger === 1 ? 'customer_cny' : ledger === 2 ? 'wallet_recharge' : 'wallet_earnings',
        name: `bench ${i}`,
        ownerKind: 'account',
        ownerId: i + 1,
      });
      byLedger[ledger - 1]!.push(id);
    }
    await recordAudit(tx, ACTOR, { action: 'bench.accounts', entity: 'accounts', count: ACCOUNTS });
    return byLedger;
  });
}

async function servicePost(books: Books, p: Plan, ts: number): Promise<number> {
  const t0 = now();
  for (let start = 0, b = 0; start < p.count; start += BATCH, b++) {
    const end = Math.min(p.count, start + BATCH);
    const batch: TransferInput[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      batch[i - start] = {
        key: `t${i}`,
        ledger: p.ledger[i]!,
        debitAccountId: p.debit[i]!,
        creditAccountId: p.credit[i]!,
        amount: p.amount[i]!,
        code: 'bench',
      };
    }
    await inWriteTx(books, async (tx) => {
      const r = await createTransfers(tx, batch, { now: ts });
      expectPosted(r);
      await recordAudit(tx, ACTOR, { action: 'bench.batch', entity: 'transfers', entityId: b, count: r.length, at: ts });
    });
  }
  return now() - t0;
}

/** One approval-sized transaction: a linked pair (CNY + coins) and its audit row, its own commit. */
async function approvalLatency(books: Books, accounts: number[][]): Promise<number[]> {
  const samples: number[] = [];
  const [cny, coin] = [accounts[0]!, accounts[1]!];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = now();
    await inWriteTx(books, async (tx) => {
      // one leg a ledger: from the run's account to the one `step` further round that ledger's accounts
      const leg = (ledger: 1 | 2, step: number, amount: number, code: string) => {
        const ring = ledger === 1 ? cny : coin;
        return { ledger, debitAccountId: ring[i % ring.length]!, creditAccountId: ring[(i + step) % ring.length]!, amount, code };
      };
      const r = await createTransfers(tx, [
        { key: `appr-${i}-cny`, ...leg(1, 1, 128800, 'recharge_approved'), linked: true },
        { key: `appr-${i}-coin`, ...leg(2, 7, 12880, 'recharge_credit') },
      ]);
      expectPosted(r);
      await recordAudit(tx, ACTOR, {
        action: 'recharge.approve',
        entity: 'recharge',
        entityId: i,
        after: { transfers: r.map((x) => x.id) },
      });
    });
    samples.push(now() - t0);
  }
  return samples;
}

/** The fsync floor: BEGIN IMMEDIATE, two plain inserts, COMMIT, on the same kind of file. */
function rawCommitLatency(): number[] {
  const file = freshFile('raw-latency.sqlite');
  const raw = new Sqlite(file);
  applyMoneyPragmas(raw);
  raw.exec('CREATE TABLE plain (id INTEGER PRIMARY KEY, key TEXT NOT NULL, amount INTEGER NOT NULL) STRICT');
  const ins = raw.prepare('INSERT INTO plain (key, amount) VALUES (?, ?)');
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = now();
    raw.exec('BEGIN IMMEDIATE');
    ins.run(`a${i}`, 128800);
    ins.run(`b${i}`, 12880);
    raw.exec('COMMIT');
    samples.push(now() - t0);
  }
  raw.close();
  removeFile(file);
  return samples;
}

async function timeMany(runs: number, f: () => Promise<unknown>): Promise<ReturnType<typeof stats>> {
  await f(); // warm the statement and the pages
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    await f();
    samples.push(now() - t0);
  }
  return stats(samples);
}

async function main(): Promise<void> {
  log(`Coffer benchmarks — ${new Date().toISOString()}`);
  log(`machine: ${machine()}`);
  log(
    `transfers ${fmtInt(TRANSFERS)}, accounts ${fmtInt(ACCOUNTS)}, batch ${fmtInt(BATCH)}, latency runs ${fmtInt(LATENCY_RUNS)}; WAL + synchronous=FULL everywhere\n`,
  );
  const ts = Date.now();

  const booksFile = freshFile('bench.books.sqlite');
  const books = await openBooks(booksFile, { create: true });
  if (CACHE_KIB !== null) {
    books.raw.pragma(`cache_size = -${CACHE_KIB}`);
    log(`EXPERIMENT: cache_size = ${CACHE_KIB} KiB on every connection (the books ship with SQLite's default, 2,000 KiB)`);
  }
  if (WAL_CHECKPOINT !== null) {
    books.raw.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT}`);
    log(`EXPERIMENT: wal_autocheckpoint = ${WAL_CHECKPOINT} pages on every connection (shipped: 1,000)`);
  }
  const accounts = await makeAccounts(books);
  const p = plan(TRANSFERS, accounts);
  const ddl = (
    books.raw
      .prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'transfers' AND type IN ('table', 'index') AND sql IS NOT NULL")
      .all() as { sql: string }[]
  ).map((r) => r.sql);

  // Raw baselines first (on their own files), then the service.
  log('posting: raw plain-table inserts …');
  const rawMs = rawPlain(p, ts);
  const rawRate = rate(TRANSFERS, rawMs);
  log(`  ${fmtInt(rawRate)} rows/s (${seconds(rawMs)})`);
  log('posting: raw inserts into the transfers table with its indexes …');
  const idxMs = rawIndexed(p, ts, ddl);
  const idxRate = rate(TRANSFERS, idxMs);
  log(`  ${fmtInt(idxRate)} rows/s (${seconds(idxMs)})`);
  log('posting: createTransfers through the service, one inWriteTx + audit row per batch …');
  const svcMs = await servicePost(books, p, ts);
  const svcRate = rate(TRANSFERS, svcMs);
  log(
    `  ${fmtInt(svcRate)} transfers/s (${seconds(svcMs)}); ${(svcRate / rawRate).toFixed(3)} of raw plain, ${(svcRate / idxRate).toFixed(3)} of raw indexed\n`,
  );
  results.push({
    what: `posting ${fmtInt(TRANSFERS)} transfers (createTransfers, batches of ${fmtInt(BATCH)}, audit row per batch)`,
    figure: `${fmtInt(svcRate)} /s`,
    baseline: `raw plain ${fmtInt(rawRate)} /s`,
    ratio: (svcRate / rawRate).toFixed(3),
    target: '≥ 100,000 /s; ≥ 0.2 of raw plain',
    verdict: `${verdict(svcRate >= 100_000)}; ${svcRate / rawRate >= 0.2 ? 'met' : 'MISSED'} vs plain`,
  });
  results.push({
    what: 'same rows, raw inserts into the transfers table with its UNIQUE key + indexes (no ledger logic)',
    figure: `${fmtInt(idxRate)} /s`,
    baseline: `raw plain ${fmtInt(rawRate)} /s`,
    ratio: (idxRate / rawRate).toFixed(3),
    target: '(reference)',
    verdict: '',
  });
  results.push({
    what: "posting against raw inserts into the same table (the ledger logic's own cost)",
    figure: `${fmtInt(svcRate)} /s`,
    baseline: `raw same table ${fmtInt(idxRate)} /s`,
    ratio: (svcRate / idxRate).toFixed(3),
    target: '≥ 0.2 of raw',
    verdict: verdict(svcRate / idxRate >= 0.2),
  });

  log('latency: approval-sized transaction (linked CNY + coin pair + audit row, own commit) …');
  const lat = stats(await approvalLatency(books, accounts));
  const floor = stats(rawCommitLatency());
  log(
    `  median ${ms(lat.median)}, p95 ${ms(lat.p95)}, p99 ${ms(lat.p99)}; raw 2-row commit median ${ms(floor.median)}, p95 ${ms(floor.p95)}\n`,
  );
  results.push({
    what: `approval transaction latency, ${fmtInt(LATENCY_RUNS)} runs (median / p95)`,
    figure: `${ms(lat.median)} / ${ms(lat.p95)}`,
    baseline: `raw 2-row commit ${ms(floor.median)} / ${ms(floor.p95)}`,
    ratio: (lat.median / floor.median).toFixed(2),
    target: '≤ 1 ms median',
    verdict: verdict(lat.median <= 1),
  });

  // Reads at full size, through the API dispatcher (schema, role check, DTOs), as the console calls them.
  const outcomes = new Map<string, JobEvent>();
  const dispatcher = new Dispatcher({
    books,
    ports: { clock: Date.now, dialogs: { saveFile: async () => null, openFile: async () => null } },
    emit: (_client, e) => {
      if (e.type !== 'job.progress') outcomes.set(e.jobId, e);
    },
  });
  const admin = await dispatcher.dispatch('bench', 'setup.createFirstAdmin', {
    username: 'bench',
    displayName: 'Bench',
    password: 'bench-password',
  });
  if (!admin.ok) throw new Error(admin.error.message);
  const total = ((await books.sql('SELECT max(id) AS m FROM transfers').get()) as { m: number }).m;
  const page = async (input: unknown) => {
    const r = await dispatcher.dispatch('bench', 'ledger.transfers', input);
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  };
  log(`reads at ${fmtInt(total)} transfers (ledger.transfers through the dispatcher, 100 rows, 200 runs each) …`);
  const first = await timeMany(200, () => page({ limit: 100 }));
  const deep = await timeMany(200, () => page({ limit: 100, beforeId: Math.floor(total / 2) }));
  const oldest = await timeMany(200, () => page({ limit: 100, beforeId: 200 }));
  const byAccount = await timeMany(200, () => page({ limit: 100, accountId: accounts[1]![17]!, beforeId: Math.floor(total / 2) }));
  const byLedger = await timeMany(200, () => page({ limit: 100, ledger: 3, beforeId: Math.floor(total / 3) }));
  for (const [name, s] of [
    ['first page', first],
    ['deep page (beforeId = middle)', deep],
    ['last page (beforeId = 200)', oldest],
    ['one account, deep', byAccount],
    ['one ledger, deep', byLedger],
  ] as const) {
    log(`  ${name}: median ${ms(s.median)}, p95 ${ms(s.p95)}`);
    results.push({
      what: `ledger.transfers ${name}, 100 rows at ${fmtInt(total)}`,
      figure: `${ms(s.median)} / ${ms(s.p95)}`,
      baseline: name === 'first page' ? '' : `first page ${ms(first.median)}`,
      ratio: name === 'first page' ? '' : (s.median / first.median).toFixed(2),
      target: '≤ 50 ms (a screen page)',
      verdict: verdict(s.p95 <= 50),
    });
  }

  // verify as the console starts it: a job on its worker thread (api/scans.ts), while the window keeps
  // reading — a first page every 20 ms, timed.
  log(`\nbooks.verify at ${fmtInt(total)} transfers, on its worker thread, reading meanwhile …`);
  const v0 = now();
  const started = await dispatcher.dispatch('bench', 'books.verify', {});
  if (!started.ok) throw new Error(started.error.message);
  const { jobId } = started.data as { jobId: string };
  const during: number[] = [];
  while (!outcomes.has(jobId)) {
    const t0 = now();
    await page({ limit: 100 });
    during.push(now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  const verifyMs = now() - v0;
  const end = outcomes.get(jobId)!;
  if (end.type !== 'job.done') throw new Error(`verify: ${end.type === 'job.failed' ? end.error.message : end.type}`);
  const report = end.result as VerifyReport;
  const live = stats(during);
  log(`  ${fmtInt(during.length)} first pages read meanwhile: median ${ms(live.median)}, p95 ${ms(live.p95)}, max ${ms(live.max)}`);
  if (!report.ok) throw new Error(`verify found problems after the bench: ${report.findings.map((f) => f.message).join('; ')}`);
  const size = fs.statSync(booksFile).size + (fs.existsSync(booksFile + '-wal') ? fs.statSync(booksFile + '-wal').size : 0);
  log(`  ${seconds(verifyMs)} (clean; ${report.counts.auditRows} audit rows; file ${(size / 2 ** 20).toFixed(0)} MiB)\n`);
  results.push({
    what: `books.verify at ${fmtInt(total)} transfers on its worker thread (integrity_check, recompute, ties, audit chain, seals)`,
    figure: seconds(verifyMs),
    baseline: `posting took ${seconds(svcMs)}`,
    ratio: (verifyMs / svcMs).toFixed(2),
    target: '≤ 60 s',
    verdict: verdict(verifyMs <= 60_000),
  });
  results.push({
    what: `ledger.transfers first page while that verify runs (${fmtInt(during.length)} reads, median / p95, max ${ms(live.max)})`,
    figure: `${ms(live.median)} / ${ms(live.p95)}`,
    baseline: `quiet first page ${ms(first.median)}`,
    ratio: (live.median / first.median).toFixed(2),
    target: '≤ 50 ms p95 (the window stays live)',
    verdict: verdict(live.p95 <= 50),
  });

  await dispatcher.jobs.settle();
  await books.close();
  if (!KEEP) removeFile(booksFile);

  const table = markdownTable(
    ['measure', 'figure', 'baseline (same run)', 'ratio', 'target', ''],
    results.map((r) => [r.what, r.figure, r.baseline, r.ratio, r.target, r.verdict]),
  );
  const section = `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.\nBooks file at the end: ${(size / 2 ** 20).toFixed(0)} MiB.\n\n${table}\n`;
  log(section);
  if (WRITE_DOCS) {
    if (TRANSFERS !== 1_000_000 || ACCOUNTS !== 10_000 || BATCH !== 8_000 || LATENCY_RUNS !== 2_000) {
      log('not writing docs/PERFORMANCE.md: only a default-sized run is recorded there');
    } else {
      const doc = path.join(BENCH_DIR, '..', 'docs', 'PERFORMANCE.md');
      const text = fs.readFileSync(doc, 'utf8');
      const begin = '<!-- bench:results:begin -->';
      const end = '<!-- bench:results:end -->';
      const a = text.indexOf(begin);
      const b = text.indexOf(end);
      if (a < 0 || b < a) throw new Error(`${doc} has no ${begin} … ${end} section`);
      fs.writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${section}${text.slice(b)}`);
      log(`wrote the results into ${doc}`);
    }
  }
}

await main();
