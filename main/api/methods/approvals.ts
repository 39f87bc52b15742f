// Approval and crediting (step 4): the conversion calculator, the daily approval queue with coins and
// flags, approving one, a selection or everything that passes a filter (per-item results), recharge
// records, reversal, and the refunds reversals leave payable until a money-out bank line pays them.
import { z } from 'zod';
import type { Queryable } from '../../db/books';
import { counterNumberOf } from '../../services/counter-numbers';
import { convert } from '../../domain/conversion';
import { parseYuan } from '../../domain/money';
import { approveMany, approveManyInJob, reverseCredit } from '../../services/approval';
import { inWriteTx } from '../../db/tx';
import { receiptHtml, type PrintLang, type ReceiptPrint } from '../../formats/receipt-html';
import { reportCompany } from '../../services/period-report-files';
import { approvalQueue, listRecords, queueIds, receiptData, recordPage } from '../../services/approval-read';
import { dashboard, exportRollForward, rollForward } from '../../services/reports';
import { listRefunds, matchRefund, refundCandidates } from '../../services/refunds';
import { listSettingChanges, settingAt, SETTINGS } from '../../services/settings';
import {
  APPROVERS,
  READERS,
  chosenPath,
  type BaseCtx,
  id,
  job,
  limit,
  read,
  reason,
  write,
  type MethodDef,
  timeSpan,
  amountRange,
  paging,
  month,
  COUNTER,
  yuan,
  readById,
} from '../define';
import { savePrintable } from '../print';
import { refuse } from '../../domain/refusals';
import { parseInput, inputRefusal } from '../../domain/input-problems';
import { mapInTurn } from '../../services/in-turn';

/** The language of a printed page: the console's (the CLI prints Chinese). */
const lang = z.enum(['zh-CN', 'en']).default('zh-CN');

/** The company, who prints and when, for a printed record. */
async function receiptPrint(q: Queryable, ctx: BaseCtx, lang: PrintLang): Promise<ReceiptPrint> {
  return { company: await reportCompany(q), printedBy: ctx.session?.displayName ?? ctx.actor.name, printedAt: ctx.api.ports.clock(), lang };
}

const queueFilter = {
  customerId: id.optional(),
  ...amountRange,
  text: z.string().max(64).optional(),
};

/** Each outcome with the request's number as people say it: its counter number, or the platform's id. */
async function withRequestNo<T extends { requestId: string }>(q: Queryable, out: T[]): Promise<(T & { requestNo: string })[]> {
  return await mapInTurn(out, async (o) => ({ ...o, requestNo: (await counterNumberOf(q, 'recharge', o.requestId)) ?? o.requestId }));
}

export const approvalMethods = {
  'conversion.calculate': read({
    input: z
      .object({
        amount: yuan,
        channel: z.enum(['bank', 'alipay', 'wechat']).default('bank'),
        firstRecharge: z.boolean().default(false),
        version: z.number().int().min(0).optional(),
        rule: z.unknown().optional(),
      })
      .strict(),
    roles: READERS,
    run: async ({ q, api }, i) => {
      let rule = await settingAt(q, 'conversion.rules', api.ports.clock());
      if (i.rule !== undefined) {
        const parsed = parseInput(SETTINGS['conversion.rules'].schema, i.rule, 'rule');
        if (!parsed.success) throw inputRefusal(parsed.problems);
        rule = parsed.data;
      } else if (i.version === 0) {
        rule = SETTINGS['conversion.rules'].default; // version 0: the built-in rule
      } else if (i.version !== undefined) {
        const change = (await listSettingChanges(q)).find((c) => c.id === i.version && c.key === 'conversion.rules');
        if (!change) throw refuse('NOT_FOUND', 'rule_version_not_found', { version: String(i.version) }, { field: 'version' });
        rule = change.value as typeof rule;
      }
      const c = convert(rule, parseYuan(i.amount), { channel: i.channel, firstRecharge: i.firstRecharge });
      return {
        paidCoins: String(c.paidCoins),
        bonusCoins: String(c.bonusCoins),
        firstRechargeBonus: String(c.firstRechargeBonus),
        tier: c.tier,
        rate: c.rate,
      };
    },
  }),
  'approvals.queue': read({
    input: z.object({ ...queueFilter, ...paging }).strict(),
    roles: READERS,
    run: async ({ q, api, session }, i) => approvalQueue(q, i, session?.staffId ?? null, api.ports.clock()),
  }),
  'approvals.approve': write({
    input: z
      .object({
        items: z
          .array(z.object({ id, version: z.number().int().positive() }).strict())
          .min(1)
          .max(10_000),
      })
      .strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => withRequestNo(tx, await approveMany(tx, actor, i.items, api.ports.clock())),
  }),
  /** A job: thousands of credits, each in its savepoint, with progress; a cancel rolls them all back. */
  'approvals.approveAll': job({
    input: z.object({ ...queueFilter }).strict(),
    roles: APPROVERS,
    run: ({ books, actor, api, job: j }, i) =>
      inWriteTx(books, async (tx) =>
        withRequestNo(tx, await approveManyInJob(tx, actor, await queueIds(tx, i, actor.staffId), api.ports.clock(), j)),
      ),
  }),
  'records.list': read({
    input: z
      .object({
        text: z.string().max(64).optional(),
        customerId: id.optional(),
        ...timeSpan,
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listRecords(q, i),
  }),
  'records.get': readById(recordPage),
  'records.print': job({
    input: z.object({ id, lang }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const { data, print } = await ctx.snapshot(async (q) => {
        const data = await receiptData(q, i.id);
        return { data, print: await receiptPrint(q, ctx, i.lang) };
      });
      return savePrintable(ctx, receiptHtml(data, print), 'Save recharge record', data.receiptNo);
    },
  }),
  'records.html': read({
    input: z.object({ id, lang }).strict(),
    roles: READERS,
    run: async (ctx, i) => receiptHtml(await receiptData(ctx.q, i.id), await receiptPrint(ctx.q, ctx, i.lang)),
  }),
  'reports.dashboard': read({ input: z.object({}).strict(), roles: READERS, run: async ({ q, api }) => dashboard(q, api.ports.clock()) }),
  'reports.rollForward': read({ input: z.object({ month }).strict(), roles: READERS, run: async ({ q }, i) => rollForward(q, i.month) }),
  'reports.exportRollForward': job({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async (ctx, i) => {
      const target = await chosenPath(ctx, 'save', 'Export coin liability roll-forward', `coffer-roll-forward-${i.month}.xlsx`, ['xlsx']);
      return ctx.snapshot((q) => exportRollForward(q, target, i.month));
    },
  }),
  'records.reverse': write({
    input: z.object({ id, reason }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => {
      await reverseCredit(tx, actor, i.id, i.reason, api.ports.clock());
      return null;
    },
  }),
  'refunds.list': read({
    input: z
      .object({
        status: z.enum(['proposed', 'payable', 'paid', 'rejected']).optional(),
        recordId: id.optional(),
        fromLines: z.boolean().optional(),
        limit: limit.default(100),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listRefunds(q, i),
  }),
  'refunds.candidates': read({
    input: z.object({ refundId: id }).strict(),
    roles: READERS,
    run: async ({ q }, i) => refundCandidates(q, i.refundId),
  }),
  'refunds.match': write({
    input: z.object({ refundId: id, lineId: id }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => matchRefund(tx, actor, i.refundId, i.lineId, api.ports.clock()),
  }),
} satisfies Record<string, MethodDef>;
