// Who is logged in at each window (client). Held in the core only: the renderer never sees a token.
// The console keeps them in memory; `coffer serve` keeps them on a shelf every serving process reads
// (a file beside a books file, serve/session-file.ts; a table of PostgreSQL books, serve/session-table.ts),
// so that one logout, lock or disabled user holds for all of them.
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

/** What a shelf answers: at once (memory, a file) or when the database has answered (PostgreSQL). */
type Shelved<T> = T | Promise<T>;

/**
 * Where sessions are kept (memory, a file or a table every serving process reads): read at every call,
 * written when they start, change or end.
 */
export interface SessionShelf {
  load(clientId: string): Shelved<Session | undefined>;
  save(s: Session): Shelved<void>;
  /** A kept session's lock and one-time password state; one ended meanwhile (elsewhere) stays ended. */
  update(s: Session): Shelved<void>;
  /** A session's last activity, written at most every TOUCH_EVERY_MS (the idle limit is minutes). */
  touch(clientId: string, at: number): Shelved<void>;
  remove(clientId: string): Shelved<void>;
  removeStaff(staffId: number): Shelved<void>;
  removeAll(): Shelved<void>;
  /** Sessions past their age before `expiredBefore` or last active before `idleBefore`: ones never used again. */
  removeEnded(expiredBefore: number, idleBefore: number): Shelved<void>;
}

export const TOUCH_EVERY_MS = 30_000;

/** The console's and the CLI's sessions: this process's memory (a session is the very object kept). */
export class MemoryShelf implements SessionShelf {
  private readonly sessions = new Map<string, Session>();
  load = (clientId: string) => this.sessions.get(clientId);
  save = (s: Session) => void this.sessions.set(s.clientId, s);
  update(s: Session): void {
    if (this.sessions.has(s.clientId)) this.sessions.set(s.clientId, s);
  }
  touch(): void {} // the session kept is the one touched
  remove = (clientId: string) => void this.sessions.delete(clientId);
  removeStaff(staffId: number): void {
    for (const [id, s] of this.sessions) if (s.staffId === staffId) this.sessions.delete(id);
  }
  removeAll = () => this.sessions.clear();
  removeEnded(expiredBefore: number, idleBefore: number): void {
    for (const [id, s] of this.sessions) if (s.expiresAt < expiredBefore || s.lastActive < idleBefore) this.sessions.delete(id);
  }
}

export const DEFAULT_IDLE_MINUTES = 15;
/**
 * How long a session that ended unseen (its tab closed) is kept: its client is told why it ended at its
 * next call within a day, after which a login clears it from the shelf.
 */
export const ENDED_KEPT_MS = 24 * 3600_000;
export const DEFAULT_MAX_HOURS = 12;

/**
 * One served call's look at the shelf: the caller's session is loaded once for the call, not at each
 * of its checks (the border, admission, the method's own check, the answer). Made for one call and
 * dropped with it — never kept across calls, so a logout, a lock or an end decided at another desk is
 * seen by the next call. A change this process makes to any session (SessionStore.changes) loads it again.
 */
export class CallMemo {
  loaded?: { clientId: string; changes: number; session: Promise<Session | undefined> };
}

export class SessionStore {
  idleMinutes = DEFAULT_IDLE_MINUTES;
  /** The age a session started now may reach (session.maxHours). */
  maxHours = DEFAULT_MAX_HOURS;
  /** How many times this process changed the shelf (touches aside): a call's memo older than that loads again. */
  private changes = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly shelf: SessionShelf = new MemoryShelf(),
  ) {}

  now(): number {
    return this.clock();
  }

  async start(
    clientId: string,
    s: Omit<Session, 'clientId' | 'startedAt' | 'lastActive' | 'expiresAt' | 'locked' | 'mustChangePassword'> & {
      mustChangePassword?: boolean;
    },
  ): Promise<Session> {
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
    await this.changing(async () => {
      await this.shelf.removeEnded(now - ENDED_KEPT_MS, now - this.idleMinutes * 60_000 - ENDED_KEPT_MS);
      await this.shelf.save(session);
    });
    return session;
  }

  /** The shelf's session of the client: loaded once per call where the call brings its memo. */
  private load(clientId: string, memo?: CallMemo): Promise<Session | undefined> {
    if (!memo) return Promise.resolve(this.shelf.load(clientId));
    const held = memo.loaded;
    if (held?.clientId === clientId && held.changes === this.changes) return held.session;
    const session = Promise.resolve(this.shelf.load(clientId));
    memo.loaded = { clientId, changes: this.changes, session };
    return session;
  }

  /** A change to the shelf: the memos loaded before it load again. */
  private async changing(write: () => Shelved<void>): Promise<void> {
    try {
      await write();
    } finally {
      this.changes++;
    }
  }

  /** Whether the client has a session here, live or past its limits (told why at its next call). */
  async known(clientId: string, memo?: CallMemo): Promise<boolean> {
    return (await this.load(clientId, memo)) !== undefined;
  }

  /** The client's session, or why there is none. Ends sessions past their age or idle past the limit. */
  async get(
    clientId: string,
    memo?: CallMemo,
  ): Promise<{ session: Session } | { ended: 'none' | 'idle' } | { ended: 'expired'; hours: number }> {
    const s = await this.load(clientId, memo);
    if (!s) return { ended: 'none' };
    if (this.clock() >= s.expiresAt) {
      await this.end(clientId);
      return { ended: 'expired', hours: Math.round((s.expiresAt - s.startedAt) / 3600_000) };
    }
    if (this.clock() - s.lastActive > this.idleMinutes * 60_000) {
      await this.end(clientId);
      return { ended: 'idle' };
    }
    return { session: s };
  }

  async touch(s: Session): Promise<void> {
    const now = this.clock();
    const due = now - s.lastActive >= TOUCH_EVERY_MS;
    s.lastActive = now;
    if (due) await this.shelf.touch(s.clientId, now);
  }

  /** Locks or unlocks the screen, or notes the one-time password replaced. */
  async change(s: Session, to: Partial<Pick<Session, 'locked' | 'mustChangePassword'>>): Promise<Session> {
    Object.assign(s, to);
    await this.changing(() => this.shelf.update(s));
    return s;
  }

  async end(clientId: string): Promise<void> {
    await this.changing(() => this.shelf.remove(clientId));
  }

  async endAll(): Promise<void> {
    await this.changing(() => this.shelf.removeAll());
  }

  /** Sessions of a staff user, e.g. to end them when an admin disables the user. */
  async endForStaff(staffId: number): Promise<void> {
    await this.changing(() => this.shelf.removeStaff(staffId));
  }
}
