// Who is logged in at each window (client). Held in main only: the renderer never sees a token.
import type { Role } from '../services/staff';

export interface Session {
  clientId: string;
  staffId: number;
  username: string;
  displayName: string;
  role: Role;
  startedAt: number;
  lastActive: number;
  locked: boolean;
  /** Logged in with a one-time code: nothing but session.changePassword (and logout) until replaced. */
  mustChangePassword: boolean;
}

export const DEFAULT_IDLE_MINUTES = 15;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  idleMinutes = DEFAULT_IDLE_MINUTES;

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  start(
    clientId: string,
    s: Omit<Session, 'clientId' | 'startedAt' | 'lastActive' | 'locked' | 'mustChangePassword'> & { mustChangePassword?: boolean },
  ): Session {
    const now = this.clock();
    const session: Session = {
      ...s,
      mustChangePassword: s.mustChangePassword ?? false,
      clientId,
      startedAt: now,
      lastActive: now,
      locked: false,
    };
    this.sessions.set(clientId, session);
    return session;
  }

  /** The client's session, or why there is none. Ends sessions idle past the limit. */
  get(clientId: string): { session: Session } | { ended: 'none' | 'idle' } {
    const s = this.sessions.get(clientId);
    if (!s) return { ended: 'none' };
    if (this.clock() - s.lastActive > this.idleMinutes * 60_000) {
      this.sessions.delete(clientId);
      return { ended: 'idle' };
    }
    return { session: s };
  }

  touch(s: Session): void {
    s.lastActive = this.clock();
  }

  end(clientId: string): void {
    this.sessions.delete(clientId);
  }

  endAll(): void {
    this.sessions.clear();
  }

  /** Sessions of a staff user, e.g. to end them when an admin disables the user. */
  endForStaff(staffId: number): void {
    for (const [id, s] of this.sessions) if (s.staffId === staffId) this.sessions.delete(id);
  }
}
