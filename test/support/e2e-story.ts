// A user story as one Playwright test: a clerk matches, then an approver approves what was matched — each
// step stands on the one before it, so the steps run in order inside one test (test.step) instead of a
// serial chain of tests. A failing step fails its story alone and is named in the report; no test is
// skipped because another failed, and every spec keeps its own books (its own harness).
import { test } from '@playwright/test';

interface Step {
  name: string;
  run: () => Promise<void>;
  /** This step's budget when it needs more than the spec's per-test timeout. */
  budget?: number;
}

/**
 * The steps of one story: `step(name, run)` adds them in order, and the spec ends with
 * `test(title, story.run)` (declared in the spec, so reports point at the spec's own line). The story's
 * time budget is the spec's per-test timeout for each step (or the step's own budget): as much as the
 * serial tests it replaces had together.
 */
export function story() {
  const steps: Step[] = [];
  return {
    step(name: string, run: () => Promise<void>, opts: { budget?: number } = {}) {
      steps.push({ name, run, ...opts });
    },
    async run() {
      const perStep = test.info().timeout;
      test.setTimeout(steps.reduce((sum, s) => sum + (s.budget ?? perStep), 0));
      for (const s of steps) await test.step(s.name, s.run);
    },
  };
}
