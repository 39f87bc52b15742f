// The chart of accounts (科目表): read by everyone; admins add and rename subjects at once, and propose a
// remapping of a ledger account that another admin confirms or rejects.
import { z } from 'zod';
import {
  SUBJECT_TYPES,
  addSubject,
  decideRemap,
  listChart,
  listChartChanges,
  proposeRemap,
  renameSubject,
  type Chart,
  type ChartLine,
} from '../../services/chart';
import { ADMINS, READERS, id, read, reason, write, type MethodDef, month } from '../define';
import { says } from '../../domain/input-problems';

const code = z
  .string()
  .trim()
  .regex(/^\d{4,12}$/, says('subject_code_digits'));
const name = z.string().trim().min(1).max(60);
const nameEn = z.string().trim().min(1).max(80);

export function chartLineDto(l: ChartLine) {
  return {
    ...l,
    debitsPosted: String(l.debitsPosted),
    creditsPosted: String(l.creditsPosted),
    debitsPending: String(l.debitsPending),
    creditsPending: String(l.creditsPending),
    balance: String(l.balance),
    period: l.period && {
      opening: String(l.period.opening),
      debit: String(l.period.debit),
      credit: String(l.period.credit),
      closing: String(l.period.closing),
    },
  };
}

export function chartDto(c: Chart) {
  return {
    month: c.month,
    lines: c.lines.map(chartLineDto),
    unmapped: c.unmapped,
    totals: {
      debitsPosted: String(c.totals.debitsPosted),
      creditsPosted: String(c.totals.creditsPosted),
      balanced: c.totals.balanced,
      period: c.totals.period && { debit: String(c.totals.period.debit), credit: String(c.totals.period.credit) },
    },
  };
}
export type ChartDto = ReturnType<typeof chartDto>;

export const chartMethods = {
  'chart.list': read({
    input: z
      .object({
        month: month.optional(),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => chartDto(await listChart(q, i)),
  }),
  'chart.addSubject': write({
    input: z.object({ parentCode: code.optional(), code: code.optional(), name, nameEn, type: z.enum(SUBJECT_TYPES).optional() }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => chartLineDto(await addSubject(tx, actor, i, api.ports.clock())),
  }),
  'chart.renameSubject': write({
    input: z.object({ code, name, nameEn }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => chartLineDto(await renameSubject(tx, actor, i, api.ports.clock())),
  }),
  'chart.proposeRemap': write({
    input: z.object({ accountId: id, toCode: code, reason }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => proposeRemap(tx, actor, i, api.ports.clock()),
  }),
  'chart.decideRemap': write({
    input: z.object({ id, decision: z.enum(['confirmed', 'rejected']) }).strict(),
    roles: ADMINS,
    run: async ({ tx, actor, api }, i) => decideRemap(tx, actor, i.id, i.decision, api.ports.clock()),
  }),
  'chart.changes': read({ input: z.object({}).strict(), roles: READERS, run: async ({ q }) => listChartChanges(q) }),
} satisfies Record<string, MethodDef>;
