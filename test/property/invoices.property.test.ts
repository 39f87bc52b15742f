// Random invoice requests, checks, issues, rejections and partial red-letter reversals over a few
// credited recharges. After every step: no recharge is invoiced or held beyond its paid money, what is
// invoiced equals blue minus red per recharge, a blue invoice is never reversed beyond its amount,
// serials are gapless per series, every invoice's tax + net = gross. The product is a 6 % service, so
// every issue and reversal moves output VAT: 222101 holds Σ blue tax − Σ red tax of the invoices that
// posted it, and customer prepayments still tie to the records less that VAT. INVOICE_RUNS to scale.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, staffedApi, type TestApi } from '../support/temp-books';
import { ask, check, credited, numbered, redForm, taxableProduct } from '../support/invoice-fixtures';
import { customerPrepaymentsExpected } from '../../main/services/ties';
import { payer, setUpBank, type Payer } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

const RUNS = Number(process.env.INVOICE_RUNS ?? 25);
let t: TestApi;
let customers: { p: Payer; records: number[] }[];

beforeAll(async () => {
  t = await staffedApi();
  t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
  await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
  await t.call('approver2', 'session.login', { username: 'approver2', password: PASSWORD });
  await addStaff(t.call, { username: 'admin2', displayName: '管理员二', role: 'admin' });
  await t.call('admin2', 'session.login', { username: 'admin2', password: PASSWORD });
  await taxableProduct(t);
  await setUpBank(t);
  customers = [];
  for (const [n, amounts] of [
    [1, ['100.00', '33.33', '1.07']],
    [2, ['250.00', '9.99']],
  ] as const) {
    const p = await payer(t, n);
    const records: number[] = [];
    for (const [i, yuan] of amounts.entries()) records.push((await credited(t, p, yuan, `PROP${n}X${i}AB`)).recordId);
    customers.push({ p, records });
  }
}, 60_000);
afterAll(async () => t.cleanup());

const q = async <T>(sql: string, ...args: unknown[]) => (await t.anyBooks.sql(sql).all(...args)) as T[];

async function invariants() {
  for (const r of await q<{ id: number; amount: number; invoiced: number; reserved: number; blue: number; red: number; held: number }>(
    `SELECT rr.id, rr.amount, rr.invoiced, rr.invoice_reserved AS reserved,
       coalesce((SELECT sum(s.amount) FROM invoice_sources s JOIN invoices i ON i.id = s.invoice_id WHERE s.record_id = rr.id AND i.kind = 'blue'), 0) AS blue,
       coalesce((SELECT sum(s.amount) FROM invoice_sources s JOIN invoices i ON i.id = s.invoice_id WHERE s.record_id = rr.id AND i.kind = 'red'), 0) AS red,
       coalesce((SELECT sum(it.amount) FROM invoice_request_items it JOIN invoice_requests ir ON ir.id = it.invoice_request_id WHERE it.record_id = rr.id AND ir.status = 'checked'), 0) AS held
     FROM recharge_records rr`,
  )) {
    expect(r.invoiced + r.reserved).toBeLessThanOrEqual(r.amount);
    expect(r.invoiced).toBe(r.blue - r.red);
    expect(r.reserved).toBe(r.held);
  }
  for (const b of await q<{ gross: number; reversed: number; red: number; tax: number; redTax: number }>(
    `SELECT b.gross, b.reversed, b.tax, coalesce(sum(r.gross), 0) AS red, coalesce(sum(r.tax), 0) AS redTax
     FROM invoices b LEFT JOIN invoices r ON r.original_id = b.id WHERE b.kind = 'blue' GROUP BY b.id`,
  )) {
    expect(b.reversed).toBe(b.red);
    expect(b.reversed).toBeLessThanOrEqual(b.gross);
    expect(b.redTax).toBeLessThanOrEqual(b.tax);
  }
  // Output VAT: what the invoices posted, and nothing else, sits on 222101; prepayments tie.
  const [vat] = await q<{ held: number; posted: number }>(
    `SELECT (SELECT credits_posted - debits_posted FROM accounts WHERE code = 'gl:222101') AS held,
       (SELECT coalesce(sum(CASE WHEN kind = 'blue' THEN tax ELSE -tax END), 0) FROM invoices WHERE vat_transfer_id IS NOT NULL) AS posted`,
  );
  expect(vat!.held).toBe(vat!.posted);
  expect((await q<{ n: number }>('SELECT count(*) AS n FROM invoices WHERE tax > 0 AND vat_transfer_id IS NULL'))[0]!.n).toBe(0);
  const prepaid = (
    await q<{ b: number }>("SELECT credits_posted - debits_posted AS b FROM accounts WHERE code = 'customer_prepayments'")
  )[0]!.b;
  expect(BigInt(prepaid)).toBe((await customerPrepaymentsExpected(t.anyBooks)).expected);
  for (const s of await q<{ series: string; n: number; top: number; last: number }>(
    'SELECT i.series, count(*) AS n, max(i.seq) AS top, c.last FROM invoices i JOIN invoice_counters c ON c.series = i.series GROUP BY i.series, c.last',
  ))
    expect([s.n, s.top]).toEqual([s.last, s.last]);
  expect(await q('SELECT id FROM invoices WHERE tax + net <> gross')).toEqual([]);
  // Nothing invoiced twice: a request has at most one blue invoice.
  expect(await q("SELECT request_id FROM invoices WHERE kind = 'blue' GROUP BY request_id HAVING count(*) > 1")).toEqual([]);
}

type Step =
  | { kind: 'request'; who: number; pick: number[]; fen: number | null }
  | { kind: 'issue'; pick: number; by: 'approver' | 'approver2' }
  | { kind: 'reject'; pick: number }
  | { kind: 'reverse'; pick: number; fen: number | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    who: fc.nat(1),
    pick: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
    fen: fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('issue' as const), pick: fc.nat(50), by: fc.constantFrom('approver' as const, 'approver2' as const) }),
  fc.record({ kind: fc.constant('reject' as const), pick: fc.nat(50) }),
  fc.record({
    kind: fc.constant('reverse' as const),
    pick: fc.nat(50),
    fen: fc.option(fc.integer({ min: 1, max: 30_000 }), { nil: null }),
  }),
);

describe('invoices under random requests, issues, rejections and partial reversals', () => {
  it('never invoice beyond paid money, never reverse beyond the original, keep serials gapless', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          const soft = async (p: Promise<unknown>) =>
            p.catch((e: { code?: string }) => expect(['REFUSED', 'CONFLICT', 'FORBIDDEN']).toContain(e.code));
          if (s.kind === 'request') {
            const c = customers[s.who]!;
            const records = s.pick.filter((i) => i < c.records.length).map((i) => c.records[i]!);
            if (!records.length) continue;
            const r = await ask(t, c.p.customerId, records, s.fen === null ? {} : { amount: (s.fen / 100).toFixed(2) });
            await check(t, [r.id]);
          } else if (s.kind === 'issue' || s.kind === 'reject') {
            const checked = await q<{ id: number }>("SELECT id FROM invoice_requests WHERE status = 'checked' ORDER BY id");
            if (!checked.length) continue;
            const id = checked[s.pick % checked.length]!.id;
            if (s.kind === 'issue') await t.call(s.by, 'invoices.issue', { items: [{ id }] });
            else await t.call('approver', 'invoices.rejectRequest', { id, reason: '随机拒绝' });
          } else {
            const blue = await q<{ id: number; serial: string; tax_number: string | null }>(
              "SELECT id, serial, tax_number FROM invoices WHERE kind = 'blue' ORDER BY id",
            );
            if (!blue.length) continue;
            const b = blue[s.pick % blue.length]!;
            if (b.tax_number === null) await numbered(t, b.serial);
            await soft(
              t.call('approver', 'invoices.reverse', {
                id: b.id,
                reason: '随机红冲',
                ...redForm(),
                ...(s.fen === null ? {} : { amount: String(s.fen) }),
              }),
            );
          }
          await invariants();
        }
      }),
      { numRuns: RUNS },
    );
    // The runs did what they say: invoices were issued and reversed, requests rejected.
    const kinds = (await q<{ kind: string }>('SELECT DISTINCT kind FROM invoices')).map((k) => k.kind).sort();
    expect(kinds).toEqual(['blue', 'red']);
    expect((await q("SELECT 1 FROM invoice_requests WHERE status = 'rejected'")).length).toBeGreaterThan(0);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  }, 120_000);
});
