// coffer export vouchers: the real executable over books seeded through the API — the export is
// written and recorded, a second one refused listing the vouchers, forced only by an approver or admin.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { verifyBooks } from '../../main/services/verify';
import { withCliBooks } from '../support/books-hooks';
import { coffer, sha256, CLI_TEST_TIMEOUT, VOUCHER_STAFF } from '../support/cli-run';
import { PASSWORD } from '../support/temp-books';
import type { AnyBooks } from '../../main/db/tx';
import { KINGDEE_HEADER } from '../support/workbook-layouts';
import { postVoucher, prepareVoucher } from '../support/vouchers';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let dir: string;
let db: string;
let books: AnyBooks;

withCliBooks('coffer-cli-gl-', VOUCHER_STAFF, async ({ made, as, ...cli }) => {
  ({ dir, db } = cli);
  books = made.books;
  // Dr 660301 手续费 25.00 / Cr 122101 待清理付款 25.00, posted; and a draft that stays a draft.
  await postVoucher(as, { date: '2026-11-20', attachments: 1, debit: '660301', credit: '122101', amount: '2500', summary: '银行手续费' });
  await prepareVoucher(as, { date: '2026-11-21', debit: '660301', credit: '122101', amount: '100', summary: '草稿' });
});

/** `coffer export vouchers` of 2026-11 in `format` to `out`, with any further arguments. */
const exportVouchers = (format: string, out: string, ...more: string[]) => [
  'export',
  'vouchers',
  '--db',
  db,
  '--month',
  '2026-11',
  '--format',
  format,
  '--out',
  out,
  ...more,
];

describe('coffer export vouchers', () => {
  it('writes the Kingdee layout, records it, refuses a second export, and an approver forces one', async () => {
    const out = path.join(dir, 'kis.xlsx');
    const first = await coffer(exportVouchers('kingdee', out));
    expect(first.stderr).toContain('skipped 记-2026-11-0002 (draft)');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Wrote 1 vouchers (2 lines) of 2026-11 in the kingdee layout');
    expect(first.stdout).toContain(`sha256 ${sha256(out)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 1 + KINGDEE_HEADER.length)).toEqual(KINGDEE_HEADER);
    expect((ws.getRow(2).values as unknown[]).slice(1, 10)).toEqual(['2026-11-20', '记', 1, 1, '银行手续费', '660301', '手续费', 25, 0]);
    expect((ws.getRow(3).values as unknown[]).slice(6, 10)).toEqual(['122101', '待清理付款', 0, 25]);

    const again = await coffer(exportVouchers('yonyou', path.join(dir, 'u8.xlsx')));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CONFLICT');
    expect(again.stderr).toContain('1 voucher(s) of 2026-11 were exported before (记-2026-11-0001');
    expect(fs.existsSync(path.join(dir, 'u8.xlsx'))).toBe(false);

    // --force needs an admin or approver: without --as the CLI has an auditor's rights.
    const offline = await coffer(exportVouchers('yonyou', path.join(dir, 'u8.xlsx'), '--force'));
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('may not force a second export');
    const forced = await coffer(
      exportVouchers('yonyou', path.join(dir, 'u8.xlsx'), '--force', '--as', 'approver', '--json'),
      `${PASSWORD}\n`,
    );
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ forced: true, vouchers: 1, again: ['记-2026-11-0001'], format: 'yonyou' });

    const rows = await books.sql('SELECT format, forced, exported_by, exported_by_name AS who FROM voucher_exports ORDER BY id').all();
    expect(rows).toEqual([
      { format: 'kingdee', forced: 0, exported_by: null, who: '(offline, no --as)' },
      { format: 'yonyou', forced: 1, exported_by: expect.any(Number), who: 'approver' },
    ]);
    expect((await verifyBooks(books)).findings).toEqual([]);
  });

  it('refuses bad arguments with usage errors (exit 2)', async () => {
    const base = ['export', 'vouchers', '--db', db, '--out', path.join(dir, 'x.xlsx')];
    expect((await coffer([...base, '--month', '2026-11', '--format', 'sap'])).code).toBe(2);
    expect((await coffer([...base, '--month', '2026-13', '--format', 'kingdee'])).code).toBe(2);
    expect((await coffer([...base, '--format', 'kingdee'])).stderr).toContain('--month is required');
    const empty = await coffer([...base, '--month', '2026-10', '--format', 'kingdee']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no posted vouchers in 2026-10');
  });
});
