// The books' schema for PostgreSQL, written from the migrated SQLite schema (postgres/sqlite-schema.ts),
// so that one migration list stays the source of both. What differs is only what the engines do
// differently, each said once here:
// - types: SQLite's INTEGER is 64-bit (BIGINT), BLOB is BYTEA; an `id` rowid key is an identity column;
//   a rowid table keyed otherwise gets a `rowid` identity column, since row seals name rows by rowid;
// - COLLATE NOCASE is a nondeterministic ICU collation; GLOB patterns are anchored regular expressions;
//   json_valid() is a function that tries the cast;
// - the immutability triggers (BEFORE … BEGIN SELECT RAISE(ABORT, msg); END) call one PL/pgSQL function
//   that raises the same message;
// - foreign keys are added once every table exists (SQLite does not need the target to exist first),
//   deferrable, so that a copy can write a table's rows before those they point to;
// - the file header's application id and user_version live in a table, books_header;
// - what a write transaction touched is noted for its row seals by statement triggers into
//   coffer_sealing, only while Coffer's own transaction says so (db/postgres/seals.ts).
// - `coffer serve` keeps its sessions in the books' schema (serve_sessions), where a SQLite books has
//   them in a file beside it.
// Pure: no I/O. Anything written in the SQLite schema that has no translation here is refused by name.
import { SEALED_TABLES, type SealedTable } from '../../domain/row-seals';
import type { ColumnInfo, ForeignKey, SqliteSchema, TableInfo } from './sqlite-schema';

export const NOCASE_COLLATION = 'coffer_nocase';

/** What every PostgreSQL books schema has before its tables. */
const PRELUDE: readonly string[] = [
  `CREATE COLLATION IF NOT EXISTS ${NOCASE_COLLATION} (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
  `CREATE OR REPLACE FUNCTION coffer_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END $$`,
  `CREATE OR REPLACE FUNCTION coffer_json_valid(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM t::jsonb;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$`,
  'CREATE TABLE books_header (application_id BIGINT NOT NULL, user_version BIGINT NOT NULL)',
  // Rows a write transaction touched, noted until its next audit entry seals them; never committed
  // (the seal deletes them), so unlogged.
  'CREATE UNLOGGED TABLE coffer_sealing (tbl INTEGER NOT NULL, row_id BIGINT NOT NULL)',
  `CREATE OR REPLACE FUNCTION coffer_note_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('INSERT INTO coffer_sealing (tbl, row_id) SELECT %s, %I FROM coffer_rows', TG_ARGV[0], TG_ARGV[1]);
  RETURN NULL;
END $$`,
];

/**
 * Who is logged in at each `coffer serve` serving these books (serve/session-table.ts), keyed by the
 * digest a token stands for, never the token. Not books data: no seal, copy, tally or verify reads it
 * (they read the tables of the migrated SQLite schema), and a session lost with a crash is a login
 * again, so unlogged. IF NOT EXISTS: a serve adds it to books made before it existed.
 */
export const SERVE_SESSIONS_TABLE = `CREATE UNLOGGED TABLE IF NOT EXISTS serve_sessions (
  client_id TEXT PRIMARY KEY,
  staff_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  last_active BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  locked BOOLEAN NOT NULL,
  must_change_password BOOLEAN NOT NULL
)`;

/** The setting a Coffer write transaction turns on (SET LOCAL) so that the rows it touches are noted. */
export const SEALING_SETTING = 'coffer.sealing';

/**
 * CHECK expressions whose SQLite functions have no one-to-one PostgreSQL form, written by hand. The key
 * is the SQLite text exactly as the migration wrote it: a migration that changes it is refused below
 * until this table says how to write the new one.
 */
const HAND_WRITTEN: Readonly<Record<string, string>> = {
  // counter numbers read GT2026-000123: the sequence zero-padded to at least six digits
  "number = 'GT' || year || '-' || substr('000000' || seq, -max(6, length(seq)))":
    "number = 'GT' || year || '-' || lpad(seq::text, greatest(6, length(seq::text)), '0')",
};

/** The functions a translated expression may call; anything else has no translation yet. */
const KNOWN_FUNCTIONS = new Set(['length', 'substr', 'lpad', 'greatest', 'coffer_json_valid', 'lower', 'upper', 'abs', 'coalesce']);
/** Words followed by "(" that are not function calls. */
const NOT_FUNCTIONS = new Set(['in', 'and', 'or', 'not', 'between', 'check', 'values', 'exists', 'as', 'on', 'is', 'when', 'then', 'else']);

export class NoTranslation extends Error {
  constructor(what: string) {
    super(`no PostgreSQL translation for ${what}`);
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The statements that make an empty PostgreSQL schema into the books' schema, in order. */
export function postgresDdl(schema: SqliteSchema): string[] {
  const tables = schema.tables.map(createTable);
  const keys = schema.tables.flatMap((t) => t.foreignKeys.map((fk, i) => addForeignKey(t.name, fk, i)));
  const indexes = schema.indexes.map((i) => translateIndex(i.sql));
  const triggers = schema.triggers.map((t) => translateTrigger(t.sql));
  const header = `INSERT INTO books_header (application_id, user_version) VALUES (${schema.applicationId}, ${schema.userVersion})`;
  return [...PRELUDE, SERVE_SESSIONS_TABLE, ...tables, ...keys, ...indexes, ...triggers, ...schema.tables.flatMap(sealCapture), header];
}

/**
 * The triggers that note, for its row seals, every row a Coffer write transaction inserts, updates or
 * deletes in a sealed table: one statement trigger per event, reading the statement's rows at once.
 * What another program writes is not noted (the setting is off there) and verify names it, as on SQLite.
 */
function sealCapture(t: TableInfo): string[] {
  const code = (SEALED_TABLES as Record<string, number>)[t.name as SealedTable];
  const column = rowidColumn(t);
  if (code === undefined || column === null) return [];
  const when = `WHEN (current_setting('${SEALING_SETTING}', true) = 'on')`;
  const note = `EXECUTE FUNCTION coffer_note_rows('${code}', '${column}')`;
  return (['INSERT', 'UPDATE', 'DELETE'] as const).map(
    (event) =>
      `CREATE TRIGGER ${quote(`coffer_seal_${t.name}_${event.toLowerCase()}`)} AFTER ${event} ON ${quote(t.name)} ` +
      `REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS coffer_rows FOR EACH STATEMENT ${when} ${note}`,
  );
}

/** The column that numbers a table's rows as SQLite's rowid does: its own key, `rowid`, or none. */
export function rowidColumn(t: TableInfo): string | null {
  if (!t.hasRowid) return null;
  return t.rowidAlias ?? 'rowid';
}

function createTable(t: TableInfo): string {
  const lines = t.columns.map((c) => columnDef(t, c));
  if (t.hasRowid && t.rowidAlias === null) lines.push('"rowid" BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL UNIQUE');
  lines.push(`PRIMARY KEY (${t.primaryKey.map(quote).join(', ')})`);
  for (const u of t.uniques) lines.push(`UNIQUE (${u.map(quote).join(', ')})`);
  for (const c of t.checks) lines.push(`CHECK (${pgExpression(c)})`);
  return `CREATE TABLE ${quote(t.name)} (\n  ${lines.join(',\n  ')}\n)`;
}

function columnDef(t: TableInfo, c: ColumnInfo): string {
  const parts = [quote(c.name), pgType(t, c)];
  if (c.name === t.rowidAlias && c.name === 'id') parts.push('GENERATED BY DEFAULT AS IDENTITY');
  if (c.nocase) parts.push(`COLLATE ${NOCASE_COLLATION}`);
  if (c.notNull || t.primaryKey.includes(c.name)) parts.push('NOT NULL');
  if (c.default !== null) parts.push(`DEFAULT ${pgExpression(c.default)}`);
  return parts.join(' ');
}

function pgType(t: TableInfo, c: ColumnInfo): string {
  switch (c.type) {
    case 'INTEGER':
      return 'BIGINT';
    case 'TEXT':
      return 'TEXT';
    case 'BLOB':
      return 'BYTEA';
    default:
      throw new NoTranslation(`the type ${c.type || '(none)'} of ${t.name}.${c.name}`);
  }
}

function addForeignKey(table: string, fk: ForeignKey, i: number): string {
  const actions = [fk.onDelete, fk.onUpdate].map((a, j) => (a === 'NO ACTION' ? '' : ` ON ${j === 0 ? 'DELETE' : 'UPDATE'} ${a}`));
  return (
    `ALTER TABLE ${quote(table)} ADD CONSTRAINT ${quote(`${table}_fk${i + 1}`)} FOREIGN KEY (${fk.columns.map(quote).join(', ')}) ` +
    `REFERENCES ${quote(fk.table)} (${fk.to.map(quote).join(', ')})${actions.join('')} DEFERRABLE INITIALLY IMMEDIATE`
  );
}

/** A SQLite expression (a CHECK, a default, an index's columns or condition, a trigger's WHEN) for PostgreSQL. */
export function pgExpression(sqlite: string): string {
  const text = sqlite.trim();
  const handWritten = HAND_WRITTEN[text];
  if (handWritten !== undefined) return handWritten;
  const translated = text
    .replace(/(\w+)\s+(NOT\s+)?GLOB\s+'((?:[^']|'')*)'/g, (_m, operand: string, not: string | undefined, pattern: string) => {
      return `${operand} ${not ? '!~' : '~'} '${globToRegex(pattern.replace(/''/g, "'")).replace(/'/g, "''")}'`;
    })
    .replace(/\bjson_valid\s*\(/g, 'coffer_json_valid(')
    .replace(/\bCOLLATE\s+NOCASE\b/gi, `COLLATE ${NOCASE_COLLATION}`);
  for (const m of withoutStrings(translated).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
    const fn = (m[1] ?? '').toLowerCase();
    if (!KNOWN_FUNCTIONS.has(fn) && !NOT_FUNCTIONS.has(fn)) throw new NoTranslation(`${fn}() in: ${text.slice(0, 120)}`);
  }
  return translated;
}

/** The text with every quoted string blanked, so that words inside strings are not read as SQL. */
function withoutStrings(text: string): string {
  return text.replace(/'(?:[^']|'')*'/g, "''");
}

/** A GLOB pattern as an anchored POSIX regular expression: * any run, ? one character, [...] a class. */
export function globToRegex(glob: string): string {
  let out = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new NoTranslation(`the GLOB pattern ${glob}`);
      out += glob.slice(i, end + 1);
      i = end;
    } else out += /[\\^$.|+(){}]/.test(c) ? `\\${c}` : c;
  }
  return `${out}$`;
}

function translateIndex(sql: string): string {
  const m = /^CREATE\s+(UNIQUE\s+)?INDEX\s+(\w+)\s+ON\s+(\w+)\s*\(([\s\S]*?)\)(\s+WHERE\s+([\s\S]+))?$/i.exec(sql.trim());
  if (!m) throw new NoTranslation(`the index ${sql.slice(0, 120)}`);
  const [, unique, name = '', table = '', columns = '', , where] = m;
  return (
    `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quote(name)} ON ${quote(table)} (${pgExpression(columns)})` +
    (where ? ` WHERE ${pgExpression(where)}` : '')
  );
}

const TRIGGER =
  /^CREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+(INSERT|DELETE|UPDATE(?:\s+OF\s+([\w\s,]+?))?)\s+ON\s+(\w+)\s*(?:WHEN\s+([\s\S]+?))?\s*BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'((?:[^']|'')*)'\s*\)\s*;\s*END$/i;

/** A refusing trigger: the same events, columns and condition, raising the same message. */
function translateTrigger(sql: string): string {
  const m = TRIGGER.exec(sql.trim());
  if (!m) throw new NoTranslation(`the trigger ${sql.slice(0, 120)}`);
  const [, name = '', timing = '', event = '', columns, table = '', when, message = ''] = m;
  const what = columns
    ? `UPDATE OF ${columns
        .split(',')
        .map((c) => quote(c.trim()))
        .join(', ')}`
    : event.toUpperCase();
  return (
    `CREATE TRIGGER ${quote(name)} ${timing.toUpperCase()} ${what} ON ${quote(table)} FOR EACH ROW` +
    (when ? ` WHEN (${pgExpression(when)})` : '') +
    ` EXECUTE FUNCTION coffer_refuse('${message}')`
  );
}
