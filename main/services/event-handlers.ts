// What each event type does to the books: one handler per type, beside its schema in
// formats/event-types.ts. A handler either applies the event, returns a refusal whose record it keeps
// (a blocked login, a refused transfer), or throws REFUSED, which rolls the event back whole.
import type { Tx } from '../db/tx';
import { refusal, refuse, type Refusal } from '../domain/refusals';
import type { EventData, EventType } from '../formats/event-types';
import type { Actor } from './actor';
import { creditEarnings, expireCoins, requestTransfer, spendCoins, type MovementOut } from './coin-movements';
import {
  bindBankAccount,
  customerByExternalId,
  findAccount,
  openAccount,
  registerCustomer,
  setLinked,
  unbindBankAccount,
  type Provenance,
} from './customers';
import { recordLogin } from './devices';
import { createRechargeRequest } from './recharge-requests';
import { createInvoiceRequest } from './invoice-requests';
import { parseYuan } from '../domain/money';
import { normaliseIdNumber } from '../domain/withholding';
import { requestPayout } from './payouts';
import { mapInTurn } from './in-turn';

/** Applied (perhaps with a note: held for an approver, a flagged login), or refused with its reason. */
export type HandlerOutcome = { status: 'applied'; note?: Refusal } | { status: 'refused'; why: Refusal };
type Handler<T extends EventType> = (
  tx: Tx,
  actor: Actor,
  data: EventData<T>,
  p: Provenance & { eventId: string },
) => Promise<HandlerOutcome>;

async function customerId(tx: Tx, externalId: string): Promise<number> {
  const c = await customerByExternalId(tx, externalId);
  if (!c) throw refuse('REFUSED', 'unknown_customer', { customer: externalId }, { field: 'customer' });
  return c.id;
}

function movementOutcome(m: MovementOut): HandlerOutcome {
  if (m.status === 'refused') return { status: 'refused', why: m.why ?? refusal('other', { message: m.reason }) };
  return { status: 'applied', ...(m.status === 'awaiting_approval' ? { note: refusal('held_for_approval', {}) } : {}) };
}

/** accounts.linked and accounts.unlinked: the customer's link group gains or loses the accounts named. */
function linkAccounts(linked: boolean): Handler<'accounts.linked' | 'accounts.unlinked'> {
  return async (tx, actor, d, p) => {
    await setLinked(
      tx,
      actor,
      await customerId(tx, d.customer),
      await mapInTurn(d.accounts, async (a) => (await findAccount(tx, { externalId: a }, 'accounts')).id),
      linked,
      p,
    );
    return { status: 'applied' };
  };
}

export const EVENT_HANDLERS: { [T in EventType]: Handler<T> } = {
  'customer.registered': async (tx, actor, d, p) => {
    await registerCustomer(
      tx,
      actor,
      {
        externalId: d.customer,
        kind: d.kind,
        name: d.name,
        phone: d.phone ?? null,
        email: d.email ?? null,
        realName: d.real_name ?? null,
        idNumber: d.id_number ?? null,
        notes: d.notes ?? '',
      },
      p,
    );
    return { status: 'applied' };
  },
  'account.opened': async (tx, actor, d, p) => {
    await openAccount(
      tx,
      actor,
      { customerId: await customerId(tx, d.customer), externalId: d.account, name: d.name, ip: d.ip ?? null, mac: d.mac ?? null },
      p,
    );
    return { status: 'applied' };
  },
  'bank_account.bound': async (tx, actor, d, p) => {
    const a = await findAccount(tx, { externalId: d.account });
    await bindBankAccount(
      tx,
      actor,
      { accountId: a.id, bankName: d.bank_name, accountNumber: d.account_number, holderName: d.holder_name },
      p,
    );
    return { status: 'applied' };
  },
  'bank_account.unbound': async (tx, actor, d, p) => {
    await unbindBankAccount(tx, actor, (await findAccount(tx, { externalId: d.account })).id, d.account_number, p);
    return { status: 'applied' };
  },
  'accounts.linked': linkAccounts(true),
  'accounts.unlinked': linkAccounts(false),
  'customer.login': async (tx, actor, d, p) => {
    const r = await recordLogin(
      tx,
      actor,
      { accountId: (await findAccount(tx, { externalId: d.account })).id, session: d.session, ip: d.ip ?? null, mac: d.mac ?? null },
      p,
    );
    if (r.outcome === 'ok' || !r.why) return { status: 'applied' };
    const verdict = { cause: r.why.code, ...r.why.params };
    return r.outcome === 'blocked'
      ? { status: 'refused', why: refusal('login_blocked', verdict) }
      : { status: 'applied', note: refusal('login_flagged', verdict) };
  },
  'transfer.requested': async (tx, actor, d, p) =>
    movementOutcome(
      await requestTransfer(
        tx,
        actor,
        {
          requestId: p.eventId,
          fromAccount: await findAccount(tx, { externalId: d.from_account }, 'from_account'),
          toAccount: await findAccount(tx, { externalId: d.to_account }, 'to_account'),
          walletKind: d.wallet,
          amount: d.coins,
          session: d.session ?? null,
        },
        p,
      ),
    ),
  'earnings.credited': async (tx, actor, d, p) =>
    movementOutcome(await creditEarnings(tx, actor, p.eventId, await findAccount(tx, { externalId: d.account }), d.coins, p)),
  'recharge.requested': async (tx, actor, d, p) => {
    await createRechargeRequest(
      tx,
      actor,
      {
        requestId: p.eventId,
        account: { externalId: d.account },
        payerAccount: d.payer_account,
        amount: parseYuan(d.amount),
        channel: d.channel,
        referenceCode: d.reference_code,
        session: d.session ?? null,
      },
      p,
    );
    return { status: 'applied' };
  },
  'invoice.requested': async (tx, actor, d, p) => {
    await createInvoiceRequest(
      tx,
      actor,
      {
        requestId: p.eventId,
        account: { externalId: d.account },
        buyer: {
          invoiceType: d.invoice_type === '增值税专用发票' || d.invoice_type === 'special' ? 'special' : 'ordinary',
          name: d.buyer_name,
          taxpayerId: d.taxpayer_id ?? null,
          address: d.address ?? null,
          phone: d.phone ?? null,
          bankName: d.bank_name ?? null,
          bankAccount: d.bank_account ?? null,
          naturalPerson: d.natural_person,
          email: d.email ?? null,
          remarks: d.remarks ?? null,
        },
        recharges: d.recharges,
        amount: d.amount === undefined ? null : parseYuan(d.amount),
        session: d.session ?? null,
      },
      p,
    );
    return { status: 'applied', note: refusal('invoice_request_waiting_check', {}) };
  },
  'earnings.withdrawal_requested': async (tx, actor, d, p) => {
    const id = normaliseIdNumber(d.id_type, d.id_number);
    if (!id.ok) throw new Error('the event schema checks the ID number'); // never: the schema refused the file
    const m = await requestPayout(
      tx,
      actor,
      {
        requestId: p.eventId,
        account: await findAccount(tx, { externalId: d.account }),
        payeeName: d.payee_name,
        idType: d.id_type,
        idNumber: id.value,
        bankName: d.bank_name,
        accountNumber: d.account_number.replace(/[\s-]/g, ''),
        coins: d.coins,
      },
      p,
    );
    return m.status === 'refused' ? { status: 'refused', why: m.why ?? refusal('other', { message: m.reason }) } : { status: 'applied' };
  },
  'coins.spent': async (tx, actor, d, p) =>
    movementOutcome(
      await spendCoins(tx, actor, p.eventId, await findAccount(tx, { externalId: d.account }), d.wallet, d.coins, d.session ?? null, p),
    ),
  'coins.expired': async (tx, actor, d, p) =>
    movementOutcome(await expireCoins(tx, actor, p.eventId, await findAccount(tx, { externalId: d.account }), d.coins, p)),
};
