// The worker thread a scan runs on (api/scans.ts): its own read-only connection to the books, the
// method's run from the contract, progress and the outcome posted back.
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnlyBooks } from '../db/books';
import { setKeyVault } from '../db/books-key';
import { contract } from './contract';
import type { MethodDef } from './define';
import { toErrorBody } from './dispatcher';
import type { ScanMessage, ScanRequest } from './scans';

const request = workerData as ScanRequest;
const post = (m: ScanMessage) => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const def = (contract as Record<string, MethodDef>)[request.method];
  if (!def || def.kind !== 'scan') throw new Error(`${request.method} is not a scan`);
  if (request.vaultKey) {
    const key = Buffer.from(request.vaultKey, 'hex');
    setKeyVault({ load: () => key, save: () => {} });
  }
  const q = openReadOnlyBooks(request.booksPath, request.nativeBinding);
  try {
    const progress = (done: number, total: number | null, stage?: string) =>
      post({ type: 'progress', done, total, ...(stage ? { stage } : {}) });
    post({ type: 'done', result: await def.run({ q, booksPath: request.booksPath, progress }, request.input) });
  } finally {
    await q.destroy();
  }
}

main().catch((e: unknown) => post({ type: 'failed', error: toErrorBody(e) }));
