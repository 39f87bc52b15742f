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
import type { Queryable } from '../db/books';
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

interface RecordRow {
  id: number;
  receiptNo: string;
  amount: number;
  paid: number;
  bonus: number;
  coinsTransfer: number;
  bonusTransfer: number | null;
  moneyTransfer: number;
  account: string;
  creditDate: string;
  reversalDate: string | null;
  reversalMoneyTransfer: number | null;
}

async function recordsOf(q: Queryable, customerId: number): Promise<RecordRow[]> {
  return (await q
    .sql(
      `SELECT rr.id, rr.receipt_no AS receiptNo, rr.amount, rr.paid_coins AS paid, rr.bonus_coins AS bonus, rr.coins_transfer_id AS coinsTransfer,
         rr.bonus_transfer_id AS bonusTransfer, rr.money_transfer_id AS moneyTransfer, a.external_id AS account, ct.business_date AS creditDate,
         (SELECT r.business_date FROM transfers r WHERE r.reverses_id = rr.coins_transfer_id) AS reversalDate,
         (SELECT m.id FROM transfers m WHERE m.key = 'reverse:' || rr.receipt_no || ':money') AS reversalMoneyTransfer
       FROM recharge_records rr JOIN customer_accounts a ON a.id = rr.account_id JOIN transfers ct ON ct.id = rr.coins_transfer_id
       WHERE rr.customer_id = ? ORDER BY rr.id`,
    )
    .all(customerId)) as RecordRow[];
}

interface InvoiceRow {
  id: number;
  serial: string;
  kind: 'blue' | 'red';
  type: 'ordinary' | 'special';
  gross: number;
  taxNumber: string | null;
  original: string | null;
  issuedAt: number;
  date: string;
  vatTransfer: number | null;
  /** What of the customer's recharges the invoice consumed (blue) or gave back (red). */
  sourced: number;
}

async function invoicesOf(q: Queryable, customerId: number): Promise<InvoiceRow[]> {
  return (await q
    .sql(
      `SELECT i.id, i.serial, i.kind, i.invoice_type AS type, i.gross, i.tax_number AS taxNumber, o.serial AS original, i.issued_at AS issuedAt,
         date((i.issued_at + 28800000) / 1000, 'unixepoch') AS date, i.vat_transfer_id AS vatTransfer,
         (SELECT coalesce(sum(s.amount), 0) FROM invoice_sources s WHERE s.invoice_id = i.id) AS sourced
       FROM invoices i LEFT JOIN invoices o ON o.id = i.original_id WHERE i.customer_id = ? ORDER BY i.issued_at, i.id`,
    )
    .all(customerId)) as InvoiceRow[];
}

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
    const rows = (await q
      .sql(
        `SELECT t.id, v.word, v.period, v.number FROM transfers t JOIN vouchers v ON v.id = t.voucher_id WHERE t.id IN (${chunk.map(() => '?').join(', ')})`,
      )
      .all(...chunk)) as { id: number; word: string; period: string; number: number }[];
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
    (await q
      .sql(
        'SELECT id, external_id AS externalId, name, linked, recharge_wallet_id AS wallet FROM customer_accounts WHERE customer_id = ? ORDER BY id',
      )
      .all(customerId)) as { id: number; externalId: string; name: string; linked: number; wallet: number }[]
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
  for (const m of (await q
    .sql(
      `SELECT m.request_id AS requestId, m.ledger_transfer_id AS transfer FROM coin_movements m
       WHERE m.ledger_transfer_id IS NOT NULL AND (m.from_account_id IN (SELECT id FROM customer_accounts WHERE customer_id = ?)
         OR m.to_account_id IN (SELECT id FROM customer_accounts WHERE customer_id = ?))`,
    )
    .all(customerId, customerId)) as { requestId: string; transfer: number }[])
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
  const refunds = (await q
    .sql(
      `SELECT f.amount, f.record_id AS recordId, f.ledger_transfer_id AS transfer, t.business_date AS date, t.ts AS at, l.bank_ref AS bankRef
       FROM refunds f JOIN recharge_records rr ON rr.id = f.record_id JOIN transfers t ON t.id = f.ledger_transfer_id
       LEFT JOIN bank_lines l ON l.id = f.bank_line_id
       WHERE rr.customer_id = ? AND f.status = 'paid' AND t.business_date BETWEEN ? AND ? ORDER BY t.business_date, t.id`,
    )
    .all(customerId, from, to)) as {
    amount: number;
    recordId: number;
    transfer: number;
    date: string;
    at: number;
    bankRef: string | null;
  }[];
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
