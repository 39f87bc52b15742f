// The one way the console talks to the books: window.coffer, with typed results. call() unwraps
// {ok, data} and throws ApiError with the API's code, message and details; a refused session is
// announced to the app (back to login, or to the lock screen).
import type { ApiResult, CofferApi, JobEvent } from '../../../main/api/client-types';
import type { JobMethodName, MethodInput, MethodName, MethodOutput } from '../../../main/api/contract';

export type { JobEvent, MethodName, JobMethodName };
export type Data<M extends MethodName> = M extends JobMethodName ? { jobId: string } : MethodOutput<M>;
export type Input<M extends MethodName> = MethodInput<M>;
export type JobResult<M extends JobMethodName> = MethodOutput<M>;

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Session problems the app reacts to wherever they happen. */
export type SessionSignal = { kind: 'ended'; reason: string; detail?: string } | { kind: 'locked' };
const sessionListeners = new Set<(s: SessionSignal) => void>();
export function onSessionSignal(l: (s: SessionSignal) => void): () => void {
  sessionListeners.add(l);
  return () => sessionListeners.delete(l);
}

/** Tell the app the session is over for a known reason (e.g. 'restored' after a restore). */
export function announceSessionEnded(reason: string, detail?: string): void {
  for (const l of sessionListeners) l({ kind: 'ended', reason, ...(detail ? { detail } : {}) });
}

// Methods whose UNAUTHENTICATED answer means "wrong password", not "session gone".
const PASSWORD_CHECKS = new Set<string>(['session.login', 'session.unlock', 'session.changePassword', 'setup.createFirstAdmin']);

function api(): CofferApi {
  if (!window.coffer) throw new ApiError('INTERNAL', 'window.coffer is missing: the console must run inside Coffer');
  return window.coffer.api;
}

export async function call<M extends MethodName>(method: M, input?: Input<M>): Promise<Data<M>> {
  const fn = api()[method] as (i?: unknown) => Promise<ApiResult<unknown>>;
  const r = await fn(input ?? {});
  if (r.ok) return r.data as Data<M>;
  const e = r.error;
  if (!PASSWORD_CHECKS.has(method)) {
    if (e.code === 'UNAUTHENTICATED') for (const l of sessionListeners) l({ kind: 'ended', reason: String(e.details?.reason ?? 'none') });
    if (e.code === 'LOCKED' && e.details?.reason === 'screen_locked') for (const l of sessionListeners) l({ kind: 'locked' });
  }
  throw new ApiError(e.code, e.message, e.details ?? {});
}

export function onJobEvent(listener: (e: JobEvent) => void): () => void {
  return window.coffer ? window.coffer.onEvent(listener) : () => {};
}
