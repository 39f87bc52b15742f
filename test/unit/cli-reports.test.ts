// `coffer report balances` and `coffer report bank-reconciliation` through the real executable, over the
// hand-worked book of test/support/report-fixtures.ts (figures explained there and in period-reports.test.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { NOVEMBER_TOTALS, reportBook } from '../support/report-fixtures';
import { PASSWORD, staffedApi, type TestApi } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let t: TestApi;
let db: string;

beforeAll(async () => {
  t = await staffedApi();
  await reportBook(t, { december: true });
  await t.dispatcher.jobs.settle();
  db = t.anyBooks.path; // the books file, or on PostgreSQL their URL
}, 60_000);
afterAll(async () => t.cleanup());

describe('coffer report balances', () => {
  it('prints the 科目余额表 in yuan with balancing totals, and the same figures as JSON in fen', async () => {
    const r = await coffer(['report', 'balances', '--db', db, '--month', '2026-11']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('科目余额表 2026-11 (2026-11-01 to 2026-11-30, by business date)');
    expect(r.stdout).toContain('balanced');
    // Bank 100201: opening 1,040.00 借, debits 580.00, credits 65.00, closing 1,555.00 借.
    expect(r.stdout).toMatch(
      /100201\s+招商银行 杭州分行 0101 \(招商银行 杭州分行 0101\)\s+1040\.00\s+0\.00\s+580\.00\s+65\.00\s+1555\.00\s+0\.00/,
    );
    // Totals: 1,040 = 1,040; 645 = 645; 1,620 = 1,620.
    expect(r.stdout).toMatch(/total\s+1040\.00\s+1040\.00\s+645\.00\s+645\.00\s+1620\.00\s+1620\.00/);
    const j = JSON.parse((await coffer(['report', 'balances', '--db', db, '--month', '2026-11', '--json'])).stdout) as {
      unit: string;
      balanced: boolean;
      totals: Record<string, string>;
      lines: { code: string; closing: { direction: string; amount: string } }[];
    };
    expect(j.unit).toBe('fen');
    expect(j.balanced).toBe(true);
    expect(j.totals).toEqual(NOVEMBER_TOTALS);
    expect(j.lines.find((l) => l.code === '6051')!.closing).toEqual({ direction: 'credit', amount: '12000' });
  });

  it('as a named user, and refuses a bad month or a missing one as usage (exit 2)', async () => {
    const named = await coffer(['report', 'balances', '--db', db, '--month', '2026-12', '--as', 'auditor'], `${PASSWORD}\n`);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('科目余额表 2026-12');
    const bad = await coffer(['report', 'balances', '--db', db, '--month', '2026-13']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--month "2026-13" is not a month');
    expect((await coffer(['report', 'balances', '--db', db])).code).toBe(2);
  });
});

describe('coffer report bank-reconciliation', () => {
  it('November agrees: the manual vouchers are 企业已收/已付银行未收/未付, line by line', async () => {
    const r = await coffer(['report', 'bank-reconciliation', '--db', db, '--month', '2026-11']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/books balance \(企业银行存款日记账余额\)\s+1555\.00/);
    expect(r.stdout).toMatch(/statement balance \(银行对账单余额\)\s+2026-11-30\s+nov\.csv\s+1450\.00/);
    expect(r.stdout).toMatch(/\+ received in the books, not by the bank \(企业已收银行未收\)\s+120\.00/);
    expect(r.stdout).toMatch(/2026-10-15\s+记-2026-10-0001\s+场地转租收入\s+40\.00/);
    expect(r.stdout).toMatch(/− paid in the books, not by the bank \(企业已付银行未付\)\s+15\.00/);
    expect(r.stdout).toContain('the adjusted balances agree');
  });

  it('December shows the 50.00 the statement file is missing, exit 1; --json in fen; --bank-account by number', async () => {
    const r = await coffer(['report', 'bank-reconciliation', '--db', db, '--month', '2026-12', '--bank-account', '571900000010101']);
    expect(r.code).toBe(1);
    // books 1,655.00 vs statement 1,600.00 + 120.00 − 15.00 = 1,705.00
    expect(r.stdout).toContain('DIFFERENCE (books − statement): -50.00');
    const j = JSON.parse((await coffer(['report', 'bank-reconciliation', '--db', db, '--month', '2026-12', '--json'])).stdout) as {
      unit: string;
      accounts: { booksAdjusted: string; bankAdjusted: string; difference: string; balanced: boolean }[];
    };
    expect(j.unit).toBe('fen');
    expect(j.accounts.map((a) => [a.booksAdjusted, a.bankAdjusted, a.difference, a.balanced])).toEqual([
      ['165500', '170500', '-5000', false],
    ]);
    const none = await coffer(['report', 'bank-reconciliation', '--db', db, '--month', '2026-12', '--bank-account', '999']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('NOT_FOUND');
  });
});
