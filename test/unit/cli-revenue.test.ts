// `coffer revenue run` (issue 12 §6, name and flags fixed) on demo books (on PostgreSQL, copied to a schema), through the real executable:
// the same API method and role checks as the console's 收入确认 screen.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { shanghaiDate } from '../../main/domain/dates';
import { monthOf, previousMonth } from '../../main/domain/periods';
import { besidesProgress, coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { freshSchema, type TestSchema } from '../support/postgres';
import { ON_POSTGRES, PASSWORD, tempDir } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let db: string;
const thisMonth = monthOf(shanghaiDate(Date.now()));
const lastMonth = previousMonth(thisMonth);

let schema: TestSchema | undefined;

beforeAll(async () => {
  db = path.join(tempDir('coffer-cli-revenue-'), 'books.sqlite');
  const r = await coffer(['demo', '--db', db, '--customers', '12', '--seed', '3'], `${PASSWORD}\n`);
  expect(r.code).toBe(0);
  if (ON_POSTGRES) {
    // `coffer demo` makes a books file: on PostgreSQL the demo books are copied to a schema, whose URL the commands take.
    schema = await freshSchema();
    const copy = await coffer(['books', 'copy', '--from', db, '--to', schema.url]);
    expect(copy.code, copy.stderr).toBe(0);
    db = schema.url;
  }
});
afterAll(async () => schema?.drop());

const as = (user: string, ...args: string[]) => coffer([...args, '--db', db, '--as', user], `${PASSWORD}\n`);

describe('coffer revenue run', () => {
  it('previews without writing, refuses a month not yet ended and a clerk, posts last month once', async () => {
    const preview = await as('auditor', 'revenue', 'run', '--month', thisMonth, '--preview');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(new RegExp(`^Revenue run ${thisMonth} \\(preview; method fifo, breakage 0 %\\)`));
    expect(preview.stdout).toContain('Cr 6001 主营业务收入');
    const json = JSON.parse((await as('auditor', 'revenue', 'run', '--month', thisMonth, '--preview', '--json')).stdout) as {
      totals: { gross: string; revenue: string; tax: string; pretaxedTax: string };
    };
    expect(BigInt(json.totals.revenue) + BigInt(json.totals.tax) + BigInt(json.totals.pretaxedTax)).toBe(BigInt(json.totals.gross));

    const early = await as('approver', 'revenue', 'run', '--month', thisMonth);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`the revenue run of ${thisMonth} can run from its last day`);
    const clerk = await as('clerk', 'revenue', 'run', '--month', lastMonth);
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toContain('FORBIDDEN');

    const posted = await as('approver', 'revenue', 'run', '--month', lastMonth);
    expect(besidesProgress(posted.stderr)).toEqual([]);
    expect(posted.code).toBe(0);
    expect(posted.stdout).toMatch(new RegExp(`^Revenue run #1 of ${lastMonth} posted`));
    const again = await as('approver', 'revenue', 'run', '--month', lastMonth);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`the revenue of ${lastMonth} was recognised by run #1 and nothing changed since`);
    const bad = await coffer(['revenue', 'run', '--db', db, '--month', '2026-13', '--as', 'approver']);
    expect(bad.code).toBe(2);
  });
});
