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
  /** The session's absolute end, fixed at its login (session.maxHours then): idle or busy, it ends here. */
  expiresAt: number;
  locked: boolean;
  /** Logged in with a one-time code: nothing but session.changePassword (and logout) until replaced. */
  mustChangePassword: boolean;
}

export const DEFAULT_IDLE_MINUTES = 15;
export const DEFAULT_MAX_HOURS = 12;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  idleMinutes = DEFAULT_IDLE_MINUTES;
  /** The age a session started now may reach (session.maxHours). */
  maxHours = DEFAULT_MAX_HOURS;

  constructor(private readonly clock: () => number = Date.now) {}

  now(): number {
    return this.clock();
  }

  start(
    clientId: string,
    s: Omit<Session, 'clientId' | 'startedAt' | 'lastActive' | 'expiresAt' | 'locked' | 'mustChangePassword'> & {
      mustChangePassword?: boolean;
    },
  ): Session {
    const now = this.clock();
    const session: Session = {
      ...s,
      mustChangePassword: s.mustChangePassword ?? false,
      clientId,
      startedAt: now,
      lastActive: now,
      expiresAt: now + this.maxHours * 3600_000,
      locked: false,
    };
    this.sessions.set(clientId, session);
    return session;
  }

  /** The client's session, or why there is none. Ends sessions past their age or idle past the limit. */
  get(clientId: string): { session: Session } | { ended: 'none' | 'idle' } | { ended: 'expired'; hours: number } {
    const s = this.sessions.get(clientId);
    if (!s) return { ended: 'none' };
    if (this.clock() >= s.expiresAt) {
      this.sessions.delete(clientId);
      return { ended: 'expired', hours: Math.round((s.expiresAt - s.startedAt) / 3600_000) };
    }
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
