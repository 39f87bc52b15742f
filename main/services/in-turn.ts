// Array work whose callback queries the books, one item at a time and in order: each item's statements
// run before the next item's start, as they did when the services were synchronous (Promise.all would
// interleave them on the one connection).

/** `items.map(f)`, one item at a time. */
export async function mapInTurn<T, R>(items: Iterable<T>, f: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let i = 0;
  for (const item of items) out.push(await f(item, i++));
  return out;
}

/** `items.forEach(f)`, one item at a time. */
export async function eachInTurn<T>(items: Iterable<T>, f: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let i = 0;
  for (const item of items) await f(item, i++);
}

/** `items.filter(f)`, one item at a time. */
export async function filterInTurn<T>(items: Iterable<T>, f: (item: T, index: number) => Promise<boolean>): Promise<T[]> {
  const out: T[] = [];
  let i = 0;
  for (const item of items) if (await f(item, i++)) out.push(item);
  return out;
}
