// Four eyes on a proposed change (a chart remap, a setting, a staff user): a second person confirms or
// rejects it, and the decision is stamped on the proposal and recorded in the audit chain the same way.
import type { Tx } from '../db/tx';
import type { AuditAction } from '../domain/audit-actions';
import type { Actor } from './actor';
import { recordAudit } from './audit';

export type Decision = 'confirmed' | 'rejected';

/** Where a kind of proposal is kept, its audit entity, and the audit actions of its two decisions. */
interface ProposalKind {
  table: 'chart_changes' | 'setting_changes' | 'staff_changes';
  entity: 'chart_change' | 'setting_change' | 'staff_change';
  confirmed: AuditAction;
  rejected: AuditAction;
}

export const PROPOSALS = {
  remap: { table: 'chart_changes', entity: 'chart_change', confirmed: 'chart.confirmRemap', rejected: 'chart.rejectRemap' },
  setting: { table: 'setting_changes', entity: 'setting_change', confirmed: 'settings.confirm', rejected: 'settings.reject' },
  staff: { table: 'staff_changes', entity: 'staff_change', confirmed: 'staff.confirm', rejected: 'staff.reject' },
} as const satisfies Record<string, ProposalKind>;

/** What a proposal shows besides its own fields: who proposed it and when, and whether and by whom it was decided. */
export interface ProposalOut {
  proposedBy: number;
  proposedByName: string;
  proposedAt: number;
  status: 'proposed' | Decision;
  decidedBy: number | null;
  decidedByName: string | null;
  decidedAt: number | null;
}

/** Stamps the decision (who, when) on proposal `id` and records it, with what it changed, in the audit chain. */
export async function recordDecision(
  tx: Tx,
  actor: Actor,
  kind: keyof typeof PROPOSALS,
  id: number,
  decision: Decision,
  change: { before?: unknown; after: unknown },
  now: number,
): Promise<void> {
  const p = PROPOSALS[kind];
  await tx.sql(`UPDATE ${p.table} SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`).run(decision, actor.staffId, now, id);
  await recordAudit(tx, actor, { action: p[decision], entity: p.entity, entityId: id, ...change, at: now });
}
