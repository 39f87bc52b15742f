// Ties: each sub-ledger proven against the ledger account that carries it, with both figures. A bank
// account's books balance on each statement's closing date against that statement's closing balance;
// unallocated receipts against the bank lines' unallocated money; customer prepayments against the
// credited records; refunds payable against the open refunds; the wallets against their control
// accounts and against their own records and movements; invoicing against what each record may invoice.
// verify (services/verify.ts) reports every tie and turns each broken one into a finding.
import type { Queryable } from '../db/books';
import { formatYuan } from '../domain/money';
import * as row from '../db/row-read';
import { deferredRevenueTie } from './revenue';

export const TIE_KINDS = [
  'bank_statement',
  'unallocated_receipts',
  'customer_prepayments',
  'refunds_payable',
  'earnings_payable',
  'payouts_payable',
  'wallet_control',
  'wallet_movements',
  'invoice_reservations',
  'deferred_revenue',
] as const;
export type TieKind = (typeof TIE_KINDS)[number];

/** 合同负债 at the end of the latest closed month with a revenue run against the value its unused coins carry. */
async function deferredRevenue(q: Queryable): Promise<Tie[]> {
  const d = await deferredRevenueTie(q);
  if (!d) return [];
  return [
    {
      ...tie(
        'deferred_revenue',
        `deferred_revenue:${d.month}`,
        'fen',
        d.expected,
        d.actual,
        { month: d.month, run: String(d.runId) },
        () => '',
      ),
      message: d.message,
    },
  ];
}

export interface Tie {
  /** Unique in a report: the kind, and for per-statement or per-ledger ties what it is about. */
  name: string;
  kind: TieKind;
  ok: boolean;
  unit: 'fen' | 'coins';
  /** What the sub-ledger says the ledger account must hold (fen or coins, integer string). */
  expected: string;
  /** What the ledger account holds. */
  actual: string;
  /** What the tie is about, for the console: bank account number, statement date, ledger, counts. */
  about: Record<string, string>;
  /** English, with the figures. */
  message: string;
  /** For a tie proven item by item (each wallet, each record): the items that break it, first few. */
  broken?: { ref: string; expected: string; actual: string }[];
}

const big = (v: bigint | null): bigint => v ?? 0n;
const yuan = (n: bigint): string => formatYuan(Number(n), true);

function tie(
  kind: TieKind,
  name: string,
  unit: Tie['unit'],
  expected: bigint,
  actual: bigint,
  about: Record<string, string>,
  text: (e: string, a: string) => string,
): Tie {
  const show = unit === 'fen' ? yuan : (n: bigint) => String(n);
  return {
    name,
    kind,
    ok: expected === actual,
    unit,
    expected: String(expected),
    actual: String(actual),
    about,
    message: text(show(expected), show(actual)),
  };
}

/** The tie of a system account (kind and name its code, in fen) against what its sub-ledger says it holds. */
async function accountTie(
  q: Queryable,
  code: TieKind,
  expected: bigint,
  about: Record<string, string>,
  text: (e: string, a: string) => string,
): Promise<Tie> {
  return tie(code, code, 'fen', expected, await systemBalance(q, code), about, text);
}

async function systemBalance(q: Queryable, code: string): Promise<bigint> {
  const r = await q
    .sql('SELECT credits_posted - debits_posted AS b FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL')
    .safeIntegers(true)
    .get(code);
  return r === undefined ? 0n : row.big(r, 'b');
}

/**
 * Per bank account and statement with a closing balance: the books' balance of the bank sub-account at
 * the end of the closing date (transfers by business date) against the bank's balance then — the
 * statement's closing balance, plus any lines the bank booked later that same day in a statement that
 * opens on it (a statement cut mid-day) — adjusted by the postings no bank line stands behind (a manual
 * voucher to the bank, a reversal): the 企业已收/已付银行未收/未付 the 余额调节表 lists, not a difference.
 * What is left is the bank's own word against its lines: a line missing from the file shows here.
 */
async function bankTies(q: Queryable): Promise<Tie[]> {
  const ties: Tie[] = [];
  const banks = await q.db
    .selectFrom('bank_accounts')
    .select(['id', 'account_number as number', 'bank_name as bank', 'ledger_account_id as ledgerAccountId'])
    .orderBy('id')
    .execute();
  for (const b of banks) {
    const statements = (
      await q
        .sql(
          `SELECT s.id, s.file_name AS file, s.closing_date AS date, s.closing_amount AS amount,
           (SELECT coalesce(sum(l.amount), 0) FROM bank_lines l JOIN statements s2 ON s2.id = l.statement_id
             WHERE s2.bank_account_id = s.bank_account_id AND s2.id > s.id AND s2.opening_date = s.closing_date AND l.booked = s.closing_date) AS later
         FROM statements s WHERE s.bank_account_id = ? AND s.closing_date IS NOT NULL AND s.closing_amount IS NOT NULL ORDER BY s.closing_date, s.id`,
        )
        .safeIntegers(true)
        .all(b.id)
    ).map((r) => ({
      id: row.big(r, 'id'),
      file: row.text(r, 'file'),
      date: row.text(r, 'date'),
      amount: row.big(r, 'amount'),
      later: row.big(r, 'later'),
    }));
    if (!statements.length) continue;
    // The bank sub-account's movement per business date, added up once, and the part of it no bank
    // line stands behind: statement import posts the lines (bank_in, bank_out) and a first statement's
    // opening balance; anything else reached the bank account in the books only.
    // Positional parameters (PostgreSQL has no named ones): the account, once per `?` in order.
    const signed = 'CASE WHEN debit_account_id = ? THEN amount ELSE -amount END';
    const booksOnly = "code NOT IN ('bank_in', 'bank_out', 'opening_balance') OR reverses_id IS NOT NULL";
    const days = (
      await q
        .sql(
          `SELECT business_date AS d, sum(${signed}) AS net, sum(CASE WHEN ${booksOnly} THEN ${signed} ELSE 0 END) AS booksOnly,
           sum(CASE WHEN ${booksOnly} THEN 1 ELSE 0 END) AS n
         FROM transfers WHERE (debit_account_id = ? OR credit_account_id = ?) AND kind IN ('single', 'post') GROUP BY business_date ORDER BY business_date`,
        )
        .safeIntegers(true)
        .all(...Array<number>(4).fill(b.ledgerAccountId))
    ).map((r) => ({ d: row.text(r, 'd'), net: row.big(r, 'net'), booksOnly: row.big(r, 'booksOnly'), n: row.big(r, 'n') }));
    let i = 0;
    let balance = 0n;
    let outstanding = 0n;
    let count = 0n;
    for (const s of statements) {
      while (i < days.length && days[i]!.d <= s.date) {
        const day = days[i++]!;
        balance += day.net;
        outstanding += day.booksOnly;
        count += day.n;
      }
      const bank = s.amount + s.later;
      ties.push(
        tie(
          'bank_statement',
          `bank_statement:${b.number}:${s.date}:${s.id}`,
          'fen',
          bank + outstanding,
          balance,
          {
            bankAccount: b.number,
            bankName: b.bank,
            date: s.date,
            statementId: String(s.id),
            file: s.file,
            statementBalance: String(bank),
            outstanding: String(outstanding),
            outstandingCount: String(count),
          },
          (e, a) =>
            count > 0n
              ? `bank account ${b.number} on ${s.date}: the statement (${s.file}) closes at ${yuan(bank)}; with ${count} posting(s) the bank has not shown (未达账项, listed in the 余额调节表) of ${yuan(outstanding)} the books should hold ${e}, they hold ${a}`
              : `bank account ${b.number} on ${s.date}: the statement (${s.file}) closes at ${e}, the books hold ${a}`,
        ),
      );
    }
  }
  return ties;
}

/**
 * What unallocated receipts must hold. Money in is credited to it at import; it leaves when a request
 * is credited (the request's amount), when a reversal nets its original (the pair's amount), and a
 * confirmed write-off adds the part of a request the bank did not bring. So it holds:
 * - the unallocated part of every money-in line not netted with a reversal (a netted pair's two
 *   postings and its netting cancel out), plus
 * - what is allocated to requests not credited yet (matched, waiting for approval), plus
 * - confirmed write-offs on requests not credited yet.
 * A credited request's allocations and write-offs left with its credit. New ways money leaves
 * unallocated receipts (refunds, reclassification) belong here.
 */
export async function unallocatedReceiptsExpected(
  q: Queryable,
): Promise<{ expected: bigint; unallocated: bigint; waiting: bigint; writtenOff: bigint }> {
  const u = await q
    .sql(
      `SELECT
         (SELECT coalesce(sum(amount - allocated), 0) FROM bank_lines WHERE amount > 0 AND netted_with IS NULL) AS unallocated,
         (SELECT coalesce(sum(a.amount), 0) FROM allocations a JOIN recharge_requests r ON r.id = a.request_id
           WHERE a.status = 'active' AND a.kind = 'bank' AND r.status IN (${NOT_CREDITED})) AS waiting,
         (SELECT coalesce(sum(a.amount), 0) FROM allocations a JOIN recharge_requests r ON r.id = a.request_id
           WHERE a.status = 'active' AND a.kind = 'writeoff' AND a.ledger_transfer_id IS NOT NULL AND r.status IN (${NOT_CREDITED})) AS writtenOff`,
    )
    .safeIntegers(true)
    .get();
  const r = { unallocated: row.big(u, 'unallocated'), waiting: row.big(u, 'waiting'), writtenOff: row.big(u, 'writtenOff') };
  return { expected: r.unallocated + r.waiting + r.writtenOff, ...r };
}
const NOT_CREDITED = "'submitted', 'partly_paid', 'matched', 'overpaid', 'approved'";

/**
/**
 * What customer prepayments (合同负债) must hold: the money of every credited record, less the records
 * reversed (their money moved to refunds payable), less the output VAT moved to 应交增值税（销项税额） when a
 * taxable invoice was issued (net of red-letter invoices), less what the posted revenue runs recognised
 * (revenue and output VAT; a superseded run was reversed).
 */
export async function customerPrepaymentsExpected(q: Queryable): Promise<{
  expected: bigint;
  credited: bigint;
  reversed: bigint;
  vatAtInvoice: bigint;
  recognised: bigint;
}> {
  const c = await q
    .sql(
      `SELECT coalesce(sum(amount), 0) AS credited, coalesce(sum(CASE WHEN reversed_at IS NOT NULL THEN amount ELSE 0 END), 0) AS reversed,
         (SELECT coalesce(sum(CASE WHEN kind = 'blue' THEN tax ELSE -tax END), 0) FROM invoices WHERE vat_transfer_id IS NOT NULL) AS vatAtInvoice
       FROM recharge_records`,
    )
    .safeIntegers(true)
    .get();
  const r = { credited: row.big(c, 'credited'), reversed: row.big(c, 'reversed'), vatAtInvoice: row.big(c, 'vatAtInvoice') };
  const recognised = row.big(
    await q.sql("SELECT coalesce(sum(revenue + tax), 0) AS n FROM revenue_runs WHERE status = 'posted'").safeIntegers(true).get(),
    'n',
  );
  return { expected: r.credited - r.reversed - r.vatAtInvoice - recognised, ...r, recognised };
}

/** What a recharge record may invoice, as an SQL expression over recharge_records: its money, none once reversed. */
export const INVOICEABLE_SQL = 'CASE WHEN reversed_at IS NULL THEN amount ELSE 0 END';

async function moneyTies(q: Queryable): Promise<Tie[]> {
  const ur = await unallocatedReceiptsExpected(q);
  const prepaid = await customerPrepaymentsExpected(q);
  const owed = row.big(
    await q.sql("SELECT coalesce(sum(amount), 0) AS n FROM refunds WHERE status = 'payable'").safeIntegers(true).get(),
    'n',
  );
  const refunds = await systemBalance(q, 'refunds_payable');
  return [
    await accountTie(
      q,
      'unallocated_receipts',
      ur.expected,
      { unallocated: String(ur.unallocated), waiting: String(ur.waiting), writtenOff: String(ur.writtenOff) },
      (e, a) =>
        `unallocated receipts hold ${a} ${e === a ? 'as' : 'but'} the bank lines leave ${e} (${yuan(ur.unallocated)} unallocated, ${yuan(ur.waiting)} matched and waiting for approval, ${yuan(ur.writtenOff)} written off and waiting)`,
    ),
    await accountTie(
      q,
      'customer_prepayments',
      prepaid.expected,
      {
        credited: String(prepaid.credited),
        reversed: String(prepaid.reversed),
        vatAtInvoice: String(prepaid.vatAtInvoice),
        recognised: String(prepaid.recognised),
      },
      (e, a) =>
        `customer prepayments hold ${a} ${e === a ? 'as' : 'but'} the credited records come to ${e} (${yuan(prepaid.credited)} credited less ${yuan(prepaid.reversed)} reversed${prepaid.vatAtInvoice !== 0n ? ` less ${yuan(prepaid.vatAtInvoice)} output VAT at invoice` : ''} and ${yuan(prepaid.recognised)} recognised by revenue runs)`,
    ),
    ...(await deferredRevenue(q)),
    // The message is the one verify always gave for this tie (plain amounts, no grouping).
    {
      ...tie('refunds_payable', 'refunds_payable', 'fen', owed, refunds, {}, () => ''),
      message: `refunds payable holds ${formatYuan(Number(refunds))} yuan ${owed === refunds ? 'as' : 'but'} the refunds not yet paid come to ${formatYuan(Number(owed))}`,
    },
  ];
}

const WALLETS = [
  { ledger: 2, code: 'RECHARGE_COIN', wallet: 'recharge_wallet_id', kind: 'recharge', records: true },
  { ledger: 3, code: 'EARNINGS_COIN', wallet: 'earnings_wallet_id', kind: 'earnings', records: false },
] as const;

async function walletTies(q: Queryable): Promise<Tie[]> {
  const ties: Tie[] = [];
  for (const w of WALLETS) {
    // Customers' wallets against what the control accounts issued net (the coins are somebody's).
    const sums = await q
      .sql(
        `SELECT sum(CASE WHEN owner_kind IS NOT NULL THEN credits_posted - debits_posted ELSE 0 END) AS held,
           sum(CASE WHEN owner_kind IS NULL THEN debits_posted - credits_posted ELSE 0 END) AS issued
         FROM accounts WHERE ledger = ?`,
      )
      .safeIntegers(true)
      .get(w.ledger);
    const c = { held: row.bigOrNull(sums, 'held'), issued: row.bigOrNull(sums, 'issued') };
    ties.push({
      ...tie('wallet_control', `wallet_control:${w.code}`, 'coins', big(c.issued), big(c.held), { ledger: String(w.ledger) }, () => ''),
      message: `ledger ${w.code}: customers' wallets hold ${big(c.held)} coins ${big(c.held) === big(c.issued) ? 'as' : 'but'} the control accounts account for ${big(c.issued)}`,
    });
    // Each wallet against its own sources: credited records (recharge wallets) and posted movements.
    const sources = `
      ${w.records ? 'SELECT account_id AS acc, paid_coins + bonus_coins AS n FROM recharge_records WHERE reversed_at IS NULL UNION ALL' : ''}
      ${w.kind === 'earnings' ? "SELECT account_id AS acc, -coins AS n FROM payouts WHERE status IN ('approved', 'paid') UNION ALL" : ''}
      SELECT to_account_id AS acc, amount AS n FROM coin_movements WHERE status = 'posted' AND wallet_kind = '${w.kind}' AND to_account_id IS NOT NULL
      UNION ALL SELECT from_account_id AS acc, -amount AS n FROM coin_movements WHERE status = 'posted' AND wallet_kind = '${w.kind}' AND from_account_id IS NOT NULL`;
    const rows = (
      await q
        .sql(
          `SELECT a.external_id AS ref, coalesce(s.n, 0) AS expected, x.credits_posted - x.debits_posted AS actual
         FROM customer_accounts a JOIN accounts x ON x.id = a.${w.wallet}
         LEFT JOIN (SELECT acc, sum(n) AS n FROM (${sources}) AS src GROUP BY acc) s ON s.acc = a.id ORDER BY a.id`,
        )
        .safeIntegers(true)
        .all()
    ).map((r) => ({ ref: row.text(r, 'ref'), expected: row.big(r, 'expected'), actual: row.big(r, 'actual') }));
    let expected = 0n;
    let actual = 0n;
    const broken: NonNullable<Tie['broken']> = [];
    for (const r of rows) {
      expected += r.expected;
      actual += r.actual;
      if (r.expected !== r.actual) broken.push({ ref: r.ref, expected: String(r.expected), actual: String(r.actual) });
    }
    const t = tie(
      'wallet_movements',
      `wallet_movements:${w.code}`,
      'coins',
      expected,
      actual,
      { ledger: String(w.ledger), wallets: String(rows.length), brokenWallets: String(broken.length) },
      (e, a) =>
        broken.length
          ? `ledger ${w.code}: ${broken.length} of ${rows.length} wallets differ from their records and movements (first: account ${broken[0]!.ref} holds ${broken[0]!.actual} coins, its records and movements come to ${broken[0]!.expected}); all wallets hold ${a}, their sources ${e}`
          : `ledger ${w.code}: ${rows.length} wallets hold ${a} coins, as their records and movements say (${e})`,
    );
    ties.push({ ...t, ok: broken.length === 0, ...(broken.length ? { broken: broken.slice(0, 20) } : {}) });
  }
  return ties;
}

/** Every record's invoice reservations and invoices together within what it may invoice. */
async function invoiceTie(q: Queryable): Promise<Tie> {
  const rows = (
    await q
      .sql(
        `SELECT receipt_no AS ref, ${INVOICEABLE_SQL} AS invoiceable, invoice_reserved + invoiced AS used FROM recharge_records
       WHERE invoice_reserved + invoiced > ${INVOICEABLE_SQL} ORDER BY id`,
      )
      .safeIntegers(true)
      .all()
  ).map((r) => ({ ref: row.text(r, 'ref'), invoiceable: row.big(r, 'invoiceable'), used: row.big(r, 'used') }));
  const sums = await q
    .sql(
      `SELECT coalesce(sum(${INVOICEABLE_SQL}), 0) AS invoiceable, coalesce(sum(invoice_reserved + invoiced), 0) AS used FROM recharge_records`,
    )
    .safeIntegers(true)
    .get();
  const totals = { invoiceable: row.big(sums, 'invoiceable'), used: row.big(sums, 'used') };
  const excess = rows.reduce((s, r) => s + (r.used - r.invoiceable), 0n);
  const t = tie(
    'invoice_reservations',
    'invoice_reservations',
    'fen',
    0n,
    excess,
    { invoiceable: String(totals.invoiceable), used: String(totals.used), brokenRecords: String(rows.length) },
    () =>
      rows.length
        ? `${rows.length} recharge record(s) reserved or invoiced beyond their money by ${yuan(excess)} (first: ${rows[0]!.ref} reserved and invoiced ${yuan(rows[0]!.used)} of ${yuan(rows[0]!.invoiceable)})`
        : `invoice reservations and invoices ${yuan(totals.used)} stay within the ${yuan(totals.invoiceable)} the records may invoice`,
  );
  return rows.length
    ? { ...t, broken: rows.slice(0, 20).map((r) => ({ ref: r.ref, expected: String(r.invoiceable), actual: String(r.used) })) }
    : t;
}

/**
 * Creators' earnings (services/earnings.ts, payouts.ts): 220201 holds the value of the earnings credited
 * less the gross of the payouts approved; 224104 holds the net of the payouts approved and not yet paid.
 */
export async function payoutFigures(q: Queryable) {
  const r = await q
    .sql(
      `SELECT (SELECT coalesce(sum(amount), 0) FROM earnings_accruals) AS accrued,
         (SELECT coalesce(sum(gross), 0) FROM payouts WHERE status IN ('approved', 'paid')) AS approved,
         (SELECT coalesce(sum(net), 0) FROM payouts WHERE status IN ('approved', 'paid')) AS approvedNet,
         (SELECT coalesce(sum(net), 0) FROM payouts WHERE status = 'paid') AS paidNet`,
    )
    .safeIntegers(true)
    .get();
  return {
    accrued: row.big(r, 'accrued'),
    approved: row.big(r, 'approved'),
    approvedNet: row.big(r, 'approvedNet'),
    paidNet: row.big(r, 'paidNet'),
  };
}

async function payoutTies(q: Queryable): Promise<Tie[]> {
  const f = await payoutFigures(q);
  return [
    await accountTie(
      q,
      'earnings_payable',
      f.accrued - f.approved,
      { accrued: String(f.accrued), approved: String(f.approved) },
      (e, a) =>
        `creators' earnings payable holds ${a} ${e === a ? 'as' : 'but'} the earnings credited less the payouts approved come to ${e} (${yuan(f.accrued)} credited, ${yuan(f.approved)} approved)`,
    ),
    await accountTie(
      q,
      'payouts_payable',
      f.approvedNet - f.paidNet,
      { approved: String(f.approvedNet), paid: String(f.paidNet) },
      (e, a) =>
        `payouts payable holds ${a} ${e === a ? 'as' : 'but'} the net pay approved and not yet paid comes to ${e} (${yuan(f.approvedNet)} approved, ${yuan(f.paidNet)} paid)`,
    ),
  ];
}

export async function provenTies(q: Queryable): Promise<Tie[]> {
  return [...(await bankTies(q)), ...(await moneyTies(q)), ...(await payoutTies(q)), ...(await walletTies(q)), await invoiceTie(q)];
}
