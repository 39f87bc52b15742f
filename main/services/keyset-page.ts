// A page of a list read newest first by keyset (`id < beforeId`): the list reads one row more than it
// shows, so that it knows whether another page follows without counting.

export interface KeysetPage<R> {
  rows: R[];
  /** The id the next page starts before; null on the last page. */
  nextBeforeId: number | null;
}

/** The page from the rows read (at most `limit` + 1): the first `limit`, each through `out` where given. */
export function keysetPage<R extends { id: number }>(rows: readonly R[], limit: number): KeysetPage<R>;
export function keysetPage<R, O extends { id: number }>(rows: readonly R[], limit: number, out: (row: R) => O): KeysetPage<O>;
export function keysetPage<R, O extends { id: number }>(rows: readonly R[], limit: number, out?: (row: R) => O): KeysetPage<O> {
  const page = (out ? rows.slice(0, limit).map(out) : rows.slice(0, limit)) as O[];
  return { rows: page, nextBeforeId: rows.length > limit ? page[page.length - 1]!.id : null };
}
