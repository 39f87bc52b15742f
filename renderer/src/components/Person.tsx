// People as the console shows them: a staff user's display name (李强), with the username (approver) on
// hover. The books store usernames (and staff ids) wherever a person acted; the names come from the
// staff list, read once and shared by every screen, read again when someone unknown turns up.
import { useEffect, useState } from 'react';
import { call, type Data } from '../api/coffer';

type Staff = Data<'staff.list'>[number];
export interface StaffNames {
  /** The display name of a username (or staff id); the text itself when it names nobody (a display name already, a rule). */
  name(who: string | number | null | undefined): string;
  /** The username behind a username or staff id, for the hover text; null when unknown. */
  username(who: string | number | null | undefined): string | null;
}

let directory: { byUsername: Map<string, Staff>; byId: Map<number, Staff> } = { byUsername: new Map(), byId: new Map() };
let loading: Promise<void> | null = null;
let loadedAt = 0;
const listeners = new Set<() => void>();

function load(): Promise<void> {
  loading ??= call('staff.list')
    .then(rememberStaff)
    .catch(() => {}) // without the list people show as stored
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** The staff list as read: every person shown from now on is named from it. */
export function rememberStaff(rows: readonly Staff[]): void {
  directory = { byUsername: new Map(rows.map((s) => [s.username, s])), byId: new Map(rows.map((s) => [s.id, s])) };
  loadedAt = Date.now();
  for (const l of listeners) l();
}

function find(who: string | number | null | undefined): Staff | undefined {
  if (who === null || who === undefined || who === '') return undefined;
  return typeof who === 'number' ? directory.byId.get(who) : directory.byUsername.get(who);
}

/** Someone not in the list read a while ago (a user added since): read it again, at most every 30 s. */
function missing(who: string | number | null | undefined): void {
  if (who === null || who === undefined || who === '' || find(who)) return;
  if (Date.now() - loadedAt > 30_000) void load();
}

/**
 * The display name of a username as last read, outside React (a refusal's text names a person): the
 * text itself when the list does not know it yet.
 */
export function displayNameOf(who: string): string {
  const s = find(who);
  if (!s) missing(who);
  return s?.displayName || who;
}

export function useStaffNames(): StaffNames {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const l = () => setVersion((v) => v + 1);
    listeners.add(l);
    if (loadedAt === 0 || Date.now() - loadedAt > 60_000) void load();
    return () => void listeners.delete(l);
  }, []);
  return {
    name(who) {
      const s = find(who);
      if (!s) missing(who);
      return s?.displayName || (who === null || who === undefined ? '' : String(who));
    },
    username: (who) => find(who)?.username ?? null,
  };
}

/** A person in a table cell or a sentence: the display name, the username on hover. */
export function Person({ who, fallback = '—' }: { who: string | number | null | undefined; fallback?: string }) {
  const names = useStaffNames();
  const shown = names.name(who);
  if (!shown) return <>{fallback}</>;
  const username = names.username(who);
  return (
    <span title={username && username !== shown ? username : undefined} data-username={username ?? undefined}>
      {shown}
    </span>
  );
}

/** Several people, 、-separated (approvers of a record). */
export function People({ who, fallback = '—' }: { who: readonly (string | number)[]; fallback?: string }) {
  if (who.length === 0) return <>{fallback}</>;
  return (
    <>
      {who.map((w, i) => (
        <span key={`${w}-${i}`}>
          {i > 0 && '、'}
          <Person who={w} />
        </span>
      ))}
    </>
  );
}
