// The planner pauses every PLAN_STEP lines so that a reconciliation job shows progress inside a pass and
// can be cancelled there (at 1M lines one plan takes seconds); paused or not, it plans the same.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, PLAN_STEP, planMatchSteps, planMatches, type OpenLine, type OpenRequest } from '../../main/domain/matching';

const lines: OpenLine[] = Array.from({ length: 2 * PLAN_STEP + 1 }, (_, i) => ({
  id: i + 1,
  remaining: i === 7 ? 128_800 : 1 + (i % 500),
  day: 20_000 + (i % 3),
  counterpartyAccount: i % 2 ? `62170000${i % 40}` : null,
  counterpartyName: null,
  text: i === 7 ? '充值 ZW8K3P2Q' : '',
}));
const requests: OpenRequest[] = Array.from({ length: 60 }, (_, i) => ({
  id: i + 1,
  customerId: 1 + (i % 20),
  amount: i === 0 ? 128_800 : 1 + ((i * 37) % 500),
  covered: 0,
  referenceCode: i === 0 ? 'ZW8K3P2Q' : `REF${String(i).padStart(5, '0')}`,
  payerAccount: `62170000${i % 40}`,
  payerName: null,
  day: 20_000,
}));

describe('the planner as steps', () => {
  it('pauses after every 5,000 lines with how many are planned, and plans what the plan at once does', () => {
    const steps = planMatchSteps(lines, requests, DEFAULT_RULES);
    const pauses: number[] = [];
    let next = steps.next();
    for (; !next.done; next = steps.next()) pauses.push(next.value);
    expect(PLAN_STEP).toBe(5000);
    expect(pauses).toEqual([5000, 10_000]);
    const atOnce = planMatches(lines, requests, DEFAULT_RULES);
    expect(next.value).toEqual(atOnce);
    expect(atOnce).toContainEqual(expect.objectContaining({ kind: 'allocate', lineId: 8, requestId: 1, amount: 128_800 }));
    expect(atOnce.length).toBeGreaterThan(100);
  });

  it('does not pause on a plan of fewer lines', () => {
    const steps = planMatchSteps(lines.slice(0, PLAN_STEP), requests, DEFAULT_RULES);
    expect(steps.next().done).toBe(true);
  });
});
