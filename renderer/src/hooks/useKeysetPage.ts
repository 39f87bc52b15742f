// One keyset-paged list: the stack of beforeIds, the page on screen (a useRead of the list method at the
// top beforeId, so a filter or page change is a new query key), and its loading flag.
import { useCallback, useState } from 'react';
import type { Data, Input, MethodName } from '../api/coffer';
import { NO_ROWS, useRead } from '../api/queries';

export interface KeysetPage<R> {
  rows: R[];
  nextBeforeId: number | null;
}

/** The stack of beforeIds that led to the current page (undefined = newest). */
export function useKeyset() {
  const [stack, setStack] = useState<(number | undefined)[]>([undefined]);
  const beforeId = stack[stack.length - 1];
  const older = useCallback((next: number) => setStack((s) => [...s, next]), []);
  const newer = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { beforeId, page: stack.length, older, newer, reset };
}

/** The paging part of a list method's input. */
export function pageInput(beforeId: number | undefined, limit: number): { limit: number; beforeId?: number } {
  return beforeId !== undefined ? { beforeId, limit } : { limit };
}

export type Keyset = ReturnType<typeof useKeyset>;

/** A keyset-paged read (useRead of a list method at keyset.beforeId) as rows, loading flag, reset and pager props. */
export function pagedList<R>(keyset: Keyset, read: { data?: KeysetPage<R>; isFetching: boolean }) {
  const rows = read.data?.rows ?? NO_ROWS;
  return {
    rows,
    loading: read.isFetching,
    reset: keyset.reset,
    pager: {
      page: keyset.page,
      rows: rows.length,
      nextBeforeId: read.data?.nextBeforeId ?? null,
      onNewer: keyset.newer,
      onOlder: keyset.older,
    },
  };
}

/** The row type of a list method that answers { rows, nextBeforeId }. */
export type RowOf<M extends MethodName> = Data<M> extends { rows: readonly (infer R)[] } ? R : never;
/** A list method's input without its paging part. */
export type ListFilter<M extends MethodName> = Omit<Input<M>, 'beforeId' | 'limit'>;

/**
 * A keyset-paged list method read with `filter`, `limit` rows a page, at `keyset`'s position: the rows stay on
 * screen while the next page or filter loads; a write that names `method` refetches it. R narrows the row
 * type when the method's declared row is looser than what it returns.
 */
export function useKeysetList<M extends MethodName, R = RowOf<M>>(method: M, filter: ListFilter<M>, limit: number, keyset: Keyset) {
  const input = { ...filter, ...pageInput(keyset.beforeId, limit) } as Input<M>;
  const read = useRead(method, input, { keepPrevious: true });
  const { refetch } = read;
  /** Read the page on screen again (a refresh button). */
  const refresh = useCallback(() => void refetch(), [refetch]);
  return { ...pagedList(keyset, read as { data?: KeysetPage<R>; isFetching: boolean }), refresh };
}

export type KeysetList<R> = ReturnType<typeof pagedList<R>> & { refresh(): void };
