// Demo books in memory and their copy on PostgreSQL, for tests that do the same thing on both engines and
// compare: 12 customers of seed 5, as of the day given (their November has recharges, spends and expiries).
import { openBooks, type Books } from '../../main/db/books';
import { copyBooksToPostgres } from '../../main/db/postgres/books';
import { openPostgresBooks, type PostgresBooks } from '../../main/db/postgres/open';
import { createDemoBooks } from '../../main/demo';
import { freshSchema, type TestSchema } from './postgres';

export interface DemoOnBoth {
  file: Books;
  target: TestSchema;
  shared: PostgresBooks;
  close(): Promise<void>;
}

export async function demoBooksOnBoth(now: number): Promise<DemoOnBoth> {
  const file = await openBooks(':memory:', { create: true });
  await createDemoBooks(file, { password: 'demo-password-1', customers: 12, seed: 5, now });
  const target = await freshSchema();
  await copyBooksToPostgres(file.raw, target.url);
  const shared = await openPostgresBooks(target.url);
  return {
    file,
    target,
    shared,
    async close() {
      await shared.close();
      await target.drop();
      await file.close();
    },
  };
}
