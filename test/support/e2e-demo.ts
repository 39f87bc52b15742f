// When the e2e specs about past months make their demo books. The demo's events fall in the 45 days
// before its `now`, most of them close to it; made at the real now, "last month" held a full month of
// recharges on the 1st and none by the 10th, so a spec that passed on the 4th failed later. Pinned to a
// day of this Shanghai month, last month holds the same story whichever day the tests run.

const SHANGHAI = 8 * 3_600_000;

/** `day` whole days into this Shanghai month, at 09:00 there; now, if that moment is still to come. */
export function demoNow(day: number): number {
  const local = new Date(Date.now() + SHANGHAI);
  const pinned = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1 + day, 9) - SHANGHAI;
  return Math.min(pinned, Date.now());
}
