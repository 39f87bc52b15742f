// Two approvers in two processes approving the same requests at the same moment: each request is
// credited exactly once (the books' write transactions serialise the writers — IMMEDIATE on a file, on
// PostgreSQL the books' write lock; the second sees the request credited, or a changed version, and refuses it).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { withStaffedApi } from '../support/books-hooks';
import { firstValue, type TestApi } from '../support/temp-books';
import { importStatement, line, payer, request, setUpBank, statement } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

const CHILD = path.resolve('test/support/approve-child.ts');
let t: TestApi;
withStaffedApi(async (api) => {
  t = api;
  await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
});

function approveIn(staffId: number, name: string, start: number, items: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // The books file, or on PostgreSQL the schema's URL (shown with any password hidden: the tests' server trusts).
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, t.anyBooks.path, String(staffId), name, String(start), items], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

it('two approvers at once credit each request once', async () => {
  t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
  await setUpBank(t);
  const p = await payer(t, 1, '并发');
  const items: string[] = [];
  for (let i = 0; i < 20; i++) {
    const code = `CONC${String(i).padStart(4, '0')}`;
    const r = await request(t, p, `${10 + i}.00`, code);
    await importStatement(t, statement([line('2026-11-20', `${10 + i}.00`, { memo: code, bank_ref: `C${i}` })]));
    items.push(String(r.id));
  }
  await t.runJob('clerk', 'reconcile.run');
  const versions: string[] = [];
  for (const id of items)
    versions.push(`${id}:${Number(await firstValue(t.anyBooks, 'SELECT version FROM recharge_requests WHERE id = ?', Number(id)))}`);
  const staff = async (name: string) => Number(await firstValue(t.anyBooks, 'SELECT id FROM staff WHERE username = ?', name));
  const [approver, approver2] = [await staff('approver'), await staff('approver2')];
  const start = Date.now() + 1500;
  const [a, b] = await Promise.all([
    approveIn(approver, 'approver', start, versions.join(',')),
    approveIn(approver2, 'approver2', start, versions.join(',')),
  ]);
  const credited = [...a, ...b].filter((o) => o === 'credited').length;
  expect(credited).toBe(20);
  expect(Number(await firstValue(t.anyBooks, 'SELECT count(*) AS n FROM recharge_records'))).toBe(20);
  const wallet = {
    c: Number(await firstValue(t.anyBooks, "SELECT sum(credits_posted) AS c FROM accounts WHERE code = 'recharge_wallet'")),
  };
  const expectedCoins = Array.from({ length: 20 }, (_, i) => (10 + i) * 10).reduce((x, y) => x + y, 0);
  expect(wallet.c).toBe(expectedCoins);
  expect([...a, ...b].filter((o) => o === 'refused')).toHaveLength(20);
  expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
}, 60_000);
