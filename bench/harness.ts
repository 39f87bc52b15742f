// What every bench script reads and prints: its flags, a line to stdout, the clock, the results row and section.
import { machine, markdownTable, writeDocSection } from './lib';

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

/** The opening lines of a bench's output: what it measures, when, on which machine, at what sizes. */
export function banner(title: string, sizes: string): void {
  log(`Coffer ${title} — ${new Date().toISOString()}\nmachine: ${machine()}\n${sizes}\n`);
}

/** A bench's results as its section of docs/PERFORMANCE.md: when and where it ran, a note, the table. */
export function resultsSection(head: string[], rows: string[][], note = '', started = new Date()): string {
  const when = `Run ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.`;
  return `${note ? `${when} ${note}` : when}\n\n${markdownTable(head, rows)}\n`;
}

/** Prints a section; with `--write-docs` records it in docs/PERFORMANCE.md, only from a default-sized run. */
export function publish(name: string, section: string, defaultSized: boolean): void {
  log(`\n${section}`);
  if (!WRITE_DOCS) return;
  if (!defaultSized) log(`not writing the ${name} section of docs/PERFORMANCE.md: only a default-sized run is recorded there`);
  else log(`wrote the ${name} results into ${writeDocSection(name, section)}`);
}
