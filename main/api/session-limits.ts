// The session limits every call is checked against (session.idleMinutes, session.maxHours), read at
// most once a second rather than twice a call: on PostgreSQL books each read is a round trip, which an
// approval through `coffer serve` (checked twice: admits, then run) and a cancel would otherwise wait on.
// A change decided through this dispatcher is seen by the next call; one decided by another process on
// the same books (a second serve) within a second.
import type { AnyBooks } from '../db/tx';
import { confirmedChanges, settingAmong, type ConfirmedChange } from '../services/settings';

export interface SessionLimitValues {
  idleMinutes: number;
  maxHours: number;
}

const FRESH_MS = 1000;

export class SessionLimits {
  private held: { books: AnyBooks; readAt: number; idle: ConfirmedChange[]; max: ConfirmedChange[] } | null = null;
  /** How many times the limits were read from the books: what the cache saves is visible in tests. */
  reads = 0;

  constructor(private readonly elapsed: () => number = () => performance.now()) {}

  /** The limits in force at `at` (the books' clock): read again when older than a second or forgotten. */
  async at(books: AnyBooks, at: number): Promise<SessionLimitValues> {
    let held = this.held;
    if (!held || held.books !== books || this.elapsed() - held.readAt >= FRESH_MS) {
      const readAt = this.elapsed();
      const [idle, max] = [
        await confirmedChanges(books.reader, 'session.idleMinutes'),
        await confirmedChanges(books.reader, 'session.maxHours'),
      ];
      this.reads++;
      held = this.held = { books, readAt, idle, max };
    }
    return { idleMinutes: settingAmong('session.idleMinutes', held.idle, at), maxHours: settingAmong('session.maxHours', held.max, at) };
  }

  /** A setting was decided here: the next call reads the limits again. */
  forget(): void {
    this.held = null;
  }
}
