// Settings that govern money and access: read what is in force; an admin proposes a change effective
// from a time, another admin confirms or rejects it.
import { z } from 'zod';
import { SETTING_KEYS, decideSetting, listSettingChanges, proposeSetting, settingsInForce } from '../../services/settings';
import { ADMINS, READERS, id, instant, none, read, reason, write, type MethodDef } from '../define';
import { says } from '../../domain/input-problems';

export const settingsMethods = {
  'settings.list': read({
    input: none,
    roles: READERS,
    run: async ({ q, api }) => ({
      inForce: await settingsInForce(q, api.ports.clock()),
      changes: await listSettingChanges(q, api.ports.clock()),
    }),
  }),
  'settings.propose': write({
    input: z
      .object({
        key: z.enum(SETTING_KEYS as [(typeof SETTING_KEYS)[number], ...(typeof SETTING_KEYS)[number][]]),
        value: z.unknown().refine((v) => v !== undefined && JSON.stringify(v).length <= 20_000, says('setting_value_size')),
        effectiveFrom: instant,
        reason,
      })
      .strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => proposeSetting(tx, actor, i.key, i.value, i.effectiveFrom, i.reason, api.ports.clock()),
  }),
  'settings.decide': write({
    input: z.object({ id, decision: z.enum(['confirmed', 'rejected']) }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => decideSetting(tx, actor, i.id, i.decision, api.ports.clock()),
  }),
} satisfies Record<string, MethodDef>;
