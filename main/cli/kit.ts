// What every command shares: the Command shape, output to stdout/stderr, job progress, opening the
// books as a reader or a named user, and the --out check.
import fs from 'node:fs';
import path from 'node:path';
import type { JobEvent } from '../api/jobs';
import { namedUser, offlineReader, samePath, type CliApi } from './open';
import { readPassword } from './password';
import { UsageError, type Options, type Values } from './usage';
import { visible } from './visible';
import { refuse } from '../domain/refusals';

export interface Command {
  name: string;
  summary: string;
  help: string;
  options: Options;
  /** Takes file names after the options (kept in v._). */
  positionals?: boolean;
  run(v: Values): Promise<number>;
}

// Everything the CLI prints goes through visible(): text from a file never drives the terminal.
export const out = (s: string) => process.stdout.write(visible(s, { layout: true }));
export const say = (s: string) => process.stderr.write(visible(s, { layout: true }) + '\n');

const started = Date.now();
let lastLine = 0;

/**
 * Progress of a job on stderr: at a terminal one line rewritten in place; into a file or pipe, a line
 * every few seconds once the command has run for two (so small jobs print nothing, big imports do).
 */
export function progress(e: Extract<JobEvent, { type: 'job.progress' }>): void {
  const stage = e.stage ? `${e.stage} ` : '';
  const pct = e.total ? ` (${Math.floor((100 * e.done) / e.total)}%)` : '';
  const text = `${e.method}: ${stage}${e.done}${e.total !== null ? `/${e.total}` : ''}${pct}`;
  if (process.stderr.isTTY) {
    process.stderr.write(`\r${text}    `);
    return;
  }
  const t = Date.now();
  if (t - started < 2000 || t - lastLine < 3000) return;
  lastLine = t;
  process.stderr.write(`${text}\n`);
}

/** Read-only commands: offline reader without --as, or a named, logged-in user with it. */
/** The books at --db opened as the user --as names, whose password is the first line of standard input. */
export function writer(v: Values): Promise<CliApi> {
  return namedUser(v.db as string, v.as as string, () => readPassword(`Password for ${v.as}: `), progress);
}

export async function reader(v: Values): Promise<CliApi> {
  if (typeof v.as === 'string') return writer(v);
  return offlineReader(v.db as string, progress);
}

export async function withApi<T>(api: CliApi, work: (api: CliApi) => Promise<T>): Promise<T> {
  try {
    return await work(api);
  } finally {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    await api.close();
  }
}

/** Refuses to overwrite a file unless --force, and to write over the books themselves. */
export function checkOut(command: string, v: Values): string {
  const target = v.out as string;
  if (samePath(target, v.db as string)) throw new UsageError('--out must not be the books file itself', command);
  if (fs.existsSync(target) && !v.force) throw refuse('CONFLICT', 'file_exists_force', { path: target }, { path: target });
  if (!fs.existsSync(path.dirname(path.resolve(target))))
    throw refuse('NOT_FOUND', 'folder_missing', { folder: path.dirname(path.resolve(target)) }, { path: target });
  return target;
}

export const DB = { db: { type: 'string' } } as const;
export const AS = { as: { type: 'string' } } as const;
export const OUT = { out: { type: 'string' }, force: { type: 'boolean' } } as const;

export const READ_NOTE = `--db takes a books file or a postgres:// URL (its password is never printed).
Without --as the file is opened read-only (it cannot be changed) with an auditor's rights; on a
URL every transaction is READ ONLY.
With --as USER the password is read from standard input and USER logs in as at the console
(the login is audited; the role must be allowed to read).`;
