// Staff users for tests, made the way the console makes them (issue 11 §2): an admin proposes the user,
// a second admin confirms (unless the books have one admin), the new user logs in with the one-time
// code and sets `password`. The user's client (named after the username) is left logged in.
import { PASSWORD, type Call } from './temp-books';

export async function addStaff(
  call: Call,
  u: { username: string; displayName?: string; role: 'clerk' | 'approver' | 'auditor' | 'admin'; password?: string },
  o: { as?: string; confirmer?: string } = {},
): Promise<{ id: number; username: string }> {
  const proposed = await call(o.as ?? 'admin', 'staff.create', {
    username: u.username,
    displayName: u.displayName ?? u.username,
    role: u.role,
  });
  const done =
    proposed.change.status === 'confirmed'
      ? proposed
      : await call(o.confirmer ?? 'admin2', 'staff.decide', { id: proposed.change.id, decision: 'confirmed' });
  const code = done.oneTimeCode!;
  await call(u.username, 'session.login', { username: u.username, password: code });
  await call(u.username, 'session.changePassword', { current: code, next: u.password ?? PASSWORD });
  return { id: done.staff!.id, username: u.username };
}
