// Creators' payouts (收益提现): the list with totals, counter entry of a request, the approver's decision
// (four eyes), paying the net by a money-out bank line, and the month's 扣缴申报 (on screen and as a
// workbook). ID numbers come back masked except to admins and auditors (services/payouts.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ID_TYPE_CODES, normaliseIdNumber, type IdType } from '../../domain/withholding';
import { findAccount } from '../../services/customers';
import {
  decidePayout,
  exportWithholding,
  listPayouts,
  matchPayout,
  payoutById,
  payoutCandidates,
  requestPayout,
  withholdingRows,
} from '../../services/payouts';
import { READERS, APPROVERS, chosenPath, id, job, read, write, type MethodDef, paging, month, COUNTER } from '../define';
import { says } from '../../domain/input-problems';

const status = z.enum(['requested', 'approved', 'paid', 'rejected', 'refused']);
/** The 扣缴申报 carries whole ID numbers: only the roles that may read them export it. */
export const WITHHOLDING_EXPORTERS = ['auditor', 'admin'] as const;

const counterEntry = z
  .object({
    account: z.string().trim().min(1).max(64),
    payeeName: z.string().trim().min(1).max(100),
    idType: z.enum(ID_TYPE_CODES as [IdType, ...IdType[]]),
    idNumber: z.string().max(40),
    bankName: z.string().trim().min(1).max(100),
    accountNumber: z
      .string()
      .max(60)
      .refine((s) => /^\d{4,40}$/.test(s.replace(/[\s-]/g, '')), says('bank_number_format')),
    coins: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  })
  .strict()
  .superRefine((d, ctx) => {
    const n = normaliseIdNumber(d.idType, d.idNumber);
    if (!n.ok) ctx.addIssue({ code: 'custom', message: says(n.code), path: ['idNumber'] });
  });

export const payoutMethods = {
  'payouts.list': read({
    input: z
      .object({
        status: status.optional(),
        month: month.optional(),
        text: z.string().max(64).optional(),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q, actor, api }, i) => listPayouts(q, i, actor.role, api.ports.clock()),
  }),
  'payouts.get': read({
    input: z.object({ id }).strict(),
    roles: READERS,
    run: async ({ q, actor, api }, i) => payoutById(q, i.id, actor.role, api.ports.clock()),
  }),
  'payouts.request': write({
    input: counterEntry,
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      const idNumber = normaliseIdNumber(i.idType, i.idNumber);
      return await requestPayout(
        tx,
        actor,
        {
          requestId: `counter-${randomUUID()}`,
          account: await findAccount(tx, { externalId: i.account }),
          payeeName: i.payeeName,
          idType: i.idType,
          idNumber: idNumber.ok ? idNumber.value : i.idNumber,
          bankName: i.bankName,
          accountNumber: i.accountNumber.replace(/[\s-]/g, ''),
          coins: i.coins,
        },
        { at: api.ports.clock() },
      );
    },
  }),
  'payouts.decide': write({
    input: z
      .object({ id, approve: z.boolean(), note: z.string().trim().max(500).default('') })
      .strict()
      .refine((d) => d.approve || d.note.length >= 2, { message: says('reject_reason_required'), path: ['note'] }),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => decidePayout(tx, actor, i.id, i.approve, i.note, api.ports.clock()),
  }),
  'payouts.candidates': read({
    input: z.object({ payoutId: id }).strict(),
    roles: READERS,
    run: async ({ q }, i) => payoutCandidates(q, i.payoutId),
  }),
  'payouts.match': write({
    input: z.object({ payoutId: id, lineId: id }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => matchPayout(tx, actor, i.payoutId, i.lineId, api.ports.clock()),
  }),
  'withholding.report': read({
    input: z.object({ month }).strict(),
    roles: READERS,
    run: async ({ q, actor }, i) => withholdingRows(q, i.month, actor.role),
  }),
  'withholding.export': job({
    input: z.object({ month }).strict(),
    roles: WITHHOLDING_EXPORTERS,
    run: async (ctx, i) => {
      const target = await chosenPath(ctx, 'save', 'Export 扣缴申报 (劳务报酬)', `coffer-withholding-${i.month}.xlsx`, ['xlsx']);
      return ctx.snapshot((q) => exportWithholding(q, target, i.month));
    },
  }),
} satisfies Record<string, MethodDef>;
