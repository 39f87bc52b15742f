// The journal export read by hledger: CNY accounts by subject (科目) with declared types, so `hledger bs`
// and `hledger is` give a balance sheet and an income statement whose totals are worked out by hand.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inWriteTx, type AnyBooks } from '../../main/db/tx';
import { LEDGER } from '../../main/domain/ledgers';
import { createAccount, createTransfers, expectPosted } from '../../main/services/ledger-post';
import { createBankAccount } from '../../main/services/bank-statements';
import { cnyAccount, systemAccount } from '../../main/services/system-accounts';
import { insertVoucher } from '../../main/services/voucher-numbers';
import { exportJournal } from '../../main/services/exports';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import { cell, csv, totals } from '../support/hledger-csv';
import { withScratchBooks } from '../support/books-hooks';

const hledger = spawnSync('hledger', ['--version'], { encoding: 'utf8' });
const why = hledger.status === 0 ? hledger.stdout.trim() : 'skipped: hledger is not installed (Debian: apt-get install hledger)';

let books: AnyBooks;
let file: string;
const NOW = Date.UTC(2026, 10, 20, 4);

withScratchBooks('all', async (made) => {
  books = made.books;
  await inWriteTx(books, async (tx) => {
    const bank = await createBankAccount(
      tx,
      SYSTEM_ACTOR,
      { bankName: '工商银行', accountNumber: '6222020200011234', name: '收款户' },
      NOW,
    );
    const bankAccount = bank.ledgerAccountId;
    const receipts = await cnyAccount(tx, 'unallocated_receipts');
    const prepayments = await cnyAccount(tx, 'customer_prepayments');
    const opening = await cnyAccount(tx, 'opening_balances');
    const fees = await cnyAccount(tx, 'bank_fees');
    const issuance = await systemAccount(tx, LEDGER.RECHARGE_COIN, 'coin_issuance');
    const wallet = await createAccount(
      tx,
      { ledger: LEDGER.RECHARGE_COIN, code: 'recharge_wallet', name: '张三', ownerKind: 'account', ownerId: 1, flags: 1 },
      NOW,
    );
    expectPosted(
      await createTransfers(
        tx,
        [
          // the statement's opening balance 500.00, a bank receipt of 1,000.00, and its recharge credited
          {
            key: 'open',
            ledger: 1,
            debitAccountId: bankAccount,
            creditAccountId: opening,
            amount: 50_000,
            code: 'opening_balance',
            date: '2026-11-01',
          },
          {
            key: 'in',
            ledger: 1,
            debitAccountId: bankAccount,
            creditAccountId: receipts,
            amount: 100_000,
            code: 'bank_in',
            date: '2026-11-03',
          },
          {
            key: 'credit',
            ledger: 1,
            debitAccountId: receipts,
            creditAccountId: prepayments,
            amount: 100_000,
            code: 'approve',
            date: '2026-11-04',
          },
          {
            key: 'coins',
            ledger: 2,
            debitAccountId: issuance,
            creditAccountId: wallet,
            amount: 10_000,
            code: 'approve',
            date: '2026-11-04',
          },
        ],
        { staffId: null, now: NOW },
      ),
    );
    // a bank fee of 25.00 posted to 660301 手续费 by a voucher of its own
    const voucher = await insertVoucher(
      tx,
      { date: '2026-11-05', word: '记', summary: '银行手续费', source: 'fee', status: 'posted', preparedBy: null },
      NOW,
    );
    expectPosted(
      await createTransfers(
        tx,
        [
          {
            key: 'fee',
            ledger: 1,
            debitAccountId: fees,
            creditAccountId: bankAccount,
            amount: 2_500,
            code: 'fee',
            date: '2026-11-05',
            voucherId: voucher.id,
          },
        ],
        { staffId: null, now: NOW },
      ),
    );
  });
  file = path.join(made.dir, 'books.journal');
  await exportJournal(books, file, books.path);
});

const run = (...args: string[]) => execFileSync('hledger', ['-f', file, ...args], { encoding: 'utf8' });

describe('the journal names CNY accounts by subject', () => {
  it('declares each type and dates transactions by business date with the voucher as code', () => {
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('account 资产  ; type: A\n');
    expect(text).toContain('account 费用:6603 财务费用:660301 手续费  ; type: X\n');
    expect(text).toContain('account 资产:1002 银行存款:100201 工商银行 1234  ; type: C\n');
    expect(text).toMatch(/^2026-11-05 \* \(记-2026-11-\d{4}\) fee #\d+\n/m);
    expect(text).toContain('    资产:1002 银行存款:100201 工商银行 1234  1000.00 CNY\n');
    expect(text).toContain('    负债:2241 其他应付款:224101 未分配收款  -1000.00 CNY\n');
    // coins keep their own tree, with no type
    expect(text).toMatch(/ {4}RECHARGE_COIN:recharge_wallet:\d+ {2}-10000 RCOIN\n/);
  });
});

describe.skipIf(hledger.status !== 0)(`hledger reads it (${why})`, () => {
  it('bs: assets 1,475.00 = liabilities 1,000.00 + equity 500.00 + net income −25.00', () => {
    const bs = csv(run('bs', '-O', 'csv', '--flat'));
    expect(cell(bs, '资产:1002 银行存款:100201 工商银行 1234')).toBe('1475.00');
    expect(cell(bs, '负债:2204 合同负债')).toBe('1000.00');
    expect(cell(bs, '负债:2241 其他应付款:224101 未分配收款')).toBeUndefined(); // zero, so not shown
    expect(totals(bs)).toEqual({ Assets: '1475.00', Liabilities: '1000.00' });
    // The net of a balance sheet is assets less liabilities: equity and the year's net income.
    expect(cell(bs, 'Net:')).toBe('475.00');
    const bse = csv(run('bse', '-O', 'csv', '--flat'));
    expect(cell(bse, '所有者权益:4104 利润分配:410401 期初余额')).toBe('500.00');
    expect(totals(bse)).toEqual({ Assets: '1475.00', Liabilities: '1000.00', Equity: '500.00' });
    // A − L − E is what the income statement says the period earned: −25.00.
    expect(cell(bse, 'Net:')).toBe('-25.00');
    // Coins never appear in a money statement.
    expect(bs.flat().some((c) => c.includes('COIN'))).toBe(false);
  });

  it('is: the fee as an expense, net income −25.00', () => {
    const is = csv(run('is', '-O', 'csv', '--flat'));
    expect(cell(is, '费用:6603 财务费用:660301 手续费')).toBe('25.00');
    expect(totals(is)).toEqual({ Revenues: '0', Expenses: '25.00' });
    expect(cell(is, 'Net:')).toBe('-25.00');
  });
});
