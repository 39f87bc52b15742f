// Who does a thing: every state-changing action names its staff user (or "system" for migrations).
export interface Actor {
  staffId: number | null;
  name: string;
  role: 'clerk' | 'approver' | 'auditor' | 'admin' | 'system';
  /** Inside a batch (an import) the batch writes one audit row with its count instead of one per item. */
  inBatch?: boolean;
}

export const SYSTEM_ACTOR: Actor = { staffId: null, name: 'system', role: 'system' };
