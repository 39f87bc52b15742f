// node --import tsx bench/serve.ts: approvals through `coffer serve` (issue 15 §4): one approval's
// latency over HTTP on loopback (target ≤ 5 ms median), and approvals per second with one client and
// with 8 clients at once — beside, in the same run, the same approval through the API dispatcher in
// this process (validation, roles, transaction, audit; no HTTP), the floor the server adds to. Measured
// on SQLite books and then on their copy on PostgreSQL (a schema of its own at COFFER_BENCH_POSTGRES,
// bench/postgres-schema.ts; BENCH_SERVE_POSTGRES=0 leaves it out).
//  Set-up (not measured): books with an admin, a clerk and an approver (real password hashes: the
//  clients log in), BENCH_SERVE_APPROVALS × 3 recharge requests entered at the counter through the
//  dispatcher, a statement paying each with its reference code, reconciled by the clerk.
//  The books are copied to PostgreSQL before any is approved. Then, on each engine: a third of them
//  approved one by one through the dispatcher; the server started as its own process (`coffer serve`,
//  the built bundle) on the same books; a third approved one by one over HTTP by one client; the last
//  third by 8 clients at once, each approving its own share one by one.
// `--write-docs` rewrites the serve section of docs/PERFORMANCE.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dispatcher } from '../main/api/dispatcher';
import { openBooks } from '../main/db/books';
import { copyBooksToPostgres } from '../main/db/postgres/books';
import { openPostgresBooks } from '../main/db/postgres/open';
import type { AnyBooks } from '../main/db/tx';
import { buildCli } from '../scripts/build-cli.mjs';
import { BENCH_DIR, envInt, fmtInt, freshFile, machine, markdownTable, ms, rate, removeFile, stats, writeDocSection } from './lib';
import { KEEP, log, WRITE_DOCS } from './harness';
import { benchSchema } from './postgres-schema';
import { matchedBooks, PASSWORD, type Item } from './matched-books';

const N = envInt('BENCH_SERVE_APPROVALS', 300);
const CLIENTS = 8;
const TARGET_MEDIAN_MS = 5;
const COFFER = path.join(BENCH_DIR, '..', 'bin', 'coffer.mjs');
const WITH_POSTGRES = process.env.BENCH_SERVE_POSTGRES !== '0';

/** Each approval alone, one after another: the milliseconds each took. */
async function oneByOne(items: readonly Item[], approve: (i: Item) => Promise<boolean>): Promise<number[]> {
  const took: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    if (!(await approve(item))) throw new Error(`approval of request ${item.id} refused`);
    took.push(performance.now() - t0);
  }
  return took;
}

/** A client of the server: logs in as the approver and approves one item per call. */
async function httpApprover(base: string): Promise<(i: Item) => Promise<boolean>> {
  const post = async (method: string, input: unknown, token?: string) => {
    const r = await fetch(new URL('api/call', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ method, input }),
    });
    return (await r.json()) as { ok: boolean; token?: string; data?: { outcome: string }[] };
  };
  const login = await post('session.login', { username: 'approver', password: PASSWORD });
  if (!login.token) throw new Error('the approver could not log in');
  return async (i) => (await post('approvals.approve', { items: [i] }, login.token)).data?.[0]?.outcome === 'credited';
}

/**
 * The CPU milliseconds a process has used (Linux: /proc, in clock ticks of 10 ms), null elsewhere: on a
 * loaded machine a wall-clock median mostly measures the other work, the server's CPU per call less so.
 */
function cpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime
  } catch {
    return null;
  }
}

function serve(books: string): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [COFFER, 'serve', '--books', books, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let said = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      said += d;
      const m = / at (http:\/\/\S+) /.exec(said);
      if (m)
        resolve({ pid: child.pid!, url: m[1]!, stop: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) });
    });
    child.once('exit', (code) => reject(new Error(`coffer serve ended (${code}): ${said}`)));
  });
}

type Stats = ReturnType<typeof stats>;

/** One engine's figures: in process, over HTTP with one client, and 8 clients at once. */
interface Measured {
  local: Stats;
  http: Stats;
  oneRate: number;
  manyRate: number;
}

/**
 * The three thirds of `items` approved on one engine's books: through a dispatcher on `open()`'s books in
 * this process, then through `coffer serve --books target` by one client and by 8 at once.
 */
async function measure(engine: string, target: string, open: () => Promise<AnyBooks>, items: readonly Item[]): Promise<Measured> {
  const [inProcess, overHttp, byClients] = [items.slice(0, N), items.slice(N, 2 * N), items.slice(2 * N)];
  const books = await open();
  const api = new Dispatcher({
    books,
    scanWorker: null,
    ports: { dialogs: { openFile: async () => null, saveFile: async () => null }, clock: Date.now },
  });
  await api.dispatch('approver', 'session.login', { username: 'approver', password: PASSWORD });
  const local = stats(
    await oneByOne(inProcess, async (i) => {
      const r = await api.dispatch('approver', 'approvals.approve', { items: [i] });
      return r.ok && (r.data as { outcome: string }[])[0]?.outcome === 'credited';
    }),
  );
  log(`${engine}, dispatcher in process: median ${ms(local.median)}, p95 ${ms(local.p95)} (${fmtInt(N)} approvals)`);
  await books.close();

  const server = await serve(target);
  try {
    const one = await httpApprover(server.url);
    const cpu0 = cpuMs(server.pid);
    const t1 = performance.now();
    const http = stats(await oneByOne(overHttp, one));
    const oneRate = rate(N, performance.now() - t1);
    const cpu1 = cpuMs(server.pid);
    const cpu = cpu0 === null || cpu1 === null ? '' : `, the server's CPU ${((cpu1 - cpu0) / N).toFixed(2)} ms an approval`;
    log(`${engine}, coffer serve, 1 client: median ${ms(http.median)}, p95 ${ms(http.p95)}, ${fmtInt(oneRate)} approvals/s${cpu}`);

    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => httpApprover(server.url)));
    const t8 = performance.now();
    await Promise.all(
      clients.map((approve, c) =>
        oneByOne(
          byClients.filter((_, i) => i % CLIENTS === c),
          approve,
        ),
      ),
    );
    const manyRate = rate(N, performance.now() - t8);
    log(`${engine}, coffer serve, ${CLIENTS} clients at once: ${fmtInt(manyRate)} approvals/s`);
    return { local, http, oneRate, manyRate };
  } finally {
    await server.stop();
  }
}

/** The table's two rows for one engine's books. */
function rowsOf(engine: string, m: Measured): string[][] {
  return [
    [
      `one approval through \`coffer serve\` on ${engine} books (HTTP on loopback, 1 item), ${fmtInt(N)} runs`,
      `median ${ms(m.http.median)}, p95 ${ms(m.http.p95)}`,
      `dispatcher in process: median ${ms(m.local.median)}, p95 ${ms(m.local.p95)}`,
      (m.http.median / m.local.median).toFixed(2),
      `≤ ${TARGET_MEDIAN_MS} ms median`,
      m.http.median <= TARGET_MEDIAN_MS ? 'met' : 'MISSED',
    ],
    [
      `approvals through \`coffer serve\` on ${engine} books, ${CLIENTS} clients at once (each one by one)`,
      `${fmtInt(m.manyRate)} /s`,
      `1 client: ${fmtInt(m.oneRate)} /s`,
      (m.manyRate / m.oneRate).toFixed(2),
      '(reference)',
      '',
    ],
  ];
}

async function main(): Promise<void> {
  await buildCli();
  log(`bench/serve.ts on ${machine()}\n`);
  const file = freshFile('serve.books.sqlite');
  const books = await openBooks(file, { create: true });
  const items = await matchedBooks(books, 3 * N);
  const schema = WITH_POSTGRES ? await benchSchema() : null;
  try {
    if (schema) await copyBooksToPostgres(books.raw, schema.url);
    await books.close();
    const rows = rowsOf('SQLite', await measure('SQLite', file, () => openBooks(file), items));
    if (schema) rows.push(...rowsOf('PostgreSQL', await measure('PostgreSQL', schema.url, () => openPostgresBooks(schema.url), items)));

    const section = [
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}, load average ${os.loadavg()[0]!.toFixed(1)}.`,
      '',
      markdownTable(['measure', 'figure', 'baseline (same run)', 'ratio', 'target', ''], rows),
    ].join('\n');
    log('\n' + section);
    if (WRITE_DOCS) {
      writeDocSection('serve', `${section}\n`);
      log('wrote docs/PERFORMANCE.md');
    }
  } finally {
    await schema?.drop();
    if (!KEEP) removeFile(file);
  }
}

await main();
