// Reads see committed books only. A long write job (an event import) holds its transaction open and
// yields between chunks; a read made meanwhile must not see the rows it has written so far, because a
// cancel removes them (issue 14: "1 row during a cancelled import, 0 after"). Reads run on their own
// read-only connection; the job's writes are on the writer's.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffedApi, type TestApi } from '../support/temp-books';

let t: TestApi;
beforeEach(async () => {
  t = await staffedApi();
});
afterEach(async () => t.cleanup());

const registered = (i: number) =>
  JSON.stringify({
    id: `bulk-${i}`,
    type: 'customer.registered',
    at: '2026-11-20T09:00:00+08:00',
    data: { customer: `C-${i}`, kind: 'person', name: '李娜' },
  });

/** Starts an import of `n` registrations and answers once it has applied some and yielded. */
async function importUnderway(n: number) {
  const file = path.join(t.dir, 'bulk.jsonl');
  fs.writeFileSync(file, Array.from({ length: n }, (_, i) => registered(i)).join('\n'));
  t.dialogs.nextOpen = file;
  const preview = await t.runJob('clerk', 'events.preview');
  const { jobId } = await t.call('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
  // The job yields after each 2,000 events applied, its transaction still open: on the writer's own
  // connection its rows are there already.
  const written = () => (t.books.raw.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  for (let i = 0; i < 5000 && written() === 0; i++) await new Promise((r) => setImmediate(r));
  expect(written()).toBeGreaterThan(0);
  expect(t.books.raw.inTransaction).toBe(true);
  return jobId;
}

const customersSeen = async () => (await t.call('clerk', 'customers.search', {})).total;

describe('a read made while a write job runs', () => {
  it('sees the committed books, not the rows the job has written so far; a cancel leaves them as they were', async () => {
    const jobId = await importUnderway(6000);
    expect(await customersSeen()).toBe(0);
    await t.call('clerk', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    expect(await customersSeen()).toBe(0);
  });

  it('sees what the job wrote once it commits', async () => {
    const jobId = await importUnderway(4500);
    expect(await customersSeen()).toBe(0);
    await t.dispatcher.jobs.settle(jobId);
    expect(t.events.find((e) => e.jobId === jobId && e.type === 'job.done')).toBeDefined();
    expect(await customersSeen()).toBe(4500);
  });
});
