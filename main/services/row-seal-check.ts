// verify's check of the row seals (db/seals.ts): every audit entry's digest recomputes from its seals,
// and every row of every sealed table matches the latest seal an entry gave it. An edit made outside
// Coffer — alone, or with its neighbours adjusted to match — shows as a row that differs from its
// seal, a row no entry sealed, or a sealed row that is gone; each finding names the table, the row and
// the audit entry.
import type { Queryable } from '../db/books';
import { unsealedYet } from '../db/seals';
import { postgresSealSource } from '../db/postgres/seals';
import { bytes, num, rawValues, text, textOrNull, type SqlValue } from '../db/row-read';
import { DELETED_SEAL, SEALED_TABLES, arraySealer, sealsDigest, sealsDigester, type SealedTable } from '../domain/row-seals';

export interface SealFinding {
  message: string;
  details: { table?: string; rowId?: number; auditId?: number; problem: SealProblem };
}

export type SealProblem =
  'row_changed' | 'row_unsealed' | 'row_missing' | 'row_reappeared' | 'digest_mismatch' | 'entry_missing' | 'seals_missing';

type Sql = Pick<Queryable, 'sql' | 'prepare' | 'engine'>;

/** At most this many findings of one problem are listed; the rest are counted. */
const LISTED = 50;

export async function checkRowSeals(q: Sql, onProgress?: (done: number) => void): Promise<{ rows: number; findings: SealFinding[] }> {
  const findings: SealFinding[] = [];
  const counts = new Map<SealProblem, number>();
  const add = (f: SealFinding) => {
    const n = (counts.get(f.details.problem) ?? 0) + 1;
    counts.set(f.details.problem, n);
    if (n <= LISTED) findings.push(f);
  };
  await checkDigests(q, add);
  const rows = await checkRows(q, add, onProgress);
  for (const [problem, n] of counts)
    if (n > LISTED) findings.push({ message: `… and ${n - LISTED} more of the same kind (${problem})`, details: { problem } });
  return { rows, findings };
}

/** Each entry's digest against the seals stored under it. */
async function checkDigests(q: Sql, add: (f: SealFinding) => void): Promise<void> {
  const digests = new Map<number, string | null>();
  for await (const r of q.sql('SELECT id, rows_digest FROM audit').iterate()) digests.set(num(r, 'id'), textOrNull(r, 'rows_digest'));
  const seen = new Set<number>();
  let current: number | null = null;
  let digest = sealsDigester();
  const flush = () => {
    if (current === null) return;
    seen.add(current);
    if (!digests.has(current))
      add({
        message: `seals name audit entry ${current}, which is not in the audit log: entries were removed`,
        details: { auditId: current, problem: 'entry_missing' },
      });
    else if (digests.get(current) !== digest.digest())
      add({
        message: `audit entry ${current}: the seals stored under it do not match its digest (the seals were changed)`,
        details: { auditId: current, problem: 'digest_mismatch' },
      });
  };
  const seals = q.sql('SELECT audit_id, tbl, row_id, seal FROM seals ORDER BY audit_id, tbl, row_id');
  for await (const r of seals.iterate()) {
    const s = sealOf(r);
    if (s.audit_id !== current) {
      flush();
      current = s.audit_id;
      digest = sealsDigester();
    }
    digest.add({ tbl: s.tbl, rowId: s.row_id, seal: s.seal });
  }
  flush();
  const empty = sealsDigest([]);
  for (const [id, d] of digests)
    if (d !== null && d !== empty && !seen.has(id))
      add({
        message: `audit entry ${id} sealed rows whose seals are gone from the seals table`,
        details: { auditId: id, problem: 'seals_missing' },
      });
}

interface LatestSeal {
  tbl: number;
  row_id: number;
  audit_id: number;
  seal: Buffer;
}

/** A row of the seals table (audit_id, tbl, row_id, seal), read column by column. */
function sealOf(r: unknown): LatestSeal {
  return { tbl: num(r, 'tbl'), row_id: num(r, 'row_id'), audit_id: num(r, 'audit_id'), seal: bytes(r, 'seal') };
}

/** The rows of a SQLite statement's iterator, each read by `f`; returning it ends the statement's own. */
function* readEach<T>(rows: Iterable<unknown>, f: (r: unknown) => T): Generator<T, void> {
  for (const r of rows) yield f(r);
}

/**
 * What the check reads, from either engine: each row's latest seal in (tbl, rowid) order, the rows the
 * open write transaction has not sealed yet, and a sealed table's rows in rowid order (rowid first, then
 * what the seal covers) as pages — on SQLite one page, the prepared statement's own iterator, so that
 * a million rows are read as fast as ever; on PostgreSQL pages read through its statements.
 */
interface SealSource {
  latest: Iterator<LatestSeal>;
  inThisTx(code: number, rowId: number): boolean;
  table(
    table: SealedTable,
    code: number,
  ): {
    sealOf: (rowId: number, values: SqlValue[]) => Buffer;
    pages: AsyncIterable<Iterable<unknown>> | Iterable<Iterable<unknown>>;
  } | null;
  /** Ends what is left of `latest` (seals of tables past the last one may be left unread). */
  end(): void;
}

async function sqliteSealSource(q: Sql): Promise<SealSource> {
  // max() makes SQLite take the other bare columns from the row holding the maximum.
  const latest: IterableIterator<LatestSeal> = readEach(
    q.prepare('SELECT tbl, row_id, max(audit_id) AS audit_id, seal FROM seals GROUP BY tbl, row_id ORDER BY tbl, row_id').iterate(),
    sealOf,
  );
  const present = new Set((await q.sql("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).map((r) => text(r, 'name')));
  return {
    latest,
    inThisTx: unsealedYet(q),
    table(table) {
      if (!present.has(table)) return null;
      const rows = q
        .prepare(`SELECT rowid AS "__seal_rowid", * FROM main.${table} ORDER BY rowid /* seal check */`)
        .safeIntegers(true)
        .raw(true);
      const columns = rows.columns().map((c) => c.name);
      return { sealOf: arraySealer(table, columns, 1), pages: [rows.iterate()] };
    },
    end: () => latest.return?.(), // end the statement (and its read)
  };
}

async function postgresSource(q: Sql): Promise<SealSource> {
  const s = await postgresSealSource(q);
  const latest = s.latest.map(sealOf).values();
  return { latest, inThisTx: s.inThisTx, table: (_table, code) => s.table(code), end: () => {} };
}

/** Every row against the latest seal given to it, table by table, both sides in rowid order. */
async function checkRows(q: Sql, add: (f: SealFinding) => void, onProgress?: (done: number) => void): Promise<number> {
  const source = q.engine === 'postgres' ? await postgresSource(q) : await sqliteSealSource(q);
  try {
    return await checkRowsAgainst(source, add, onProgress);
  } finally {
    source.end();
  }
}

async function checkRowsAgainst(source: SealSource, add: (f: SealFinding) => void, onProgress?: (done: number) => void): Promise<number> {
  const { latest, inThisTx } = source;
  let next = latest.next();
  let checked = 0;
  const tables = (Object.entries(SEALED_TABLES) as [SealedTable, number][]).sort((a, b) => a[1] - b[1]);
  for (const [table, code] of tables) {
    // Seals of tables numbered below this one that were not consumed name rows of unknown tables: skip them.
    while (!next.done && next.value.tbl < code) next = latest.next();
    const rows = source.table(table, code);
    if (!rows) continue;
    const { sealOf } = rows;
    for await (const page of rows.pages)
      for (const row of page) {
        const values = rawValues(row);
        const rowId = Number(values[0]);
        // Seals of rows that are no longer there, below this row.
        while (!next.done && next.value.tbl === code && next.value.row_id < rowId) {
          if (!inThisTx(code, next.value.row_id)) missing(table, next.value, add);
          next = latest.next();
        }
        const seal = !next.done && next.value.tbl === code && next.value.row_id === rowId ? next.value : null;
        if (seal) next = latest.next();
        if (!inThisTx(code, rowId)) compare(table, rowId, () => sealOf(rowId, values), seal, add);
        if (++checked % 50_000 === 0) onProgress?.(checked);
      }
    while (!next.done && next.value.tbl === code) {
      if (!inThisTx(code, next.value.row_id)) missing(table, next.value, add);
      next = latest.next();
    }
  }
  return checked;
}

function compare(table: SealedTable, rowId: number, sealOfRow: () => Buffer, seal: LatestSeal | null, add: (f: SealFinding) => void): void {
  if (!seal) {
    add({
      message: `${table} row ${rowId} was written outside Coffer: no audit entry sealed it`,
      details: { table, rowId, problem: 'row_unsealed' },
    });
  } else if (seal.seal.equals(DELETED_SEAL)) {
    add({
      message: `${table} row ${rowId} was deleted by audit entry ${seal.audit_id} but is there again (written outside Coffer)`,
      details: { table, rowId, auditId: seal.audit_id, problem: 'row_reappeared' },
    });
  } else if (!sealOfRow().equals(seal.seal)) {
    add({
      message: `${table} row ${rowId} was changed outside Coffer: it does not match its seal in audit entry ${seal.audit_id}`,
      details: { table, rowId, auditId: seal.audit_id, problem: 'row_changed' },
    });
  }
}

function missing(table: SealedTable, seal: LatestSeal, add: (f: SealFinding) => void): void {
  if (seal.seal.equals(DELETED_SEAL)) return; // deleted by the action that says so
  add({
    message: `${table} row ${seal.row_id} is missing: audit entry ${seal.audit_id} sealed it and no entry deleted it`,
    details: { table, rowId: seal.row_id, auditId: seal.audit_id, problem: 'row_missing' },
  });
}
