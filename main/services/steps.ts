// A long write written once as a generator of steps: a caller that needs no progress (the demo, a
// service inside another) drains it at once; a job reports each step's progress and yields between
// steps, so the window stays answered and a cancel, thrown there, rolls the one transaction back.
export interface Step<S extends string = string> {
  done: number;
  total: number | null;
  stage: S;
}
export type Steps<R, S extends string = string> = AsyncGenerator<Step<S>, R, void>;

export interface StepControl {
  progress(done: number, total: number | null, stage?: string): void;
  checkpoint(): Promise<void>;
}

/** Runs every step at once and answers the result. */
export async function drain<R>(steps: Steps<R>): Promise<R> {
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps as a job: progress after each, and a chance to cancel before the next. */
export async function inJob<R>(steps: Steps<R>, job: StepControl): Promise<R> {
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
    job.progress(next.value.done, next.value.total, next.value.stage);
    await job.checkpoint();
  }
}
