// `coffer month-end pack` (issue 12 §6, name and flags fixed) through the real executable: the workbook and,
// with --pdf, a PDF printed by the machine's Chromium; refused while a close check fails, over an existing
// file without --force, and without --as. The book: test/support/report-fixtures.ts#packBook.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findChromium } from '../../main/cli/chromium-printer';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { packBook } from '../support/report-fixtures';
import { PASSWORD, staffedApi, type TestApi } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let db: string;
let dir: string;
let t: TestApi;

beforeAll(async () => {
  t = await staffedApi();
  await packBook(t);
  await t.dispatcher.jobs.settle();
  dir = t.dir;
  db = t.anyBooks.path; // the books file, or on PostgreSQL their URL
});
afterAll(async () => t?.cleanup());

const pack = (user: string, ...args: string[]) => coffer(['month-end', 'pack', '--db', db, '--as', user, ...args], `${PASSWORD}\n`);

describe('coffer month-end pack', () => {
  it('writes the workbook and a PDF of the month, and refuses a month whose checks fail', async () => {
    expect(findChromium()).not.toBeNull(); // Debian's chromium: scripts/ensure-browser.sh installs it
    const out = path.join(dir, 'pack.xlsx');
    const pdf = path.join(dir, 'pack.pdf');
    const r = await pack('auditor', '--month', '2026-11', '--out', out, '--pdf', pdf);
    expect(r.stderr).not.toMatch(/INTERNAL|error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Month-end pack of 2026-11 written:\n {2}workbook .*pack\.xlsx \(\d+ bytes, sha256 [0-9a-f]{64}\)\n {2}PDF +.*pack\.pdf/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets).toHaveLength(8);
    const bytes = fs.readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Cover, 科目余额表, balance sheet, income statement, 调节表: at least a page each.
    expect(bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g)!.length).toBeGreaterThanOrEqual(5);

    const again = await pack('auditor', '--month', '2026-11', '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; pass --force to replace it');
    const json = await pack('auditor', '--month', '2026-11', '--out', out, '--force', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ month: '2026-11', pdf: null, workbook: { path: out } });

    const december = await pack('auditor', '--month', '2026-12', '--out', path.join(dir, 'dec.xlsx'));
    expect(december.code).toBe(1);
    expect(december.stderr).toContain('of the close checks of 2026-12 do not pass');
    expect(fs.existsSync(path.join(dir, 'dec.xlsx'))).toBe(false);
    const noUser = await coffer(['month-end', 'pack', '--db', db, '--month', '2026-11', '--out', path.join(dir, 'x.xlsx')]);
    expect(noUser.code).toBe(2);
  });
});
