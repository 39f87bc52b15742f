// Vouchers for the general ledger end to end: an admin maps 2204 合同负债 to the GL's 2203.01 (a second
// admin confirms) and uploads a Kingdee template; an approver exports the month's vouchers (a posted fee
// voucher; a draft is listed as skipped), then sees the month marked as exported and forces a second
// export. Screens in zh-CN and English at 1280×720 and 1440×900.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../support/bridge';
import { shotBothSizes } from '../support/e2e-shots';
import { story } from '../support/e2e-story';
import { seedStaff, ui, type StaffUser, openWindow, closeWindow, OFFICE } from '../support/e2e-ui';

test.describe.configure({ timeout: 180_000 });
// One story, its steps in order (test/support/e2e-story.ts): each stands on the one before.
const { step, run } = story();

const { admin: ADMIN, clerk: CLERK, approver: APPROVER } = OFFICE;
const ADMIN2: StaffUser = { username: 'admin2', displayName: '钱立', role: 'admin', password: 'admin2-pass-2026' };

const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let h: Harness;
let page: Page;
let u: ReturnType<typeof ui>;

const both = (name: string) => shotBothSizes(page, name);

/** The header row of the customer's own 金蝶KIS 凭证引入 template, which the export must follow. */
const KIS_TEMPLATE_HEADER = [
  '日期',
  '会计期间',
  '凭证字',
  '凭证号',
  '科目代码',
  '科目名称',
  '摘要',
  '借方',
  '贷方',
  '制单',
  '结算方式',
  '核算项目代码',
  '核算项目名称',
];

async function as(client: string, user: StaffUser, method: string, input: unknown) {
  const s = await h.dispatcher.dispatch(client, 'session.status', {});
  if (!(s.ok && (s.data as { session: unknown }).session))
    await h.dispatcher.dispatch(client, 'session.login', { username: user.username, password: user.password });
  const r = await h.dispatcher.dispatch(client, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.data as { id: number };
}

test.beforeAll(async ({ browser }) => {
  h = await startHarness();
  await seedStaff(h, [ADMIN, ADMIN2, CLERK, APPROVER]);
  // Dr 660301 手续费 25.00 / Cr 122101 待清理付款 25.00, posted; Dr 6602 管理费用 475.00 / Cr 122101, a draft.
  const fee = await as('c-clerk', CLERK, 'vouchers.prepare', {
    date: today,
    attachments: 1,
    lines: [
      { summary: '银行手续费', subjectCode: '660301', debit: '2500' },
      { summary: '银行手续费', subjectCode: '122101', credit: '2500' },
    ],
  });
  await as('c-approver', APPROVER, 'vouchers.review', { id: fee.id, approve: true });
  await as('c-clerk', CLERK, 'vouchers.prepare', {
    date: today,
    lines: [
      { summary: '服务器费用', subjectCode: '6602', debit: '47500' },
      { summary: '服务器费用', subjectCode: '122101', credit: '47500' },
    ],
  });
  page = await openWindow(browser, h);
  u = ui(page);
  await u.ready('login');
});

test.afterAll(() => closeWindow(page, h));

async function kisTemplate(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('凭证引入');
  ws.addRow(['金蝶KIS 凭证引入模板']);
  ws.addRow(KIS_TEMPLATE_HEADER);
  const file = path.join(h.dir, 'KIS凭证模板.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

step('an admin maps a subject and uploads the Kingdee template; a second admin confirms the mapping', async () => {
  await u.settingsAs(ADMIN, 'gl');
  await expect(page.getByTestId('glset-tab')).toBeVisible();
  await page.getByTestId('glset-add').click();
  await u.pick('glset-from-0', '2204 合同负债');
  await u.input('glset-to-0').fill('2203.01');
  await page.getByTestId('glset-aux').click();
  await u.input('glset-reason').fill('对接金蝶总账');
  await both('gl-settings-editing');
  await page.getByTestId('glset-propose').click();
  await expect(page.getByTestId('glset-versions')).toContainText('未设置（按 Coffer 科目编码导出）→ 1 个科目');
  await page.getByTestId('glset-versions').locator('tr', { hasText: '1 个科目' }).locator('button.ant-table-row-expand-icon').click();
  await expect(page.getByTestId('glset-versions')).toContainText('2204 合同负债');
  await expect(page.getByTestId('glset-versions')).toContainText('2203.01');
  h.dialogs.nextOpen = await kisTemplate();
  await page.getByTestId('glset-load-kingdee').click();
  await expect(page.getByTestId('glset-template-kingdee')).toContainText('KIS凭证模板.xlsx');
  // The second admin confirms both proposals.
  for (const id of [1, 2]) await as('c-admin2', ADMIN2, 'settings.decide', { id, decision: 'confirmed' });
  await page.getByTestId('tab-rules').click();
  await page.getByTestId('tab-gl').click();
  await expect(page.getByTestId('glset-in-force')).toContainText('2203.01');
  await both('gl-settings');
  await u.logout();
});

step('an approver exports the month; the draft is listed as skipped', async () => {
  await u.login(APPROVER);
  await u.goTo('vouchers');
  await page.getByTestId('glx-open').click();
  await expect(page.getByTestId('glx-posted')).toContainText('1 张');
  await expect(page.getByTestId('glx-template')).toContainText('KIS凭证模板.xlsx');
  await both('gl-export-dialog');
  h.dialogs.nextSave = path.join(h.dir, 'kis-export.xlsx');
  await page.getByTestId('glx-run').click();
  await expect(page.getByTestId('glx-done')).toBeVisible();
  await expect(page.getByTestId('glx-counts')).toContainText('1 张凭证，2 条分录');
  await expect(page.getByTestId('glx-skipped')).toContainText('草稿');
  await both('gl-export-done');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(h.dir, 'kis-export.xlsx'));
  const ws = wb.worksheets[0]!;
  expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(KIS_TEMPLATE_HEADER);
  expect((ws.getRow(3).values as unknown[]).slice(1, 10)).toEqual([
    today,
    Number(today.slice(5, 7)),
    '记',
    1,
    '660301',
    '手续费',
    '银行手续费',
    25,
    0,
  ]);
});

step('a second export is held back until the approver forces it', async () => {
  await page.keyboard.press('Escape');
  await page.getByTestId('glx-open').click();
  await expect(page.getByTestId('glx-exported-before')).toContainText('已导出过');
  await expect(page.getByTestId('glx-run')).toBeDisabled();
  await page.getByTestId('glx-force').click();
  await expect(page.getByTestId('glx-run')).toBeEnabled();
  await both('gl-export-again');
  h.dialogs.nextSave = path.join(h.dir, 'kis-export-2.xlsx');
  await page.getByTestId('glx-run').click();
  await expect(page.getByTestId('glx-done')).toContainText('强制');
  await expect(page.getByTestId('glx-history')).toContainText('#2');
  await both('gl-export-forced');
});

step('in English', async () => {
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('glx-open').click();
  await expect(page.getByTestId('glx-dialog')).toContainText('Posted vouchers');
  await expect(page.getByTestId('glx-exported-before')).toContainText('exported before');
  await both('gl-export-dialog-en');
  await page.getByTestId('glx-force').click();
  h.dialogs.nextSave = path.join(h.dir, 'kis-export-3.xlsx');
  await page.getByTestId('glx-run').click();
  await expect(page.getByTestId('glx-done')).toContainText('Forced');
  await both('gl-export-forced-en');
  await page.keyboard.press('Escape');
  await u.logout();
  await u.settingsAs(ADMIN, 'gl');
  await expect(page.getByTestId('glset-in-force')).toContainText('2203.01');
  await both('gl-settings-en');
  await page.getByTestId('lang-switch').click();
});

test('vouchers for the GL: subject map, Kingdee template, export marked and forced again', run);
