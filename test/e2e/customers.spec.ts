// Customers end to end, over the real dispatcher and a temporary books file: a clerk imports the
// platform's events file (preview → import → result; a second time nothing is new; a bad file shows
// its lines and writes nothing), finds customers by name and by bank account number, sees the
// blocked login on the customer's page and in the list across customers, enters counter transfers
// (refused, posted, held above a threshold two admins set), an approver decides the held one, and a
// device re-bind goes through four eyes. Every new screen is photographed.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Harness } from '../support/bridge';
import { publish, shot } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { ui, type StaffUser, tableRows, OFFICE, withStaffedConsole } from '../support/e2e-ui';

// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/events/day-1.jsonl');
const ADMIN: StaffUser = { username: 'admin', displayName: '王会计', role: 'admin', password: 'admin-pass-2026' };
const { admin2: ADMIN2 } = OFFICE;
const CLERK: StaffUser = { username: 'lisi', displayName: '李四', role: 'clerk', password: 'clerk-pass-2026' };
const APPROVER: StaffUser = { username: 'zhaoliu', displayName: '赵六', role: 'approver', password: 'approver-pass-2026' };

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

function count(sql: string): number {
  return (h.books.raw.prepare(sql).get() as { n: number }).n;
}
function customerId(name: string): number {
  return (h.books.raw.prepare('SELECT id FROM customers WHERE name = ?').get(name) as { id: number }).id;
}
const rows = (testId: string) => tableRows(page, testId);

/** From A1001-1's row, `coins` sent to A1001-2's earnings account: the dialog's outcome says `said`. */
async function transferToEarnings(coins: string, said: string) {
  await page.getByTestId('account-transfer-A1001-1').click();
  await page.locator('.ant-modal:visible').getByText('收益账户', { exact: true }).click();
  await u.pick('transfer-to', 'A1001-2');
  await u.input('transfer-coins').fill(coins);
  await page.getByTestId('transfer-dialog-ok').click();
  await expect(page.getByTestId('transfer-outcome')).toContainText(said);
}

/** The server refuses the logged-in person's decision on item `id` (FORBIDDEN), whatever the screen offers. */
async function decisionForbidden(method: 'coins.decide' | 'devices.decideRebind', id: number) {
  const answer = await page.evaluate(
    ([m, i]) => window.coffer.api[m]({ id: i, approve: true, note: '' }).then((r) => (r.ok ? 'done' : r.error.code)),
    [method, id] as const,
  );
  expect(answer).toBe('FORBIDDEN');
}

withStaffedConsole([ADMIN, ADMIN2, CLERK, APPROVER], (c) => ({ h, page, u } = c));

step('a clerk imports the platform events file: preview with counts, import, refusals, history', async () => {
  await u.login(CLERK);
  await u.goTo('import');
  await expect(page.getByTestId('import-screen')).toBeVisible();
  await expect(page.getByTestId('nav-import')).toHaveText('数据导入');
  h.dialogs.nextOpen = FIXTURE;
  await page.getByTestId('import-choose').click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('day-1.jsonl');
  await expect(page.getByTestId('preview-to-apply')).toHaveText('16');
  await expect(page.getByTestId('preview-error-count')).toHaveText('0');
  const counts = page.getByTestId('preview-counts');
  await expect(counts.locator('tr', { hasText: '客户注册' })).toContainText('2');
  await expect(counts.locator('tr', { hasText: '开立账户' })).toContainText('3');
  await expect(counts.locator('tr', { hasText: '互转申请' })).toContainText('4');
  await shot(page, 'import-preview').then((f) => publish(f, 'import.png'));

  await page.getByTestId('import-run').click();
  const result = page.getByTestId('import-result');
  await expect(result).toBeVisible();
  await expect(page.getByTestId('result-applied')).toContainText('10');
  await expect(page.getByTestId('result-refused')).toContainText('6');
  const refusals = page.getByTestId('result-refusals');
  await expect(refusals).toContainText('evt-0011'); // spending in a blocked login's session
  await expect(refusals).toContainText('evt-0016'); // an account the books do not know
  // Each refusal is shown in Chinese, translated by its code with its parameters filled in.
  await expect(refusals).toContainText('会话 S-2 属于被拦截的登录（IP 203.0.113.9 与登记的 IP 不一致）');
  await expect(refusals).toContainText('转入账户：账簿中没有账户 A9999');
  await expect(rows('import-history')).toHaveCount(1);
  await shot(page, 'import-result');

  // The same file again: everything was imported before, nothing to do.
  await page.getByTestId('import-choose').click();
  await expect(page.getByTestId('preview-already')).toHaveText('16');
  await expect(page.getByTestId('preview-to-apply')).toHaveText('0');
  await expect(page.getByTestId('import-run')).toBeDisabled();

  // History rows expand to their refusals.
  await page.getByTestId('import-history').locator('.ant-table-row-expand-icon').first().click();
  await expect(page.getByTestId('history-refusals-1')).toContainText('evt-0013');
  await expect(page.getByTestId('history-refusals-1')).toContainText('钱包可用余额不足');
  await shot(page, 'import-history');
});

step('a bad events file shows its errors per line and writes nothing', async () => {
  const bad = path.join(h.dir, 'day-2-bad.jsonl');
  fs.writeFileSync(
    bad,
    [
      '{"id":"evt-1001","type":"customer.registered","at":"2026-11-21T09:00:00+08:00","data":{"customer":"C3001","kind":"person","name":"刘洋"}}',
      '{"id":"evt-1002","type":"account.opened","at":"2026-11-21T09:01:00+08:00","data":{"customer":"C3001","account":"A3001-1","name":"刘洋的账号","ip":"999.1.1.1"}}',
      '{"id":"evt-1003","type":"customer.login" "at":"2026-11-21T09:02:00+08:00"}',
      '{"id":"evt-1004","type":"bank_account.bound","at":"2026-11-21T09:03:00+08:00","data":{"account":"A3001-1","bank_name":"招商银行","account_number":"12AB","holder_name":"刘洋"}}',
      '',
    ].join('\n'),
  );
  const before = { customers: count('SELECT count(*) AS n FROM customers'), imports: count('SELECT count(*) AS n FROM event_imports') };
  h.dialogs.nextOpen = bad;
  await page.getByTestId('import-choose').click();
  await expect(page.getByTestId('preview-blocked')).toBeVisible();
  const errors = page.getByTestId('import-errors');
  await expect(errors.locator('tbody tr.ant-table-row')).toHaveCount(3);
  await expect(errors.locator('tr.ant-table-row', { hasText: 'IP 地址' })).toHaveCount(1);
  for (const line of ['2', '3', '4'])
    await expect(errors.locator('tbody tr.ant-table-row td:first-child', { hasText: line })).toHaveCount(1);
  await expect(page.getByTestId('import-run')).toBeDisabled();
  await shot(page, 'import-errors').then((f) => publish(f, 'import-errors.png'));
  expect(count('SELECT count(*) AS n FROM customers')).toBe(before.customers);
  expect(count('SELECT count(*) AS n FROM event_imports')).toBe(before.imports);
  h.dialogs.nextOpen = null;
});

step('customers are found by name and by bank account number; the list pages on the server', async () => {
  await u.goTo('customers');
  await expect(rows('customer-table')).toHaveCount(2);
  await shot(page, 'customers-list').then((f) => publish(f, 'customers.png'));
  const search = u.input('customer-search');
  await search.fill('张伟');
  await expect(rows('customer-table')).toHaveCount(1);
  await expect(rows('customer-table')).toContainText('C1001');
  await search.fill('云帆');
  await expect(rows('customer-table')).toHaveCount(1);
  await expect(rows('customer-table')).toContainText('杭州云帆科技有限公司');
  // The bank card as printed (with spaces) finds its account's customer.
  await search.fill('6222 0202 0001');
  await expect(rows('customer-table')).toHaveCount(1);
  await expect(rows('customer-table')).toContainText('张伟');
  await search.fill('A2001-1');
  await expect(rows('customer-table')).toContainText('杭州云帆科技有限公司');
  await search.fill('6222020200012345678');
  await expect(rows('customer-table')).toContainText('张伟');
});

step("the customer's page: wallets, link group, bank account, devices and the blocked login in red", async () => {
  await page.getByTestId(`customer-open-${customerId('张伟')}`).click();
  await expect(page.getByTestId('customer-name')).toHaveText('张伟');
  const facts = page.getByTestId('customer-facts');
  await expect(facts).toContainText('13800138000');
  await expect(facts).toContainText('zhangwei@example.cn');
  const accounts = page.getByTestId('account-table');
  const a1 = accounts.locator('tr.ant-table-row', { hasText: 'A1001-1' });
  const a2 = accounts.locator('tr.ant-table-row', { hasText: 'A1001-2' });
  await expect(a1).toContainText('300'); // 500 earned − 200 moved to A1001-2
  await expect(a2).toContainText('200');
  await expect(page.getByTestId('account-linked-A1001-1')).toHaveText('已关联');
  await expect(page.getByTestId('account-linked-A1001-2')).toHaveText('未关联');
  // Logins: the one from 203.0.113.9 was blocked (strict policy), shown in red with its reason.
  const blocked = page.getByTestId('login-timeline').locator('[data-outcome="blocked"]');
  await expect(blocked).toHaveCount(1);
  await expect(blocked).toContainText('已拦截');
  await expect(blocked).toContainText('203.0.113.9');
  await expect(blocked).toContainText('IP 203.0.113.9 与登记的 IP 不一致');
  await expect(page.getByTestId('login-timeline').locator('[data-outcome="ok"]')).toHaveCount(1);
  await shot(page, 'customer-page').then((f) => publish(f, 'customer.png'));

  await page.getByTestId('ctab-banks').click();
  await expect(page.getByTestId('bank-table')).toContainText('中国工商银行');
  await expect(page.getByTestId('bank-table')).toContainText('6222 0202 0001 2345 678');
  await expect(page.getByTestId('bank-table')).toContainText('当前');
  await shot(page, 'customer-banks');
  await page.getByTestId('ctab-devices').click();
  await expect(rows('device-table')).toHaveCount(3);
  await page.getByTestId('ctab-movements').click();
  await expect(page.getByTestId('movement-table')).toContainText('已拒绝');
  await expect(page.getByTestId('movement-table')).toContainText('两个账户属于不同客户');
  await shot(page, 'customer-movements');
});

step('blocked and flagged logins across customers, filtered by customer and by day', async () => {
  await u.goTo('customers');
  await page.getByTestId('tab-logins').click();
  const table = page.getByTestId('logins-table');
  await expect(rows('logins-table')).toHaveCount(1);
  await expect(table).toContainText('张伟');
  await expect(table).toContainText('203.0.113.9');
  await expect(table).toContainText('已拦截');
  // By customer: the other customer has none.
  await page.getByTestId('logins-customer').click();
  await page.keyboard.type('云帆');
  await page.locator('.ant-select-dropdown:visible').getByText('杭州云帆科技有限公司').click();
  await page.getByTestId('logins-search').click();
  await expect(rows('logins-table')).toHaveCount(0);
  // By day: 2026-11-20 (Beijing) holds it; the day after does not.
  await page.getByRole('button', { name: /重\s*置/ }).click();
  const dates = page.getByTestId('logins-tab').locator('.ant-picker-range');
  await dates.locator('input').first().fill('2026-11-20');
  await dates.locator('input').nth(1).fill('2026-11-20');
  await dates.locator('input').nth(1).press('Enter');
  await page.getByTestId('logins-search').click();
  await expect(rows('logins-table')).toHaveCount(1);
  await shot(page, 'logins-blocked').then((f) => publish(f, 'logins.png'));
  await dates.locator('input').first().fill('2026-11-21');
  await dates.locator('input').nth(1).fill('2026-11-22');
  await dates.locator('input').nth(1).press('Enter');
  await page.getByTestId('logins-search').click();
  await expect(rows('logins-table')).toHaveCount(0);
  // From the list straight to the customer.
  await page.getByRole('button', { name: /重\s*置/ }).click();
  await page.locator('[data-testid^="login-customer-"]').first().click();
  await expect(page.getByTestId('customer-name')).toHaveText('张伟');
});

step('counter transfers: refused outside the link group, posted once linked', async () => {
  await page.getByTestId('transfer-open').click();
  await page.getByTestId('transfer-dialog-ok').waitFor();
  await page.locator('.ant-modal:visible').getByText('收益账户', { exact: true }).click();
  await u.pick('transfer-from', 'A1001-1');
  await u.pick('transfer-to', 'A1001-2');
  await u.input('transfer-coins').fill('10');
  await page.getByTestId('transfer-dialog-ok').click();
  const outcome = page.getByTestId('transfer-outcome');
  await expect(outcome).toContainText('被规则拒绝');
  await expect(outcome).toContainText('转入账户不在客户的关联组内');
  await shot(page, 'transfer-refused');
  // A double click on "close" does not send it twice: the form is done.
  await page.getByTestId('transfer-dialog-ok').click();
  await expect(page.locator('.ant-modal:visible')).toHaveCount(0);

  await page.getByTestId('account-link-A1001-2').click();
  await u.confirmPop();
  await expect(page.getByTestId('account-linked-A1001-2')).toHaveText('已关联');

  await transferToEarnings('50', '已过账');
  await shot(page, 'transfer-posted');
  await page.getByTestId('transfer-dialog-ok').click();
  const accounts = page.getByTestId('account-table');
  await expect(accounts.locator('tr.ant-table-row', { hasText: 'A1001-2' })).toContainText('250');
  await u.logout();
});

step('rules: an admin proposes a lower approval threshold, cannot confirm it, another admin does', async () => {
  await u.settingsAs(ADMIN, 'rules');
  await expect(page.getByTestId('rule-value-transfer.approvalThreshold')).toHaveText('10,000 币');
  await page.getByTestId('setting-edit-transfer.approvalThreshold').click();
  await u.input('setting-value').fill('100');
  await u.input('setting-propose-reason').fill('试运行期间大额互转一律复核');
  await page.getByTestId('setting-propose-submit').click();
  const pending = page.getByTestId('changes-table').locator('tr.ant-table-row').first();
  await expect(pending).toContainText('待确认');
  await expect(pending).toContainText('10,000 币→ 100 币');
  await expect(page.locator('[data-testid^="change-confirm-"]')).toHaveCount(0); // four eyes: not the proposer
  await shot(page, 'rules-proposed').then((f) => publish(f, 'rules.png'));
  await u.logout();

  await u.settingsAs(ADMIN2, 'rules');
  await page.locator('[data-testid^="change-confirm-"]').first().click();
  await expect(page.getByTestId('changes-table').locator('tr.ant-table-row').first()).toContainText('已确认');
  await expect(page.getByTestId('rule-value-transfer.approvalThreshold')).toHaveText('100 币');
  await shot(page, 'rules-confirmed');
  await u.logout();
});

step('a transfer above the threshold waits; the clerk cannot decide it, an approver posts it', async () => {
  await u.login(CLERK);
  await page.goto(`${h.server.url}#/customers/c/${customerId('张伟')}`);
  await transferToEarnings('150', '等待审批人审批');
  await shot(page, 'transfer-held');
  await page.getByTestId('transfer-dialog-ok').click();
  // Held coins are reserved: A1001-1 shows 250 available, 150 reserved.
  const a1 = page.getByTestId('account-table').locator('tr.ant-table-row', { hasText: 'A1001-1' });
  await expect(a1).toContainText('150');

  // The clerk sees it waiting with no decision buttons, and the server refuses a decision anyway.
  await u.goTo('customers');
  await page.getByTestId('tab-approvals').click();
  await expect(rows('held-table')).toHaveCount(1);
  await expect(page.locator('[data-testid$="-approve"]')).toHaveCount(0);
  const id = (h.books.raw.prepare("SELECT id FROM coin_movements WHERE status = 'awaiting_approval'").get() as { id: number }).id;
  await decisionForbidden('coins.decide', id);
  await u.logout();

  await u.login(APPROVER);
  await u.goTo('customers');
  await page.getByTestId('tab-approvals').click();
  await shot(page, 'approvals').then((f) => publish(f, 'approvals.png'));
  await page.getByTestId(`movement-${id}-approve`).click();
  await u.input('decide-note').fill('已电话核实');
  await page.getByTestId('decide-dialog-ok').click();
  await expect(rows('held-table')).toHaveCount(0);
  await page.goto(`${h.server.url}#/customers/c/${customerId('张伟')}`);
  await expect(page.getByTestId('account-table').locator('tr.ant-table-row', { hasText: 'A1001-2' })).toContainText('400');
  await u.logout();
});

step('device re-bind: the clerk asks and cannot confirm; an approver confirms and the new address is in use', async () => {
  await u.login(CLERK);
  await page.goto(`${h.server.url}#/customers/c/${customerId('张伟')}`);
  await page.getByTestId('account-rebind-A1001-2').click();
  await u.input('rebind-address').fill('203.0.113.9');
  await page.getByTestId('rebind-reason').fill('客户更换宽带，已电话核实身份');
  await page.getByTestId('rebind-dialog-ok').click();
  await page.getByTestId('ctab-rebinds').click();
  await expect(rows('rebind-table')).toHaveCount(1);
  await expect(rows('rebind-table')).toContainText('待审批');
  await expect(rows('rebind-table')).toContainText('等待审批人');
  await expect(page.locator('[data-testid^="rebind-"][data-testid$="-approve"]')).toHaveCount(0);
  await shot(page, 'rebind-asked');
  const id = (h.books.raw.prepare("SELECT id FROM rebind_requests WHERE status = 'pending'").get() as { id: number }).id;
  await decisionForbidden('devices.decideRebind', id);
  await u.logout();

  await u.login(APPROVER);
  await page.goto(`${h.server.url}#/customers/c/${customerId('张伟')}`);
  await page.getByTestId('ctab-rebinds').click();
  await page.getByTestId(`rebind-${id}-approve`).click();
  await page.getByTestId('decide-dialog-ok').click();
  await expect(rows('rebind-table')).toContainText('已确认');
  await page.getByTestId('ctab-devices').click();
  const current = page.getByTestId('device-table').locator('tr.ant-table-row', { hasText: '203.0.113.9' });
  await expect(current).toContainText('使用中');
  await expect(current).toContainText('换绑申请');
  await expect(page.getByTestId('device-table').locator('tr.ant-table-row', { hasText: '10.1.2.3' })).toHaveCount(2);
  await shot(page, 'customer-devices').then((f) => publish(f, 'devices.png'));
  await u.logout();
});

step('counter service: register a customer, open an account, bind and unbind a bank account', async () => {
  await u.login(CLERK);
  await u.goTo('customers');
  await page.getByTestId('customer-register').click();
  await u.input('register-name').fill('陈静');
  await u.input('register-phone').fill('13900001111');
  await shot(page, 'customer-register');
  await page.getByTestId('register-dialog-ok').click();
  await expect(page.getByTestId('customer-name')).toHaveText('陈静');
  await page.getByTestId('account-open').click();
  await u.input('open-account-id').fill('A5001-1');
  await u.input('open-account-name').fill('陈静的账号');
  await page.getByTestId('open-account-dialog-ok').click();
  await expect(page.locator('.ant-form-item-explain-error')).toContainText('IP 与 MAC 至少填一项');
  await u.input('open-account-mac').fill('aa:bb:cc:dd:ee:01');
  await page.getByTestId('open-account-dialog-ok').click();
  await expect(page.getByTestId('account-table')).toContainText('A5001-1');
  await page.getByTestId('account-bind-A5001-1').click();
  await u.input('bind-bank-name').fill('招商银行');
  await u.input('bind-bank-number').fill('6214 8301 2345 6789');
  await u.input('bind-bank-holder').fill('陈静');
  await page.getByTestId('bind-bank-dialog-ok').click();
  await page.getByTestId('ctab-banks').click();
  await expect(page.getByTestId('bank-table')).toContainText('6214 8301 2345 6789');
  await page.locator('[data-testid^="bank-unbind-"]').click();
  await u.confirmPop();
  await expect(page.locator('[data-testid^="bank-unbind-"]')).toHaveCount(0);
  await expect(rows('bank-table')).toHaveCount(1);
  await expect(page.getByTestId('bank-table')).not.toContainText('当前');
  // English: the same page in the other language.
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('ctab-logins').click();
  await expect(page.getByTestId('nav-customers')).toHaveText('Customers');
  await page.goto(`${h.server.url}#/customers/c/${customerId('张伟')}`);
  await expect(page.getByTestId('login-timeline').locator('[data-outcome="blocked"]')).toContainText('Blocked');
  // Every action of an account's row is on screen, whole, in the longer English words too.
  for (const action of ['transfer', 'bind', 'rebind', 'unlink'])
    await expect(page.getByTestId(`account-${action}-A1001-1`)).toBeInViewport({ ratio: 1 });
  await shot(page, 'customer-page-en');
  await page.getByTestId('lang-switch').click();
});

test('customers: events import, search, customer page, logins, counter transfers, rules, devices', run);
