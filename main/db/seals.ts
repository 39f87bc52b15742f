// Sealing what an action wrote. Appending an audit entry seals every row written since the last entry —
// each row's 16-byte hash goes into `seals` under the entry, and the entry's hash covers their digest.
// Which rows: new rows are those past each table's largest rowid when the write transaction began (its
// window: rowids only grow), so a row another program slipped in between Coffer's transactions is never
// taken for Coffer's own; updated and deleted rows are noted, on Coffer's own connection only, by
// temporary triggers in temp.sealing. What a program editing the file directly writes stays unsealed
// or no longer matches its seal, and verify names it (services/row-seal-check.ts). No trigger fires on
// a plain insert: with any trigger on a table, SQLite journals every insert into it, which tripled the
// cost of posting.
import { createHash } from 'node:crypto';
import { GENESIS_HASH, auditHash, type AuditContent } from '../domain/audit-chain';
import { DELETED_SEAL, ROWIDS_REUSED, SEALED_TABLES, SEAL_BYTES, arraySealer, type SealedTable } from '../domain/row-seals';
import type { Queryable, RawDb } from './books';
import { num, text } from './row-read';

type Sql = Pick<Queryable, 'prepare'>;
type Cell = bigint | string | Buffer | null;

/** Notes, on this connection only, every row updated or deleted in a sealed table until it is sealed. */
export function installSealCapture(raw: RawDb): void {
  // No constraint on the note table: a constraint that can fail would make SQLite journal each statement.
  raw.exec('CREATE TEMP TABLE IF NOT EXISTS sealing (tbl INTEGER, row_id INTEGER)');
  if (!tableExists(raw, 'seals')) return; // books kept before migration 16 (tests that upgrade step by step)
  for (const [table, code] of Object.entries(SEALED_TABLES)) {
    if (!tableExists(raw, table)) continue;
    const note = (ref: string) => `INSERT INTO temp.sealing (tbl, row_id) VALUES (${code}, ${ref}.rowid);`;
    raw.exec(`
CREATE TEMP TRIGGER IF NOT EXISTS seal_${table}_update AFTER UPDATE ON main.${table} BEGIN ${note('new')} END;
CREATE TEMP TRIGGER IF NOT EXISTS seal_${table}_delete AFTER DELETE ON main.${table} BEGIN ${note('old')} END;`);
    // A table whose rows Coffer deletes may hand a deleted rowid out again, below the window's start.
    if ((ROWIDS_REUSED as readonly string[]).includes(table))
      raw.exec(`CREATE TEMP TRIGGER IF NOT EXISTS seal_${table}_insert AFTER INSERT ON main.${table} BEGIN ${note('new')} END;`);
  }
}

function tableExists(raw: RawDb, name: string): boolean {
  return raw.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

// The sealed tables these books have, in the order of their numbers, once per connection (the schema
// changes only when the books are opened and migrated); none for books kept before migration 16.
const tableLists = new WeakMap<Sql['prepare'], [SealedTable, number][]>();

function presentTables(q: Sql): [SealedTable, number][] {
  let list = tableLists.get(q.prepare);
  if (!list) {
    const names = new Set(
      (q.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    list = names.has('seals')
      ? (Object.entries(SEALED_TABLES) as [SealedTable, number][]).filter(([t]) => names.has(t)).sort((a, b) => a[1] - b[1])
      : [];
    tableLists.set(q.prepare, list);
  }
  return list;
}

/** Every sealed table's largest rowid, in one statement, by table number. */
function largestRowids(q: Sql): Map<number, number> {
  const tables = presentTables(q);
  if (tables.length === 0) return new Map();
  const values = q
    .prepare(`SELECT ${tables.map(([t]) => `(SELECT max(rowid) FROM main.${t})`).join(', ')} /* seal window */`)
    .raw(true)
    .get() as (number | null)[];
  return new Map(tables.map(([, code], i) => [code, values[i] ?? 0]));
}

/** Marks every row of every sealed table for sealing (books just created or upgraded); false before migration 16. */
export function markAllForSealing(raw: RawDb): boolean {
  if (!tableExists(raw, 'seals')) return false;
  for (const [table, code] of Object.entries(SEALED_TABLES)) {
    if (tableExists(raw, table)) raw.exec(`INSERT INTO temp.sealing (tbl, row_id) SELECT ${code}, rowid FROM main.${table}`);
  }
  return true;
}

// Each open write transaction's window: per sealed table, the largest rowid not yet this transaction's.
// Keyed by the connection's statement cache, which the books and their transactions share.
const windows = new WeakMap<Sql['prepare'], Map<number, number>>();

/** Opens the window of a write transaction: rows past today's largest rowids are this transaction's. */
export function openSealWindow(q: Sql): void {
  if (presentTables(q).length > 0) windows.set(q.prepare, largestRowids(q));
}

export function closeSealWindow(q: Sql): void {
  windows.delete(q.prepare);
  savedWindows.delete(q.prepare);
}

// The window as each open savepoint found it, by name (innermost last): a rollback to the savepoint
// takes back the seals written since, so the rows they sealed are this transaction's to seal again.
const savedWindows = new WeakMap<Sql['prepare'], Map<string, Map<number, number>[]>>();

/** Keeps the window in step with a savepoint's statement (SAVEPOINT, RELEASE or ROLLBACK TO name). */
export function followSavepoint(q: Sql, statement: string): void {
  const window = windows.get(q.prepare);
  const m = /^(SAVEPOINT|RELEASE|ROLLBACK TO)\s+(\w+)$/.exec(statement.trim());
  if (!window || !m) return;
  const [, verb, name = ''] = m;
  let byName = savedWindows.get(q.prepare);
  if (!byName) savedWindows.set(q.prepare, (byName = new Map()));
  const stack = byName.get(name) ?? [];
  byName.set(name, stack);
  if (verb === 'SAVEPOINT') stack.push(new Map(window));
  else if (verb === 'RELEASE') stack.pop();
  else if (stack.length > 0) for (const [code, top] of stack.at(-1)!) window.set(code, top);
}

/**
 * Rows the open write transaction has written and will seal before it commits (none outside one):
 * a check made inside the transaction (closing a month runs verify) must not take them for edits.
 */
export function unsealedYet(q: Sql): (code: number, rowId: number) => boolean {
  const window = windows.get(q.prepare);
  if (!window) return () => false;
  const noted = new Set(
    (q.prepare('SELECT DISTINCT tbl, row_id FROM temp.sealing').all() as { tbl: number; row_id: number }[]).map(
      (n) => `${n.tbl}:${n.row_id}`,
    ),
  );
  return (code, rowId) => rowId > (window.get(code) ?? Number.MAX_SAFE_INTEGER) || noted.has(`${code}:${rowId}`);
}

export function hasPendingSeals(q: Sql): boolean {
  if (q.prepare('SELECT 1 FROM temp.sealing LIMIT 1').get() !== undefined) return true;
  const window = windows.get(q.prepare);
  if (!window) return false;
  for (const [code, top] of largestRowids(q)) if (top > (window.get(code) ?? 0)) return true;
  return false;
}

/** Each row of `table` that `where` picks, with its seal, in rowid order. */
function* sealRows(q: Sql, table: SealedTable, where: string, ...args: number[]): Generator<[number, Buffer]> {
  const rows = q
    .prepare(`SELECT rowid AS "__seal_rowid", * FROM main.${table} WHERE ${where} ORDER BY rowid /* seal */`)
    .safeIntegers(true)
    .raw(true);
  const sealOf = arraySealer(
    table,
    rows.columns().map((c) => c.name),
    1,
  );
  for (const values of rows.iterate(...args) as IterableIterator<Cell[]>) {
    const rowId = Number(values[0]);
    yield [rowId, sealOf(rowId, values)];
  }
}

/**
 * The seals one audit entry takes, in (table, rowid) order, kept compact: a million-line import seals
 * two million rows. An object with its own Buffer per seal held ≈ 200 bytes each until the entry was
 * written, and arrays grown by copying held the old copy beside the new one at the peak; so the entries
 * go into fixed pages of typed arrays (25 bytes an entry), never copied.
 */
class PendingSeals {
  private static readonly PAGE = 65_536;
  length = 0;
  private readonly pages: { tbl: Uint8Array; rowId: Float64Array; bytes: Buffer }[] = [];

  push(tbl: number, rowId: number, seal: Buffer): void {
    const at = this.length % PendingSeals.PAGE;
    if (at === 0) {
      const n = PendingSeals.PAGE;
      this.pages.push({ tbl: new Uint8Array(n), rowId: new Float64Array(n), bytes: Buffer.allocUnsafe(n * SEAL_BYTES) });
    }
    const page = this.pages[this.pages.length - 1]!;
    page.tbl[at] = tbl;
    page.rowId[at] = rowId;
    seal.copy(page.bytes, at * SEAL_BYTES, 0, SEAL_BYTES);
    this.length++;
  }

  /** Entry `i`: its table's number, its rowid and its seal (a view into the page). */
  entry(i: number): [tbl: number, rowId: number, seal: Buffer] {
    const page = this.pages[Math.floor(i / PendingSeals.PAGE)]!;
    const at = i % PendingSeals.PAGE;
    return [page.tbl[at]!, page.rowId[at]!, page.bytes.subarray(at * SEAL_BYTES, (at + 1) * SEAL_BYTES)];
  }

  /** sealsDigest of these entries: the same lines, hashed a few thousand at a time. */
  digest(): string {
    const h = createHash('sha256');
    let chunk = '';
    for (let i = 0; i < this.length; i++) {
      const [tbl, rowId, seal] = this.entry(i);
      chunk += `${tbl}\t${rowId}\t${seal.toString('hex')}\n`;
      if ((i & 4095) === 4095) {
        h.update(chunk, 'utf8');
        chunk = '';
      }
    }
    h.update(chunk, 'utf8');
    return h.digest('hex');
  }
}

function takePending(q: Sql): PendingSeals {
  const window = windows.get(q.prepare);
  const noted = new Map<number, Set<number>>();
  for (const n of q.prepare('SELECT DISTINCT tbl, row_id FROM temp.sealing').all() as { tbl: number; row_id: number }[]) {
    let set = noted.get(n.tbl);
    if (!set) noted.set(n.tbl, (set = new Set()));
    set.add(n.row_id);
  }
  const out = new PendingSeals();
  const tops = window ? largestRowids(q) : null;
  for (const [table, code] of presentTables(q)) {
    const entries = new Map<number, Buffer>();
    // Outside a write transaction (none is open) only noted rows are sealed.
    const mark = window?.get(code) ?? Number.MAX_SAFE_INTEGER;
    let top = mark;
    const touched = noted.get(code);
    if ((tops?.get(code) ?? 0) > mark) {
      for (const [rowId, seal] of sealRows(q, table, 'rowid > ?', mark)) {
        // new rows come in rowid order: with no noted row to merge, straight into the list
        if (touched) entries.set(rowId, seal);
        else out.push(code, rowId, seal);
        top = rowId;
      }
    }
    if (touched) {
      // Rows updated or deleted: read back together; a noted row that is gone was deleted.
      for (const [rowId, seal] of sealRows(q, table, `rowid IN (SELECT row_id FROM temp.sealing WHERE tbl = ${code})`))
        if (!entries.has(rowId)) entries.set(rowId, seal);
      for (const rowId of touched) if (!entries.has(rowId)) entries.set(rowId, DELETED_SEAL);
    }
    if (top > mark) window!.set(code, top);
    for (const rowId of [...entries.keys()].sort((a, b) => a - b)) out.push(code, rowId, entries.get(rowId)!);
  }
  q.prepare('DELETE FROM temp.sealing').run();
  return out;
}

export type AuditAppend = Omit<AuditContent, 'rowsDigest'>;

const LAST = 'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1';
const INSERT_AUDIT = `INSERT INTO audit
  (ts, staff_id, staff_name, action, entity, entity_id, before_json, after_json, item_count, prev_hash, hash, rows_digest)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
// Seals are inserted many rows a statement: one statement per row cost ≈ 2 µs of calling alone, 0.6 s
// of a 100,000-event import.
const SEALS_A_STATEMENT = 200;
const insertSeals = (n: number) => `INSERT INTO seals (audit_id, tbl, row_id, seal) VALUES ${Array(n).fill('(?, ?, ?, ?)').join(', ')}`;
const INSERT_SEALS = insertSeals(SEALS_A_STATEMENT);
const INSERT_SEAL = insertSeals(1);

/** The chain's head: the last entry's sequence number (its id) and hash; 0 and the genesis hash when empty. */
export function auditHead(q: Sql): { seq: number; hash: string } {
  const r = q.prepare(LAST).get() as { id: number; hash: string } | undefined;
  return r ? { seq: r.id, hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** The chain's head read through the engine-neutral statements (books on a file or on PostgreSQL). */
export async function readAuditHead(q: Pick<Queryable, 'sql'>): Promise<{ seq: number; hash: string }> {
  const r = await q.sql(LAST).get();
  return r ? { seq: num(r, 'id'), hash: text(r, 'hash') } : { seq: 0, hash: GENESIS_HASH };
}

/** Appends one entry to the audit chain, sealing every row written since the last entry. Returns its hash. */
export function appendAudit(q: Sql, c: AuditAppend): string {
  return appendSealed(q, takePending(q), c);
}

function appendSealed(q: Sql, seals: PendingSeals, c: AuditAppend): string {
  const rowsDigest = seals.digest();
  const prev = auditHead(q).hash;
  const hash = auditHash(prev, { ...c, rowsDigest });
  const id = Number(
    q
      .prepare(INSERT_AUDIT)
      .run(c.ts, c.staffId, c.staffName, c.action, c.entity, c.entityId, c.before, c.after, c.count, prev, hash, rowsDigest)
      .lastInsertRowid,
  );
  const args: (number | Buffer)[] = [];
  for (let i = 0; i < seals.length; i++) {
    args.push(id, ...seals.entry(i));
    if (args.length === 4 * SEALS_A_STATEMENT) {
      q.prepare(INSERT_SEALS).run(...args);
      args.length = 0;
    }
  }
  const one = q.prepare(INSERT_SEAL); // the rest one by one: a statement per count would fill the cache
  for (let i = 0; i < args.length; i += 4) one.run(args[i], args[i + 1], args[i + 2], args[i + 3]);
  return hash;
}

/**
 * Rows written after the action's own audit entry (or by a write that records none) are sealed under
 * an entry of their own before the transaction commits, so nothing Coffer writes stays unsealed.
 */
export function sealLeftovers(q: Sql, now: number, reason: string): void {
  if (!hasPendingSeals(q)) return;
  const seals = takePending(q);
  appendSealed(q, seals, leftoversEntry(now, reason, seals.length));
}

/** The entry that seals leftover rows: recorded by Coffer itself, saying why and how many (both engines). */
export function leftoversEntry(now: number, reason: string, rows: number): AuditAppend {
  return {
    ts: now,
    staffId: null,
    staffName: 'coffer',
    action: 'books.seal',
    entity: 'books',
    entityId: null,
    before: null,
    after: JSON.stringify({ reason, rows }),
    count: rows,
  };
}
