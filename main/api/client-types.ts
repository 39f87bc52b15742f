// The API as the renderer sees it: one async function per contract method, each resolving to
// {ok, data} | {ok, error}. Type-only: nothing here runs in the renderer.
import type { ApiResult } from '../domain/errors';
import type { JobEvent } from './jobs';
import type { JobMethodName, MethodInput, MethodName, MethodOutput } from './contract';

export type CofferApi = {
  [M in MethodName]: (input?: MethodInput<M>) => Promise<ApiResult<M extends JobMethodName ? { jobId: string } : MethodOutput<M>>>;
};

export interface CofferBridge {
  api: CofferApi;
  /** Job progress and completion events; returns an unsubscribe function. */
  onEvent(listener: (e: JobEvent) => void): () => void;
}

export type { ApiResult, JobEvent };
