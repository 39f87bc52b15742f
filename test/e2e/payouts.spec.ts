// 收益提现 end to end: the platform's withdrawal events (imported through the real importer) wait for
// an approver; the approver sees ID numbers masked, approves one (tax withheld: (3,000 − 800) × 20 % =
// 440.00, net 2,560.00) and cannot decide the request they entered at the counter; the auditor sees the
// month's 扣缴申报 with ID numbers whole. Screens in zh-CN and English at 1280×720 and 1440×900.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { inWriteTx } from '../../main/db/tx';
import { commitEventImport } from '../../main/services/event-import';
import { startHarness, type Harness } from '../support/bridge';
import { shotBothSizes } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { seedStaff, ui, type StaffUser, openWindow, closeWindow, OFFICE } from '../support/e2e-ui';

test.describe.configure({ timeout: 180_000 });
// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const { admin: ADMIN, clerk: CLERK, approver: APPROVER } = OFFICE;
const AUDITOR: StaffUser = { username: 'sunli', displayName: '孙丽', role: 'auditor', password: 'auditor-pass-2026' };
const WANG_ID = '110101199003071233';

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

const payoutId = (requestId: string) =>
  (h.books.raw.prepare('SELECT id FROM payouts WHERE request_id = ?').get(requestId) as { id: number }).id;

const both = (name: string) => shotBothSizes(page, name);

/** The platform's file: two creators, earnings, and withdrawals (one more than the wallet holds). */
async function seedEvents() {
  const at = (minutes: number) => new Date(Date.now() - 3 * 3_600_000 + minutes * 60_000).toISOString().replace('Z', '+00:00');
  const w = (id: string, account: string, coins: number, payee: string, idType: string, idNumber: string, m: number) => ({
    id,
    type: 'earnings.withdrawal_requested',
    at: at(m),
    data: {
      account,
      coins,
      payee_name: payee,
      id_type: idType,
      id_number: idNumber,
      bank_name: '工商银行',
      account_number: '6222020200112233',
    },
  });
  const events = [
    { id: 'c1', type: 'customer.registered', at: at(0), data: { customer: 'C1', kind: 'person', name: '王芳' } },
    { id: 'a1', type: 'account.opened', at: at(1), data: { customer: 'C1', account: 'A1001', name: '芳芳直播', ip: '10.0.0.1' } },
    { id: 'c2', type: 'customer.registered', at: at(2), data: { customer: 'C2', kind: 'person', name: '李雷' } },
    { id: 'a2', type: 'account.opened', at: at(3), data: { customer: 'C2', account: 'A1002', name: '雷雷游戏', ip: '10.0.0.2' } },
    { id: 'e1', type: 'earnings.credited', at: at(10), data: { account: 'A1001', coins: 60_000 } },
    { id: 'e2', type: 'earnings.credited', at: at(11), data: { account: 'A1002', coins: 400_000 } },
    w('w1', 'A1001', 30_000, '王芳', 'resident_id', WANG_ID, 20),
    w('w2', 'A1001', 20_000, '王芳', 'resident_id', WANG_ID, 21),
    w('w3', 'A1002', 300_000, '李雷', 'cn_passport', 'E12345678', 22),
    w('w4', 'A1002', 200_000, '李雷', 'cn_passport', 'E12345678', 23),
  ];
  const file = path.join(h.dir, 'payout-events.jsonl');
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const clerk = h.books.raw.prepare("SELECT id FROM staff WHERE username = 'wangfang'").get() as { id: number };
  await inWriteTx(h.books, (tx) => commitEventImport(tx, { staffId: clerk.id, name: 'wangfang', role: 'clerk' }, file));
}

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await seedStaff(h, [ADMIN, CLERK, APPROVER, AUDITOR]);
  await seedEvents();
  page = await openWindow(browser, h);
  u = ui(page);
  await u.ready('login');
});

test.afterAll(() => closeWindow(page, h));

step('an approver sees the requests with ID numbers masked and approves one; tax and net follow', async () => {
  await u.login(APPROVER);
  await u.goTo('payouts');
  const table = page.getByTestId('payouts-table');
  await expect(table).toContainText('1101**********1233');
  await expect(table).not.toContainText(WANG_ID);
  await expect(page.getByTestId('coin-value')).toContainText('0.10 元/币');
  await expect(table).toContainText('440.00'); // the estimate before approval
  await both('payouts-requested');
  await page.getByTestId(`payout-approve-${payoutId('w1')}`).click();
  await expect(page.locator('.ant-modal-confirm')).toContainText('代扣个税 440.00 元，实发 2,560.00 元');
  await u.confirmModal();
  await page.getByTestId('payouts-status').getByText('全部').click();
  await expect(table).toContainText('待支付');
  // the refused one keeps its reason
  await expect(table).toContainText('已拒绝');
  await both('payouts-all');
});

step('counter entry: the approver who entered a request cannot decide it', async () => {
  await page.getByTestId('payout-new').click();
  await u.input('entry-account').fill('A1001');
  await u.input('entry-coins').fill('5000');
  await u.input('entry-payee').fill('王芳');
  await u.input('entry-id').fill(WANG_ID);
  await u.input('entry-bank').fill('建设银行');
  await u.input('entry-card').fill('6217 0000 1234 5678');
  await expect(page.locator('.ant-modal')).toContainText('约 500.00 元');
  await both('payouts-entry');
  await page.locator('.ant-modal .ant-btn-primary').click();
  await page.getByTestId('payouts-status').getByText('待审批').click();
  const counter = h.books.raw.prepare("SELECT id FROM payouts WHERE request_id LIKE 'counter-%'").get() as { id: number };
  await expect(page.getByTestId(`payout-approve-${counter.id}`)).toBeDisabled();
  await both('payouts-own-entry');
});

step('the auditor sees the month’s 扣缴申报 with ID numbers whole, and may export it', async () => {
  await u.as(AUDITOR);
  await u.goTo('payouts');
  await expect(page.getByTestId('payouts-table')).toContainText(WANG_ID);
  await page.getByRole('tab', { name: '扣缴申报' }).click();
  const table = page.getByTestId('withholding-table');
  await expect(table).toContainText(WANG_ID);
  await expect(table).toContainText('合计（1 人）');
  await expect(page.getByTestId('withholding-export')).toBeEnabled();
  await both('payouts-withholding');
});

step('in English', async () => {
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('withholding-table')).toContainText('Total, persons: 1');
  await both('payouts-withholding-en');
  await page.getByRole('tab', { name: 'Payout requests' }).click();
  await expect(page.getByTestId('payouts-table')).toContainText('Pending');
  await both('payouts-list-en');
  await page.getByTestId('lang-switch').click();
});

test('收益提现: approve with withholding, masked ID numbers, four eyes, 扣缴申报', run);
