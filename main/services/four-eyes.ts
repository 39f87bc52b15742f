// Four eyes on a proposed change (a chart remap, a setting, a staff user): a second person confirms or
// rejects it, and the decision is stamped on the proposal and recorded in the audit chain the same way.
import type { Tx } from '../db/tx';
import type { AuditAction } from '../domain/audit-actions';
import type { Actor } from './actor';
import { recordAudit } from './audit';

export type Decision = 'confirmed' | 'rejected';

/** Where a kind of proposal is kept, its audit entity, and the audit actions of its two decisions. */
export interface ProposalKind {
  table: 'chart_changes' | 'setting_changes' | 'staff_changes';
  entity: 'chart_change' | 'setting_change' | 'staff_change';
  confirmed: AuditAction;
  rejected: AuditAction;
}

/** Stamps the decision (who, when) on proposal `id` and records it, with what it changed, in the audit chain. */
export async function recordDecision(
  tx: Tx,
  actor: Actor,
  kind: ProposalKind,
  id: number,
  decision: Decision,
  change: { before?: unknown; after: unknown },
  now: number,
): Promise<void> {
  await tx.sql(`UPDATE ${kind.table} SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`).run(decision, actor.staffId, now, id);
  await recordAudit(tx, actor, { action: kind[decision], entity: kind.entity, entityId: id, ...change }, now);
}
