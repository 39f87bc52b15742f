// Payouts of creators' earnings (收益提现). A request (the platform's `earnings.withdrawal_requested`
// event, or counter entry) reserves the coins: a pending transfer out of the earnings wallet, so they can
// neither be spent nor asked for twice; a wallet without the coins free is refused with a code and the
// refusal kept. The request is valued at `earnings.coinValue` in force when it was made (gross, fen).
// An approver who did not enter it approves (four eyes): the coins are posted out, and the gross leaves
// 220201 应付账款—创作者收益 — the 劳务报酬 tax withheld to 222102 应交个人所得税, the net to 224104 应付提现款
// (domain/withholding.ts; a person's payments approved in one month are one 次). Or rejects: the
// reservation is voided and the coins are back in the wallet, nothing in CNY moved. The net stays payable
// until the bank's money-out line (booked Dr 122101 待清理付款 / Cr bank at import) is matched to it:
// Dr 224104 / Cr 122101, as a refund is paid (services/refunds.ts).
//
// Why 224104 under 2241 其他应付款 and not a second sub-account of 2202: once approved, the platform no
// longer owes the creator for a service (a trade payable) but owes a fixed sum of money to a person,
// after tax, waiting for the bank — the same nature as 224102 应付退款, and kept apart from 220201 so that
// 220201 is exactly the earnings not yet withdrawn and 224104 exactly the approved pay not yet paid.
//
// ID numbers are masked in everything this module returns (1101**********1234) except to admins and
// auditors, who file the 扣缴申报.
import type ExcelJS from 'exceljs';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { LIKE_ESCAPE, likeContains } from '../db/like';
import { shanghaiDate } from '../domain/dates';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { monthOf } from '../domain/periods';
import { refusal, refuse, withWhy, type Refusal } from '../domain/refusals';
import { coinValueFen, ID_TYPES, laborTax, maskIdNumber, withholdingFor, type IdType } from '../domain/withholding';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { AccountRow, Provenance } from './customers';
import { createTransfers, expectPosted } from './ledger-post';
import { EXPLAINED_LINE } from './refunds';
import { addWithholdingSheet, writeWithholdingWorkbook } from '../formats/withholding-xlsx';
import { settingAt } from './settings';
import { witnessOf } from './witness';
import { cnyAccount, systemAccount } from './system-accounts';
import { mapInTurn } from './in-turn';

export type PayoutStatus = 'requested' | 'approved' | 'paid' | 'rejected' | 'refused';

/** Admins and auditors see ID numbers whole; everyone else masked. */
export const seesIdNumbers = (role: Actor['role']): boolean => role === 'admin' || role === 'auditor';

export interface PayoutOut {
  id: number;
  requestId: string;
  accountId: number;
  account: string;
  customerName: string;
  payeeName: string;
  idType: IdType;
  idTypeName: string;
  /** Masked (1101**********1234) unless the reader is an admin or auditor. */
  idNumber: string;
  idMasked: boolean;
  bankName: string;
  accountNumber: string;
  coins: string;
  rate: { fen: number; perCoins: number };
  gross: string;
  /** Withheld at approval (fen); for a request, what approving it now would withhold. */
  tax: string | null;
  net: string | null;
  estimated: boolean;
  taxMonth: string | null;
  status: PayoutStatus;
  why: Refusal | null;
  reason: string;
  requestedAt: number;
  businessDate: string;
  enteredBy: string | null;
  enteredById: number | null;
  sourceEvent: string | null;
  decidedBy: string | null;
  decidedById: number | null;
  decidedAt: number | null;
  note: string | null;
  bankLineId: number | null;
  lineBooked: string | null;
  paidBy: string | null;
  paidAt: number | null;
  replayed?: boolean;
}

interface Stored {
  id: number;
  requestId: string;
  accountId: number;
  account: string;
  customerName: string;
  payeeName: string;
  idType: IdType;
  idNumber: string;
  bankName: string;
  accountNumber: string;
  coins: number;
  fen: number;
  perCoins: number;
  gross: number;
  tax: number | null;
  net: number | null;
  taxMonth: string | null;
  status: PayoutStatus;
  reason: string;
  reasonCode: string | null;
  reasonParams: string | null;
  requestedAt: number;
  businessDate: string;
  enteredBy: string | null;
  enteredById: number | null;
  sourceEvent: string | null;
  decidedBy: string | null;
  decidedById: number | null;
  decidedAt: number | null;
  note: string | null;
  bankLineId: number | null;
  lineBooked: string | null;
  paidBy: string | null;
  paidAt: number | null;
  coinTransferId: number | null;
}

const FROM = `FROM payouts p JOIN customer_accounts a ON a.id = p.account_id JOIN customers c ON c.id = a.customer_id
  LEFT JOIN staff e ON e.id = p.entered_by LEFT JOIN staff d ON d.id = p.decided_by LEFT JOIN staff pb ON pb.id = p.paid_by
  LEFT JOIN bank_lines l ON l.id = p.bank_line_id`;
const SELECT = `SELECT p.id, p.request_id AS requestId, p.account_id AS accountId, a.external_id AS account, c.name AS customerName,
  p.payee_name AS payeeName, p.id_type AS idType, p.id_number AS idNumber, p.bank_name AS bankName, p.account_number AS accountNumber,
  p.coins, p.fen, p.per_coins AS perCoins, p.gross, p.tax, p.net, p.tax_month AS taxMonth, p.status, p.reason, p.reason_code AS reasonCode,
  p.reason_params AS reasonParams, p.requested_at AS requestedAt, p.business_date AS businessDate,
  coalesce(e.display_name, e.username) AS enteredBy, p.entered_by AS enteredById, p.source_event AS sourceEvent,
  coalesce(d.display_name, d.username) AS decidedBy, p.decided_by AS decidedById, p.decided_at AS decidedAt, p.decision_note AS note,
  p.bank_line_id AS bankLineId, l.booked AS lineBooked, coalesce(pb.display_name, pb.username) AS paidBy, p.paid_at AS paidAt,
  p.coin_transfer_id AS coinTransferId ${FROM}`;

/** What the person was paid and withheld in a month by approved payouts (for the next payment's tax). */
async function earlierInMonth(
  q: Queryable,
  month: string,
  idType: string,
  idNumber: string,
): Promise<{ incomeFen: number; withheldFen: number }> {
  const r = (await q
    .sql(
      `SELECT coalesce(sum(gross), 0) AS income, coalesce(sum(tax), 0) AS withheld FROM payouts
       WHERE tax_month = ? AND id_type = ? AND id_number = ? AND status IN ('approved', 'paid')`,
    )
    .get(month, idType, idNumber)) as { income: number; withheld: number };
  return { incomeFen: r.income, withheldFen: r.withheld };
}

async function out(q: Queryable, s: Stored, role: Actor['role'], now: number): Promise<PayoutOut> {
  const { fen, perCoins, coinTransferId: _t, ...rest } = s;
  let tax = s.tax;
  let net = s.net;
  let estimated = false;
  if (s.status === 'requested') {
    const est = withholdingFor(s.gross, await earlierInMonth(q, monthOf(shanghaiDate(now)), s.idType, s.idNumber));
    tax = est.tax;
    net = est.net;
    estimated = true;
  }
  const full = seesIdNumbers(role);
  const w = withWhy(rest);
  return {
    ...w,
    idTypeName: ID_TYPES[s.idType] ?? s.idType,
    idNumber: full ? s.idNumber : maskIdNumber(s.idNumber),
    idMasked: !full,
    coins: String(s.coins),
    rate: { fen, perCoins },
    gross: String(s.gross),
    tax: tax === null ? null : String(tax),
    net: net === null ? null : String(net),
    estimated,
  } as PayoutOut;
}

async function stored(q: Queryable, id: number): Promise<Stored> {
  const s = (await q.sql(`${SELECT} WHERE p.id = ?`).get(id)) as Stored | undefined;
  if (!s) throw refuse('NOT_FOUND', 'payout_not_found', { payoutId: String(id) }, { field: 'payoutId' });
  return s;
}

export async function payoutById(q: Queryable, id: number, role: Actor['role'], now: number): Promise<PayoutOut> {
  return await out(q, await stored(q, id), role, now);
}

export interface PayoutFilter {
  status?: PayoutStatus;
  /** The month of the request's business date (YYYY-MM). */
  month?: string;
  /** Payee name, account or request id (part of). */
  text?: string;
  accountId?: number;
  beforeId?: number;
  limit: number;
}

/** Payouts, newest first, with totals over everything the filter selects (not only the page). */
export async function listPayouts(q: Queryable, f: PayoutFilter, role: Actor['role'], now: number) {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const add = (sql: string, ...values: (string | number)[]) => {
    where.push(sql);
    args.push(...values);
  };
  if (f.status) add('p.status = ?', f.status);
  if (f.month) add('substr(p.business_date, 1, 7) = ?', f.month);
  if (f.accountId) add('p.account_id = ?', f.accountId);
  if (f.text) {
    const like = likeContains(f.text);
    add(
      `(p.payee_name LIKE ? ${LIKE_ESCAPE} OR a.external_id LIKE ? ${LIKE_ESCAPE} OR p.request_id LIKE ? ${LIKE_ESCAPE})`,
      like,
      like,
      like,
    );
  }
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const page = (await q
    .sql(`${SELECT} ${cond ? `${cond} AND` : 'WHERE'} (? IS NULL OR p.id < ?) ORDER BY p.id DESC LIMIT ?`)
    .all(...args, f.beforeId ?? null, f.beforeId ?? null, f.limit)) as Stored[];
  const t = (await q
    .sql(
      `SELECT count(*) AS n, coalesce(sum(p.coins), 0) AS coins, coalesce(sum(p.gross), 0) AS gross,
         coalesce(sum(p.tax), 0) AS tax, coalesce(sum(p.net), 0) AS net,
         coalesce(sum(CASE WHEN p.status = 'approved' THEN p.net ELSE 0 END), 0) AS unpaid ${FROM} ${cond}`,
    )
    .safeIntegers(true)
    .get(...args)) as Record<'n' | 'coins' | 'gross' | 'tax' | 'net' | 'unpaid', bigint>;
  return {
    rows: await mapInTurn(page, async (s) => out(q, s, role, now)),
    totals: {
      count: Number(t.n),
      coins: String(t.coins),
      gross: String(t.gross),
      /** Withheld and net of the approved and paid ones. */
      tax: String(t.tax),
      net: String(t.net),
      /** Approved, not yet paid by a bank line. */
      unpaid: String(t.unpaid),
    },
  };
}

export interface PayoutRequest {
  requestId: string;
  account: AccountRow;
  payeeName: string;
  idType: IdType;
  /** Normalised (domain/withholding.ts normaliseIdNumber). */
  idNumber: string;
  bankName: string;
  accountNumber: string;
  coins: number;
}

async function freeCoins(q: Queryable, walletId: number): Promise<number> {
  const w = (await q.sql('SELECT credits_posted - debits_posted - debits_pending AS free FROM accounts WHERE id = ?').get(walletId)) as {
    free: number;
  };
  return w.free;
}

/**
 * A payout request: reserves the coins (or is refused and kept as refused when the wallet lacks them).
 * The same request id again with the same content changes nothing; with other content, CONFLICT.
 */
export async function requestPayout(tx: Tx, actor: Actor, r: PayoutRequest, p: Provenance): Promise<PayoutOut> {
  const existing = (await tx.sql(`${SELECT} WHERE p.request_id = ?`).get(r.requestId)) as Stored | undefined;
  if (existing) {
    const same =
      existing.accountId === r.account.id &&
      existing.coins === r.coins &&
      existing.payeeName === r.payeeName &&
      existing.idType === r.idType &&
      existing.idNumber === r.idNumber &&
      existing.bankName === r.bankName &&
      existing.accountNumber === r.accountNumber;
    if (!same) throw refuse('CONFLICT', 'payout_other_content', { requestId: r.requestId }, { field: 'requestId' });
    return { ...(await out(tx, existing, actor.role, p.at)), replayed: true };
  }
  const rate = await settingAt(tx, 'earnings.coinValue', p.at);
  const gross = coinValueFen(r.coins, rate);
  const free = await freeCoins(tx, r.account.earnings_wallet_id);
  let why: Refusal | null = null;
  let transferId: number | null = null;
  let date = shanghaiDate(p.at);
  const short = () =>
    refusal('payout_wallet_short', { account: r.account.external_id, heldCoins: String(Math.max(0, free)), askedCoins: String(r.coins) });
  if (free < r.coins) {
    why = short();
  } else {
    const [res] = await createTransfers(
      tx,
      [
        {
          key: `payout:${r.requestId}`,
          kind: 'pending',
          ledger: LEDGER.EARNINGS_COIN,
          debitAccountId: r.account.earnings_wallet_id,
          creditAccountId: await systemAccount(tx, LEDGER.EARNINGS_COIN, 'earnings_withdrawn'),
          amount: r.coins,
          code: 'payout',
          memo: r.requestId,
        },
      ],
      { staffId: actor.staffId, now: p.at, lateToFirstOpenDay: !!p.eventId },
    );
    if (res!.result === 'period_closed') throw refuse('REFUSED', 'period_closed', { month: res!.month ?? '' }, { field: 'requestId' });
    if (res!.result === 'exceeds_credits') why = short();
    else if (res!.result !== 'ok') why = refusal('ledger_refused', { result: res!.result });
    else {
      transferId = res!.id!;
      date = ((await tx.sql('SELECT business_date AS d FROM transfers WHERE id = ?').get(transferId)) as { d: string }).d;
    }
  }
  const status: PayoutStatus = why ? 'refused' : 'requested';
  const id = Number(
    (
      await tx
        .sql(
          `INSERT INTO payouts (request_id, account_id, payee_name, id_type, id_number, bank_name, account_number, coins, fen, per_coins, gross,
           status, reason, reason_code, reason_params, requested_at, business_date, entered_by, source_event, coin_transfer_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.requestId,
          r.account.id,
          r.payeeName,
          r.idType,
          r.idNumber,
          r.bankName,
          r.accountNumber,
          r.coins,
          rate.fen,
          rate.perCoins,
          gross,
          status,
          why?.message ?? '',
          why?.code ?? null,
          why ? JSON.stringify(why.params) : null,
          p.at,
          date,
          p.eventId ? null : actor.staffId,
          p.eventId ?? null,
          transferId,
        )
    ).lastInsertRowid,
  );
  // The audit row names the person by masked ID number: the log is read by every role.
  await recordAudit(
    tx,
    actor,
    {
      action: status === 'refused' ? 'payout.refused' : 'payout.request',
      entity: 'payout',
      entityId: id,
      after: {
        requestId: r.requestId,
        account: r.account.external_id,
        payee: r.payeeName,
        idType: r.idType,
        idNumber: maskIdNumber(r.idNumber),
        coins: r.coins,
        gross: formatYuan(gross),
        status,
        reason: why?.code ?? null,
        eventId: p.eventId ?? null,
      },
    },
    p.at,
  );
  return await payoutById(tx, id, actor.role, p.at);
}

/**
 * An approver who did not enter the request approves it (coins out, tax withheld, net payable) or rejects
 * it (the coins are back in the wallet). Approval is dated the day it is done; its month is the 次 the
 * withholding combines payments in.
 */
export async function decidePayout(tx: Tx, actor: Actor, id: number, approve: boolean, note: string, now: number): Promise<PayoutOut> {
  const s = await stored(tx, id);
  const payoutId = String(id);
  if (s.status !== 'requested') throw refuse('CONFLICT', 'payout_not_requested', { payoutId, status: s.status }, { field: 'payoutId' });
  if (s.enteredById !== null && s.enteredById === actor.staffId)
    throw refuse('FORBIDDEN', 'four_eyes_payout', { payoutId, user: actor.name }, { field: 'payoutId' });
  const date = shanghaiDate(now);
  const coin = {
    key: `payout:${s.requestId}:${approve ? 'post' : 'void'}`,
    kind: approve ? ('post' as const) : ('void' as const),
    pendingId: s.coinTransferId!,
    code: 'payout',
  };
  if (!approve) {
    expectPosted(await createTransfers(tx, [coin], { staffId: actor.staffId, now }));
    await tx
      .sql("UPDATE payouts SET status = 'rejected', decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?")
      .run(actor.staffId, now, note, id);
    await recordAudit(
      tx,
      actor,
      { action: 'payout.reject', entity: 'payout', entityId: id, before: { status: s.status }, after: { status: 'rejected', note } },
      now,
    );
    return await payoutById(tx, id, actor.role, now);
  }
  const month = monthOf(date);
  const { tax, net } = withholdingFor(s.gross, await earlierInMonth(tx, month, s.idType, s.idNumber));
  const payable = await cnyAccount(tx, 'earnings_payable');
  const cny = [
    ...(tax > 0
      ? [
          {
            key: `payout:${s.requestId}:tax`,
            ledger: LEDGER.CNY,
            debitAccountId: payable,
            creditAccountId: await cnyAccount(tx, 'gl:222102'),
            amount: tax,
            code: 'payout_tax',
            memo: s.requestId,
          },
        ]
      : []),
    ...(net > 0
      ? [
          {
            key: `payout:${s.requestId}:net`,
            ledger: LEDGER.CNY,
            debitAccountId: payable,
            creditAccountId: await cnyAccount(tx, 'payouts_payable'),
            amount: net,
            code: 'payout_net',
            memo: s.requestId,
          },
        ]
      : []),
  ];
  const ids = expectPosted(await createTransfers(tx, [coin, ...cny], { staffId: actor.staffId, now, date }));
  const taxId = tax > 0 ? ids[1]! : null;
  const netId = net > 0 ? ids[tax > 0 ? 2 : 1]! : null;
  await tx
    .sql(
      `UPDATE payouts SET status = 'approved', decided_by = ?, decided_at = ?, decision_note = ?, tax_month = ?, tax = ?, net = ?,
       tax_transfer_id = ?, net_transfer_id = ? WHERE id = ?`,
    )
    .run(actor.staffId, now, note, month, tax, net, taxId, netId, id);
  await recordAudit(
    tx,
    actor,
    {
      action: 'payout.approve',
      entity: 'payout',
      entityId: id,
      before: { status: s.status },
      after: { status: 'approved', month, gross: formatYuan(s.gross), tax: formatYuan(tax), net: formatYuan(net), note },
    },
    now,
  );
  return await payoutById(tx, id, actor.role, now);
}

/** Money-out lines of exactly the payout's net pay that nothing explains yet. */
export async function payoutCandidates(q: Queryable, payoutId: number) {
  const s = await stored(q, payoutId);
  if (s.net === null || s.net === 0) return [];
  return (
    (await q
      .sql(
        `SELECT l.id, l.booked, -l.amount AS amount, l.counterparty_name AS counterpartyName, l.counterparty_account AS counterpartyAccount, l.memo
         FROM bank_lines l WHERE l.bank_account_id IN (SELECT id FROM bank_accounts) AND l.amount = ? AND l.reversal = 0 AND l.netted_with IS NULL
           AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.bank_line_id = l.id) AND NOT ${EXPLAINED_LINE}
         ORDER BY l.booked DESC, l.id DESC LIMIT 50`,
      )
      .all(-s.net)) as {
      id: number;
      booked: string;
      amount: number;
      counterpartyName: string | null;
      counterpartyAccount: string | null;
      memo: string | null;
    }[]
  ).map((l) => ({ ...l, amount: String(l.amount) }));
}

/** Staff match the bank's money-out line to an approved payout: its net pay is paid. */
export async function matchPayout(tx: Tx, actor: Actor, payoutId: number, lineId: number, now: number): Promise<PayoutOut> {
  const s = await stored(tx, payoutId);
  const pid = String(payoutId);
  if (s.status !== 'approved') throw refuse('CONFLICT', 'payout_not_payable', { payoutId: pid, status: s.status }, { field: 'payoutId' });
  const line = (await tx.sql('SELECT amount, reversal, netted_with AS nettedWith FROM bank_lines WHERE id = ?').get(lineId)) as
    { amount: number; reversal: number; nettedWith: number | null } | undefined;
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  const lid = String(lineId);
  if (line.amount > 0) throw refuse('CONFLICT', 'line_not_money_out', { lineId: lid }, { field: 'lineId' });
  if (line.reversal) throw refuse('CONFLICT', 'line_is_reversal', { lineId: lid }, { field: 'lineId' });
  if (line.nettedWith !== null)
    throw refuse('CONFLICT', 'line_netted', { lineId: lid, otherLineId: String(line.nettedWith) }, { field: 'lineId' });
  const other = (await tx.sql('SELECT id FROM payouts WHERE bank_line_id = ?').get(lineId)) as { id: number } | undefined;
  if (other) throw refuse('CONFLICT', 'line_pays_payout', { lineId: lid, payoutId: String(other.id) }, { field: 'lineId' });
  if (await tx.sql('SELECT 1 FROM refunds WHERE bank_line_id = ?').get(lineId))
    throw refuse('CONFLICT', 'line_pays_refund', { lineId: lid }, { field: 'lineId' });
  if (await tx.sql(`SELECT 1 FROM bank_lines l WHERE l.id = ? AND ${EXPLAINED_LINE}`).get(lineId))
    throw refuse('CONFLICT', 'line_explained', { lineId: lid }, { field: 'lineId' });
  if (-line.amount !== s.net)
    throw refuse(
      'REFUSED',
      'payout_amount_differs',
      { payoutId: pid, lineId: lid, lineFen: String(-line.amount), netFen: String(s.net) },
      { field: 'lineId' },
    );
  const [transferId] = expectPosted(
    await createTransfers(
      tx,
      [
        {
          key: `payout:${s.requestId}:paid`,
          ledger: LEDGER.CNY,
          debitAccountId: await cnyAccount(tx, 'payouts_payable'),
          creditAccountId: await cnyAccount(tx, 'suspense'),
          amount: s.net!,
          code: 'payout_paid',
          memo: s.requestId,
        },
      ],
      { staffId: actor.staffId, now },
    ),
  ) as [number];
  await tx
    .sql("UPDATE payouts SET status = 'paid', bank_line_id = ?, paid_by = ?, paid_at = ?, paid_transfer_id = ? WHERE id = ?")
    .run(lineId, actor.staffId, now, transferId, payoutId);
  await recordAudit(
    tx,
    actor,
    { action: 'payout.match', entity: 'payout', entityId: payoutId, after: { lineId, net: formatYuan(s.net!), transferId } },
    now,
  );
  return await payoutById(tx, payoutId, actor.role, now);
}

export interface WithholdingRow {
  /** 序号 */
  no: number;
  name: string;
  idType: IdType;
  idTypeName: string;
  idNumber: string;
  /** 收入额 (fen) */
  income: string;
  /** 费用: the deduction (fen) */
  deduction: string;
  /** 应纳税所得额 (fen) */
  taxable: string;
  ratePercent: number;
  quickDeduction: string;
  /** 已扣缴税额: what the payouts withheld (fen); equals the tax on the month's income. */
  withheld: string;
  payments: number;
}

/**
 * The month's 扣缴申报 (劳务报酬): one row per person (ID type and number) over the payouts approved in the
 * month, in the order each person was first paid. ID numbers whole for admins and auditors, masked else.
 */
export async function withholdingRows(q: Queryable, month: string, role: Actor['role'] = 'auditor') {
  const rows = (await q
    .sql(
      `SELECT id_type AS idType, id_number AS idNumber, sum(gross) AS income, sum(tax) AS withheld, count(*) AS payments,
         (SELECT p2.payee_name FROM payouts p2 WHERE p2.tax_month = p.tax_month AND p2.id_type = p.id_type AND p2.id_number = p.id_number
            AND p2.status IN ('approved', 'paid') ORDER BY p2.id DESC LIMIT 1) AS name
       FROM payouts p WHERE tax_month = ? AND status IN ('approved', 'paid') GROUP BY id_type, id_number ORDER BY min(id)`,
    )
    .all(month)) as { idType: IdType; idNumber: string; income: number; withheld: number; payments: number; name: string }[];
  const full = seesIdNumbers(role);
  let income = 0n;
  let deduction = 0n;
  let taxable = 0n;
  let withheld = 0n;
  let payments = 0;
  const out: WithholdingRow[] = rows.map((r, i) => {
    const t = laborTax(r.income);
    income += BigInt(r.income);
    deduction += BigInt(t.deduction);
    taxable += BigInt(t.taxable);
    withheld += BigInt(r.withheld);
    payments += r.payments;
    return {
      no: i + 1,
      name: r.name,
      idType: r.idType,
      idTypeName: ID_TYPES[r.idType] ?? r.idType,
      idNumber: full ? r.idNumber : maskIdNumber(r.idNumber),
      income: String(r.income),
      deduction: String(t.deduction),
      taxable: String(t.taxable),
      ratePercent: t.ratePercent,
      quickDeduction: String(t.quickDeduction),
      withheld: String(r.withheld),
      payments: r.payments,
    };
  });
  return {
    month,
    idMasked: !full,
    rows: out,
    totals: {
      persons: out.length,
      income: String(income),
      deduction: String(deduction),
      taxable: String(taxable),
      withheld: String(withheld),
      payments,
    },
  };
}
export type WithholdingData = Awaited<ReturnType<typeof withholdingRows>>;

/** For the month-end pack: adds the month's 扣缴申报 sheet to a workbook (ID numbers whole only for the roles that see them). */
export async function addWithholdingSheetFor(
  wb: ExcelJS.Workbook,
  q: Queryable,
  month: string,
  role: Actor['role'],
): Promise<ExcelJS.Worksheet> {
  return addWithholdingSheet(wb, await withholdingRows(q, month, role));
}

/** The month's 扣缴申报 workbook, witnessed. The bureau needs ID numbers whole: only admins and auditors export it. */
export async function exportWithholding(q: Queryable, target: string, month: string) {
  return writeWithholdingWorkbook(target, await withholdingRows(q, month, 'auditor'), witnessOf(q));
}
