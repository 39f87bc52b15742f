// Sealing what a write transaction wrote, on PostgreSQL books: the same seals and the same chain as on
// SQLite (db/seals.ts), so that books copied between the engines prove equal. What differs is how the
// rows are found and how the chain stays one chain:
// - rows: several transactions write at once, so no rowid window tells whose rows are whose; statement
//   triggers note every row a Coffer transaction touches in coffer_sealing (ddl.ts), and the seal takes
//   and deletes the transaction's own notes (uncommitted rows no other transaction sees);
// - the chain: the entry is appended under one transaction-long advisory lock, so that its head is read
//   and extended by one transaction at a time, numbered without gaps; the rest of the transaction runs
//   beside the others'.
// A row's seal is computed from the same values SQLite hands out (integers as bigint, BYTEA as bytes).
import { GENESIS_HASH, auditHash } from '../../domain/audit-chain';
import {
  DELETED_SEAL,
  SEALED_TABLES,
  SEAL_BYTES,
  arraySealer,
  sealsDigest,
  type SealEntry,
  type SealedTable,
} from '../../domain/row-seals';
import type { Queryable } from '../books';
import { num, rawValues, type SqlValue } from '../row-read';
import { leftoversEntry, type AuditAppend } from '../seals';
import { withFreshBooks } from './books';
import type { SqliteSchema } from './sqlite-schema';
import { rowidColumn } from './ddl';

/** Each sealed table's rowid column and its own columns (what `SELECT *` gives on SQLite), by table number. */
export type SealedColumns = ReadonlyMap<number, { table: SealedTable; rowid: string; columns: readonly string[] }>;

export function sealedColumns(schema: SqliteSchema, codes: Readonly<Record<string, number>>): SealedColumns {
  const out = new Map<number, { table: SealedTable; rowid: string; columns: readonly string[] }>();
  for (const t of schema.tables) {
    const code = codes[t.name];
    const rowid = rowidColumn(t);
    if (code !== undefined && rowid !== null) out.set(code, { table: t.name as SealedTable, rowid, columns: t.columns.map((c) => c.name) });
  }
  return out;
}

/** The lock the chain is extended under: "CFFR" as a number, the books' application id. */
export const AUDIT_LOCK = 0x43464652;

type SealedTableColumns = SealedColumns extends ReadonlyMap<number, infer T> ? T : never;
/** A table's rows as its seals are computed: rowid first, then its own columns (not a synthetic rowid), as SQLite hands them. */
async function sealedRows(q: Pick<Queryable, 'sql'>, t: SealedTableColumns, where: string, ...params: unknown[]): Promise<SqlValue[][]> {
  const columns = t.columns.map((c) => `"${c}"`).join(', ');
  const rows = q.sql(`SELECT "${t.rowid}", ${columns} FROM "${t.table}" WHERE ${where}`).safeIntegers(true).raw(true);
  return (await rows.all(...params)).map(rawValues);
}

/** The seal of a row read by sealedRows. */
const sealerOf = (t: SealedTableColumns) => arraySealer(t.table, ['__seal_rowid', ...t.columns], 1);

let current: Promise<SealedColumns> | undefined;

/** The sealed columns of books of this version (openPostgresBooks refuses others): read once, from a freshly migrated schema. */
export function currentSealedColumns(): Promise<SealedColumns> {
  return (current ??= withFreshBooks((_raw, schema) => sealedColumns(schema, SEALED_TABLES)));
}

/** Rows a sealed table has, read a page at a time in rowid order (verify's row-seal check reads every row). */
const PAGE = 5000;

/**
 * What verify's row-seal check (services/row-seal-check.ts) reads on PostgreSQL books: each row's latest
 * seal in (tbl, rowid) order, the rows the open write transaction noted and has not sealed yet (none
 * outside one), and each sealed table's rows in pages, with the sealer of its rows.
 */
export async function postgresSealSource(q: Pick<Queryable, 'sql'>) {
  const sealed = await currentSealedColumns();
  const latest = await q
    .sql('SELECT DISTINCT ON (tbl, row_id) tbl, row_id, audit_id, seal FROM seals ORDER BY tbl, row_id, audit_id DESC')
    .all();
  const noted = new Set((await q.sql('SELECT tbl, row_id FROM coffer_sealing').all()).map((r) => `${num(r, 'tbl')}:${num(r, 'row_id')}`));
  return {
    latest,
    inThisTx: (code: number, rowId: number) => noted.has(`${code}:${rowId}`),
    table(code: number) {
      const t = sealed.get(code);
      if (!t) return null;
      const page = (after: SqlValue | undefined) =>
        after === undefined
          ? sealedRows(q, t, `TRUE ORDER BY "${t.rowid}" LIMIT ${PAGE} /* seal check */`)
          : sealedRows(q, t, `"${t.rowid}" > ? ORDER BY "${t.rowid}" LIMIT ${PAGE} /* seal check */`, after);
      async function* pages(): AsyncGenerator<SqlValue[][]> {
        for (let rows = await page(undefined); rows.length > 0; rows = await page(rows.at(-1)![0])) {
          yield rows;
          if (rows.length < PAGE) return;
        }
      }
      return { sealOf: sealerOf(t), pages: pages() };
    },
  };
}

const TAKE_NOTES = 'DELETE FROM coffer_sealing RETURNING tbl, row_id';

// Whether a write transaction may have noted rows since its notes were last taken: every statement but
// a read or a savepoint's start or release may have (a rollback to a savepoint brings notes back). An
// entry with nothing to take then costs no round trip for it: the batch's own entry after its items',
// and the leftovers' check before COMMIT.
const mayHaveNotes = new WeakMap<Queryable['sql'], { since: boolean }>();
const WRITES_NOTHING = /^\s*(select|savepoint|release)\b/i;

/** The statement listener of a write transaction's queryable, before the queryable exists. */
export function noteWrites(): { heard(text: string): void; track(q: Queryable): void } {
  const state = { since: true };
  return {
    heard: (text) => {
      if (!WRITES_NOTHING.test(text)) state.since = true;
    },
    track: (q) => void mayHaveNotes.set(q.sql, state),
  };
}

/** The transaction's noted rows, each with its seal (DELETED_SEAL for a row no longer there), in (tbl, rowid) order. */
async function takePending(q: Queryable, sealed: SealedColumns): Promise<SealEntry[]> {
  const state = mayHaveNotes.get(q.sql);
  if (state && !state.since) return [];
  const noted = new Map<number, Set<number>>();
  for (const n of (await q.sql(TAKE_NOTES).all()) as { tbl: number; row_id: number }[]) {
    let set = noted.get(n.tbl);
    if (!set) noted.set(n.tbl, (set = new Set()));
    set.add(n.row_id);
  }
  const out: SealEntry[] = [];
  for (const code of [...noted.keys()].sort((a, b) => a - b)) {
    const t = sealed.get(code);
    if (!t) throw new Error(`rows noted for sealing in an unknown table ${code}`);
    const ids = [...noted.get(code)!].sort((a, b) => a - b);
    const sealOf = sealerOf(t);
    const seals = new Map<number, Buffer>();
    for (const values of await sealedRows(q, t, `"${t.rowid}" = ANY(?::bigint[]) /* seal */`, ids)) {
      const rowId = Number(values[0]);
      seals.set(rowId, sealOf(rowId, values));
    }
    for (const rowId of ids) out.push({ tbl: code, rowId, seal: seals.get(rowId) ?? DELETED_SEAL });
  }
  return out;
}

const LAST = 'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1';
const INSERT_AUDIT = `INSERT INTO audit
  (id, ts, staff_id, staff_name, action, entity, entity_id, before_json, after_json, item_count, prev_hash, hash, rows_digest)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_SEALS = `INSERT INTO seals (audit_id, tbl, row_id, seal)
  SELECT ?, s.tbl, s.row_id, s.seal FROM unnest(?::integer[], ?::bigint[], ?::bytea[]) AS s (tbl, row_id, seal)`;

/** Appends one entry to the chain, sealing every row the transaction touched since its last entry. Returns its hash. */
export async function appendPostgresAudit(q: Queryable, sealed: SealedColumns, c: AuditAppend): Promise<string> {
  const seals = await takePending(q, sealed);
  return appendSealed(q, seals, c);
}

// The entry a transaction appended last (by its statements): its next entry needs neither the lock,
// held to the transaction's end, nor a read of the head — unless a savepoint rolled back since, which
// may have taken that entry with it.
const appended = new WeakMap<Queryable['sql'], { id: number; hash: string }>();

/** A savepoint of `q`'s transaction rolled back: the head it appended may be gone. */
export function forgetAppendedHead(q: Queryable): void {
  appended.delete(q.sql);
}

async function chainHead(q: Queryable): Promise<{ id: number; hash: string } | undefined> {
  const mine = appended.get(q.sql);
  if (mine) return mine;
  await q.sql('SELECT pg_advisory_xact_lock(?)').get(AUDIT_LOCK);
  return (await q.sql(LAST).get()) as { id: number; hash: string } | undefined;
}

async function appendSealed(q: Queryable, seals: readonly SealEntry[], c: AuditAppend): Promise<string> {
  const rowsDigest = sealsDigest(seals);
  const head = await chainHead(q);
  const id = (head?.id ?? 0) + 1;
  const prev = head?.hash ?? GENESIS_HASH;
  const hash = auditHash(prev, { ...c, rowsDigest });
  await q
    .sql(INSERT_AUDIT)
    .run(id, c.ts, c.staffId, c.staffName, c.action, c.entity, c.entityId, c.before, c.after, c.count, prev, hash, rowsDigest);
  if (seals.length > 0)
    await q.sql(INSERT_SEALS).run(
      id,
      seals.map((s) => s.tbl),
      seals.map((s) => s.rowId),
      seals.map((s) => s.seal.subarray(0, SEAL_BYTES)),
    );
  appended.set(q.sql, { id, hash });
  const state = mayHaveNotes.get(q.sql);
  if (state) state.since = false; // the entry's own rows (audit, seals) are not sealed
  return hash;
}

/** Rows written after the action's own entry (or by a write that records none) sealed under one of their own. */
export async function sealPostgresLeftovers(q: Queryable, sealed: SealedColumns, now: number, reason: string): Promise<void> {
  const seals = await takePending(q, sealed);
  if (seals.length === 0) return;
  await appendSealed(q, seals, leftoversEntry(now, reason, seals.length));
}
