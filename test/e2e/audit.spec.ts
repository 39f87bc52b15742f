// The audit log as an auditor reads it (issue 13 §1), on demo books at 1280×720: each entry a sentence
// with the person's name and the amount in yuan, the action picked from a list of names, before/after
// as labelled fields, the stored JSON only behind the raw-record switch; then the same in English.
import { expect, test, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../support/bridge';
import { shot } from '../support/e2e-shots';
import { ui, openWindow, closeWindow } from '../support/e2e-ui';
import { createDemoBooks } from '../../main/demo';

const PASSWORD = 'demo-pass-2026';
const AUDITOR = { username: 'auditor', displayName: '稽核 陈静', role: 'auditor', password: PASSWORD } as const;
let h: Harness;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  h = await startHarness();
  // The demo's chargeback reverses record CZ2026-000005 of 648.00 yuan (seed 20261120), by 审核 赵丽 (approver2).
  await createDemoBooks(h.books, { password: PASSWORD, customers: 20, seed: 20261120 });
  page = await openWindow(browser, h, { viewport: { width: 1280, height: 720 } });
  await expect(page.getByTestId('login-screen')).toBeVisible({ timeout: 60_000 });
});

test.afterAll(() => closeWindow(page, h));

test('the audit log reads as sentences, in Chinese and in English', async () => {
  test.setTimeout(180_000);
  await ui(page).login(AUDITOR);
  await ui(page).goTo('audit');
  const table = page.getByTestId('audit-table');
  const rows = table.locator('tbody tr.ant-table-row');
  await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  await expect(table).toContainText('审核 赵丽 冲销了充值记录 #5 (648.00 元)');
  await expect(table).toContainText('审核 李强 批准了提现 #1 (540.00 元)');
  await expect(table).not.toContainText('recharge.reverse');
  await expect(table).not.toContainText('approver2');
  await shot(page, 'audit-1280-zh');

  // The list of actions is long: typing narrows it to the one named.
  await ui(page).typeAndPick('audit-action', '冲销充值', '冲销充值记录');
  await page.getByTestId('audit-search').click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId('audit-sentence').locator('[data-username="approver2"]')).toHaveText('审核 赵丽');
  await rows.first().locator('.ant-table-row-expand-icon').click();
  const details = page.getByTestId('audit-details');
  await expect(details).toContainText('充值记录号');
  await expect(details).toContainText('CZ2026-000005');
  await expect(details).toContainText('648.00 元');
  await expect(details).toContainText('6,480');
  await expect(details).not.toContainText('"amount"');
  await shot(page, 'audit-1280-zh-details');
  await page.getByTestId('audit-raw').click();
  await expect(details).toContainText('"amount": "648.00"');
  await page.getByTestId('audit-raw').click();

  await page.getByTestId('lang-switch').click();
  await expect(details).toContainText('Receipt no.');
  await expect(details).toContainText('648.00 yuan');
  await expect(rows.first()).toContainText('审核 赵丽 reversed recharge record #5 (648.00 yuan)');
  await page.getByTestId('audit-screen').getByRole('button', { name: 'Reset' }).click();
  await expect(table).toContainText('审核 李强 approved payout #1 (540.00 yuan)');
  await shot(page, 'audit-1280-en');
});
