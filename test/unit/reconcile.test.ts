// Recharge requests reviewed against the bank: booking at import, the default rules and every shape
// of payment, suggestions and ambiguity, matching and unmatching by hand, write-offs with four eyes,
// rejection with a stale version, expiry, review results and the report's proof.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { withBankDesk } from '../support/books-hooks';
import { requestPage } from '../support/desk';
import { PASSWORD, type TestApi } from '../support/temp-books';
import { exportedReviewResults, importStatement, line, request, statement, type Payer } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

let t: TestApi;
let zhang: Payer, li: Payer;
const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
withBankDesk({}, ['张伟', '李娜'], (desk) => ([t, zhang, li] = desk));

const get = (id: number) => requestPage(t, id);
const run = () => t.runJob('clerk', 'reconcile.run');
/** One row's first column, on either engine's books. */
const one = async (query: string, ...args: unknown[]) => Object.values((await t.anyBooks.sql(query).get(...args)) ?? {})[0];
const balance = (code: string) => one('SELECT credits_posted - debits_posted FROM accounts WHERE code = ? AND owner_kind IS NULL', code);

describe('statements in', () => {
  it('book money in at once (Dr bank / Cr unallocated receipts) and skip lines seen before', async () => {
    const s = statement([line(day(20), '1288.00', { bank_ref: 'B1' }), line(day(20), '-5.00', { bank_ref: 'B2', memo: '手续费' })], {
      opening: { date: day(19), amount: '100.00' },
      closing: { date: day(20), amount: '1383.00' },
    });
    const first = await importStatement(t, s);
    expect(first).toMatchObject({ newLines: 2, duplicates: 0 });
    expect(first.plan.continuity).toEqual([]);
    expect(await balance('unallocated_receipts')).toBe(128_800);
    const again = await importStatement(t, s, 'same-again.csv');
    expect(again).toMatchObject({ newLines: 0, duplicates: 2 });
    const report = await t.call('auditor', 'reconcile.report', { bankAccountId: 1 });
    expect(report.proof).toMatchObject({ agrees: true, booksBalance: 138_300 });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('report a closing balance that does not add up, and a gap after the previous statement', async () => {
    await importStatement(
      t,
      statement([line(day(20), '10.00', { bank_ref: 'C1' })], {
        opening: { date: day(19), amount: '0.00' },
        closing: { date: day(20), amount: '10.00' },
      }),
    );
    const next = await importStatement(
      t,
      statement([line(day(22), '5.00', { bank_ref: 'C2' })], {
        opening: { date: day(21), amount: '12.00' },
        closing: { date: day(22), amount: '20.00' },
      }),
    );
    // Each warning is coded with its figures (in fen) so the console can say it in the user's language.
    expect(next.plan.continuity).toEqual([
      {
        code: 'continuity_sum_fen',
        message: 'opening 12.00 + lines 5.00 = 17.00, but the closing balance is 20.00',
        params: { openingFen: '1200', linesFen: '500', expectedFen: '1700', closingFen: '2000' },
      },
      {
        code: 'continuity_gap',
        message: "opening balance 12.00 differs from the previous statement's closing 10.00 (statement.csv, 2026-11-20): a gap",
        params: expect.objectContaining({
          openingFen: '1200',
          previousFen: '1000',
          previousFile: 'statement.csv',
          previousDate: '2026-11-20',
        }),
      },
    ]);
  });

  it('refuse a statement that repeats a bank reference, naming both lines', async () => {
    await expect(
      importStatement(t, statement([line(day(20), '1.00', { bank_ref: 'SAME' }), line(day(20), '2.00', { bank_ref: 'SAME' })])),
    ).rejects.toThrow(/line 2 repeats bank reference SAME of line 1/);
    expect(await one('SELECT count(*) FROM statements')).toBe(0);
  });

  it('refuse a statement in another currency, writing nothing', async () => {
    await expect(importStatement(t, statement([line(day(20), '1.00')], { currency: 'EUR' }))).rejects.toThrow(
      /is in EUR but bank account 571900000010101 is CNY/,
    );
    expect(await one('SELECT count(*) FROM bank_lines')).toBe(0);
  });
});

describe('the default rules', () => {
  it('match on reference code + exact amount, and on the bound account + exact amount within 3 days', async () => {
    const a = await request(t, zhang, '1288.00', 'ZW8K3P2Q');
    const b = await request(t, li, '500.00');
    await importStatement(
      t,
      statement([
        line(day(20), '1288.00', { memo: '充值 zw8k3p2q' }),
        line(day(21), '500.00', { counterparty: { name: '李娜', account: li.card } }),
      ]),
    );
    expect(await run()).toMatchObject({ allocated: 2 });
    expect((await get(a.id)).request.status).toBe('matched');
    expect((await get(a.id)).allocations[0]).toMatchObject({ rule: 'reference code + exact amount', status: 'active' });
    expect((await get(b.id)).allocations[0]!.rule).toBe('bound account + exact amount, within 3 days');
    expect(await run()).toMatchObject({ allocated: 0 });
  });

  it('run as a job: its passes show as progress, and a cancel before the end writes nothing', async () => {
    const a = await request(t, zhang, '1288.00', 'ZW8K3P2Q');
    await importStatement(t, statement([line(day(20), '1288.00', { memo: '充值 ZW8K3P2Q' })]));
    const auditBefore = await one('SELECT max(id) FROM audit');

    const { jobId } = await t.call('clerk', 'reconcile.run');
    await t.call('clerk', 'jobs.cancel', { jobId });
    await t.dispatcher.jobs.settle(jobId);
    const end = t.events.find((e) => e.jobId === jobId && e.type !== 'job.progress');
    expect(end).toMatchObject({ type: 'job.failed', error: { code: 'CANCELLED' } });
    expect((await get(a.id)).request.status).toBe('submitted');
    expect(await one('SELECT count(*) FROM allocations')).toBe(0);
    expect(await one('SELECT max(id) FROM audit')).toEqual(auditBefore);

    expect(await run()).toMatchObject({ allocated: 1, linesConsidered: 1 });
    const stages = t.events.filter((e) => e.type === 'job.progress' && e.jobId !== jobId).map((e) => e.type === 'job.progress' && e.stage);
    expect(stages).toEqual(expect.arrayContaining(['netting', 'matching', 'suggesting']));
  });

  it('a long plan pauses every 5,000 lines: a cancel given at a pause inside the plan writes nothing', async () => {
    const a = await request(t, zhang, '1288.00', 'ZW8K3P2Q');
    const unmatched = Array.from({ length: 12_000 }, (_, i) => line(day(20), '0.01', { bank_ref: `N${i}` }));
    await importStatement(t, statement([...unmatched, line(day(21), '1288.00', { memo: '充值 ZW8K3P2Q', bank_ref: 'HIT' })]));
    const auditBefore = await one('SELECT max(id) FROM audit');

    const { jobId } = await t.call('clerk', 'reconcile.run');
    // Progress is shown at most every 50 ms: a plan faster than that would show no pause at all. Each
    // look at the clock is 100 ms on, so every pause is shown (and the cancel can be given there).
    const clock = Date.now;
    let shift = 0;
    const fast = vi.spyOn(Date, 'now').mockImplementation(() => clock() + (shift += 100));
    const push = t.events.push.bind(t.events);
    let cancelledAt: number | null = null;
    t.events.push = (...events) => {
      for (const e of events)
        if (cancelledAt === null && e.jobId === jobId && e.type === 'job.progress' && e.stage === 'matching' && e.done >= 5000) {
          cancelledAt = e.done; // a pause inside the first pass's plan: nothing is allocated before the plan ends
          // straight to the runner, as jobs.cancel ends: through the dispatcher, PostgreSQL books read its session
          // settings over the network, and under load the plan can end before those answers come back
          t.dispatcher.jobs.cancel('clerk', jobId);
        }
      return push(...events);
    };
    await t.dispatcher.jobs.settle(jobId);
    fast.mockRestore();
    expect([5000, 10_000]).toContain(cancelledAt);
    const after = t.events.slice(t.events.findIndex((e) => e.jobId === jobId && e.type === 'job.progress' && e.done === cancelledAt) + 1);
    expect(after.filter((e) => e.jobId === jobId).map((e) => e.type)).toEqual(['job.failed']);
    expect(t.events.find((e) => e.jobId === jobId && e.type !== 'job.progress')).toMatchObject({
      type: 'job.failed',
      error: { code: 'CANCELLED' },
    });
    expect(await one('SELECT count(*) FROM allocations')).toBe(0);
    expect(await one('SELECT max(id) FROM audit')).toEqual(auditBefore);

    expect(await run()).toMatchObject({ allocated: 1, linesConsidered: 12_001 });
    expect((await get(a.id)).request.status).toBe('matched');
  });

  it('suggest, never match, on the amount alone, and never match ambiguous candidates', async () => {
    const a = await request(t, zhang, '300.00');
    await importStatement(t, statement([line(day(20), '300.00', { counterparty: { name: '王五', account: '6217999900001111' } })]));
    expect(await run()).toMatchObject({ allocated: 0, suggested: 1 });
    expect((await get(a.id)).request.status).toBe('submitted');
    await request(t, li, '300.00');
    expect(await run()).toMatchObject({ allocated: 0, ambiguous: 1 });
    const queue = await t.call('clerk', 'reconcile.queue', { tab: 'ambiguous' });
    expect(queue).toHaveLength(2);
  });

  it('one line paying several requests of the same payer, matched together', async () => {
    const a = await request(t, zhang, '100.00');
    const b = await request(t, zhang, '250.00');
    await importStatement(t, statement([line(day(20), '350.00', { counterparty: { name: '张伟', account: zhang.card } })]));
    expect(await run()).toMatchObject({ allocated: 2 });
    expect((await get(a.id)).request.status).toBe('matched');
    expect((await get(b.id)).request.status).toBe('matched');
  });

  it('several lines paying one request: partly paid, then matched by hand, never over-allocated', async () => {
    const a = await request(t, zhang, '1000.00', 'PARTPAY1');
    await importStatement(
      t,
      statement([
        line(day(20), '600.00', { memo: 'PARTPAY1', bank_ref: 'P1' }),
        line(day(21), '400.00', { memo: 'PARTPAY1 余款', bank_ref: 'P2' }),
      ]),
    );
    expect(await run()).toMatchObject({ allocated: 0, suggested: 2 });
    await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '60000' });
    expect((await get(a.id)).request).toMatchObject({ status: 'partly_paid', covered: '60000' });
    await expect(t.call('clerk', 'reconcile.match', { lineId: 2, requestId: a.id, amount: '50000' })).rejects.toThrow(
      /bank line 2 has only 400.00 left/,
    );
    await expect(t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '100' })).rejects.toThrow(/has only 0.00 left/);
    await t.call('clerk', 'reconcile.match', { lineId: 2, requestId: a.id, amount: '40000' });
    expect((await get(a.id)).request).toMatchObject({ status: 'matched', covered: '100000' });
  });

  it('an overpayment matched by hand covers the request; the excess stays unallocated for a refund or a later request', async () => {
    const a = await request(t, zhang, '100.00', 'OVERPAY1');
    await importStatement(t, statement([line(day(20), '120.00', { memo: 'OVERPAY1' })]));
    await run();
    await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '10000' });
    expect((await get(a.id)).request.status).toBe('matched');
    const lines = await t.call('clerk', 'reconcile.queue', { tab: 'unmatchedLines' });
    expect(lines[0]).toMatchObject({ amount: 12_000, allocated: 10_000 });
  });
});

describe('by hand', () => {
  it('unmatch with a reason reopens the request and frees the line', async () => {
    const a = await request(t, zhang, '88.00', 'UNDO1234');
    await importStatement(t, statement([line(day(20), '88.00', { memo: 'UNDO1234' })]));
    await run();
    const alloc = (await get(a.id)).allocations[0]!;
    await expect(t.call('clerk', 'reconcile.unmatch', { allocationId: alloc.id, reason: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await t.call('clerk', 'reconcile.unmatch', { allocationId: alloc.id, reason: '客户说付错了' });
    const after = await get(a.id);
    expect(after.request.status).toBe('submitted');
    expect(after.allocations[0]!.status).toBe('undone');
    const audit = { after_json: String(await one("SELECT after_json FROM audit WHERE action = 'reconcile.unmatch'")) };
    expect(JSON.parse(audit.after_json).reason).toBe('客户说付错了');
  });

  it('writes off a bank fee up to the cap, confirmed by an approver who did not propose it', async () => {
    const a = await request(t, zhang, '500.00', 'FEEFEE12');
    await importStatement(t, statement([line(day(20), '495.00', { memo: 'FEEFEE12' })]));
    await run();
    await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '49500' });
    await expect(
      t.call('clerk', 'reconcile.proposeWriteOff', { requestId: a.id, amount: '100', kind: 'fee', reason: '手续费' }),
    ).rejects.toThrow(/the difference is 5.00/);
    const { allocationId } = await t.call('approver', 'reconcile.proposeWriteOff', {
      requestId: a.id,
      amount: '500',
      kind: 'fee',
      reason: '跨行手续费',
    });
    await expect(t.call('approver', 'reconcile.decideWriteOff', { allocationId, approve: true })).rejects.toThrow(/four eyes/);
    await addStaff(t.call, { username: 'approver2', displayName: '审批二', role: 'approver' });
    await t.call('approver2', 'session.login', { username: 'approver2', password: PASSWORD });
    await t.call('approver2', 'reconcile.decideWriteOff', { allocationId, approve: true });
    expect((await get(a.id)).request).toMatchObject({ status: 'matched', covered: '50000' });
    expect(await balance('unallocated_receipts')).toBe(50_000);
    expect(await one("SELECT debits_posted FROM accounts WHERE code = 'bank_fees'")).toBe(500);
  });

  it('refuses a write-off above the cap', async () => {
    const a = await request(t, zhang, '500.00', 'BIGFEE12');
    await importStatement(t, statement([line(day(20), '450.00')]));
    await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '45000' });
    await expect(
      t.call('clerk', 'reconcile.proposeWriteOff', { requestId: a.id, amount: '5000', kind: 'fee', reason: '手续费' }),
    ).rejects.toThrow(/above the write-off cap of 10.00/);
  });
});

describe('requests', () => {
  it('must name a bank account bound to the account at that moment', async () => {
    await expect(
      t.call('clerk', 'requests.create', {
        requestId: 'req-unbound-1',
        accountId: zhang.accountId,
        payerAccount: li.card,
        amount: '10.00',
      }),
    ).rejects.toThrow(/was not bound to account ACC-1/);
  });

  it('an approver rejects with a reason; a stale version is refused, not overwritten', async () => {
    const a = await request(t, zhang, '66.00', 'STALE123');
    await importStatement(t, statement([line(day(20), '66.00', { memo: 'STALE123' })]));
    await run();
    await expect(t.call('approver', 'requests.reject', { id: a.id, reason: '重复申请', version: a.version })).rejects.toThrow(
      /changed since you saw it/,
    );
    const now = (await get(a.id)).request;
    await expect(t.call('clerk', 'requests.reject', { id: a.id, reason: '重复申请', version: now.version })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await t.call('approver', 'requests.reject', { id: a.id, reason: '重复申请', version: now.version });
    expect((await get(a.id)).request.status).toBe('rejected');
    const lines = await t.call('clerk', 'reconcile.queue', { tab: 'unmatchedLines' });
    expect(lines).toHaveLength(1);
  });

  it('expire when nothing is found within the configured days', async () => {
    const a = await request(t, zhang, '10.00');
    t.clock.now += 8 * 86_400_000;
    await t.call('clerk', 'session.login', { username: 'clerk', password: PASSWORD });
    expect(await t.call('clerk', 'requests.expire')).toEqual({ expired: 1 });
    await t.call('auditor', 'session.login', { username: 'auditor', password: PASSWORD });
    expect((await get(a.id)).request.status).toBe('expired');
  });
});

describe('review results', () => {
  it('are exported once per change as JSON Lines the platform reads', async () => {
    const a = await request(t, zhang, '1288.00', 'RESULT12');
    await request(t, li, '10.00');
    const first = await exportedReviewResults(t, 'r1.jsonl');
    expect(first.map((r) => r.result)).toEqual(['not_found', 'not_found']);
    await importStatement(t, statement([line(day(20), '1288.00', { memo: 'RESULT12' })]));
    await run();
    const second = await exportedReviewResults(t, 'r2.jsonl');
    expect(second).toEqual([
      expect.objectContaining({ result: 'matched', amount_requested: '1288.00', amount_found: '1288.00', account: 'ACC-1' }),
    ]);
    expect(second[0]?.request_id).toMatch(/^counter:req-/);
    void a;
    t.dialogs.nextSave = path.join(t.dir, 'r3.jsonl');
    await expect(t.runJob('clerk', 'reviewResults.export')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(path.join(t.dir, 'r3.jsonl'))).toBe(false);
  });
});
