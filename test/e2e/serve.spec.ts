// coffer serve end to end: the built console served over HTTP by main/serve (no test bridge: the page
// talks to /api itself through renderer/src/api/web.ts), two people in two browser contexts on one
// server. The clerk imports the platform's event file by uploading it from the browser's file picker,
// with the preview and import run as jobs whose ends arrive over the event stream; the approver, logged
// in meanwhile, sees the import in the history; neither browser holds a cookie.
import path from 'node:path';
import { expect as expectNow, test, type Browser } from '@playwright/test';
import type { Serving } from '../../main/serve/server';
import { staffedApi, type TestApi } from '../support/temp-books';
import { APPROVER, CLERK, loggedInAt, serveConsole, stopServe } from '../support/e2e-serve';
import { START_BUDGET, ui, waitReady, type StaffUser } from '../support/e2e-ui';

// Two browsers and the server share two cores with other work: each step may take a while.
const expect = expectNow.configure({ timeout: 60_000 });

const FIXTURE = path.resolve('test/fixtures/events/day-1.jsonl');

let t: TestApi;
let serving: Serving;

test.beforeAll(async () => {
  t = await staffedApi();
  serving = await serveConsole(t);
});

test.afterAll(() => stopServe(serving, t));

const person = (browser: Browser, who: StaffUser) => loggedInAt(browser, serving.url, who);

test('a clerk and an approver on one server: upload, import by job, history, no cookies', async ({ browser }) => {
  test.setTimeout(900_000);
  const clerk = await person(browser, CLERK);
  const approver = await person(browser, APPROVER);
  const u = ui(clerk);

  await u.goTo('import');
  await expect(clerk.getByTestId('import-screen')).toBeVisible();
  const picking = clerk.waitForEvent('filechooser');
  await clerk.getByTestId('import-choose').click();
  await (await picking).setFiles(FIXTURE);
  await expect(clerk.getByTestId('import-preview')).toContainText('day-1.jsonl');
  await expect(clerk.getByTestId('preview-to-apply')).toHaveText('16');
  await clerk.getByTestId('import-run').click();
  await expect(clerk.getByTestId('result-applied')).toContainText('10');
  await expect(clerk.getByTestId('result-refused')).toContainText('6');

  // The approver's session is its own: the import the clerk made is in the books both read.
  await ui(approver).goTo('import');
  await expect(approver.getByTestId('import-history').locator('tbody tr.ant-table-row')).toHaveCount(1);
  await expect(approver.getByTestId('header-user')).toContainText('approver');

  for (const page of [clerk, approver]) expect(await page.context().cookies()).toEqual([]);

  // Logging out ends the session on the server: the page is back at the login screen.
  await clerk.getByTestId('logout-button').click();
  await waitReady(clerk, 'login', START_BUDGET);
  await expect(approver.getByTestId('header-user')).toContainText('approver');
  await clerk.context().close();
  await approver.context().close();
});
