// The query builder of a Queryable, whose own execute() runs each compiled query as a statement of that
// Queryable (q.sql): the connection's cache of prepared statements on SQLite, the transaction's client and
// the books' type parsers on PostgreSQL. So `q.db.selectFrom(…)….execute()` answers exactly as the
// statements the services write by hand, on either engine, and costs no statement preparation per call.
// Transactions are not the builder's: tx.ts opens and ends them.
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Statement } from './books';
import type { Database } from './schema';

type Statements = (text: string) => Statement;

/** Whether a compiled query answers rows (a select, or a write with RETURNING) rather than a count. */
function answersRows(query: CompiledQuery): boolean {
  const node = query.query;
  if (node.kind === 'RawNode') return /^\s*(select|with|values)\b|\breturning\b/i.test(query.sql);
  return node.kind === 'SelectQueryNode' || ('returning' in node && node.returning !== undefined);
}

function connectionOn(statements: Statements): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const statement = statements(query.sql);
      if (answersRows(query)) return { rows: (await statement.all(...query.parameters)) as R[] };
      const r = await statement.run(...query.parameters);
      return { rows: [], numAffectedRows: BigInt(r.changes), insertId: BigInt(r.lastInsertRowid) };
    },
    async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      for await (const row of statements(query.sql).iterate(...query.parameters)) yield { rows: [row as R] };
    },
  };
}

function driverOn(statements: Statements): Driver {
  const connection = connectionOn(statements);
  const notHere = async () => {
    throw new Error('transactions are opened by db/tx.ts, not by the query builder');
  };
  return {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: notHere,
    commitTransaction: notHere,
    rollbackTransaction: notHere,
    releaseConnection: async () => {},
    destroy: async () => {},
  };
}

/** The builder for `engine` whose execute() runs on `statements`. */
export function builderOn(engine: 'sqlite' | 'postgres', statements: Statements): Kysely<Database> {
  const pg = engine === 'postgres';
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => driverOn(statements),
      createIntrospector: (db) => (pg ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
  });
}
