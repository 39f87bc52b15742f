// The migrated SQLite schema read as data: each table's columns, keys and checks, the indexes and the
// triggers, for writing the same books' schema for PostgreSQL (postgres/ddl.ts). SQLite's own pragmas
// give the columns, keys and unique constraints; the CHECK constraints and collations are read from
// the table's CREATE text, which SQLite keeps as written (ALTER TABLE ADD COLUMN appends to it).
import type { RawDb } from '../books';

export interface ColumnInfo {
  name: string;
  /** The declared type of a STRICT table: INTEGER, TEXT, BLOB or ANY. */
  type: string;
  notNull: boolean;
  /** The default as SQL text, or null. */
  default: string | null;
  /** Case-insensitive comparison (COLLATE NOCASE). */
  nocase: boolean;
}

export interface ForeignKey {
  columns: string[];
  table: string;
  to: string[];
  onDelete: string;
  onUpdate: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** The single INTEGER primary key column that is SQLite's rowid, or null. */
  rowidAlias: string | null;
  /** False for a WITHOUT ROWID table. */
  hasRowid: boolean;
  uniques: string[][];
  foreignKeys: ForeignKey[];
  /** Every CHECK constraint's expression, column or table level, as SQLite text. */
  checks: string[];
}

export interface SqliteSchema {
  tables: TableInfo[];
  /** CREATE INDEX statements written by the migrations (not the automatic ones of UNIQUE constraints). */
  indexes: { name: string; table: string; sql: string }[];
  triggers: { name: string; table: string; sql: string }[];
  userVersion: number;
  applicationId: number;
}

interface PragmaColumn {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface PragmaIndex {
  name: string;
  unique: number;
  origin: string;
}
interface PragmaForeignKey {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string;
  on_update: string;
  on_delete: string;
}
interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

/** The tables, indexes and triggers of a migrated books connection, in the order they were made. */
export function readSqliteSchema(raw: RawDb): SqliteSchema {
  const rows = raw
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    .all() as SchemaRow[];
  return {
    tables: rows.filter((r) => r.type === 'table').map((r) => readTable(raw, r.name, r.sql)),
    indexes: rows.filter((r) => r.type === 'index').map((r) => ({ name: r.name, table: r.tbl_name, sql: r.sql })),
    triggers: rows.filter((r) => r.type === 'trigger').map((r) => ({ name: r.name, table: r.tbl_name, sql: r.sql })),
    userVersion: raw.pragma('user_version', { simple: true }) as number,
    applicationId: raw.pragma('application_id', { simple: true }) as number,
  };
}

function readTable(raw: RawDb, name: string, createSql: string): TableInfo {
  const pragmaColumns = raw.prepare(`PRAGMA table_info("${name}")`).all() as PragmaColumn[];
  const items = tableItems(createSql);
  const columns = pragmaColumns.map((c) => ({
    name: c.name,
    type: c.type.toUpperCase(),
    notNull: c.notnull === 1,
    default: c.dflt_value,
    nocase: /\bCOLLATE\s+NOCASE\b/i.test(items.find((i) => firstWord(i) === c.name) ?? ''),
  }));
  const primaryKey = pragmaColumns
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const hasRowid = !/\bWITHOUT\s+ROWID\b/i.test(createSql.slice(createSql.lastIndexOf(')')));
  const single = primaryKey.length === 1 ? pragmaColumns.find((c) => c.name === primaryKey[0]) : undefined;
  return {
    name,
    columns,
    primaryKey,
    rowidAlias: hasRowid && single?.type.toUpperCase() === 'INTEGER' ? single.name : null,
    hasRowid,
    uniques: uniqueConstraints(raw, name),
    foreignKeys: foreignKeys(raw, name),
    checks: items.flatMap(checkExpressions),
  };
}

function uniqueConstraints(raw: RawDb, table: string): string[][] {
  const indexes = (raw.prepare(`PRAGMA index_list("${table}")`).all() as PragmaIndex[]).filter((i) => i.origin === 'u');
  return indexes
    .reverse() // index_list names the newest first; keep the order they were declared in
    .map((i) => (raw.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name));
}

function foreignKeys(raw: RawDb, table: string): ForeignKey[] {
  const rows = raw.prepare(`PRAGMA foreign_key_list("${table}")`).all() as PragmaForeignKey[];
  const byId = new Map<number, ForeignKey>();
  for (const r of rows.sort((a, b) => a.id - b.id || a.seq - b.seq)) {
    const fk = byId.get(r.id) ?? { columns: [], table: r.table, to: [], onDelete: r.on_delete, onUpdate: r.on_update };
    fk.columns.push(r.from);
    fk.to.push(r.to);
    byId.set(r.id, fk);
  }
  return [...byId.values()].reverse();
}

const firstWord = (item: string) => /^\s*"?(\w+)"?/.exec(item)?.[1] ?? '';

/** The column definitions and table constraints of a CREATE TABLE, split at its top-level commas. */
export function tableItems(createSql: string): string[] {
  const open = createSql.indexOf('(');
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = open + 1;
  for (let i = open; i < createSql.length; i++) {
    const c = createSql[i];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      items.push(createSql.slice(start, i).trim());
      break;
    } else if (c === ',' && depth === 1) {
      items.push(createSql.slice(start, i).trim());
      start = i + 1;
    }
  }
  return items.filter((i) => i !== '');
}

/** The expressions of every CHECK ( … ) in one column definition or table constraint. */
export function checkExpressions(item: string): string[] {
  const found: string[] = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m = re.exec(item); m; m = re.exec(item)) {
    const end = closingParen(item, m.index + m[0].length - 1);
    found.push(item.slice(m.index + m[0].length, end).trim());
    re.lastIndex = end;
  }
  return found;
}

/** The index of the parenthesis that closes the one at `open`, skipping quoted text. */
export function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in: ${text.slice(open, open + 80)}`);
}
