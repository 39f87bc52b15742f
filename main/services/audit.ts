// Writing and reading the audit log. A row is written in the same transaction as the change it
// records, chained to the row before it.
import type { Queryable } from '../db/books';
import type { AuditRow } from '../db/schema';
import type { Tx } from '../db/tx';
import { GENESIS_HASH, auditHash, type AuditContent } from '../domain/audit-chain';
import { appendAudit, auditHead, type AuditAppend } from '../db/seals';
import { appendPostgresAudit } from '../db/postgres/seals';
import type { Actor } from './actor';
import { likePrefix, likeSql } from '../db/like';
import { num, numOrNull, rowMapper, text, textOrNull } from '../db/row-read';
import { keysetPageOf } from './keyset-page';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  /** For a batch: how many items the one action covered. */
  count?: number;
  /** When the action happened (ms), if not now: the time the service was given. */
  at?: number;
}

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** Records an action in the chain, sealing the rows it wrote (db/seals.ts). Returns the entry's hash. */
export async function recordAudit(tx: Tx, actor: Actor, e: AuditEntry): Promise<string> {
  if (actor.inBatch) return '';
  return appendEntry(tx, {
    ts: e.at ?? Date.now(),
    staffId: actor.staffId,
    staffName: actor.name,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
    before: json(e.before),
    after: json(e.after),
    count: e.count ?? 1,
  });
}

/** One entry appended on the books' engine. */
async function appendEntry(tx: Tx, c: AuditAppend): Promise<string> {
  return tx.books.engine === 'postgres' ? appendPostgresAudit(tx, tx.books.sealed, c) : appendAudit(tx, c);
}

/** An audit row as it leaves the border: what its hash covers, and where it stands in the chain. */
export interface AuditRowOut extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
}

/** An audit row as stored (the schema's). */
export type AuditDbRow = AuditRow;

/** What a stored audit row's hash covers (domain/audit-chain.ts), read back from the row. */
export function auditContentOf(r: AuditDbRow): AuditContent {
  return {
    ts: r.ts,
    staffId: r.staff_id,
    staffName: r.staff_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before_json,
    after: r.after_json,
    count: r.item_count,
    rowsDigest: r.rows_digest ?? null,
  };
}

/** An audit row as the driver hands it over (`SELECT *`), read column by column. */
const auditRowOf: (r: unknown) => AuditDbRow = rowMapper({
  id: num,
  ts: num,
  staff_id: numOrNull,
  staff_name: text,
  action: text,
  entity: text,
  entity_id: textOrNull,
  before_json: textOrNull,
  after_json: textOrNull,
  item_count: num,
  prev_hash: text,
  hash: text,
  rows_digest: textOrNull,
});

/**
 * The hash of audit entry `id`, or undefined when the books have no such entry: what an anchor or a
 * witness is compared with. On a bare statement cache, as the anchor check and a witness read run.
 */
export async function auditHashAt(q: Pick<Queryable, 'sql'>, id: number): Promise<string | undefined> {
  const r = await q.sql('SELECT hash FROM audit WHERE id = ?').get(id);
  return r === undefined ? undefined : text(r, 'hash');
}

export function toAuditOut(r: AuditDbRow): AuditRowOut {
  return { id: r.id, ...auditContentOf(r), prevHash: r.prev_hash, hash: r.hash };
}

export interface AuditFilter {
  from?: number;
  to?: number;
  action?: string;
  staffName?: string;
  entity?: string;
  entityId?: string;
  /** Keyset paging: rows with id below this (newest first). */
  beforeId?: number;
  limit: number;
}

/** A page of the log, newest first, by keyset (no count: counting a big log on every page is slow). */
export async function listAudit(q: Queryable, f: AuditFilter): Promise<{ rows: AuditRowOut[]; nextBeforeId: number | null }> {
  let query = q.db.selectFrom('audit');
  if (f.from !== undefined) query = query.where('ts', '>=', f.from);
  if (f.to !== undefined) query = query.where('ts', '<', f.to);
  if (f.action) query = query.where(likeSql(q, 'action', likePrefix(f.action)));
  if (f.staffName) query = query.where('staff_name', '=', f.staffName);
  if (f.entity) query = query.where('entity', '=', f.entity);
  if (f.entityId) query = query.where('entity_id', '=', f.entityId);
  let page = query.selectAll();
  if (f.beforeId !== undefined) page = page.where('id', '<', f.beforeId);
  const rows = await page
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return keysetPageOf(rows, f.limit, toAuditOut);
}

export interface ChainFinding {
  id: number;
  problem: 'prev_hash_mismatch' | 'hash_mismatch';
  message: string;
}

/** Recomputes the whole chain, row by row, streaming. */
export async function verifyAuditChain(
  q: Pick<Queryable, 'sql'>,
  onProgress?: (done: number) => void,
): Promise<{ rows: number; lastHash: string; findings: ChainFinding[] }> {
  const findings: ChainFinding[] = [];
  let prev = GENESIS_HASH;
  let n = 0;
  for await (const raw of q.sql('SELECT * FROM audit ORDER BY id').iterate()) {
    const r = auditRowOf(raw);
    if (r.prev_hash !== prev) {
      findings.push({
        id: r.id,
        problem: 'prev_hash_mismatch',
        message: `audit row ${r.id} does not follow the row before it (a row is missing or was changed)`,
      });
    }
    const expected = auditHash(r.prev_hash, auditContentOf(r));
    if (expected !== r.hash) {
      findings.push({
        id: r.id,
        problem: 'hash_mismatch',
        message: `audit row ${r.id} was changed after it was written (its hash does not match its content)`,
      });
    }
    prev = r.hash;
    n++;
    if (onProgress && n % 10000 === 0) onProgress(n);
  }
  return { rows: n, lastHash: prev, findings };
}

export function latestAuditHash(q: Queryable): string {
  return auditHead(q).hash;
}
