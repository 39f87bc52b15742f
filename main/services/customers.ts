// Customers and their accounts (step 1 of the method): registration, opening accounts with their two
// wallets, bank accounts they pay from, and the link group. Each change is audited in its transaction.
import type { Selectable } from 'kysely';
import { compiledOnce } from '../db/query';
import type { CustomerAccountTable, CustomerTable } from '../db/schema';
import type { Queryable } from '../db/books';
import { drawRowId, holdMemo, type TxMemo, type Tx } from '../db/tx';
import { ACCOUNT_FLAG, LEDGER } from '../domain/ledgers';
import { refuse } from '../domain/refusals';
import { normaliseAddress, type AddressKind } from '../domain/device';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { createAccount } from './ledger-post';

export interface NewCustomer {
  externalId?: string | null;
  kind: 'person' | 'company';
  name: string;
  phone?: string | null;
  email?: string | null;
  realName?: string | null;
  idNumber?: string | null;
  notes?: string;
}

export interface Provenance {
  at: number;
  eventId?: string | null;
}

export type CustomerRow = Selectable<CustomerTable>;

export type AccountRow = Selectable<CustomerAccountTable>;

// Looked up once or more per event of an event file: compiled once.
const CUSTOMER_BY_EXTERNAL_ID = compiledOnce((db, externalId: string) =>
  db.selectFrom('customers').selectAll().where('external_id', '=', externalId),
);
const CUSTOMER_BY_ID = compiledOnce((db, id: number) => db.selectFrom('customers').selectAll().where('id', '=', id));
const ACCOUNT_BY_ID = compiledOnce((db, id: number) => db.selectFrom('customer_accounts').selectAll().where('id', '=', id));
const ACCOUNT_BY_EXTERNAL_ID = compiledOnce((db, externalId: string | null) =>
  db.selectFrom('customer_accounts').selectAll().where('external_id', '=', externalId),
);
const LAST_ACCOUNT_ID = compiledOnce((db) => db.selectFrom('customer_accounts').select((eb) => eb.fn.max<number | null>('id').as('m')));
/** A bank binding as the API names its columns. */
export const BANK_BINDING_COLUMNS = [
  'id',
  'bank_name as bankName',
  'account_number as accountNumber',
  'holder_name as holderName',
  'starts_at as startsAt',
  'ends_at as endsAt',
] as const;
const BANK_BINDINGS_AT = compiledOnce((db, accountId: number, at: number) =>
  db
    .selectFrom('bank_bindings')
    .select(BANK_BINDING_COLUMNS)
    .where('account_id', '=', accountId)
    .where('starts_at', '<=', at)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)])),
);

export async function customerByExternalId(q: Queryable, externalId: string): Promise<CustomerRow | undefined> {
  return await CUSTOMER_BY_EXTERNAL_ID.get(q, externalId);
}

export async function customerById(q: Queryable, id: number): Promise<CustomerRow> {
  const c = await CUSTOMER_BY_ID.get(q, id);
  if (!c) throw refuse('NOT_FOUND', 'customer_not_found', { customer: String(id) }, { field: 'customerId' });
  return c;
}

// An event import names the same accounts again and again: while it runs, the accounts found by the
// platform's id are remembered, forgotten when a link changes or when a rollback (a refused event) takes
// away what they were read after (TxMemo).
const heldAccounts = new WeakMap<Queryable, TxMemo<string, AccountRow>>();

/** Until the returned function is called, accounts `tx` finds by external id are remembered. */
export const holdAccounts = (tx: Tx): (() => void) => holdMemo(heldAccounts, tx);

/** An account by the platform's id (events) or by Coffer's id (counter). */
export async function findAccount(q: Queryable, ref: { id?: number; externalId?: string }, field = 'account'): Promise<AccountRow> {
  const held = ref.id === undefined ? heldAccounts.get(q) : undefined;
  const known = held?.get(ref.externalId!);
  if (known) return known;
  const row = ref.id !== undefined ? await ACCOUNT_BY_ID.get(q, ref.id) : await ACCOUNT_BY_EXTERNAL_ID.get(q, ref.externalId ?? null);
  if (!row) throw refuse('REFUSED', 'unknown_account', { field, account: String(ref.externalId ?? ref.id) }, { field });
  held?.set(ref.externalId!, row);
  return row;
}

export async function registerCustomer(tx: Tx, actor: Actor, c: NewCustomer, p: Provenance): Promise<number> {
  if (c.externalId && (await customerByExternalId(tx, c.externalId))) {
    throw refuse('REFUSED', 'customer_exists', { customer: c.externalId }, { field: 'customer' });
  }
  const info = await tx
    .sql(
      `INSERT INTO customers (external_id, kind, name, phone, email, real_name, id_number, notes, created_at, created_by, source_event)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      c.externalId ?? null,
      c.kind,
      c.name,
      c.phone ?? null,
      c.email ?? null,
      c.realName ?? null,
      c.idNumber ?? null,
      c.notes ?? '',
      p.at,
      actor.staffId,
      p.eventId ?? null,
    );
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'customer.register',
    entity: 'customer',
    entityId: id,
    after: { ...c, eventId: p.eventId ?? null },
    at: p.at,
  });
  return id;
}

export interface NewAccount {
  customerId: number;
  externalId: string;
  name: string;
  ip?: string | null;
  mac?: string | null;
}

/** Opens an account with its recharge and earnings wallets (never negative) and records its device addresses. */
export async function openAccount(tx: Tx, actor: Actor, a: NewAccount, p: Provenance): Promise<number> {
  await customerById(tx, a.customerId);
  if (await tx.sql('SELECT 1 FROM customer_accounts WHERE external_id = ?').get(a.externalId)) {
    throw refuse('REFUSED', 'account_exists', { account: a.externalId }, { field: 'account' });
  }
  const addresses: { kind: AddressKind; address: string }[] = [];
  for (const kind of ['ip', 'mac'] as const) {
    const raw = a[kind];
    if (!raw) continue;
    const address = normaliseAddress(kind, raw);
    if (!address)
      throw kind === 'ip'
        ? refuse('VALIDATION', 'ip_invalid', { ip: raw }, { field: kind })
        : refuse('VALIDATION', 'mac_invalid', { mac: raw }, { field: kind });
    addresses.push({ kind, address });
  }
  if (!addresses.length) throw refuse('VALIDATION', 'ip_or_mac_missing', {}, { field: 'ip' });
  const label = `${a.externalId} ${a.name}`;
  // The wallets' owner is the account about to be made: its id is drawn first, so the wallets are made
  // owned instead of updated afterwards.
  const id = await drawRowId(tx, 'customer_accounts', async () => (await LAST_ACCOUNT_ID.get(tx))!.m);
  const wallet = (ledger: number, code: string, name: string) =>
    createAccount(
      tx,
      {
        ledger,
        code,
        name: `${label} ${name}`,
        ownerKind: 'customer_account',
        ownerId: id,
        flags: ACCOUNT_FLAG.DEBITS_MUST_NOT_EXCEED_CREDITS,
      },
      p.at,
    );
  const recharge = await wallet(LEDGER.RECHARGE_COIN, 'recharge_wallet', '充值账户');
  const earnings = await wallet(LEDGER.EARNINGS_COIN, 'earnings_wallet', '收益账户');
  await tx
    .sql(
      `INSERT INTO customer_accounts (id, customer_id, external_id, name, recharge_wallet_id, earnings_wallet_id, linked, opened_at, created_by, source_event)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    )
    .run(id, a.customerId, a.externalId, a.name, recharge, earnings, p.at, actor.staffId, p.eventId ?? null);
  for (const d of addresses) {
    await tx
      .sql('INSERT INTO device_bindings (account_id, kind, address, starts_at, source) VALUES (?, ?, ?, ?, ?)')
      .run(id, d.kind, d.address, p.at, p.eventId ? `event:${p.eventId}` : 'counter');
  }
  await recordAudit(tx, actor, {
    action: 'account.open',
    entity: 'customer_account',
    entityId: id,
    after: { ...a, addresses, rechargeWallet: recharge, earningsWallet: earnings, eventId: p.eventId ?? null },
    at: p.at,
  });
  return id;
}

export interface BankBinding {
  accountId: number;
  bankName: string;
  accountNumber: string;
  holderName: string;
}

/** Bank account numbers are compared without spaces and dashes. */
export function normaliseBankNumber(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export async function bindBankAccount(tx: Tx, actor: Actor, b: BankBinding, p: Provenance): Promise<number> {
  const number = normaliseBankNumber(b.accountNumber);
  if (!/^\d{4,40}$/.test(number))
    throw refuse('VALIDATION', 'bank_number_digits', { number: b.accountNumber }, { field: 'account_number' });
  if (
    await tx.sql('SELECT 1 FROM bank_bindings WHERE account_id = ? AND account_number = ? AND ends_at IS NULL').get(b.accountId, number)
  ) {
    throw refuse('REFUSED', 'already_bound', { number }, { field: 'account_number' });
  }
  const info = await tx
    .sql(
      'INSERT INTO bank_bindings (account_id, bank_name, account_number, holder_name, starts_at, created_by, source_event) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(b.accountId, b.bankName, number, b.holderName, p.at, actor.staffId, p.eventId ?? null);
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'bank_account.bind',
    entity: 'customer_account',
    entityId: b.accountId,
    after: { ...b, accountNumber: number, bindingId: id, eventId: p.eventId ?? null },
    at: p.at,
  });
  return id;
}

export async function unbindBankAccount(tx: Tx, actor: Actor, accountId: number, accountNumber: string, p: Provenance): Promise<void> {
  const number = normaliseBankNumber(accountNumber);
  const row = await tx.db
    .selectFrom('bank_bindings')
    .select(['id', 'starts_at'])
    .where('account_id', '=', accountId)
    .where('account_number', '=', number)
    .where('ends_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw refuse('REFUSED', 'not_bound', { number }, { field: 'account_number' });
  await tx.sql('UPDATE bank_bindings SET ends_at = ? WHERE id = ?').run(Math.max(p.at, row.starts_at), row.id);
  await recordAudit(tx, actor, {
    action: 'bank_account.unbind',
    entity: 'customer_account',
    entityId: accountId,
    after: { accountNumber: number, bindingId: row.id, eventId: p.eventId ?? null },
    at: p.at,
  });
}

/** The bank accounts bound to an account at a moment (what reconciliation matches payers against). */
export async function bankBindingsAt(q: Queryable, accountId: number, at: number) {
  return await BANK_BINDINGS_AT.all(q, accountId, at);
}

/** Puts accounts into (linked) or out of (unlinked) their customer's link group. */
export async function setLinked(
  tx: Tx,
  actor: Actor,
  customerId: number,
  accountIds: number[],
  linked: boolean,
  p: Provenance,
): Promise<void> {
  const rows = new Map<number, AccountRow>();
  for (const id of accountIds) {
    const a = await findAccount(tx, { id });
    if (a.customer_id !== customerId) {
      throw refuse('REFUSED', 'account_other_customer', { account: a.external_id }, { field: 'accounts' });
    }
    rows.set(id, a);
  }
  const changed = accountIds.filter((id) => (rows.get(id)!.linked === 1) !== linked);
  for (const id of changed) await tx.sql('UPDATE customer_accounts SET linked = ? WHERE id = ?').run(linked ? 1 : 0, id);
  // only the rows changed are forgotten (clearing all made an import look every account up again)
  for (const id of changed) heldAccounts.get(tx)?.delete(rows.get(id)!.external_id);
  await recordAudit(tx, actor, {
    action: linked ? 'accounts.link' : 'accounts.unlink',
    entity: 'customer',
    entityId: customerId,
    after: { accounts: accountIds, changed, eventId: p.eventId ?? null },
    count: accountIds.length,
    at: p.at,
  });
}
