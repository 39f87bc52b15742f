// The monthly revenue run (收入确认): everyone reads the preview, the runs and each customer's share; an
// approver or admin posts the run (it makes a voucher, so a clerk may not).
import { z } from 'zod';
import { listRevenueRuns, previewRevenue, revenueRunLines, runRevenueSteps } from '../../services/revenue';
import { inWriteTx } from '../../db/tx';
import { inJob } from '../../services/steps';
import { ADMINS, APPROVERS, READERS, id, job, read, type MethodDef, month } from '../define';

export const revenueMethods = {
  'revenue.preview': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q, api }, i) => previewRevenue(q, i.month, api.ports.clock()),
  }),
  'revenue.runs': read({
    input: z.object({ month: month.optional() }).strict(),
    roles: READERS,
    run: async ({ q }, i) => listRevenueRuns(q, i.month),
  }),
  'revenue.lines': read({
    input: z
      .object({
        runId: id,
        search: z.string().max(100).optional(),
        offset: z.number().int().min(0).max(10_000_000).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => revenueRunLines(q, i.runId, i),
  }),
  /** A job: the run replays every coin movement ever posted, seconds at scale; a cancel writes nothing. */
  'revenue.run': job({
    input: z.object({ month }).strict(),
    roles: [...APPROVERS, ...ADMINS],
    run: ({ books, actor, api, job: j }, i) => inWriteTx(books, (tx) => inJob(runRevenueSteps(tx, actor, i.month, api.ports.clock()), j)),
  }),
} satisfies Record<string, MethodDef>;
