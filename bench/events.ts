// node --import tsx bench/events.ts: the platform event importer and customer search at scale.
//  1. import of BENCH_EVENTS (default 100,000) events — a realistic mix from the demo generator:
//     registrations, accounts, bank cards, logins (some blocked), earnings, transfers (some held),
//     spends — through commitEventImport in one inWriteTx, beside, in the same run: reading and
//     checking the file alone (previewEventImport) and raw better-sqlite3 inserts of the same `events`
//     rows into a copy of the events table (same pragmas, one transaction).
//  2. searchCustomers at BENCH_CUSTOMERS (default 100,000) customers (made by importing generated
//     registrations, accounts and bank cards): a name fragment, a phone fragment, an account id prefix,
//     a bank number prefix; median and p95 over BENCH_SEARCH_RUNS (200) runs each, beside a raw
//     `count(*) … WHERE name LIKE` scan of the customers table.
// `--write-docs` rewrites the events (import) and search sections of docs/PERFORMANCE.md, each only
// when its half ran at the default size. BENCH_ONLY=import|search runs one half; BENCH_CACHE_KIB=65536 tries a bigger page cache (experiment). BENCH_KEEP=1 keeps bench/.data/*.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import Sqlite from 'better-sqlite3';
import { openBooks, type Books } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { generateDemoEvents, writeEventsFile, type DemoEvent } from '../main/demo';
import type { Actor } from '../main/services/actor';
import { searchCustomers } from '../main/services/customer-read';
import { commitEventImport, previewEventImport } from '../main/services/event-import';
import { verifyBooks } from '../main/services/verify';
import { DATA_DIR, envInt, fmtInt, freshFile, machine, ms, rate, removeFile, seconds, stats, timeRawInserts } from './lib';
import { seedStaff } from './staff';
import { KEEP, log, now, publish, resultsSection, type Row, verdict } from './harness';

const EVENTS = envInt('BENCH_EVENTS', 100_000);
const CUSTOMERS = envInt('BENCH_CUSTOMERS', 100_000);
const SEARCH_RUNS = envInt('BENCH_SEARCH_RUNS', 200);
/** Experiment: PRAGMA cache_size (KiB) on the books connection. Unset = as shipped. */
const CACHE_KIB = process.env.BENCH_CACHE_KIB ? envInt('BENCH_CACHE_KIB', 2000) : null;
const NOW = Date.parse('2026-11-25T10:00:00+08:00');
const WINDOW = { start: NOW - 45 * 86_400_000, end: NOW - 2 * 3_600_000 };

/** The import's rows (the events section) and the search's (the search section). */
const results: Row[] = [];
const searchResults: Row[] = [];

/** Fresh books with a clerk (the importer's actor). */
async function booksWithClerk(name: string): Promise<{ books: Books; file: string; clerk: Actor }> {
  const file = freshFile(name);
  const books = await openBooks(file, { create: true });
  if (CACHE_KIB !== null) books.raw.pragma(`cache_size = -${CACHE_KIB}`);
  const { clerk } = await inWriteTx(books, async (tx) => seedStaff(tx, NOW));
  return { books, file, clerk };
}

/** Enough generated customers for `count` events, cut to exactly `count` (the file stays in time order). */
function mixedEvents(count: number): DemoEvent[] {
  let customers = Math.ceil(count / 15);
  for (;;) {
    const { events } = generateDemoEvents({ customers, seed: 42, ...WINDOW });
    if (events.length >= count) return events.slice(0, count);
    customers = Math.ceil(customers * 1.3);
  }
}

function rawEventsBaseline(ddl: string[], rowsOf: () => unknown[][]): number {
  const file = freshFile('raw-events.sqlite');
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = OFF');
  for (const sql of ddl) raw.exec(sql);
  const insert = 'INSERT INTO events (id, type, content_hash, at, status, reason, import_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
  return timeRawInserts(raw, file, insert, rowsOf());
}

async function benchImport(): Promise<void> {
  log(`generating ${fmtInt(EVENTS)} platform events (demo generator, seed 42) …`);
  const events = mixedEvents(EVENTS);
  const mix = new Map<string, number>();
  for (const e of events) mix.set(e.type, (mix.get(e.type) ?? 0) + 1);
  log(`  mix: ${[...mix].map(([t, n]) => `${t} ${fmtInt(n)}`).join(', ')}`);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const eventsFile = path.join(DATA_DIR, 'events-100k.jsonl');
  writeEventsFile(eventsFile, events);
  const bytes = fs.statSync(eventsFile).size;
  log(`  ${(bytes / 2 ** 20).toFixed(1)} MiB`);

  const { books, file, clerk } = await booksWithClerk('events-import.books.sqlite');
  log('reading and checking alone (previewEventImport) …');
  const p0 = now();
  const preview = await previewEventImport(books, eventsFile);
  const previewMs = now() - p0;
  if (!preview.ok) throw new Error(`the generated file has errors: ${JSON.stringify(preview.errors.slice(0, 3))}`);
  log(`  ${seconds(previewMs)}`);

  log('importing (commitEventImport in one inWriteTx) …');
  const t0 = now();
  const c0 = process.cpuUsage();
  const result = await inWriteTx(books, (tx) => commitEventImport(tx, clerk, eventsFile, { now: NOW }));
  const importMs = now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000; // the wall time of a loaded machine says little alone
  log(
    `  ${seconds(importMs)} (CPU ${seconds(cpuMs)}, load ${os.loadavg()[0]!.toFixed(2)}): ${fmtInt(result.applied)} applied, ${fmtInt(result.refused)} refused (${fmtInt(rate(EVENTS, importMs))} events/s)`,
  );

  const ddl = (
    (await books.sql("SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL").all()) as { sql: string }[]
  ).map((r) => r.sql);
  const rows = (await books
    .sql('SELECT id, type, content_hash, at, status, reason, import_id, line FROM events ORDER BY line')
    .raw()
    .all()) as unknown[][];
  log('raw baseline: the same events rows into a copy of the events table …');
  const rawMs = rawEventsBaseline(ddl, () => rows);
  log(`  ${seconds(rawMs)}`);

  const v0 = now();
  const report = await verifyBooks(books);
  const verifyMs = now() - v0;
  if (!report.ok) throw new Error(`verify found problems after the import: ${report.findings.map((f) => f.message).join('; ')}`);
  log(`  verify after the import: clean in ${seconds(verifyMs)}`);
  await books.close();
  if (!KEEP) {
    removeFile(file);
    fs.rmSync(eventsFile, { force: true });
  }

  results.push({
    what: `import ${fmtInt(EVENTS)} events (${(bytes / 2 ** 20).toFixed(1)} MiB; ${fmtInt(result.applied)} applied, ${fmtInt(result.refused)} refused) via commitEventImport`,
    figure: `${seconds(importMs)} (${fmtInt(rate(EVENTS, importMs))} /s), CPU ${seconds(cpuMs)}`,
    baseline: `raw events-table inserts ${seconds(rawMs)}`,
    ratio: (importMs / rawMs).toFixed(1),
    target: '≤ 3 s',
    verdict: verdict(importMs <= 3000),
  });
  results.push({
    what: '… of which reading + checking the file (previewEventImport alone)',
    figure: seconds(previewMs),
    baseline: `whole import ${seconds(importMs)}`,
    ratio: (previewMs / importMs).toFixed(2),
    target: '(reference)',
    verdict: '',
  });
}

async function benchSearch(): Promise<void> {
  const { books, file, clerk } = await booksWithClerk('search.books.sqlite');
  const setupTypes = new Set(['customer.registered', 'account.opened', 'bank_account.bound', 'accounts.unlinked']);
  const chunk = 10_000;
  log(`\nmaking ${fmtInt(CUSTOMERS)} customers (registrations, accounts, bank cards imported in files of ${fmtInt(chunk)} customers) …`);
  const m0 = now();
  for (let first = 0; first < CUSTOMERS; first += chunk) {
    const { events } = generateDemoEvents({
      customers: Math.min(chunk, CUSTOMERS - first),
      seed: 1000 + first,
      firstCustomer: first,
      idPrefix: `bench-${first}-`,
      ...WINDOW,
    });
    const f = path.join(DATA_DIR, `customers-${first}.jsonl`);
    writeEventsFile(
      f,
      events.filter((e) => setupTypes.has(e.type)),
    );
    await inWriteTx(books, (tx) => commitEventImport(tx, clerk, f, { now: NOW }));
    fs.rmSync(f, { force: true });
  }
  const count = async (sql: string) => ((await books.sql(sql).get()) as { n: number }).n;
  log(
    `  ${seconds(now() - m0)}: ${fmtInt(await count('SELECT count(*) AS n FROM customers'))} customers, ${fmtInt(await count('SELECT count(*) AS n FROM customer_accounts'))} accounts, ${fmtInt(await count('SELECT count(*) AS n FROM bank_bindings'))} bank cards`,
  );
  books.raw.pragma('optimize');

  // Fragments taken from the data, so each finds something.
  const person = (await books
    .sql("SELECT name, phone FROM customers WHERE kind = 'person' ORDER BY id LIMIT 1 OFFSET ?")
    .get(Math.floor(CUSTOMERS * 0.043))) as {
    name: string;
    phone: string;
  };
  const account = (
    (await books.sql(`SELECT external_id AS id FROM customer_accounts ORDER BY id LIMIT 1 OFFSET ${Math.floor(CUSTOMERS / 2)}`).get()) as {
      id: string;
    }
  ).id;
  // a card part-way down, wherever a small run (BENCH_CUSTOMERS) ends
  const cards = await count('SELECT count(*) AS n FROM bank_bindings');
  const card = (
    (await books.sql('SELECT account_number AS n FROM bank_bindings ORDER BY id LIMIT 1 OFFSET ?').get(Math.floor(cards * 0.078))) as {
      n: string;
    }
  ).n;
  const queries: [string, string][] = [
    ['name fragment', person.name.slice(1)],
    ['phone fragment', person.phone.slice(3, 8)],
    ['account id prefix', account.slice(0, 6)],
    ['bank number prefix', card.slice(0, 10)],
  ];
  const rawLike = books.raw.prepare("SELECT count(*) AS n FROM customers WHERE name LIKE ? ESCAPE '\\'");
  const rawTimes: number[] = [];
  for (let i = 0; i < SEARCH_RUNS; i++) {
    const t = now();
    rawLike.get(`%${queries[0]![1]}%`);
    rawTimes.push(now() - t);
  }
  const rawStats = stats(rawTimes);
  log(`searchCustomers at ${fmtInt(CUSTOMERS)} customers (50 rows, sort by name, ${SEARCH_RUNS} runs each) …`);
  log(`  raw baseline: count(*) of customers WHERE name LIKE '%${queries[0]![1]}%': median ${ms(rawStats.median)}`);
  for (const [name, text] of queries) {
    let total = 0;
    const times: number[] = [];
    for (let i = 0; i < SEARCH_RUNS; i++) {
      const t = now();
      total = (await searchCustomers(books, { text, sort: 'name', offset: 0, limit: 50 })).total;
      times.push(now() - t);
    }
    const s = stats(times);
    log(`  ${name} "${text}" (${fmtInt(total)} found): median ${ms(s.median)}, p95 ${ms(s.p95)}`);
    searchResults.push({
      what: `searchCustomers ${name} "${text}" at ${fmtInt(CUSTOMERS)} customers (${fmtInt(total)} found, first 50)`,
      figure: `${ms(s.median)} / ${ms(s.p95)}`,
      baseline: `raw name LIKE count ${ms(rawStats.median)}`,
      ratio: (s.median / rawStats.median).toFixed(1),
      target: '≤ 50 ms',
      verdict: verdict(s.p95 <= 50),
    });
  }
  await books.close();
  if (!KEEP) removeFile(file);
}

async function main(): Promise<void> {
  log(`bench/events.ts on ${machine()}\n`);
  const only = process.env.BENCH_ONLY;
  if (only !== 'search') await benchImport();
  if (only !== 'import') await benchSearch();
  const head = ['measure', 'figure', 'baseline (same run)', 'ratio', 'target', ''];
  const sections: [string, Row[], boolean][] = [
    ['events', results, EVENTS === 100_000],
    ['search', searchResults, CUSTOMERS === 100_000 && SEARCH_RUNS === 200],
  ];
  for (const [name, rows, defaultSize] of sections) {
    if (!rows.length) continue;
    const section = resultsSection(
      name === 'search' ? ['measure', 'median / p95', ...head.slice(2)] : head,
      rows.map((r) => [r.what, r.figure, r.baseline, r.ratio, r.target, r.verdict]),
    );
    publish(name, section, defaultSize);
  }
}

await main();
