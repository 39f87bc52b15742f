// One keyset-paged list: the stack of beforeIds, the page on screen, and its loading flag.
import { App as AntApp } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { NO_ROWS } from '../api/queries';
import { showError } from '../app/errors';
import { useT } from '../i18n';

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

/**
 * Loads the page at the keyset's position whenever `fetchPage` (memoised by the caller on its filter) or `reload` changes.
 * A response that arrives after a newer request started is dropped, so a slow page never overwrites a faster one.
 */
export function useKeysetPage<R>(fetchPage: (beforeId: number | undefined) => Promise<KeysetPage<R>>, reload?: unknown) {
  const t = useT();
  const { message } = AntApp.useApp();
  const keyset = useKeyset();
  const [data, setData] = useState<KeysetPage<R>>({ rows: [], nextBeforeId: null });
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchPage(keyset.beforeId)
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && showError(message, e, t))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [fetchPage, keyset.beforeId, reload, message, t]);

  return {
    rows: data.rows,
    loading,
    reset: keyset.reset,
    /** Props for <KeysetPager>. */
    pager: { page: keyset.page, rows: data.rows.length, nextBeforeId: data.nextBeforeId, onNewer: keyset.newer, onOlder: keyset.older },
  };
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
