// 规则与阈值 as an accountant reads it (issue 13 §1): every setting by its name with its value in units —
// never a key, JSON or fen — and changed through a form in those units. One admin proposes the
// two-approver threshold in yuan (50,000.00 → 80,000.00 元) and the expected unused share as a per
// cent (0% → 2.5%, from this month); the history lists both before → after; another admin confirms
// them, and the table and the form show the new values at once. Photographed in zh-CN and English at
// 1280×720 and 1440×900. Its own books: nothing here depends on another spec.
import { expect, test, type Page } from '@playwright/test';
import { SETTING_KEYS } from '../../main/services/settings';
import type { Harness } from '../support/bridge';
import { publish, shotBothSizes } from '../support/e2e-shots';
import { ui, type StaffUser, tableRows, OFFICE, withStaffedConsole } from '../support/e2e-ui';

test.describe.configure({ timeout: 240_000 });

const ADMIN: StaffUser = { username: 'wangkj', displayName: '王会计', role: 'admin', password: 'admin-pass-2026' };
const { admin2: ADMIN2 } = OFFICE;

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

withStaffedConsole([ADMIN, ADMIN2], (c) => ({ h, page, u } = c));

const rows = (testId: string) => tableRows(page, testId);
const changeId = (key: string) =>
  (h.books.raw.prepare('SELECT id FROM setting_changes WHERE key = ? ORDER BY id DESC LIMIT 1').get(key) as { id: number }).id;

const both = (name: string, show?: string) => shotBothSizes(page, name, show);

/** Nothing a developer would say: no setting key, no JSON, no amount in fen. */
async function noDeveloperWords(testId: string) {
  const text = await page.getByTestId(testId).innerText();
  for (const key of SETTING_KEYS) expect(text).not.toContain(key);
  expect(text).not.toMatch(/[{}[\]"]/);
  expect(text).not.toContain('5,000,000');
}

async function openRules(user: StaffUser) {
  await u.ready('login');
  await u.settingsAs(user, 'rules');
  await expect(page.getByTestId('rule-value-approval.dualAboveFen')).toBeVisible();
}

async function propose(key: string, value: string, reason: string) {
  await page.getByTestId(`setting-edit-${key}`).click();
  const modal = page.locator('.ant-modal:visible');
  await expect(modal).toContainText('提议修改');
  await u.input('setting-value').fill(value);
  await u.input('setting-propose-reason').fill(reason);
  return modal;
}

test('an admin proposes a yuan and a per-cent setting in their units; another confirms; the form shows the new values', async () => {
  await openRules(ADMIN);
  const table = page.getByTestId('rules-table');
  await expect(table).toContainText('双人审批起点');
  // Each rule's value in its own unit.
  for (const [key, shown] of [
    ['approval.dualAboveFen', '50,000.00 元'],
    ['revenue.breakageBp', '0%（不确认）'],
    ['revenue.vatRate', '6%'],
    ['matching.writeOffCapFen', '10.00 元'],
    ['earnings.costSubject', '6401 主营业务成本'],
    ['matching.rules', '4 条规则（启用 4 条）'],
  ] as const)
    await expect(page.getByTestId(`rule-value-${key}`)).toHaveText(shown);
  await noDeveloperWords('rules-tab');
  // A list opens as a table.
  await table.locator('tr', { hasText: '自动对账规则' }).locator('button.ant-table-row-expand-icon').click();
  await expect(table).toContainText('参考码 + 金额相等');
  await both('settings-rules').then((f) => publish(f, 'settings-rules.png'));
  await table.locator('tr', { hasText: '自动对账规则' }).locator('button.ant-table-row-expand-icon').click();

  // Yuan: the form opens on the value in force, in yuan.
  let modal = await propose('approval.dualAboveFen', '80000', '大额充值改为 8 万元以上双人审批');
  await expect(page.getByTestId('setting-now')).toHaveText('50,000.00 元');
  await both('settings-propose-yuan');
  await page.getByTestId('setting-propose-submit').click();
  await expect(modal).toHaveCount(0);
  const yuanId = changeId('approval.dualAboveFen');
  expect((h.books.raw.prepare('SELECT value FROM setting_changes WHERE id = ?').get(yuanId) as { value: string }).value).toBe('8000000');

  // A per cent of a monthly setting: from this month's first day.
  modal = await propose('revenue.breakageBp', '2.5', '按历史数据估计 2.5% 的币不会被使用');
  await expect(modal).toContainText('按月生效');
  await both('settings-propose-percent');
  await page.getByTestId('setting-propose-submit').click();
  await expect(modal).toHaveCount(0);
  const pctId = changeId('revenue.breakageBp');
  expect((h.books.raw.prepare('SELECT value FROM setting_changes WHERE id = ?').get(pctId) as { value: string }).value).toBe('250');

  const history = rows('changes-table');
  await expect(history).toHaveCount(2);
  await expect(history.nth(1)).toContainText('50,000.00 元→ 80,000.00 元');
  await expect(history.nth(1)).toContainText('提议：王会计');
  await expect(history.nth(0)).toContainText('0%（不确认）→ 2.5%');
  await expect(history.nth(0)).toContainText(' 起'); // from the month, not a time of day
  await expect(page.getByTestId(`change-status-${yuanId}`)).toHaveText('待确认');
  await expect(page.getByTestId(`change-confirm-${yuanId}`)).toHaveCount(0); // four eyes
  await expect(history.nth(1)).toContainText('四眼原则');
  await noDeveloperWords('rules-tab');
  await expect(page.getByTestId('rules-pending')).toContainText('2 项设置修改待另一位管理员确认');
  await both('settings-proposed', '#setting-changes');
  await u.logout();

  // The second admin confirms both; what is in force, and the form, show the new values at once.
  await openRules(ADMIN2);
  await page.getByTestId(`change-confirm-${yuanId}`).click();
  await expect(page.getByTestId(`change-status-${yuanId}`)).toHaveText('已确认');
  await expect(page.getByTestId('rule-value-approval.dualAboveFen')).toHaveText('80,000.00 元');
  await page.getByTestId(`change-confirm-${pctId}`).click();
  await expect(page.getByTestId(`change-status-${pctId}`)).toHaveText('已确认');
  await expect(page.getByTestId('rule-value-revenue.breakageBp')).toHaveText('2.5%');
  await expect(rows('changes-table').nth(1)).toContainText('确认：钱八');
  await noDeveloperWords('rules-tab');
  await expect(page.getByTestId('rules-pending')).toHaveCount(0);
  await both('settings-confirmed', '#setting-changes').then((f) => publish(f, 'settings-changes.png'));

  await page.getByTestId('setting-edit-approval.dualAboveFen').click();
  await expect(page.getByTestId('setting-now')).toHaveText('80,000.00 元');
  await expect(u.input('setting-value')).toHaveValue('80,000.00');
  await page.locator('.ant-modal:visible .ant-modal-close').click();
  await expect(page.locator('.ant-modal:visible')).toHaveCount(0);
  await page.getByTestId('setting-edit-revenue.breakageBp').click();
  await expect(page.getByTestId('setting-now')).toHaveText('2.5%');
  await expect(u.input('setting-value')).toHaveValue('2.50');
  await page.locator('.ant-modal:visible .ant-modal-close').click();

  // A setting with an editor of its own opens it.
  await page.getByTestId('setting-edit-conversion.rules').click();
  await expect(page.getByTestId('conversion-tab')).toBeVisible();
  await page.getByTestId('tab-rules').click();
  await page.getByTestId('setting-edit-matching.rules').click();
  await expect(page.getByTestId('rules-editor')).toBeVisible();
  await u.goTo('settings');
  await page.getByTestId('tab-rules').click();

  // The same in English.
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('rule-value-approval.dualAboveFen')).toHaveText('80,000.00 yuan');
  await expect(page.getByTestId('rules-table')).toContainText('Two approvers above');
  await expect(rows('changes-table').nth(1)).toContainText('50,000.00 yuan→ 80,000.00 yuan');
  await expect(page.getByTestId('setting-edit-approval.dualAboveFen')).toHaveText('Propose');
  await expect(rows('changes-table').nth(1)).toContainText('Confirmed: 钱八');
  await noDeveloperWords('rules-tab');
  await both('settings-confirmed-en', '#setting-changes');
  await both('settings-rules-en', '[data-testid="rules-tab"]');
  await page.getByTestId('setting-edit-approval.dualAboveFen').click();
  await expect(u.input('setting-value')).toHaveValue('80,000.00');
  await both('settings-propose-yuan-en');
  await page.locator('.ant-modal:visible .ant-modal-close').click();
  await page.getByTestId('lang-switch').click();
  await u.logout();
});
