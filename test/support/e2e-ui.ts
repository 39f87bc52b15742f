// Small steps the end-to-end stories share: staff users made straight through the dispatcher (so a
// story starts where it matters), logging in and out through the screens, and antd's pop-ups.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startHarness, type Harness } from './bridge';
import { addStaff } from './staff';
import { dispatcherCalls } from './temp-books';

export interface StaffUser {
  username: string;
  displayName: string;
  role: 'clerk' | 'approver' | 'auditor' | 'admin';
  password: string;
}

/** The office most stories are played by: two admins, a clerk and two approvers. */
export const OFFICE = {
  admin: { username: 'admin', displayName: '周敏', role: 'admin', password: 'admin-pass-2026' },
  admin2: { username: 'qianba', displayName: '钱八', role: 'admin', password: 'admin2-pass-2026' },
  clerk: { username: 'wangfang', displayName: '王芳', role: 'clerk', password: 'clerk-pass-2026' },
  approver: { username: 'liqiang', displayName: '李强', role: 'approver', password: 'approver-pass-2026' },
  approver2: { username: 'zhaomin', displayName: '赵敏', role: 'approver', password: 'approver2-pass-2026' },
} satisfies Record<string, StaffUser>;

/**
 * The first admin, then every other user, created by the dispatcher as client `seed` (a second admin
 * confirms when there is one), each logging in once with the one-time code to set its password.
 */
export async function seedStaff(h: Harness, users: StaffUser[]): Promise<void> {
  const { call } = dispatcherCalls(h.dispatcher);
  const [first, ...rest] = users;
  if (!first || first.role !== 'admin') throw new Error('the first user must be an admin');
  await call('seed', 'setup.createFirstAdmin', { username: first.username, displayName: first.displayName, password: first.password });
  let second: string | null = null;
  for (const u of rest) {
    await addStaff(call, u, { as: 'seed', confirmer: second ?? 'seed' });
    if (u.role === 'admin') second ??= u.username;
  }
  for (const client of ['seed', ...rest.map((u) => u.username)]) await call(client, 'session.logout', {});
}

/**
 * How long a page may take to open its books and show its first screen. Generous: on a loaded machine
 * (a load of 14 on 2 cores) this took well past the 10 s an ordinary assertion waits.
 */
export const START_BUDGET = 180_000;

/** How long a job's outcome may take to show (verify, an export, a print): seconds each at a load of 10+. */
export const JOB_OUTCOME = { timeout: 60_000 };

/** Waits until the console shows this screen: the page marks `<html data-coffer-ready>` (App.tsx). */
export async function waitReady(page: Page, screen: 'setup' | 'login' | 'locked' | 'main', timeout = START_BUDGET): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-coffer-ready', screen, { timeout });
}

/** A console window (zh-CN, Shanghai time) on the harness's books, its page errors logged. */
export async function openWindow(
  browser: Browser,
  h: Harness,
  { name = 'window-1', viewport = { width: 1440, height: 900 } }: { name?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await h.attach(page, name);
  return page;
}

/** A harness with these staff users (seedStaff) and a console window on it, at the login screen. */
export async function staffedConsole(browser: Browser, users: StaffUser[]): Promise<{ h: Harness; page: Page; u: ReturnType<typeof ui> }> {
  const h = await startHarness();
  await seedStaff(h, users);
  const page = await openWindow(browser, h);
  const u = ui(page);
  await u.ready('login');
  return { h, page, u };
}

/** The spec's staffedConsole, made before its tests and handed to `use` (with the browser, for more seeding), and closed after them. */
export function withStaffedConsole(
  users: StaffUser[],
  use: (c: Awaited<ReturnType<typeof staffedConsole>>, browser: Browser) => unknown,
): void {
  let c: Awaited<ReturnType<typeof staffedConsole>> | undefined;
  test.beforeAll(async ({ browser }) => {
    c = await staffedConsole(browser, users);
    await use(c, browser);
  });
  test.afterAll(() => closeWindow(c?.page, c?.h));
}

/** Closes the window, then the harness: each only if it was opened. */
export async function closeWindow(page: Page | undefined, h: Harness | undefined): Promise<void> {
  await page?.close();
  await h?.close();
}

/** The data rows of the antd table with this test id. */
/** One row read straight from the books: what a story checks behind the screens. */
export function bookRow<T>(h: Harness, sql: string, ...args: unknown[]): T {
  return h.books.raw.prepare(sql).get(...args) as T;
}

/** The books' id of a recharge or invoice request, by the platform's request number. */
export const requestRowId = (h: Harness, table: 'recharge_requests' | 'invoice_requests', requestId: string): number =>
  bookRow<{ id: number }>(h, `SELECT id FROM ${table} WHERE request_id = ?`, requestId).id;

/**
 * Imports a platform event file through the import screen, the open dialog answering `file`: the
 * preview counts `events` to apply, and the import applies them.
 */
export async function importEventFile(page: Page, h: Harness, file: string, events: number): Promise<void> {
  await ui(page).goTo('import');
  h.dialogs.nextOpen = file;
  await page.getByTestId('import-choose').click();
  await expect(page.getByTestId('preview-to-apply')).toHaveText(String(events));
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('result-applied')).toContainText(String(events));
}

/** Clicks the first option containing `text` of the open antd Select list. */
async function clickOpenOption(page: Page, text: string): Promise<void> {
  // The open list is the last one not hidden (closed lists stay in the page).
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
    .last()
    .locator('.ant-select-item-option', { hasText: text })
    .first()
    .click();
}

export const tableRows = (page: Page, testId: string) => page.getByTestId(testId).locator('tbody tr.ant-table-row');

export function ui(page: Page) {
  const self = {
    ready: (screen: Parameters<typeof waitReady>[1]) => waitReady(page, screen),
    async login(u: StaffUser) {
      await waitReady(page, 'login');
      await expect(page.getByTestId('login-screen')).toBeVisible();
      await page.getByTestId('login-username').fill(u.username);
      await page.getByTestId('login-password').fill(u.password);
      await page.getByTestId('login-password').press('Enter');
      await expect(page.getByTestId('header-user')).toContainText(u.displayName);
    },
    async logout() {
      await page.getByTestId('logout-button').click();
      await expect(page.getByTestId('login-screen')).toBeVisible();
    },
    async as(u: StaffUser) {
      if (await page.getByTestId('logout-button').isVisible()) await self.logout();
      await self.login(u);
    },
    async goTo(area: string) {
      await page.getByTestId(`nav-${area}`).click();
    },
    /** Logs `user` in and opens the settings screen at its tab `key`. */
    async settingsAs(user: StaffUser, key: string) {
      await self.login(user);
      await self.goTo('settings');
      await page.getByTestId(`tab-${key}`).click();
    },
    /** Opens a tab of an antd Tabs (its label is `tab-<key>`), clicking again until it is the selected one. */
    async tab(key: string) {
      const selected = page.locator('[role=tab][aria-selected=true]', { has: page.getByTestId(`tab-${key}`) });
      await expect(async () => {
        await page.getByTestId(`tab-${key}`).click({ timeout: 10_000 });
        await expect(selected).toBeVisible({ timeout: 5_000 });
      }).toPass({ timeout: 60_000 });
    },
    /** Picks an option of an antd Select by its visible text. */
    async pick(select: string, text: string) {
      await page.getByTestId(select).click();
      await clickOpenOption(page, text);
    },
    /** Opens a searchable antd Select, types `typed` on the keyboard as a person does, and picks the option containing `text`. */
    async typeAndPick(select: string, typed: string, text = typed) {
      await page.getByTestId(select).click();
      await page.keyboard.type(typed);
      await clickOpenOption(page, text);
    },
    /** Types `typed` into a searchable antd Select and picks the option containing `text`. */
    async search(select: string, typed: string, text: string) {
      await page.getByTestId(select).click();
      await page.getByTestId(select).locator('input').fill(typed);
      await clickOpenOption(page, text);
    },
    /**
     * Presses OK on the open confirmation dialog (Modal.confirm) and waits until it has closed. Under a
     * heavy load a click can land while the dialog is still zooming in and be lost, so it is pressed again
     * until the dialog is gone; a press while its work runs lands on a loading button and does nothing.
     */
    async confirmModal() {
      const dialog = page.locator('.ant-modal-confirm');
      await expect(async () => {
        if (await dialog.isVisible()) await dialog.locator('.ant-btn-primary').click({ timeout: 5000 });
        await expect(dialog).toBeHidden({ timeout: 10_000 });
      }).toPass({ timeout: 90_000 });
    },
    /** Confirms the open Popconfirm. */
    async confirmPop() {
      await page.locator('.ant-popover:visible .ant-popconfirm-buttons .ant-btn-primary').click();
    },
    /** The text box inside an antd input wrapper (or the input itself) with this test id. */
    input(testId: string) {
      return page
        .locator(
          `input[data-testid="${testId}"], textarea[data-testid="${testId}"], [data-testid="${testId}"] input, [data-testid="${testId}"] textarea`,
        )
        .first();
    },
  };
  return self;
}
