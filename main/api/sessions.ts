// Who is logged in at each window (client). Held in the core only: the renderer never sees a token.
// The console keeps them in memory; `coffer serve` also keeps them on a shelf every serving process
// reads (serve/session-file.ts), so that one logout, lock or disabled user holds for all of them.
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

/** Where sessions are kept (memory, or a file every serving process reads): read at every call, written when they start, change or end. */
export interface SessionShelf {
  load(clientId: string): Session | undefined;
  save(s: Session): void;
  /** A session's last activity, written at most every TOUCH_EVERY_MS (the idle limit is minutes). */
  touch(clientId: string, at: number): void;
  remove(clientId: string): void;
  removeStaff(staffId: number): void;
  removeAll(): void;
}

export const TOUCH_EVERY_MS = 30_000;

/** The console's and the CLI's sessions: this process's memory (a session is the very object kept). */
export class MemoryShelf implements SessionShelf {
  private readonly sessions = new Map<string, Session>();
  load = (clientId: string) => this.sessions.get(clientId);
  save = (s: Session) => void this.sessions.set(s.clientId, s);
  touch(): void {} // the session kept is the one touched
  remove = (clientId: string) => void this.sessions.delete(clientId);
  removeStaff(staffId: number): void {
    for (const [id, s] of this.sessions) if (s.staffId === staffId) this.sessions.delete(id);
  }
  removeAll = () => this.sessions.clear();
}

export const DEFAULT_IDLE_MINUTES = 15;
export const DEFAULT_MAX_HOURS = 12;

export class SessionStore {
  idleMinutes = DEFAULT_IDLE_MINUTES;
  /** The age a session started now may reach (session.maxHours). */
  maxHours = DEFAULT_MAX_HOURS;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly shelf: SessionShelf = new MemoryShelf(),
  ) {}

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
    this.shelf.save(session);
    return session;
  }

  /** Whether the client has a session here, live or past its limits (told why at its next call). */
  known(clientId: string): boolean {
    return this.shelf.load(clientId) !== undefined;
  }

  /** The client's session, or why there is none. Ends sessions past their age or idle past the limit. */
  get(clientId: string): { session: Session } | { ended: 'none' | 'idle' } | { ended: 'expired'; hours: number } {
    const s = this.shelf.load(clientId);
    if (!s) return { ended: 'none' };
    if (this.clock() >= s.expiresAt) {
      this.end(clientId);
      return { ended: 'expired', hours: Math.round((s.expiresAt - s.startedAt) / 3600_000) };
    }
    if (this.clock() - s.lastActive > this.idleMinutes * 60_000) {
      this.end(clientId);
      return { ended: 'idle' };
    }
    return { session: s };
  }

  touch(s: Session): void {
    const now = this.clock();
    const due = now - s.lastActive >= TOUCH_EVERY_MS;
    s.lastActive = now;
    if (due) this.shelf.touch(s.clientId, now);
  }

  /** Locks or unlocks the screen, or notes the one-time password replaced. */
  change(s: Session, to: Partial<Pick<Session, 'locked' | 'mustChangePassword'>>): Session {
    Object.assign(s, to);
    this.shelf.save(s);
    return s;
  }

  end(clientId: string): void {
    this.shelf.remove(clientId);
  }

  endAll(): void {
    this.shelf.removeAll();
  }

  /** Sessions of a staff user, e.g. to end them when an admin disables the user. */
  endForStaff(staffId: number): void {
    this.shelf.removeStaff(staffId);
  }
}
