// Who is logged in, as the console knows it, and the actions that change it.
import { createContext, useContext } from 'react';
import type { Data } from '../api/coffer';

export type SessionInfo = NonNullable<Data<'session.login'>>;
export type Role = SessionInfo['role'];

export interface SessionCtx {
  session: SessionInfo;
  lock(): void;
  logout(): void;
}

export const SessionContext = createContext<SessionCtx | null>(null);

export function useSession(): SessionCtx {
  const c = useContext(SessionContext);
  if (!c) throw new Error('useSession outside a logged-in console');
  return c;
}

/** The counter's roles, clerk and approver: those who enter, import and match (an admin or an auditor only looks). */
export function isCounter(role: Role): boolean {
  return role === 'clerk' || role === 'approver';
}

/** Whether the one logged in works at the counter (isCounter). */
export function useCounter(): boolean {
  return isCounter(useSession().session.role);
}

/** What the one logged in may do: counter work (isCounter), decide as an approver, administer; and who they are, to tell their own entries. */
export function useCan() {
  const { session } = useSession();
  return {
    counter: isCounter(session.role),
    approver: session.role === 'approver',
    admin: session.role === 'admin',
    staffId: session.staffId,
    username: session.username,
  };
}
