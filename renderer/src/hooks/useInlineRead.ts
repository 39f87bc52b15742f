// A read whose refusal the screen says in place (a panel inside a page, a calculator's cell) rather than
// as a message. Cached under [method, input, 'inline', also]; `also` is what else should make it ask
// again (a version that changed), and writes naming the method refetch it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call, type Data, type Input, type MethodName } from '../api/coffer';
import type { ReadOptions } from '../api/queries';

export type Inline<T> = { found: T } | { error: unknown };

export function useInlineRead<M extends MethodName>(method: M, input: Input<M>, opts: ReadOptions & { also?: unknown } = {}) {
  const enabled = opts.enabled ?? true;
  const q = useQuery({
    queryKey: [method, input, 'inline', opts.also ?? null] as const,
    queryFn: (): Promise<Inline<Data<M>>> =>
      call(method, input).then(
        (found) => ({ found }),
        (error: unknown) => ({ error }),
      ),
    enabled,
    ...(opts.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
  const d = enabled ? q.data : undefined;
  return { answer: d, data: d && 'found' in d ? d.found : undefined, error: d && 'error' in d ? d.error : undefined };
}
