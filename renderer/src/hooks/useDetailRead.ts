// One thing a detail page shows (a record, an invoice, a customer), read through react-query: a
// NOT_FOUND answers `missing` (the page says so) instead of being shown as an error; any other refusal
// is shown as every read's is. Cached under [method, input, 'detail'], so writes naming the method refetch it.
import { useQuery } from '@tanstack/react-query';
import { ApiError, call, type Data, type Input, type MethodName } from '../api/coffer';

export function useDetailRead<M extends MethodName>(method: M, input: Input<M>) {
  const q = useQuery({
    queryKey: [method, input, 'detail'] as const,
    queryFn: async (): Promise<{ found: Data<M> } | { missing: ApiError }> => {
      try {
        return { found: await call(method, input) };
      } catch (e) {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') return { missing: e };
        throw e;
      }
    },
  });
  const d = q.data;
  return {
    data: d && 'found' in d ? d.found : undefined,
    /** The NOT_FOUND refusal, when the thing is not in the books. */
    missing: d && 'missing' in d ? d.missing : undefined,
    refetch: q.refetch,
  };
}
