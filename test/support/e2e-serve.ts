// A person at their own desk against `coffer serve`: a browser context of their own (no test bridge),
// the served console's login, and the header showing who they are.
import { expect, type Browser, type Page } from '@playwright/test';
import { START_BUDGET, waitReady, type StaffUser } from './e2e-ui';

export async function loggedInAt(browser: Browser, url: string, who: StaffUser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await waitReady(page, 'login');
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-password').press('Enter');
  await waitReady(page, 'main', START_BUDGET);
  await expect(page.getByTestId('header-user')).toContainText(who.displayName, { timeout: 60_000 });
  return page;
}
