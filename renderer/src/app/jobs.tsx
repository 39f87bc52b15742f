// Long jobs: start one, follow its progress events, and get its result as a promise. Every running
// job shows in the header's indicator. Events that arrive before the job id is known are kept.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, call, onJobEvent, type Input, type JobEvent, type JobMethodName, type JobResult } from '../api/coffer';

export interface JobView {
  jobId: string;
  method: string;
  done: number;
  total: number | null;
  stage?: string;
  status: 'running' | 'done' | 'failed';
}

interface Waiter {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface Jobs {
  jobs: JobView[];
  run<M extends JobMethodName>(method: M, input?: Input<M>): Promise<JobResult<M>>;
  cancel(jobId: string): Promise<void>;
}

const Ctx = createContext<Jobs | null>(null);

export function JobsProvider({ children }: { children: ReactNode }) {
  const [jobs, setJobs] = useState<JobView[]>([]);
  const waiters = useRef(new Map<string, Waiter>());
  const early = useRef(new Map<string, JobEvent[]>());

  const apply = useCallback((e: JobEvent) => {
    const w = waiters.current.get(e.jobId);
    if (!w) {
      const list = early.current.get(e.jobId) ?? [];
      list.push(e);
      early.current.set(e.jobId, list);
      return;
    }
    setJobs((all) =>
      all.map((j) => {
        if (j.jobId !== e.jobId) return j;
        if (e.type === 'job.progress') return { ...j, done: e.done, total: e.total, ...(e.stage ? { stage: e.stage } : {}) };
        return { ...j, status: e.type === 'job.done' ? 'done' : 'failed' };
      }),
    );
    if (e.type === 'job.done') {
      waiters.current.delete(e.jobId);
      w.resolve(e.result);
    } else if (e.type === 'job.failed') {
      waiters.current.delete(e.jobId);
      w.reject(new ApiError(e.error.code, e.error.message, e.error.details));
    }
    if (e.type !== 'job.progress') setTimeout(() => setJobs((all) => all.filter((j) => j.jobId !== e.jobId)), 1500);
  }, []);

  useEffect(() => onJobEvent(apply), [apply]);

  const run = useCallback(
    async <M extends JobMethodName>(method: M, input?: Input<M>): Promise<JobResult<M>> => {
      const { jobId } = (await call(method, input)) as { jobId: string };
      const result = new Promise<unknown>((resolve, reject) => waiters.current.set(jobId, { resolve, reject }));
      setJobs((all) => [...all, { jobId, method, done: 0, total: null, status: 'running' }]);
      const seen = early.current.get(jobId);
      if (seen) {
        early.current.delete(jobId);
        for (const e of seen) apply(e);
      }
      return (await result) as JobResult<M>;
    },
    [apply],
  );

  const cancel = useCallback(async (jobId: string) => {
    await call('jobs.cancel', { jobId });
  }, []);

  const value = useMemo(() => ({ jobs, run, cancel }), [jobs, run, cancel]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useJobs(): Jobs {
  const c = useContext(Ctx);
  if (!c) throw new Error('useJobs outside JobsProvider');
  return c;
}

export function jobPercent(j: Pick<JobView, 'done' | 'total' | 'status'>): number {
  if (j.status === 'done') return 100;
  if (!j.total) return 0;
  return Math.min(100, Math.floor((j.done / j.total) * 100));
}
