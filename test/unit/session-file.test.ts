// Sessions kept beside the books for every `coffer serve` process (serve/session-file.ts): two session
// stores on one file see each other's logins, idle ends and a disabled user's end, and the minute's
// activity is written at most every 30 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionStore, TOUCH_EVERY_MS } from '../../main/api/sessions';
import { SessionFile } from '../../main/serve/session-file';

let dir: string;
let files: SessionFile[];
let now: number;
const clock = () => now;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-sessions-'));
  files = [];
  now = Date.UTC(2026, 11, 5, 2);
});
afterEach(() => {
  for (const f of files) f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A process's store on the shelf beside `books`. */
function store(): SessionStore {
  const f = new SessionFile(path.join(dir, 'books.sqlite'));
  files.push(f);
  return new SessionStore(clock, f);
}

const clerk = { staffId: 7, username: 'lisi', displayName: '李四', role: 'clerk' as const };

describe('sessions shared by serving processes', () => {
  it('a login on one is live on the other, with its lock and one-time password', () => {
    const [a, b] = [store(), store()];
    a.start('web-1', { ...clerk, mustChangePassword: true });
    expect(b.get('web-1')).toMatchObject({ session: { username: 'lisi', role: 'clerk', locked: false, mustChangePassword: true } });
    const s = b.get('web-1');
    if (!('session' in s)) throw new Error('no session');
    b.change(s.session, { locked: true, mustChangePassword: false });
    expect(a.get('web-1')).toMatchObject({ session: { locked: true, mustChangePassword: false } });
    expect(fs.statSync(path.join(dir, 'books.sqlite-sessions')).mode & 0o077).toBe(0);
  });

  it('writes activity at most every 30 s, and an idle session ends for both', () => {
    const [a, b] = [store(), store()];
    a.start('web-1', clerk);
    now += TOUCH_EVERY_MS - 1;
    const early = b.get('web-1');
    if (!('session' in early)) throw new Error('no session');
    b.touch(early.session);
    expect(a.get('web-1')).toMatchObject({ session: { lastActive: now - TOUCH_EVERY_MS + 1 } }); // not written yet
    now += 1;
    const due = b.get('web-1');
    if (!('session' in due)) throw new Error('no session');
    b.touch(due.session);
    expect(a.get('web-1')).toMatchObject({ session: { lastActive: now } });
    now += 15 * 60_000 + 1;
    expect(b.get('web-1')).toEqual({ ended: 'idle' });
    expect(a.known('web-1')).toBe(false);
  });

  it("a user's sessions end on every process when an admin ends them there, and a restore ends all", () => {
    const [a, b] = [store(), store()];
    a.start('web-1', clerk);
    a.start('web-2', clerk);
    a.start('web-3', { ...clerk, staffId: 8, username: 'wangwu' });
    b.endForStaff(7);
    expect([a.known('web-1'), a.known('web-2'), a.known('web-3')]).toEqual([false, false, true]);
    b.endAll();
    expect(a.known('web-3')).toBe(false);
  });
});
