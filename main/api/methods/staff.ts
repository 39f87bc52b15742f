// Staff users. Everyone may read the list; an admin proposes creating a user, a role, a password reset,
// an unlock or disabling, and ANOTHER admin confirms (services/staff-changes.ts). A display name changes
// at once. The one-time code of a new user or a reset is returned once, to the admin who confirmed.
import { z } from 'zod';
import { inReadSnapshot, inWriteTx } from '../../db/tx';
import { hashPassword, oneTimeCode } from '../../services/passwords';
import { ROLES, getStaff, listStaff, updateStaff } from '../../services/staff';
import {
  decideStaffChange,
  getStaffChange,
  listStaffChanges,
  proposeStaffChange,
  type PreparedCode,
  type StaffDecision,
} from '../../services/staff-changes';
import { ADMINS, READERS, control, displayName, id, none, read, username, type ApiState, type MethodDef } from '../define';

async function preparedCode(): Promise<PreparedCode> {
  const code = oneTimeCode();
  return { code, hash: await hashPassword(code) };
}

/** A confirmed change that touched credentials or access ends the target's sessions. */
async function endSessions(api: ApiState, d: StaffDecision): Promise<StaffDecision> {
  if (d.change.status === 'confirmed' && d.staff && d.change.kind !== 'create' && d.change.kind !== 'unlock')
    await api.sessions.endForStaff(d.staff.id);
  return d;
}

export const staffMethods = {
  'staff.list': read({ input: none, roles: READERS, run: ({ q, api }) => listStaff(q, api.ports.clock()) }),
  'staff.changes': read({ input: none, roles: ['admin', 'auditor'], run: async ({ q }) => listStaffChanges(q) }),
  /** Proposes a new user; on books with one active admin it is created at once (and the code returned). */
  'staff.create': control({
    input: z.object({ username, displayName, role: z.enum(ROLES) }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      const code = await preparedCode();
      const now = api.ports.clock();
      return inWriteTx(api.books, async (tx) =>
        proposeStaffChange(tx, actor, 'create', i.username, { displayName: i.displayName, role: i.role }, code, now),
      );
    },
  }),
  /** A display name changes at once; a role or disabling is proposed (one proposal per field). */
  'staff.update': control({
    input: z.object({ id, displayName: displayName.optional(), role: z.enum(ROLES).optional(), disabled: z.boolean().optional() }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      const now = api.ports.clock();
      const proposed = await inWriteTx(api.books, async (tx) => {
        const before = await getStaff(tx, i.id, now);
        if (i.displayName !== undefined && i.displayName !== before.displayName)
          await updateStaff(tx, actor, i.id, { displayName: i.displayName }, now);
        const out: StaffDecision[] = [];
        if (i.role !== undefined && i.role !== before.role)
          out.push(await proposeStaffChange(tx, actor, 'role', before.username, { role: i.role }, null, now));
        if (i.disabled !== undefined && i.disabled !== before.disabled)
          out.push(await proposeStaffChange(tx, actor, 'disable', before.username, { disabled: i.disabled }, null, now));
        return out;
      });
      for (const d of proposed) await endSessions(api, d);
      return { staff: await inReadSnapshot(api.books, (q) => getStaff(q, i.id, now)), changes: proposed.map((d) => d.change) };
    },
  }),
  /** Proposes a password reset; it never takes effect on the proposer's word. */
  'staff.resetPassword': control({
    input: z.object({ id }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      const now = api.ports.clock();
      const d = await inWriteTx(api.books, async (tx) =>
        proposeStaffChange(tx, actor, 'reset', (await getStaff(tx, i.id)).username, {}, null, now),
      );
      return d.change;
    },
  }),
  'staff.unlock': control({
    input: z.object({ id }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      const now = api.ports.clock();
      return inWriteTx(api.books, async (tx) =>
        proposeStaffChange(tx, actor, 'unlock', (await getStaff(tx, i.id)).username, {}, null, now),
      );
    },
  }),
  /** Another admin confirms or rejects a staff change; a confirmed create or reset returns the one-time code, once. */
  'staff.decide': control({
    input: z.object({ id, decision: z.enum(['confirmed', 'rejected']) }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      const kind = (await inReadSnapshot(api.books, (q) => getStaffChange(q, i.id))).kind;
      const code = i.decision === 'confirmed' && (kind === 'create' || kind === 'reset') ? await preparedCode() : null;
      const now = api.ports.clock();
      return endSessions(api, await inWriteTx(api.books, async (tx) => decideStaffChange(tx, actor, i.id, i.decision, code, now)));
    },
  }),
} satisfies Record<string, MethodDef>;
