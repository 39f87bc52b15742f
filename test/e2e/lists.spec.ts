// Every list's tools, on 充值申请 (issue 13 §2), over its own books: 客户甲 asks 1,288.00 and 3,999.50,
// 客户乙 168.50 and 50.00 at the counter. Filtered to 100.00 and more, three are left; the Excel file holds
// them under the filter line with 合计 5,456.00 (1,288.00 + 3,999.50 + 168.50, by hand). Selecting them
// shows "已选 3 笔 合计 ¥5,456.00"; the amount column sorts; a hidden column stays hidden after a reload;
// a saved filter survives a reload and puts its values back; the header's search finds a request by its
// counter number and opens it. The customer list exports what its search finds.
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../support/bridge';
import { harnessApi } from '../support/e2e-invoices';
import { shot } from '../support/e2e-shots';
import { seedStaff, ui, type StaffUser, openWindow, closeWindow, OFFICE } from '../support/e2e-ui';
import { payer, request } from '../support/recharge-fixtures';

const { admin: ADMIN } = OFFICE;
const CLERK: StaffUser = { username: 'clerk', displayName: '王芳', role: 'clerk', password: 'clerk-pass-2026' };

let h: Harness;
let page: Page;
const numbers: string[] = [];

/** The list's Excel button pressed, its note of `count` rows awaited, and the file's sheet read back. */
async function exportedSheet(list: string, count: string): Promise<ExcelJS.Worksheet> {
  const file = `${h.dir}/${list}.xlsx`;
  h.dialogs.nextSave = file;
  await page.getByTestId(`${list}-excel`).click();
  await expect(page.getByTestId(`${list}-exported`)).toContainText(count);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.worksheets[0]!;
}

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await seedStaff(h, [ADMIN, CLERK]);
  const t = harnessApi(h);
  await t.call('clerk', 'session.login', { username: CLERK.username, password: CLERK.password });
  const jia = await payer(t, 1, '客户甲');
  const yi = await payer(t, 2, '客户乙');
  for (const [p, yuan] of [
    [jia, '1288.00'],
    [jia, '3999.50'],
    [yi, '168.50'],
    [yi, '50.00'],
  ] as const) {
    const r = await request(t, p, yuan);
    numbers.push(
      (h.books.raw.prepare('SELECT number FROM counter_numbers WHERE request_id = ?').get(r.request_id) as { number: string }).number,
    );
  }
  await t.call('clerk', 'session.logout', {});
  page = await openWindow(browser, h, { viewport: { width: 1280, height: 720 } });
});

test.afterAll(() => closeWindow(page, h));

// The amount column: after the selection box, #, time, number, status and customer (amounts before secondary columns).
const amounts = () => page.getByTestId('request-table').locator('tbody tr.ant-table-row td:nth-child(7)').allInnerTexts();

test('a filtered list exports, sums its selection, sorts, keeps its columns, and the search opens a request', async () => {
  test.setTimeout(240_000);
  const u = ui(page);
  await u.login(CLERK);
  await u.goTo('recharges');
  await expect(page.getByTestId('request-table').locator('tbody tr.ant-table-row')).toHaveCount(4);

  await page.getByTestId('filter-min').fill('100');
  await page.getByTestId('filter-search').click();
  await expect(page.getByTestId('request-table').locator('tbody tr.ant-table-row')).toHaveCount(3);
  await expect(page.getByTestId('requests-total')).toContainText('5,456.00');

  // Excel of what is filtered, read back
  const ws = await exportedSheet('requests', '3');
  expect(ws.getCell('A1').value).toBe('充值申请');
  expect(ws.getCell('A2').value).toBe('筛选：申请金额 ≥ 100  共 3 行');
  const header = (ws.getRow(3).values as unknown[]).slice(1);
  const amountCol = header.indexOf('申请金额') + 1;
  expect(amountCol).toBeGreaterThan(0);
  expect(ws.getRow(7).getCell(amountCol).value).toBe(5456);
  expect(ws.getRow(7).getCell(amountCol).numFmt).toBe('#,##0.00');

  // the selection's sum
  await page.getByTestId('request-table').locator('thead .ant-checkbox-input').check();
  await expect(page.getByTestId('selection-sum')).toHaveText('已选 3 笔 合计 ¥5,456.00');
  await shot(page, 'lists-requests-zh-CN');

  // sorting what is shown: ascending by amount
  await page.getByTestId('request-table').locator('thead th', { hasText: '申请金额' }).click();
  await expect.poll(amounts).toEqual(['168.50', '1,288.00', '3,999.50']);

  // save this filter as 大额 (it outlives the reload below)
  await page.getByTestId('requests-filters').click();
  await page.getByTestId('requests-save-filter').click();
  await page.getByTestId('requests-filter-name').fill('大额');
  await page.getByTestId('requests-save-ok').click();

  // hide 付款银行卡; it stays hidden after a reload
  await page.getByTestId('requests-columns').click();
  await page.getByTestId('requests-column-payer').click();
  await expect(page.getByTestId('request-table').locator('thead th', { hasText: '付款银行卡' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('request-table').locator('tbody tr.ant-table-row').first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('request-table').locator('thead th', { hasText: '申请金额' })).toHaveCount(1);
  await expect(page.getByTestId('request-table').locator('thead th', { hasText: '付款银行卡' })).toHaveCount(0);

  // after the reload all four show; the saved filter puts 100 and more back and searches
  await expect(page.getByTestId('request-table').locator('tbody tr.ant-table-row')).toHaveCount(4);
  await page.getByTestId('requests-filters').click();
  await page.getByTestId('requests-saved-大额').click();
  await expect(page.getByTestId('filter-min')).toHaveValue('100');
  await expect(page.getByTestId('request-table').locator('tbody tr.ant-table-row')).toHaveCount(3);
  await expect(page.getByTestId('requests-total')).toContainText('5,456.00');

  // the header's search: Ctrl+K, a counter number, Enter → the request's page
  await page.keyboard.press('Control+K');
  await expect(page.getByTestId('global-search')).toBeFocused();
  await page.keyboard.type(numbers[1]!.toLowerCase());
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/recharges\/r\/\d+$/);
  await expect(page.getByText(numbers[1]!).first()).toBeVisible();
  await shot(page, 'lists-search-opened-zh-CN');

  // the same list in English
  await u.goTo('recharges');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('requests-excel')).toHaveText(/Excel/);
  await page.getByTestId('request-table').locator('thead .ant-checkbox-input').check();
  await expect(page.getByTestId('selection-sum')).toHaveText('4 selected, total ¥5,506.00');
  await shot(page, 'lists-requests-en');
});

test('the customer list exports what it finds', async () => {
  test.setTimeout(240_000);
  const u = ui(page);
  await page.evaluate(() => localStorage.removeItem('coffer.lang'));
  await page.reload();
  await expect(page.getByTestId('header-user')).toContainText(CLERK.displayName, { timeout: 60_000 });
  await u.goTo('customers');
  await expect(page.getByTestId('customer-table').locator('tbody tr.ant-table-row')).toHaveCount(2);
  await u.input('customer-search').fill('客户甲');
  await expect(page.getByTestId('customer-table').locator('tbody tr.ant-table-row')).toHaveCount(1);
  const ws = await exportedSheet('customers', '1');
  expect(ws.getCell('A1').value).toBe('客户');
  expect(ws.getCell('A2').value).toBe('筛选：查找 客户甲  共 1 行');
  expect(ws.getCell('A4').value).toBe('客户甲');
  expect(ws.rowCount).toBe(4);
  await shot(page, 'lists-customers-zh-CN');
});
