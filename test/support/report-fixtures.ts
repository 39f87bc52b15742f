// A small book for the month-end reports, built through the real services, with figures worked by hand:
//
//   statement 1 (Nov): opening 2025-12-31 1,000.00; 11-05 +300.00 (客户甲), 11-10 −50.00 (手续费),
//     11-28 +200.00 (客户乙); closing 2026-11-30 1,450.00 (= 1,000 + 300 − 50 + 200: it agrees with its lines)
//   manual vouchers: 10-15 Dr 100201 银行 40.00 / Cr 6051 其他业务收入 40.00 (no bank line: the bank never saw it)
//                    11-29 Dr 100201 80.00 / Cr 6051 80.00 (the same)
//                    11-30 Dr 660301 手续费 15.00 / Cr 100201 15.00 (the same)
//   with `december`: statement 2: opening 2026-11-30 1,450.00; 12-03 +100.00; closing 2026-12-31 1,600.00 —
//     its lines give 1,550.00: a line of 50.00 is missing from the file.
import { importStatement, line, setUpBank, statement } from './recharge-fixtures';
import { firstValue, PASSWORD, type TestApi } from './temp-books';
import { addStaff } from './staff';

/**
 * The 科目余额表's totals for 2026-11 (fen), first-level subjects: opening 1,040 (1002) = 1,000 (4104) +
 * 40 (6051); debits 580 + 50 + 15 = 645 = credits 65 + 500 + 80; closing 1,555 + 50 + 15 = 1,620 =
 * 500 + 1,000 + 120.
 */
export const NOVEMBER_TOTALS = {
  openingDebit: '104000',
  openingCredit: '104000',
  debit: '64500',
  credit: '64500',
  closingDebit: '162000',
  closingCredit: '162000',
};

export interface ReportBook {
  bankId: number;
  /** The bank's ledger account. */
  bankAccount: number;
}

export async function reportBook(t: TestApi, opts: { december?: boolean } = {}): Promise<ReportBook> {
  const bankId = await setUpBank(t);
  await importStatement(
    t,
    statement(
      [
        line('2026-11-05', '300.00', { memo: '货款', bank_ref: 'N1', counterparty: { name: '客户甲', account: '6222000000000001' } }),
        line('2026-11-10', '-50.00', { memo: '手续费', bank_ref: 'N2' }),
        line('2026-11-28', '200.00', { memo: '货款', bank_ref: 'N3', counterparty: { name: '客户乙', account: '6222000000000002' } }),
      ],
      { opening: { date: '2025-12-31', amount: '1000.00' }, closing: { date: '2026-11-30', amount: '1450.00' } },
    ),
    'nov.csv',
  );
  const manual = async (date: string, debit: string, credit: string, yuanFen: string, summary: string) => {
    const v = await t.call('clerk', 'vouchers.prepare', {
      date,
      lines: [
        { summary, subjectCode: debit, debit: yuanFen },
        { summary, subjectCode: credit, credit: yuanFen },
      ],
    });
    await t.call('approver', 'vouchers.review', { id: v.id, approve: true });
  };
  await manual('2026-10-15', '100201', '6051', '4000', '场地转租收入');
  await manual('2026-11-29', '100201', '6051', '8000', '场地转租收入');
  await manual('2026-11-30', '660301', '100201', '1500', '网银年费');
  if (opts.december) {
    await importStatement(
      t,
      statement(
        [line('2026-12-03', '100.00', { memo: '货款', bank_ref: 'D1', counterparty: { name: '客户丙', account: '6222000000000003' } })],
        {
          opening: { date: '2026-11-30', amount: '1450.00' },
          closing: { date: '2026-12-31', amount: '1600.00' },
        },
      ),
      'dec.csv',
    );
  }
  const bankAccount = await firstValue(t.anyBooks, 'SELECT ledger_account_id FROM bank_accounts WHERE id = ?', bankId);
  return { bankId, bankAccount };
}

/**
 * A book whose November passes every close check (for the month-end pack): statement opening 2026-10-31
 * 1,000.00; 11-05 +300.00 (客户甲); 11-10 −50.00 手续费; closing 2026-11-30 1,250.00 (it agrees with its
 * lines). October is closed by approver and confirmed by approver2 (王复核); the staff are logged in at
 * 2026-12-03 10:00. November's 科目余额表 over first-level subjects: opening 1,000.00 借 (1002) = 1,000.00
 * 贷 (4104); debits 300 (1002) + 50 (1221) = 350.00 = credits 300 (2241) + 50 (1002); closing 1,250 (1002)
 * + 50 (1221) = 1,300.00 = 300 (2241) + 1,000 (4104). Bank: books 1,250.00 = statement 1,250.00.
 */
export async function packBook(t: TestApi): Promise<void> {
  t.clock.now = Date.parse('2026-11-30T10:00:00+08:00');
  await addStaff(t.call, { username: 'approver2', displayName: '王复核', role: 'approver' });
  await setUpBank(t);
  await importStatement(
    t,
    statement(
      [
        line('2026-11-05', '300.00', { memo: '货款', bank_ref: 'N1', counterparty: { name: '客户甲', account: '6222000000000001' } }),
        line('2026-11-10', '-50.00', { memo: '手续费', bank_ref: 'N2' }),
      ],
      { opening: { date: '2026-10-31', amount: '1000.00' }, closing: { date: '2026-11-30', amount: '1250.00' } },
    ),
    'nov.csv',
  );
  t.clock.now = Date.parse('2026-12-03T10:00:00+08:00');
  for (const username of ['admin', 'clerk', 'approver', 'auditor', 'approver2'])
    await t.call(username, 'session.login', { username, password: PASSWORD });
  await closeMonth(t, '2026-10');
}

/** Closes a month: approver closes, approver2 confirms. */
export async function closeMonth(t: TestApi, month: string): Promise<void> {
  await t.runJob('approver', 'periods.close', { month });
  await t.runJob('approver2', 'periods.confirm', { month });
}
