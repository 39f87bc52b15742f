// A read whose refusal is not shown: the screen goes on without it (names beside codes, a picker's
// options). Cached like useRead, under [method, input, 'quiet'], so writes naming the method refetch it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call, type Data, type Input, type MethodName } from '../api/coffer';
import type { ReadOptions } from '../api/queries';

/** The method's answer, or null when the books refused it. */
export function useQuietRead<M extends MethodName>(method: M, input?: Input<M>, opts: ReadOptions = {}) {
  return useQuery({
    queryKey: [method, input ?? {}, 'quiet'] as const,
    queryFn: (): Promise<Data<M> | null> => call(method, input).catch(() => null),
    enabled: opts.enabled ?? true,
    ...(opts.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}
