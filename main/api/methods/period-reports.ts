// The month-end reports (issue 12 §3): 科目余额表 with its drill-down (明细账, 银行存款日记账), the balance
// sheet and income statement, and the 银行存款余额调节表 — read by every role, exported to Excel and
// printed (PDF through the print port; HTML where there is no printer, as in the CLI).
import { z } from 'zod';
import { balancesReport, bankJournal, ledgerDetail } from '../../services/balances';
import { bankReconciliations } from '../../services/bank-reconciliation';
import { deferredRevenueRollForward } from '../../services/deferred-revenue';
import { financialStatements } from '../../services/financial-statements';
import { PERIOD_REPORTS, exportPeriodReport, periodReportFileName, periodReportHtml } from '../../services/period-report-files';
import { vatData } from '../../services/vat-data';
import { READERS, chosenPath, id, job, read, type MethodDef, month } from '../define';
import { savePrintable } from '../print';
import { says } from '../../domain/input-problems';

const subjectCode = z.string().regex(/^\d{4,12}$/, says('subject_code_digits'));
const page = { offset: z.number().int().min(0).max(100_000_000).optional(), limit: z.number().int().min(1).max(5_000).optional() };
const spec = z
  .object({ report: z.enum(PERIOD_REPORTS), month, subjectCode: subjectCode.optional(), bankAccountId: id.optional() })
  .strict()
  .refine((s) => s.report !== 'ledger' || s.subjectCode !== undefined, {
    message: says('ledger_needs_subject'),
    path: ['subjectCode'],
  })
  .refine((s) => s.report !== 'bankJournal' || s.bankAccountId !== undefined, {
    message: says('journal_needs_bank'),
    path: ['bankAccountId'],
  });

export const periodReportMethods = {
  'reports.balances': read({
    input: z.object({ month, includeEmpty: z.boolean().optional() }).strict(),
    roles: READERS,
    run: async ({ q }, i) => balancesReport(q, i.month, { includeEmpty: i.includeEmpty }),
  }),
  'reports.ledgerDetail': read({
    input: z
      .object({ month, subjectCode: subjectCode.optional(), accountId: id.optional(), ...page })
      .strict()
      .refine((i) => (i.subjectCode === undefined) !== (i.accountId === undefined), {
        message: says('subject_or_account'),
        path: ['subjectCode'],
      }),
    roles: READERS,
    run: async ({ q }, i) =>
      ledgerDetail(q, i.month, { subjectCode: i.subjectCode, accountId: i.accountId }, { offset: i.offset, limit: i.limit }),
  }),
  'reports.bankJournal': read({
    input: z.object({ month, bankAccountId: id, ...page }).strict(),
    roles: READERS,
    run: async ({ q }, i) => bankJournal(q, i.month, i.bankAccountId, { offset: i.offset, limit: i.limit }),
  }),
  'reports.financialStatements': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q }, i) => financialStatements(q, i.month),
  }),
  'reports.bankReconciliation': read({
    input: z.object({ month, bankAccountId: id.optional() }).strict(),
    roles: READERS,
    run: async ({ q }, i) => bankReconciliations(q, i.month, i.bankAccountId),
  }),
  // 递延收入变动表 (services/deferred-revenue.ts)
  'reports.deferredRevenue': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q }, i) => deferredRevenueRollForward(q, i.month),
  }),
  // 增值税申报数据
  'reports.vatData': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q }, i) => vatData(q, i.month),
  }),
  'reports.periodExport': job({
    input: spec,
    roles: READERS,
    run: async (ctx, i) => {
      const target = await chosenPath(ctx, 'save', 'Export report', `${periodReportFileName(i)}.xlsx`, ['xlsx']);
      return ctx.snapshot((q) => exportPeriodReport(q, target, i));
    },
  }),
  'reports.periodHtml': read({
    input: spec,
    roles: READERS,
    run: async ({ q, actor, api }, i) => periodReportHtml(q, i, actor.name, api.ports.clock()),
  }),
  'reports.periodPrint': job({
    input: spec,
    roles: READERS,
    run: async (ctx, i) =>
      savePrintable(
        ctx,
        await ctx.snapshot((q) => periodReportHtml(q, i, ctx.actor.name, ctx.api.ports.clock())),
        'Save report',
        periodReportFileName(i),
      ),
  }),
} satisfies Record<string, MethodDef>;
