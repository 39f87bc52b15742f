// Money-out bank lines. Each is booked at import Dr 122101 待清理付款 (suspense) / Cr bank; something must
// explain it and move it out of suspense:
// - a refund it pays (services/refunds.ts: Dr refunds payable / Cr suspense), as before;
// - a classification (a bank fee, a server bill): a clerk proposes a leaf account, another person approves,
//   posting Dr that account / Cr suspense;
// - a chargeback of a credited recharge whose coins were already spent: an approver books the money as a
//   receivable, Dr 122102 退单应收款 / Cr suspense, linked to the record; a voucher later writes it off
//   (Dr 6711 营业外支出 / Cr 122102) or the money comes back.
import { literal, type RowOf } from '../db/query';
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { refuse } from '../domain/refusals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { freeRechargeCoins, recordById } from './approval';
import { postOne } from './ledger-post';
import { EXPLAINED_LINE, MONEY_OUT_LINE_COLUMNS } from './refunds';
import { postReclassify } from './unallocated';
import { cnyAccount } from './system-accounts';
import type { AuditAction } from '../domain/audit-actions';

/** Accounts with a sub-ledger of their own (or a flow of their own): never a classification's target. */
const NOT_CLASSIFIABLE = [
  'unallocated_receipts',
  'customer_prepayments',
  'refunds_payable',
  'suspense',
  'opening_balances',
  'gl:122102',
  'gl:224103',
];

/** The leaf accounts a money-out line may be classified to: expense, revenue, and other asset or liability leaves. */
export async function classifyAccounts(q: Queryable) {
  return await q.db
    .selectFrom('accounts as a')
    .innerJoin('subjects as s', 's.code', 'a.subject_code')
    .select(['s.code', 's.name', 's.name_en as nameEn', 's.type'])
    .where((eb) => eb('a.ledger', '=', eb.lit(LEDGER.CNY)))
    .where('a.owner_kind', 'is', null)
    .where('a.code', 'not in', NOT_CLASSIFIABLE)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('subjects as c').select(eb.lit(1).as('one')).whereRef('c.parent_code', '=', 's.code'))))
    .orderBy((eb) =>
      eb.case('s.type').when(literal('expense')).then(eb.lit(0)).when(literal('revenue')).then(eb.lit(1)).else(eb.lit(2)).end(),
    )
    .orderBy('s.code')
    .execute();
}

async function classifyAccountId(q: Queryable, subjectCode: string): Promise<number> {
  const allowed = (await classifyAccounts(q)).some((s) => s.code === subjectCode);
  const row = await q.db
    .selectFrom('accounts')
    .select('id')
    .where((eb) => eb('ledger', '=', eb.lit(LEDGER.CNY)))
    .where('owner_kind', 'is', null)
    .where('subject_code', '=', subjectCode)
    .executeTakeFirst();
  if (!allowed || !row) throw refuse('REFUSED', 'classify_account_not_allowed', { subject: subjectCode }, { field: 'subjectCode' });
  return row.id;
}

type MoneyOutLine = RowOf<typeof moneyOutLine>;

const moneyOutLine = (q: Queryable, lineId: number) =>
  q.db.selectFrom('bank_lines').select(['id', 'amount', 'reversal', 'netted_with as nettedWith']).where('id', '=', lineId);

/** A money-out line nothing explains yet: not a reversal, not netted, paying no refund, not classified. */
async function openMoneyOutLine(q: Queryable, lineId: number): Promise<MoneyOutLine & { out: number }> {
  const l = await moneyOutLine(q, lineId).executeTakeFirst();
  if (!l) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  const lineIdS = String(lineId);
  if (l.amount > 0) throw refuse('CONFLICT', 'line_not_money_out', { lineId: lineIdS }, { field: 'lineId' });
  if (l.reversal) throw refuse('CONFLICT', 'line_is_reversal', { lineId: lineIdS }, { field: 'lineId' });
  if (l.nettedWith !== null)
    throw refuse('CONFLICT', 'line_netted', { lineId: lineIdS, otherLineId: String(l.nettedWith) }, { field: 'lineId' });
  if (await q.sql('SELECT 1 FROM refunds WHERE bank_line_id = ?').get(lineId))
    throw refuse('CONFLICT', 'line_pays_refund', { lineId: lineIdS }, { field: 'lineId' });
  if (await q.sql(`SELECT 1 FROM bank_lines l WHERE l.id = ? AND ${EXPLAINED_LINE}`).get(lineId))
    throw refuse('CONFLICT', 'line_explained', { lineId: lineIdS }, { field: 'lineId' });
  return { ...l, out: -l.amount };
}

/** A clerk proposes the account that explains a money-out line (e.g. 660301 手续费, 6602 管理费用). */
export async function proposeClassify(
  tx: Tx,
  actor: Actor,
  lineId: number,
  subjectCode: string,
  reason: string,
  now: number,
): Promise<number> {
  const l = await openMoneyOutLine(tx, lineId);
  const accountId = await classifyAccountId(tx, subjectCode);
  const id = Number(
    (
      await tx
        .sql(
          "INSERT INTO bank_line_actions (bank_line_id, kind, amount, account_id, reason, status, proposed_by, proposed_at) VALUES (?, 'classify', ?, ?, ?, 'proposed', ?, ?)",
        )
        .run(l.id, l.out, accountId, reason, actor.staffId, now)
    ).lastInsertRowid,
  );
  await recordAudit(tx, actor, {
    action: 'bank_line.classify_propose',
    entity: 'bank_line',
    entityId: l.id,
    after: { actionId: id, subject: subjectCode, amount: formatYuan(l.out), reason },
    at: now,
  });
  return id;
}

/**
 * Another person (an approver who did not propose it) approves a proposed reclassification or
 * classification — posting it under its voucher — or rejects it (nothing was posted).
 */
export async function decideLineAction(tx: Tx, actor: Actor, actionId: number, approve: boolean, now: number) {
  const a = await tx.db.selectFrom('bank_line_actions').selectAll().where('id', '=', actionId).executeTakeFirst();
  if (!a) throw refuse('NOT_FOUND', 'line_action_not_found', { actionId: String(actionId) }, { field: 'actionId' });
  if (a.status !== 'proposed')
    throw refuse('CONFLICT', 'line_action_not_proposed', { actionId: String(a.id), status: a.status }, { field: 'actionId' });
  if (a.proposed_by === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_line_action', { user: actor.name }, { field: 'actionId' });
  let transferId: number | null = null;
  if (approve && a.kind === 'reclassify') transferId = await postReclassify(tx, actor, a, now);
  if (approve && a.kind === 'classify') {
    const l = (await tx.db.selectFrom('bank_lines').select('amount').where('id', '=', a.bank_line_id).executeTakeFirst())!;
    if (-l.amount !== a.amount || (await tx.sql('SELECT 1 FROM refunds WHERE bank_line_id = ?').get(a.bank_line_id)))
      throw refuse('CONFLICT', 'line_changed', { lineId: String(a.bank_line_id) }, { field: 'actionId' });
    transferId = await postOne(
      tx,
      {
        key: `classify:${a.id}`,
        ledger: LEDGER.CNY,
        debitAccountId: a.account_id,
        creditAccountId: await cnyAccount(tx, 'suspense'),
        amount: a.amount,
        code: 'outflow_classify',
        memo: `bank line ${a.bank_line_id}`,
      },
      { staffId: actor.staffId, now },
    );
  }
  await tx
    .sql('UPDATE bank_line_actions SET status = ?, decided_by = ?, decided_at = ?, ledger_transfer_id = ? WHERE id = ?')
    .run(approve ? 'done' : 'rejected', actor.staffId, now, transferId, a.id);
  await recordAudit(tx, actor, {
    action: `bank_line.${a.kind}_${approve ? 'approve' : 'reject'}` satisfies AuditAction,
    entity: 'bank_line',
    entityId: a.bank_line_id,
    after: { actionId: a.id, amount: formatYuan(a.amount), transferId },
    at: now,
  });
  return { actionId: a.id, status: approve ? ('done' as const) : ('rejected' as const), transferId };
}

/**
 * A chargeback (拒付/退单) of a credited recharge whose coins are already spent: the bank took the money
 * back, and the coins cannot be. An approver books it as a receivable from the customer, Dr 122102
 * 退单应收款 / Cr suspense, linked to the record. While the wallet still holds the coins the recharge is
 * reversed instead (records.reverse) and the line pays the refund that leaves.
 */
export async function bookChargeback(tx: Tx, actor: Actor, lineId: number, recordId: number, reason: string, now: number) {
  const l = await openMoneyOutLine(tx, lineId);
  const rec = await recordById(tx, recordId);
  const receiptNo = rec.receipt_no;
  if (rec.reversed_at !== null) throw refuse('CONFLICT', 'already_reversed', { receiptNo }, { field: 'recordId' });
  if (l.out !== rec.amount)
    throw refuse(
      'REFUSED',
      'chargeback_amount_differs',
      { receiptNo, lineId: String(l.id), lineFen: String(l.out), recordFen: String(rec.amount) },
      { field: 'lineId' },
    );
  if (await tx.sql("SELECT 1 FROM bank_line_actions WHERE record_id = ? AND kind = 'chargeback' AND status = 'done'").get(rec.id))
    throw refuse('CONFLICT', 'chargeback_booked', { receiptNo }, { field: 'recordId' });
  const heldFree = await freeRechargeCoins(tx, rec.customer_id, 'all');
  const coins = rec.paid_coins + rec.bonus_coins;
  if (heldFree >= coins)
    throw refuse(
      'REFUSED',
      'chargeback_coins_held',
      { receiptNo, heldCoins: String(heldFree), creditedCoins: String(coins) },
      { field: 'recordId' },
    );
  const receivable = await cnyAccount(tx, 'gl:122102');
  const transferId = await postOne(
    tx,
    {
      key: `chargeback:${l.id}`,
      ledger: LEDGER.CNY,
      debitAccountId: receivable,
      creditAccountId: await cnyAccount(tx, 'suspense'),
      amount: l.out,
      code: 'chargeback_receivable',
      memo: receiptNo,
    },
    { staffId: actor.staffId, now },
  );
  const id = Number(
    (
      await tx
        .sql(
          "INSERT INTO bank_line_actions (bank_line_id, kind, amount, account_id, record_id, reason, status, proposed_by, proposed_at, decided_by, decided_at, ledger_transfer_id) VALUES (?, 'chargeback', ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?)",
        )
        .run(l.id, l.out, receivable, rec.id, reason, actor.staffId, now, actor.staffId, now, transferId)
    ).lastInsertRowid,
  );
  await recordAudit(tx, actor, {
    action: 'bank_line.chargeback',
    entity: 'recharge_record',
    entityId: rec.id,
    after: { actionId: id, lineId: l.id, receiptNo, amount: formatYuan(l.out), reason, transferId },
    at: now,
  });
  return { actionId: id, transferId };
}

export type MoneyOutState = 'open' | 'proposed' | 'refund' | 'payout' | 'classified' | 'chargeback';

/** Money-out lines with what explains each (newest first); `open` ones are those still in suspense. */
export async function moneyOutLines(q: Queryable, f: { state?: MoneyOutState; limit: number }) {
  const lines = q.db
    .selectFrom('bank_lines as l')
    .innerJoin('bank_accounts as b', 'b.id', 'l.bank_account_id')
    .leftJoin('bank_line_actions as x', (j) =>
      j.onRef('x.bank_line_id', '=', 'l.id').on(sql<boolean>`x.kind IN ('classify', 'chargeback') AND x.status <> 'rejected'`),
    )
    .leftJoin('accounts as a', 'a.id', 'x.account_id')
    .leftJoin('subjects as j', 'j.code', 'a.subject_code')
    .leftJoin('staff as ps', 'ps.id', 'x.proposed_by')
    .leftJoin('recharge_records as rr', 'rr.id', 'x.record_id')
    .leftJoin('refunds as f', 'f.bank_line_id', 'l.id')
    .leftJoin('payouts as po', 'po.bank_line_id', 'l.id')
    .select((eb) => [
      ...MONEY_OUT_LINE_COLUMNS,
      // the last four digits, counted from the start: a negative start is SQLite's alone
      sql<string>`b.bank_name || ' ' || substr(b.account_number, length(b.account_number) - 3)`.as('bankAccount'),
      'x.id as actionId',
      'x.kind as actionKind',
      'x.status as actionStatus',
      'x.reason',
      'j.code as subjectCode',
      'j.name as subjectName',
      'j.name_en as subjectNameEn',
      eb.fn.coalesce('ps.display_name', 'ps.username').as('proposedBy'),
      'x.proposed_by as proposedById',
      'rr.receipt_no as receiptNo',
      'f.id as refundId',
      'po.id as payoutId',
      sql<MoneyOutState>`CASE WHEN f.id IS NOT NULL THEN 'refund' WHEN po.id IS NOT NULL THEN 'payout' WHEN x.kind = 'chargeback' THEN 'chargeback' WHEN x.status = 'done' THEN 'classified'
              WHEN x.status = 'proposed' THEN 'proposed' ELSE 'open' END`.as('state'),
    ])
    .where(sql<boolean>`l.amount < 0 AND l.reversal = 0 AND l.netted_with IS NULL`)
    // the join takes only classifications and chargebacks not rejected
    .$narrowType<{ actionKind: 'classify' | 'chargeback' | null; actionStatus: 'proposed' | 'done' | null }>();
  let query = q.db.selectFrom(lines.as('m')).selectAll();
  if (f.state !== undefined) query = query.where('state', '=', f.state);
  const rows = await query.orderBy('booked', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ ...r, amount: String(r.amount) }));
}
