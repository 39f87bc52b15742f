// Per-item answers (approvals, invoice checks and issues, number imports) are unions told apart by
// `outcome`; the contract types each arm. A test that expects one outcome reads that arm's fields.
import { expect } from 'vitest';
import type { TestApi } from './temp-books';

/** Expects `item` to have this outcome, and gives it back as that arm of its union. */
export function withOutcome<T extends { outcome: string }, O extends T['outcome']>(
  item: T | undefined,
  outcome: O,
): Extract<T, { outcome: O }> {
  expect(item?.outcome).toBe(outcome);
  return item as Extract<T, { outcome: O }>;
}

/** What a refused call said (its code, and the reason and parameters in its details), or null when it was not refused. */
export const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { code: string; details: { reason?: string; params?: Record<string, string> } }) => ({
      code: e.code,
      reason: e.details.reason,
      params: e.details.params,
    }),
  );

/** Starts a job and cancels it at once (the cancel lands between its steps): its id and how it ended. */
export async function cancelledAtOnce(t: TestApi, who: string, method: string, input: object) {
  const { jobId } = (await t.send(who, method, input)) as { jobId: string };
  await t.call(who, 'jobs.cancel', { jobId });
  await t.dispatcher.jobs.settle(jobId);
  return { jobId, end: t.events.find((e) => e.jobId === jobId && e.type !== 'job.progress') };
}
