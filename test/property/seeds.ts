// The seed a property test runs with: the one its environment variable names (to replay a failure);
// else, on PostgreSQL, a fixed one whose runs are known to reach every outcome the test's coverage check
// asks for — each run costs a new schema there, and the few runs a random seed gets may miss a rare
// outcome; else a new one each time, so that the SQLite pass keeps exploring.
import { ON_POSTGRES } from '../support/temp-books';

export function propertySeed(variable: string, onPostgres?: number): number {
  const named = process.env[variable];
  if (named) return Number(named);
  if (ON_POSTGRES && onPostgres !== undefined) return onPostgres;
  return Date.now() ^ (Math.random() * 0x7fffffff);
}
