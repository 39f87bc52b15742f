// A session as a row, the same on every shelf `coffer serve` keeps (a file beside a books file, a table
// of PostgreSQL books): keyed by the client id a token stands for (serve/border.ts: a digest of the
// token), so no shelf holds a token that could be replayed. Flags are 1 or 0 (PostgreSQL's booleans
// read so through the books' pool).
import type { Session } from '../api/sessions';
import { num, rowMapper, text } from '../db/row-read';
import { isRole } from '../services/staff';

/** The columns in the order `sessionValues` gives them. */
export const SESSION_COLUMNS = [
  'client_id',
  'staff_id',
  'username',
  'display_name',
  'role',
  'started_at',
  'last_active',
  'expires_at',
  'locked',
  'must_change_password',
] as const;

const readRow = rowMapper({
  client_id: text,
  staff_id: num,
  username: text,
  display_name: text,
  role: text,
  started_at: num,
  last_active: num,
  expires_at: num,
  locked: num,
  must_change_password: num,
});

/** The session a row holds; none for a row naming a role this Coffer does not know. */
export function sessionOfRow(row: unknown): Session | undefined {
  if (row === undefined) return undefined;
  const r = readRow(row);
  if (!isRole(r.role)) return undefined;
  return {
    clientId: r.client_id,
    staffId: r.staff_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    startedAt: r.started_at,
    lastActive: r.last_active,
    expiresAt: r.expires_at,
    locked: r.locked === 1,
    mustChangePassword: r.must_change_password === 1,
  };
}

/** A flag as a row holds it. */
export const flag = (b: boolean) => (b ? 1 : 0);

/** A session's values for SESSION_COLUMNS. */
export function sessionValues(s: Session): (string | number)[] {
  return [
    s.clientId,
    s.staffId,
    s.username,
    s.displayName,
    s.role,
    s.startedAt,
    s.lastActive,
    s.expiresAt,
    flag(s.locked),
    flag(s.mustChangePassword),
  ];
}
