// Staff users for tests, made the way the console makes them (issue 11 §2): an admin proposes the user,
// a second admin confirms (unless the books have one admin), the new user logs in with the one-time
// code and sets `password`. The user's client (named after the username) is left logged in.
import { PASSWORD } from './temp-books';

type Call = (clientId: string, method: string, input?: unknown) => Promise<unknown>;
interface Decision {
  change: { id: number; status: string };
  staff: { id: number } | null;
  oneTimeCode: string | null;
}

export async function addStaff(
  call: Call,
  u: { username: string; displayName?: string; role: 'clerk' | 'approver' | 'auditor' | 'admin'; password?: string },
  o: { as?: string; confirmer?: string } = {},
): Promise<{ id: number; username: string }> {
  const proposed = (await call(o.as ?? 'admin', 'staff.create', {
    username: u.username,
    displayName: u.displayName ?? u.username,
    role: u.role,
  })) as Decision;
  const done =
    proposed.change.status === 'confirmed'
      ? proposed
      : ((await call(o.confirmer ?? 'admin2', 'staff.decide', { id: proposed.change.id, decision: 'confirmed' })) as Decision);
  const code = done.oneTimeCode!;
  await call(u.username, 'session.login', { username: u.username, password: code });
  await call(u.username, 'session.changePassword', { current: code, next: u.password ?? PASSWORD });
  return { id: done.staff!.id, username: u.username };
}
