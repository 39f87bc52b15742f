// Screen data through @tanstack/react-query over call(): a read is cached under [method, input] and
// refetched when a write names its method; a write shows its refusal through showError. The
// QueryClient itself is made in app/QueryProvider.
import { App as AntApp } from 'antd';
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { showError } from '../app/errors';
import { useT } from '../i18n';
import { useJobs } from '../app/jobs';
import { call, type Input, type JobMethodName, type MethodName } from './coffer';

/** The rows of a read not answered yet: one constant, so that effects on rows do not run at every render. */
export const NO_ROWS: never[] = [];

export interface ReadOptions {
  /** false: do not ask yet (e.g. nothing chosen). */
  enabled?: boolean;
  /** Keep the rows on screen while the next page or filter loads. */
  keepPrevious?: boolean;
}

/** A read method's answer, cached under [method, input]. */
export function useRead<M extends MethodName>(method: M, input?: Input<M>, opts: ReadOptions = {}) {
  return useQuery({
    queryKey: [method, input ?? {}] as const,
    queryFn: () => call(method, input),
    enabled: opts.enabled ?? true,
    ...(opts.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

/** Refetch every cached read of these methods (whatever its input). */
export function useInvalidate() {
  const client = useQueryClient();
  return useCallback(
    (...methods: MethodName[]) => client.invalidateQueries({ predicate: (q) => methods.some((m) => q.queryKey[0] === m) }),
    [client],
  );
}

/**
 * A write: run(input) answers the method's result, or undefined after showing the refusal. On success
 * the reads named in `invalidates` are refetched before run answers.
 */
export function useWrite<M extends MethodName>(method: M, invalidates: MethodName[] = []) {
  return useAnswered((input: Input<M>) => call(method, input), invalidates);
}

/**
 * A job the screen waits for as it would for a write (approve all, the revenue run): run(input) answers
 * the job's result once it is done — its progress shows in the header meanwhile, where it can be
 * cancelled — or undefined after showing the refusal or the cancel.
 */
export function useJobWrite<M extends JobMethodName>(method: M, invalidates: MethodName[] = []) {
  const jobs = useJobs();
  return useAnswered((input: Input<M>) => jobs.run(method, input), invalidates);
}

function useAnswered<I, O>(ask: (input: I) => Promise<O>, invalidates: MethodName[]) {
  const t = useT();
  const { message } = AntApp.useApp();
  const invalidate = useInvalidate();
  const m = useMutation({ mutationFn: ask });
  const { mutateAsync } = m;
  const toRefetch = useRef(invalidates);
  toRefetch.current = invalidates;
  const run = useCallback(
    async (input: I): Promise<O | undefined> => {
      let out: O;
      try {
        out = await mutateAsync(input);
      } catch (e) {
        showError(message, e, t);
        return undefined;
      }
      // Answer once the screen shows the new state, as the reloads before did.
      if (toRefetch.current.length) await invalidate(...toRefetch.current);
      return out;
    },
    [mutateAsync, invalidate, message, t],
  );
  return { run, busy: m.isPending };
}

/** One read method asked with several inputs at once (e.g. every tab of a queue), each cached as useRead would. */
export function useReads<M extends MethodName>(method: M, inputs: Input<M>[]) {
  return useQueries({ queries: inputs.map((input) => ({ queryKey: [method, input] as const, queryFn: () => call(method, input) })) });
}
