// Scans (verify, the audit chain's check) run on a thread of their own with a read-only connection of
// their own: while one runs, the window's reads are answered and a cancel stops it at once.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobControl } from '../../main/api/jobs';
import { runScan, ScanFailure, scanWorkerScript } from '../../main/api/scans';
import { inWriteTx } from '../../main/db/tx';
import { createAccount } from '../../main/services/ledger-post';
import type { VerifyReport } from '../../main/services/verify';
import { withStaffedApi } from '../support/books-hooks';
import { ON_POSTGRES, type TestApi } from '../support/temp-books';

let t: TestApi;
withStaffedApi((api) => (t = api));

/**
 * Enough transfers that a verify takes a while (about a second here). They are written behind Coffer's
 * back, so verify has findings — it is the time it takes that matters.
 */
async function manyTransfers(n: number): Promise<void> {
  const wallet = await inWriteTx(t.anyBooks, async (tx) =>
    createAccount(tx, { ledger: 2, code: 'recharge_wallet', name: 'w', ownerKind: 'account', ownerId: 1, flags: 1 }),
  );
  await t.anyBooks
    .sql(
      `WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
       INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, code, ts, business_date)
       SELECT 'bulk-' || n, 2, 5, ?, 100, 'single', 'recharge', 0, '2026-11-30' FROM i`,
    )
    .run(n, wallet);
}

const outcome = (jobId: string) => t.events.find((e) => e.jobId === jobId && (e.type === 'job.done' || e.type === 'job.failed'));

async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 2));
}

describe('scans', () => {
  it('run from the TypeScript sources in a checkout (the built script is used when it exists)', () => {
    expect(scanWorkerScript()?.tsx).toMatch(/tsx/);
    expect(scanWorkerScript(new URL('file:///nowhere/scan-worker.mjs'))?.tsx).toMatch(/tsx/);
  });

  it('a read is answered while a verify runs', async () => {
    await manyTransfers(200_000);
    const { jobId } = await t.call('auditor', 'books.verify');
    await until(() => t.events.some((e) => e.jobId === jobId && e.type === 'job.progress'));
    const answered: string[] = [];
    const read = t.call('clerk', 'ledger.transfers', { limit: 5 }).then(() => answered.push('read'));
    const done = until(() => outcome(jobId) !== undefined).then(() => answered.push('verify'));
    await Promise.all([read, done]);
    expect(answered).toEqual(['read', 'verify']);
    const end = outcome(jobId);
    expect(end?.type).toBe('job.done');
    expect(end?.type === 'job.done' && (end.result as VerifyReport).counts.transfers).toBe(200_000);
  });

  it('a cancelled verify stops at once and the books stay open', async () => {
    await manyTransfers(200_000);
    const { jobId } = await t.call('auditor', 'books.verify');
    await until(() => t.events.some((e) => e.jobId === jobId && e.type === 'job.progress'));
    await t.call('auditor', 'jobs.cancel', { jobId });
    await until(() => outcome(jobId) !== undefined);
    expect(outcome(jobId)).toMatchObject({ type: 'job.failed', error: { code: 'CANCELLED' } });
    const r = await t.runJob('auditor', 'audit.verifyChain');
    expect(r.ok).toBe(true);
  });

  it('another user cannot cancel it, and a role that may not verify is refused before a thread starts', async () => {
    const { jobId } = await t.call('auditor', 'books.verify');
    await expect(t.call('clerk', 'jobs.cancel', { jobId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.dispatcher.jobs.settle(jobId);
    expect(outcome(jobId)?.type).toBe('job.done');
    await expect(t.call('nobody', 'books.verify')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

// On PostgreSQL books a scan reads one snapshot in this process (there is no file for a thread to open).
describe.skipIf(ON_POSTGRES)('a scan that fails on its thread', () => {
  const job: JobControl = { jobId: 'j', progress: () => {}, cancelled: false, checkpoint: async () => {} };
  const worker = (name: string, body: string) => {
    const file = path.join(t.dir, name);
    fs.writeFileSync(file, body);
    return { url: pathToFileURL(file), tsx: null };
  };
  const scan = (script: { url: URL; tsx: null }) =>
    runScan(t.anyBooks, { method: 'books.verify', input: {} }, () => ({ ok: true }), job, script);

  it('keeps the code and reason the worker gave', async () => {
    const failed = worker(
      'refuses.mjs',
      `import { parentPort } from 'node:worker_threads';
       parentPort.postMessage({ type: 'failed', error: { code: 'BOOKS', message: 'gone', details: { reason: 'books_not_open', params: {} } } });`,
    );
    const e = await scan(failed).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ScanFailure);
    expect((e as ScanFailure).body).toEqual({ code: 'BOOKS', message: 'gone', details: { reason: 'books_not_open', params: {} } });
  });

  it('a thread that ends without an answer is an INTERNAL error saying so', async () => {
    const dies = worker('dies.mjs', 'process.exit(3);');
    await expect(scan(dies)).rejects.toMatchObject({ code: 'INTERNAL', details: { reason: 'unexpected_error' } });
    await expect(scan(dies)).rejects.toThrow(/exit code 3/);
  });
});
