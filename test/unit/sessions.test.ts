// Staff users and sessions as a user meets them: first admin, login, lockout after five failures,
// unlock by an admin, idle end, the lock screen, and an admin's management of users.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ON_POSTGRES, PASSWORD, testApi, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';
import { confirmedSetting } from '../support/settings';

let t: TestApi;
beforeEach(async () => {
  t = await testApi();
});
afterEach(async () => t.cleanup());

const actions = async () =>
  ((await t.anyBooks.sql('SELECT action, staff_name AS who FROM audit ORDER BY id').all()) as { action: string; who: string }[]).map(
    (r) => `${r.action}:${r.who}`,
  );

describe('first start', () => {
  it('asks for the first admin once, then logs them in', async () => {
    expect(await t.call('w', 'setup.status')).toMatchObject({ needsFirstAdmin: true });
    await expect(t.call('w', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: 'short' })).rejects.toThrow(
      /password: at least 8/,
    );
    const s = await t.call('w', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
    expect(s).toMatchObject({ username: 'admin', role: 'admin' });
    expect(await t.call('w', 'setup.status')).toMatchObject({ needsFirstAdmin: false });
    await expect(
      t.call('other', 'setup.createFirstAdmin', { username: 'evil', displayName: 'x', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const hash = (await t.anyBooks.sql('SELECT password_hash FROM staff').get()) as { password_hash: string };
    expect(hash.password_hash).toMatch(/^\$argon2id\$/);
    expect(await actions()).toEqual(['books.seal:coffer', 'staff.create:system']); // the new books' rows sealed first
  });
});

describe('demo books on first start', () => {
  // createDemoBooks refuses PostgreSQL books by design: demo books are a file made on first start.
  it.skipIf(ON_POSTGRES)('are made only in empty books, with the five demo users sharing one password', async () => {
    const r = await t.runJob('w', 'setup.createDemoBooks', { password: PASSWORD, customers: 20, seed: 7 });
    expect(r.customers).toBe(20);
    for (const username of ['admin', 'clerk', 'approver', 'approver2', 'auditor']) {
      expect(await t.call(username, 'session.login', { username, password: PASSWORD })).toMatchObject({ username });
    }
    await expect(t.runJob('w', 'setup.createDemoBooks', { password: PASSWORD, customers: 5 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });
});

describe('logins', () => {
  beforeEach(async () => {
    await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: 'A', password: PASSWORD });
    await addStaff(t.call, { username: 'clerk', displayName: '王会计', role: 'clerk' });
  });

  it('five wrong passwords lock the user until it ends or an admin unlocks; the right password then works', async () => {
    for (let i = 1; i <= 4; i++) {
      await expect(t.call('w', 'session.login', { username: 'clerk', password: 'wrong password' })).rejects.toThrow(
        /^UNAUTHENTICATED: wrong username or password$/,
      );
    }
    await expect(t.call('w', 'session.login', { username: 'clerk', password: 'wrong password' })).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(t.call('w', 'session.login', { username: 'clerk', password: PASSWORD })).rejects.toThrow(
      /locked after too many failed logins/,
    );
    const clerk = (await t.call('admin', 'staff.list')).find((s) => s.username === 'clerk')!;
    expect(clerk.locked).toBe(true);
    await t.call('admin', 'staff.unlock', { id: clerk.id });
    expect(await t.call('w', 'session.login', { username: 'clerk', password: PASSWORD })).toMatchObject({
      username: 'clerk',
      role: 'clerk',
    });
    expect((await actions()).filter((a) => a.startsWith('staff.locked') || a.startsWith('staff.unlock'))).toEqual([
      'staff.locked:clerk',
      'staff.unlock:admin',
    ]);
  });

  it('an unknown user gets the same answer as a wrong password', async () => {
    await expect(t.call('w', 'session.login', { username: 'ghost', password: PASSWORD })).rejects.toThrow(
      /^UNAUTHENTICATED: wrong username or password$/,
    );
  });

  it('a session ends after the idle limit', async () => {
    await t.call('w', 'session.login', { username: 'clerk', password: PASSWORD });
    await t.call('w', 'ledger.trialBalance');
    t.clock.now += 14 * 60_000;
    await t.call('w', 'ledger.trialBalance');
    t.clock.now += 15 * 60_000 + 1;
    await expect(t.call('w', 'ledger.trialBalance')).rejects.toThrow(/ended after 15 minutes without use/);
  });

  it('a session ends at its age (session.maxHours, 12 by default) however busy; a new age counts from the next login', async () => {
    await t.call('w', 'session.login', { username: 'clerk', password: PASSWORD });
    const started = t.clock.now;
    while (t.clock.now + 10 * 60_000 < started + 12 * 3600_000) {
      t.clock.now += 10 * 60_000;
      await t.call('w', 'ledger.trialBalance'); // never idle
    }
    t.clock.now = started + 12 * 3600_000;
    await expect(t.call('w', 'ledger.trialBalance')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'session_expired', params: { hours: '12' } },
    });
    await expect(t.call('w', 'ledger.trialBalance')).rejects.toMatchObject({ details: { reason: 'not_logged_in' } });

    // two admins make it 2 hours: the clerk's session then started ends 2 hours on, one started before keeps its 12
    await t.call('admin', 'session.login', { username: 'admin', password: PASSWORD });
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    await t.call('early', 'session.login', { username: 'clerk', password: PASSWORD });
    await confirmedSetting(t.call, { key: 'session.maxHours', value: 2, effectiveFrom: t.clock.now, reason: 'shared desks' });
    await t.call('w', 'session.login', { username: 'clerk', password: PASSWORD });
    for (let i = 0; i < 11; i++) {
      t.clock.now += 10 * 60_000;
      await t.call('w', 'ledger.trialBalance');
      await t.call('early', 'ledger.trialBalance');
    }
    t.clock.now += 10 * 60_000;
    await expect(t.call('w', 'ledger.trialBalance')).rejects.toMatchObject({
      details: { reason: 'session_expired', params: { hours: '2' } },
    });
    expect(await t.call('early', 'ledger.trialBalance')).toHaveLength(3);
  });

  it('a locked screen refuses work until the password unlocks it', async () => {
    await t.call('w', 'session.login', { username: 'clerk', password: PASSWORD });
    await t.call('w', 'session.lock');
    await expect(t.call('w', 'ledger.trialBalance')).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(t.call('w', 'session.unlock', { password: 'nope nope' })).rejects.toThrow(/wrong password/);
    await t.call('w', 'session.unlock', { password: PASSWORD });
    expect(await t.call('w', 'ledger.trialBalance')).toHaveLength(3);
  });

  it('logout ends the session and is audited', async () => {
    await t.call('w', 'session.login', { username: 'clerk', password: PASSWORD });
    await t.call('w', 'session.logout');
    await expect(t.call('w', 'ledger.trialBalance')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await actions()).toContain('session.logout:clerk');
  });
});

describe('an admin manages staff', () => {
  beforeEach(async () => {
    await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: 'A', password: PASSWORD });
  });

  it('changes a role, which ends that user’s sessions; disabling refuses logins', async () => {
    const c = await addStaff(t.call, { username: 'li', displayName: '李', role: 'clerk' });
    await t.call('admin', 'staff.update', { id: c.id, role: 'approver' });
    await expect(t.call('li', 'ledger.trialBalance')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await t.call('li', 'session.login', { username: 'li', password: PASSWORD })).toMatchObject({ role: 'approver' });
    await t.call('admin', 'staff.update', { id: c.id, disabled: true });
    await expect(t.call('li', 'session.login', { username: 'li', password: PASSWORD })).rejects.toThrow(/disabled/);
    const audit = (await t.anyBooks
      .sql("SELECT before_json, after_json FROM audit WHERE action = 'staff.update' ORDER BY id LIMIT 1")
      .get()) as { before_json: string; after_json: string };
    expect(JSON.parse(audit.before_json)).toMatchObject({ role: 'clerk' });
    expect(JSON.parse(audit.after_json)).toMatchObject({ role: 'approver' });
  });

  it('keeps at least one active admin and refuses duplicate usernames', async () => {
    await expect(t.call('admin', 'staff.update', { id: 1, role: 'clerk' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.call('admin', 'staff.create', { username: 'ADMIN', displayName: 'x', role: 'clerk' })).rejects.toThrow(
      /username ADMIN is taken/,
    );
  });

  it('resets a password when a second admin confirms; the old one stops working, the one-time code must be replaced', async () => {
    const c = await addStaff(t.call, { username: 'zhao', displayName: '赵', role: 'auditor' });
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    const reset = await t.call('admin', 'staff.resetPassword', { id: c.id });
    const { oneTimeCode } = await t.call('admin2', 'staff.decide', { id: reset.id, decision: 'confirmed' });
    await expect(t.call('z', 'session.login', { username: 'zhao', password: PASSWORD })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await t.call('z', 'session.login', { username: 'zhao', password: oneTimeCode! })).toMatchObject({ mustChangePassword: true });
    await t.call('z', 'session.changePassword', { current: oneTimeCode!, next: 'brand new pass' });
    await t.call('z', 'session.login', { username: 'zhao', password: 'brand new pass' });
  });
});
