// Proving two copies of the books equal, whatever engine holds each: every table's row count and a
// digest of its rows in key order (every cell as text, so SQLite's integers and PostgreSQL's BIGINTs
// read alike), the audit chain's head, and the trial balance (posted debits and credits per ledger).
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { RawDb } from '../books';
import { rowidColumn } from './ddl';
import type { SqliteSchema, TableInfo } from './sqlite-schema';

export interface TableTally {
  table: string;
  rows: number;
  digest: string;
}

export interface BooksTally {
  tables: TableTally[];
  auditHead: { id: string; hash: string } | null;
  /** Per ledger, the posted debits and credits of all its accounts (decimal text: they may pass 2^53). */
  trialBalance: { ledger: number; debits: string; credits: string }[];
}

type Cell = string | number | bigint | Buffer | null;

/** One cell as the digest reads it: its kind and its text. */
function cellText(v: Cell): string {
  if (v === null) return 'N';
  if (Buffer.isBuffer(v)) return `X${v.toString('hex')}`;
  if (typeof v === 'string') return `T${v}`;
  return `I${v.toString()}`;
}

function digestRows(rows: Iterable<Cell[]>, texts: readonly boolean[]): { rows: number; digest: string } {
  const hash = createHash('sha256');
  let n = 0;
  for (const row of rows) {
    // PostgreSQL hands BIGINT back as text: the column's type, not the value's, says which it is.
    hash.update(row.map((v, i) => (v !== null && !texts[i] && typeof v === 'string' ? `I${v}` : cellText(v))).join('\u0001'));
    hash.update('\u0002');
    n++;
  }
  return { rows: n, digest: hash.digest('hex') };
}

/** The rows' order both engines agree on: the rowid, or the key (text compared byte by byte). */
function orderBy(t: TableInfo, postgres: boolean): string {
  const rowid = rowidColumn(t);
  if (rowid) return `"${rowid}"`;
  return t.primaryKey
    .map((c) => {
      const text = t.columns.find((col) => col.name === c)?.type === 'TEXT';
      return postgres && text ? `"${c}" COLLATE "C"` : `"${c}"`;
    })
    .join(', ');
}

const columnList = (t: TableInfo) => t.columns.map((c) => `"${c.name}"`).join(', ');
const textColumns = (t: TableInfo) => t.columns.map((c) => c.type !== 'INTEGER');

const TRIAL_BALANCE =
  'SELECT ledger, sum(debits_posted) AS debits, sum(credits_posted) AS credits FROM accounts GROUP BY ledger ORDER BY ledger';
const AUDIT_HEAD = 'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1';

export function tallySqlite(raw: RawDb, schema: SqliteSchema): BooksTally {
  const tables = schema.tables.map((t) => {
    const rows = raw
      .prepare(`SELECT ${columnList(t)} FROM "${t.name}" ORDER BY ${orderBy(t, false)}`)
      .raw(true)
      .safeIntegers(true)
      .iterate() as Iterable<Cell[]>;
    return { table: t.name, ...digestRows(rows, textColumns(t)) };
  });
  const head = raw.prepare(AUDIT_HEAD).safeIntegers(true).get() as { id: bigint; hash: string } | undefined;
  const balances = raw.prepare(TRIAL_BALANCE).safeIntegers(true).all() as { ledger: bigint; debits: bigint; credits: bigint }[];
  return {
    tables,
    auditHead: head ? { id: head.id.toString(), hash: head.hash } : null,
    trialBalance: balances.map((b) => ({ ledger: Number(b.ledger), debits: String(b.debits), credits: String(b.credits) })),
  };
}

export async function tallyPostgres(client: pg.ClientBase, schema: SqliteSchema): Promise<BooksTally> {
  const tables: TableTally[] = [];
  for (const t of schema.tables) {
    const r = await client.query<Cell[]>({
      text: `SELECT ${columnList(t)} FROM "${t.name}" ORDER BY ${orderBy(t, true)}`,
      rowMode: 'array',
    });
    tables.push({ table: t.name, ...digestRows(r.rows, textColumns(t)) });
  }
  const head = (await client.query<{ id: string; hash: string }>(AUDIT_HEAD)).rows[0];
  const balances = (await client.query<{ ledger: string; debits: string; credits: string }>(TRIAL_BALANCE)).rows;
  return {
    tables,
    auditHead: head ? { id: String(head.id), hash: head.hash } : null,
    trialBalance: balances.map((b) => ({ ledger: Number(b.ledger), debits: String(b.debits), credits: String(b.credits) })),
  };
}

/** What differs between two tallies, one line each; empty when the books are the same. */
export function tallyDifferences(a: BooksTally, b: BooksTally): string[] {
  const found: string[] = [];
  const other = new Map(b.tables.map((t) => [t.table, t]));
  for (const t of a.tables) {
    const o = other.get(t.table);
    if (!o) found.push(`${t.table}: missing`);
    else if (o.rows !== t.rows) found.push(`${t.table}: ${t.rows} rows against ${o.rows}`);
    else if (o.digest !== t.digest) found.push(`${t.table}: same ${t.rows} rows, different content`);
  }
  if (JSON.stringify(a.auditHead) !== JSON.stringify(b.auditHead)) found.push('the audit chain heads differ');
  if (JSON.stringify(a.trialBalance) !== JSON.stringify(b.trialBalance)) found.push('the trial balances differ');
  return found;
}
