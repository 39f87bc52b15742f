// Small steps the end-to-end stories share: staff users made straight through the dispatcher (so a
// story starts where it matters), logging in and out through the screens, and antd's pop-ups.
import { expect, type Page } from '@playwright/test';
import type { Harness } from './bridge';

export interface StaffUser {
  username: string;
  displayName: string;
  role: 'clerk' | 'approver' | 'auditor' | 'admin';
  password: string;
}

/** The first admin, then every other user, created by the dispatcher as client `seed`. */
export async function seedStaff(h: Harness, users: StaffUser[]): Promise<void> {
  const call = async (method: string, input: unknown) => {
    const r = await h.dispatcher.dispatch('seed', method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const [first, ...rest] = users;
  if (!first || first.role !== 'admin') throw new Error('the first user must be an admin');
  await call('setup.createFirstAdmin', { username: first.username, displayName: first.displayName, password: first.password });
  for (const u of rest) await call('staff.create', u);
  await call('session.logout', {});
}

export function ui(page: Page) {
  const self = {
    async login(u: StaffUser) {
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
    /** Picks an option of an open antd Select by its visible text. */
    async pick(select: string, text: string) {
      await page.getByTestId(select).click();
      // The open list is the last one not hidden (closed lists stay in the page).
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .last()
        .locator('.ant-select-item-option', { hasText: text })
        .first()
        .click();
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
