// The audit log's hash chain: each row hashes the previous row's hash and its own content, so an
// auditor can recompute the chain from an export and any edit or gap shows.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  ts: number;
  staffId: number | null;
  staffName: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: string | null;
  after: string | null;
  count: number;
  /** The digest of the rows the action wrote (domain/row-seals.ts); null on rows from before seals. */
  rowsDigest: string | null;
}

/** The exact bytes hashed, documented in docs/AUDIT.md so others can recompute them. */
export function auditPreimage(prevHash: string, c: AuditContent): string {
  const base = [prevHash, c.ts, c.staffId, c.staffName, c.action, c.entity, c.entityId, c.before, c.after, c.count];
  // Rows written before seals existed keep their original preimage, so their hashes still recompute.
  return JSON.stringify(c.rowsDigest === null ? base : [...base, c.rowsDigest]);
}

export function auditHash(prevHash: string, c: AuditContent): string {
  return createHash('sha256').update(auditPreimage(prevHash, c), 'utf8').digest('hex');
}
