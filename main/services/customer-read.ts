// Reading customers: the searchable list, a customer's page (accounts with both wallets, link group,
// bank bindings, devices, logins, coin movements), and the list of blocked and flagged logins.
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect } from '../db/query';
import { BANK_BINDING_COLUMNS, customerById } from './customers';
import { listRebindRequests } from './devices';
import { withWhy, type Refusal } from '../domain/refusals';
import type { MovementOut } from './coin-movements';
import { likeContains } from '../db/like';
import { mapInTurn } from './in-turn';
import { num, oneOf, rowMapper, text as textColumn, textOrNull } from '../db/row-read';
import { keysetPage } from './keyset-page';

export interface CustomerListRow {
  id: number;
  externalId: string | null;
  kind: 'person' | 'company';
  name: string;
  phone: string | null;
  accounts: number;
  createdAt: number;
}

/** A row of the search's page: a CustomerListRow with the count of every hit beside it. */
const searchRowOf = rowMapper({
  id: num,
  externalId: textOrNull,
  kind: oneOf(['person', 'company']),
  name: textColumn,
  phone: textOrNull,
  accounts: num,
  createdAt: num,
  total: num,
});

export interface CustomerSearch {
  text?: string;
  sort: 'name' | 'newest' | 'oldest';
  offset: number;
  limit: number;
}

/** The list's order: by name in byte order (a locale's order differs by engine and machine), or by age. */
function order(q: Queryable, sort: CustomerSearch['sort']): string {
  if (sort === 'name') return `c.name ${dialect(q).byteOrder}, c.id`;
  return sort === 'newest' ? 'c.created_at DESC, c.id DESC' : 'c.created_at, c.id';
}

/** `column` begins with a text: from the text to the text and U+FFFF (both bound), compared in byte order. */
const startsWith = (column: string, byteOrder: string) => `${column} ${byteOrder} >= ? AND ${column} ${byteOrder} < ?`;

/**
 * Finds customers by name or phone (anywhere in the text), by the platform's customer or account id,
 * by account name, or by a bank account number (its start, ignoring spaces).
 */
export async function searchCustomers(q: Queryable, s: CustomerSearch): Promise<{ rows: CustomerListRow[]; total: number }> {
  const text = s.text?.trim() ?? '';
  if (!text) {
    const total = (await q.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst())!.n;
    const rows: CustomerListRow[] = await q.db
      .selectFrom('customers as c')
      .select((eb) => [
        'c.id',
        'c.external_id as externalId',
        'c.kind',
        'c.name',
        'c.phone',
        'c.created_at as createdAt',
        eb
          .selectFrom('customer_accounts as a')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('a.customer_id', '=', 'c.id')
          .$asScalar()
          .$notNull()
          .as('accounts'),
      ])
      .orderBy(sql.raw(order(q, s.sort)))
      .limit(s.limit)
      .offset(s.offset)
      .execute();
    return { rows, total };
  }
  // The matching ids are found once, each branch by its own index (the name and phone scans read
  // narrow indexes, not whole rows), and the total comes with the page.
  const like = likeContains(text);
  const digits = text.replace(/[\s-]/g, '') || text;
  const d = dialect(q);
  const hits = `WITH hits(id) AS MATERIALIZED (
      SELECT id FROM customers ${d.indexedBy('customers_by_name')} WHERE ${d.likeNocase('name', '?')}
      UNION ALL SELECT id FROM customers ${d.indexedBy('customers_by_phone')} WHERE ${d.likeNocase('phone', '?')}
      UNION ALL SELECT id FROM customers WHERE external_id = ?
      UNION ALL SELECT customer_id FROM customer_accounts WHERE ${startsWith('external_id', d.byteOrder)}
      UNION ALL SELECT customer_id FROM customer_accounts WHERE ${d.likeNocase('name', '?')}
      UNION ALL SELECT a.customer_id FROM bank_bindings b JOIN customer_accounts a ON a.id = b.account_id
        WHERE ${startsWith('b.account_number', d.byteOrder)})`;
  const params = [like, like, text, text, `${text}\uffff`, like, digits, `${digits}\uffff`];
  const rows = (
    await q
      .sql(
        `${hits}
       SELECT c.id, c.external_id AS externalId, c.kind, c.name, c.phone, c.created_at AS createdAt,
         (SELECT count(*) FROM customer_accounts a WHERE a.customer_id = c.id) AS accounts, count(*) OVER () AS total
       FROM customers c WHERE c.id IN (SELECT id FROM hits) ORDER BY ${order(q, s.sort)} LIMIT ? OFFSET ?`,
      )
      .all(...params, s.limit, s.offset)
  ).map(searchRowOf);
  const total = rows.length ? rows[0]!.total : num(await q.sql(`${hits} SELECT count(DISTINCT id) AS n FROM hits`).get(...params), 'n');
  return { rows: rows.map(({ total: _t, ...r }) => r), total };
}

interface WalletRow {
  debits_pending: number;
  debits_posted: number;
  credits_pending: number;
  credits_posted: number;
}
/** What a wallet holds and what of it is free to move (pending debits are reserved). */
function walletBalance(w: WalletRow) {
  return {
    balance: String(w.credits_posted - w.debits_posted),
    available: String(w.credits_posted - w.debits_posted - w.debits_pending),
    reserved: String(w.debits_pending),
  };
}

export async function customerPage(q: Queryable, id: number) {
  const c = await customerById(q, id);
  const accounts = await mapInTurn(
    await q.db
      .selectFrom('customer_accounts as a')
      .innerJoin('accounts as r', 'r.id', 'a.recharge_wallet_id')
      .innerJoin('accounts as e', 'e.id', 'a.earnings_wallet_id')
      .select([
        'a.id',
        'a.external_id as externalId',
        'a.name',
        'a.linked',
        'a.opened_at as openedAt',
        'a.recharge_wallet_id as rechargeWalletId',
        'a.earnings_wallet_id as earningsWalletId',
        'r.debits_pending as r_dpe',
        'r.debits_posted as r_dpo',
        'r.credits_pending as r_cpe',
        'r.credits_posted as r_cpo',
        'e.debits_pending as e_dpe',
        'e.debits_posted as e_dpo',
        'e.credits_pending as e_cpe',
        'e.credits_posted as e_cpo',
      ])
      .where('a.customer_id', '=', id)
      .orderBy('a.id')
      .execute(),
    async (a) => ({
      id: a.id,
      externalId: a.externalId,
      name: a.name,
      linked: a.linked === 1,
      openedAt: a.openedAt,
      rechargeWalletId: a.rechargeWalletId,
      earningsWalletId: a.earningsWalletId,
      recharge: walletBalance({ debits_pending: a.r_dpe, debits_posted: a.r_dpo, credits_pending: a.r_cpe, credits_posted: a.r_cpo }),
      earnings: walletBalance({ debits_pending: a.e_dpe, debits_posted: a.e_dpo, credits_pending: a.e_cpe, credits_posted: a.e_cpo }),
      devices: await q.db
        .selectFrom('device_bindings')
        .select(['id', 'kind', 'address', 'starts_at as startsAt', 'ends_at as endsAt', 'source'])
        .where('account_id', '=', a.id)
        .orderBy('starts_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),
      bankAccounts: await q.db
        .selectFrom('bank_bindings')
        .select(BANK_BINDING_COLUMNS)
        .where('account_id', '=', a.id)
        .orderBy('starts_at', 'desc')
        .orderBy('id', 'desc')
        .execute(),
    }),
  );
  // The page shows the newest 200 logins and movements; `more` says when older ones exist (page them
  // with logins.list / coins.movements).
  const loginPage = await listLogins(q, { customerId: id, limit: 200 });
  const movements = await listMovements(q, { customerId: id, limit: 201 });
  const rebinds = await listRebindRequests(q, { customerId: id });
  return {
    customer: {
      id: c.id,
      externalId: c.external_id,
      kind: c.kind,
      name: c.name,
      phone: c.phone,
      email: c.email,
      realName: c.real_name,
      idNumber: c.id_number,
      notes: c.notes,
      createdAt: c.created_at,
    },
    accounts,
    logins: loginPage.rows,
    loginsMore: loginPage.nextBeforeId !== null,
    movements: movements.slice(0, 200),
    movementsMore: movements.length > 200,
    rebinds,
  };
}

export interface LoginRow {
  id: number;
  eventId: string | null;
  accountId: number;
  accountExternalId: string;
  customerId: number;
  customerName: string;
  session: string | null;
  at: number;
  ip: string | null;
  mac: string | null;
  outcome: 'ok' | 'flagged' | 'blocked';
  policy: 'strict' | 'review';
  reason: string;
  why: Refusal | null;
}

export interface LoginFilter {
  outcomes?: ('ok' | 'flagged' | 'blocked')[];
  customerId?: number;
  from?: number;
  to?: number;
  beforeId?: number;
  limit: number;
}

export async function listLogins(q: Queryable, f: LoginFilter): Promise<{ rows: LoginRow[]; nextBeforeId: number | null }> {
  let query = q.db
    .selectFrom('logins as l')
    .innerJoin('customer_accounts as a', 'a.id', 'l.account_id')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select([
      'l.id',
      'l.event_id as eventId',
      'l.account_id as accountId',
      'a.external_id as accountExternalId',
      'a.customer_id as customerId',
      'c.name as customerName',
      'l.session',
      'l.at',
      'l.ip',
      'l.mac',
      'l.outcome',
      'l.policy',
      'l.reason',
      'l.reason_code as reasonCode',
      'l.reason_params as reasonParams',
    ]);
  if (f.outcomes?.length) query = query.where('l.outcome', 'in', f.outcomes);
  if (f.customerId !== undefined) query = query.where('a.customer_id', '=', f.customerId);
  if (f.from !== undefined) query = query.where('l.at', '>=', f.from);
  if (f.to !== undefined) query = query.where('l.at', '<', f.to);
  if (f.beforeId !== undefined) query = query.where('l.id', '<', f.beforeId);
  const rows = (
    await query
      .orderBy('l.id', 'desc')
      .limit(f.limit + 1)
      .execute()
  ).map(withWhy);
  return keysetPage(rows, f.limit);
}

export interface MovementFilter {
  customerId?: number;
  status?: MovementOut['status'];
  beforeId?: number;
  limit: number;
}

export async function listMovements(q: Queryable, f: MovementFilter) {
  let query = q.db
    .selectFrom('coin_movements as m')
    .leftJoin('staff as es', 'es.id', 'm.entered_by')
    .leftJoin('staff as ds', 'ds.id', 'm.decided_by')
    .leftJoin('customer_accounts as fa', 'fa.id', 'm.from_account_id')
    .leftJoin('customers as fc', 'fc.id', 'fa.customer_id')
    .leftJoin('customer_accounts as ta', 'ta.id', 'm.to_account_id')
    .leftJoin('customers as tc', 'tc.id', 'ta.customer_id')
    .select((eb) => [
      'm.id',
      'm.request_id as requestId',
      'm.type',
      'm.wallet_kind as walletKind',
      'm.from_account_id as fromAccountId',
      'fa.external_id as fromAccount',
      'm.to_account_id as toAccountId',
      'ta.external_id as toAccount',
      // every movement names a wallet on one side or the other
      eb.fn.coalesce('fc.name', 'tc.name').$notNull().as('customerName'),
      'm.amount',
      'm.status',
      'm.reason',
      'm.reason_code as reasonCode',
      'm.reason_params as reasonParams',
      'm.session',
      'm.ledger_transfer_id as ledgerTransferId',
      'm.requested_at as requestedAt',
      'm.entered_by as enteredBy',
      'm.decided_by as decidedBy',
      'm.decided_at as decidedAt',
      eb.fn.coalesce('fa.customer_id', 'ta.customer_id').$notNull().as('customerId'),
      'es.username as enteredByName',
      'ds.username as decidedByName',
    ]);
  if (f.customerId !== undefined) {
    const customerId = f.customerId;
    query = query.where((eb) => eb.or([eb('fa.customer_id', '=', customerId), eb('ta.customer_id', '=', customerId)]));
  }
  if (f.status) query = query.where('m.status', '=', f.status);
  if (f.beforeId !== undefined) query = query.where('m.id', '<', f.beforeId);
  return (await query.orderBy('m.id', 'desc').limit(f.limit).execute()).map((m) => ({ ...withWhy(m), amount: String(m.amount) }));
}
