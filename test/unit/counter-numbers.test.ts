// Counter numbers (GT2026-000123): every request staff enter at the counter — recharge requests, coin
// transfers, invoice requests — takes the next number of one series per Shanghai year, drawn in the
// transaction that records it: gapless, a refused (rolled-back) request leaves no gap, a repeated
// submission keeps its number, and requests entered before migration 23 are numbered in the order entered.
import path from 'node:path';
import { REQUEST_STATUSES } from '../../main/domain/request-status';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../main/api/dispatcher';
import { openBooks } from '../../main/db/books';
import { MIGRATIONS } from '../../main/db/migrations';
import { inWriteTx } from '../../main/db/tx';
import { counterNumber, numberCounterRequest } from '../../main/services/counter-numbers';
import { createRechargeRequest } from '../../main/services/recharge-requests';
import { credited } from '../support/invoice-fixtures';
import { payer, request, setUpBank, type Payer } from '../support/recharge-fixtures';
import { dispatcherCalls, firstValue, ON_POSTGRES, PASSWORD, stubDialogs, tempDir, testApi, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';

let t: TestApi;
let zhang: Payer;
beforeEach(async () => {
  // Sessions end after 15 idle minutes by this clock: the books are set up on it (the fixtures' bank day).
  t = await testApi();
  t.clock.now = at('2026-11-20T09:00:00+08:00');
  await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
  for (const role of ['clerk', 'approver', 'auditor'] as const) await addStaff(t.call, { username: role, role });
  await setUpBank(t);
  zhang = await payer(t, 1, '张伟');
});
afterEach(async () => t.cleanup());

const at = (iso: string) => Date.parse(iso);
/** Moves the clock on and logs the users in again (their sessions ended while it moved). */
async function jump(iso: string) {
  t.clock.now = at(iso);
  for (const u of ['clerk', 'auditor']) await t.call(u, 'session.login', { username: u, password: PASSWORD });
}
const numbers = () => t.anyBooks.sql('SELECT number, year, seq, kind FROM counter_numbers ORDER BY id').all();

describe('counter numbers', () => {
  it('run gapless per Shanghai year across recharge requests and coin transfers', async () => {
    // 2026-12-31 23:50 in Shanghai is still 2026; 00:02 on 1 January (16:02 UTC on the 31st) is 2027.
    await jump('2026-12-31T23:50:00+08:00');
    const r1 = await request(t, zhang, '100.00');
    const r2 = await request(t, zhang, '200.00');
    const a2 = (
      await t.call('clerk', 'accounts.open', {
        customerId: zhang.customerId,
        externalId: 'ACC-1b',
        name: '副账号',
        ip: '10.0.0.9',
      })
    ).id;
    const move = await t.call('clerk', 'coins.transfer', {
      requestId: 'move-00000001',
      fromAccountId: zhang.accountId,
      toAccountId: a2,
      wallet: 'recharge',
      coins: '10',
    });
    expect(move.status).toBe('refused'); // no coins yet: still a document the counter entered, so numbered
    t.clock.now = at('2027-01-01T00:02:00+08:00');
    const r3 = await request(t, zhang, '300.00');
    expect([r1, r2].map((r) => r.counterNo)).toEqual(['GT2026-000001', 'GT2026-000002']);
    expect(move.counterNo).toBe('GT2026-000003');
    expect(r3.counterNo).toBe('GT2027-000001');
    expect(await numbers()).toEqual([
      { number: 'GT2026-000001', year: 2026, seq: 1, kind: 'recharge' },
      { number: 'GT2026-000002', year: 2026, seq: 2, kind: 'recharge' },
      { number: 'GT2026-000003', year: 2026, seq: 3, kind: 'transfer' },
      { number: 'GT2027-000001', year: 2027, seq: 1, kind: 'recharge' },
    ]);
  });

  it('invoice requests entered at the counter take the next number of the same series', async () => {
    const rec = await credited(t, zhang, '100.00', 'INV001');
    const inv = await t.call('clerk', 'invoices.createRequest', {
      requestId: 'inv-form-0001',
      customerId: zhang.customerId,
      recordIds: [rec.recordId],
      invoiceType: 'ordinary',
      buyerName: '张伟',
      naturalPerson: true,
    });
    expect(inv.counterNo).toBe('GT2026-000002'); // the recharge request before it is GT2026-000001
    const list = await t.call('auditor', 'invoices.requests', {});
    expect(list.rows.map((r) => r.counterNo)).toEqual(['GT2026-000002']);
  });

  it('a refused request rolls its number back with it: the next request gets that number', async () => {
    await request(t, zhang, '100.00');
    // A card not bound to the account: REFUSED, the transaction rolls back.
    await expect(
      t.call('clerk', 'requests.create', {
        requestId: 'refused-0001',
        accountId: zhang.accountId,
        payerAccount: '6222999999999999',
        amount: '5.00',
      }),
    ).rejects.toMatchObject({ code: 'REFUSED' });
    // Drawn inside a transaction that then fails: nothing stays.
    await expect(
      inWriteTx(t.anyBooks, async (tx) => {
        expect(await numberCounterRequest(tx, 'recharge', 'counter:rolled-back', t.clock.now)).toBe('GT2026-000002');
        throw new Error('the rest of the action failed');
      }),
    ).rejects.toThrow(/failed/);
    const next = await request(t, zhang, '300.00');
    expect(next.counterNo).toBe('GT2026-000002');
    expect(await numbers()).toHaveLength(2);
  });

  it('a repeated submission of the same form keeps its one number', async () => {
    const input = {
      requestId: 'same-form-01',
      accountId: zhang.accountId,
      payerAccount: zhang.card,
      amount: '88.00',
      referenceCode: 'ABC123',
    };
    const seals = async () => Number(await firstValue(t.anyBooks, "SELECT count(*) AS n FROM audit WHERE action = 'books.seal'"));
    const sealsBefore = await seals();
    const first = await t.call('clerk', 'requests.create', input);
    const again = await t.call('clerk', 'requests.create', input);
    expect(again).toMatchObject({ id: first.id, counterNo: 'GT2026-000001' });
    expect(await numbers()).toHaveLength(1);
    // The number is sealed under the request's own audit entry, not under an extra one.
    expect(await seals()).toEqual(sealsBefore);
  });

  it('a mistyped reference code or request id is refused with its own reason and takes no number', async () => {
    const form = { requestId: 'form-02-ok', accountId: zhang.accountId, payerAccount: zhang.card, amount: '88.00' };
    for (const [bad, field, why] of [
      [{ referenceCode: 'AB1' }, 'referenceCode', 'reference_code_format'],
      [{ requestId: 'form 02 typed' }, 'requestId', 'ref_chars'],
    ] as const)
      await expect(t.call('clerk', 'requests.create', { ...form, ...bad })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { field, issues: [{ field, code: why }] },
      });
    expect(await numbers()).toHaveLength(0);
  });

  it('lists show the number beside the request id, and the list finds a request by its number', async () => {
    const mine = await request(t, zhang, '100.00');
    await request(t, zhang, '200.00');
    const list = await t.call('auditor', 'requests.list', {
      text: 'gt2026-000001',
    });
    expect(list.rows).toEqual([expect.objectContaining({ id: mine.id, requestId: mine.request_id, counterNo: 'GT2026-000001' })]);
    const page = await t.call('auditor', 'requests.get', { id: mine.id });
    expect(page.request.counterNo).toBe('GT2026-000001');
  });

  it('the list filtered by every state a request can be in (all nine ticked) finds them all', async () => {
    const mine = await request(t, zhang, '100.00');
    const list = await t.call('auditor', 'requests.list', { status: [...REQUEST_STATUSES] });
    expect(list.rows.map((r) => r.id)).toContain(mine.id);
  });

  it('numbers are never changed or deleted', async () => {
    await request(t, zhang, '100.00');
    await expect(inWriteTx(t.anyBooks, (tx) => tx.sql("UPDATE counter_numbers SET number = 'GT2026-000009'").run())).rejects.toThrow(
      /never changed/,
    );
    await expect(inWriteTx(t.anyBooks, (tx) => tx.sql('DELETE FROM counter_numbers').run())).rejects.toThrow(/never deleted/);
    expect(counterNumber(2026, 1_234_567)).toBe('GT2026-1234567');
  });
});

describe('migration 23', () => {
  // Books from before migration 23 are SQLite files; PostgreSQL books are made from the whole migration list.
  it.skipIf(ON_POSTGRES)('numbers the counter requests entered before it, in the order they were entered, per year', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'old.books.sqlite');
    const old = await openBooks(file, { create: true, migrations: MIGRATIONS.filter((m) => m.version <= 22) });
    const clock = { now: at('2025-12-31T20:00:00+08:00') };
    const d = new Dispatcher({ books: old, ports: { dialogs: stubDialogs(dir), clock: () => clock.now }, emit: () => {} });
    const { call } = dispatcherCalls(d);
    await call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
    await addStaff(call, { username: 'clerk', role: 'clerk' });
    const p = await payer({ call }, 1, '张伟');
    const actor = { staffId: 2, name: 'clerk', role: 'clerk' as const };
    let code = 0;
    const enter = (requestId: string, iso: string) =>
      inWriteTx(old, async (tx) =>
        createRechargeRequest(
          tx,
          actor,
          { requestId, account: { id: p.accountId }, payerAccount: p.card, amount: 1000, channel: 'bank', referenceCode: `REF00${++code}` },
          { at: at(iso) },
        ),
      );
    await enter('counter:b', '2026-01-02T09:00:00+08:00');
    await enter('platform-evt-1', '2025-12-31T21:00:00+08:00');
    await enter('counter:a', '2025-12-31T22:00:00+08:00');
    await enter('counter:c', '2026-01-01T00:10:00+08:00');
    await old.close();

    const b = await openBooks(file);
    try {
      expect(b.raw.prepare('SELECT number, request_id AS r FROM counter_numbers ORDER BY year, seq').all()).toEqual([
        { number: 'GT2025-000001', r: 'counter:a' },
        { number: 'GT2026-000001', r: 'counter:c' },
        { number: 'GT2026-000002', r: 'counter:b' },
      ]);
    } finally {
      await b.close();
    }
  });
});
