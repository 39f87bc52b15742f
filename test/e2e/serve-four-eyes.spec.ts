// Four eyes across desks (issue 15 §2): one `coffer serve`, two people at two browsers of their own (two
// browser contexts, each holding its own token). The first four-eyes step of the brief is a match: a
// clerk matches a bank line to a recharge request by hand at her desk, and an approver at his desk
// approves it — credited. Then the approver matches another line himself: the server will not let him
// approve what he prepared (四眼原则, with the item refused and the request left matched), and the
// clerk's browser cannot approve at all (her role may not). The same rules the desktop keeps, kept
// by the same dispatcher behind HTTP.
import { expect as expectNow, test, type Browser, type Page } from '@playwright/test';
import type { Serving } from '../../main/serve/server';
import { staffedApi, type TestApi } from '../support/temp-books';
import { APPROVER, CLERK, loggedInAt, serveConsole, stopServe } from '../support/e2e-serve';
import { postgresReachable, POSTGRES_REQUIRED } from '../support/postgres';
import { ui, type StaffUser } from '../support/e2e-ui';
import { importStatement, line, payer, request, setUpBank, statement, type Payer } from '../support/recharge-fixtures';

// Two browsers and the server share two cores with other work: each step may take a while.
const expect = expectNow.configure({ timeout: 60_000 });

const reachable = await postgresReachable();

// The same desks on a books file and on PostgreSQL books behind one serve.
for (const engine of ['sqlite', 'postgres'] as const)
  test.describe(`on ${engine} books`, () => {
    test.skip(engine === 'postgres' && !reachable && !POSTGRES_REQUIRED, 'PostgreSQL is not reachable');
    let t: TestApi;
    let serving: Serving;
    let alice: Payer;
    let bob: Payer;
    let aliceRequest: number;
    let bobRequest: number;

    const status = async (id: number) =>
      ((await t.anyBooks.sql('SELECT status FROM recharge_requests WHERE id = ?').get(id)) as { status: string }).status;
    const preparedBy = async (id: number) =>
      (
        (await t.anyBooks
          .sql('SELECT s.username AS who FROM allocations a JOIN staff s ON s.id = a.matched_by WHERE a.request_id = ? ORDER BY a.id')
          .all(id)) as { who: string }[]
      ).map((r) => r.who);

    test.beforeAll(async () => {
      // The platform's data as it arrives before the day's work: two customers' 648.00 requests (entered by
      // the clerk's seed client) and the bank's statement with their two payments, nothing matched yet.
      t = await staffedApi(engine);
      await setUpBank(t);
      alice = await payer(t, 1, '爱丽丝');
      bob = await payer(t, 2, '鲍勃');
      aliceRequest = (await request(t, alice, '648.00')).id;
      bobRequest = (await request(t, bob, '648.00')).id;
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      await importStatement(
        t,
        statement([
          line(today, '648.00', { counterparty: { name: alice.name, account: alice.card }, bank_ref: 'FE-1' }),
          line(today, '648.00', { counterparty: { name: bob.name, account: bob.card }, bank_ref: 'FE-2' }),
        ]),
      );
      serving = await serveConsole(t);
    });

    test.afterAll(() => stopServe(serving, t));

    const person = (browser: Browser, who: StaffUser) => loggedInAt(browser, serving.url, who);

    /** Matches a request to the bank line of `p` by hand, from the request's page. */
    async function matchByHand(page: Page, requestId: number, p: Payer): Promise<void> {
      await page.evaluate((id) => (location.hash = `#/recharges/r/${id}`), requestId);
      await expect(page.getByTestId('request-page')).toBeVisible();
      await page.getByTestId('request-match').click();
      await page.getByTestId('match-pick').click();
      await page.getByTestId('match-pick').locator('input').fill(p.name);
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')
        .last()
        .locator('.ant-select-item-option', { hasText: p.name })
        .first()
        .click();
      await page.getByTestId('match-ok').click();
      await expect(page.getByTestId('match-dialog')).toBeHidden();
      await expect(page.getByTestId('request-outstanding')).toHaveText('0.00');
    }

    test(`four eyes across desks on ${engine} books: the clerk matches, the approver approves; who matched may not approve`, async ({
      browser,
    }) => {
      test.setTimeout(900_000);
      const clerk = await person(browser, CLERK);
      const approver = await person(browser, APPROVER);
      const rows = approver.getByTestId('approval-table').locator('tbody tr.ant-table-row');

      // At the clerk's desk: 爱丽丝's payment matched to her request by hand.
      await matchByHand(clerk, aliceRequest, alice);
      expect(await status(aliceRequest)).toBe('matched');
      expect(await preparedBy(aliceRequest)).toEqual(['clerk']);

      // At the approver's desk, logged in all along: the match is in his queue and he approves it.
      await ui(approver).goTo('approvals');
      await expect(rows).toHaveCount(1);
      await expect(approver.getByTestId('approval-counts')).toContainText('可审批 1 笔');
      await rows.first().locator('.ant-checkbox-input').check();
      await approver.getByTestId('approve-selected').click();
      await expect(approver.getByTestId('results-credited')).toContainText('1');
      await expect(approver.getByTestId('results-refused')).toContainText('0');
      expect(await status(aliceRequest)).toBe('credited');

      // The approver matches 鲍勃's payment himself: now he prepared it, and may not approve it.
      await matchByHand(approver, bobRequest, bob);
      expect(await status(bobRequest)).toBe('matched');
      expect(await preparedBy(bobRequest)).toEqual(['approver']);
      await ui(approver).goTo('approvals');
      await expect(approver.getByTestId(`approval-foureyes-${bobRequest}`)).toContainText('四眼原则');
      await expect(rows.first().locator('.ant-checkbox-input')).toBeDisabled();
      // Asked anyway ("approve all" sends it to the server): refused by the server, item by item.
      await approver.getByTestId('approve-all').click();
      await ui(approver).confirmPop();
      await expect(approver.getByTestId('results-refused')).toContainText('1');
      await expect(approver.getByTestId('results-credited')).toContainText('0');
      await expect(approver.getByTestId('approval-results')).toContainText('四眼原则：经办人不能审批');
      expect(await status(bobRequest)).toBe('matched');

      // The clerk's browser, through its own token, cannot approve at all: refused for her role.
      const version = ((await t.anyBooks.sql('SELECT version FROM recharge_requests WHERE id = ?').get(bobRequest)) as { version: number })
        .version;
      const asClerk = await clerk.evaluate(
        (items) =>
          (window as unknown as { coffer: { api: Record<string, (i: unknown) => Promise<unknown>> } }).coffer.api['approvals.approve']!({
            items,
          }),
        [{ id: bobRequest, version }],
      );
      expect(asClerk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { reason: 'role_forbidden' } } });
      expect(await status(bobRequest)).toBe('matched');

      for (const page of [clerk, approver]) expect(await page.context().cookies()).toEqual([]);
      await clerk.context().close();
      await approver.context().close();
    });
  });
