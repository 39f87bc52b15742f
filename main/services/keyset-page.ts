// A page of a list read newest first by keyset (`id < beforeId`): the list reads one row more than it
// shows, so that it knows whether another page follows without counting.

export interface KeysetPage<R> {
  rows: R[];
  /** The id the next page starts before; null on the last page. */
  nextBeforeId: number | null;
}

/** The page from the rows read (at most `limit` + 1): the first `limit`. */
export function keysetPage<R extends { id: number }>(rows: readonly R[], limit: number): KeysetPage<R> {
  const page = rows.slice(0, limit);
  return { rows: page, nextBeforeId: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** The same page, each row shown through `out` (the look-ahead row too: one row more, so no cast). */
export function keysetPageOf<R, O extends { id: number }>(rows: readonly R[], limit: number, out: (row: R) => O): KeysetPage<O> {
  return keysetPage(rows.slice(0, limit + 1).map(out), limit);
}
