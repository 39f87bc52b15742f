// Reading what approval needs: the queue of requests covered by bank money, each with the coins it
// would credit and the flags an approver looks at; and recharge records.
import type { Queryable } from '../db/books';
import { dialect, literal, type RowOf } from '../db/query';
import { preparers, priceRequest } from './approval';
import { requestById } from './recharge-requests';
import { settingAt } from './settings';
import type { ReceiptData } from '../formats/receipt-html';
import { CHANNELS, rateFor } from '../domain/conversion';
import { voucherName } from './voucher-numbers';
import { likeContains, likeSql } from '../db/like';
import { refuse } from '../domain/refusals';
import { counterNoColumn, counterNoOf } from './counter-numbers';
import { mapInTurn } from './in-turn';
import { recordApprovers, recordSnapshot } from './record-json';
import { num, oneOf, rowMapper, text, textOrNull } from '../db/row-read';
import { keysetPageOf } from './keyset-page';

export interface QueueFilter {
  customerId?: number;
  minAmount?: number;
  maxAmount?: number;
  text?: string;
  beforeId?: number;
  limit: number;
}

/** The queue's own statuses, written as migration 24's partial index `recharge_requests_queue` has them. */
const IN_QUEUE = "r.status IN ('matched', 'overpaid', 'approved')";

/**
 * The queue's requests newest id first: through `recharge_requests_queue`, which holds only them in id
 * order, so a page stops after its rows instead of sorting the whole queue. One customer's requests are
 * fewer by their account: then SQLite picks.
 */
const queueFrom = (q: Queryable, f: { customerId?: number }) =>
  f.customerId === undefined ? `recharge_requests r ${dialect(q).indexedBy('recharge_requests_queue')}` : 'recharge_requests r';

function where(q: Queryable, f: QueueFilter): { sql: string; params: unknown[] } {
  const parts = [IN_QUEUE];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    parts.push(sql);
    params.push(...p);
  };
  if (f.customerId !== undefined) add('a.customer_id = ?', f.customerId);
  if (f.minAmount !== undefined) add('r.amount >= ?', f.minAmount);
  if (f.maxAmount !== undefined) add('r.amount <= ?', f.maxAmount);
  if (f.text)
    add(
      `(r.request_id = ? OR r.reference_code = ? OR ${dialect(q).likeNocase('c.name', '?')})`,
      f.text,
      f.text.toUpperCase(),
      likeContains(f.text),
    );
  return { sql: parts.join(' AND '), params };
}

/** A row of the ids "approve all" works on. */
const queueIdOf = rowMapper({ id: num, version: num });

/** A row of the queue's page, read column by column. */
const queueRowOf = rowMapper({
  id: num,
  requestId: text,
  counterNo: textOrNull,
  account: text,
  customerId: num,
  customerName: text,
  amount: num,
  covered: num,
  channel: text,
  status: oneOf(['matched', 'overpaid', 'approved']),
  version: num,
  requestedAt: num,
  payerAccount: textOrNull,
  deviceMismatch: num,
  approvals: num,
});

/**
 * The ids (with versions) of every request in the queue that passes a filter, for "approve all" —
 * including those waiting for a second approver, but not those this approver already approved.
 */
export async function queueIds(
  q: Queryable,
  f: Omit<QueueFilter, 'limit' | 'beforeId'>,
  approver: number | null,
): Promise<{ id: number; version: number }[]> {
  const w = where(q, { ...f, limit: 0 });
  return (
    await q
      .sql(
        `SELECT r.id, r.version FROM ${queueFrom(q, f)} JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id WHERE ${w.sql} AND NOT EXISTS (SELECT 1 FROM approvals p WHERE p.request_id = r.id AND p.approver = ?) ORDER BY r.id`,
      )
      .all(...w.params, approver ?? -1)
  ).map(queueIdOf);
}

export async function approvalQueue(q: Queryable, f: QueueFilter, viewer: number | null, now: number) {
  const w = where(q, f);
  if (f.beforeId !== undefined) {
    w.sql += ' AND r.id < ?';
    w.params.push(f.beforeId);
  }
  const rows = (
    await q
      .sql(
        `SELECT r.id, r.request_id AS requestId, ${counterNoColumn('recharge', 'r.request_id')} AS counterNo, a.external_id AS account, c.id AS customerId, c.name AS customerName, r.amount, r.covered, r.channel, r.status, r.version,
         r.requested_at AS requestedAt, r.payer_account AS payerAccount,
         EXISTS (SELECT 1 FROM logins l WHERE l.account_id = r.account_id AND l.outcome <> 'ok') AS deviceMismatch,
         (SELECT count(*) FROM approvals p WHERE p.request_id = r.id) AS approvals
       FROM ${queueFrom(q, f)} JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id
       WHERE ${w.sql} ORDER BY r.id DESC LIMIT ?`,
      )
      .all(...w.params, f.limit + 1)
  ).map(queueRowOf);
  const dual = await settingAt(q, 'approval.dualAboveFen', now);
  const more = rows.length > f.limit;
  const page = await mapInTurn(rows.slice(0, f.limit), async (row) => {
    const r = await requestById(q, row.id);
    const price = await priceRequest(q, r);
    const mine =
      viewer !== null &&
      ((await preparers(q, r)).has(viewer) ||
        !!(await q.sql('SELECT 1 FROM approvals WHERE request_id = ? AND approver = ?').get(r.id, viewer)));
    return {
      ...row,
      amount: String(row.amount),
      covered: String(row.covered),
      paidCoins: String(price.paidCoins),
      bonusCoins: String(price.bonusCoins),
      ruleVersion: price.ruleVersion,
      flags: {
        deviceMismatch: row.deviceMismatch === 1,
        firstRecharge: price.firstRecharge,
        large: row.amount > dual,
        secondApprovalNeeded: row.amount > dual && row.approvals === 1,
      },
      canApprove: !mine,
    };
  });
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : null };
}

/** Recharge records with their request, account and customer, each as the API lists it. */
const records = (q: Queryable) =>
  q.db
    .selectFrom('recharge_records as rr')
    .innerJoin('recharge_requests as q', 'q.id', 'rr.request_id')
    .innerJoin('customer_accounts as a', 'a.id', 'rr.account_id')
    .innerJoin('customers as c', 'c.id', 'rr.customer_id')
    .select((eb) => {
      const counterNo = counterNoOf('recharge', 'q.request_id');
      return [
        'rr.id',
        'rr.receipt_no as receiptNo',
        'rr.request_id as requestId',
        eb.fn.coalesce(counterNo, 'q.request_id').as('requestRef'),
        counterNo.as('counterNo'),
        'a.external_id as account',
        'c.id as customerId',
        'c.name as customerName',
        'rr.amount',
        eb.fn.coalesce('rr.requested', 'rr.amount').as('requested'),
        'rr.channel',
        'rr.rule_version as ruleVersion',
        'rr.paid_coins as paidCoins',
        'rr.bonus_coins as bonusCoins',
        'rr.first_recharge as firstRecharge',
        'rr.credited_at as creditedAt',
        'rr.reversed_at as reversedAt',
        'rr.reversal_reason as reversalReason',
        'rr.approved_by_json as approvedBy',
      ];
    });

/** A recharge record as `records` reads it. */
type RecordRow = RowOf<typeof records>;

const readChannel = oneOf(CHANNELS);

/** The record as the API answers it: money and coins as integer strings, the approvers as a list. */
function recordView(r: RecordRow) {
  return {
    ...r,
    amount: String(r.amount),
    requested: String(r.requested),
    paidCoins: String(r.paidCoins),
    bonusCoins: String(r.bonusCoins),
    // a record's channel column has no CHECK of its own: it is copied from its request's, which has
    channel: readChannel(r, 'channel'),
    approvedBy: recordApprovers(r.approvedBy),
    firstRecharge: r.firstRecharge === 1,
  };
}

export async function listRecords(
  q: Queryable,
  f: { text?: string; customerId?: number; from?: number; to?: number; beforeId?: number; limit: number },
) {
  let query = records(q);
  const text = f.text;
  if (text)
    query = query.where((eb) =>
      eb.or([eb('rr.receipt_no', '=', text.toUpperCase()), eb('q.request_id', '=', text), likeSql(q, 'c.name', likeContains(text))]),
    );
  if (f.customerId !== undefined) query = query.where('rr.customer_id', '=', f.customerId);
  if (f.from !== undefined) query = query.where('rr.credited_at', '>=', f.from);
  if (f.to !== undefined) query = query.where('rr.credited_at', '<', f.to);
  if (f.beforeId !== undefined) query = query.where('rr.id', '<', f.beforeId);
  const rows = await query
    .orderBy('rr.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return keysetPageOf(rows, f.limit, recordView);
}

export async function recordPage(q: Queryable, id: number) {
  const r = await records(q)
    .select(['rr.rule_json as rule', 'rr.tier_json as tier', 'rr.evidence_json as evidence', 'rr.matched_by_json as matchedBy'])
    .where('rr.id', '=', id)
    .executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'record_not_found', { ref: String(id) }, { field: 'id' });
  return { ...recordView(r), ...recordSnapshot(r) };
}

/** Display names by username (usernames are unique, case aside); a name no longer on the staff list stays as it was. */
async function displayNames(q: Queryable): Promise<(username: string) => string> {
  const names = new Map(
    (await q.db.selectFrom('staff').select(['username', 'display_name as name']).execute()).map((s) => [s.username.toLowerCase(), s.name]),
  );
  return (u) => names.get(u.toLowerCase()) ?? u;
}

/**
 * The data a printed recharge record shows: the record as credited (its rule snapshot, the matchers and
 * approvers it names), the bank lines behind it, the voucher of its money, and who reviewed a match or
 * write-off someone else proposed (the allocations' decided_by) — people by their display names.
 */
export async function receiptData(q: Queryable, id: number): Promise<ReceiptData> {
  const p = await recordPage(q, id);
  const name = await displayNames(q);
  const extra = (await q.db
    .selectFrom('recharge_records as rr')
    .innerJoin('customer_accounts as a', 'a.id', 'rr.account_id')
    .innerJoin('transfers as t', 't.id', 'rr.money_transfer_id')
    .leftJoin('vouchers as v', 'v.id', 't.voucher_id')
    .leftJoin('staff as rs', 'rs.id', 'rr.reversed_by')
    .select(['a.name as accountName', 'v.word', 'v.period', 'v.number', 'rs.display_name as reversedBy'])
    .where('rr.id', '=', id)
    .executeTakeFirst())!; // recordPage has found the record
  const reviewed = (
    await q.db
      .selectFrom('allocations as al')
      .innerJoin('staff as s', 's.id', 'al.decided_by')
      .select('s.display_name as name')
      .where('al.request_id', '=', p.requestId)
      .where('al.status', '=', literal('active'))
      // each reviewer once, in the order of their first decision (DISTINCT could not be ordered by a column it drops)
      .groupBy('s.display_name')
      .orderBy((eb) => eb.fn.min('al.decided_at'))
      .orderBy((eb) => eb.fn.min('al.id'))
      .execute()
  ).map((r) => r.name);
  const line = async (lineId: number) =>
    (await q.db
      .selectFrom('bank_lines')
      .select(['booked', 'bank_ref as bankRef', 'counterparty_name as counterparty'])
      .where('id', '=', lineId)
      .executeTakeFirst())!; // the record's evidence names lines that exist (a foreign key)
  const writeoffKind = async (amount: number) =>
    (
      await q.db
        .selectFrom('allocations')
        .select('writeoff_kind as kind')
        .where('request_id', '=', p.requestId)
        .where('kind', '=', literal('writeoff'))
        .where('status', '=', literal('active'))
        .where('amount', '=', amount)
        .limit(1)
        .executeTakeFirst()
    )?.kind ?? null;
  const evidence = await mapInTurn(p.evidence, async (e) =>
    e.kind === 'bank' && e.lineId !== null
      ? {
          kind: 'bank' as const,
          amount: e.amount,
          ...(await line(e.lineId)),
        }
      : {
          kind: 'writeoff' as const,
          amount: e.amount,
          writeoffKind: await writeoffKind(e.amount),
        },
  );
  return {
    receiptNo: p.receiptNo,
    requestRef: p.requestRef,
    customerName: p.customerName,
    account: p.account,
    accountName: extra.accountName,
    amount: Number(p.amount),
    requested: Number(p.requested),
    channel: p.channel,
    paidCoins: Number(p.paidCoins),
    bonusCoins: Number(p.bonusCoins),
    ruleVersion: p.ruleVersion,
    rate: rateFor(p.rule, p.channel),
    tier: p.tier,
    firstRecharge: p.firstRecharge,
    creditedAt: p.creditedAt,
    voucher:
      extra.word === null || extra.period === null || extra.number === null
        ? null
        : voucherName({ word: extra.word, period: extra.period, number: extra.number }),
    people: {
      handled: p.matchedBy.map((m) =>
        m.who.startsWith('rule:')
          ? { kind: 'rule' as const, rule: m.who.slice(5).trim(), ranBy: m.ranBy === null ? null : name(m.ranBy) }
          : { kind: 'person' as const, name: name(m.who) },
      ),
      reviewed,
      approved: p.approvedBy.map(name),
    },
    evidence,
    reversed: p.reversedAt ? { at: Number(p.reversedAt), reason: String(p.reversalReason ?? ''), by: extra.reversedBy } : null,
  };
}
