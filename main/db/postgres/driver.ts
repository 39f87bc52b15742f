// The PostgreSQL driver, loaded on first need: books on a file never pay for it (about 80 ms of every
// `coffer` command's start, measured).
import type pg from 'pg';

let loaded: typeof pg | undefined;

export async function pgDriver(): Promise<typeof pg> {
  loaded ??= (await import('pg')).default;
  return loaded;
}

/** The driver, once a pool or client has been made (so it is loaded): what a type parser falls back to. */
export function loadedDriver(): typeof pg {
  if (!loaded) throw new Error('the PostgreSQL driver is used before it was loaded');
  return loaded;
}
