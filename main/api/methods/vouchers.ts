// Vouchers (记账凭证): the list and one voucher for every reader; clerks and approvers prepare manual
// vouchers and red vouchers; an approver who did not prepare one reviews it (posts or voids it).
import { z } from 'zod';
import {
  VOUCHER_WORDS,
  getVoucher,
  voucherAccounts,
  listVouchers,
  prepareVoucher,
  reverseVoucher,
  reviewVoucher,
} from '../../services/vouchers';
import { APPROVERS, READERS, id, minor, none, read, reason, write, type MethodDef, paging, COUNTER, date, month } from '../define';
import { says } from '../../domain/input-problems';

const word = z.enum(VOUCHER_WORDS as [string, ...string[]]) as z.ZodType<'记' | '收' | '付' | '转'>;
const voucherRef = z
  .object({ id: id.optional(), name: z.string().trim().min(1).max(40).optional() })
  .strict()
  .refine((r) => (r.id === undefined) !== (r.name === undefined), says('voucher_id_or_name'));
const ref = (r: { id?: number | undefined; name?: string | undefined }) => r.id ?? r.name!;

const line = z
  .object({
    summary: z.string().trim().min(1, says('summary_required')).max(200),
    accountId: id.optional(),
    subjectCode: z
      .string()
      .regex(/^\d{4,12}$/, says('subject_code_digits'))
      .optional(),
    debit: minor.optional(),
    credit: minor.optional(),
  })
  .strict()
  .refine((l) => (l.accountId === undefined) !== (l.subjectCode === undefined), says('account_or_subject'));

export const voucherMethods = {
  'vouchers.list': read({
    input: z
      .object({
        period: month.optional(),
        status: z.enum(['draft', 'posted', 'voided']).optional(),
        word: word.optional(),
        source: z.string().max(40).optional(),
        search: z.string().max(100).optional(),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listVouchers(q, i),
  }),
  'vouchers.accounts': read({ input: none, roles: READERS, run: async ({ q }) => voucherAccounts(q) }),
  'vouchers.get': read({
    input: voucherRef,
    roles: READERS,
    run: async ({ q }, i) => getVoucher(q, ref(i)),
  }),
  'vouchers.prepare': write({
    input: z
      .object({
        date,
        word: word.optional(),
        attachments: z.number().int().min(0).max(9999).optional(),
        lines: z.array(line).min(1).max(200),
      })
      .strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => prepareVoucher(tx, actor, i, api.ports.clock()),
  }),
  'vouchers.review': write({
    input: z
      .object({
        id: id.optional(),
        name: z.string().trim().min(1).max(40).optional(),
        approve: z.boolean(),
        note: z.string().trim().max(500).optional(),
      })
      .strict()
      .refine((r) => (r.id === undefined) !== (r.name === undefined), says('voucher_id_or_name')),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => reviewVoucher(tx, actor, ref(i), i.approve, i.note || null, api.ports.clock()),
  }),
  'vouchers.reverse': write({
    input: z.object({ id, date, reason }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => reverseVoucher(tx, actor, i.id, { date: i.date, reason: i.reason }, api.ports.clock()),
  }),
} satisfies Record<string, MethodDef>;
