// 合同负债 递延收入变动表 (issue 12 §3): the month's roll-forward of the contract liability in CNY,
//   opening + received − recognised − refunded − breakage − output VAT at invoicing ± other = closing,
// tied to the books' balance of the subject customer prepayments map to (2204 合同负债) at the month's end.
// The lines come from the sub-ledgers, each dated by its posting's business date: recharge records
// credited (received) and reversed (refunded, their money moved to refunds payable), the month's posted
// revenue run (recognised and breakage: what it released from 合同负债), invoices whose output VAT was
// posted at invoicing. `other` is every other posting to the subject in the month (manual vouchers, …),
// by code. So the difference is what the postings of those kinds disagree with their sub-ledgers by: 0
// when tied. Opening and books' closing are the 科目余额表's (balances.ts), the run's lots value beside
// them is what verify's deferred_revenue tie expects (revenue.ts#unusedValueOf).
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import { literal, selectAllExact, selectFirstExact } from '../db/query';
import { LEDGER } from '../domain/ledgers';
import { firstDay, lastDay, previousMonth } from '../domain/periods';
import { balancesReport, checkMonth } from './balances';
import { taxedAtInvoice } from './invoice-vat';
import { REVENUE_CODES, runState, unusedValueOf } from './revenue';
import { cnyAccount } from './system-accounts';
import { voucherName } from './voucher-numbers';

/** Where the month's revenue run stands: not_run = recharge coins moved in the month and no run is posted yet. */
export type DeferredRunState = 'current' | 'stale' | 'not_run' | 'not_needed';

/** Transfer codes whose postings to 合同负债 the lines explain from their sub-ledgers. */
const EXPLAINED_CODES = ['recharge_credit', 'recharge_reversal', 'invoice_vat', 'invoice_vat_reversal', ...REVENUE_CODES] as const;

export interface DeferredRevenueRollForward {
  month: string;
  from: string;
  to: string;
  /** The subject customer prepayments map to (2204 合同负债, or 2203 预收账款 where the chart maps it there). */
  subject: { code: string; name: string; nameEn: string };
  /** fen, integer strings; balances on the credit side (a liability), negative when on the debit side. */
  opening: string;
  /** Money of recharges credited in the month. */
  received: string;
  /** What the month's run released from 合同负债 less breakage: revenue + output VAT − breakage (0 with no run). */
  recognised: string;
  /** Money of recharges reversed in the month (moved to refunds payable to be paid back). */
  refunded: string;
  /** Breakage the run recognised (tax included); 0 when breakage is off (breakageBp 0) or no run. */
  breakage: string;
  /** Output VAT moved to 应交增值税 when taxable invoices were issued in the month, less red-letter ones. */
  invoiceVat: string;
  /** Every other posting to the subject in the month, credit − debit. */
  other: string;
  otherByCode: { code: string; amount: string }[];
  /** opening + received − recognised − refunded − breakage − invoiceVat + other */
  closing: string;
  /** The books' balance at the month's end (科目余额表, by business date). */
  booksClosing: string;
  /** booksClosing − closing: 0 when tied. */
  difference: string;
  run: {
    state: DeferredRunState;
    id: number | null;
    voucher: string | null;
    breakageBp: number | null;
    /** The lots' value of the coins unused at the month's end less the tax charged at invoicing (verify's deferred_revenue). */
    unusedValue: string | null;
  };
}

const STATE: Record<Awaited<ReturnType<typeof runState>>['state'], DeferredRunState> = {
  current: 'current',
  stale: 'stale',
  missing: 'not_run',
  not_needed: 'not_needed',
};

/** A subject's balance on the credit side from a 科目余额表 line's directed balance. */
const creditSide = (b: { direction: string; amount: string }): bigint => (b.direction === 'debit' ? -BigInt(b.amount) : BigInt(b.amount));

/** Σ r.amount of the recharge records joined to transfers with a business date in [from, to] (0 when none). */
const recordSum = async (
  q: Queryable,
  join: 'r.money_transfer_id' | 'r.coins_transfer_id',
  from: string,
  to: string,
  reversed: boolean,
): Promise<bigint> =>
  (await selectFirstExact(
    q,
    q.db
      .selectFrom('recharge_records as r')
      .innerJoin('transfers as t', join === 'r.money_transfer_id' ? 't.id' : 't.reverses_id', join)
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('r.amount'), eb.lit(0)).as('n'))
      .$if(reversed, (qb) => qb.where('r.reversed_at', 'is not', null))
      .where((eb) => eb.between('t.business_date', from, to)),
  ))!.n;

async function invoiceVatIn(q: Queryable, month: string): Promise<bigint> {
  const taxUpTo = async (day: string) => [...(await taxedAtInvoice(q, undefined, day)).values()].reduce((n, p) => n + p.tax, 0n);
  return (await taxUpTo(lastDay(month))) - (await taxUpTo(lastDay(previousMonth(month))));
}

/** The month's roll-forward of 合同负债 and its tie to the books. */
export async function deferredRevenueRollForward(q: Queryable, month: string): Promise<DeferredRevenueRollForward> {
  checkMonth(month);
  const from = firstDay(month);
  const to = lastDay(month);
  const prepaid = await cnyAccount(q, 'customer_prepayments');
  const code = (await q.db.selectFrom('accounts').select('subject_code as c').where('id', '=', prepaid).executeTakeFirst())!.c ?? '2204';
  const line = (await balancesReport(q, month, { includeEmpty: true })).lines.find((l) => l.code === code);
  const opening = line ? creditSide(line.opening) : 0n;
  const booksClosing = line ? creditSide(line.closing) : 0n;

  const received = await recordSum(q, 'r.money_transfer_id', from, to, false);
  // A reversal posts its money and its coins in one batch: the coins' transfer names the record's.
  const refunded = await recordSum(q, 'r.coins_transfer_id', from, to, true);
  const s = await runState(q, month);
  const released = s.run ? BigInt(s.run.revenue) + BigInt(s.run.tax) : 0n;
  const breakage = s.run ? BigInt(s.run.breakage) : 0n;
  const invoiceVat = await invoiceVatIn(q, month);

  const ids = (
    await q.db
      .selectFrom('accounts')
      .select('id')
      .where('ledger', '=', literal(LEDGER.CNY))
      .where(sql<boolean>`substr(subject_code, 1, ${code.length}) = ${code}`)
      .execute()
  ).map((a) => a.id);
  const list = sql.join(ids.length ? ids : [prepaid]);
  const others = await selectAllExact(
    q,
    q.db
      .selectFrom('transfers')
      .select([
        'code',
        sql<number>`sum(CASE WHEN credit_account_id IN (${list}) THEN amount ELSE 0 END) - sum(CASE WHEN debit_account_id IN (${list}) THEN amount ELSE 0 END)`.as(
          'n',
        ),
      ])
      .where((eb) => eb.between('business_date', from, to))
      .where('ledger', '=', literal(LEDGER.CNY))
      .where('kind', 'in', [literal('single'), literal('post')])
      .where(sql<boolean>`(debit_account_id IN (${list}) OR credit_account_id IN (${list}))`)
      .where('code', 'not in', EXPLAINED_CODES)
      .groupBy('code')
      .orderBy('code'),
  );
  const otherByCode = others.filter((o) => o.n !== 0n).map((o) => ({ code: o.code, amount: String(o.n) }));
  const other = others.reduce((n, o) => n + o.n, 0n);

  const recognised = released - breakage;
  const closing = opening + received - recognised - refunded - breakage - invoiceVat + other;
  const voucher = s.run?.voucher_id
    ? await q.db.selectFrom('vouchers').select(['word', 'period', 'number']).where('id', '=', s.run.voucher_id).executeTakeFirst()
    : undefined;
  return {
    month,
    from,
    to,
    subject: { code, name: line?.name ?? '合同负债', nameEn: line?.nameEn ?? 'Contract liabilities' },
    opening: String(opening),
    received: String(received),
    recognised: String(recognised),
    refunded: String(refunded),
    breakage: String(breakage),
    invoiceVat: String(invoiceVat),
    other: String(other),
    otherByCode,
    closing: String(closing),
    booksClosing: String(booksClosing),
    difference: String(booksClosing - closing),
    run: {
      state: STATE[s.state],
      id: s.run?.id ?? null,
      voucher: voucher ? voucherName(voucher) : null,
      breakageBp: s.run?.breakage_bp ?? null,
      unusedValue: s.run ? String(unusedValueOf(s.run)) : null,
    },
  };
}
