// Scans: long reads (verify, the audit chain's check) run as jobs on a worker thread of their own, over a
// read-only connection of their own, so that while one runs the window's reads, its cancels and the
// app:// handler are answered (a verify at a million transfers takes half a minute). The worker runs the
// same method from the contract (api/scan-worker.ts); books without a file of their own (in memory, or on
// PostgreSQL: in one read snapshot), or a build without the worker's script, run the scan on the calling thread instead.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inReadSnapshot, type AnyBooks } from '../db/tx';
import { vaultKey } from '../db/books-key';
import type { ApiErrorBody } from '../domain/errors';
import { refuse } from '../domain/refusals';
import type { ScanCtx } from './define';
import type { JobControl } from './jobs';

/** What the worker is given (structured-cloned). */
export interface ScanRequest {
  method: string;
  input: unknown;
  booksPath: string;
  nativeBinding?: string;
  /** The console keychain's copy of the books key (hex), for the anchor's signature when the key file is away. */
  vaultKey: string | null;
}

export type ScanMessage =
  | { type: 'progress'; done: number; total: number | null; stage?: string }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ApiErrorBody };

type ScanRun = (ctx: ScanCtx, input: unknown) => unknown;

/** A scan refused or failed on its thread: the error as the worker put it (already coded there). */
export class ScanFailure extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

/**
 * How to start the worker: its built script, or the TypeScript source through tsx's loader (`tsx`
 * holds the loader's address: tests, the bench, a checkout).
 */
export interface ScanWorkerScript {
  url: URL;
  tsx: string | null;
}

/**
 * The built script beside the bundled entry (out/main/scan-worker.js beside the console's core), else
 * this module's TypeScript sibling when tsx is at hand, else null.
 */
export function scanWorkerScript(built?: URL): ScanWorkerScript | null {
  if (built && fs.existsSync(fileURLToPath(built))) return { url: built, tsx: null };
  const source = new URL('./scan-worker.ts', import.meta.url);
  const tsx = source.protocol === 'file:' && fs.existsSync(fileURLToPath(source)) ? tsxApi() : null;
  return tsx ? { url: source, tsx } : null;
}

function tsxApi(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    return pathToFileURL(path.join(dir, 'dist', 'esm', 'api', 'index.mjs')).href;
  } catch {
    return null; // an installed build: no tsx, and no TypeScript to run
  }
}

const onDisk = (p: string) => p !== '' && p !== ':memory:' && !p.startsWith('file::memory:');

/** Runs a scan for a job: on the worker when it can, else here (same result, the window waits). */
export function runScan(
  books: AnyBooks,
  request: Omit<ScanRequest, 'booksPath' | 'vaultKey'>,
  run: ScanRun,
  job: JobControl,
  script: ScanWorkerScript | null,
): Promise<unknown> {
  // Run here, a cancel cannot end a thread: the scan stops at its next progress report instead.
  const progress: ScanCtx['progress'] = (done, total, stage) => {
    if (job.cancelled) throw refuse('CANCELLED', 'job_cancelled', {});
    job.progress(done, total, stage);
  };
  // Books on PostgreSQL have no file for a worker to open and no anchor beside them: one snapshot, read here.
  if (books.engine === 'postgres') return inReadSnapshot(books, async (q) => run({ q, booksPath: '', progress }, request.input));
  if (!script || !onDisk(books.path)) return Promise.resolve(run({ q: books.reader, booksPath: books.path, progress }, request.input));
  const key = vaultKey(books.reader);
  return onWorker(script, { ...request, booksPath: books.path, vaultKey: key ? key.toString('hex') : null }, job);
}

function onWorker(script: ScanWorkerScript, request: ScanRequest, job: JobControl): Promise<unknown> {
  const worker = script.tsx
    ? new Worker(
        `import(${JSON.stringify(script.tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script.url.href)}); })`,
        {
          eval: true,
          workerData: request,
        },
      )
    : new Worker(script.url, { workerData: request });
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      void worker.terminate();
      f();
    };
    // A cancel stops the thread where it is: a scan writes nothing, so there is nothing to roll back.
    const watch = setInterval(() => {
      if (job.cancelled) finish(() => reject(refuse('CANCELLED', 'job_cancelled', {})));
    }, 50);
    worker.on('message', (m: ScanMessage) => {
      if (m.type === 'progress') job.progress(m.done, m.total, m.stage);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new ScanFailure(m.error)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) =>
      finish(() => reject(refuse('INTERNAL', 'unexpected_error', { detail: `the scan's thread ended (exit code ${code})` }))),
    );
  });
}
