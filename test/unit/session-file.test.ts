// Sessions every `coffer serve` process on the same books reads: a file beside a books file
// (serve/session-file.ts), a table of books on PostgreSQL (serve/session-table.ts). Two session stores
// on one shelf see each other's logins, locks, idle ends and a disabled user's end, an end on one is
// not undone by a lock on the other, and the minute's activity is written at most every 30 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionStore, TOUCH_EVERY_MS, type Session } from '../../main/api/sessions';
import { createPostgresBooks } from '../../main/db/postgres/books';
import { openPostgresBooks, type PostgresBooks } from '../../main/db/postgres/open';
import { SessionFile } from '../../main/serve/session-file';
import { SessionTable } from '../../main/serve/session-table';
import { freshSchema, postgresReachable, POSTGRES_REQUIRED, type TestSchema } from '../support/postgres';

const reachable = await postgresReachable();

let now: number;
const clock = () => now;
const clerk = { staffId: 7, username: 'lisi', displayName: '李四', role: 'clerk' as const };

/** A process's shelf: each call opens another, as a second serving process would. */
interface Shelves {
  open(): Promise<SessionStore>;
}

function fileShelves(): Shelves & { dir: string; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-sessions-'));
  const files: SessionFile[] = [];
  return {
    dir,
    async open() {
      const f = new SessionFile(path.join(dir, 'books.sqlite'));
      files.push(f);
      return new SessionStore(clock, f);
    },
    close() {
      for (const f of files) f.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function live(store: SessionStore, clientId: string): Promise<Session> {
  const found = await store.get(clientId);
  if (!('session' in found)) throw new Error(`no session ${clientId}`);
  return found.session;
}

const ENGINES = [
  { engine: 'sqlite', skip: false },
  { engine: 'postgres', skip: !reachable && !POSTGRES_REQUIRED },
] as const;

describe.each(ENGINES)('sessions shared by serving processes ($engine books)', ({ engine, skip }) => {
  let shelves: Shelves;
  let onClose: () => Promise<void>;
  let schema: TestSchema | undefined;
  let books: PostgresBooks[] = [];

  beforeAll(async () => {
    if (engine === 'postgres' && !skip) {
      schema = await freshSchema();
      await createPostgresBooks(schema.url);
    }
  }, 60_000);
  afterAll(async () => schema?.drop());

  beforeEach(async () => {
    now = Date.UTC(2026, 11, 5, 2);
    if (engine === 'sqlite') {
      const f = fileShelves();
      shelves = f;
      onClose = async () => f.close();
      return;
    }
    await schema?.client.query('DELETE FROM serve_sessions');
    books = [];
    shelves = {
      async open() {
        const b = await openPostgresBooks(schema!.url, { maxConnections: 2 });
        books.push(b);
        return new SessionStore(clock, await SessionTable.open(b));
      },
    };
    onClose = async () => void (await Promise.all(books.map((b) => b.close())));
  });
  afterEach(async () => onClose?.());

  it.skipIf(skip)('a login on one is live on the other, with its lock and one-time password', async () => {
    const [a, b] = [await shelves.open(), await shelves.open()];
    await a.start('web-1', { ...clerk, mustChangePassword: true });
    expect(await b.get('web-1')).toMatchObject({ session: { username: 'lisi', role: 'clerk', locked: false, mustChangePassword: true } });
    await b.change(await live(b, 'web-1'), { locked: true, mustChangePassword: false });
    expect(await a.get('web-1')).toMatchObject({ session: { locked: true, mustChangePassword: false } });
    if (engine === 'sqlite')
      expect(fs.statSync(path.join((shelves as ReturnType<typeof fileShelves>).dir, 'books.sqlite-sessions')).mode & 0o077).toBe(0);
  });

  it.skipIf(skip)('writes activity at most every 30 s, and an idle session ends for both', async () => {
    const [a, b] = [await shelves.open(), await shelves.open()];
    await a.start('web-1', clerk);
    now += TOUCH_EVERY_MS - 1;
    await b.touch(await live(b, 'web-1'));
    expect(await a.get('web-1')).toMatchObject({ session: { lastActive: now - TOUCH_EVERY_MS + 1 } }); // not written yet
    now += 1;
    await b.touch(await live(b, 'web-1'));
    expect(await a.get('web-1')).toMatchObject({ session: { lastActive: now } });
    now += 15 * 60_000 + 1;
    expect(await b.get('web-1')).toEqual({ ended: 'idle' });
    expect(await a.known('web-1')).toBe(false);
  });

  it.skipIf(skip)("a user's sessions end on every process when an admin ends them there, and a restore ends all", async () => {
    const [a, b] = [await shelves.open(), await shelves.open()];
    await a.start('web-1', clerk);
    await a.start('web-2', clerk);
    await a.start('web-3', { ...clerk, staffId: 8, username: 'wangwu' });
    const held = await a.get('web-1'); // read by one process just before another ends it
    await b.endForStaff(7);
    expect([await a.known('web-1'), await a.known('web-2'), await a.known('web-3')]).toEqual([false, false, true]);
    if ('session' in held) await a.change(held.session, { locked: true }); // a lock in flight brings nothing back
    expect(await b.known('web-1')).toBe(false);
    await b.endAll();
    expect(await a.known('web-3')).toBe(false);
  });

  it.skipIf(skip)('a session never used again is cleared by a login a day after it ended; within the day it still says why', async () => {
    const [a, b] = [await shelves.open(), await shelves.open()];
    await a.start('closed-tab', clerk); // idle from now
    now += 12 * 3600_000; // past its 12 hours of age, and idle since: but ended less than a day ago
    await b.start('web-2', clerk);
    expect(await a.known('closed-tab')).toBe(true);
    now += 12 * 3600_000 + 15 * 60_000 + 1; // a day and a minute past the idle end
    await b.start('web-3', clerk);
    expect([await a.known('closed-tab'), await a.known('web-2'), await a.known('web-3')]).toEqual([false, true, true]);
    now += 16 * 60_000;
    expect(await a.get('web-2')).toEqual({ ended: 'expired', hours: 12 }); // ended this side of a day: told why
  });
});
