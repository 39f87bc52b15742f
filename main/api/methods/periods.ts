// Period close (结账): the months with their state and checks; close by an approver, confirmed by a
// second approver or an admin (not the one who closed it); reopen (反结账) asked by an admin with a
// reason and confirmed by another admin.
import { z } from 'zod';
import type { Role } from '../../services/staff';
import { closePeriodSteps, confirmCloseSteps, confirmReopen, listPeriods, periodStatus, requestReopen } from '../../services/periods';
import { inWriteTx } from '../../db/tx';
import { inJob } from '../../services/steps';
import { ADMINS, APPROVERS, READERS, job, none, read, reason, write, type MethodDef, month } from '../define';

/** Who may confirm a close: a second approver, or an admin — never the person who closed it (checked in the service). */
export const PERIOD_CONFIRMERS: readonly Role[] = [...APPROVERS, ...ADMINS];

export const periodMethods = {
  'periods.list': read({ input: none, roles: READERS, run: async ({ q, api }) => listPeriods(q, api.ports.clock()) }),
  'periods.status': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q, api }, i) => periodStatus(q, i.month, api.ports.clock()),
  }),
  /** Jobs: their checks run verify over the whole books, seconds at scale; a cancel writes nothing. */
  'periods.close': job({
    input: z.object({ month }).strict(),
    roles: APPROVERS,
    run: ({ books, actor, api, job: j }, i) => inWriteTx(books, (tx) => inJob(closePeriodSteps(tx, actor, i.month, api.ports.clock()), j)),
  }),
  'periods.confirm': job({
    input: z.object({ month }).strict(),
    roles: PERIOD_CONFIRMERS,
    run: ({ books, actor, api, job: j }, i) => inWriteTx(books, (tx) => inJob(confirmCloseSteps(tx, actor, i.month, api.ports.clock()), j)),
  }),
  'periods.reopen': write({
    input: z.object({ month, reason }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => requestReopen(tx, actor, i.month, i.reason, api.ports.clock()),
  }),
  'periods.confirmReopen': write({
    input: z.object({ month }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => confirmReopen(tx, actor, i.month, api.ports.clock()),
  }),
} satisfies Record<string, MethodDef>;
