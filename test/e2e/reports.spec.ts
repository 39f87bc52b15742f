// The month-end reports on demo books made today (the events and the bank statement reach into last
// month): the auditor opens 报表, sees last month's 科目余额表 balance, drills into the 银行存款日记账 of the
// bank sub-account and the 明细账 of 未分配收款, opens the balance sheet and income statement and the
// 银行存款余额调节表, previews the print, exports the 科目余额表 (totals read back equal the screen's);
// then the same in English. Photographed at 1280×720 and 1440×900 in both languages.
import { expect, test, type Page } from '@playwright/test';
import { createDemoBooks } from '../../main/demo';
import { balancesReport } from '../../main/services/balances';
import { rollForward } from '../../main/services/reports';
import { vatData } from '../../main/services/vat-data';
import { demoNow } from '../support/e2e-demo';
import { startHarness, type Harness } from '../support/bridge';
import { shot } from '../support/e2e-shots';
import { ui, type StaffUser, openWindow } from '../support/e2e-ui';
import { seedVatMonth } from '../support/e2e-vat';
import { exportedRows } from '../support/e2e-workbook';

// Each test reads the same books in a window of its own: one failing does not skip the other.
test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'demo-pass-2026';
const AUDITOR: StaffUser = { username: 'auditor', displayName: '稽核 陈静', role: 'auditor', password: PASSWORD };

/** The month before Shanghai's current one (the screens open on it). */
function lastMonth(): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

test.beforeAll(async () => {
  h = await startHarness();
  await createDemoBooks(h.books, { password: PASSWORD, customers: 40, seed: 7, now: demoNow(0) });
  // Last month's invoices (不征税, 6 %, a red-letter one) and revenue runs, for the 增值税申报数据 tab.
  await seedVatMonth(h.books, lastMonth());
});

let windows = 0;
test.beforeEach(async ({ browser }) => {
  page = await openWindow(browser, h, { name: `window-${++windows}` });
  u = ui(page);
  await u.login(AUDITOR);
});

test.afterEach(async () => {
  await page?.close();
});

test.afterAll(async () => {
  await h?.close();
});

const both = async (name: string) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, `${name}-1440`);
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, `${name}-1280`);
  await page.setViewportSize({ width: 1440, height: 900 });
};

async function tour(lang: 'zh' | 'en') {
  const month = lastMonth();
  const svc = await balancesReport(h.books, month);
  await u.goTo('reports');
  await u.tab('balances');
  await expect(page.getByTestId('bal-status')).toHaveText(lang === 'zh' ? '借贷平衡' : 'Debits equal credits');
  // The totals row shows the service's figures (yuan, grouped).
  const total = page.getByTestId('bal-total');
  const yuan = (fen: string) => (Number(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  await expect(total).toContainText(yuan(svc.totals.closingDebit));
  await expect(total).toContainText(yuan(svc.totals.debit));
  await both(`reports-balances-${lang}`);

  // A bank sub-account opens its 银行存款日记账; 224101 its 明细账.
  const bank = svc.lines.find((l) => l.bankAccountId !== null)!;
  await page.getByTestId(`bal-code-${bank.code}`).click();
  await expect(page.getByTestId('ledger-drawer')).toContainText(lang === 'zh' ? '银行存款日记账' : 'Bank journal');
  await expect(page.getByTestId('ledger-month-total')).toContainText(yuan(bank.closing.amount));
  await both(`reports-bank-journal-${lang}`);
  await page.locator('.ant-drawer-close').click();
  await page.getByTestId('bal-code-224101').click();
  await expect(page.getByTestId('ledger-drawer')).toContainText(lang === 'zh' ? '明细账' : 'Subsidiary ledger');
  await expect(page.getByTestId('ledger-opening')).toBeVisible();
  await both(`reports-ledger-${lang}`);
  await page.locator('.ant-drawer-close').click();

  await u.tab('statements');
  await expect(page.getByTestId('bs-status')).toHaveText(lang === 'zh' ? '资产 = 负债 + 所有者权益' : 'Assets = liabilities + equity');
  await both(`reports-statements-${lang}`);

  await u.tab('bankrec');
  await expect(page.getByTestId('rec-statement')).toBeVisible();
  await both(`reports-bank-reconciliation-${lang}`);
  await page.getByTestId('rec-print').click();
  await expect(page.getByTestId('rec-preview')).toBeVisible();
  await both(`reports-bank-reconciliation-print-${lang}`);
  await page.keyboard.press('Escape');

  // The coin roll-forward of last month: the demo's recharge coins spent and expired, each in its column.
  const rf = (await rollForward(h.books, month)).lines.find((l) => l.ledger === 2)!;
  expect(Number(rf.expired)).toBeGreaterThan(0);
  await u.tab('rollforward');
  const picker = page.locator('input[data-testid=rf-month], [data-testid=rf-month] input').first();
  await expect(picker).toBeVisible({ timeout: 60_000 });
  await picker.click();
  await picker.fill(month);
  await picker.press('Enter');
  const coins = (n: string) => Number(n).toLocaleString('en-US');
  const recharge = page.getByTestId('rf-table').locator('tbody tr.ant-table-row').first();
  await expect(recharge).toContainText(`−${coins(rf.expired)}`);
  await expect(recharge).toContainText(`−${coins(rf.spent)}`);
  await expect(page.getByTestId('rf-table')).toContainText(lang === 'zh' ? '过期' : 'Expired');
  await expect(page.getByTestId('rf-table')).toContainText(lang === 'zh' ? '期初+变动=期末 ✓' : 'opening + movements = closing ✓');
  await both(`reports-roll-forward-${lang}`);
  // 增值税申报数据: the 6 % row (blue, red, uninvoiced) with 合计, 不征税 below, tied to 222101.
  const vat = await vatData(h.books, month);
  await u.tab('vat');
  await expect(page.getByTestId('vat-status')).toHaveText(lang === 'zh' ? '销项税额与账面相符' : 'Output tax agrees with the books');
  await expect(page.getByTestId('vat-table')).toContainText('6%');
  await expect(page.getByTestId('vat-total')).toContainText(yuan(vat.totals.total.tax));
  await expect(page.getByTestId('vat-total')).toContainText(yuan(vat.totals.uninvoiced.net));
  await expect(page.getByTestId('vat-not-taxable')).toContainText(yuan(vat.notTaxable.net));
  await both(`reports-vat-${lang}`);
  await page.getByTestId('vat-print').click();
  await expect(page.getByTestId('vat-preview')).toBeVisible();
  await both(`reports-vat-print-${lang}`);
  await page.keyboard.press('Escape');
}

test('the auditor reads last month’s reports in Chinese, drills down, prints and exports', async () => {
  await tour('zh');
  // The 科目余额表 exported: the 合计 row read back equals the service's totals.
  await u.tab('balances');
  const rows = await exportedRows(page, 'bal');
  const svc = (await balancesReport(h.books, lastMonth())).totals;
  expect(rows.find((r) => r[0] === '合计 Total')!.slice(2)).toEqual(
    [svc.openingDebit, svc.openingCredit, svc.debit, svc.credit, svc.closingDebit, svc.closingCredit].map((f) => Number(f) / 100),
  );
  await page.keyboard.press('Escape');
  // The 增值税申报数据 exported: its 合计 row read back equals the service's totals.
  await u.tab('vat');
  const vrows = await exportedRows(page, 'vat');
  const v = (await vatData(h.books, lastMonth())).totals;
  expect(vrows.find((r) => r[0] === '合计 Total')!.slice(1)).toEqual(
    [v.blue, v.red, v.invoiced, v.uninvoiced, v.total].flatMap((p) => [Number(p.net) / 100, Number(p.tax) / 100]),
  );
  await page.keyboard.press('Escape');
});

test('the same in English', async () => {
  await page.getByTestId('lang-switch').click();
  await tour('en');
});
