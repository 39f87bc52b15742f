// The approvals screen at 100,000 pending: `node --import tsx bench/approval-queue.ts`
// (BENCH_QUEUE_PENDING, default 100,000). Set-up, not measured: payers as bench/lib makes them and that
// many matched requests inserted raw. Measured (20 runs each, median and max): the queue's first page,
// a keyset page deep in it, an amount filter, a customer-name search, and the approve-all selection.
import { openBooks } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { approvalQueue, queueIds } from '../main/services/approval-read';
import { envInt, freshFile, machine, ms, payerCard, payerName, removeFile, seedPayers, stats } from './lib';

const N = envInt('BENCH_QUEUE_PENDING', 100_000);
const NOW = Date.parse('2026-11-20T10:00:00+08:00');
const file = freshFile('approval-queue.books.sqlite');
const books = await openBooks(file, { create: true });
const accounts = Math.max(1, Math.floor(N / 2));
await inWriteTx(books, (tx) => {
  seedPayers(tx, accounts, NOW, NOW - 30 * 86_400_000);
  const req = tx.sql(
    `INSERT INTO recharge_requests (request_id, account_id, bank_binding_id, payer_account, payer_name, amount, covered, channel, reference_code, requested_at, updated_at, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'bank', ?, ?, ?, 'matched')`,
  );
  for (let i = 0; i < N; i++) {
    const a = (i % accounts) + 1;
    const fen = 100 * (10 + ((i * 7919) % 20_000));
    req.run(`queue-${i}`, a, a, payerCard(a), payerName(a), fen, fen, `Q${i}`, NOW - 86_400_000, NOW);
  }
});

function time(label: string, f: () => unknown, runs = 20): void {
  f();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    samples.push(performance.now() - t0);
  }
  const s = stats(samples);
  console.log(`| ${label} | ${ms(s.median)} | ${ms(s.max)} |`);
}

console.log(`Approval queue at ${N.toLocaleString('en-US')} pending — ${machine()}\n`);
console.log('| what | median | max |\n| --- | --- | --- |');
time('first page (100 rows, coins priced, flags)', () => approvalQueue(books, { limit: 100 }, null, NOW));
time('a keyset page half way down', () => approvalQueue(books, { limit: 100, beforeId: Math.floor(N / 2) }, null, NOW));
time('filtered: at least 15,000.00 yuan', () => approvalQueue(books, { limit: 100, minAmount: 1_500_000 }, null, NOW));
time('filtered: customer name 张伟', () => approvalQueue(books, { limit: 100, text: '张伟' }, null, NOW));
time(`approve-all selection (queueIds over all ${N.toLocaleString('en-US')})`, () => queueIds(books, {}, null), 5);
await books.close();
removeFile(file);
