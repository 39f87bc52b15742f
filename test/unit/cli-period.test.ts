// `coffer period status|close|confirm|reopen` and `coffer verify --json`'s ties, through the real
// executable: the same API methods and role checks as the console's 结账 screen.
import { describe, expect, it, vi } from 'vitest';
import { withCliBooks } from '../support/books-hooks';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { PASSWORD } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let db: string;

withCliBooks(
  'coffer-cli-period-',
  [
    { username: 'admin2', role: 'admin' },
    { username: 'approver', role: 'approver' },
    { username: 'approver2', role: 'approver' },
  ],
  async (cli) => {
    db = cli.db;
    await cli.dispatcher.jobs.settle();
  },
);

const as = (user: string, ...args: string[]) => coffer([...args, '--db', db, '--as', user], `${PASSWORD}\n`);

describe('coffer period', () => {
  it('prints each check with its figure, closes with four eyes, says so when nothing changes, and reopens with two admins', async () => {
    const status = await coffer(['period', 'status', '--db', db, '--month', '2020-01']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('2020-01: open');
    expect(status.stdout).toContain('ok   month_ended: 2020-01 ended on 2020-01-31');
    expect(status.stdout).toContain('ok   verify: verify finds nothing;');
    const json = JSON.parse((await coffer(['period', 'status', '--db', db, '--month', '2020-01', '--json'])).stdout) as { ready: boolean };
    expect(json.ready).toBe(true);

    expect((await as('approver', 'period', 'close', '--month', '2020-01')).stdout).toBe(
      '2020-01 is closed and waits for a second person to confirm.\n',
    );
    const own = await as('approver', 'period', 'confirm', '--month', '2020-01');
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('four eyes: approver closed 2020-01, so another person confirms it');
    expect((await as('approver2', 'period', 'confirm', '--month', '2020-01')).stdout).toBe('2020-01 is closed.\n');
    const again = await as('approver', 'period', 'close', '--month', '2020-01');
    expect([again.code, again.stdout]).toEqual([0, '2020-01 is already closed; nothing changed.\n']);

    expect((await as('admin', 'period', 'reopen', '--month', '2020-01', '--reason', 'a late correction')).code).toBe(0);
    expect((await as('admin', 'period', 'reopen', '--month', '2020-01')).code).toBe(1);
    expect((await as('admin2', 'period', 'reopen', '--month', '2020-01')).stdout).toBe('2020-01 is open again.\n');

    const bad = await coffer(['period', 'close', '--db', db, '--month', '2020-13']);
    expect(bad.code).toBe(2);
  }, 400_000);

  it('verify --json carries the ties with their figures', async () => {
    const r = await coffer(['verify', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ties: { name: string; ok: boolean; expected: string; actual: string }[] };
    expect(report.ties.map((t) => t.name)).toEqual([
      'unallocated_receipts',
      'customer_prepayments',
      'refunds_payable',
      'earnings_payable',
      'payouts_payable',
      'wallet_control:RECHARGE_COIN',
      'wallet_movements:RECHARGE_COIN',
      'wallet_control:EARNINGS_COIN',
      'wallet_movements:EARNINGS_COIN',
      'invoice_reservations',
    ]);
    expect(report.ties.every((t) => t.ok && t.expected === '0' && t.actual === '0')).toBe(true);
    expect((await coffer(['verify', '--db', db])).stdout).toContain('Ties (10 of 10 hold):');
  }, 60_000);
});
