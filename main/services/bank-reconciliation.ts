// 银行存款余额调节表: per platform bank account at a month's end, the books against the bank's own word.
//
//   books balance   + 银行已收企业未收 − 银行已付企业未付 = adjusted books balance
//   statement balance + 企业已收银行未收 − 企业已付银行未付 = adjusted statement balance
//
// - The statement balance is the bank's: the closing balance of the latest statement of that account
//   closing on or before the month's end (`statements.closing_amount` / `closing_date`, date D), never
//   a figure Coffer worked out from its own postings.
// - The books balance is the bank sub-account's balance by business date at the month's end (M).
// - 银行已收/已付企业未收/未付: statement lines the bank booked by D whose posting in the books is dated
//   after M (or is not there).
// - 企业已收/已付银行未收/未付: postings to the bank account dated by M that no statement line up to D
//   confirms (a manual voucher, a reversal, lines of a later statement the balance at D does not hold).
//   The opening balance a first statement brought in is the bank's own figure, confirmed when dated by D.
// Without such a statement only the books balance is given: nothing is listed and no balance is claimed.
// A statement whose closing balance disagrees with its own lines (a line missing from the file) leaves
// the two adjusted balances apart: the difference is shown, never hidden.
import type { NotNull } from 'kysely';
import type { Queryable } from '../db/books';
import { selectFirstExact } from '../db/query';
import { num, numOrNull, rowMapper, text, textOrNull } from '../db/row-read';
import { TRANSFER_EPOCH_SHIFT, transferEpochSql } from '../db/migrations';
import { LEDGER } from '../domain/ledgers';
import { lastDay } from '../domain/periods';
import { checkMonth } from './balances';
import { voucherName } from './voucher-numbers';
import { refuse } from '../domain/refusals';
import { mapInTurn } from './in-turn';

export interface ReconItem {
  date: string;
  /** fen, integer string, > 0 */
  amount: string;
  /** 摘要 / the bank line's counterparty and memo. */
  description: string;
  /** A posting's voucher ('记-2026-11-0003'), or null for a bank line. */
  voucher: string | null;
  transferId: number | null;
  /** A bank line: its statement file and line number. */
  lineId: number | null;
  statementFile: string | null;
  lineNo: number | null;
}

export interface BankReconciliation {
  month: string;
  /** The month's last day: the date of the books side. */
  asOf: string;
  bankAccount: {
    id: number;
    bankName: string;
    accountNumber: string;
    name: string;
    subjectCode: string | null;
    subjectName: string | null;
  };
  /** The statement the bank side comes from, or null when none closes on or before the month's end. */
  statement: { id: number; fileName: string; closingDate: string; closingAmount: string } | null;
  booksBalance: string;
  bankReceivedBooksNot: ReconItem[];
  bankPaidBooksNot: ReconItem[];
  booksReceivedBankNot: ReconItem[];
  booksPaidBankNot: ReconItem[];
  sums: { bankReceivedBooksNot: string; bankPaidBooksNot: string; booksReceivedBankNot: string; booksPaidBankNot: string };
  /** books + bank received, books not − bank paid, books not */
  booksAdjusted: string;
  /** statement + books received, bank not − books paid, bank not; null without a statement */
  bankAdjusted: string | null;
  /** booksAdjusted − bankAdjusted; null without a statement */
  difference: string | null;
  balanced: boolean;
}

/** The bank accounts with the subject each is booked to. */
export async function listReconciledBanks(q: Queryable) {
  return await q.db
    .selectFrom('bank_accounts as b')
    .innerJoin('accounts as a', 'a.id', 'b.ledger_account_id')
    .leftJoin('subjects as s', 's.code', 'a.subject_code')
    .select([
      'b.id',
      'b.bank_name as bankName',
      'b.account_number as accountNumber',
      'b.name',
      'b.ledger_account_id as ledgerAccountId',
      'a.subject_code as subjectCode',
      's.name as subjectName',
    ])
    .orderBy('b.id')
    .execute();
}

/** The 余额调节表 of one bank account at the month's end. */
export async function bankReconciliation(q: Queryable, month: string, bankAccountId: number): Promise<BankReconciliation> {
  checkMonth(month);
  const bank = (await listReconciledBanks(q)).find((b) => b.id === bankAccountId);
  if (!bank) throw refuse('NOT_FOUND', 'bank_account_not_found', { ref: String(bankAccountId) }, { field: 'bankAccountId' });
  const m = lastDay(month);
  const st = await selectFirstExact(
    q,
    q.db
      .selectFrom('statements')
      .select(['id', 'file_name as fileName', 'closing_date as closingDate', 'closing_amount as closingAmount'])
      .where('bank_account_id', '=', bank.id)
      .where('closing_date', 'is not', null)
      .where('closing_amount', 'is not', null)
      .where('closing_date', '<=', m)
      .orderBy('closing_date', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .$narrowType<{ closingDate: NotNull; closingAmount: NotNull }>(),
  );
  const d = st?.closingDate ?? null;

  // The statement lines the bank's balance at D holds: booked before D, or on D in a statement that is
  // not a later one opening on D (a statement cut mid-day leaves the rest of the day to the next).
  const confirmed = new Map<number, { id: number; booked: string; amount: number; memo: string; file: string; lineNo: number }>();
  if (st) {
    const lines = await q.db
      .selectFrom('bank_lines as l')
      .innerJoin('statements as s', 's.id', 'l.statement_id')
      .select((eb) => [
        'l.id',
        'l.booked',
        'l.amount',
        'l.ledger_transfer_id as t',
        'l.line_no as lineNo',
        's.file_name as file',
        eb
          .fn<string>('trim', [
            eb(eb(eb.fn.coalesce('l.counterparty_name', eb.val('')), '||', eb.val(' ')), '||', eb.fn.coalesce('l.memo', eb.val(''))),
          ])
          .as('memo'),
      ])
      .where('l.bank_account_id', '=', bank.id)
      .where('l.booked', '<=', st.closingDate)
      .where((eb) =>
        eb.not(eb.and([eb('l.booked', '=', st.closingDate), eb('s.id', '>', Number(st.id)), eb('s.opening_date', '=', st.closingDate)])),
      )
      .execute();
    for (const l of lines)
      confirmed.set(l.t, { id: l.id, booked: l.booked, amount: l.amount, memo: l.memo, file: l.file, lineNo: l.lineNo });
  }

  // Every posting to the bank's ledger account dated by M, walked by epoch of the account's history index.
  const booksReceivedBankNot: ReconItem[] = [];
  const booksPaidBankNot: ReconItem[] = [];
  const seen = new Set<number>();
  let books = 0n;
  const top =
    (await q.db
      .selectFrom('transfers')
      .select((eb) => eb.fn.max<number | null>('id').as('m'))
      .executeTakeFirst())!.m ?? 0;
  const epoch = transferEpochSql('t.id');
  const read = (column: 'debit_account_id' | 'credit_account_id') =>
    q.sql(
      `SELECT t.id, t.business_date AS date, t.amount, t.memo, t.key, t.code, v.word, v.period, v.number, v.summary
       FROM transfers t LEFT JOIN vouchers v ON v.id = t.voucher_id
       WHERE ${epoch} = ? AND t.${column} = ? AND t.business_date <= ? AND t.ledger = ${LEDGER.CNY} AND t.kind IN ('single', 'post')`,
    );
  const debits = read('debit_account_id');
  const credits = read('credit_account_id');
  const rowOf = rowMapper({
    id: num,
    date: text,
    amount: num,
    memo: text,
    key: text,
    code: text,
    word: textOrNull,
    period: textOrNull,
    number: numOrNull,
    summary: textOrNull,
  });
  for (let e = 0; e <= top >> TRANSFER_EPOCH_SHIFT; e++) {
    for (const [stmt, sign] of [
      [debits, 1],
      [credits, -1],
    ] as const) {
      for await (const raw of stmt.iterate(e, bank.ledgerAccountId, m)) {
        const r = rowOf(raw);
        books += BigInt(sign * r.amount);
        // Without a statement there is no bank side to list items against: only the books balance.
        if (!st) continue;
        if (confirmed.has(r.id)) {
          seen.add(r.id);
          continue;
        }
        // The opening balance a first statement brought in is the bank's own figure.
        if (d !== null && r.code === 'opening_balance' && r.key === `bank:${bank.id}:opening` && r.date <= d) continue;
        const v =
          r.word !== null && r.period !== null && r.number !== null
            ? voucherName({ word: r.word, period: r.period, number: r.number })
            : null;
        const memo = v && r.memo.startsWith(`${v} `) ? r.memo.slice(v.length + 1) : r.memo;
        (sign > 0 ? booksReceivedBankNot : booksPaidBankNot).push({
          date: r.date,
          amount: String(r.amount),
          description: memo || r.summary || '',
          voucher: v,
          transferId: r.id,
          lineId: null,
          statementFile: null,
          lineNo: null,
        });
      }
    }
  }
  const bankReceivedBooksNot: ReconItem[] = [];
  const bankPaidBooksNot: ReconItem[] = [];
  for (const [t, l] of confirmed) {
    if (seen.has(t)) continue;
    (l.amount > 0 ? bankReceivedBooksNot : bankPaidBooksNot).push({
      date: l.booked,
      amount: String(Math.abs(l.amount)),
      description: l.memo,
      voucher: null,
      transferId: null,
      lineId: l.id,
      statementFile: l.file,
      lineNo: l.lineNo,
    });
  }
  const order = (a: ReconItem, b: ReconItem) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : (a.transferId ?? a.lineId ?? 0) - (b.transferId ?? b.lineId ?? 0);
  for (const list of [bankReceivedBooksNot, bankPaidBooksNot, booksReceivedBankNot, booksPaidBankNot]) list.sort(order);
  const sum = (xs: ReconItem[]) => xs.reduce((n, x) => n + BigInt(x.amount), 0n);
  const sums = {
    bankReceivedBooksNot: sum(bankReceivedBooksNot),
    bankPaidBooksNot: sum(bankPaidBooksNot),
    booksReceivedBankNot: sum(booksReceivedBankNot),
    booksPaidBankNot: sum(booksPaidBankNot),
  };
  const booksAdjusted = books + sums.bankReceivedBooksNot - sums.bankPaidBooksNot;
  const bankAdjusted = st ? st.closingAmount + sums.booksReceivedBankNot - sums.booksPaidBankNot : null;
  return {
    month,
    asOf: m,
    bankAccount: {
      id: bank.id,
      bankName: bank.bankName,
      accountNumber: bank.accountNumber,
      name: bank.name,
      subjectCode: bank.subjectCode,
      subjectName: bank.subjectName,
    },
    statement: st
      ? { id: Number(st.id), fileName: st.fileName, closingDate: st.closingDate, closingAmount: String(st.closingAmount) }
      : null,
    booksBalance: String(books),
    bankReceivedBooksNot,
    bankPaidBooksNot,
    booksReceivedBankNot,
    booksPaidBankNot,
    sums: {
      bankReceivedBooksNot: String(sums.bankReceivedBooksNot),
      bankPaidBooksNot: String(sums.bankPaidBooksNot),
      booksReceivedBankNot: String(sums.booksReceivedBankNot),
      booksPaidBankNot: String(sums.booksPaidBankNot),
    },
    booksAdjusted: String(booksAdjusted),
    bankAdjusted: bankAdjusted === null ? null : String(bankAdjusted),
    difference: bankAdjusted === null ? null : String(booksAdjusted - bankAdjusted),
    balanced: bankAdjusted !== null && booksAdjusted === bankAdjusted,
  };
}

/** The 余额调节表 of every platform bank account (or the one asked for) at the month's end. */
export async function bankReconciliations(q: Queryable, month: string, bankAccountId?: number): Promise<BankReconciliation[]> {
  checkMonth(month);
  const banks = (await listReconciledBanks(q)).filter((b) => bankAccountId === undefined || b.id === bankAccountId);
  if (bankAccountId !== undefined && !banks.length)
    throw refuse('NOT_FOUND', 'bank_account_not_found', { ref: String(bankAccountId) }, { field: 'bankAccountId' });
  return await mapInTurn(banks, async (b) => bankReconciliation(q, month, b.id));
}
