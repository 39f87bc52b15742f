// Sealing what an action wrote. On Coffer's own connection, temporary triggers note every row inserted,
// updated or deleted in a sealed table (temp.sealing); appending an audit entry seals those rows — each
// row's 16-byte hash goes into `seals` under the entry, and the entry's hash covers their digest. A
// program that edits the file directly has no such triggers, so what it writes is left unsealed or
// no longer matches its seal, and verify names it (services/row-seal-check.ts).
import { GENESIS_HASH, auditHash, type AuditContent } from '../domain/audit-chain';
import { DELETED_SEAL, SEALED_TABLES, rowSeal, sealsDigest, tableOfCode, type SealEntry, type SealedTable } from '../domain/row-seals';
import type { Queryable, RawDb } from './books';

type Sql = Pick<Queryable, 'sql'>;

/** Notes, on this connection only, every row written to a sealed table until it is sealed. */
export function installSealCapture(raw: RawDb): void {
  raw.exec(
    'CREATE TEMP TABLE IF NOT EXISTS sealing (tbl INTEGER NOT NULL, row_id INTEGER NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID',
  );
  if (!tableExists(raw, 'seals')) return; // books kept before migration 16 (tests that upgrade step by step)
  for (const [table, code] of Object.entries(SEALED_TABLES)) {
    if (!tableExists(raw, table)) continue;
    // No OR IGNORE: an outer statement's own conflict clause (INSERT OR ABORT …) would override it.
    const note = (ref: string) =>
      `INSERT INTO temp.sealing (tbl, row_id) SELECT ${code}, ${ref}.rowid WHERE NOT EXISTS (SELECT 1 FROM temp.sealing WHERE tbl = ${code} AND row_id = ${ref}.rowid);`;
    raw.exec(`
CREATE TEMP TRIGGER IF NOT EXISTS seal_${table}_insert AFTER INSERT ON main.${table} BEGIN ${note('new')} END;
CREATE TEMP TRIGGER IF NOT EXISTS seal_${table}_update AFTER UPDATE ON main.${table} BEGIN ${note('old')} ${note('new')} END;
CREATE TEMP TRIGGER IF NOT EXISTS seal_${table}_delete AFTER DELETE ON main.${table} BEGIN ${note('old')} END;`);
  }
}

function tableExists(raw: RawDb, name: string): boolean {
  return raw.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Marks every row of every sealed table for sealing (books just created or upgraded); false before migration 16. */
export function markAllForSealing(raw: RawDb): boolean {
  if (!tableExists(raw, 'seals')) return false;
  for (const [table, code] of Object.entries(SEALED_TABLES)) {
    if (tableExists(raw, table)) raw.exec(`INSERT OR IGNORE INTO temp.sealing (tbl, row_id) SELECT ${code}, rowid FROM main.${table}`);
  }
  return true;
}

export function hasPendingSeals(q: Sql): boolean {
  return q.sql('SELECT 1 FROM temp.sealing LIMIT 1').get() !== undefined;
}

/** The statement that reads one row as its seal hashes it: every column, integers exact. */
export function sealRowStatement(q: Sql, table: SealedTable) {
  // The comment keeps this statement apart from other users of the same query in the statement cache.
  return q.sql(`SELECT * FROM main.${table} WHERE rowid = ? /* seal */`).safeIntegers(true);
}

function takePending(q: Sql): SealEntry[] {
  const pending = q.sql('SELECT tbl, row_id FROM temp.sealing ORDER BY tbl, row_id').all() as { tbl: number; row_id: number }[];
  if (pending.length === 0) return [];
  const out: SealEntry[] = [];
  for (const p of pending) {
    const table = tableOfCode(p.tbl)!;
    const row = sealRowStatement(q, table).get(p.row_id) as Record<string, bigint | string | Buffer | null> | undefined;
    out.push({ tbl: p.tbl, rowId: p.row_id, seal: row ? rowSeal(table, p.row_id, row) : DELETED_SEAL });
  }
  q.sql('DELETE FROM temp.sealing').run();
  return out;
}

export type AuditAppend = Omit<AuditContent, 'rowsDigest'>;

const LAST = 'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1';
const INSERT_AUDIT = `INSERT INTO audit
  (ts, staff_id, staff_name, action, entity, entity_id, before_json, after_json, item_count, prev_hash, hash, rows_digest)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_SEAL = 'INSERT INTO seals (audit_id, tbl, row_id, seal) VALUES (?, ?, ?, ?)';

/** The chain's head: the last entry's sequence number (its id) and hash; 0 and the genesis hash when empty. */
export function auditHead(q: Sql): { seq: number; hash: string } {
  const r = q.sql(LAST).get() as { id: number; hash: string } | undefined;
  return r ? { seq: r.id, hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** Appends one entry to the audit chain, sealing every row written since the last entry. Returns its hash. */
export function appendAudit(q: Sql, c: AuditAppend): string {
  const seals = takePending(q);
  const rowsDigest = sealsDigest(seals);
  const prev = auditHead(q).hash;
  const hash = auditHash(prev, { ...c, rowsDigest });
  const id = Number(
    q
      .sql(INSERT_AUDIT)
      .run(c.ts, c.staffId, c.staffName, c.action, c.entity, c.entityId, c.before, c.after, c.count, prev, hash, rowsDigest)
      .lastInsertRowid,
  );
  const insert = q.sql(INSERT_SEAL);
  for (const s of seals) insert.run(id, s.tbl, s.rowId, s.seal);
  return hash;
}

/**
 * Rows written after the action's own audit entry (or by a write that records none) are sealed under
 * an entry of their own before the transaction commits, so nothing Coffer writes stays unsealed.
 */
export function sealLeftovers(q: Sql, now: number, reason: string): void {
  if (!hasPendingSeals(q)) return;
  const n = (q.sql('SELECT count(*) AS n FROM temp.sealing').get() as { n: number }).n;
  appendAudit(q, {
    ts: now,
    staffId: null,
    staffName: 'coffer',
    action: 'books.seal',
    entity: 'books',
    entityId: null,
    before: null,
    after: JSON.stringify({ reason, rows: n }),
    count: n,
  });
}
