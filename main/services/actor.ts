// Who does a thing: every state-changing action names its staff user (or "system" for migrations).
export interface Actor {
  staffId: number | null;
  name: string;
  role: 'clerk' | 'approver' | 'auditor' | 'admin' | 'system';
}

export const SYSTEM_ACTOR: Actor = { staffId: null, name: 'system', role: 'system' };
