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
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { likeContains, likeSql } from '../db/like';
import { execute, literal, selectFirstExact, type RowOf } from '../db/query';
import { shanghaiDate } from '../domain/dates';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { monthOf } from '../domain/periods';
import { refusal, refuse, withWhy, type Refusal } from '../domain/refusals';
import { coinValueFen, ID_TYPES, laborTax, maskIdNumber, withholdingFor, type IdType } from '../domain/withholding';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import type { AccountRow, Provenance } from './customers';
import { createTransfers, expectPosted, postOne } from './ledger-post';
import { EXPLAINED_LINE, moneyOutCandidates, moneyOutLine } from './refunds';
import { addWithholdingSheet, writeWithholdingWorkbook, type WithholdingSheetRow } from '../formats/withholding-xlsx';
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

/** A payout with its account, customer, the staff who entered, decided and paid it, and the bank line that paid it. */
const payoutsJoined = (q: Queryable) =>
  q.db
    .selectFrom('payouts as p')
    .innerJoin('customer_accounts as a', 'a.id', 'p.account_id')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .leftJoin('staff as e', 'e.id', 'p.entered_by')
    .leftJoin('staff as d', 'd.id', 'p.decided_by')
    .leftJoin('staff as pb', 'pb.id', 'p.paid_by')
    .leftJoin('bank_lines as l', 'l.id', 'p.bank_line_id');

const withStoredColumns = (joined: ReturnType<typeof payoutsJoined>) =>
  joined
    .select((eb) => [
      'p.id',
      'p.request_id as requestId',
      'p.account_id as accountId',
      'a.external_id as account',
      'c.name as customerName',
      'p.payee_name as payeeName',
      'p.id_type as idType',
      'p.id_number as idNumber',
      'p.bank_name as bankName',
      'p.account_number as accountNumber',
      'p.coins',
      'p.fen',
      'p.per_coins as perCoins',
      'p.gross',
      'p.tax',
      'p.net',
      'p.tax_month as taxMonth',
      'p.status',
      'p.reason',
      'p.reason_code as reasonCode',
      'p.reason_params as reasonParams',
      'p.requested_at as requestedAt',
      'p.business_date as businessDate',
      eb.fn.coalesce('e.display_name', 'e.username').as('enteredBy'),
      'p.entered_by as enteredById',
      'p.source_event as sourceEvent',
      eb.fn.coalesce('d.display_name', 'd.username').as('decidedBy'),
      'p.decided_by as decidedById',
      'p.decided_at as decidedAt',
      'p.decision_note as note',
      'p.bank_line_id as bankLineId',
      'l.booked as lineBooked',
      eb.fn.coalesce('pb.display_name', 'pb.username').as('paidBy'),
      'p.paid_at as paidAt',
      'p.coin_transfer_id as coinTransferId',
    ])
    // id_type is TEXT in the schema; requestPayout writes only the IdType codes.
    .$narrowType<{ idType: IdType }>();
const storedPayouts = (q: Queryable) => withStoredColumns(payoutsJoined(q));
type Stored = RowOf<typeof storedPayouts>;

/** What the person was paid and withheld in a month by approved payouts (for the next payment's tax). */
async function earlierInMonth(
  q: Queryable,
  month: string,
  idType: string,
  idNumber: string,
): Promise<{ incomeFen: number; withheldFen: number }> {
  const r = (await q.db
    .selectFrom('payouts')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number | null>('gross'), eb.lit(0)).as('income'),
      eb.fn.coalesce(eb.fn.sum<number | null>('tax'), eb.lit(0)).as('withheld'),
    ])
    .where('tax_month', '=', month)
    .where('id_type', '=', idType)
    .where('id_number', '=', idNumber)
    .where('status', 'in', [literal('approved'), literal('paid')])
    .executeTakeFirst())!;
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
  const s = await storedPayouts(q).where('p.id', '=', id).executeTakeFirst();
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
  let filtered = payoutsJoined(q);
  if (f.status) filtered = filtered.where('p.status', '=', f.status);
  if (f.month) filtered = filtered.where(sql<boolean>`substr(p.business_date, 1, 7) = ${f.month}`);
  if (f.accountId) filtered = filtered.where('p.account_id', '=', f.accountId);
  if (f.text) {
    const like = likeContains(f.text);
    filtered = filtered.where((eb) =>
      eb.or([likeSql(q, 'p.payee_name', like), likeSql(q, 'a.external_id', like), likeSql(q, 'p.request_id', like)]),
    );
  }
  const page = await withStoredColumns(filtered)
    .$if(f.beforeId !== undefined, (w) => w.where('p.id', '<', f.beforeId!))
    .orderBy('p.id', 'desc')
    .limit(f.limit)
    .execute();
  const t = (await selectFirstExact(
    q,
    filtered.select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.coalesce(eb.fn.sum<number | null>('p.coins'), eb.lit(0)).as('coins'),
      eb.fn.coalesce(eb.fn.sum<number | null>('p.gross'), eb.lit(0)).as('gross'),
      eb.fn.coalesce(eb.fn.sum<number | null>('p.tax'), eb.lit(0)).as('tax'),
      eb.fn.coalesce(eb.fn.sum<number | null>('p.net'), eb.lit(0)).as('net'),
      eb.fn.coalesce(sql<number | null>`sum(CASE WHEN p.status = 'approved' THEN p.net ELSE 0 END)`, eb.lit(0)).as('unpaid'),
    ]),
  ))!;
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
  const w = (await q.db
    .selectFrom('accounts')
    .select(sql<number>`credits_posted - debits_posted - debits_pending`.as('free'))
    .where('id', '=', walletId)
    .executeTakeFirst())!;
  return w.free;
}

/**
 * A payout request: reserves the coins (or is refused and kept as refused when the wallet lacks them).
 * The same request id again with the same content changes nothing; with other content, CONFLICT.
 */
export async function requestPayout(tx: Tx, actor: Actor, r: PayoutRequest, p: Provenance): Promise<PayoutOut> {
  const existing = await storedPayouts(tx).where('p.request_id', '=', r.requestId).executeTakeFirst();
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
      date = (await tx.db.selectFrom('transfers').select('business_date as d').where('id', '=', transferId).executeTakeFirst())!.d;
    }
  }
  const status: PayoutStatus = why ? 'refused' : 'requested';
  const id = Number(
    (
      await execute(
        tx,
        tx.db.insertInto('payouts').values({
          request_id: r.requestId,
          account_id: r.account.id,
          payee_name: r.payeeName,
          id_type: r.idType,
          id_number: r.idNumber,
          bank_name: r.bankName,
          account_number: r.accountNumber,
          coins: r.coins,
          fen: rate.fen,
          per_coins: rate.perCoins,
          gross,
          status,
          reason: why?.message ?? '',
          reason_code: why?.code ?? null,
          reason_params: why ? JSON.stringify(why.params) : null,
          requested_at: p.at,
          business_date: date,
          entered_by: p.eventId ? null : actor.staffId,
          source_event: p.eventId ?? null,
          coin_transfer_id: transferId,
        }),
      )
    ).lastInsertRowid,
  );
  // The audit row names the person by masked ID number: the log is read by every role.
  await recordAudit(tx, actor, {
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
    at: p.at,
  });
  return await payoutById(tx, id, actor.role, p.at);
}

/** What an approval withholds and posts, stamped on the payout beside the decision. */
interface WithheldFigures {
  tax_month: string;
  tax: number;
  net: number;
  tax_transfer_id: number | null;
  net_transfer_id: number | null;
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
  /** The decision stamped on the payout (with an approval's withholding figures) and recorded in the audit chain. */
  const decided = async (status: 'approved' | 'rejected', figures?: WithheldFigures, after?: Record<string, string>) => {
    await execute(
      tx,
      tx.db
        .updateTable('payouts')
        .set({ status: literal(status), decided_by: actor.staffId, decided_at: now, decision_note: note, ...figures })
        .where('id', '=', id),
    );
    await recordAudit(tx, actor, {
      action: status === 'approved' ? 'payout.approve' : 'payout.reject',
      entity: 'payout',
      entityId: id,
      before: { status: s.status },
      after: { status, ...after, note },
      at: now,
    });
    return await payoutById(tx, id, actor.role, now);
  };
  if (!approve) {
    expectPosted(await createTransfers(tx, [coin], { staffId: actor.staffId, now }));
    return await decided('rejected');
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
  return await decided(
    'approved',
    { tax_month: month, tax, net, tax_transfer_id: taxId, net_transfer_id: netId },
    { month, gross: formatYuan(s.gross), tax: formatYuan(tax), net: formatYuan(net) },
  );
}

/** Money-out lines of exactly the payout's net pay that nothing explains yet. */
export async function payoutCandidates(q: Queryable, payoutId: number) {
  const s = await stored(q, payoutId);
  if (s.net === null || s.net === 0) return [];
  return moneyOutCandidates(q, s.net);
}

/** Staff match the bank's money-out line to an approved payout: its net pay is paid. */
export async function matchPayout(tx: Tx, actor: Actor, payoutId: number, lineId: number, now: number): Promise<PayoutOut> {
  const s = await stored(tx, payoutId);
  const pid = String(payoutId);
  if (s.status !== 'approved') throw refuse('CONFLICT', 'payout_not_payable', { payoutId: pid, status: s.status }, { field: 'payoutId' });
  const line = await moneyOutLine(tx, lineId);
  const lid = String(lineId);
  const other = await tx.db.selectFrom('payouts').select('id').where('bank_line_id', '=', lineId).executeTakeFirst();
  if (other) throw refuse('CONFLICT', 'line_pays_payout', { lineId: lid, payoutId: String(other.id) }, { field: 'lineId' });
  if (
    await tx.db
      .selectFrom('refunds')
      .select((eb) => eb.lit(1).as('one'))
      .where('bank_line_id', '=', lineId)
      .executeTakeFirst()
  )
    throw refuse('CONFLICT', 'line_pays_refund', { lineId: lid }, { field: 'lineId' });
  if (
    await tx.db
      .selectFrom('bank_lines as l')
      .select((eb) => eb.lit(1).as('one'))
      .where('l.id', '=', lineId)
      .where(sql<boolean>`${sql.raw(EXPLAINED_LINE)}`)
      .executeTakeFirst()
  )
    throw refuse('CONFLICT', 'line_explained', { lineId: lid }, { field: 'lineId' });
  if (-line.amount !== s.net)
    throw refuse(
      'REFUSED',
      'payout_amount_differs',
      { payoutId: pid, lineId: lid, lineFen: String(-line.amount), netFen: String(s.net) },
      { field: 'lineId' },
    );
  const transferId = await postOne(
    tx,
    {
      key: `payout:${s.requestId}:paid`,
      ledger: LEDGER.CNY,
      debitAccountId: await cnyAccount(tx, 'payouts_payable'),
      creditAccountId: await cnyAccount(tx, 'suspense'),
      amount: s.net!,
      code: 'payout_paid',
      memo: s.requestId,
    },
    { staffId: actor.staffId, now },
  );
  await execute(
    tx,
    tx.db
      .updateTable('payouts')
      .set({ status: literal('paid'), bank_line_id: lineId, paid_by: actor.staffId, paid_at: now, paid_transfer_id: transferId })
      .where('id', '=', payoutId),
  );
  await recordAudit(tx, actor, {
    action: 'payout.match',
    entity: 'payout',
    entityId: payoutId,
    after: { lineId, net: formatYuan(s.net!), transferId },
    at: now,
  });
  return await payoutById(tx, payoutId, actor.role, now);
}

/** A creator's line of the month's 扣缴申报, as the sheet shows it, with the kind of ID behind the name. */
export interface WithholdingRow extends WithholdingSheetRow {
  idType: IdType;
}

/**
 * The month's 扣缴申报 (劳务报酬): one row per person (ID type and number) over the payouts approved in the
 * month, in the order each person was first paid. ID numbers whole for admins and auditors, masked else.
 */
export async function withholdingRows(q: Queryable, month: string, role: Actor['role'] = 'auditor') {
  const rows = await q.db
    .selectFrom('payouts as p')
    .select((eb) => [
      'p.id_type as idType',
      'p.id_number as idNumber',
      eb.fn.sum<number>('p.gross').as('income'),
      eb.fn.sum<number>('p.tax').as('withheld'),
      eb.fn.countAll<number>().as('payments'),
      eb
        .selectFrom('payouts as p2')
        .select('p2.payee_name')
        .where('p2.tax_month', '=', month) // the month's, which every row of the group has (PostgreSQL refuses the ungrouped p.tax_month)
        .whereRef('p2.id_type', '=', 'p.id_type')
        .whereRef('p2.id_number', '=', 'p.id_number')
        .where('p2.status', 'in', [literal('approved'), literal('paid')])
        .orderBy('p2.id', 'desc')
        .limit(1)
        .as('name'),
    ])
    .where('p.tax_month', '=', month)
    .where('p.status', 'in', [literal('approved'), literal('paid')])
    .groupBy(['p.id_type', 'p.id_number'])
    .orderBy((eb) => eb.fn.min('p.id'))
    // id_type is TEXT in the schema; requestPayout writes only the IdType codes. A group has a payee name.
    .$narrowType<{ idType: IdType; name: string }>()
    .execute();
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
  return writeWithholdingWorkbook(target, await withholdingRows(q, month, 'auditor'), await witnessOf(q));
}
