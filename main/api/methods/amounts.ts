// Honest amounts: unallocated money (ageing, refund, reclassification to 待查) and money-out lines in
// suspense (classification to an account, chargeback receivable). Clerks propose; an approver who did
// not propose decides (four eyes); a chargeback is booked by an approver.
import { z } from 'zod';
import { APPROVERS, READERS, id, limit, minor, read, reason, write, type MethodDef, COUNTER } from '../define';
import { bookChargeback, classifyAccounts, decideLineAction, moneyOutLines, proposeClassify } from '../../services/money-out';
import { decideLineRefund, proposeLineRefund, proposeReclassify, unallocatedAgeing } from '../../services/unallocated';
import { says } from '../../domain/input-problems';

const subjectCode = z.string().regex(/^\d{4,12}$/, says('subject_code_digits'));

export const amountsMethods = {
  'unallocated.ageing': read({
    input: z.object({ limit: limit.default(500) }).strict(),
    roles: READERS,
    run: async ({ q, api }, i) => unallocatedAgeing(q, api.ports.clock(), { limit: i.limit }),
  }),
  'unallocated.proposeRefund': write({
    input: z.object({ lineId: id, amount: minor, from: z.enum(['unallocated', 'investigation']).default('unallocated'), reason }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => proposeLineRefund(tx, actor, i, api.ports.clock()),
  }),
  'unallocated.proposeReclassify': write({
    input: z.object({ lineId: id, reason }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => ({ actionId: await proposeReclassify(tx, actor, i.lineId, i.reason, api.ports.clock()) }),
  }),
  'refunds.decide': write({
    input: z.object({ refundId: id, approve: z.boolean() }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => decideLineRefund(tx, actor, i.refundId, i.approve, api.ports.clock()),
  }),
  'bankLines.decideAction': write({
    input: z.object({ actionId: id, approve: z.boolean() }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => decideLineAction(tx, actor, i.actionId, i.approve, api.ports.clock()),
  }),
  'moneyOut.list': read({
    input: z
      .object({ state: z.enum(['open', 'proposed', 'refund', 'classified', 'chargeback', 'payout']).optional(), limit: limit.default(200) })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => moneyOutLines(q, i),
  }),
  'moneyOut.accounts': read({
    input: z.object({}).strict(),
    roles: READERS,
    run: async ({ q }) => classifyAccounts(q),
  }),
  'moneyOut.proposeClassify': write({
    input: z.object({ lineId: id, subjectCode, reason }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => ({
      actionId: await proposeClassify(tx, actor, i.lineId, i.subjectCode, i.reason, api.ports.clock()),
    }),
  }),
  'moneyOut.chargeback': write({
    input: z.object({ lineId: id, recordId: id, reason }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => bookChargeback(tx, actor, i.lineId, i.recordId, i.reason, api.ports.clock()),
  }),
} satisfies Record<string, MethodDef>;
