// What every bench script reads and prints: its flags, a line to stdout, the clock, and the results row.
/** `--write-docs`: the bench rewrites its section of docs/PERFORMANCE.md (default sizes only). */
export const WRITE_DOCS = process.argv.includes('--write-docs');
/** BENCH_KEEP=1 keeps the books files in bench/.data. */
export const KEEP = process.env.BENCH_KEEP === '1';
export const log = (s: string): void => {
  process.stdout.write(s + '\n');
};
export const now = (): number => performance.now();

/** A results row with a target and its verdict (the ledger and events benches). */
export interface Row {
  what: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: string;
}
export const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
