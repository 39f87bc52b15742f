// The console end to end: the built renderer in Chromium, bridged to the real dispatcher over a
// temporary books file. One story, in order: first start → ledger → lockout and unlock → English →
// an approver asks to reverse a posting and is told which action undoes it → the audit log → backup → the lock screen. Screens are photographed.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../support/bridge';
import { seedLedger, type Seeded } from '../support/e2e-seed';
import { publish, shot } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { waitReady, openWindow, closeWindow, ui, JOB_OUTCOME } from '../support/e2e-ui';

test.describe.configure({ timeout: 180_000 }); // a busy machine makes each step slow
// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const ADMIN_PW = 'admin-pass-2026';
const CLERK_PW = 'clerk-pass-2026';
const APPROVER_PW = 'approver-pass-2026';

let h: Harness;
let page: Page;
let seeded: Seeded;

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  page = await openWindow(browser, h);
  await waitReady(page, 'setup');
});

test.afterAll(() => closeWindow(page, h));

async function login(user: string, password: string) {
  await waitReady(page, 'login');
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-password').press('Enter'); // Enter submits
}

async function logout() {
  await page.getByTestId('logout-button').click();
  await expect(page.getByTestId('login-screen')).toBeVisible();
}

async function goTo(area: string) {
  await page.getByTestId(`nav-${area}`).click();
}

step('first start: create the first admin, who is then logged in', async () => {
  await expect(page.getByTestId('setup-screen')).toBeVisible();
  await expect(page.getByText('首次使用：创建管理员')).toBeVisible();
  await shot(page, 'setup');
  await page.getByTestId('setup-username').fill('admin');
  await page.getByTestId('setup-displayName').fill('王会计');
  await page.getByTestId('setup-password').fill(ADMIN_PW);
  await page.getByTestId('setup-confirm').fill(ADMIN_PW);
  await page.getByTestId('setup-submit').click();
  await expect(page.getByTestId('header-user')).toContainText('王会计');
  await expect(page.getByTestId('header-user')).toContainText('管理员');
  // Every area is in the navigation.
  for (const area of ['dashboard', 'recharges', 'reconciliation', 'customers', 'invoices', 'ledger', 'reports', 'audit', 'settings']) {
    await expect(page.getByTestId(`nav-${area}`)).toBeVisible();
  }
  await goTo('invoices');
  await expect(page.getByTestId('invreq-table')).toContainText('没有开票申请');
  await goTo('ledger');
});

step('ledger: accounts with balances, trial balance per ledger, transfers with a detail drawer', async () => {
  seeded = await seedLedger(h.books, { staffId: 1, name: 'admin' });
  await page.reload();
  await expect(page.getByTestId('accounts-table')).toBeVisible({ timeout: 60_000 }); // a reload can be slow on a busy machine
  const table = page.getByTestId('accounts-table');
  // The bank account: three receipts, 1,288.00 + 50,000.00 + 39.99, a debit balance.
  const bankRow = table.locator('tr', { hasText: '工商银行' });
  await expect(bankRow).toContainText('51,327.99');
  await expect(bankRow).toContainText('借');
  await expect(table.locator('tr', { hasText: '充值账户 A' })).toContainText('11,880');
  await shot(page, 'ledger-accounts').then((f) => publish(f, 'ledger.png'));

  // "/" focuses the table's search box; filtering by a word narrows the list.
  await page.locator('body').click({ position: { x: 700, y: 20 } });
  await page.keyboard.press('/');
  await expect(page.getByTestId('accounts-search').locator('input').or(page.locator('input[data-testid="accounts-search"]'))).toBeFocused();
  await page.keyboard.type('wallet_earnings');
  await page.keyboard.press('Enter');
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(1);

  await page.getByTestId('tab-trial').click();
  for (const l of [1, 2, 3]) await expect(page.getByTestId(`trial-${l}-status`)).toHaveText('借贷平衡 ✓');
  await expect(page.getByTestId('trial-1')).toContainText('51,327.99');
  await shot(page, 'trial-balance');

  await page.getByTestId('tab-transfers').click();
  const transfers = page.getByTestId('transfers-table');
  await expect(transfers.locator('tbody tr.ant-table-row')).toHaveCount(seeded.transferIds.length);
  // Admins may not reverse: no reverse action is offered.
  await expect(page.locator('[data-testid^="transfer-reverse-"]')).toHaveCount(0);
  // The business is picked by its name, not typed as a code.
  await ui(page).typeAndPick('transfers-code', '银行收款');
  await page.getByTestId('transfers-search').click();
  await expect(transfers.locator('tbody tr.ant-table-row')).toHaveCount(3);
  await shot(page, 'transfers');
  await page.getByTestId(`transfer-detail-${seeded.transferIds[0]}`).click();
  await expect(page.getByTestId('transfer-drawer')).toContainText('1,288.00');
  await expect(page.getByTestId('transfer-drawer')).toContainText('seed:bank:1');
  await expect(page.getByTestId('transfer-drawer')).toContainText('来源单号');
  await expect(page.getByTestId('transfer-drawer')).toContainText('银行收款');
  await expect(page.getByTestId('transfer-drawer')).not.toContainText('bank_in');
  await shot(page, 'transfer-detail');
  await page.keyboard.press('Escape');

  // Verify books: a job with a result modal.
  await page.getByTestId('verify-books').click();
  // The seeded ledger moves money straight between the platform's accounts (no bank line or record
  // behind it): the ledger checks hold and the two sub-ledger ties it skips are shown with their figures.
  await expect(page.getByTestId('verify-result')).toContainText('发现 2 个问题', JOB_OUTCOME);
  await expect(page.getByTestId('verify-result')).toContainText('勾稽关系');
  await expect(page.getByTestId('verify-result')).toContainText('50,039.99');
  await shot(page, 'verify-books');
  await page
    .getByRole('button', { name: '关 闭' })
    .or(page.getByRole('button', { name: '关闭' }))
    .click();
});

// Two more logins and password changes (argon2id each) than the default allows on a busy machine.
step(
  'a second user is locked after five wrong passwords; an admin unlocks it and the user logs in',
  async () => {
    // The admin creates a clerk through the staff screen, and an approver: on books with one admin they
    // take effect at once and each gets a one-time code, shown once, that the user replaces at first login.
    await goTo('settings');
    await expect(page.getByTestId('staff-table')).toBeVisible();
    const codes: [string, string, string][] = [];
    for (const [username, name, role, pw] of [
      ['lisi', '李四', '出纳/会计', CLERK_PW],
      ['zhaoliu', '赵六', '审批人', APPROVER_PW],
    ] as const) {
      await page.getByTestId('staff-create').click();
      await page.getByTestId('staff-username').fill(username);
      await page.getByTestId('staff-displayName').fill(name);
      await page.getByTestId('staff-role').click();
      await page.locator('.ant-select-dropdown:visible').getByText(role, { exact: true }).click();
      await page.getByTestId('staff-dialog-ok').click();
      // The code dialog keeps the previous user's code while it is closed: read it only once it is open
      // for this user (reading it earlier, under load, handed 赵六 李四's code).
      await expect(page.getByTestId('staff-one-time-code')).toBeVisible();
      await expect(page.locator('.ant-modal-title', { hasText: name })).toBeVisible();
      const code = (await page.getByTestId('staff-one-time-code').innerText()).trim();
      expect(codes.map((c) => c[1])).not.toContain(code);
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      if (username === 'lisi') await shot(page, 'staff-one-time-code');
      // Under a heavy load a click can land while the dialog is still zooming in; click until it is gone.
      await expect(async () => {
        await page.getByTestId('staff-code-done').click({ timeout: 5000 });
        await expect(page.getByTestId('staff-one-time-code')).toBeHidden({ timeout: 5000 });
      }).toPass({ timeout: 60_000 });
      await expect(page.getByTestId('staff-table')).toContainText(username);
      codes.push([username, code, pw]);
    }
    await logout();
    for (const [username, code, pw] of codes) {
      await login(username, code);
      await expect(page.getByTestId('must-change-screen')).toBeVisible();
      if (username === 'lisi') await shot(page, 'login-must-change');
      await page.getByTestId('must-change-next').fill(pw);
      await page.getByTestId('must-change-confirm').fill(pw);
      await page.getByTestId('must-change-submit').click();
      await expect(page.getByTestId('header-user')).toBeVisible();
      await logout();
    }

    for (let i = 1; i <= 4; i++) {
      await login('lisi', 'wrong-password');
      await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
    }
    await login('lisi', 'wrong-password');
    await expect(page.getByTestId('login-error')).toContainText('用户 lisi 因多次登录失败已被锁定');
    // Even the right password is refused now.
    await login('lisi', CLERK_PW);
    await expect(page.getByTestId('login-error')).toContainText('已被锁定');
    await shot(page, 'login-locked');

    await login('admin', ADMIN_PW);
    await goTo('settings');
    await expect(page.getByTestId('staff-status-lisi')).toContainText('已锁定');
    await shot(page, 'staff-users');
    await page.getByTestId('staff-unlock-lisi').click();
    await expect(page.getByTestId('staff-status-lisi')).toContainText('正常');
    await logout();

    await login('lisi', CLERK_PW);
    await expect(page.getByTestId('header-user')).toContainText('李四');
    // A clerk sees no staff or backup settings, only "change my password".
    await goTo('settings');
    await expect(page.getByTestId('tab-password')).toBeVisible();
    await expect(page.getByTestId('tab-staff')).toHaveCount(0);
    await logout();
    await shot(page, 'login');
  },
  { budget: 180_000 },
);

step('the English switch changes the labels', async () => {
  await login('admin', ADMIN_PW);
  await expect(page.getByTestId('nav-ledger')).toHaveText('账簿');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('nav-ledger')).toHaveText('Ledger');
  await expect(page.getByTestId('nav-audit')).toHaveText('Audit log');
  await expect(page.getByTestId('nav-recharges')).toHaveText('Recharges');
  await goTo('ledger');
  await expect(page.getByTestId('tab-trial')).toHaveText('Trial balance');
  await expect(page.getByTestId('accounts-table')).toContainText('Debits posted');
  await shot(page, 'ledger-accounts-en');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('nav-ledger')).toHaveText('账簿');
  await logout();
});

step("an approver's reversal is refused: the posting names the action that undoes it", async () => {
  await login('zhaoliu', APPROVER_PW);
  await goTo('ledger');
  await page.getByTestId('tab-transfers').click();
  const target = seeded.transferIds[2]!; // the 39.99 bank receipt
  const transfers = page.getByTestId('transfers-table');
  const row = transfers.locator('tr.ant-table-row', { has: page.getByTestId(`transfer-detail-${target}`) });
  // The row shows its business date and its automatic voucher.
  await expect(row).toContainText(/记-\d{4}-\d{2}-\d{4}/);
  await page.getByTestId(`transfer-reverse-${target}`).click();
  await expect(page.getByTestId('undo-text')).toContainText(
    `分录 #${target} 由业务操作生成，请用对应操作撤销：银行流水不能冲销；请导入银行的冲正流水`,
  );
  await shot(page, 'transfers-undo');
  await page.getByTestId('undo-close').click();
  // Nothing was posted: the list still has only the seeded transfers, none reversed.
  await expect(transfers.locator('tr.ant-table-row')).toHaveCount(seeded.transferIds.length);
  await expect(row).not.toContainText('已冲销');
  await logout();
});

step('the audit log says the actions as sentences, expands before/after, and verifies its chain', async () => {
  await login('admin', ADMIN_PW);
  await goTo('audit');
  const table = page.getByTestId('audit-table');
  // Sentences in Chinese, never the codes.
  await expect(table).toContainText('解锁了操作员');
  await expect(table).toContainText('因多次输错密码被锁定');
  await expect(table).toContainText('新增了操作员');
  await expect(table).not.toContainText('staff.unlock');
  await ui(page).typeAndPick('audit-action', '解锁操作员');
  await page.getByTestId('audit-search').click();
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await table.locator('tbody tr.ant-table-row .ant-table-row-expand-icon').click();
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-chain-status')).toContainText('审计链完整');
  await shot(page, 'audit-log');
});

step('backup now writes a checked copy of the books', async () => {
  await goTo('settings');
  await page.getByTestId('tab-backup').click();
  const target = path.join(h.dir, 'backup-e2e.books.sqlite');
  h.dialogs.nextSave = target;
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('backup-result')).toContainText('backup-e2e.books.sqlite');
  expect(fs.existsSync(target)).toBe(true);
  await shot(page, 'backup');
  h.dialogs.nextSave = null;
});

step('the lock screen hides the console until the password is given; Ctrl+L locks too', async () => {
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('sider')).toHaveCount(0);
  await shot(page, 'locked');
  // The server refuses work while locked.
  const r = await page.evaluate(() => window.coffer.api['ledger.trialBalance']({}));
  expect(r.ok).toBe(false);
  await page.getByTestId('unlock-password').fill('not-the-password');
  await page.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('lock-error')).toBeVisible();
  await page.getByTestId('unlock-password').fill(ADMIN_PW);
  await page.getByTestId('unlock-password').press('Enter');
  await expect(page.getByTestId('sider')).toBeVisible();
  await page.keyboard.press('Control+l');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await page.getByTestId('unlock-password').fill(ADMIN_PW);
  await page.getByTestId('unlock-password').press('Enter');
  await expect(page.getByTestId('sider')).toBeVisible();
});

step('a session the main process ended brings the login screen back', async () => {
  await h.dispatcher.sessions.endAll();
  await goTo('audit');
  await expect(page.getByTestId('login-screen')).toBeVisible();
  await expect(page.getByTestId('login-notice')).toBeVisible();
});

step('restore: the chosen backup facts are confirmed, the books are replaced, and everyone logs in again', async () => {
  await login('admin', ADMIN_PW);
  await goTo('settings');
  await page.getByTestId('tab-backup').click();
  const backup = path.join(h.dir, 'backup-e2e.books.sqlite');
  h.dialogs.nextOpen = backup;
  await page.getByTestId('restore-start').click();
  const facts = page.getByTestId('restore-facts');
  await expect(facts).toContainText('backup-e2e.books.sqlite');
  await expect(facts).toContainText('审计记录数');
  await shot(page, 'restore-confirm');
  await page.getByTestId('restore-confirm').click();
  await expect(page.getByTestId('login-notice')).toContainText('账簿已从备份恢复');
  await expect(page.getByTestId('login-notice')).toContainText('before-restore');
  h.dialogs.nextOpen = null;
  await login('admin', ADMIN_PW);
  await expect(page.getByTestId('header-user')).toContainText('王会计');
});

test('the console: first start, ledger, lockout, English, audit, backup, lock screen, restore', run);
