// node --import tsx bench/cli.ts: how fast the command line answers (issue 14: `coffer --help` ≤ 0.3 s,
// `coffer report trial-balance` at 1M transfers ≤ 0.5 s), each as whole processes timed from spawn to
// exit, beside baselines in the same run: bare Node starting and exiting (`node -e 0`), hledger
// starting (`hledger --version`, when installed), and the trial balance's own query in this process.
//   BENCH_TRANSFERS (default 1,000,000) CNY transfers posted as bench/reports.ts posts them;
//   BENCH_RUNS (default 10) spawns of each. The bundle (out/cli/coffer.mjs) is built first.
// `--write-docs` rewrites the cli section of docs/PERFORMANCE.md (default sizes only).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { openBooks } from '../main/db/books';
import { trialBalance } from '../main/services/ledger-read';
import { buildCli } from '../scripts/build-cli.mjs';
import { BENCH_DIR, envInt, fmtInt, freshFile, ms, postCnyTransfers, removeFile, stats, timeRuns } from './lib';
import { banner, KEEP, log, publish, resultsSection } from './harness';

const TRANSFERS = envInt('BENCH_TRANSFERS', 1_000_000);
const RUNS = envInt('BENCH_RUNS', 10);
const COFFER = path.join(BENCH_DIR, '..', 'bin', 'coffer.mjs');

/** Wall time of `runs` runs of a process (after one unmeasured run), or null when it cannot start. */
function spawnTimes(cmd: string, args: string[], runs: number): ReturnType<typeof stats> | null {
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.error) return null;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return performance.now() - t0;
  };
  if (once() === null) return null;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(once()!);
  return stats(samples);
}

async function main(): Promise<void> {
  banner('command-line benchmark', `transfers ${fmtInt(TRANSFERS)}, ${RUNS} runs each`);
  await buildCli();
  const file = freshFile('cli.books.sqlite');
  const books = await openBooks(file, { create: true });
  log('posting …');
  await postCnyTransfers(books, TRANSFERS, (i) => `2026-11-${String(1 + (i % 30)).padStart(2, '0')}`);
  const query = await timeRuns(RUNS, async () => trialBalance(books));
  await books.close();

  const node = spawnTimes(process.execPath, ['-e', '0'], RUNS)!;
  const help = spawnTimes(process.execPath, [COFFER, '--help'], RUNS)!;
  const hledger = spawnTimes('hledger', ['--version'], RUNS);
  const tb = spawnTimes(process.execPath, [COFFER, 'report', 'trial-balance', '--db', file], RUNS)!;
  if (!KEEP) removeFile(file);

  const verdict = (v: number, target: number) => (v <= target ? 'met' : 'MISSED');
  const rows = [
    [
      '`coffer --help` (spawn to exit)',
      `${ms(help.median)} / ${ms(help.p95)}`,
      `node -e 0: ${ms(node.median)}`,
      (help.median / node.median).toFixed(2),
      '≤ 300 ms',
      verdict(help.median, 300),
    ],
    ...(hledger
      ? [
          [
            '`hledger --version` (spawn to exit)',
            `${ms(hledger.median)} / ${ms(hledger.p95)}`,
            `node -e 0: ${ms(node.median)}`,
            (hledger.median / node.median).toFixed(2),
            '(reference)',
            '',
          ],
        ]
      : []),
    [
      `\`coffer report trial-balance\` at ${fmtInt(TRANSFERS)} transfers (read-only open, auditor's rights)`,
      `${ms(tb.median)} / ${ms(tb.p95)}`,
      `its query in process: ${ms(query.median)}`,
      (tb.median / query.median).toFixed(2),
      '≤ 500 ms',
      verdict(tb.median, 500),
    ],
  ];
  const section = resultsSection(['measure', 'median / p95', 'baseline (same run)', 'ratio', 'target', ''], rows);
  publish('cli', section, TRANSFERS === 1_000_000 && RUNS === 10);
}

await main();
