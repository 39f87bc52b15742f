// Approval and crediting (step 4 of the method). Only a request fully covered by bank money is
// approved; the staff user who prepared it (entered it, matched it, or ran the rules that matched it)
// may not approve it; above a threshold two different approvers are needed; an approval carries the
// version its approver saw. Crediting posts one linked chain — the money (unallocated receipts →
// customer prepayments) and the coins (issuance → the account's recharge wallet, bonus apart) — and
// writes the recharge record with a gapless receipt number per year. Approving twice credits once.
import type { Selectable } from 'kysely';
import { literal } from '../db/query';
import type { RechargeRecordTable } from '../db/schema';
import type { Queryable } from '../db/books';
import { inSavepoint, type Tx } from '../db/tx';
import { convert, type Channel, type ConversionRule } from '../domain/conversion';
import { CofferError } from '../domain/errors';
import { refuse, refusal, refusalOf, type Refusal } from '../domain/refusals';
import { LEDGER } from '../domain/ledgers';
import { formatCoins, formatYuan } from '../domain/money';
import type { JobControl } from '../api/jobs';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { assertRecordNotInvoiced } from './invoices';
import { createTransfers } from './ledger-post';
import { requestById, type RechargeRequestRow } from './recharge-requests';
import { openRefund } from './refunds';
import { settingAt, settingWithVersionAt } from './settings';
import { cnyAccount, systemAccount } from './system-accounts';
import { mapInTurn } from './in-turn';
import { recordApprovers } from './record-json';

/** The people who prepared a request: they may not approve it (four eyes). */
export async function preparers(q: Queryable, r: RechargeRequestRow): Promise<Set<number>> {
  const ids = new Set<number>();
  if (r.entered_by !== null) ids.add(r.entered_by);
  for (const a of await q.db
    .selectFrom('allocations')
    .select(['matched_by', 'run_by'])
    .where('request_id', '=', r.id)
    .where('status', '=', literal('active'))
    .execute()) {
    if (a.matched_by !== null) ids.add(a.matched_by);
    if (a.run_by !== null) ids.add(a.run_by);
  }
  return ids;
}

/**
 * The money a request brought in: its amount less any confirmed short-payment write-off (a fee write-off
 * is borne by the platform, so the customer is credited the full request).
 */
export async function receivedAmount(q: Queryable, r: RechargeRequestRow): Promise<number> {
  const short = (await q.db
    .selectFrom('allocations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('amount'), eb.lit(0)).as('s'))
    .where('request_id', '=', r.id)
    .where('kind', '=', literal('writeoff'))
    .where('writeoff_kind', '=', literal('short'))
    .where('status', '=', literal('active'))
    .executeTakeFirst())!;
  return r.amount - short.s;
}

export interface Pricing {
  /** The money the coins are for: the amount received (see receivedAmount). */
  received: number;
  ruleVersion: number;
  rule: ConversionRule;
  paidCoins: number;
  bonusCoins: number;
  firstRecharge: boolean;
  tier: unknown;
  /** The request's customer, and the wallet its account is credited in. */
  customerId: number;
  rechargeWalletId: number;
}

/**
 * What a request becomes under the rule version in force when it was submitted (never re-priced): the
 * rule converts the money received, so a short payment gets the coins of what was paid.
 */
export async function priceRequest(q: Queryable, r: RechargeRequestRow): Promise<Pricing> {
  const received = await receivedAmount(q, r);
  const { value: rule, version: ruleVersion } = await settingWithVersionAt(q, 'conversion.rules', r.requested_at);
  const account = (await q.db
    .selectFrom('customer_accounts')
    .select(['customer_id', 'recharge_wallet_id'])
    .where('id', '=', r.account_id)
    .executeTakeFirst())!;
  const firstRecharge = !(await q
    .sql('SELECT 1 FROM recharge_records WHERE customer_id = ? AND reversed_at IS NULL LIMIT 1')
    .get(account.customer_id));
  const c = convert(rule, received, { channel: r.channel as Channel, firstRecharge });
  return {
    received,
    ruleVersion,
    rule,
    paidCoins: c.paidCoins,
    bonusCoins: c.bonusCoins,
    firstRecharge,
    tier: c.tier,
    customerId: account.customer_id,
    rechargeWalletId: account.recharge_wallet_id,
  };
}

export type ApprovalOutcome =
  | { id: number; requestId: string; outcome: 'credited'; receiptNo: string; paidCoins: number; bonusCoins: number }
  | ({ id: number; requestId: string; outcome: 'approved'; waitingFor: 'second approver' } & Refusal<'second_approver_needed'>)
  | ({ id: number; requestId: string; outcome: 'refused' } & Refusal);

async function nextReceiptNo(tx: Tx, now: number): Promise<{ year: number; seq: number; receiptNo: string }> {
  const year = new Date(now + 8 * 3_600_000).getUTCFullYear();
  // Gapless: the counter moves in the same transaction as the record it numbers.
  const row = (await tx.db
    .insertInto('receipt_counters')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last: eb('receipt_counters.last', '+', 1) })))
    .returning('last')
    .executeTakeFirst())!;
  return { year, seq: row.last, receiptNo: `CZ${year}-${String(row.last).padStart(6, '0')}` };
}

/**
 * One approver's approval of one request. Throws CofferError (refusals the caller records per item)
 * or returns what happened: credited, or approved and waiting for a second approver.
 */
export async function approveRequest(tx: Tx, actor: Actor, id: number, version: number, now: number): Promise<ApprovalOutcome> {
  const r = await requestById(tx, id);
  const requestId = r.request_id;
  if (r.status === 'credited') throw refuse('CONFLICT', 'already_credited', { requestId });
  if (!['matched', 'overpaid', 'approved'].includes(r.status)) throw refuse('CONFLICT', 'not_matched', { requestId, status: r.status });
  if (r.version !== version)
    throw refuse('CONFLICT', 'stale_version', { requestId, seen: String(version), now: String(r.version) }, { current: r.version });
  if (actor.staffId === null || (await preparers(tx, r)).has(actor.staffId))
    throw refuse('FORBIDDEN', 'four_eyes', { requestId, user: actor.name });
  const earlier = await tx.db.selectFrom('approvals').select('approver').where('request_id', '=', id).execute();
  if (earlier.some((a) => a.approver === actor.staffId)) throw refuse('CONFLICT', 'same_approver', { requestId, user: actor.name });
  await tx.sql('INSERT INTO approvals (request_id, approver, version, at) VALUES (?, ?, ?, ?)').run(id, actor.staffId, version, now);
  const threshold = await settingAt(tx, 'approval.dualAboveFen', now);
  const dual = r.amount > threshold;
  if (dual && earlier.length === 0) {
    await tx.sql("UPDATE recharge_requests SET status = 'approved', version = version + 1, updated_at = ? WHERE id = ?").run(now, id);
    await recordAudit(tx, actor, {
      action: 'recharge.approve_first',
      entity: 'recharge_request',
      entityId: id,
      after: { amount: formatYuan(r.amount), version },
      at: now,
    });
    const waiting = refusal('second_approver_needed', { requestId, amountFen: String(r.amount), thresholdFen: String(threshold) });
    return { id, requestId, outcome: 'approved', waitingFor: 'second approver', ...waiting };
  }
  return await credit(tx, actor, r, now);
}

async function credit(tx: Tx, actor: Actor, r: RechargeRequestRow, now: number): Promise<ApprovalOutcome> {
  const price = await priceRequest(tx, r);
  if (price.paidCoins === 0)
    throw refuse('REFUSED', 'no_coins', {
      requestId: r.request_id,
      amountFen: String(price.received),
      ruleVersion: String(price.ruleVersion),
    });
  const key = `credit:${r.request_id}`;
  const chain = [
    {
      key: `${key}:money`,
      ledger: LEDGER.CNY,
      debitAccountId: await cnyAccount(tx, 'unallocated_receipts'),
      creditAccountId: await cnyAccount(tx, 'customer_prepayments'),
      amount: price.received,
      code: 'recharge_credit',
      memo: r.request_id,
      linked: true,
    },
    {
      key: `${key}:coins`,
      ledger: LEDGER.RECHARGE_COIN,
      debitAccountId: await systemAccount(tx, LEDGER.RECHARGE_COIN, 'coin_issuance'),
      creditAccountId: price.rechargeWalletId,
      amount: price.paidCoins,
      code: 'recharge_credit',
      memo: r.request_id,
      linked: price.bonusCoins > 0,
    },
    ...(price.bonusCoins > 0
      ? [
          {
            key: `${key}:bonus`,
            ledger: LEDGER.RECHARGE_COIN,
            debitAccountId: await systemAccount(tx, LEDGER.RECHARGE_COIN, 'bonus_issuance'),
            creditAccountId: price.rechargeWalletId,
            amount: price.bonusCoins,
            code: 'recharge_bonus',
            memo: r.request_id,
          },
        ]
      : []),
  ];
  const results = await createTransfers(tx, chain, { staffId: actor.staffId, now });
  const failed = results.find((x) => x.result !== 'ok' && x.result !== 'linked_event_failed');
  if (failed) throw refuse('LEDGER', 'ledger_refused', { result: failed.result }, { code: failed.result });
  const { year, seq, receiptNo } = await nextReceiptNo(tx, now);
  const evidence = await tx
    .sql("SELECT bank_line_id AS lineId, kind, amount FROM allocations WHERE request_id = ? AND status = 'active'")
    .all(r.id);
  const matchedBy = await tx
    .sql(
      "SELECT DISTINCT coalesce(m.username, 'rule: ' || al.rule) AS who, ru.username AS ranBy FROM allocations al LEFT JOIN staff m ON m.id = al.matched_by LEFT JOIN staff ru ON ru.id = al.run_by WHERE al.request_id = ? AND al.status = 'active'",
    )
    .all(r.id);
  const approvers = (
    await tx.db
      .selectFrom('approvals as a')
      .innerJoin('staff as s', 's.id', 'a.approver')
      .select('s.username')
      .where('a.request_id', '=', r.id)
      .orderBy('a.id')
      .execute()
  ).map((a) => a.username);
  await tx
    .sql(
      `INSERT INTO recharge_records (receipt_no, year, seq, request_id, account_id, customer_id, amount, requested, channel, rule_version, rule_json, paid_coins, bonus_coins, first_recharge, tier_json,
       evidence_json, matched_by_json, approved_by_json, credited_at, money_transfer_id, coins_transfer_id, bonus_transfer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      receiptNo,
      year,
      seq,
      r.id,
      r.account_id,
      price.customerId,
      price.received,
      r.amount,
      r.channel,
      price.ruleVersion,
      // The whole version is copied, not only referred to: version 0 is the rule compiled into Coffer (an
      // upgrade may change it), and the receipt must show what priced it from its own row.
      JSON.stringify(price.rule),
      price.paidCoins,
      price.bonusCoins,
      price.firstRecharge ? 1 : 0,
      price.tier ? JSON.stringify(price.tier) : null,
      JSON.stringify(evidence),
      JSON.stringify(matchedBy),
      JSON.stringify(approvers),
      now,
      results[0]!.id!,
      results[1]!.id!,
      results[2]?.id ?? null,
    );
  await tx.sql("UPDATE recharge_requests SET status = 'credited', version = version + 1, updated_at = ? WHERE id = ?").run(now, r.id);
  await recordAudit(tx, actor, {
    action: 'recharge.credit',
    entity: 'recharge_request',
    entityId: r.id,
    after: {
      receiptNo,
      amount: formatYuan(price.received),
      ...(price.received !== r.amount ? { requested: formatYuan(r.amount) } : {}),
      paidCoins: formatCoins(price.paidCoins),
      bonusCoins: formatCoins(price.bonusCoins),
      ruleVersion: price.ruleVersion,
      approvers,
    },
    at: now,
  });
  return { id: r.id, requestId: r.request_id, outcome: 'credited', receiptNo, paidCoins: price.paidCoins, bonusCoins: price.bonusCoins };
}

/**
 * Bulk approval: each request succeeds or fails as a unit inside its own savepoint; one refusal never
 * stops the rest. The batch writes one audit row with its counts besides each request's own.
 */
export async function approveMany(tx: Tx, actor: Actor, items: { id: number; version: number }[], now: number): Promise<ApprovalOutcome[]> {
  const out = await mapInTurn(items, async (item) => approveOrRefuse(tx, actor, item, now));
  await auditBatch(tx, actor, out, now);
  return out;
}

/** Items between a bulk job's progress reports and cancel points. */
const APPROVE_CHUNK = 200;

/** approveMany as a job (approve all that a filter selects): progress, and a cancel rolls the whole batch back. */
export async function approveManyInJob(
  tx: Tx,
  actor: Actor,
  items: { id: number; version: number }[],
  now: number,
  job: Pick<JobControl, 'progress' | 'checkpoint'>,
): Promise<ApprovalOutcome[]> {
  const out: ApprovalOutcome[] = [];
  for (const [n, item] of items.entries()) {
    if (n % APPROVE_CHUNK === 0) {
      job.progress(n, items.length);
      await job.checkpoint();
    }
    out.push(await approveOrRefuse(tx, actor, item, now));
  }
  await auditBatch(tx, actor, out, now);
  return out;
}

/** One item in its savepoint; a refusal is its outcome, with the reason. */
async function approveOrRefuse(tx: Tx, actor: Actor, item: { id: number; version: number }, now: number): Promise<ApprovalOutcome> {
  try {
    return await inSavepoint(tx, async () => approveRequest(tx, actor, item.id, item.version, now));
  } catch (e) {
    if (!(e instanceof CofferError)) throw e;
    const requestId =
      (await tx.db.selectFrom('recharge_requests').select('request_id').where('id', '=', item.id).executeTakeFirst())?.request_id ??
      String(item.id);
    const why = e.code === 'NOT_FOUND' && !e.details.reason ? refusal('not_found', { ref: String(item.id) }) : refusalOf(e);
    return { id: item.id, requestId, outcome: 'refused', ...why };
  }
}

async function auditBatch(tx: Tx, actor: Actor, out: ApprovalOutcome[], now: number): Promise<void> {
  if (!out.length) return;
  await recordAudit(tx, actor, {
    action: 'recharge.approve_batch',
    entity: 'recharge_request',
    after: {
      credited: out.filter((o) => o.outcome === 'credited').length,
      waiting: out.filter((o) => o.outcome === 'approved').length,
      refused: out.filter((o) => o.outcome === 'refused').length,
    },
    count: out.length,
    at: now,
  });
}

export type RecordRow = Selectable<RechargeRecordTable>;

export async function recordById(q: Queryable, id: number): Promise<RecordRow> {
  const r = await q.db.selectFrom('recharge_records').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw refuse('NOT_FOUND', 'record_not_found', { ref: String(id) }, { field: 'id' });
  return r;
}

/**
 * Reverses a credited recharge (a chargeback or a mistaken credit): the coins go back to issuance —
 * only while the wallet still holds them; else refused with the shortfall — and the money moves from
 * customer prepayments to refunds payable until a money-out bank line is matched to the refund. An
 * approver who did not approve the credit does it (four eyes).
 */
export async function reverseCredit(tx: Tx, actor: Actor, id: number, reason: string, now: number): Promise<RecordRow> {
  const rec = await recordById(tx, id);
  const receiptNo = rec.receipt_no;
  if (rec.reversed_at !== null) throw refuse('CONFLICT', 'already_reversed', { receiptNo }, { field: 'id' });
  await assertRecordNotInvoiced(tx, id);
  const approvers = recordApprovers(rec.approved_by_json);
  if (approvers.includes(actor.name)) throw refuse('FORBIDDEN', 'four_eyes_reverse', { receiptNo, user: actor.name }, { field: 'id' });
  const acct = (await tx.db
    .selectFrom('customer_accounts as a')
    .innerJoin('accounts as w', 'w.id', 'a.recharge_wallet_id')
    .select((eb) => [
      'a.external_id',
      'a.recharge_wallet_id',
      eb(eb('w.credits_posted', '-', eb.ref('w.debits_posted')), '-', eb.ref('w.debits_pending')).as('free'),
    ])
    .where('a.id', '=', rec.account_id)
    .executeTakeFirst())!;
  const coins = rec.paid_coins + rec.bonus_coins;
  if (acct.free < coins) {
    const groupFree = await freeRechargeCoins(tx, rec.customer_id, 'linked');
    const details = { field: 'id', shortfall: coins - Math.min(acct.free, coins) };
    const creditedCoins = String(coins);
    throw groupFree >= coins
      ? refuse(
          'REFUSED',
          'shortfall_move_back',
          { receiptNo, account: acct.external_id, heldCoins: String(acct.free), creditedCoins, shortCoins: String(coins - acct.free) },
          details,
        )
      : refuse(
          'REFUSED',
          'coin_shortfall',
          { receiptNo, heldCoins: String(groupFree), creditedCoins, shortCoins: String(coins - groupFree) },
          details,
        );
  }
  const key = `reverse:${rec.receipt_no}`;
  const results = await createTransfers(
    tx,
    [
      {
        key: `${key}:coins`,
        ledger: LEDGER.RECHARGE_COIN,
        debitAccountId: acct.recharge_wallet_id,
        creditAccountId: await systemAccount(tx, LEDGER.RECHARGE_COIN, 'coin_issuance'),
        amount: rec.paid_coins,
        code: 'recharge_reversal',
        memo: reason,
        linked: true,
        reversesId: rec.coins_transfer_id,
      },
      ...(rec.bonus_transfer_id !== null
        ? [
            {
              key: `${key}:bonus`,
              ledger: LEDGER.RECHARGE_COIN,
              debitAccountId: acct.recharge_wallet_id,
              creditAccountId: await systemAccount(tx, LEDGER.RECHARGE_COIN, 'bonus_issuance'),
              amount: rec.bonus_coins,
              code: 'recharge_reversal',
              memo: reason,
              linked: true,
              reversesId: rec.bonus_transfer_id,
            },
          ]
        : []),
      {
        key: `${key}:money`,
        ledger: LEDGER.CNY,
        debitAccountId: await cnyAccount(tx, 'customer_prepayments'),
        creditAccountId: await cnyAccount(tx, 'refunds_payable'),
        amount: rec.amount,
        code: 'recharge_reversal',
        memo: reason,
      },
    ],
    { staffId: actor.staffId, now },
  );
  const failed = results.find((x) => x.result !== 'ok' && x.result !== 'linked_event_failed');
  if (failed) throw refuse('LEDGER', 'ledger_refused', { result: failed.result }, { code: failed.result });
  await openRefund(tx, id, rec.amount, now);
  await tx
    .sql('UPDATE recharge_records SET reversed_at = ?, reversed_by = ?, reversal_reason = ? WHERE id = ?')
    .run(now, actor.staffId, reason, id);
  await tx
    .sql("UPDATE recharge_requests SET status = 'reversed', reason = ?, version = version + 1, updated_at = ? WHERE id = ?")
    .run(reason, now, rec.request_id);
  await recordAudit(tx, actor, {
    action: 'recharge.reverse',
    entity: 'recharge_record',
    entityId: id,
    after: { receiptNo: rec.receipt_no, amount: formatYuan(rec.amount), coins, reason },
    at: now,
  });
  return await recordById(tx, id);
}

/** The recharge coins a customer's wallets hold free (posted credits less debits and pending debits): all of them, or the linked ones'. */
export async function freeRechargeCoins(q: Queryable, customerId: number, wallets: 'all' | 'linked'): Promise<number> {
  const held = q.db
    .selectFrom('customer_accounts as a')
    .innerJoin('accounts as w', 'w.id', 'a.recharge_wallet_id')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb.fn.sum<number | null>(eb(eb('w.credits_posted', '-', eb.ref('w.debits_posted')), '-', eb.ref('w.debits_pending'))),
          eb.lit(0),
        )
        .as('free'),
    )
    .where('a.customer_id', '=', customerId);
  return (await (wallets === 'linked' ? held.where('a.linked', '=', literal(1)) : held).executeTakeFirst())!.free;
}
