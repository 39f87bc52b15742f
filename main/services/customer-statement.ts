// 客户对账单: one customer's recharge coins and money over a period, across all their accounts — opening and
// closing coins with the CNY value they carry, what was recharged (money, paid and bonus coins), spent,
// moved among their accounts, reversed and refunded, invoiced, and what is still invoiceable — with the
// lines behind it (date, documents, 摘要, coins in and out, money, running coin balance).
//
// The CNY value of coins is the value their recharge lots carry (services/revenue.ts replayCustomerLots):
// money ÷ (paid + bonus coins) per recharge, drawn FIFO or weighted by the revenue method — the value the
// revenue run keeps per customer (revenue_run_lines.closing_value). We replay the lots rather than read the
// run's lines because a run exists only for a month end and only once posted (and may be stale); the
// replay gives any day's value, and at a month end the run's own figure.
//
// Invoiceable is money received and not yet invoiced, as of a day: recharge records credited (their
// amount, what invoices may consume: services/invoice-requests.ts) less those reversed, less blue invoices'
// sources plus red-letter ones. Checked requests' reservations are not deducted (they are not invoices).
// Earnings coins are not in the statement: they are the creators' and have their own payouts.
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect, literal, type RowOf } from '../db/query';
import { lastDay } from '../domain/periods';
import { customerById } from './customers';
import { replayCustomerLots } from './revenue';
import { voucherName } from './voucher-numbers';

export interface StatementPeriod {
  from: string;
  to: string;
}

export type StatementLineKind = 'recharge' | 'reversal' | 'spend' | 'transfer' | 'other' | 'invoice' | 'redInvoice' | 'refundPaid';

/** One line: amounts as integer strings (coins; fen), '0' where nothing moved. */
export interface StatementLine {
  date: string;
  /** When it was entered (ms): the order within a day. */
  at: number;
  kind: StatementLineKind;
  /** The account (external id) it concerns; a transfer's sending account. */
  account: string | null;
  /** A transfer's receiving account. */
  toAccount: string | null;
  /** Receipt no., invoice serial or the platform's request id. */
  document: string | null;
  /** An invoice's 发票号码 once the tax platform gave it. */
  taxNumber: string | null;
  voucher: string | null;
  coinsIn: string;
  coinsOut: string;
  /** Coins of all the customer's recharge wallets after the line. */
  balance: string;
  /** Money received for coins (+) or owed back on a reversal (−), fen. */
  money: string;
  /** Invoiced (+ blue, − red), fen. */
  invoiced: string;
  detail: {
    paidCoins?: string;
    bonusCoins?: string;
    invoiceType?: 'ordinary' | 'special';
    /** A red-letter invoice's original serial. */
    original?: string;
    /** A refund paid: its amount and the bank line's serial. */
    refund?: string;
    bankRef?: string | null;
    /** Another posting: reverses an earlier transfer. */
    reverses?: boolean;
  };
}

export interface StatementFigures {
  opening: { coins: string; value: string };
  recharged: { count: number; money: string; coins: string };
  bonusCoins: string;
  spent: { coins: string; value: string };
  transferred: { in: string; out: string };
  reversed: { count: number; coins: string; money: string; value: string };
  refundPaid: string;
  /** Postings of other kinds (a reversed spend, …) and value the lots moved otherwise; the rolls close with them. */
  other: { coins: string; value: string };
  invoiced: { blue: string; red: string; net: string };
  invoiceable: { opening: string; closing: string };
  closing: { coins: string; value: string };
}

export interface CustomerStatement {
  customer: {
    id: number;
    name: string;
    externalId: string | null;
    kind: 'person' | 'company';
    realName: string | null;
    idNumber: string | null;
  };
  accounts: { id: number; externalId: string; name: string; linked: boolean }[];
  from: string;
  to: string;
  figures: StatementFigures;
  lines: StatementLine[];
  lineCount: number;
  offset: number;
}

/** A month or a from–to pair as the period. */
export function statementPeriod(p: { month?: string; from?: string; to?: string }): StatementPeriod {
  if (p.month) return { from: `${p.month}-01`, to: lastDay(p.month) };
  return { from: p.from!, to: p.to! };
}

/** The day before a date ('YYYY-MM-DD'). */
function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const recordsQuery = (q: Queryable, customerId: number) =>
  q.db
    .selectFrom('recharge_records as rr')
    .innerJoin('customer_accounts as a', 'a.id', 'rr.account_id')
    .innerJoin('transfers as ct', 'ct.id', 'rr.coins_transfer_id')
    .select((eb) => [
      'rr.id',
      'rr.receipt_no as receiptNo',
      'rr.amount',
      'rr.paid_coins as paid',
      'rr.bonus_coins as bonus',
      'rr.coins_transfer_id as coinsTransfer',
      'rr.bonus_transfer_id as bonusTransfer',
      'rr.money_transfer_id as moneyTransfer',
      'a.external_id as account',
      'ct.business_date as creditDate',
      eb.selectFrom('transfers as r').select('r.business_date').whereRef('r.reverses_id', '=', 'rr.coins_transfer_id').as('reversalDate'),
      eb
        .selectFrom('transfers as m')
        .select('m.id')
        .where('m.key', '=', sql<string>`'reverse:' || rr.receipt_no || ':money'`)
        .as('reversalMoneyTransfer'),
    ])
    .where('rr.customer_id', '=', customerId)
    .orderBy('rr.id');
type RecordRow = RowOf<typeof recordsQuery>;

const recordsOf = (q: Queryable, customerId: number): Promise<RecordRow[]> => recordsQuery(q, customerId).execute();

const invoicesQuery = (q: Queryable, customerId: number) =>
  q.db
    .selectFrom('invoices as i')
    .leftJoin('invoices as o', 'o.id', 'i.original_id')
    .select((eb) => [
      'i.id',
      'i.serial',
      'i.kind',
      'i.invoice_type as type',
      'i.gross',
      'i.tax_number as taxNumber',
      'o.serial as original',
      'i.issued_at as issuedAt',
      sql<string>`${sql.raw(dialect(q).shanghaiDay('i.issued_at'))}`.as('date'),
      'i.vat_transfer_id as vatTransfer',
      // What of the customer's recharges the invoice consumed (blue) or gave back (red).
      eb
        .selectFrom('invoice_sources as s')
        .select((e) => e.fn.coalesce(e.fn.sum<number | null>('s.amount'), e.lit(0)).as('n'))
        .whereRef('s.invoice_id', '=', 'i.id')
        .$asScalar()
        .$notNull()
        .as('sourced'),
    ])
    .where('i.customer_id', '=', customerId)
    .orderBy('i.issued_at')
    .orderBy('i.id');
type InvoiceRow = RowOf<typeof invoicesQuery>;

const invoicesOf = (q: Queryable, customerId: number): Promise<InvoiceRow[]> => invoicesQuery(q, customerId).execute();

/** Money received and not yet invoiced at the end of a day. */
function invoiceableAt(records: RecordRow[], invoices: InvoiceRow[], day: string): bigint {
  let n = 0n;
  for (const r of records) {
    if (r.creditDate <= day) n += BigInt(r.amount);
    if (r.reversalDate !== null && r.reversalDate <= day) n -= BigInt(r.amount);
  }
  for (const i of invoices) if (i.date <= day) n += i.kind === 'blue' ? -BigInt(i.sourced) : BigInt(i.sourced);
  return n;
}

/** 记-2026-11-0003 for each transfer id that belongs to a voucher. */
async function vouchersOf(q: Queryable, transferIds: (number | null)[]): Promise<Map<number, string>> {
  const ids = [...new Set(transferIds.filter((x): x is number => x !== null))];
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await q.db
      .selectFrom('transfers as t')
      .innerJoin('vouchers as v', 'v.id', 't.voucher_id')
      .select(['t.id', 'v.word', 'v.period', 'v.number'])
      .where('t.id', 'in', chunk)
      .execute();
    for (const r of rows) out.set(r.id, voucherName(r));
  }
  return out;
}

const zeroLine = (): Pick<StatementLine, 'coinsIn' | 'coinsOut' | 'money' | 'invoiced' | 'taxNumber' | 'toAccount' | 'voucher'> => ({
  coinsIn: '0',
  coinsOut: '0',
  money: '0',
  invoiced: '0',
  taxNumber: null,
  toAccount: null,
  voucher: null,
});

/**
 * A customer's statement for a period (business dates, both ends included). `page` picks the lines
 * returned (all when omitted, as the files take them); the figures are always the whole period's.
 */
export async function customerStatement(
  q: Queryable,
  customerId: number,
  period: StatementPeriod,
  page?: { offset: number; limit: number },
): Promise<CustomerStatement> {
  const c = await customerById(q, customerId);
  const { from, to } = period;
  const accounts = (
    await q.db
      .selectFrom('customer_accounts')
      .select(['id', 'external_id as externalId', 'name', 'linked', 'recharge_wallet_id as wallet'])
      .where('customer_id', '=', customerId)
      .orderBy('id')
      .execute()
  ).map((a) => ({ ...a, linked: a.linked === 1 }));
  const accountOfWallet = new Map(accounts.map((a) => [a.wallet, a.externalId]));
  const records = await recordsOf(q, customerId);
  const invoices = await invoicesOf(q, customerId);
  const recordByTransfer = new Map<number, { record: RecordRow; part: 'paid' | 'bonus' }>();
  for (const r of records) {
    recordByTransfer.set(r.coinsTransfer, { record: r, part: 'paid' });
    if (r.bonusTransfer !== null) recordByTransfer.set(r.bonusTransfer, { record: r, part: 'bonus' });
  }
  const requestOfTransfer = new Map<number, string>();
  for (const m of await q.db
    .selectFrom('coin_movements as m')
    .select(['m.request_id as requestId', 'm.ledger_transfer_id as transfer'])
    .where('m.ledger_transfer_id', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('m.from_account_id', 'in', eb.selectFrom('customer_accounts').select('id').where('customer_id', '=', customerId)),
        eb('m.to_account_id', 'in', eb.selectFrom('customer_accounts').select('id').where('customer_id', '=', customerId)),
      ]),
    )
    .$narrowType<{ transfer: number }>()
    .execute())
    requestOfTransfer.set(m.transfer, m.requestId);

  const f = {
    openingCoins: 0n,
    openingValue: 0n,
    rechargedCoins: 0n,
    bonus: 0n,
    spentCoins: 0n,
    spentValue: 0n,
    transferIn: 0n,
    transferOut: 0n,
    reversedCoins: 0n,
    reversedValue: 0n,
    otherCoins: 0n,
    otherValue: 0n,
    closingValue: 0n,
  };
  let balance = 0n;
  const coinLines: StatementLine[] = [];
  /** The line of a record's recharge or reversal, so its paid and bonus transfers make one line. */
  const grouped = new Map<string, StatementLine>();
  const recordOfLine = new Map<StatementLine, RecordRow>();
  await replayCustomerLots(q, customerId, to, (t, valueDelta, held) => {
    const fromWallet = accountOfWallet.get(t.debit);
    const toWallet = accountOfWallet.get(t.credit);
    const coins = BigInt(t.amount);
    const delta = (toWallet !== undefined ? coins : 0n) - (fromWallet !== undefined ? coins : 0n);
    balance += delta;
    f.closingValue = held.money;
    if (t.date < from) {
      f.openingCoins = balance;
      f.openingValue = held.money;
      return;
    }
    const rec = recordByTransfer.get(t.id) ?? (t.reverses !== null ? recordByTransfer.get(t.reverses) : undefined);
    let kind: StatementLineKind;
    if (rec && t.reverses === null) {
      kind = 'recharge';
      if (rec.part === 'paid') f.rechargedCoins += coins;
      else f.bonus += coins;
      f.otherValue += valueDelta - (rec.part === 'paid' ? BigInt(rec.record.amount) : 0n);
    } else if (rec) {
      kind = 'reversal';
      f.reversedCoins += coins;
      f.reversedValue -= valueDelta;
    } else if (fromWallet !== undefined && toWallet !== undefined) {
      kind = 'transfer';
      f.transferIn += coins;
      f.transferOut += coins;
      f.otherValue += valueDelta;
    } else if (fromWallet !== undefined && t.code === 'spend' && t.reverses === null) {
      kind = 'spend';
      f.spentCoins += coins;
      f.spentValue -= valueDelta;
    } else {
      kind = 'other';
      f.otherCoins += delta;
      f.otherValue += valueDelta;
    }
    const key = rec ? `${kind}:${rec.record.id}` : null;
    const open = key ? grouped.get(key) : undefined;
    if (open) {
      if (kind === 'recharge') open.coinsIn = String(BigInt(open.coinsIn) + coins);
      else open.coinsOut = String(BigInt(open.coinsOut) + coins);
      open.detail[rec!.part === 'paid' ? 'paidCoins' : 'bonusCoins'] = String(coins);
      open.balance = String(balance);
      return;
    }
    const line: StatementLine = {
      ...zeroLine(),
      date: t.date,
      at: t.ts,
      kind,
      account: fromWallet ?? toWallet ?? null,
      toAccount: kind === 'transfer' ? toWallet! : null,
      document: rec ? rec.record.receiptNo : (requestOfTransfer.get(t.pending ?? t.id) ?? null),
      coinsIn: String(kind === 'transfer' ? coins : delta > 0n ? delta : 0n),
      coinsOut: String(kind === 'transfer' ? coins : delta < 0n ? -delta : 0n),
      balance: String(balance),
      detail: {},
    };
    if (rec) {
      line.money = String(kind === 'recharge' ? rec.record.amount : -rec.record.amount);
      line.detail[rec.part === 'paid' ? 'paidCoins' : 'bonusCoins'] = String(coins);
      grouped.set(key!, line);
      recordOfLine.set(line, rec.record);
    }
    if (kind === 'other') line.detail.reverses = t.reverses !== null;
    coinLines.push(line);
  });

  // Vouchers of the money: a recharge's credit, a reversal's refund owed, an invoice's output VAT, a refund paid.
  const refunds = await q.db
    .selectFrom('refunds as f')
    .innerJoin('recharge_records as rr', 'rr.id', 'f.record_id')
    .innerJoin('transfers as t', 't.id', 'f.ledger_transfer_id')
    .leftJoin('bank_lines as l', 'l.id', 'f.bank_line_id')
    .select(['f.amount', 'f.record_id as recordId', 't.id as transfer', 't.business_date as date', 't.ts as at', 'l.bank_ref as bankRef'])
    .where('rr.customer_id', '=', customerId)
    .where('f.status', '=', literal('paid'))
    .where((eb) => eb.between('t.business_date', from, to))
    .orderBy('t.business_date')
    .orderBy('t.id')
    .$narrowType<{ recordId: number }>()
    .execute();
  const inPeriod = invoices.filter((i) => i.date >= from && i.date <= to);
  const vouchers = await vouchersOf(q, [
    ...records.flatMap((r) => [r.moneyTransfer, r.reversalMoneyTransfer]),
    ...inPeriod.map((i) => i.vatTransfer),
    ...refunds.map((r) => r.transfer),
  ]);
  const recordById = new Map(records.map((r) => [r.id, r]));
  for (const [l, r] of recordOfLine)
    l.voucher = vouchers.get(l.kind === 'recharge' ? r.moneyTransfer : (r.reversalMoneyTransfer ?? -1)) ?? null;
  const moneyLines: StatementLine[] = [
    ...inPeriod.map((i): StatementLine => ({
      ...zeroLine(),
      date: i.date,
      at: i.issuedAt,
      kind: i.kind === 'blue' ? 'invoice' : 'redInvoice',
      account: null,
      document: i.serial,
      taxNumber: i.taxNumber,
      voucher: i.vatTransfer === null ? null : (vouchers.get(i.vatTransfer) ?? null),
      balance: '0',
      invoiced: String(i.kind === 'blue' ? i.gross : -i.gross),
      detail: { invoiceType: i.type, ...(i.original ? { original: i.original } : {}) },
    })),
    ...refunds.map((r): StatementLine => {
      const rec = recordById.get(r.recordId)!;
      return {
        ...zeroLine(),
        date: r.date,
        at: r.at,
        kind: 'refundPaid',
        account: rec.account,
        document: rec.receiptNo,
        voucher: vouchers.get(r.transfer) ?? null,
        balance: '0',
        detail: { refund: String(r.amount), bankRef: r.bankRef },
      };
    }),
  ].sort((a, b) => (a.date === b.date ? a.at - b.at : a.date < b.date ? -1 : 1));
  const lines = merge(coinLines, moneyLines, f.openingCoins);

  const received = records.filter((r) => r.creditDate >= from && r.creditDate <= to);
  const reversed = records.filter((r) => r.reversalDate !== null && r.reversalDate >= from && r.reversalDate <= to);
  const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + BigInt(x.amount), 0n);
  const blue = inPeriod.filter((i) => i.kind === 'blue').reduce((s, i) => s + BigInt(i.gross), 0n);
  const red = inPeriod.filter((i) => i.kind === 'red').reduce((s, i) => s + BigInt(i.gross), 0n);
  const figures: StatementFigures = {
    opening: { coins: String(f.openingCoins), value: String(f.openingValue) },
    recharged: { count: received.length, money: String(sum(received)), coins: String(f.rechargedCoins) },
    bonusCoins: String(f.bonus),
    spent: { coins: String(f.spentCoins), value: String(f.spentValue) },
    transferred: { in: String(f.transferIn), out: String(f.transferOut) },
    reversed: { count: reversed.length, coins: String(f.reversedCoins), money: String(sum(reversed)), value: String(f.reversedValue) },
    refundPaid: String(sum(refunds)),
    other: { coins: String(f.otherCoins), value: String(f.otherValue) },
    invoiced: { blue: String(blue), red: String(red), net: String(blue - red) },
    invoiceable: {
      opening: String(invoiceableAt(records, invoices, dayBefore(from))),
      closing: String(invoiceableAt(records, invoices, to)),
    },
    closing: { coins: String(balance), value: String(f.closingValue) },
  };
  const offset = page?.offset ?? 0;
  return {
    customer: { id: c.id, name: c.name, externalId: c.external_id, kind: c.kind, realName: c.real_name, idNumber: c.id_number },
    accounts: accounts.map(({ wallet: _w, ...a }) => a),
    from,
    to,
    figures,
    lines: page ? lines.slice(offset, offset + page.limit) : lines,
    lineCount: lines.length,
    offset,
  };
}

/** Coin lines (in posting order) and money lines (by date and time) as one list; money lines carry the coin balance they stand at. */
function merge(coins: StatementLine[], money: StatementLine[], opening: bigint): StatementLine[] {
  const out: StatementLine[] = [];
  let balance = String(opening);
  let j = 0;
  const before = (m: StatementLine, c: StatementLine) => m.date < c.date || (m.date === c.date && m.at < c.at);
  for (const c of coins) {
    while (j < money.length && before(money[j]!, c)) out.push({ ...money[j++]!, balance });
    out.push(c);
    balance = c.balance;
  }
  while (j < money.length) out.push({ ...money[j++]!, balance });
  return out;
}
