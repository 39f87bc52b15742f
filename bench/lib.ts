// Helpers for the benchmarks: deterministic data, timing, statistics and a small table printer.
import fs from 'node:fs';
import type Sqlite from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Books, Queryable } from '../main/db/books';
import { inWriteTx, type Tx } from '../main/db/tx';
import type { Actor } from '../main/services/actor';
import { commitStatement, planStatement, resolveBankAccount, type IncomingStatement } from '../main/services/bank-statements';
import { recordAudit } from '../main/services/audit';
import { createTransfers, expectPosted, type TransferInput } from '../main/services/ledger-post';

/** Who posts the benchmarks' rows. */
export const BENCH_ACTOR = { staffId: null, name: 'bench', role: 'system' as const };

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = path.join(BENCH_DIR, '.data');

export function freshFile(name: string): string {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const file = path.join(DATA_DIR, name);
  for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  return file;
}

export function removeFile(file: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
}

export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not "${v}"`);
  return n;
}

/** A small fast PRNG (mulberry32) so every run posts the same transfers. */
export function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) >>> 0;
  };
}

/**
 * The rows both the service and the raw baseline write: for transfer i, a debit and credit account on
 * the same ledger (accounts are spread over the three ledgers), and an amount.
 */
export interface Plan {
  count: number;
  ledger: Uint8Array;
  debit: Int32Array;
  credit: Int32Array;
  amount: Int32Array;
}

export function plan(count: number, accountIds: readonly number[][], seed = 42): Plan {
  const r = prng(seed);
  const p: Plan = {
    count,
    ledger: new Uint8Array(count),
    debit: new Int32Array(count),
    credit: new Int32Array(count),
    amount: new Int32Array(count),
  };
  for (let i = 0; i < count; i++) {
    const l = r(3);
    const ids = accountIds[l]!;
    const d = r(ids.length);
    let c = r(ids.length - 1);
    if (c >= d) c++;
    p.ledger[i] = l + 1;
    p.debit[i] = ids[d]!;
    p.credit[i] = ids[c]!;
    p.amount[i] = 1 + r(100_000);
  }
  return p;
}

/** CPU time this process has used (user + system), in ms: beside wall-clock time on a shared machine. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function rate(n: number, ms: number): number {
  return n / (ms / 1000);
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function stats(samples: number[]): { median: number; p95: number; p99: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), min: s[0]!, max: s[s.length - 1]! };
}

export function ms(v: number): string {
  return v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(2)} ms`;
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

export function markdownTable(head: string[], rows: string[][]): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

// ── payers for the recharge benchmarks ─────────────────────────────────────────────────────
export const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'];
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳'];
export const payerCard = (a: number): string => `6217${String(a).padStart(12, '0')}`;
export const payerName = (a: number): string => `${SURNAMES[a % 10]}${GIVEN[a % 12]}${GIVEN[(a >> 3) % 12]}`;

/**
 * Customers 1..n, each with one account (both wallets, as openAccount makes them) and a bank card bound
 * from `boundFrom`: raw prepared inserts, so that setting up 100,000 payers is not what is measured.
 */
export async function seedPayers(tx: Queryable, n: number, now: number, boundFrom: number): Promise<void> {
  const acc = tx.sql('INSERT INTO accounts (ledger, code, name, owner_kind, owner_id, flags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const cust = tx.sql("INSERT INTO customers (id, kind, name, created_at) VALUES (?, 'person', ?, ?)");
  const ca = tx.sql(
    'INSERT INTO customer_accounts (id, customer_id, external_id, name, recharge_wallet_id, earnings_wallet_id, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const bind = tx.sql(
    "INSERT INTO bank_bindings (id, account_id, bank_name, account_number, holder_name, starts_at) VALUES (?, ?, '中国工商银行', ?, ?, ?)",
  );
  for (let a = 1; a <= n; a++) {
    const w1 = Number((await acc.run(2, 'recharge_wallet', `A${a} 充值账户`, 'customer_account', a, 1, now)).lastInsertRowid);
    const w2 = Number((await acc.run(3, 'earnings_wallet', `A${a} 收益账户`, 'customer_account', a, 1, now)).lastInsertRowid);
    await cust.run(a, payerName(a), now);
    await ca.run(a, a, `A${a}`, `账户${a}`, w1, w2, now);
    await bind.run(a, a, payerCard(a), payerName(a), boundFrom);
  }
}

/**
 * Rewrites the `<!-- bench:NAME:begin -->` … `<!-- bench:NAME:end -->` section of docs/PERFORMANCE.md
 * with a run's results; returns the file written.
 */
export function writeDocSection(name: string, section: string): string {
  const doc = path.join(BENCH_DIR, '..', 'docs', 'PERFORMANCE.md');
  const text = fs.readFileSync(doc, 'utf8');
  const begin = `<!-- bench:${name}:begin -->`;
  const end = `<!-- bench:${name}:end -->`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${doc} has no ${begin} … ${end} section`);
  fs.writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${section}${text.slice(b)}`);
  return doc;
}

/** `runs` timed calls of `f` after one unmeasured call (ms). */
export async function timeRuns(runs: number, f: () => unknown): Promise<ReturnType<typeof stats>> {
  await f();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f(); // an async service is timed to its answer, not to its first await
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

/**
 * The raw baseline of an import: `rows` inserted by one prepared statement in one transaction on a
 * plain better-sqlite3 connection (ms); the connection is closed and its file removed afterwards.
 */
export function timeRawInserts(raw: Sqlite.Database, file: string, insert: string, rows: readonly unknown[][]): number {
  const ins = raw.prepare(insert);
  const t0 = performance.now();
  raw.exec('BEGIN IMMEDIATE');
  for (const row of rows) ins.run(...row);
  raw.exec('COMMIT');
  const elapsed = performance.now() - t0;
  raw.close();
  removeFile(file);
  return elapsed;
}

export const CNY_BATCH = 8_000;

/**
 * Posts `count` CNY transfers among the chart's ledger accounts (every leaf subject's account) through
 * createTransfers in batches of 8,000 (automatic vouchers, account_months kept), dated by `dateOf`;
 * returns the posting time (ms).
 */
export async function postCnyTransfers(
  books: Books,
  count: number,
  dateOf: (i: number, r: (n: number) => number) => string,
): Promise<number> {
  const accounts = (
    (await books.sql('SELECT id FROM accounts WHERE ledger = 1 AND subject_code IS NOT NULL ORDER BY id').all()) as { id: number }[]
  ).map((a) => a.id);
  const r = prng(7);
  const t0 = performance.now();
  for (let start = 0, b = 0; start < count; start += CNY_BATCH, b++) {
    const end = Math.min(count, start + CNY_BATCH);
    const batch: TransferInput[] = [];
    for (let i = start; i < end; i++) {
      const d = r(accounts.length);
      let c = r(accounts.length - 1);
      if (c >= d) c++;
      batch.push({
        key: `r${i}`,
        ledger: 1,
        debitAccountId: accounts[d]!,
        creditAccountId: accounts[c]!,
        amount: 1 + r(1_000_000),
        code: 'bench',
        date: dateOf(i, r),
      });
    }
    await inWriteTx(books, async (tx) => {
      expectPosted(await createTransfers(tx, batch, {}));
      await recordAudit(tx, BENCH_ACTOR, { action: 'bench.batch', entity: 'transfers', entityId: b, count: batch.length });
    });
  }
  const took = performance.now() - t0;
  process.stdout.write(`  posted ${fmtInt(count)} CNY transfers among ${accounts.length} ledger accounts in ${seconds(took)}\n`);
  return took;
}

/**
 * The process's peak resident set size while `work` runs, sampled every 5 ms by a worker thread (the
 * work itself is mostly synchronous and would block a timer on the main thread): bytes.
 */
export async function peakRss<T>(work: () => Promise<T> | T): Promise<{ result: T; peak: number }> {
  const { Worker } = await import('node:worker_threads');
  const shared = new Float64Array(new SharedArrayBuffer(16)); // [0] peak, [1] stop flag
  shared[0] = process.memoryUsage.rss();
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const s = new Float64Array(workerData);
     const tick = () => { const r = process.memoryUsage.rss(); if (r > s[0]) s[0] = r; if (s[1] === 0) setTimeout(tick, 5); };
     tick();`,
    { eval: true, workerData: shared.buffer },
  );
  await new Promise((resolve) => worker.once('online', resolve));
  try {
    const result = await work();
    const now = process.memoryUsage.rss();
    if (now > shared[0]!) shared[0] = now;
    return { result, peak: shared[0]! };
  } finally {
    shared[1] = 1;
    await worker.terminate();
  }
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A CSV statement of `lines` for the platform account `account` (no balances), planned and committed as bench.csv by `clerk`. */
export async function commitBenchStatement(
  tx: Tx,
  clerk: Actor,
  account: string,
  lines: IncomingStatement['lines'],
  profile: string,
  at: number,
): Promise<void> {
  const statement: IncomingStatement = { account, currency: 'CNY', opening: null, closing: null, lines, format: 'csv', profile };
  const plan = await planStatement(tx, statement, await resolveBankAccount(tx, statement, null));
  await commitStatement(tx, clerk, plan, { name: 'bench.csv', sha256: 'x'.repeat(64) }, at);
}
