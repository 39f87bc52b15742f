// 客户对账单 (issue 13 §2): a customer's recharge coins and money over a period, on screen (a page of lines),
// as a workbook and printed, in the console's language. Every role reads it; ID numbers are whole only
// for admins and auditors, as on the customer's page.
import { z } from 'zod';
import { isBusinessDate } from '../../domain/periods';
import { says, type InputCode } from '../../domain/input-problems';
import { maskIdNumber } from '../../domain/withholding';
import { customerStatement, statementPeriod, type CustomerStatement } from '../../services/customer-statement';
import {
  customerStatementHtml,
  exportCustomerStatement,
  statementFileContext,
  statementFileName,
} from '../../services/customer-statement-files';
import { seesIdNumbers } from '../../services/payouts';
import type { Actor } from '../../services/actor';
import type { Queryable } from '../../db/books';
import { READERS, chosenPath, id, job, month, read, type MethodDef } from '../define';
import { savePrintable } from '../print';

const date = z.string().refine(isBusinessDate, says('date_format'));
const lang = z.enum(['zh-CN', 'en']).default('zh-CN');
const period = { customerId: id, month: month.optional(), from: date.optional(), to: date.optional() };
type Period = { customerId: number; month?: string; from?: string; to?: string };
/** A month, or a from and a to date in order. */
function periodRules(i: Period, ctx: z.RefinementCtx): void {
  const problem = (why: InputCode, path: string) => ctx.addIssue({ code: 'custom', message: says(why), path: [path] });
  if (i.month !== undefined) {
    if (i.from !== undefined || i.to !== undefined) problem('period_month_or_dates', 'month');
  } else if (i.from === undefined || i.to === undefined) problem('period_needs_dates', i.from === undefined ? 'from' : 'to');
  else if (i.from > i.to) problem('period_ends_before_start', 'to');
}
const pageInput = { offset: z.number().int().min(0).max(100_000_000).default(0), limit: z.number().int().min(1).max(500).default(50) };
const screenInput = z
  .object({ ...period, ...pageInput })
  .strict()
  .superRefine(periodRules);
const fileInput = z
  .object({ ...period, lang })
  .strict()
  .superRefine(periodRules);

/** The statement as this role may see it: the customer's ID number masked unless admin or auditor. */
async function statementFor(q: Queryable, actor: Actor, i: Period, page?: { offset: number; limit: number }): Promise<CustomerStatement> {
  const s = await customerStatement(q, i.customerId, statementPeriod(i), page);
  const n = s.customer.idNumber;
  return n && !seesIdNumbers(actor.role) ? { ...s, customer: { ...s.customer, idNumber: maskIdNumber(n) } } : s;
}

export const customerStatementMethods = {
  'customers.statement': read({
    input: screenInput,
    roles: READERS,
    run: async ({ q, actor }, i) => statementFor(q, actor, i, { offset: i.offset, limit: i.limit }),
  }),
  'customers.statementExport': job({
    input: fileInput,
    roles: READERS,
    run: async (ctx, i) => {
      // Read first and let go of the snapshot: a save dialog left open must not hold the books' state.
      const { s, context } = await ctx.snapshot(async (q) => ({
        s: await statementFor(q, ctx.actor, i),
        context: await statementFileContext(q),
      }));
      const target = await chosenPath(ctx, 'save', 'Export customer statement', `${statementFileName(s, i.lang)}.xlsx`, ['xlsx']);
      return exportCustomerStatement(target, s, context, i.lang);
    },
  }),
  'customers.statementHtml': read({
    input: fileInput,
    roles: READERS,
    run: async ({ q, actor, session, api }, i) =>
      customerStatementHtml(q, await statementFor(q, actor, i), i.lang, session?.displayName ?? actor.name, api.ports.clock()),
  }),
  'customers.statementPrint': job({
    input: fileInput,
    roles: READERS,
    run: async (ctx, i) => {
      const { s, html } = await ctx.snapshot(async (q) => {
        const s = await statementFor(q, ctx.actor, i);
        return { s, html: await customerStatementHtml(q, s, i.lang, ctx.session?.displayName ?? ctx.actor.name, ctx.api.ports.clock()) };
      });
      return savePrintable(ctx, html, 'Save customer statement', statementFileName(s, i.lang));
    },
  }),
} satisfies Record<string, MethodDef>;
