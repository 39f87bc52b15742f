// Posting to the ledger: accounts and transfers, in batches, inside the caller's write transaction.
// The hot path runs hand-written statements on the connection's cache; the rules themselves live in
// domain/transfer-rules. On PostgreSQL, where several transactions post at once, a batch first locks
// every account it will change, in id order (so two batches wait for each other but never deadlock).
import type { Queryable } from '../db/books';
import { drawRowId, rollbackCount, txControl, type Tx } from '../db/tx';
import { isLedgerId } from '../domain/ledgers';
import {
  applyTransfer,
  checkAmount,
  compareReplay,
  type Balances,
  type LedgerAccount,
  type TransferCode,
  type TransferFailure,
  type TransferIdentity,
  type TransferKind,
} from '../domain/transfer-rules';
import { shanghaiDate } from '../domain/dates';
import { firstOpenDay, isBusinessDate, monthOf } from '../domain/periods';
import { refuse } from '../domain/refusals';
import { autoVoucher, forgetAutoVouchers, voucherSourceOf } from './voucher-numbers';
import { accountMonthKey, addToAccountMonths, HeldTransfers, writeBalances, type TransferColumns } from './ledger-post-postgres';

export interface NewLedgerAccount {
  ledger: number;
  code: string;
  name: string;
  ownerKind?: string | null;
  ownerId?: number | null;
  flags?: number;
}

export async function createAccount(tx: Tx, a: NewLedgerAccount, now = Date.now()): Promise<number> {
  if (!isLedgerId(a.ledger)) throw refuse('VALIDATION', 'ledger_unknown', { ledger: String(a.ledger) }, { field: 'ledger' });
  const info = await tx
    .sql('INSERT INTO accounts (ledger, code, name, owner_kind, owner_id, flags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(a.ledger, a.code, a.name, a.ownerKind ?? null, a.ownerId ?? null, a.flags ?? 0, now);
  return Number(info.lastInsertRowid);
}

interface Common {
  key: string;
  code: string;
  memo?: string;
  /** Linked to the next transfer in the batch: the chain succeeds or fails together. */
  linked?: boolean;
  /** Business date (记账日期, YYYY-MM-DD); defaults to the batch's date. */
  date?: string;
}
export interface PostInput extends Common {
  kind?: 'single' | 'pending';
  ledger: number;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  reversesId?: number;
  /** The voucher this transfer belongs to (a manual voucher); CNY transfers without one get an automatic voucher. */
  voucherId?: number;
}
export interface ResolveInput extends Common {
  kind: 'post' | 'void';
  pendingId: number;
  /** For post: at most the pending amount; omitted means all of it. */
  amount?: number;
}
export type TransferInput = PostInput | ResolveInput;

export interface TransferResult {
  index: number;
  key: string;
  result: TransferCode;
  id?: number;
  /** With period_closed: the month that is closed. */
  month?: string;
}

interface AccountRow {
  id: number;
  ledger: number;
  flags: number;
  debits_pending: number;
  debits_posted: number;
  credits_pending: number;
  credits_posted: number;
}
interface TransferRow {
  id: number;
  ledger: number;
  debit_account_id: number;
  credit_account_id: number;
  amount: number;
  kind: TransferKind;
  pending_id: number | null;
  reverses_id: number | null;
  code: string;
}

const SELECT_ACCOUNT =
  'SELECT id, ledger, flags, debits_pending, debits_posted, credits_pending, credits_posted FROM accounts WHERE id = ?';
const SELECT_ACCOUNTS =
  'SELECT id, ledger, flags, debits_pending, debits_posted, credits_pending, credits_posted FROM accounts WHERE id IN';
const LEDGER_CNY = 1;
const SELECT_KEYS = 'SELECT key FROM transfers WHERE key IN';
const CHUNK = 500;

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}
function inList(prefix: string, n: number): string {
  return `${prefix} (${Array.from({ length: n }, () => '?').join(', ')})`;
}
function fromRow(row: AccountRow): LedgerAccount {
  return {
    id: row.id,
    ledger: row.ledger,
    flags: row.flags,
    debitsPending: row.debits_pending,
    debitsPosted: row.debits_posted,
    creditsPending: row.credits_pending,
    creditsPosted: row.credits_posted,
  };
}

const SELECT_BY_KEY =
  'SELECT id, ledger, debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, code FROM transfers WHERE key = ?';
const SELECT_BY_ID =
  'SELECT id, ledger, debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, code FROM transfers WHERE id = ?';
const MAX_ID = 'SELECT max(id) AS m FROM transfers';
const SELECT_RESOLUTION = 'SELECT kind FROM transfers WHERE pending_id = ?';
const SELECT_REVERSAL = 'SELECT id FROM transfers WHERE reverses_id = ?';
const INSERT_TRANSFER = `INSERT INTO transfers
  (key, ledger, debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, chain_id, code, memo, ts, staff_id, business_date, voucher_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_TRANSFER_WITH_ID = `INSERT INTO transfers
  (id, key, ledger, debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, chain_id, code, memo, ts, staff_id, business_date, voucher_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const CLOSED_MONTHS = "SELECT month FROM periods WHERE state <> 'open'";
const PENDING_ACCOUNTS = 'SELECT debit_account_id AS d, credit_account_id AS c FROM transfers WHERE id IN';

/** The months that take no posting (closed, or closed and waiting for confirmation). */
export async function closedMonths(q: Queryable): Promise<Set<string>> {
  return new Set(((await q.sql(CLOSED_MONTHS).all()) as { month: string }[]).map((r) => r.month));
}

export interface PostOptions {
  staffId?: number | null;
  /** When the transfers are entered (ms); also the business date when none is given. */
  now?: number;
  /** The batch's business date (YYYY-MM-DD, Asia/Shanghai); a transfer's own date wins. */
  date?: string;
  /**
   * For platform events: a date in a closed month posts on the first open day instead, and the
   * transfer's memo keeps the original date. Without it, such a transfer is refused (period_closed).
   */
  lateToFirstOpenDay?: boolean;
}
const UPDATE_BALANCES = 'UPDATE accounts SET debits_pending = ?, debits_posted = ?, credits_pending = ?, credits_posted = ? WHERE id = ?';
const NEW_ACCOUNT_MONTH = 'INSERT INTO account_months (account_id, month, debits_posted, credits_posted) VALUES (?, ?, ?, ?)';
const ADD_ACCOUNT_MONTH = `${NEW_ACCOUNT_MONTH}
  ON CONFLICT (month, account_id) DO UPDATE SET debits_posted = account_months.debits_posted + excluded.debits_posted,
    credits_posted = account_months.credits_posted + excluded.credits_posted`;

/** A posted CNY amount on its debit and credit account, on its business date (account_months, migration 22). */
interface MonthMove {
  debit: number;
  credit: number;
  date: string;
  amount: number;
}

/** Adds a batch's posted CNY amounts to account_months: one write per account and month. */
async function keepAccountMonths(tx: Tx, moves: readonly MonthMove[]): Promise<void> {
  if (moves.length === 0) return;
  const months = new Map<string, Map<number, { debits: number; credits: number }>>();
  const add = (sums: Map<number, { debits: number; credits: number }>, account: number, debits: number, credits: number) => {
    const s = sums.get(account);
    if (s) {
      s.debits += debits;
      s.credits += credits;
    } else sums.set(account, { debits, credits });
  };
  for (const m of moves) {
    const month = monthOf(m.date);
    let sums = months.get(month);
    if (!sums) months.set(month, (sums = new Map()));
    add(sums, m.debit, m.amount, 0);
    add(sums, m.credit, 0, m.amount);
  }
  if (tx.books.engine === 'sqlite') {
    const upsert = tx.sql(ADD_ACCOUNT_MONTH);
    for (const [month, sums] of months) for (const [account, s] of sums) await upsert.run(account, month, s.debits, s.credits);
    return;
  }
  // PostgreSQL draws an identity id even for an upsert that only updates, so its rows would be numbered
  // apart from the same books on a file. The batch holds its accounts' row locks: the months that exist
  // are updated in one statement, then the new ones inserted in the order a file's books number them.
  const all = [...months].flatMap(([month, sums]) => [...sums].map(([account, s]) => ({ account, month, ...s })));
  const updated = await addToAccountMonths(tx, all);
  const insert = tx.sql(NEW_ACCOUNT_MONTH);
  for (const m of all) if (!updated.has(accountMonthKey(m.account, m.month))) await insert.run(m.account, m.month, m.debits, m.credits);
}

function identity(row: TransferRow): TransferIdentity {
  return {
    ledger: row.ledger,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: row.amount,
    kind: row.kind,
    pendingId: row.pending_id,
    reversesId: row.reverses_id,
    code: row.code,
  };
}

/**
 * The accounts' balances as this connection last read or wrote them, kept between batches so a stream
 * of batches does not re-read every account it touches. Only createTransfers changes balances, and it
 * writes each change to the books in the same transaction, so the cache is exact until a rollback on
 * this connection (db/tx.ts counts them) or a commit by another connection (SQLite's data_version).
 * On PostgreSQL the cache lives only as long as its transaction, whose row locks keep others' hands
 * off the accounts in it (a rollback, which may release locks, empties it).
 */
interface BalanceCache {
  dataVersion: number;
  rollbacks: number;
  accounts: Map<number, LedgerAccount>;
}
const balanceCaches = new WeakMap<object, BalanceCache>();
const BALANCE_CACHE_LIMIT = 200_000;

async function balanceCache(tx: Tx): Promise<Map<number, LedgerAccount>> {
  const owner = tx.books.engine === 'sqlite' ? tx.books : tx;
  const dataVersion =
    tx.books.engine === 'sqlite' ? ((await tx.sql('PRAGMA data_version').get()) as { data_version: number }).data_version : 0;
  const rollbacks = rollbackCount(tx.books);
  let cache = balanceCaches.get(owner);
  if (!cache || cache.dataVersion !== dataVersion || cache.rollbacks !== rollbacks || cache.accounts.size > BALANCE_CACHE_LIMIT) {
    cache = { dataVersion, rollbacks, accounts: new Map() };
    balanceCaches.set(owner, cache);
  }
  return cache.accounts;
}

/** The batch's accounts read into the cache; on PostgreSQL locked for the transaction, in id order. */
async function loadAccounts(tx: Tx, accounts: Map<number, LedgerAccount>, ids: Iterable<number>): Promise<void> {
  const lock = tx.books.engine === 'postgres' ? ' ORDER BY id FOR UPDATE' : '';
  const sorted = [...ids].sort((a, b) => a - b);
  for (const chunk of chunks(sorted)) {
    const rows = (await tx.sql(inList(SELECT_ACCOUNTS, chunk.length) + lock).all(...chunk)) as AccountRow[];
    for (const row of rows) accounts.set(row.id, fromRow(row));
  }
}

/** The id the next transfer will get, which names a linked chain: taken from the sequence on PostgreSQL. */
async function nextTransferId(tx: Tx): Promise<number> {
  return drawRowId(tx, 'transfers', async () => ((await tx.sql(MAX_ID).get()) as { m: number | null }).m);
}

/**
 * Posts a batch of transfers. Each transfer succeeds or fails on its own, except linked chains, which
 * succeed or fail together. A replay of a key with the same content reports `exists`; with other
 * content, the field that differs. Balances are written once per batch.
 */
export async function createTransfers(tx: Tx, inputs: readonly TransferInput[], opts: PostOptions = {}): Promise<TransferResult[]> {
  const now = opts.now ?? Date.now();
  const batchDate = opts.date ?? shanghaiDate(now);
  const closed = await closedMonths(tx);
  const staffId = opts.staffId ?? null;
  const accounts = await balanceCache(tx);
  const dirty = new Set<number>();
  const results: TransferResult[] = [];
  // Posted CNY amounts for account_months, written with the balances at the end; a failed chain drops its own.
  const monthMoves: MonthMove[] = [];

  const loadAccount = async (id: number): Promise<LedgerAccount | undefined> => {
    let a = accounts.get(id);
    if (a) return a;
    if (!Number.isSafeInteger(id)) return undefined;
    const row = (await tx.sql(SELECT_ACCOUNT + (tx.books.engine === 'postgres' ? ' FOR UPDATE' : '')).get(id)) as AccountRow | undefined;
    if (!row) return undefined;
    a = fromRow(row);
    accounts.set(id, a);
    return a;
  };

  // Load the batch's accounts, and find which of its keys already exist, in a few set queries rather
  // than one query per transfer.
  const wanted = new Set<number>();
  const want = (id: number) => {
    if (Number.isSafeInteger(id) && !accounts.has(id)) wanted.add(id);
  };
  const keys: string[] = [];
  const pendingIds: number[] = [];
  for (const t of inputs) {
    keys.push(t.key);
    if (t.kind !== 'post' && t.kind !== 'void') {
      want((t as PostInput).debitAccountId);
      want((t as PostInput).creditAccountId);
    } else if (Number.isSafeInteger(t.pendingId)) pendingIds.push(t.pendingId);
  }
  // A resolution changes its pending transfer's accounts: locked with the rest, not one by one later.
  if (tx.books.engine === 'postgres')
    for (const chunk of chunks(pendingIds))
      for (const r of (await tx.sql(inList(PENDING_ACCOUNTS, chunk.length)).all(...chunk)) as { d: number; c: number }[]) {
        want(r.d);
        want(r.c);
      }
  await loadAccounts(tx, accounts, wanted);
  const knownKeys = new Set<string>();
  for (const chunk of chunks(keys)) {
    for (const row of (await tx.sql(inList(SELECT_KEYS, chunk.length)).all(...chunk)) as { key: string }[]) knownKeys.add(row.key);
  }
  const insertedKeys = new Set<string>();
  // On PostgreSQL new transfers are held and written together (ledger-post-postgres.ts), written before
  // anything reads transfers back; their ids drawn ahead, as many as the batch has new keys (a refused
  // transfer leaves its id unused: PostgreSQL's ids may skip numbers, as its sequences do).
  const newKeys = new Set(keys.filter((k) => !knownKeys.has(k))).size;
  const held = tx.books.engine === 'postgres' ? new HeldTransfers(tx, Math.min(newKeys, 1000)) : null;
  const written = async () => held?.write();

  // Chain state: balances before the chain started (to restore on failure) and its results.
  let chainStart = -1;
  let chainMonthMoves = 0;
  let chainSnapshot: Map<number, Balances> | null = null;
  let chainFailed = false;
  let chainId: number | null = null;
  let chainNamed = false;

  const remember = (a: LedgerAccount) => {
    if (chainSnapshot && !chainSnapshot.has(a.id)) chainSnapshot.set(a.id, { ...a });
  };

  // The business date a transfer posts on, with the memo note a late event keeps.
  const dated = (t: TransferInput): { date: string; memo: string } | { code: TransferFailure; month?: string } => {
    const own = t.date ?? batchDate;
    if (!isBusinessDate(own)) return { code: 'business_date_invalid' };
    const date = opts.lateToFirstOpenDay ? firstOpenDay(own, closed) : own;
    if (closed.has(monthOf(date))) return { code: 'period_closed', month: monthOf(date) };
    const memo = t.memo ?? '';
    return { date, memo: date === own ? memo : `${memo} (原业务日期 ${own})`.trim() };
  };

  const one = async (t: TransferInput): Promise<{ code: TransferCode; id?: number; month?: string }> => {
    if (!t.key) return { code: 'key_must_not_be_empty' };
    if (t.key.length > 255) return { code: 'key_too_long' };
    const kind: TransferKind = t.kind ?? 'single';
    if (insertedKeys.has(t.key)) await written();
    const existing =
      knownKeys.has(t.key) || insertedKeys.has(t.key) ? ((await tx.sql(SELECT_BY_KEY).get(t.key)) as TransferRow | undefined) : undefined;

    if (kind === 'post' || kind === 'void') {
      const r = t as ResolveInput;
      if (existing) {
        return {
          code: compareReplay(identity(existing), {
            kind,
            pendingId: r.pendingId,
            code: r.code,
            ...(r.amount !== undefined ? { amount: r.amount } : {}),
          }),
          id: existing.id,
        };
      }
      await written();
      const pending = (await tx.sql(SELECT_BY_ID).get(r.pendingId)) as TransferRow | undefined;
      if (!pending) return { code: 'pending_transfer_not_found' };
      if (pending.kind !== 'pending') return { code: 'pending_transfer_not_pending' };
      const resolution = (await tx.sql(SELECT_RESOLUTION).get(pending.id)) as { kind: TransferKind } | undefined;
      if (resolution) return { code: resolution.kind === 'post' ? 'pending_transfer_already_posted' : 'pending_transfer_already_voided' };
      const amount = r.amount ?? pending.amount;
      const bad = checkAmount(amount);
      if (bad) return { code: bad };
      const when = dated(t);
      if ('code' in when) return when;
      const dr = (await loadAccount(pending.debit_account_id))!;
      const cr = (await loadAccount(pending.credit_account_id))!;
      const applied = applyTransfer(
        { kind, ledger: pending.ledger, debitAccountId: dr.id, creditAccountId: cr.id, amount, pendingAmount: pending.amount },
        dr,
        cr,
      );
      if (typeof applied === 'string') return { code: applied };
      return await commit(t, kind, pending.ledger, dr, cr, amount, applied, pending.id, null, when);
    }

    const p = t as PostInput;
    if (existing) {
      return {
        code: compareReplay(identity(existing), {
          kind,
          pendingId: null,
          ledger: p.ledger,
          debitAccountId: p.debitAccountId,
          creditAccountId: p.creditAccountId,
          amount: p.amount,
          reversesId: p.reversesId ?? null,
          code: p.code,
        }),
        id: existing.id,
      };
    }
    if ((p as unknown as ResolveInput).pendingId !== undefined) return { code: 'pending_id_must_not_be_set' };
    const bad = checkAmount(p.amount);
    if (bad) return { code: bad };
    if (p.debitAccountId === p.creditAccountId) return { code: 'accounts_must_be_different' };
    const dr = await loadAccount(p.debitAccountId);
    if (!dr) return { code: 'debit_account_not_found' };
    const cr = await loadAccount(p.creditAccountId);
    if (!cr) return { code: 'credit_account_not_found' };
    if (p.reversesId !== undefined) {
      await written();
      const original = (await tx.sql(SELECT_BY_ID).get(p.reversesId)) as TransferRow | undefined;
      if (!original) return { code: 'transfer_not_found' };
      if (await tx.sql(SELECT_REVERSAL).get(original.id)) return { code: 'transfer_already_reversed' };
    }
    const when = dated(t);
    if ('code' in when) return when;
    const applied = applyTransfer({ kind, ledger: p.ledger, debitAccountId: dr.id, creditAccountId: cr.id, amount: p.amount }, dr, cr);
    if (typeof applied === 'string') return { code: applied };
    return await commit(t, kind, p.ledger, dr, cr, p.amount, applied, null, p.reversesId ?? null, when);
  };

  const commit = async (
    t: TransferInput,
    kind: TransferKind,
    ledger: number,
    dr: LedgerAccount,
    cr: LedgerAccount,
    amount: number,
    applied: { debit: Balances; credit: Balances },
    pendingId: number | null,
    reversesId: number | null,
    when: { date: string; memo: string },
  ): Promise<{ code: TransferCode; id: number }> => {
    let voucherId: number | null = null;
    if (ledger === LEDGER_CNY) {
      voucherId = (t as PostInput).voucherId ?? null;
      if (voucherId === null) {
        const [source, summary] = voucherSourceOf(t.code);
        voucherId = await autoVoucher(tx, source, summary, when.date, staffId, now);
      }
    }
    // The first transfer of a chain takes the id that names the chain.
    const ownId = chainId !== null && !chainNamed ? chainId : null;
    chainNamed ||= ownId !== null;
    const values: TransferColumns = [
      t.key,
      ledger,
      dr.id,
      cr.id,
      amount,
      kind,
      pendingId,
      reversesId,
      chainId,
      t.code,
      when.memo,
      now,
      staffId,
      when.date,
      voucherId,
    ];
    let id: number;
    if (held) {
      id = ownId ?? (await held.nextId());
      held.hold([id, ...values]);
    } else {
      const info = await (ownId === null ? tx.sql(INSERT_TRANSFER).run(...values) : tx.sql(INSERT_TRANSFER_WITH_ID).run(ownId, ...values));
      id = Number(info.lastInsertRowid);
    }
    insertedKeys.add(t.key);
    remember(dr);
    remember(cr);
    Object.assign(dr, applied.debit);
    Object.assign(cr, applied.credit);
    dirty.add(dr.id);
    dirty.add(cr.id);
    if (ledger === LEDGER_CNY && (kind === 'single' || kind === 'post'))
      monthMoves.push({ debit: dr.id, credit: cr.id, date: when.date, amount });
    return { code: 'ok', id };
  };

  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    const inChain = chainSnapshot !== null;
    if (!inChain && t.linked) {
      chainStart = i;
      chainMonthMoves = monthMoves.length;
      chainSnapshot = new Map();
      chainFailed = false;
      // The chain is named by the id its first new transfer will get (rowids grow by one).
      await written();
      chainId = held ? await held.nextId() : await nextTransferId(tx);
      chainNamed = false;
      await txControl(tx, 'SAVEPOINT chain');
    }
    const inChainNow = chainSnapshot !== null;
    let outcome: { code: TransferCode; id?: number; month?: string };
    if (inChainNow && chainFailed) outcome = { code: 'linked_event_failed' };
    else if (inChainNow && t.linked && i === inputs.length - 1) outcome = { code: 'linked_event_chain_open' };
    else outcome = await one(t);
    results.push({
      index: i,
      key: t.key,
      result: outcome.code,
      ...(outcome.id !== undefined ? { id: outcome.id } : {}),
      ...(outcome.month !== undefined ? { month: outcome.month } : {}),
    });

    if (inChainNow) {
      if (outcome.code !== 'ok' && outcome.code !== 'exists') chainFailed = true;
      const chainEnds = !t.linked || i === inputs.length - 1;
      if (chainEnds) {
        if (chainFailed) {
          held?.drop();
          await txControl(tx, 'ROLLBACK TO chain');
          forgetAutoVouchers(tx);
          for (const [id, b] of chainSnapshot!) Object.assign(accounts.get(id)!, b);
          monthMoves.length = chainMonthMoves;
          for (let j = chainStart; j <= i; j++) {
            const r = results[j]!;
            if (r.result === 'ok' || r.result === 'exists') {
              r.result = 'linked_event_failed';
              delete r.id;
            }
          }
        }
        await written();
        await txControl(tx, 'RELEASE chain');
        chainSnapshot = null;
        chainId = null;
      }
    }
  }

  await written();
  const changed = [...dirty].sort((a, b) => a - b).map((id) => accounts.get(id)!);
  if (held) await writeBalances(tx, changed);
  else {
    const update = tx.sql(UPDATE_BALANCES);
    for (const a of changed) await update.run(a.debitsPending, a.debitsPosted, a.creditsPending, a.creditsPosted, a.id);
  }
  await keepAccountMonths(tx, monthMoves);
  return results;
}

/** Posts one transfer that must happen (throws as expectPosted does); returns its id. */
export async function postOne(tx: Tx, input: TransferInput, opts: PostOptions): Promise<number> {
  return expectPosted(await createTransfers(tx, [input], opts))[0]!;
}

/** Throws unless every result is ok or exists: for callers whose transfers must all happen. */
export function expectPosted(results: readonly TransferResult[]): number[] {
  const bad = results.find((r) => r.result !== 'ok' && r.result !== 'exists');
  const closedAt = results.find((r) => r.result === 'period_closed');
  if (closedAt) throw refuse('REFUSED', 'period_closed', { month: closedAt.month ?? '' }, { code: 'period_closed', key: closedAt.key });
  if (bad) {
    const failure = results.find((r) => r.result !== 'ok' && r.result !== 'exists' && r.result !== 'linked_event_failed') ?? bad;
    throw refuse(
      'LEDGER',
      'transfer_refused',
      { key: failure.key, result: failure.result },
      { code: failure.result as TransferFailure, key: failure.key },
    );
  }
  return results.map((r) => r.id!);
}
