// Long jobs (verify, exports, backups; imports in later issues): they report progress to the client
// that started them and can be cancelled. A job that writes does so in one transaction that a
// cancellation rolls back, so a cancelled job writes nothing.
import { type ApiErrorBody } from '../domain/errors';
import { refuse } from '../domain/refusals';

export type JobEvent =
  | { type: 'job.progress'; jobId: string; method: string; done: number; total: number | null; stage?: string }
  | { type: 'job.done'; jobId: string; method: string; result: unknown }
  | { type: 'job.failed'; jobId: string; method: string; error: ApiErrorBody };

export interface JobControl {
  readonly jobId: string;
  progress(done: number, total: number | null, stage?: string): void;
  readonly cancelled: boolean;
  /** Throws CANCELLED when the user asked to stop; call it between chunks. */
  checkpoint(): Promise<void>;
}

export type EmitEvent = (clientId: string, event: JobEvent) => void;

interface Running {
  clientId: string;
  method: string;
  cancelled: boolean;
  finished: Promise<void>;
}

let jobSeq = 0;

export class JobRunner {
  private readonly running = new Map<string, Running>();
  constructor(private readonly emit: EmitEvent) {}

  start(
    clientId: string,
    method: string,
    work: (job: JobControl) => Promise<unknown>,
    toError: (e: unknown) => ApiErrorBody,
  ): { jobId: string } {
    const jobId = `job-${++jobSeq}-${Date.now().toString(36)}`;
    const entry: Running = { clientId, method, cancelled: false, finished: Promise.resolve() };
    let lastEmit = 0;
    const control: JobControl = {
      jobId,
      progress: (done, total, stage) => {
        const now = Date.now();
        if (now - lastEmit < 50 && total !== null && done < total) return; // at most ~20 events a second
        lastEmit = now;
        this.emit(clientId, { type: 'job.progress', jobId, method, done, total, ...(stage ? { stage } : {}) });
      },
      get cancelled() {
        return entry.cancelled;
      },
      checkpoint: async () => {
        await new Promise<void>((r) => setImmediate(r));
        if (entry.cancelled) throw refuse('CANCELLED', 'job_cancelled', {});
      },
    };
    this.running.set(jobId, entry);
    entry.finished = (async () => {
      await new Promise<void>((r) => setImmediate(r));
      try {
        const result = await work(control);
        this.emit(clientId, { type: 'job.done', jobId, method, result });
      } catch (e) {
        this.emit(clientId, { type: 'job.failed', jobId, method, error: toError(e) });
      } finally {
        this.running.delete(jobId);
      }
    })();
    return { jobId };
  }

  cancel(clientId: string, jobId: string): boolean {
    const j = this.running.get(jobId);
    if (!j || j.clientId !== clientId) return false;
    j.cancelled = true;
    return true;
  }

  /** Resolves when the job has finished (tests and shutdown). */
  async settle(jobId?: string): Promise<void> {
    if (jobId) await this.running.get(jobId)?.finished;
    else await Promise.all([...this.running.values()].map((j) => j.finished));
  }
}
