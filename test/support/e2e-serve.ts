// A person at their own desk against `coffer serve`: a browser context of their own (no test bridge),
// the served console's login, and the header showing who they are.
import { expect, type Browser, type Page } from '@playwright/test';
import { startServe, type Serving } from '../../main/serve/server';
import { START_BUDGET, waitReady, type StaffUser } from './e2e-ui';
import { RENDERER_OUT } from './e2e-server';
import { PASSWORD, type TestApi } from './temp-books';

/** staffedApi's clerk and approver, as they log in at their own desks. */
export const CLERK: StaffUser = { username: 'clerk', displayName: 'clerk', role: 'clerk', password: PASSWORD };
export const APPROVER: StaffUser = { username: 'approver', displayName: 'approver', role: 'approver', password: PASSWORD };

/**
 * `coffer serve` of the built console over staffedApi's books, on a free port of this machine. The
 * seeding clients log out first: the people log in at their browsers.
 */
export async function serveConsole(t: TestApi): Promise<Serving> {
  for (const client of ['admin', 'clerk', 'approver', 'auditor']) await t.call(client, 'session.logout');
  return startServe({ books: t.anyBooks, host: '127.0.0.1', port: 0, consoleDir: RENDERER_OUT, scanWorker: null });
}

/** Stops the server, then removes its books: each only if it was made. */
export async function stopServe(serving: Serving | undefined, t: TestApi | undefined): Promise<void> {
  await serving?.close();
  await t?.cleanup();
}

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
