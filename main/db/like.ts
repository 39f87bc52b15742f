// LIKE patterns built from what a user typed: `%`, `_` and the escape character itself are taken
// literally (a search for "50%" finds "50%", not "500"). Every LIKE on user text pairs a pattern from
// here with `ESCAPE '\'` (LIKE_ESCAPE) in the SQL.
import { sql, type RawBuilder } from 'kysely';

export const LIKE_ESCAPE = "ESCAPE '\\'";

/** The text with LIKE's wildcards and the escape character escaped. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** A pattern matching values that contain the text. */
export const likeContains = (s: string): string => `%${likeEscape(s)}%`;

/** A pattern matching values that begin with the text. */
export const likePrefix = (s: string): string => `${likeEscape(s)}%`;

/** `column LIKE pattern ESCAPE '\'` for a Kysely query. */
export function likeSql(column: string, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}
