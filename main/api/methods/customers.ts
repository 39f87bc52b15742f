// Customers and accounts (step 1 of the method): the searchable list, a customer's page, counter
// service (register, open an account, bind a bank account, link/unlink, move coins), device logins
// and re-binding with four eyes, and held transfers an approver decides.
import { z } from 'zod';
import { numberCounterRequest } from '../../services/counter-numbers';
import { normaliseIp, normaliseMac } from '../../domain/device';
import { email, phone } from '../../formats/event-types';
import { decideTransfer, requestTransfer } from '../../services/coin-movements';
import { customerPage, listLogins, listMovements, searchCustomers } from '../../services/customer-read';
import { maskIdNumber } from '../../domain/withholding';
import { seesIdNumbers } from '../../services/payouts';
import { bindBankAccount, findAccount, openAccount, registerCustomer, setLinked, unbindBankAccount } from '../../services/customers';
import { decideRebind, listRebindRequests, requestRebind } from '../../services/devices';
import { APPROVERS, READERS, id, limit, read, reason, requestId, write, type MethodDef, timeSpan, paging, COUNTER } from '../define';
import { refuse } from '../../domain/refusals';
import { says } from '../../domain/input-problems';

/** Clerks and approvers serve at the counter (the brief's table). */
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const coins = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, says('coins_digits'))
  .transform(Number)
  .refine(Number.isSafeInteger, says('out_of_range'));
const wallet = z.enum(['recharge', 'earnings']);

export const customerMethods = {
  'customers.search': read({
    input: z
      .object({
        text: z.string().max(100).optional(),
        sort: z.enum(['name', 'newest', 'oldest']).default('newest'),
        offset: z.number().int().min(0).default(0),
        limit: limit.default(50),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => searchCustomers(q, i),
  }),
  // ID numbers are whole only for admins and auditors (as for payouts: services/payouts.ts).
  'customers.get': read({
    input: z.object({ id }).strict(),
    roles: READERS,
    run: async ({ q, actor }, i) => {
      const page = await customerPage(q, i.id);
      const idNumber = page.customer.idNumber;
      return idNumber && !seesIdNumbers(actor.role) ? { ...page, customer: { ...page.customer, idNumber: maskIdNumber(idNumber) } } : page;
    },
  }),
  'customers.register': write({
    input: z
      .object({
        kind: z.enum(['person', 'company']),
        name: text(100),
        phone: phone.optional(),
        email: email.optional(),
        realName: optionalText(100),
        idNumber: optionalText(40),
        notes: z.string().max(1000).optional(),
      })
      .strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => ({ id: await registerCustomer(tx, actor, i, { at: api.ports.clock() }) }),
  }),
  'accounts.open': write({
    input: z
      .object({
        customerId: id,
        externalId: text(64),
        name: text(100),
        ip: z
          .string()
          .max(64)
          .refine((s) => normaliseIp(s) !== null, says('ip_format'))
          .optional(),
        mac: z
          .string()
          .max(32)
          .refine((s) => normaliseMac(s) !== null, says('mac_format'))
          .optional(),
      })
      .strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => ({ id: await openAccount(tx, actor, i, { at: api.ports.clock() }) }),
  }),
  'accounts.bindBank': write({
    input: z.object({ accountId: id, bankName: text(100), accountNumber: text(60), holderName: text(100) }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => ({ id: await bindBankAccount(tx, actor, i, { at: api.ports.clock() }) }),
  }),
  'accounts.unbindBank': write({
    input: z.object({ accountId: id, accountNumber: text(60) }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      await unbindBankAccount(tx, actor, i.accountId, i.accountNumber, { at: api.ports.clock() });
      return null;
    },
  }),
  'accounts.setLinked': write({
    input: z.object({ customerId: id, accountIds: z.array(id).min(1).max(100), linked: z.boolean() }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      await setLinked(tx, actor, i.customerId, i.accountIds, i.linked, { at: api.ports.clock() });
      return null;
    },
  }),
  'coins.transfer': write({
    input: z.object({ requestId, fromAccountId: id, toAccountId: id, wallet, coins }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => {
      const now = api.ports.clock();
      const counterNo = await numberCounterRequest(tx, 'transfer', `counter:${i.requestId}`, now); // sealed with the movement's audit entry
      const m = await requestTransfer(
        tx,
        actor,
        {
          requestId: `counter:${i.requestId}`,
          fromAccount: await findAccount(tx, { id: i.fromAccountId }, 'fromAccountId'),
          toAccount: await findAccount(tx, { id: i.toAccountId }, 'toAccountId'),
          walletKind: i.wallet,
          amount: i.coins,
        },
        { at: now },
      );
      return { ...m, amount: String(m.amount), counterNo };
    },
  }),
  'coins.movements': read({
    input: z
      .object({
        status: z.enum(['posted', 'awaiting_approval', 'refused', 'rejected']).optional(),
        customerId: id.optional(),
        limit: limit.default(100),
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listMovements(q, i),
  }),
  'coins.decide': write({
    input: z.object({ id, approve: z.boolean(), note: z.string().trim().max(500).default('') }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => {
      if (!i.approve && i.note.length < 2) throw refuse('VALIDATION', 'transfer_reject_note', {}, { field: 'note' });
      const m = await decideTransfer(tx, actor, i.id, i.approve, i.note, api.ports.clock());
      return { ...m, amount: String(m.amount) };
    },
  }),
  'logins.list': read({
    input: z
      .object({
        outcomes: z
          .array(z.enum(['ok', 'flagged', 'blocked']))
          .max(3)
          .optional(),
        customerId: id.optional(),
        ...timeSpan,
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listLogins(q, i),
  }),
  'devices.requestRebind': write({
    input: z.object({ accountId: id, kind: z.enum(['ip', 'mac']), address: text(64), reason }).strict(),
    roles: COUNTER,
    run: async ({ tx, actor, api }, i) => requestRebind(tx, actor, i.accountId, i.kind, i.address, i.reason, api.ports.clock()),
  }),
  'devices.decideRebind': write({
    input: z.object({ id, approve: z.boolean(), note: z.string().trim().max(500).default('') }).strict(),
    roles: APPROVERS,
    run: async ({ tx, actor, api }, i) => decideRebind(tx, actor, i.id, i.approve, i.note, api.ports.clock()),
  }),
  'devices.rebindRequests': read({
    input: z
      .object({
        status: z.enum(['pending', 'approved', 'rejected']).optional(),
        customerId: id.optional(),
        accountId: id.optional(),
        ...paging,
      })
      .strict(),
    roles: READERS,
    run: async ({ q }, i) => listRebindRequests(q, i),
  }),
} satisfies Record<string, MethodDef>;
