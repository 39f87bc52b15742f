// Staff users: an admin creates, changes, disables, unlocks and resets them; everyone may read the list.
import { z } from 'zod';
import { inWriteTx } from '../../db/tx';
import { hashPassword } from '../../services/passwords';
import { ROLES, assertPasswordStrength, createStaff, listStaff, setPassword, unlockStaff, updateStaff } from '../../services/staff';
import { ADMINS, READERS, control, displayName, id, none, password, read, username, write, type MethodDef } from '../define';

export const staffMethods = {
  'staff.list': read({ input: none, roles: READERS, run: ({ q }) => listStaff(q) }),
  'staff.create': control({
    input: z.object({ username, displayName, role: z.enum(ROLES), password }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      assertPasswordStrength(i.password);
      const passwordHash = await hashPassword(i.password);
      return inWriteTx(api.books, (tx) =>
        createStaff(tx, actor, { username: i.username, displayName: i.displayName, role: i.role, passwordHash }),
      );
    },
  }),
  'staff.update': write({
    input: z.object({ id, displayName: displayName.optional(), role: z.enum(ROLES).optional(), disabled: z.boolean().optional() }).strict(),
    roles: ADMINS,
    run: ({ tx, actor, api }, i) => {
      const after = updateStaff(tx, actor, i.id, i);
      if (after.disabled || i.role !== undefined) api.sessions.endForStaff(i.id);
      return after;
    },
  }),
  'staff.resetPassword': control({
    input: z.object({ id, password }).strict(),
    roles: ADMINS,
    run: async ({ api, actor }, i) => {
      assertPasswordStrength(i.password);
      const h = await hashPassword(i.password);
      await inWriteTx(api.books, (tx) => setPassword(tx, actor, i.id, h));
      api.sessions.endForStaff(i.id);
      return null;
    },
  }),
  'staff.unlock': write({ input: z.object({ id }).strict(), roles: ADMINS, run: ({ tx, actor }, i) => unlockStaff(tx, actor, i.id) }),
} satisfies Record<string, MethodDef>;
