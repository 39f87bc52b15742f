// Honest amounts in the console: the unallocated receipts tab (ageing by band, refund proposed by a clerk
// and approved by another person, reclassification to 待查 once old enough) and the payments to explain
// (a bank fee classified to 660301 手续费 and approved by an approver). zh-CN first, then English.
import { expect, test, type Page } from '@playwright/test';
import { inWriteTx } from '../../main/db/tx';
import { commitStatement, planStatement, resolveBankAccount, type IncomingLine } from '../../main/services/bank-statements';
import { startHarness, type Harness } from '../support/bridge';
import { shot } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { seedStaff, ui, openWindow, closeWindow, tableRows, OFFICE } from '../support/e2e-ui';

// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const { admin: ADMIN, clerk: CLERK, approver: APPROVER } = OFFICE;
const BANK = { bankName: '招商银行 杭州分行', accountNumber: '571900000010101', name: '平台收款户' };

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;
const rows = (testId: string) => tableRows(page, testId);
const lineId = (ref: string) => (h.books.raw.prepare('SELECT id FROM bank_lines WHERE bank_ref = ?').get(ref) as { id: number }).id;
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
/** A statement of `lines` on the bank account committed straight into the books by `who` (seeding, not a screen step). */
async function commitLines(
  who: { username: string },
  role: 'clerk' | 'approver',
  file: { name: string; sha256: string },
  lines: IncomingLine[],
) {
  const staffId = (h.books.raw.prepare('SELECT id FROM staff WHERE username = ?').get(who.username) as { id: number }).id;
  await inWriteTx(h.books, async (tx) => {
    const s = { account: BANK.accountNumber, currency: 'CNY', opening: null, closing: null, format: 'csv', profile: 'test', lines };
    const plan = await planStatement(tx, s as never, await resolveBankAccount(tx, s as never, null));
    await commitStatement(tx, { staffId, name: who.username, role }, plan, file, Date.now());
  });
}

const line = (booked: string, amount: string, ref: string, name: string | null, memo: string): IncomingLine => ({
  booked,
  value: booked,
  amount,
  counterparty: { name, account: null },
  reference: null,
  memo,
  bank_ref: ref,
});

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await seedStaff(h, [ADMIN, CLERK, APPROVER]);
  const login = await h.dispatcher.dispatch('seed-admin', 'session.login', { username: ADMIN.username, password: ADMIN.password });
  expect(login.ok).toBe(true);
  const bank = await h.dispatcher.dispatch('seed-admin', 'bankAccounts.create', BANK);
  expect(bank.ok).toBe(true);
  await h.dispatcher.dispatch('seed-admin', 'session.logout', {});
  await commitLines(CLERK, 'clerk', { name: 'statement.csv', sha256: 'x'.repeat(64) }, [
    line(daysAgo(123), '300.00', 'IN-OLD', '不明汇款人', '转账'),
    line(daysAgo(45), '1288.35', 'IN-MID', '杭州某某科技有限公司', '货款'),
    line(daysAgo(5), '126.35', 'IN-NEW', '李娜', '多付退回'),
    line(daysAgo(3), '-25.00', 'OUT-FEE', null, '账户管理费'),
    line(daysAgo(2), '-475.00', 'OUT-SRV', '某某云计算有限公司', '云服务器 11 月'),
  ]);
  page = await openWindow(browser, h, { viewport: { width: 1280, height: 720 } });
  u = ui(page);
});

test.afterAll(() => closeWindow(page, h));

step('the clerk sees unallocated money by age, proposes a refund and a reclassification to 待查', async () => {
  await u.login(CLERK);
  await u.goTo('reconciliation');
  await page.getByTestId('recon-tab-ageing').click();
  await expect(rows('ageing-lines')).toHaveCount(3);
  await expect(page.getByTestId('ageing-buckets')).toContainText('1,714.70');
  await expect(rows('ageing-lines').first()).toContainText('90 天以上');
  // Too young to reclassify: 5 days.
  await expect(page.getByTestId(`ageing-reclassify-${lineId('IN-NEW')}`)).toBeDisabled();
  await shot(page, 'amounts-ageing');

  await page.getByTestId(`ageing-refund-${lineId('IN-NEW')}`).click();
  await expect(page.getByTestId('line-refund-amount')).toHaveValue('126.35');
  await page.getByTestId('line-refund-dialog-reason').fill('客户多付，要求退回');
  await shot(page, 'amounts-refund-dialog');
  await page.getByTestId('line-refund-dialog-ok').click();
  await expect(page.locator('.ant-message')).toContainText('退款已提交');

  await page.getByTestId(`ageing-reclassify-${lineId('IN-OLD')}`).click();
  await expect(page.getByTestId('reclassify-dialog')).toContainText('300.00');
  await page.getByTestId('reclassify-dialog-reason').fill('超过三个月无人认领');
  await page.getByTestId('reclassify-dialog-ok').click();
  await expect(rows('ageing-waiting')).toHaveCount(2);
  // The clerk may not decide what they proposed.
  await expect(page.getByTestId(`waiting-approve-refund-1`)).toBeDisabled();
});

step('the clerk classifies the bank fee and the server bill', async () => {
  await page.getByTestId('recon-tab-payments').click();
  await expect(rows('payments-lines')).toHaveCount(2);
  await page.getByTestId(`payment-classify-${lineId('OUT-FEE')}`).click();
  await page.getByTestId('classify-subject').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '660301' }).click();
  await page.getByTestId('classify-dialog-reason').fill('银行账户管理费');
  await shot(page, 'amounts-classify-dialog');
  await page.getByTestId('classify-dialog-ok').click();
  await expect(page.locator('.ant-message')).toContainText('分类已提交');
  await page.getByTestId(`payment-classify-${lineId('OUT-SRV')}`).click();
  await page.getByTestId('classify-subject').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '6602' }).click();
  await page.getByTestId('classify-dialog-reason').fill('11 月云服务器账单');
  await page.getByTestId('classify-dialog-ok').click();
  await expect(rows('payments-lines')).toHaveCount(0);
  await u.logout();
});

step('an approver approves them; suspense and unallocated receipts move by voucher', async () => {
  await u.login(APPROVER);
  await u.goTo('reconciliation');
  await page.getByTestId('recon-tab-ageing').click();
  await expect(rows('ageing-waiting')).toHaveCount(4);
  await shot(page, 'amounts-waiting');
  for (let i = 0; i < 4; i++) {
    await rows('ageing-waiting').first().locator('[data-testid^="waiting-approve-"]').click();
    await expect(rows('ageing-waiting')).toHaveCount(3 - i);
  }
  await expect(rows('ageing-lines')).toHaveCount(1);
  await expect(page.getByTestId('ageing-investigation')).toContainText('300.00');
  const bal = (code: string) =>
    (
      h.books.raw.prepare('SELECT credits_posted - debits_posted AS b FROM accounts WHERE ledger = 1 AND code = ?').get(code) as {
        b: number;
      }
    ).b;
  expect(bal('suspense')).toBe(0);
  expect(bal('gl:224103')).toBe(30_000);
  expect(bal('refunds_payable')).toBe(12_635);
  expect(bal('unallocated_receipts')).toBe(128_835);
  // The bank pays the refund back: its money-out line is matched to the refund, which is paid.
  await commitLines(APPROVER, 'approver', { name: 'out.csv', sha256: 'y'.repeat(64) }, [
    line(daysAgo(0), '-126.35', 'OUT-REFUND', '李娜', '退回多付'),
  ]);
  await page.getByTestId('recon-tab-payments').click();
  await page.getByTestId('recon-tab-ageing').click();
  await expect(rows('ageing-payable')).toHaveCount(1);
  await page.getByTestId('payable-line-1').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '126.35' }).click();
  await shot(page, 'amounts-refund-payable');
  await page.getByTestId('payable-match-1').click();
  await expect(page.getByTestId('ageing-payable')).toHaveCount(0);
  expect(bal('refunds_payable')).toBe(0);
  expect(bal('suspense')).toBe(0);
  // A toast shown in Chinese goes when the language changes (held on screen by the pointer until then),
  // instead of staying in Chinese on the English screen until it fades.
  const toast = page.locator('.ant-message-notice');
  await expect(toast).toContainText('退款已匹配');
  await toast.hover();
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('ageing-tab')).toContainText('Unallocated');
  expect(await toast.count()).toBe(0);
  await page.getByTestId('lang-switch').click();

  await page.getByTestId('recon-tab-payments').click();
  await page.getByTestId('payments-filter').getByText('已分类').click();
  await expect(rows('payments-lines')).toHaveCount(2);
  await shot(page, 'amounts-payments-classified');
});

step('the same screens in English, at 1440×900', async () => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('recon-tab-ageing').click();
  await expect(page.getByTestId('ageing-tab')).toContainText('Unallocated');
  await shot(page, 'amounts-ageing-en');
  await page.getByTestId('recon-tab-payments').click();
  await expect(page.getByTestId('payments-tab')).toContainText('122101 Payments to be explained');
  await shot(page, 'amounts-payments-en');
  await page.getByTestId('lang-switch').click();
});

test('unallocated receipts and payments to explain: aged, refunded, reclassified, classified and approved', run);
