// A schema of its own for a bench on PostgreSQL, at COFFER_BENCH_POSTGRES (default: the local `test`
// database), dropped when the bench ends: the benches never touch a schema they did not make.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_POSTGRES = process.env.COFFER_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** A fresh, empty schema: the URL whose search_path names it, and how to drop it with all it holds. */
export async function benchSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `coffer_bench_${randomBytes(4).toString('hex')}`;
  const admin = await connect(BENCH_POSTGRES);
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `${BENCH_POSTGRES}${BENCH_POSTGRES.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    async drop() {
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
