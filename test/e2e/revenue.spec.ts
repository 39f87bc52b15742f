// 收入确认 end to end on demo books: the approver opens last month, sees the figures the run would post
// and that it is not yet recognised, runs it (confirmed first), and finds the voucher and each customer's
// share with totals; a clerk sees the figures but no run button; in English at 1280×720; then the month's
// 递延收入变动表 in 报表 ties to 合同负债 and exports. Photographed at 1280×720 and 1440×900, in Chinese and English.
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { createDemoBooks } from '../../main/demo';
import { demoNow } from '../support/e2e-demo';
import { startHarness, type Harness } from '../support/bridge';
import { shot, shotFitting } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { ui, type StaffUser, openWindow, closeWindow, JOB_OUTCOME } from '../support/e2e-ui';
import { recogniseRevenue } from '../support/e2e-revenue';
import { deferredRevenueRollForward } from '../../main/services/deferred-revenue';

test.describe.configure({ timeout: 240_000 });
// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const PASSWORD = 'demo-pass-2026';
const APPROVER: StaffUser = { username: 'approver', displayName: '审核 李强', role: 'approver', password: PASSWORD };
const CLERK: StaffUser = { username: 'clerk', displayName: '会计 王芳', role: 'clerk', password: PASSWORD };

/** The month before this one (the screen's default) and the one before it. */
function months(): [string, string, string] {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const m = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
  return [m(2), m(1), m(0)];
}
const [EARLIER, LAST, THIS] = months();

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await createDemoBooks(h.books, { password: PASSWORD, customers: 40, seed: 11, now: demoNow(1) });
  await recogniseRevenue(h.books, [EARLIER]);
  page = await openWindow(browser, h);
  u = ui(page);
});

test.afterAll(() => closeWindow(page, h));

const posted = () =>
  h.books.raw.prepare("SELECT revenue, tax, customers FROM revenue_runs WHERE month = ? AND status = 'posted'").get(LAST) as
    { revenue: number; tax: number; customers: number } | undefined;

step('an approver previews last month, runs it, and finds the voucher and each customer’s share', async () => {
  await u.login(APPROVER);
  await u.goTo('revenue');
  await expect(page.getByTestId('revenue-screen')).toContainText('收入确认');
  await expect(page.getByTestId('revenue-state')).toHaveText(/未确认|无需确认/);
  await expect(page.getByTestId('revenue-screen')).toContainText('主营业务收入');
  await expect(page.getByTestId('revenue-screen')).toContainText('先进先出');
  await shot(page, 'revenue-preview-zh-1440');
  await page.getByTestId('revenue-run').click();
  await expect(page.locator('.ant-modal-confirm')).toContainText('借 合同负债');
  await u.confirmModal();
  await expect(page.getByTestId('revenue-state')).toHaveText('已确认');
  const run = posted();
  expect(run).toBeDefined();
  await expect(page.getByTestId('revenue-runs')).toContainText(/记-\d{4}-\d{2}-\d{4}|—/);
  expect(run!.customers).toBeGreaterThan(0);
  await expect(page.getByTestId('revenue-lines').locator('.ant-table-summary')).toContainText('合计');
  await expect(page.getByTestId('revenue-lines').locator('.ant-table-summary')).toContainText(
    (run!.revenue / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }),
  );
  await expect(page.getByTestId('revenue-run')).toBeDisabled();
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, 'revenue-posted-zh-1280');
  // This month, not yet over: its figures so far, and no run before its last day.
  const picker = page.locator('input[data-testid=revenue-month], [data-testid=revenue-month] input').first();
  await picker.click();
  await picker.fill(THIS);
  await picker.press('Enter');
  await expect(page.getByTestId('revenue-screen')).toContainText('暂不能确认');
  await expect(page.getByTestId('revenue-run')).toBeDisabled();
  await shotFitting(page, 'revenue-this-month-zh-1280');
});

step('a clerk reads the run but may not post it; the screen in English', async () => {
  await u.as(CLERK);
  await u.goTo('revenue');
  await expect(page.getByTestId('revenue-state')).toHaveText('已确认');
  await expect(page.getByTestId('revenue-run')).toHaveCount(0);
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('nav-revenue')).toHaveText('Revenue');
  await expect(page.getByTestId('revenue-state')).toHaveText('Recognised');
  await shot(page, 'revenue-posted-en-1280');
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, 'revenue-posted-en-1440');
  await page.getByTestId('lang-switch').click();
});

step('the month’s 递延收入变动表 ties to 合同负债 in the books; exported; in English', async () => {
  const svc = await deferredRevenueRollForward(h.books, LAST);
  const yuan = (fen: string) => (Number(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  expect(svc).toMatchObject({ difference: '0', run: { state: 'current' } });
  await page.setViewportSize({ width: 1280, height: 720 });
  await u.goTo('reports');
  await page.getByTestId('tab-deferred').click();
  await expect(page.getByTestId('dr-status')).toHaveText('与账面相符');
  await expect(page.getByTestId('dr-run-state')).toHaveText('已确认');
  await expect(page.getByTestId('dr-row-recognised')).toContainText(yuan(svc.recognised));
  await expect(page.getByTestId('dr-row-books')).toContainText(yuan(svc.booksClosing));
  await expect(page.getByTestId('dr-row-difference')).toContainText('0.00');
  await shot(page, 'reports-deferred-revenue-zh-1280');
  await page.getByTestId('dr-print').click();
  await expect(page.getByTestId('dr-preview')).toBeVisible();
  await shot(page, 'reports-deferred-revenue-print-zh-1280');
  await page.keyboard.press('Escape');
  // The workbook's closing and books' lines are the screen's.
  await page.getByTestId('dr-export').click();
  await expect(page.getByTestId('dr-saved')).toBeVisible(JOB_OUTCOME);
  const file = (await page.getByTestId('dr-saved').locator('.ant-typography').first().textContent())!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file.trim());
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  expect(rows.find((r) => String(r[0]).startsWith('期末余额（计算）'))![1]).toBe(Number(svc.closing) / 100);
  expect(rows.find((r) => String(r[0]).startsWith('差额（账面 − 计算）'))![1]).toBe(0);
  await page.keyboard.press('Escape');
  // This month so far: the demo's reversed recharge, no run yet (the month has not ended).
  const now = await deferredRevenueRollForward(h.books, THIS);
  expect(now).toMatchObject({ difference: '0', run: { state: 'not_run' } });
  const picker = page.locator('input[data-testid=dr-month], [data-testid=dr-month] input').first();
  await picker.click();
  await picker.fill(THIS);
  await picker.press('Enter');
  await expect(page.getByTestId('dr-row-received')).toContainText(yuan(now.received));
  await expect(page.getByTestId('dr-row-refunded')).toContainText(yuan(now.refunded));
  await expect(page.getByTestId('dr-run-state')).toHaveText('未确认');
  await shot(page, 'reports-deferred-revenue-this-month-zh-1280');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('dr-run-state')).toHaveText('Not run');
  await shot(page, 'reports-deferred-revenue-this-month-en-1280');
  await picker.click();
  await picker.fill(LAST);
  await picker.press('Enter');
  await expect(page.getByTestId('dr-status')).toHaveText('Agrees with the books');
  await expect(page.getByTestId('tab-deferred')).toHaveText('Deferred revenue');
  await shotFitting(page, 'reports-deferred-revenue-en-1280');
  await page.getByTestId('lang-switch').click();
});

test('收入确认: preview, run, voucher and shares, clerk without the button, English', run);
