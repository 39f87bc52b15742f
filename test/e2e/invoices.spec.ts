// Invoices end to end in Chromium, over the real dispatcher and a temporary books file. Two customers
// have credited recharges (the company 1,288.00 and 5,000.00, 张三 648.00). An admin proposes the
// invoice product as a 6 % service and a second admin confirms it. The platform's events bring the
// company's requests for a 增值税专用发票 — one with a mistyped taxpayer id — and a clerk enters 张三's
// at the counter; the clerk checks them from the keyboard: the mistyped id is rejected with the field
// named in Chinese. An approver rejects 张三's with a reason and issues the company's: the serial is
// shown, the invoice page splits the tax per line, a partial red-letter reversal leaves the rest. The
// blue invoice is exported as the tax bureau's workbook (its sheets read back with exceljs), the
// register too, the tax platform's 20-digit number is imported and found by search, and the
// customer's page shows what was invoiced and what is still invoiceable.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { loseNextAnswer, startHarness, type Harness } from '../support/bridge';
import { importEvents, staffClient } from '../support/e2e-approvals';
import { BAD_USCC, GOOD_USCC, seedCreditedRecharges, writeInvoiceEvents, writeInvoiceNumbers, type Seeded } from '../support/e2e-invoices';
import { publish, shot, shotAnd1280 } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { inWriteTx } from '../../main/db/tx';
import { applyInvoiceNumbers } from '../../main/services/invoices';
import { bookRow, requestRowId, seedStaff, ui, type StaffUser, openWindow, closeWindow, tableRows, OFFICE } from '../support/e2e-ui';

// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const { admin: ADMIN, admin2: ADMIN2 } = OFFICE;
const CLERK: StaffUser = { username: 'clerk', displayName: '王芳', role: 'clerk', password: 'clerk-pass-2026' };
const APPROVER: StaffUser = { username: 'approver', displayName: '李强', role: 'approver', password: 'approver-pass-2026' };
const AUDITOR: StaffUser = { username: 'auditor', displayName: '孙审', role: 'auditor', password: 'auditor-pass-2026' };

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;
let s: Seeded;

const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const BLUE = `FP${year}000001`;
const RED = `HZ${year}000001`;
const NUMBER = '26332000000012345678';
const rows = (testId: string) => tableRows(page, testId);
const requestDbId = (ref: string) => requestRowId(h, 'invoice_requests', ref);

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await seedStaff(h, [ADMIN, ADMIN2, CLERK, APPROVER, AUDITOR]);
  s = await seedCreditedRecharges(h, {
    admin: ADMIN.password,
    clerk: CLERK.password,
    approver: APPROVER.password,
    auditor: AUDITOR.password,
  });
  page = await openWindow(browser, h);
  u = ui(page);
});

test.afterAll(() => closeWindow(page, h));

step('an admin proposes the invoice product as a 6 % service; a second admin confirms it', async () => {
  await u.settingsAs(ADMIN, 'invoicing');
  await expect(page.getByTestId('invset-in-force')).toContainText('预付卡销售和充值');
  await expect(page.getByTestId('invset-in-force')).toContainText('不征税');
  await u.input('invset-item').fill('平台虚拟币充值服务');
  await u.input('invset-code').fill('3040201010000000000');
  await page.getByTestId('invset-not-taxable').click();
  await page.getByTestId('invset-ordinary-only').click();
  await u.input('invset-rate').fill('6');
  await u.input('invset-reason').fill('税务口径：平台币按信息技术服务 6% 开票');
  await page.getByTestId('invset-propose').click();
  await expect(rows('invset-versions')).toHaveCount(1);
  await expect(rows('invset-versions').first()).toContainText('四眼原则');
  await shot(page, 'invoice-product-proposed');
  await u.logout();

  await u.settingsAs(ADMIN2, 'invoicing');
  const id = bookRow<{ id: number }>(h, "SELECT id FROM setting_changes WHERE key = 'invoice.product'").id;
  await page.getByTestId(`invset-confirm-${id}`).click();
  await expect(page.getByTestId(`invset-status-${id}`)).toHaveText('已确认');
  await expect(page.getByTestId('invset-in-force')).toContainText('平台虚拟币充值服务');
  await expect(page.getByTestId('invset-in-force')).toContainText('6%');
  await expect(page.getByTestId('invset-in-force')).toContainText('普通发票和增值税专用发票');
  await shot(page, 'invoice-product-confirmed');
  await u.logout();
});

step('requests from the events and the counter; the clerk checks them and sees each problem by its field', async () => {
  const clerk = await staffClient(h, 'seed-clerk', CLERK.username, CLERK.password);
  const imported = await importEvents(clerk, h, writeInvoiceEvents(h.dir, s));
  expect(imported.applied).toBe(2);

  await u.login(CLERK);
  await u.goTo('invoices');
  await expect(page.getByTestId('nav-invoices')).toHaveText('开票');
  await expect(rows('invreq-table')).toHaveCount(2);
  await expect(page.getByTestId(`invreq-status-${requestDbId('INV-EV-0001')}`)).toHaveText('待检查');

  // 张三 asks at the counter for an ordinary invoice over 600.00 of his 648.00.
  await page.getByTestId('invreq-counter').click();
  await u.typeAndPick('counter-invoice-customer', '张三');
  const recs = page.getByTestId('counter-invoice-records');
  await expect(rows('counter-invoice-records')).toHaveCount(1);
  await expect(recs).toContainText('648.00');
  await recs.locator('tbody .ant-checkbox-input').first().check();
  await u.input('counter-invoice-amount').fill('600.00');
  await u.input('counter-invoice-buyer').fill('张三');
  await page.getByLabel('购买方是自然人').check();
  await shot(page, 'invoice-counter-request');
  // The first answer is lost on its way back; the clerk presses OK again, and the dialog's one request id
  // finds the request already recorded rather than recording a second.
  await loseNextAnswer(page, 'invoices.createRequest');
  await page.getByTestId('counter-invoice-ok').click();
  await expect(page.getByTestId('counter-invoice-error')).toBeVisible();
  await page.getByTestId('counter-invoice-ok').click();
  await expect(rows('invreq-table')).toHaveCount(3);
  await expect(rows('invreq-table').first()).toContainText('柜台录入');
  await expect(rows('invreq-table').first()).toContainText('600.00');

  // The keyboard: space selects the counter request (first row), j moves, space selects the rest, c checks.
  await page.getByTestId('invreq-counts').click();
  await page.keyboard.press(' ');
  await page.keyboard.press('j');
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('invreq-counts')).toContainText('已选 3 笔');
  await page.keyboard.press('c');
  const results = page.getByTestId('invreq-results');
  await expect(page.getByTestId('invreq-results-good')).toContainText('2');
  await expect(page.getByTestId('invreq-results-rejected')).toContainText('1');
  await expect(results.locator('tr', { hasText: 'INV-EV-0001' })).toContainText(`纳税人识别号：“${BAD_USCC}”的统一社会信用代码校验位不符`);
  await expect(results.locator('tr', { hasText: 'INV-EV-0002' })).toContainText('6,288.00');
  // The queue keeps the failed request's problems beside it once the default filter shows it.
  await page.getByTestId('invreq-filter-status').locator('.ant-select-clear').click({ force: true });
  await page.getByTestId('invreq-search').click();
  const bad = requestDbId('INV-EV-0001');
  await expect(page.getByTestId(`invreq-status-${bad}`)).toHaveText('已驳回');
  await expect(page.getByTestId(`invreq-problems-${bad}`)).toContainText(`${BAD_USCC}”的统一社会信用代码校验位不符`);
  await expect(page.getByTestId(`invreq-check-${requestDbId('INV-EV-0002')}`)).toContainText('已检查，待开具');
  await shot(page, 'invoice-requests-checked').then((f) => publish(f, 'invoice-requests.png'));
  expect(bookRow<{ n: number }>(h, "SELECT count(*) AS n FROM invoice_requests WHERE status = 'checked'").n).toBe(2);
  await u.logout();
});

step('an approver rejects one with a reason and issues the other; the serial is shown', async () => {
  await u.login(APPROVER);
  await u.goTo('invoices');
  await expect(rows('invreq-table')).toHaveCount(2); // submitted and checked only, by default
  // One counter request in the books, though it was sent twice.
  expect(bookRow<{ n: number }>(h, "SELECT count(*) AS n FROM invoice_requests WHERE request_id LIKE 'counter:%'").n).toBe(1);
  const counter = bookRow<{ id: number }>(h, "SELECT id FROM invoice_requests WHERE request_id LIKE 'counter:%'").id;
  await page.getByTestId(`invreq-reject-${counter}`).click();
  await u.input('invreq-reject-reason').fill('客户改为下月统一开票');
  await page.getByTestId('invreq-reject-ok').click();
  await expect(rows('invreq-table')).toHaveCount(1);

  // Enter unfolds the request: the buyer's details and what it holds of each recharge.
  await page.getByTestId('invreq-counts').click();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId(`invreq-detail-${requestDbId('INV-EV-0002')}`);
  await expect(detail).toContainText('杭州市西湖区文三路 90 号');
  await expect(detail.locator('tr.ant-table-row')).toHaveCount(2);
  await expect(detail.locator('tr.ant-table-row').filter({ hasText: s.b.receiptNo })).toContainText('5,000.00');
  await shot(page, 'invoice-request-detail');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('invreq-counts')).toContainText('已选 1 笔');
  await page.keyboard.press('i');
  const good = requestDbId('INV-EV-0002');
  await expect(page.getByTestId('invreq-results-good')).toContainText('1');
  await expect(page.getByTestId(`invreq-result-serial-${good}`)).toHaveText(BLUE);
  await expect(page.getByTestId('invreq-results')).toContainText('6,288.00');
  await shot(page, 'invoice-issued');
  expect(bookRow<{ n: number }>(h, "SELECT count(*) AS n FROM invoices WHERE kind = 'blue'").n).toBe(1);
});

step('the invoice page splits the tax per line; a partial red-letter reversal leaves the rest', async () => {
  await page.getByTestId(`invreq-result-serial-${requestDbId('INV-EV-0002')}`).click();
  await expect(page.getByTestId('inv-serial')).toHaveText(BLUE);
  await expect(page.getByTestId('inv-page-status')).toHaveText('已开具');
  await expect(page.getByTestId('inv-details')).toContainText(GOOD_USCC);
  await expect(page.getByTestId('inv-details')).toContainText('增值税专用发票');
  const lines = rows('inv-lines');
  await expect(lines).toHaveCount(2);
  // 1,288.00 at 6 % tax-inclusive: tax 72.91, net 1,215.09; 5,000.00: tax 283.02, net 4,716.98.
  await expect(lines.nth(0)).toContainText('1,215.09');
  await expect(lines.nth(0)).toContainText('72.91');
  await expect(lines.nth(0)).toContainText('6%');
  await expect(lines.nth(1)).toContainText('4,716.98');
  await expect(lines.nth(1)).toContainText('283.02');
  await expect(page.getByTestId('inv-lines')).toContainText('355.93');
  await expect(page.getByTestId('inv-gross')).toHaveText('6,288.00');
  await expect(page.getByTestId('inv-number')).toContainText('待回填');
  await shot(page, 'invoice-page');

  // Not before the tax platform has given the blue invoice its 20-digit number.
  await page.getByTestId('inv-reverse').click();
  await expect(page.getByTestId('inv-reverse-no-number')).toContainText('尚未回填 20 位发票号码');
  await expect(page.getByTestId('inv-reverse-ok')).toBeDisabled();
  await shot(page, 'invoice-reverse-no-number');
  await page.keyboard.press('Escape');
  const clerkId = bookRow<{ id: number }>(h, 'SELECT id FROM staff WHERE username = ?', CLERK.username).id;
  await inWriteTx(h.books, async (tx) =>
    applyInvoiceNumbers(
      tx,
      { staffId: clerkId, name: CLERK.username, role: 'clerk' },
      [{ line: 2, serial: BLUE, number: NUMBER }],
      'numbers.csv',
      Date.now(),
    ),
  );
  await page.reload();
  await page.getByTestId('inv-reverse').click();
  await expect(page.getByTestId('inv-reverse-blue-number')).toHaveText(NUMBER);
  await expect(page.getByTestId('inv-reverse-left')).toContainText('6,288.00');
  await page.getByTestId('inv-reverse-partial').click();
  await u.input('inv-reverse-amount').fill('7000');
  await expect(page.getByText('超过可红冲余额 6,288.00 元')).toBeVisible();
  await expect(page.getByTestId('inv-reverse-ok')).toBeDisabled();
  await u.input('inv-reverse-amount').fill('1000.00');
  await expect(page.getByTestId('inv-reverse-after')).toHaveText('本次红冲 1,000.00 元，红冲后剩余 5,288.00 元');
  await u.input('inv-reverse-reason').fill('客户退回部分充值');
  // The 红字确认单: its number, the reason category, and (a 专票) the buyer's confirmation.
  await expect(page.getByTestId('inv-reverse-ok')).toBeDisabled();
  await u.input('inv-reverse-form-no').fill('44010026111000000123');
  await page.getByTestId('inv-reverse-category').click();
  await page.getByTitle('销货退回').click();
  await page.getByTestId('inv-reverse-buyer-confirmed').click();
  await shotAnd1280(page, 'invoice-reverse-partial');
  await page.getByTestId('inv-reverse-ok').click();
  await expect(page.getByTestId('inv-page-status')).toHaveText('部分红冲');
  await expect(page.getByTestId('inv-left')).toHaveText('5,288.00');
  const reversal = rows('inv-reversals');
  await expect(reversal).toHaveCount(1);
  await expect(reversal.first()).toContainText(RED);
  await expect(reversal.first()).toContainText('1,000.00');
  await expect(reversal.first()).toContainText('56.60'); // the tax of 1,000.00 at 6 %
  await expect(reversal.first()).toContainText('客户退回部分充值');
  await expect(reversal.first()).toContainText('44010026111000000123');
  await expect(reversal.first()).toContainText('销货退回');
  await shot(page, 'invoice-page-reversed').then((f) => publish(f, 'invoice-page.png'));
  // The English switch: the same page, every label in English.
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('inv-page-status')).toHaveText('Partly reversed');
  await expect(page.getByTestId('inv-lines')).toContainText('Tax classification code');
  await expect(reversal.first()).toContainText('Sales return');
  await shot(page, 'invoice-page-en');
  await page.getByTestId('inv-reverse').click();
  await expect(page.getByText('The buyer has confirmed the form')).toBeVisible();
  await shotAnd1280(page, 'invoice-reverse-en');
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('inv-page-status')).toHaveText('部分红冲');
});

step('the blue invoice is exported as the tax bureau workbook, and the register with its summary', async () => {
  await page.getByTestId('inv-back').click();
  await page.evaluate(() => (location.hash = '#/invoices/list'));
  await expect(rows('inv-table')).toHaveCount(2);
  const invoiceId = (serial: string) => bookRow<{ id: number }>(h, 'SELECT id FROM invoices WHERE serial = ?', serial).id;
  const blueRow = rows('inv-table').filter({ has: page.getByTestId(`inv-link-${invoiceId(BLUE)}`) });
  await expect(blueRow).toContainText('部分红冲');
  await expect(rows('inv-table').filter({ has: page.getByTestId(`inv-link-${invoiceId(RED)}`) })).toContainText(`冲 ${BLUE}`);
  await blueRow.locator('.ant-checkbox-input').check();
  await expect(page.getByTestId('inv-selected')).toContainText('1 张');
  await shot(page, 'invoice-list');

  await page.getByTestId('inv-export').click();
  await expect(page.getByTestId('invexp-dialog')).toContainText('所选的 1 张蓝字发票');
  // A remark that a spreadsheet would take as a formula (planted in the books: the check refuses it at
  // the request) makes the export refuse, listing the invoice and the column; nothing is written.
  const refusedFile = `${h.dir}/refused.xlsx`;
  h.books.raw.prepare('UPDATE invoices SET remarks = ? WHERE serial = ?').run('=HYPERLINK("http://x")', BLUE);
  h.dialogs.nextSave = refusedFile;
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-problems')).toContainText('有 1 处税局系统会拒收的问题，未写出文件');
  await expect(page.getByTestId('invexp-problems')).toContainText(`${BLUE} 备注：不能以 = + - @ 开头（表格会当作公式）`);
  await shot(page, 'invoice-export-refused');
  expect(fs.existsSync(refusedFile)).toBe(false);
  h.books.raw.prepare('UPDATE invoices SET remarks = ? WHERE serial = ?').run('2026年11月平台充值', BLUE);
  const workbook = `${h.dir}/tax-batch.xlsx`;
  h.dialogs.nextSave = workbook;
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-path')).toContainText(workbook);
  await expect(page.getByTestId('invexp-done')).toContainText('发票 1 张，明细 2 行');
  await shot(page, 'invoice-export-done').then((f) => publish(f, 'invoice-export.png'));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(workbook);
  const names = wb.worksheets.map((w) => w.name);
  expect(names.slice(0, 4)).toEqual(['1-发票基本信息', '2-发票明细信息', '3-特定业务信息', '4-附加要素信息']);
  expect(wb.getWorksheet('1-发票基本信息')!.getRow(4).getCell(1).text).toBe(BLUE);
  await expect(page.getByTestId('invexp-mark')).toContainText('导出批次 #1');

  // The same invoice again: refused naming it; forced, it is written and recorded as forced.
  const again = `${h.dir}/tax-batch-2.xlsx`;
  h.dialogs.nextSave = again;
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-error')).toContainText(`1 张发票已导出过（${BLUE}；导出批次 #1）`);
  await expect(page.getByTestId('invexp-force')).toBeVisible();
  await shot(page, 'invoice-export-again-refused');
  expect(fs.existsSync(again)).toBe(false);
  await page.getByTestId('invexp-force').click();
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-mark')).toContainText('强制导出');
  await expect(page.getByTestId('invexp-again')).toContainText(BLUE);
  await shotAnd1280(page, 'invoice-export-forced');
  // The same in English: refused again, forced again.
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('inv-export').click();
  h.dialogs.nextSave = `${h.dir}/tax-batch-3.xlsx`;
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-force')).toBeVisible();
  await shot(page, 'invoice-export-again-refused-en');
  await page.getByTestId('invexp-force').click();
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-mark')).toContainText('forced');
  await shotAnd1280(page, 'invoice-export-forced-en');
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('inv-export').click();
  await page.getByTestId('invexp-kind-register').click();
  const register = `${h.dir}/register.xlsx`;
  h.dialogs.nextSave = register;
  await page.getByTestId('invexp-run').click();
  await expect(page.getByTestId('invexp-path')).toContainText(register);
  await expect(page.getByTestId('invexp-done')).toContainText('发票 2 张');
  h.dialogs.nextSave = null;
  const reg = new ExcelJS.Workbook();
  await reg.xlsx.readFile(register);
  expect(reg.worksheets.length).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('Escape');
});

step('the tax platform’s number is imported back and found by search', async () => {
  // A mistyped number refuses the whole file, each bad row named; nothing is recorded.
  h.dialogs.nextOpen = writeInvoiceNumbers(h.dir, [[BLUE, '2633200000001234567']]);
  await page.getByTestId('inv-import-numbers').click();
  await expect(page.getByTestId('inv-numbers-refused-file')).toContainText('1 行有误，整个文件未记录');
  await expect(page.getByTestId('inv-numbers-refused-file')).toContainText('第 2 行：“2633200000001234567”不是 20 位发票号码');
  await shot(page, 'invoice-numbers-refused');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('inv-numbers-refused-file')).toBeHidden();
  h.dialogs.nextOpen = writeInvoiceNumbers(h.dir, [
    [BLUE, NUMBER],
    ['FP1999000009', '26332000000099999999'],
  ]);
  await page.getByTestId('inv-import-numbers').click();
  // The number was recorded before the reversal: the file finds it unchanged.
  await expect(page.getByTestId('inv-numbers-result')).toContainText('未变 1 张');
  await expect(page.getByTestId('inv-numbers-result')).toContainText('第 3 行：没有流水号为 FP1999000009 的发票');
  await shot(page, 'invoice-numbers-imported');
  h.dialogs.nextOpen = null;
  await page
    .getByRole('button', { name: '关 闭' })
    .or(page.getByRole('button', { name: '关闭' }))
    .first()
    .click();
  await u.input('inv-filter-number').fill(NUMBER);
  await page.getByTestId('inv-search').click();
  await expect(rows('inv-table')).toHaveCount(1);
  await expect(rows('inv-table').first()).toContainText(BLUE);
  await expect(rows('inv-table').first()).toContainText(NUMBER);
  await u.input('inv-filter-number').fill('');
  await u.input('inv-filter-buyer').fill('云帆');
  await page.getByTestId('inv-search').click();
  await expect(rows('inv-table')).toHaveCount(2);
  await shot(page, 'invoice-search');
});

step('the customer’s page shows what was invoiced and what is still invoiceable', async () => {
  await page.evaluate((id) => (location.hash = `#/customers/c/${id}`), s.company.customerId);
  await page.getByTestId('ctab-invoicing').click();
  // Paid 6,288.00; 6,288.00 − 1,000.00 reversed = 5,288.00 invoiced; 1,000.00 invoiceable again.
  await expect(page.getByTestId('cust-invoiced')).toHaveText('5,288.00');
  await expect(page.getByTestId('cust-invoiceable')).toHaveText('1,000.00');
  await expect(rows('cust-invoicing-records')).toHaveCount(2);
  await shot(page, 'invoice-customer');
  await page.evaluate((id) => (location.hash = `#/customers/c/${id}`), s.person.customerId);
  await page.getByTestId('ctab-invoicing').click();
  // 张三's request was rejected: all of his 648.00 is invoiceable again.
  await expect(page.getByTestId('cust-invoiceable')).toHaveText('648.00');
  await u.logout();
});

test('invoices: product, requests, issue, red-letter, tax bureau workbook, numbers back, customer page', run);
