// coffer vouchers add | review | list: the real executable over books seeded through the API.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { withCliBooks } from '../support/books-hooks';
import { coffer, CLI_TEST_TIMEOUT, VOUCHER_STAFF } from '../support/cli-run';
import { PASSWORD } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let dir: string;
let db: string;
withCliBooks('coffer-cli-vouchers-', VOUCHER_STAFF, (cli) => {
  ({ dir, db } = cli);
});

const write = (name: string, body: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
};
const FEE = {
  date: '2026-11-20',
  attachments: 1,
  lines: [
    { summary: '银行手续费', account: '660301', debit: '25.00' },
    { summary: '银行手续费', account: '122101', credit: '25.00' },
  ],
};

describe('coffer vouchers', () => {
  it('add prepares a draft from the file; review by another approver posts it; list shows it', async () => {
    const add = await coffer(['vouchers', 'add', '--db', db, '--file', write('fee.json', FEE), '--as', 'clerk'], `${PASSWORD}\n`);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Prepared 记-2026-11-0001');
    expect(add.stdout).toContain('660301 手续费  借 25.00');
    expect(add.stdout).toContain('122101 待清理付款  贷 25.00');

    // The preparer's own review is refused (four eyes); a clerk may not review at all.
    const own = await coffer(['vouchers', 'review', '--db', db, '--number', '记-2026-11-0001', '--as', 'clerk'], `${PASSWORD}\n`);
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('FORBIDDEN');

    const review = await coffer(
      ['vouchers', 'review', '--db', db, '--number', '记-2026-11-0001', '--note', '核对无误', '--as', 'approver'],
      `${PASSWORD}\n`,
    );
    expect(review.stderr).toBe('');
    expect(review.code).toBe(0);
    expect(review.stdout).toContain('记-2026-11-0001 posted by approver');

    const again = await coffer(
      ['vouchers', 'review', '--db', db, '--number', '记-2026-11-0001', '--reject', '--as', 'approver'],
      `${PASSWORD}\n`,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was already reviewed');

    const list = await coffer(['vouchers', 'list', '--db', db, '--month', '2026-11', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        name: '记-2026-11-0001',
        date: '2026-11-20',
        summary: '银行手续费',
        status: 'posted',
        debit: '25.00',
        credit: '25.00',
        preparedBy: '李出纳',
        reviewedBy: '赵审核',
        attachments: 1,
      }),
    ]);
    const text = await coffer(['vouchers', 'list', '--db', db, '--month', '2026-11']);
    expect(text.stdout).toContain('2026-11-20  记-2026-11-0001  银行手续费  debit 25.00  credit 25.00  李出纳  赵审核  posted (已记账)');
    expect((await coffer(['vouchers', 'list', '--db', db, '--month', '2026-10'])).stdout).toBe('No vouchers in 2026-10.\n');
  });

  it('refuses an unbalanced file naming the difference, and a malformed one naming the field; nothing written', async () => {
    const unbalanced = { ...FEE, lines: [FEE.lines[0], { ...FEE.lines[1], credit: '24.50' }] };
    const r = await coffer(['vouchers', 'add', '--db', db, '--file', write('bad.json', unbalanced), '--as', 'clerk'], `${PASSWORD}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('VALIDATION: debits 25.00 and credits 24.50 differ by 0.50');
    const amount = { ...FEE, lines: [{ ...FEE.lines[0], debit: '25,0' }, FEE.lines[1]] };
    const m = await coffer(['vouchers', 'add', '--db', db, '--file', write('amount.json', amount), '--as', 'clerk'], `${PASSWORD}\n`);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('lines[0].debit: "25,0" is not an amount in yuan');
    const notJson = await coffer(['vouchers', 'add', '--db', db, '--file', write('x.json', '{'), '--as', 'clerk'], `${PASSWORD}\n`);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain('not JSON');
    // Refused calls write nothing but the logins' audit rows: the vouchers are unchanged.
    const list = await coffer(['vouchers', 'list', '--db', db, '--json']);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('usage: missing options exit 2; --month is checked', async () => {
    expect((await coffer(['vouchers', 'add', '--db', db, '--as', 'clerk'])).code).toBe(2);
    expect((await coffer(['vouchers', 'review', '--db', db, '--as', 'approver'])).code).toBe(2);
    const bad = await coffer(['vouchers', 'list', '--db', db, '--month', '2026-13']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--month must be YYYY-MM');
  });
});
