// The demo's summaries count rows with plain SQL (`SELECT count(*) AS n …`), its one column read as a number.
import type { Queryable } from '../db/books';
import { num } from '../db/row-read';

export async function countRows(q: Queryable, text: string): Promise<number> {
  return num(await q.sql(text).get(), 'n');
}
