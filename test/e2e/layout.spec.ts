// Every screen whole at 1280×720 and 1440×900, in Chinese and English, on demo books: each area and
// each of its sub-tabs is opened at both sizes and in both languages, and for every table on it the
// amount columns (right-aligned headers) and the row-action column must end inside the window, each
// action whole inside its cell (a table
// may scroll its secondary columns inside itself), the page and the content area must not scroll sideways, and no tab bar may fold its tabs into
// a "…" menu. Each area is its own test (no serial chain): one cut screen fails its area alone.
// Screenshots: test/.artifacts/screenshots/layout-<area>-<tab>-<lang>-<width>.png.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createDemoBooks } from '../../main/demo';
import { startHarness, type Harness } from '../support/bridge';
import { shot } from '../support/e2e-shots';
import { ui, type StaffUser, JOB_OUTCOME } from '../support/e2e-ui';

const PASSWORD = 'demo-pass-2026';
const APPROVER: StaffUser = { username: 'approver', displayName: '审核 李强', role: 'approver', password: PASSWORD };
const ADMIN: StaffUser = { username: 'admin', displayName: '管理员 周敏', role: 'admin', password: PASSWORD };

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;
type Size = { width: number; height: number };

/** Every area of the console, in the sider's order (renderer/src/app/areas.ts). */
const AREAS = [
  'dashboard',
  'import',
  'recharges',
  'reconciliation',
  'approvals',
  'records',
  'customers',
  'invoices',
  'payouts',
  'ledger',
  'vouchers',
  'revenue',
  'closing',
  'reports',
  'audit',
  'settings',
] as const;

let h: Harness;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  h = await startHarness();
  await createDemoBooks(h.books, { password: PASSWORD, customers: 40, seed: 7 });
});

test.afterAll(async () => {
  await h?.close();
});

interface Problem {
  where: string;
  what: string;
}

/** A page of its own at `size`, in Chinese, attached to the demo books and logged in as `user`; closed afterwards. */
async function asStaff(browser: Browser, name: string, user: StaffUser, size: Size, run: (page: Page) => Promise<void>) {
  const page = await browser.newPage({ viewport: size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  try {
    await h.attach(page, name);
    await ui(page).login(user);
    await run(page);
  } finally {
    await page.close();
  }
}

/** From Chinese to English, once the console says so. */
async function toEnglish(page: Page) {
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('nav-dashboard')).toHaveText('Dashboard');
}

/**
 * What sticks out of the window on the screen as it is now: amount headers and last headers of every
 * visible table that end past the window's right edge, tags in its rows cut by their cell or lying under
 * the columns fixed right, card titles cut short, sideways scrolling of the page or the content area, and
 * tab bars showing their "…" menu.
 */
async function measure(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = window.innerWidth;
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
    const content = document.querySelector<HTMLElement>('.ant-layout-content');
    if (content && content.scrollWidth > content.clientWidth + 1)
      out.push(`content scrolls sideways (${content.scrollWidth} > ${content.clientWidth})`);
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    document.querySelectorAll('.ant-layout-content .ant-table-wrapper').forEach((wrapper, i) => {
      if (!visible(wrapper)) return;
      const name = wrapper.closest('[data-testid]')?.getAttribute('data-testid') ?? `table ${i + 1}`;
      const heads = [...wrapper.querySelectorAll<HTMLTableCellElement>('thead th')].filter(
        (th) => visible(th) && !th.classList.contains('ant-table-cell-scrollbar') && th.closest('.ant-table-wrapper') === wrapper,
      );
      if (heads.length === 0) return;
      // The row actions: the last column when its cells hold buttons or links, and any column fixed right.
      const rows = [...wrapper.querySelectorAll<HTMLTableRowElement>('tbody tr.ant-table-row')].slice(0, 5);
      const last = heads[heads.length - 1]!;
      const actionable = rows.some((tr) => tr.cells[last.cellIndex]?.querySelector('button, a, .ant-btn'));
      const actions = heads.filter((th) => /ant-table-cell-fix-(right|end)/.test(th.className) || (th === last && actionable));
      const amounts = heads.filter((th) => getComputedStyle(th).textAlign === 'right');
      for (const th of new Set([...amounts, ...actions])) {
        const r = th.getBoundingClientRect();
        if (r.x + r.width > vw + 0.5) out.push(`${name}: column "${th.innerText.trim()}" ends at ${Math.round(r.x + r.width)} > ${vw}`);
      }
      // Each button of a row's actions whole inside its cell (a narrow column cuts the longer English words).
      for (const th of actions)
        for (const tr of rows) {
          const td = tr.cells[th.cellIndex];
          if (!td) continue;
          const cell = td.getBoundingClientRect();
          td.querySelectorAll<HTMLElement>('button, a').forEach((b) => {
            const r = b.getBoundingClientRect();
            if (visible(b) && (r.right > cell.right + 0.5 || r.left < cell.left - 0.5))
              out.push(`${name}: action "${b.innerText.trim()}" cut by its cell (${Math.round(r.right)} > ${Math.round(cell.right)})`);
          });
        }
      // A tag (a status or flag) cut by its cell's edge or lying under the columns fixed right (a column
      // the table scrolls to is not cut: the amounts and actions above stay in view).
      for (const tr of rows) {
        const fixed = [...tr.cells].filter((td) => /ant-table-cell-fix-(right|end)/.test(td.className));
        const edge = Math.min(Infinity, ...fixed.map((td) => td.getBoundingClientRect().left));
        tr.querySelectorAll<HTMLElement>('.ant-tag').forEach((tag) => {
          const td = tag.closest('td');
          if (!td || fixed.includes(td) || !visible(tag)) return;
          const right = Math.min(edge, td.getBoundingClientRect().right);
          const r = tag.getBoundingClientRect();
          if (r.right > right + 0.5 || tag.scrollWidth > tag.clientWidth + 1)
            out.push(`${name}: tag "${tag.innerText.trim()}" cut at ${Math.round(right)} (it ends at ${Math.round(r.right)})`);
        });
      }
    });
    document.querySelectorAll<HTMLElement>('.ant-layout-content .ant-card-head-title').forEach((head) => {
      if (visible(head) && head.scrollWidth > head.clientWidth + 1) out.push(`card title cut: ${head.innerText.trim().slice(0, 80)}`);
    });
    document.querySelectorAll('.ant-layout-content .ant-tabs-nav-operations').forEach((ops) => {
      if (!ops.classList.contains('ant-tabs-nav-operations-hidden') && visible(ops)) {
        const tabs = ops.closest('.ant-tabs')?.querySelector('.ant-tabs-nav-list')?.textContent ?? '';
        out.push(`tabs fold into "…": ${tabs.slice(0, 80)}`);
      }
    });
    return out;
  });
}

/**
 * Waits for the screen and its data: its code loaded (the content area has something in it), no spinner
 * left, and the content's size no longer changing between two looks.
 */
async function settle(page: Page): Promise<void> {
  const content = page.locator('.ant-layout-content');
  await expect(content.locator(':scope > *').first()).toBeVisible({ timeout: 30_000 });
  await expect(content.locator('.ant-spin-spinning')).toHaveCount(0, { timeout: 30_000 });
  const size = () => content.evaluate((el) => `${el.scrollWidth}×${el.scrollHeight}/${el.querySelectorAll('tr').length}`);
  let last = await size();
  await expect(async () => {
    await page.waitForTimeout(300);
    const now = await size();
    const same = now === last;
    last = now;
    expect(same).toBe(true);
  }).toPass({ timeout: 30_000 });
}

/** The screen's own tab bar (the outermost one in the content area), or none. */
function topTabs(page: Page) {
  return page.locator('.ant-layout-content .ant-tabs').first().locator(':scope > .ant-tabs-nav .ant-tabs-tab');
}

async function walkArea(page: Page, area: string, lang: 'zh' | 'en', problems: Problem[]) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.getByTestId(`nav-${area}`).click();
    await settle(page);
    const tabs = topTabs(page);
    const count = await tabs.count();
    for (let i = 0; i < Math.max(count, 1); i++) {
      let tab = 'main';
      if (count > 0) {
        const t = tabs.nth(i);
        tab = (await t.getAttribute('data-node-key')) ?? String(i);
        await t.click();
        await expect(t).toHaveClass(/ant-tabs-tab-active/);
        await settle(page);
      }
      const where = `${area}/${tab} ${lang} ${size.width}`;
      for (const what of await measure(page)) problems.push({ where, what });
      await shot(page, `layout-${area}-${tab}-${lang}-${size.width}`);
    }
  }
}

for (const area of AREAS) {
  test(`${area}: whole at 1280×720 and 1440×900 in both languages`, async ({ browser }) => {
    test.setTimeout(300_000);
    await asStaff(browser, `layout-${area}`, area === 'settings' ? ADMIN : APPROVER, SIZES[1], async (page) => {
      const problems: Problem[] = [];
      await walkArea(page, area, 'zh', problems);
      await toEnglish(page);
      await walkArea(page, area, 'en', problems);
      expect(problems.map((p) => `${p.where}: ${p.what}`)).toEqual([]);
    });
  });
}

/** Pages a row opens inside its area (the first of each on the demo books): measured like the areas. */
const ROW_PAGES = ['customers/c/1', 'recharges/r/1', 'records/r/1', 'vouchers/v/1', 'reconciliation/s/1', 'invoices/c/1'] as const;

test('the pages a row opens: whole at 1280×720 and 1440×900 in both languages', async ({ browser }) => {
  test.setTimeout(300_000);
  await asStaff(browser, 'layout-row-pages', APPROVER, SIZES[1], async (page) => {
    const problems: string[] = [];
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await toEnglish(page);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        for (const path of ROW_PAGES) {
          await page.evaluate((p) => (location.hash = `#/${p}`), path);
          await settle(page);
          await expect(page.locator('.ant-result-404')).toHaveCount(0);
          for (const what of await measure(page)) problems.push(`${path} ${lang} ${size.width}: ${what}`);
          await shot(page, `layout-${path.replace(/\//g, '-')}-${lang}-${size.width}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Where an open dialog's box and its buttons end, against the window's height. */
async function dialogFits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vh = window.innerHeight;
    const box = document.querySelector('.ant-modal-wrap:not([style*="display: none"]) .ant-modal-container');
    if (!box) return ['no dialog open'];
    const r = box.getBoundingClientRect();
    if (r.top < 0 || r.bottom > vh + 0.5) out.push(`dialog spans ${Math.round(r.top)}–${Math.round(r.bottom)} of ${vh}`);
    box.querySelectorAll('.ant-modal-footer .ant-btn').forEach((b) => {
      const br = b.getBoundingClientRect();
      if (br.bottom > vh + 0.5) out.push(`button "${(b as HTMLElement).innerText.trim()}" ends at ${Math.round(br.bottom)} > ${vh}`);
    });
    return out;
  });
}

test('the counter dialogs fit the window at 1280×720 in both languages, their buttons in view', async ({ browser }) => {
  test.setTimeout(240_000);
  await asStaff(browser, 'layout-dialogs', APPROVER, SIZES[0], async (page) => {
    const problems: string[] = [];
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') await toEnglish(page);
      for (const [area, button] of [
        ['invoices', 'invreq-counter'],
        ['recharges', 'request-new'],
      ] as const) {
        await page.getByTestId(`nav-${area}`).click();
        await page.getByTestId(button).click();
        await expect(page.locator('.ant-modal-footer .ant-btn-primary').last()).toBeVisible();
        await page.waitForFunction(() => !document.querySelector('.ant-modal-wrap .ant-zoom-appear, .ant-modal-wrap .ant-zoom-enter'));
        for (const p of await dialogFits(page)) problems.push(`${area} ${lang}: ${p}`);
        await shot(page, `layout-dialog-${area}-${lang}-1280`);
        await page.keyboard.press('Escape');
        await expect(page.locator('.ant-modal-container:visible')).toHaveCount(0);
      }
    }
    expect(problems).toEqual([]);
  });
});

test('a message of an earlier action goes when the user moves to another area', async ({ browser }) => {
  test.setTimeout(180_000);
  await asStaff(browser, 'layout-messages', APPROVER, SIZES[0], async (page) => {
    await ui(page).goTo('ledger');
    await page.getByTestId('export-journal').click();
    const notice = page.locator('.ant-message-notice');
    await expect(notice).toContainText('已导出', JOB_OUTCOME);
    // The pointer rests on the message (antd keeps a hovered message open) while the area changes.
    await notice.hover();
    await page.evaluate(() => {
      location.hash = '#/recharges';
    });
    await expect(page.getByTestId('request-list')).toBeVisible();
    await expect(notice).toHaveCount(0);
  });
});
