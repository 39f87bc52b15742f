// node --import tsx bench/reports.ts: the month-end reports at 1M CNY transfers (issue 12: the 科目余额表
// for a month at 1M transfers ≤ 1 s, the newest month and the oldest).
//   BENCH_TRANSFERS (default 1,000,000) CNY transfers among the chart's ledger accounts (every leaf
//   subject's account), dated over 2026-01 … 2026-11 (about 91,000 a month), posted through
//   createTransfers (automatic vouchers, account_months kept) in batches of 8,000. Then, each BENCH_RUNS
//   times (default 10):
//   - balancesReport for 2026-11 (the newest month) and 2026-01 (the oldest: every later row is after it),
//   - balancesReport over a single month holding every transfer (a second books file, all dated 2026-11),
//   - financialStatements for 2026-11 (year to date: every row from 1 January),
// beside a raw baseline in the same run: one `SELECT sum(amount) … GROUP BY debit_account_id` over the
// same rows by the business-date index (what a per-account sum over the transfers reads). The reports
// read account_months (migration 22) instead, so their time no longer grows with the transfers.
// `--write-docs` rewrites the reports section of docs/PERFORMANCE.md (default sizes only).
import { openBooks, type Books } from '../main/db/books';
import { balancesReport } from '../main/services/balances';
import { financialStatements } from '../main/services/financial-statements';
import { CNY_BATCH, envInt, fmtInt, freshFile, ms, postCnyTransfers, rate, removeFile, stats, timeRuns } from './lib';
import { banner, KEEP, log, publish, resultsSection } from './harness';

const TRANSFERS = envInt('BENCH_TRANSFERS', 1_000_000);
const RUNS = envInt('BENCH_RUNS', 10);

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

function raw(books: Books, from: string) {
  return () =>
    books.raw
      .prepare('SELECT debit_account_id, sum(amount) FROM transfers WHERE business_date >= ? AND ledger = 1 GROUP BY debit_account_id')
      .all(from);
}

async function main(): Promise<void> {
  banner('month-end report benchmarks', `transfers ${fmtInt(TRANSFERS)}, ${RUNS} runs each`);
  const rows: string[][] = [];
  const row = (what: string, s: ReturnType<typeof stats>, base: ReturnType<typeof stats>, target: number | null) =>
    rows.push([
      what,
      `${ms(s.median)} / ${ms(s.p95)}`,
      `raw ${ms(base.median)}`,
      (s.median / base.median).toFixed(2),
      target === null ? '(reference)' : `≤ ${target} ms`,
      target === null ? '' : s.median <= target ? 'met' : 'MISSED',
    ]);

  // 1. A year of months.
  const file = freshFile('reports.books.sqlite');
  const books = await openBooks(file, { create: true });
  log('posting over 2026-01 … 2026-11 …');
  const posting = await postCnyTransfers(books, TRANSFERS, (i) => {
    const m = MONTHS[Math.floor((i * MONTHS.length) / TRANSFERS)]!;
    return `${m}-${String(1 + (i % 28)).padStart(2, '0')}`;
  });
  const nov = await timeRuns(RUNS, async () => balancesReport(books, '2026-11'));
  const jan = await timeRuns(RUNS, async () => balancesReport(books, '2026-01'));
  const fsNov = await timeRuns(RUNS, async () => financialStatements(books, '2026-11'));
  const rawNov = await timeRuns(RUNS, raw(books, '2026-11-01'));
  const rawJan = await timeRuns(RUNS, raw(books, '2026-01-01'));
  const check = await balancesReport(books, '2026-01');
  if (!check.balanced) throw new Error('the 科目余额表 does not balance');
  row(
    `balancesReport 2026-11 (newest month, ≈ ${fmtInt(TRANSFERS / MONTHS.length)} rows) at ${fmtInt(TRANSFERS)} transfers`,
    nov,
    rawNov,
    1000,
  );
  row(`balancesReport 2026-01 (oldest month: all ${fmtInt(TRANSFERS)} rows are dated from its first day on)`, jan, rawJan, 1000);
  row('financialStatements 2026-11 (year to date: all rows since 1 January)', fsNov, rawJan, 1000);
  rows.push([
    `posting the ${fmtInt(TRANSFERS)} CNY transfers (createTransfers, batches of ${fmtInt(CNY_BATCH)}; account_months kept)`,
    `${fmtInt(rate(TRANSFERS, posting))} /s`,
    '',
    '',
    '(reference; its cost: docs/PERFORMANCE.md)',
    '',
  ]);
  await books.close();
  if (!KEEP) removeFile(file);

  // 2. Every transfer in one month.
  const file2 = freshFile('reports-one-month.books.sqlite');
  const books2 = await openBooks(file2, { create: true });
  log('posting all in 2026-11 …');
  await postCnyTransfers(books2, TRANSFERS, (i) => `2026-11-${String(1 + (i % 30)).padStart(2, '0')}`);
  const one = await timeRuns(RUNS, async () => balancesReport(books2, '2026-11'));
  const rawOne = await timeRuns(RUNS, raw(books2, '2026-11-01'));
  row(`balancesReport 2026-11 holding all ${fmtInt(TRANSFERS)} transfers (worst case)`, one, rawOne, 1000);
  await books2.close();
  if (!KEEP) removeFile(file2);

  const section = resultsSection(['measure', 'median / p95', 'baseline (same run)', 'ratio', 'target', ''], rows);
  publish('reports', section, TRANSFERS === 1_000_000 && RUNS === 10);
}

await main();
