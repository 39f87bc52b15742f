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
}

/** The exact bytes hashed, documented in docs/AUDIT.md so others can recompute them. */
export function auditPreimage(prevHash: string, c: AuditContent): string {
  return JSON.stringify([prevHash, c.ts, c.staffId, c.staffName, c.action, c.entity, c.entityId, c.before, c.after, c.count]);
}

export function auditHash(prevHash: string, c: AuditContent): string {
  return createHash('sha256').update(auditPreimage(prevHash, c), 'utf8').digest('hex');
}
