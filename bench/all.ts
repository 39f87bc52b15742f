// npm run bench: every benchmark, one after another, each in a process of its own (so one's heap and page
// cache are not counted in the next one's figures), then every row with a target and its verdict in one
// table. `npm run bench -- events invoices` runs only those; `--write-docs` is passed on to each bench,
// which rewrites its own section of docs/PERFORMANCE.md (default sizes only). Sizes: each bench's header.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR } from './lib';

interface Bench {
  name: string;
  file: string;
  /** Node flags beyond the TypeScript loader. */
  flags?: string[];
}

const BENCHES: readonly Bench[] = [
  { name: 'ledger', file: 'run.ts' },
  { name: 'events', file: 'events.ts' },
  { name: 'reconcile', file: 'reconcile.ts' },
  { name: 'approval', file: 'approval.ts' },
  { name: 'approval-queue', file: 'approval-queue.ts' },
  { name: 'invoices', file: 'invoices.ts', flags: ['--expose-gc'] },
  { name: 'reports', file: 'reports.ts' },
  { name: 'revenue', file: 'revenue.ts' },
  { name: 'cli', file: 'cli.ts' },
  { name: 'postgres', file: 'postgres.ts' },
  { name: 'serve', file: 'serve.ts' },
];

/** A results row that carries a verdict: `| … | met |` or `| … | MISSED |`. */
const VERDICT_ROW = /^\|.*\|\s*(met|MISSED)\s*\|(\s*[^|]*\|)?\s*$/;

function runBench(b: Bench, passOn: string[]): Promise<{ code: number; rows: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(b.flags ?? []), '--import', 'tsx', path.join(BENCH_DIR, b.file), ...passOn], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const rows: string[] = [];
    let rest = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      rows.push(...lines.filter((l) => VERDICT_ROW.test(l)));
    });
    child.on('close', (code) => resolve({ code: code ?? 1, rows }));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const chosen = args.filter((a) => !a.startsWith('--'));
  const passOn = args.filter((a) => a.startsWith('--'));
  const unknown = chosen.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench: ${unknown.join(', ')} (known: ${BENCHES.map((b) => b.name).join(', ')})\n`);
    process.exit(2);
  }
  const todo = chosen.length > 0 ? BENCHES.filter((b) => chosen.includes(b.name)) : BENCHES;
  const summary: string[] = [];
  let failed = 0;
  for (const b of todo) {
    process.stdout.write(`\n━━ ${b.name} (bench/${b.file}) ━━\n`);
    const { code, rows } = await runBench(b, passOn);
    if (code !== 0) failed++;
    summary.push(`### ${b.name}${code === 0 ? '' : ` — exited with ${code}`}`, ...rows, '');
  }
  process.stdout.write(`\n━━ every target, this run ━━\n${summary.join('\n')}\n`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
