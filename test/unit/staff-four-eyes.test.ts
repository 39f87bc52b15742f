// Four eyes that hold against one admin (issue 11 §2): no single person, admin included, can both
// propose and confirm a setting or staff change — not by creating a second admin, not by resetting
// another user's password — through the API or the CLI; lock-outs grow and end by themselves; an
// unknown user and a wrong password look the same.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstValue, ON_POSTGRES, PASSWORD, staffedApi, tempDir, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { keyPathFor } from '../../main/db/books-key';
import { inWriteTx } from '../../main/db/tx';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

// Spy on password checks (the dummy hash for unknown users); everything else is the real module.
vi.mock('../../main/services/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/services/passwords')>();
  return { ...real, checkPassword: vi.fn(real.checkPassword) };
});
const passwords = await import('../../main/services/passwords');

let t: TestApi;
beforeEach(async () => {
  t = await staffedApi();
});
afterEach(async () => {
  await t.cleanup();
});

type Refused = { error: string; code?: string; message?: string };
const refusal = (p: Promise<unknown>): Promise<Refused> =>
  p.then(
    () => ({ error: 'none' }),
    (e: { code: string; message: string; details?: { reason?: string } }) => ({
      error: e.code,
      ...(e.details?.reason ? { code: e.details.reason } : {}),
      message: e.message,
    }),
  );
const tick = () => (t.clock.now += 1_000);
const proposeSetting = async (as = 'admin') =>
  (
    await t.call(as, 'settings.propose', {
      key: 'transfer.approvalThreshold',
      value: 1,
      effectiveFrom: t.clock.now + 1_000,
      reason: '门槛调低',
    })
  ).id;
const settingStatus = (id: number) => firstValue<string>(t.anyBooks, 'SELECT status FROM setting_changes WHERE id = ?', id);
const staffId = (u: string) => firstValue(t.anyBooks, 'SELECT id FROM staff WHERE username = ?', u);
/** A statement run in a Coffer transaction: what the books' own tables and triggers refuse, on either engine. */
const write = (text: string, ...params: unknown[]) => inWriteTx(t.anyBooks, (tx) => tx.sql(text).run(...params));

describe('an admin who makes a second admin cannot confirm their own proposal', () => {
  it('on books with one admin: the new admin, made after the proposal, is refused (first with its one-time code)', async () => {
    const setting = await proposeSetting();
    tick();
    const made = await t.call('admin', 'staff.create', { username: 'admin2', displayName: '管理员二', role: 'admin' });
    // Nobody else could confirm: on one-admin books a new user is made at once, on the sole admin's word.
    expect(made.change).toMatchObject({ status: 'confirmed', soleAdmin: true });
    const code = made.oneTimeCode!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await t.call('admin2', 'session.login', { username: 'admin2', password: code });
    expect(await refusal(t.call('admin2', 'settings.decide', { id: setting, decision: 'confirmed' }))).toMatchObject({
      error: 'FORBIDDEN',
      code: 'password_change_required',
    });
    expect(await refusal(t.call('admin2', 'session.changePassword', { current: code, next: code }))).toMatchObject({
      code: 'password_not_new',
    });
    await t.call('admin2', 'session.changePassword', { current: code, next: 'my own pass 2' });
    expect(await refusal(t.call('admin2', 'settings.decide', { id: setting, decision: 'confirmed' }))).toMatchObject({
      error: 'FORBIDDEN',
      code: 'setting_newer_account',
    });
    expect(await refusal(t.call('admin', 'settings.decide', { id: setting, decision: 'confirmed' }))).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(await settingStatus(setting)).toBe('proposed');
  });

  it('on books with two admins: a new user waits for the other admin, and one made after a proposal cannot confirm it', async () => {
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    tick();
    const setting = await proposeSetting();
    tick();
    const made = await t.call('admin', 'staff.create', { username: 'admin3', displayName: '管理员三', role: 'admin' });
    expect(made).toMatchObject({ change: { status: 'proposed', soleAdmin: false }, oneTimeCode: null });
    expect(await refusal(t.call('admin3', 'session.login', { username: 'admin3', password: PASSWORD }))).toMatchObject({
      error: 'UNAUTHENTICATED',
    });
    expect(await refusal(t.call('admin', 'staff.decide', { id: made.change.id, decision: 'confirmed' }))).toMatchObject({
      error: 'FORBIDDEN',
      code: 'staff_four_eyes',
    });
    expect(await firstValue(t.anyBooks, "SELECT count(*) AS n FROM staff WHERE username = 'admin3'")).toBe(0);
    tick();
    const confirmed = await t.call('admin2', 'staff.decide', { id: made.change.id, decision: 'confirmed' });
    const code = confirmed.oneTimeCode!;
    expect(code).toBeTruthy();
    await t.call('admin3', 'session.login', { username: 'admin3', password: code });
    await t.call('admin3', 'session.changePassword', { current: code, next: 'admin three 3' });
    expect(await refusal(t.call('admin3', 'settings.decide', { id: setting, decision: 'confirmed' }))).toMatchObject({
      code: 'setting_newer_account',
    });
    // admin2 existed before the proposal: a second person, who may confirm it.
    await t.call('admin2', 'settings.decide', { id: setting, decision: 'confirmed' });
    expect(await settingStatus(setting)).toBe('confirmed');
  });

  it('a role change, disabling and unlocking wait for a second admin; a staff change by a newer admin is refused', async () => {
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    tick();
    const clerk = await staffId('clerk');
    const r = await t.call('admin', 'staff.update', {
      id: clerk,
      role: 'admin',
      displayName: '王会计',
    });
    expect(r.changes.map((c) => c.status)).toEqual(['proposed']);
    const row = () => t.anyBooks.sql('SELECT role, display_name AS name, disabled FROM staff WHERE id = ?').get(clerk);
    expect(await row()).toEqual({ role: 'clerk', name: '王会计', disabled: 0 }); // a display name changes at once
    expect(await refusal(t.call('admin', 'staff.update', { id: clerk, role: 'approver' }))).toMatchObject({ code: 'staff_change_waiting' });
    const off = await t.call('admin', 'staff.update', { id: clerk, disabled: true });
    tick();
    // admin3 made after both proposals (by the two admins): it may not confirm them.
    const made = await t.call('admin2', 'staff.create', { username: 'admin3', displayName: 'a3', role: 'admin' });
    const c3 = (await t.call('admin', 'staff.decide', { id: made.change.id, decision: 'confirmed' })).oneTimeCode!;
    await t.call('admin3', 'session.login', { username: 'admin3', password: c3 });
    await t.call('admin3', 'session.changePassword', { current: c3, next: 'admin three 3' });
    expect(await refusal(t.call('admin3', 'staff.decide', { id: r.changes[0]!.id, decision: 'confirmed' }))).toMatchObject({
      code: 'staff_newer_account',
    });
    await t.call('admin2', 'staff.decide', { id: off.changes[0]!.id, decision: 'rejected' });
    await t.call('admin2', 'staff.decide', { id: r.changes[0]!.id, decision: 'confirmed' });
    expect(await row()).toEqual({ role: 'admin', name: '王会计', disabled: 0 });
    expect(await refusal(t.call('admin', 'staff.decide', { id: r.changes[0]!.id, decision: 'rejected' }))).toMatchObject({
      code: 'staff_change_decided',
    });
  });

  it('the table refuses a change decided by its proposer and any edit of a decided change', async () => {
    const made = await t.call('admin', 'staff.create', { username: 'x1', displayName: 'x1', role: 'clerk' });
    await expect(write("UPDATE staff_changes SET status = 'rejected' WHERE id = ?", made.change.id)).rejects.toThrow(/decided already/);
    await expect(write('DELETE FROM staff_changes WHERE id = ?', made.change.id)).rejects.toThrow(/never deleted/);
    const own = await write("INSERT INTO staff_changes (kind, target, proposed_by, proposed_at) VALUES ('reset', 'clerk', 1, 1)");
    // SQLite says "CHECK constraint failed", PostgreSQL "violates check constraint".
    await expect(
      write("UPDATE staff_changes SET status = 'confirmed', decided_by = 1, decided_at = 2 WHERE id = ?", own.lastInsertRowid),
    ).rejects.toThrow(/check constraint/i);
  });
});

describe('an admin who resets an approver’s password never learns a usable one', () => {
  it('on books with one admin the reset waits, and its proposer cannot confirm it', async () => {
    const approver = await staffId('approver');
    const reset = await t.call('admin', 'staff.resetPassword', { id: approver });
    expect(reset.status).toBe('proposed');
    expect(JSON.stringify(reset)).not.toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(await refusal(t.call('admin', 'staff.decide', { id: reset.id, decision: 'confirmed' }))).toMatchObject({
      error: 'FORBIDDEN',
      code: 'staff_four_eyes',
    });
    // The approver's own password still works; nothing the admin holds does.
    await t.call('approver', 'session.login', { username: 'approver', password: PASSWORD });
  });

  it('on books with two admins the code goes to the confirming admin; the approver must replace it before approving anything', async () => {
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    tick();
    const approver = await staffId('approver');
    const reset = await t.call('admin', 'staff.resetPassword', { id: approver });
    tick();
    const confirmed = await t.call('admin2', 'staff.decide', { id: reset.id, decision: 'confirmed' });
    const code = confirmed.oneTimeCode!;
    // The approver's session ended; the old password is gone.
    expect(await refusal(t.call('approver', 'approvals.queue', {}))).toMatchObject({ error: 'UNAUTHENTICATED' });
    expect(await refusal(t.call('approver', 'session.login', { username: 'approver', password: PASSWORD }))).toMatchObject({
      error: 'UNAUTHENTICATED',
    });
    const s = await t.call('approver', 'session.login', { username: 'approver', password: code });
    expect(s!.mustChangePassword).toBe(true);
    expect(await refusal(t.call('approver', 'approvals.queue', {}))).toMatchObject({ code: 'password_change_required' });
    await t.call('approver', 'session.changePassword', { current: code, next: 'approver own 1' });
    // A proposal made before the reset cannot be confirmed by the reset account (were it an admin).
    const later = await t.call('admin', 'staff.resetPassword', { id: await staffId('clerk') });
    expect(await refusal(t.call('admin', 'staff.decide', { id: later.id, decision: 'confirmed' }))).toMatchObject({
      code: 'staff_four_eyes',
    });
  });
});

describe('lock-out', () => {
  const wrong = () => refusal(t.call('x', 'session.login', { username: 'clerk', password: 'not the password' }));
  const right = () => refusal(t.call('x', 'session.login', { username: 'clerk', password: PASSWORD }));
  const fiveWrong = async () => {
    for (let i = 0; i < 4; i++) expect(await wrong()).toMatchObject({ error: 'UNAUTHENTICATED' });
    expect(await wrong()).toMatchObject({ error: 'LOCKED', code: 'staff_locked_out' });
  };
  const until = () => firstValue(t.anyBooks, "SELECT locked_until AS u FROM staff WHERE username = 'clerk'");

  it('locks for 1, 5, 15, 60 minutes in turn, ends by itself, and starts over after a good login', async () => {
    for (const minutes of [1, 5, 15, 60]) {
      await fiveWrong();
      expect((await until()) - t.clock.now).toBe(minutes * 60_000);
      t.clock.now += minutes * 60_000 - 1_000;
      expect(await right()).toMatchObject({ error: 'LOCKED' });
      t.clock.now += 2_000;
    }
    expect(await right()).toMatchObject({ error: 'none' });
    await fiveWrong();
    expect((await until()) - t.clock.now).toBe(60_000);
  });

  it('an unlock another admin confirms ends it earlier', async () => {
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    await fiveWrong();
    const u = await t.call('admin', 'staff.unlock', { id: await staffId('clerk') });
    expect(u.change.status).toBe('proposed');
    expect(await right()).toMatchObject({ error: 'LOCKED' });
    await t.call('admin2', 'staff.decide', { id: u.change.id, decision: 'confirmed' });
    expect(await right()).toMatchObject({ error: 'none' });
  });

  it('an unknown user and a wrong password get the same answer, and both run a password check', async () => {
    const check = vi.mocked(passwords.checkPassword);
    check.mockClear();
    const unknown = await refusal(t.call('x', 'session.login', { username: 'nobody', password: 'not the password' }));
    expect(check).toHaveBeenCalledTimes(1);
    expect(check.mock.calls[0]![0]).toBe(await passwords.dummyHash());
    const known = await wrong();
    expect(check).toHaveBeenCalledTimes(2);
    expect(unknown).toEqual(known);
    expect(known).toEqual({ error: 'UNAUTHENTICATED', code: 'wrong_login', message: 'UNAUTHENTICATED: wrong username or password' });
  });
});

// The books key beside the file, and the CLI's --db FILE (no CLI bundle in the PostgreSQL pass).
describe.skipIf(ON_POSTGRES)('coffer staff recover (the sole admin, with the books key)', () => {
  it('sets the password with the right key, refuses another key and books with a second admin, and audits both', async () => {
    const dir = tempDir('coffer-recover-');
    const file = path.join(dir, 'b.books.sqlite');
    const init = await coffer(['init', '--db', file, '--admin', 'boss'], `${PASSWORD}\n`);
    expect(init.code).toBe(0);
    const keyFile = keyPathFor(file);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const other = path.join(dir, 'other.key');
    fs.writeFileSync(other, 'ab'.repeat(32));
    const refused = await coffer(['staff', 'recover', '--db', file, '--user', 'boss', '--key-file', other], 'brand new pass\n');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not the key of these books');
    const ok = await coffer(['staff', 'recover', '--db', file, '--user', 'boss', '--key-file', keyFile], 'brand new pass\n');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const verify = await coffer(['verify', '--db', file, '--as', 'boss'], 'brand new pass\n');
    expect(verify.code).toBe(0);
    const Sqlite = (await import('better-sqlite3')).default;
    const db = new Sqlite(file, { readonly: true });
    expect(
      (db.prepare("SELECT action FROM audit WHERE action LIKE 'staff.recover%' ORDER BY id").all() as { action: string }[]).map(
        (r) => r.action,
      ),
    ).toEqual(['staff.recover_refused', 'staff.recover']);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is refused on books with another active admin', async () => {
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    const file = t.books.path;
    await t.books.close();
    const r = await coffer(['staff', 'recover', '--db', file, '--user', 'admin', '--key-file', keyPathFor(file)], 'brand new pass\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('other active admins (admin2)');
    t = await staffedApi(); // for afterEach
  });
});
