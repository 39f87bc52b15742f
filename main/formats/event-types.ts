// The platform's event types: one strict schema per type for the `data` of an event line. Adding an
// event type is one schema here and one handler in services/event-handlers.ts. Documented, with
// examples, in docs/EVENTS.md (and as JSON Schema by `coffer events schema`).
import { z } from 'zod';
import { normaliseIp, normaliseMac } from '../domain/device';
import { ID_TYPE_CODES, normaliseIdNumber, type IdType } from '../domain/withholding';
import { says } from '../domain/input-problems';

const ref = z.string().trim().min(1).max(64);
/** A customer's contact fields, the same in event files and at the counter. */
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[\d\s-]{5,20}$/, says('phone_format'));
export const email = z.email().max(254);
const text = (max: number) => z.string().trim().min(1).max(max);
const ip = z
  .string()
  .max(64)
  .refine((s) => normaliseIp(s) !== null, says('ip_format'));
const mac = z
  .string()
  .max(32)
  .refine((s) => normaliseMac(s) !== null, says('mac_format'));
const coins = z
  .union([z.number(), z.string().regex(/^\d{1,16}$/, says('coins_as_digits'))])
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n) && n > 0, says('coins_positive'));
const wallet = z.enum(['recharge', 'earnings']);
const yuan = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,2})?$/, says('yuan_format'))
  .refine((s) => Number(s.replace('.', '')) > 0, says('yuan_positive'));
const bankNumber = z
  .string()
  .max(60)
  .refine((s) => /^\d{4,40}$/.test(s.replace(/[\s-]/g, '')), says('bank_number_format'));
const withAddress = <T extends z.ZodRawShape>(shape: T) =>
  z
    .object({ ...shape, ip: ip.optional(), mac: mac.optional() })
    .strict()
    .refine((d) => (d as { ip?: string }).ip !== undefined || (d as { mac?: string }).mac !== undefined, {
      message: says('ip_or_mac_required'),
      path: ['ip'],
    });

export const EVENT_DATA = {
  'customer.registered': z
    .object({
      customer: ref,
      kind: z.enum(['person', 'company']),
      name: text(100),
      phone: phone.optional(),
      email: email.optional(),
      real_name: text(100).optional(),
      id_number: text(40).optional(),
      notes: z.string().max(1000).optional(),
    })
    .strict(),
  'account.opened': withAddress({ customer: ref, account: ref, name: text(100) }),
  'bank_account.bound': z.object({ account: ref, bank_name: text(100), account_number: bankNumber, holder_name: text(100) }).strict(),
  'bank_account.unbound': z.object({ account: ref, account_number: bankNumber }).strict(),
  'accounts.linked': z.object({ customer: ref, accounts: z.array(ref).min(1).max(100) }).strict(),
  'accounts.unlinked': z.object({ customer: ref, accounts: z.array(ref).min(1).max(100) }).strict(),
  'customer.login': withAddress({ account: ref, session: ref }),
  'transfer.requested': z.object({ from_account: ref, to_account: ref, wallet, coins, session: ref.optional() }).strict(),
  'earnings.credited': z.object({ account: ref, coins, note: z.string().max(200).optional() }).strict(),
  'recharge.requested': z
    .object({
      account: ref,
      payer_account: bankNumber,
      amount: yuan,
      channel: z.enum(['bank', 'alipay', 'wechat']).default('bank'),
      reference_code: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z]{6,12}$/, says('reference_code_format')),
      session: ref.optional(),
    })
    .strict(),
  // Buyer fields are only bounded here: the check of the request names each field's problem (and
  // rejects the request) rather than refusing the whole file.
  'invoice.requested': z
    .object({
      account: ref,
      recharges: z.array(ref).min(1).max(100),
      amount: yuan.optional(),
      invoice_type: z.enum(['普通发票', '增值税专用发票', 'ordinary', 'special']),
      buyer_name: z.string().max(500),
      taxpayer_id: z.string().max(100).optional(),
      address: z.string().max(500).optional(),
      phone: z.string().max(100).optional(),
      bank_name: z.string().max(500).optional(),
      bank_account: z.string().max(100).optional(),
      natural_person: z.boolean().default(false),
      email: z.string().max(500).optional(),
      remarks: z.string().max(1000).optional(),
      session: ref.optional(),
    })
    .strict(),
  'coins.spent': z.object({ account: ref, wallet, coins, session: ref.optional(), note: z.string().max(200).optional() }).strict(),
  // Recharge coins the platform let expire (过期): consumed like spending, by the platform, not the customer.
  'coins.expired': z.object({ account: ref, coins, note: z.string().max(200).optional() }).strict(),
  // A creator asks to withdraw earnings coins as money (收益提现): the payee as the tax return names them.
  'earnings.withdrawal_requested': z
    .object({
      account: ref,
      coins,
      payee_name: text(100),
      id_type: z.enum(ID_TYPE_CODES as [IdType, ...IdType[]]),
      id_number: z.string().max(40),
      bank_name: text(100),
      account_number: bankNumber,
      note: z.string().max(200).optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
      const n = normaliseIdNumber(d.id_type, d.id_number);
      if (!n.ok) ctx.addIssue({ code: 'custom', message: says(n.code), path: ['id_number'] });
    }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
export type EventData<T extends EventType> = z.output<(typeof EVENT_DATA)[T]>;

/** An event line: id (unique, the idempotency key), type, time with its offset, and the data. */
export const EVENT_ENVELOPE = z
  .object({
    id: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w.:-]+$/, says('event_id_chars')),
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    at: z.iso.datetime({ offset: true }),
    data: z.unknown(),
  })
  .strict();
