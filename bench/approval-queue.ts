// The approvals screen at 100,000 pending: `node --import tsx bench/approval-queue.ts`
// (BENCH_QUEUE_PENDING, default 100,000; BENCH_QUEUE_RUNS, default 200). Set-up, not measured: payers as
// bench/lib makes them and that many matched requests inserted raw, then `PRAGMA optimize` as the bench
// for customer search does. Measured (median and p95): the queue's first page, a keyset page deep in it,
// an amount filter, a customer-name search, and the approve-all selection; beside a raw baseline in the
// same run: better-sqlite3 reading the same page's 100 requests newest first with their account and
// customer (the primary key backwards, no status, no pricing) — the least a page must read.
// `--write-docs` rewrites the approval-queue section of docs/PERFORMANCE.md (default sizes only).
import { openBooks } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { approvalQueue, queueIds } from '../main/services/approval-read';
import { envInt, fmtInt, freshFile, machine, ms, payerCard, payerName, removeFile, seedPayers, timeRuns } from './lib';
import { log, publish, resultsSection } from './harness';

const N = envInt('BENCH_QUEUE_PENDING', 100_000);
const RUNS = envInt('BENCH_QUEUE_RUNS', 200);
const NOW = Date.parse('2026-11-20T10:00:00+08:00');
const file = freshFile('approval-queue.books.sqlite');
const books = await openBooks(file, { create: true });
const accounts = Math.max(1, Math.floor(N / 2));
await inWriteTx(books, async (tx) => {
  await seedPayers(tx, accounts, NOW, NOW - 30 * 86_400_000);
  const req = tx.sql(
    `INSERT INTO recharge_requests (request_id, account_id, bank_binding_id, payer_account, payer_name, amount, covered, channel, reference_code, requested_at, updated_at, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'bank', ?, ?, ?, 'matched')`,
  );
  for (let i = 0; i < N; i++) {
    const a = (i % accounts) + 1;
    const fen = 100 * (10 + ((i * 7919) % 20_000));
    await req.run(`queue-${i}`, a, a, payerCard(a), payerName(a), fen, fen, `Q${i}`, NOW - 86_400_000, NOW);
  }
});
books.raw.pragma('optimize');

const raw = books.raw.prepare(
  `SELECT r.*, a.external_id AS account, c.id AS customerId, c.name AS customerName
   FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id
   ORDER BY r.id DESC LIMIT 101`,
);
const base = await timeRuns(RUNS, () => raw.all());

const rows: string[][] = [];
async function time(label: string, f: () => unknown, runs = RUNS, target = ''): Promise<void> {
  const s = await timeRuns(runs, f);
  rows.push([
    label,
    `${ms(s.median)} / ${ms(s.p95)}`,
    `raw page ${ms(base.median)}`,
    (s.median / base.median).toFixed(1),
    target,
    target ? (s.p95 <= 50 ? 'met' : 'MISSED') : '',
  ]);
  console.log(`  ${label}: median ${ms(s.median)}, p95 ${ms(s.p95)}`);
}

const started = new Date();
log(`Approval queue at ${fmtInt(N)} pending — ${machine()}\n`);
console.log(`  raw baseline (100 requests newest first with account and customer): median ${ms(base.median)}, p95 ${ms(base.p95)}`);
await time('first page (100 rows, coins priced, flags)', async () => approvalQueue(books, { limit: 100 }, null, NOW), RUNS, 'p95 ≤ 50 ms');
await time('a keyset page half way down', async () => approvalQueue(books, { limit: 100, beforeId: Math.floor(N / 2) }, null, NOW));
await time('filtered: at least 15,000.00 yuan', async () => approvalQueue(books, { limit: 100, minAmount: 1_500_000 }, null, NOW));
await time('filtered: customer name 张伟', async () => approvalQueue(books, { limit: 100, text: '张伟' }, null, NOW));
await time(`approve-all selection (queueIds over all ${fmtInt(N)})`, async () => queueIds(books, {}, null), Math.min(RUNS, 20));
await books.close();
removeFile(file);

const section = resultsSection(['what', 'median / p95', 'baseline (same run)', 'ratio', 'target', ''], rows, '', started);
publish('approval-queue', section, N === 100_000 && RUNS === 200);
