// Demo books from the first-start screen, over empty books: the password is asked once (with a
// confirmation), the demo is built as a job, the login screen names the demo users, and a demo clerk
// finds the bank side ready: recharge requests, a statement, and a review queue with work in it.
import { expect, test, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../support/bridge';
import { publish, shot } from '../support/e2e-shots';
import { ui, waitReady, openWindow, closeWindow } from '../support/e2e-ui';

const PASSWORD = 'demo-pass-2026';
let h: Harness;
let page: Page;

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  page = await openWindow(browser, h);
});

test.afterAll(() => closeWindow(page, h));

test('demo books from the first-start screen, then a demo clerk logs in', async () => {
  test.setTimeout(120_000);
  await waitReady(page, 'setup');
  await page.getByTestId('setup-mode-demo').click();
  await page.getByTestId('demo-password').fill(PASSWORD);
  await page.getByTestId('demo-confirm').fill('something else');
  await page.getByTestId('demo-submit').click();
  await expect(page.getByTestId('setup-screen')).toContainText('两次输入的密码不一致');
  await page.getByTestId('demo-confirm').fill(PASSWORD);
  await ui(page).input('demo-customers').fill('40');
  await shot(page, 'setup-demo').then((f) => publish(f, 'setup-demo.png'));
  await page.getByTestId('demo-submit').click();
  await expect(page.getByTestId('login-screen')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('login-notice')).toContainText('演示账簿已生成');
  await expect(page.getByTestId('login-notice')).toContainText('clerk');
  await shot(page, 'login-demo');
  const staff = h.books.raw.prepare('SELECT username FROM staff ORDER BY id').all() as { username: string }[];
  expect(staff.map((s) => s.username)).toEqual(expect.arrayContaining(['admin', 'clerk', 'approver', 'approver2', 'auditor']));

  await ui(page).login({ username: 'clerk', displayName: '', role: 'clerk', password: PASSWORD });
  await ui(page).goTo('recharges');
  await expect(page.getByTestId('request-table').locator('tbody tr.ant-table-row').first()).toBeVisible();
  await ui(page).goTo('reconciliation');
  await expect(page.getByTestId('bank-table').locator('tbody tr.ant-table-row')).not.toHaveCount(0);
  await page.getByTestId('recon-tab-queue').click();
  await expect(page.getByTestId('review-queue')).toBeVisible();
  await shot(page, 'demo-queue');
});
