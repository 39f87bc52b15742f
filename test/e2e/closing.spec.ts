// 结账 end to end on demo books made today (the platform's events and the bank statement reach into
// the current month): the approver opens the screen, sees October's checks all pass with their figures,
// closes it; approver2 confirms it and closes November; the admin sees December's checks fail (the month
// is not over), confirms November and asks to reopen it with a reason; admin2, in English, confirms the
// reopening. Photographed at 1280×720 and 1440×900, in Chinese and English.
import { expect, test, type Page } from '@playwright/test';
import { createDemoBooks } from '../../main/demo';
import { startHarness, type Harness } from '../support/bridge';
import { shot, shotFitting } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { ui, type StaffUser, openWindow, closeWindow, JOB_OUTCOME } from '../support/e2e-ui';
import { recogniseRevenue } from '../support/e2e-revenue';
import { installPdfPrinter } from '../support/e2e-approvals';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import { balancesReport } from '../../main/services/balances';
import { MONTH_END_PACK_SHEETS } from '../support/workbook-layouts';

test.describe.configure({ timeout: 240_000 });
// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const PASSWORD = 'demo-pass-2026';
const staff = (username: string, displayName: string, role: StaffUser['role']): StaffUser => ({
  username,
  displayName,
  role,
  password: PASSWORD,
});
const APPROVER = staff('approver', '审核 李强', 'approver');
const APPROVER2 = staff('approver2', '审核 赵丽', 'approver');
const ADMIN = staff('admin', '管理员 周敏', 'admin');
const ADMIN2 = staff('admin2', '管理员 钱进', 'admin');

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

/** Months of the demo: it spans the 45 days before today, so the two months before this one. */
function months(): [string, string, string] {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const m = (back: number) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    return d.toISOString().slice(0, 7);
  };
  return [m(2), m(1), m(0)];
}
const [FIRST, SECOND, THIS] = months();

const state = (month: string) =>
  (h.books.raw.prepare('SELECT state FROM periods WHERE month = ?').get(month) as { state: string } | undefined)?.state ?? 'open';

async function openMonth(month: string) {
  await page.getByTestId('closing-screen').locator('tr', { hasText: month }).first().click();
  await expect(page.getByTestId('period-card')).toContainText(month);
}

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await createDemoBooks(h.books, { password: PASSWORD, customers: 40, seed: 7 });
  await recogniseRevenue(h.books, [FIRST, SECOND]);
  page = await openWindow(browser, h);
  installPdfPrinter(h, browser);
  u = ui(page);
});

test.afterAll(() => closeWindow(page, h));

step('an approver closes a month whose checks pass; a second approver confirms it', async () => {
  await u.login(APPROVER);
  await u.goTo('closing');
  await openMonth(FIRST);
  for (const c of ['month_ended', 'earlier_months', 'bank_statements', 'match_proposals', 'writeoffs', 'vouchers', 'verify', 'revenue_run'])
    await expect(page.getByTestId(`check-${c}`).locator('.anticon-check-circle')).toBeVisible();
  await expect(page.getByTestId('check-verify')).toContainText('项勾稽关系全部相符');
  await shot(page, 'closing-ready-zh-1440');
  await page.getByTestId('close-month').click();
  await u.confirmModal();
  await expect(page.getByTestId('period-card')).toContainText('待确认');
  await expect(page.getByTestId('confirm-month')).toBeDisabled();
  expect(state(FIRST)).toBe('closing');

  await u.as(APPROVER2);
  await u.goTo('closing');
  await openMonth(FIRST);
  await page.getByTestId('confirm-month').click();
  await expect(page.getByTestId('period-card')).toContainText('已结账');
  expect(state(FIRST)).toBe('closed');
  // The month-end pack of the closed month: a workbook and a PDF, the workbook's 合计 the screen's figures.
  h.dialogs.nextSave = null;
  await page.getByTestId('month-end-pack').click();
  await expect(page.getByTestId('pack-saved')).toBeVisible(JOB_OUTCOME);
  await expect(page.getByTestId('pack-saved')).toContainText(`月结包-${FIRST}.pdf`);
  await shot(page, 'closing-pack-zh-1440');
  const file = (await page.getByTestId('pack-workbook').textContent())!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file.trim());
  expect(wb.worksheets.map((w) => w.name.split(' ')[0])).toEqual(MONTH_END_PACK_SHEETS);
  const total = wb.worksheets[1]!.getSheetValues().find((r) => Array.isArray(r) && String(r[1]).startsWith('合计')) as unknown[];
  const tb = (await balancesReport(h.books, FIRST)).totals;
  expect(total.slice(3, 9)).toEqual(
    [tb.openingDebit, tb.openingCredit, tb.debit, tb.credit, tb.closingDebit, tb.closingCredit].map((f) => Number(f) / 100),
  );
  expect(
    fs
      .readFileSync((await page.getByTestId('pack-pdf').textContent())!.trim())
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');
  await u.confirmModal();
  await openMonth(SECOND);
  await page.getByTestId('close-month').click();
  await u.confirmModal();
  await expect(page.getByTestId('period-card')).toContainText('待确认');
  await page.setViewportSize({ width: 1280, height: 720 });
  await shotFitting(page, 'closing-closing-zh-1280');
});

step('the current month shows what blocks it; an admin confirms and asks to reopen with a reason', async () => {
  await u.as(ADMIN);
  await u.goTo('closing');
  await openMonth(THIS);
  await expect(page.getByTestId('check-month_ended').locator('.anticon-close-circle')).toBeVisible();
  await shot(page, 'closing-blocked-zh-1280');
  await openMonth(SECOND);
  await page.getByTestId('confirm-month').click();
  await expect(page.getByTestId('period-card')).toContainText('已结账');
  await u.input('reopen-reason').fill('补记一笔银行手续费');
  await page.getByTestId('reopen-month').click();
  await expect(page.getByTestId('period-card')).toContainText('申请反结账：补记一笔银行手续费');
  await expect(page.getByTestId('confirm-reopen')).toBeDisabled();
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, 'closing-reopen-asked-zh-1440');
});

step('a second admin confirms the reopening, in English', async () => {
  await u.as(ADMIN2);
  await page.getByTestId('lang-switch').click();
  await u.goTo('closing');
  await expect(page.getByTestId('nav-closing')).toHaveText('Period close');
  await openMonth(SECOND);
  await expect(page.getByTestId('period-card')).toContainText('asked to reopen');
  await shot(page, 'closing-reopen-en-1440');
  await page.getByTestId('confirm-reopen').click();
  await expect(page.getByTestId('period-card')).toContainText('Open');
  expect(state(SECOND)).toBe('open');
  await openMonth(FIRST);
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, 'closing-closed-en-1280');
  await page.getByTestId('month-end-pack').click();
  await expect(page.getByTestId('pack-saved')).toContainText('Excel workbook', JOB_OUTCOME);
  await shot(page, 'closing-pack-en-1280');
  await u.confirmModal();
  // The verify result lists every tie with its figures.
  await u.goTo('ledger');
  await page.getByRole('button', { name: 'Verify books' }).click();
  await expect(page.getByTestId('verify-ties')).toContainText('Unallocated receipts against', JOB_OUTCOME);
  await shot(page, 'verify-ties-en-1280');
  await page.keyboard.press('Escape');
});

test('结账: close October and November under four eyes, December refused, reopen', run);
