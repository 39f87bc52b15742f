// Two approvers in two processes approving the same requests at the same moment: each request is
// credited exactly once (IMMEDIATE transactions serialise the writers; the second sees the request
// credited, or a changed version, and refuses it).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { staffedApi, type TestApi } from '../support/temp-books';
import { importStatement, line, payer, request, setUpBank, statement } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

const CHILD = path.resolve('test/support/approve-child.ts');
let t: TestApi;
beforeEach(async () => {
  t = await staffedApi();
  await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
});
afterEach(async () => t.cleanup());

function approveIn(staffId: number, name: string, start: number, items: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, t.books.path, String(staffId), name, String(start), items], {
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
  const versions = items
    .map(
      (id) =>
        `${id}:${(t.books.raw.prepare('SELECT version FROM recharge_requests WHERE id = ?').get(Number(id)) as { version: number }).version}`,
    )
    .join(',');
  const staff = (name: string) => (t.books.raw.prepare('SELECT id FROM staff WHERE username = ?').get(name) as { id: number }).id;
  const start = Date.now() + 1500;
  const [a, b] = await Promise.all([
    approveIn(staff('approver'), 'approver', start, versions),
    approveIn(staff('approver2'), 'approver2', start, versions),
  ]);
  const credited = [...a, ...b].filter((o) => o === 'credited').length;
  expect(credited).toBe(20);
  expect(t.books.raw.prepare('SELECT count(*) AS n FROM recharge_records').get()).toEqual({ n: 20 });
  const wallet = t.books.raw.prepare("SELECT sum(credits_posted) AS c FROM accounts WHERE code = 'recharge_wallet'").get() as { c: number };
  const expectedCoins = Array.from({ length: 20 }, (_, i) => (10 + i) * 10).reduce((x, y) => x + y, 0);
  expect(wallet.c).toBe(expectedCoins);
  expect([...a, ...b].filter((o) => o === 'refused')).toHaveLength(20);
  expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
}, 60_000);
