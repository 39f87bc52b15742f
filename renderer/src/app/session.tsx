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
