// Period close (结账): the months with their state and checks; close by an approver, confirmed by a
// second approver or an admin (not the one who closed it); reopen (反结账) asked by an admin with a
// reason and confirmed by another admin.
import { z } from 'zod';
import type { Role } from '../../services/staff';
import { closePeriod, confirmClose, confirmReopen, listPeriods, periodStatus, requestReopen } from '../../services/periods';
import { ADMINS, APPROVERS, READERS, none, read, reason, write, type MethodDef } from '../define';
import { says } from '../../domain/input-problems';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, says('month_format'));
/** Who may confirm a close: a second approver, or an admin — never the person who closed it (checked in the service). */
export const PERIOD_CONFIRMERS: readonly Role[] = [...APPROVERS, ...ADMINS];

export const periodMethods = {
  'periods.list': read({ input: none, roles: READERS, run: ({ q, api }) => listPeriods(q, api.ports.clock()) }),
  'periods.status': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: ({ q, api }, i) => periodStatus(q, i.month, api.ports.clock()),
  }),
  'periods.close': write({
    input: z.object({ month }).strict(),
    roles: APPROVERS,
    run: ({ tx, actor, api }, i) => closePeriod(tx, actor, i.month, api.ports.clock()),
  }),
  'periods.confirm': write({
    input: z.object({ month }).strict(),
    roles: PERIOD_CONFIRMERS,
    run: ({ tx, actor, api }, i) => confirmClose(tx, actor, i.month, api.ports.clock()),
  }),
  'periods.reopen': write({
    input: z.object({ month, reason }).strict(),
    roles: ADMINS,
    run: ({ tx, actor, api }, i) => requestReopen(tx, actor, i.month, i.reason, api.ports.clock()),
  }),
  'periods.confirmReopen': write({
    input: z.object({ month }).strict(),
    roles: ADMINS,
    run: ({ tx, actor, api }, i) => confirmReopen(tx, actor, i.month, api.ports.clock()),
  }),
} satisfies Record<string, MethodDef>;
