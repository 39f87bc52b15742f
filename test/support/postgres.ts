// PostgreSQL for the tests of shared books: the `test` database on 127.0.0.1:5432 (trust auth, as on
// the development and CI machines), each test in a schema of its own that it drops afterwards.
// Where PostgreSQL is not running the tests that need it are skipped — unless COFFER_REQUIRE_POSTGRES=1
// (CI sets it), where its absence fails them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env.COFFER_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_REQUIRED = process.env.COFFER_REQUIRE_POSTGRES === '1';

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export interface TestSchema {
  /** The books URL: the test database with search_path set to the schema. */
  url: string;
  name: string;
  /** A connection of the test's own to the schema, for looking at what was written. */
  client: pg.Client;
  drop(): Promise<void>;
}

/** A new empty schema in the test database. */
export async function freshSchema(): Promise<TestSchema> {
  const name = `coffer_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${name}`)}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    client,
    async drop() {
      await client.end();
      await admin.query(`DROP SCHEMA ${name} CASCADE`);
      await admin.end();
    },
  };
}
