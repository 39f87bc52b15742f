// LIKE patterns built from what a user typed: `%`, `_` and the escape character itself are taken
// literally (a search for "50%" finds "50%", not "500"). Every LIKE on user text pairs a pattern from
// here with likeSql or, in raw SQL, query.ts's dialect().likeNocase (`ESCAPE '\'`, either case alike).
import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from './books';
import { dialect } from './query';

/** The text with LIKE's wildcards and the escape character escaped. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** A pattern matching values that contain the text. */
export const likeContains = (s: string): string => `%${likeEscape(s)}%`;

/** A pattern matching values that begin with the text. */
export const likePrefix = (s: string): string => `${likeEscape(s)}%`;

/**
 * `column LIKE pattern ESCAPE '\'` for a Kysely query on `q`'s engine, ASCII letters alike in either case
 * on both (dialect().likeNocase: PostgreSQL's LIKE tells them apart, SQLite's does not).
 */
export function likeSql(q: Queryable, column: string, pattern: string): RawBuilder<boolean> {
  // likeNocase's SQL cut where its two operands go: the column and the bound pattern
  const [before, between, after] = dialect(q).likeNocase('\0', '\0').split('\0') as [string, string, string];
  return sql<boolean>`${sql.raw(before)}${sql.ref(column)}${sql.raw(between)}${pattern}${sql.raw(after)}`;
}
