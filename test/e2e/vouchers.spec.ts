// Vouchers end to end: a clerk prepares Dr 660301 手续费 25.00 / Cr 122101 待清理付款 25.00 (the form shows
// the 借贷差额 until it balances); the clerk cannot review it; an approver does and the list shows it
// posted with its 合计; the approver prepares a red voucher naming it, which a second approver posts;
// the ledger's posting sends the user to the voucher instead of reversing it. Screens in zh-CN and
// English at 1280×720 and 1440×900.
import { expect, test, type Page } from '@playwright/test';
import type { Harness } from '../support/bridge';
import { shotBothSizes } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { ui, OFFICE, withStaffedConsole } from '../support/e2e-ui';

test.describe.configure({ timeout: 180_000 });
// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const { admin: ADMIN, clerk: CLERK, approver: APPROVER, approver2: APPROVER2 } = OFFICE;

const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
const FIRST = `记-${month}-0001`;
const RED = `记-${month}-0002`;

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

/** Picks a lowest-level account the way a bookkeeper does: type its code, Enter. */
async function account(select: string, code: string, label: string) {
  await page.getByTestId(select).click();
  await page.keyboard.type(code);
  await expect(page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option-active').last()).toContainText(
    label,
  );
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(select)).toContainText(label);
}

const both = (name: string) => shotBothSizes(page, name);

withStaffedConsole([ADMIN, CLERK, APPROVER, APPROVER2], (c) => ({ h, page, u } = c));

step('a clerk prepares a balanced voucher; the form names the difference until it balances', async () => {
  await u.login(CLERK);
  await u.goTo('vouchers');
  await expect(page.getByTestId('vouchers-table')).toContainText('本期没有凭证');
  await page.getByTestId('voucher-new').click();
  await expect(page.getByTestId('voucher-form')).toBeVisible();
  await u.input('line-0-summary').fill('银行手续费');
  await account('line-0-account', '660301', '660301 手续费');
  await u.input('line-0-debit').fill('25.00');
  await u.input('line-1-summary').fill('银行手续费');
  await account('line-1-account', '122101', '122101 待清理付款');
  await u.input('line-1-credit').fill('24.00');
  await expect(page.getByTestId('voucher-difference')).toContainText('1.00');
  await both('voucher-form-unbalanced');
  await u.input('line-1-credit').fill('25.00');
  await expect(page.getByTestId('voucher-balanced')).toHaveText('借贷平衡');
  await u.input('voucher-attachments').fill('1');
  await page.getByTestId('voucher-save').click();
  await expect(page.getByTestId('voucher-name')).toHaveText(FIRST);
  const detail = page.getByTestId('voucher-detail');
  await expect(detail).toContainText('待审核');
  await expect(detail).toContainText('660301 手续费');
  await expect(detail).toContainText('122101 待清理付款');
  await expect(page.getByTestId('voucher-preparer')).toContainText('王芳');
  // A clerk does not review.
  await expect(page.getByTestId('voucher-approve')).toHaveCount(0);
  await both('voucher-draft');
  await u.logout();
});

step('an approver reviews it; the list shows it posted with its totals', async () => {
  await u.login(APPROVER);
  await u.goTo('vouchers');
  const table = page.getByTestId('vouchers-table');
  await expect(table).toContainText(FIRST);
  await expect(table).toContainText('待审核');
  await page.getByTestId(`voucher-open-${FIRST}`).click();
  await page.getByTestId('voucher-approve').click();
  await expect(page.getByTestId('voucher-detail')).toContainText('已记账');
  await expect(page.getByTestId('voucher-reviewer')).toContainText('李强');
  await both('voucher-posted');
  await page.getByTestId('voucher-back').click();
  const row = table.locator('tr.ant-table-row', { hasText: FIRST });
  await expect(row).toContainText('银行手续费');
  await expect(row).toContainText('25.00');
  await expect(row).toContainText('王芳');
  await expect(row).toContainText('李强');
  await expect(row).toContainText('已记账');
  await expect(page.getByTestId('vouchers-total')).toContainText('25.00');
  await both('vouchers-list');
});

step('a red voucher names the posted one; its preparer cannot post it, a second approver does', async () => {
  await page.getByTestId(`voucher-open-${FIRST}`).click();
  await page.getByTestId('voucher-reverse').click();
  await u.input('voucher-reverse-reason').fill('科目用错');
  await page.getByTestId('voucher-reverse-confirm').click();
  await expect(page.getByTestId('voucher-name')).toHaveText(RED);
  const detail = page.getByTestId('voucher-detail');
  await expect(detail).toContainText('红字');
  await expect(detail).toContainText('-25.00');
  await expect(page.getByTestId('voucher-reverses')).toContainText(FIRST);
  await expect(page.getByTestId('voucher-approve')).toBeDisabled();
  await both('voucher-red-draft');
  await u.logout();

  await u.login(APPROVER2);
  await u.goTo('vouchers');
  await page.getByTestId(`voucher-open-${RED}`).click();
  await page.getByTestId('voucher-approve').click();
  await expect(page.getByTestId('voucher-detail')).toContainText('已记账');
  await page.getByTestId('voucher-reverses').click();
  await expect(page.getByTestId('voucher-name')).toHaveText(FIRST);
  await expect(page.getByTestId('voucher-reversed-by')).toContainText(RED);
  await expect(page.getByTestId('voucher-reverse')).toHaveCount(0);
  // The fee account is back where it was: 25.00 − 25.00.
  const fees = h.books.raw
    .prepare("SELECT debits_posted - credits_posted AS n FROM accounts WHERE ledger = 1 AND subject_code = '660301'")
    .get() as { n: number };
  expect(fees.n).toBe(0);
});

step("the ledger shows business date, voucher and 科目; a voucher's posting leads to its voucher", async () => {
  // A second voucher, prepared and posted through the dispatcher: Dr 6602 管理费用 475.00 / Cr 122101 475.00.
  const call = async (client: string, method: string, input: unknown) => {
    const r = await h.dispatcher.dispatch(client, method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.data as { id: number; name: string };
  };
  await call('seed-clerk', 'session.login', { username: CLERK.username, password: CLERK.password });
  await call('seed-approver', 'session.login', { username: APPROVER.username, password: APPROVER.password });
  const server = await call('seed-clerk', 'vouchers.prepare', {
    date: `${month}-01`,
    lines: [
      { summary: '服务器费用', subjectCode: '6602', debit: '47500' },
      { summary: '服务器费用', subjectCode: '122101', credit: '47500' },
    ],
  });
  await call('seed-approver', 'vouchers.review', { id: server.id, approve: true });

  await u.goTo('ledger');
  await page.getByTestId('tab-transfers').click();
  const transfers = page.getByTestId('transfers-table');
  const first = transfers.locator('tr.ant-table-row', { hasText: FIRST });
  await expect(first).toContainText('660301 手续费');
  await expect(first).toContainText('122101 待清理付款');
  await expect(first).toContainText(month);
  await expect(first).toContainText('已冲销');
  const row = transfers.locator('tr.ant-table-row', { hasText: server.name });
  await expect(row).toContainText(`${month}-01`);
  await expect(row).toContainText('6602 管理费用');
  await both('ledger-transfers-vouchers');
  const id = await row.locator('[data-testid^="transfer-detail-"]').getAttribute('data-testid');
  await page.getByTestId(id!.replace('detail', 'reverse')).click();
  await expect(page.getByTestId('undo-text')).toContainText(`该分录属于手工凭证 ${server.name}`);
  await page.getByTestId('undo-open-voucher').click();
  await expect(page.getByTestId('voucher-name')).toHaveText(server.name);
  // Back to the first voucher by its number in the ledger.
  await u.goTo('ledger');
  await page.getByTestId('tab-transfers').click();
  await page.getByTestId('transfers-table').getByText(FIRST).first().click();
  await expect(page.getByTestId('voucher-name')).toHaveText(FIRST);
});

step('in English', async () => {
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('voucher-detail')).toContainText('Accounting voucher');
  await expect(page.getByTestId('voucher-detail')).toContainText('660301 Bank and channel fees');
  await both('voucher-posted-en');
  await page.getByTestId(`voucher-reversed-by`).click();
  await expect(page.getByTestId('voucher-detail')).toContainText('Red');
  await both('voucher-red-en');
  await page.getByTestId('voucher-back').click();
  await expect(page.getByTestId('vouchers-table')).toContainText('Posted');
  await both('vouchers-list-en');
  await page.getByTestId('voucher-new').click();
  await u.input('line-0-summary').fill('Server bill');
  await account('line-0-account', '6602', '6602 Administrative expenses');
  await u.input('line-0-debit').fill('475.00');
  await expect(page.getByTestId('voucher-difference')).toContainText('475.00');
  await both('voucher-form-en');
  await page.getByTestId('lang-switch').click();
});

test('vouchers: prepare, review under four eyes, red voucher, list totals, print', run);
