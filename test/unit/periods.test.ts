// Period close (结账): a month closes only when its checks pass, each shown with its figure; an approver
// closes, a second person confirms; closing again changes nothing; months close in order; reopening
// needs an admin's reason and a second admin. A closed month refuses every posting dated in it.
import { cancelledAtOnce } from '../support/outcome';
import { beforeEach, describe, expect, it } from 'vitest';
import { inWriteTx } from '../../main/db/tx';
import { creditEarnings } from '../../main/services/coin-movements';
import type { AccountRow } from '../../main/services/customers';
import type { PeriodStatus } from '../../main/services/periods';
import { withBankDesk } from '../support/books-hooks';
import type { ExtraStaff } from '../support/desk';
import { firstValue, PASSWORD, type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement, type Payer } from '../support/recharge-fixtures';

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const STAFF = ['admin', 'clerk', 'approver', 'auditor', 'approver2', 'admin2'];

describe('period close', () => {
  let t: TestApi;
  let zhang: Payer;
  const staff: ExtraStaff[] = [
    { username: 'approver2', displayName: 'approver2', role: 'approver' },
    { username: 'admin2', displayName: 'admin2', role: 'admin' },
  ];
  withBankDesk({ now: '2026-10-30T10:00:00+08:00', staff }, ['张伟'], async (desk) => {
    [t, zhang] = desk;
    // October and November on one statement: 1,000.00 on 31 October, 50.00 in that day, 120.00 in on
    // 3 November and a 10.00 fee on 28 November: it closes at 1,160.00 on the 28th.
    await importStatement(
      t,
      statement(
        [
          line('2026-10-31', '50.00', { memo: '往来款', bank_ref: 'P1' }),
          line('2026-11-03', '120.00', { memo: '往来款', bank_ref: 'P2' }),
          line('2026-11-28', '-10.00', { memo: '手续费', bank_ref: 'P3' }),
        ],
        { opening: { date: '2026-10-31', amount: '1000.00' }, closing: { date: '2026-11-28', amount: '1160.00' } },
      ),
      'oct-nov.csv',
    );
    await clock('2026-12-05T10:00:00');
  });

  /** Moves the desk's clock; everyone logs in again (sessions end after 15 idle minutes). */
  async function clock(iso: string) {
    t.clock.now = at(iso);
    for (const username of STAFF) await t.call(username, 'session.login', { username, password: PASSWORD });
  }
  const status = (month: string) => t.call('auditor', 'periods.status', { month });
  const check = (s: PeriodStatus, name: string) => s.checks.find((c) => c.name === name)!;
  const december = () =>
    importStatement(
      t,
      statement([line('2026-12-02', '5.00', { memo: '结息', bank_ref: 'P4' })], {
        opening: { date: '2026-12-02', amount: '1160.00' },
        closing: { date: '2026-12-02', amount: '1165.00' },
      }),
      'dec.csv',
    );
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as { code: string; details: { reason?: string; params?: object } },
    );

  it('closes as a job: the steps of verify show as progress, and a cancel leaves the month open', async () => {
    const { jobId, end } = await cancelledAtOnce(t, 'approver', 'periods.close', { month: '2026-10' });
    expect(end).toMatchObject({
      type: 'job.failed',
      error: { code: 'CANCELLED' },
    });
    expect(await status('2026-10')).toMatchObject({ state: 'open', closedBy: null });

    await t.runJob('approver', 'periods.close', { month: '2026-10' });
    // The first step always shows (later ones may be thinned to 20 a second).
    const progress = t.events.filter((e) => e.type === 'job.progress' && e.jobId !== jobId);
    expect(progress[0]).toMatchObject({ stage: 'integrity', done: 0, total: 7 });
    expect(await status('2026-10')).toMatchObject({ state: 'closing', closedBy: 'approver' });
  });

  it('shows each check with its figure, and closes only when they all pass', async () => {
    const nov = await status('2026-11');
    expect(nov.state).toBe('open');
    expect(check(nov, 'month_ended')).toMatchObject({ ok: true, params: { lastDay: '2026-11-30' } });
    // The statement ends on the 28th and nothing follows it yet.
    expect(check(nov, 'bank_statements')).toMatchObject({ ok: false, params: { accounts: '1', failing: '1' } });
    expect(check(nov, 'bank_statements').items).toEqual([
      expect.objectContaining({
        ref: '571900000010101',
        ok: false,
        message: '571900000010101: statements end on 2026-11-28, before 2026-11-30',
      }),
    ]);
    expect(check(nov, 'verify')).toMatchObject({ ok: true });
    expect(check(nov, 'vouchers')).toMatchObject({ ok: true, params: { count: '0' }, link: '#/vouchers' });
    // October is closed first: November is refused while it is open, naming it.
    expect(check(nov, 'earlier_months')).toMatchObject({ ok: false, params: { open: '2026-10' } });
    expect(await refusal(t.runJob('approver', 'periods.close', { month: '2026-11' }))).toMatchObject({
      code: 'REFUSED',
      details: { reason: 'period_checks_failed', params: { month: '2026-11', checks: 'earlier_months, bank_statements' } },
    });
    // The month not over yet is refused too.
    expect(check(await status('2026-12'), 'month_ended')).toMatchObject({ ok: false, params: { today: '2026-12-05' } });

    // October: the statement runs past it, so it is covered; approver closes, approver2 confirms.
    expect((await status('2026-10')).ready).toBe(true);
    expect(await t.runJob('approver', 'periods.close', { month: '2026-10' })).toMatchObject({ state: 'closing', unchanged: false });
    expect(await t.runJob('approver', 'periods.close', { month: '2026-10' })).toMatchObject({ state: 'closing', unchanged: true });
    expect(await refusal(t.runJob('approver', 'periods.confirm', { month: '2026-10' }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'four_eyes_period' },
    });
    expect(await refusal(t.runJob('clerk', 'periods.confirm', { month: '2026-10' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.runJob('approver2', 'periods.confirm', { month: '2026-10' })).toMatchObject({ state: 'closed', unchanged: false });
    expect(await t.runJob('approver', 'periods.close', { month: '2026-10' })).toMatchObject({
      state: 'closed',
      unchanged: true,
      message: '2026-10 is already closed; nothing changed',
    });
    expect(await status('2026-10')).toMatchObject({ state: 'closed', closedBy: 'approver', confirmedBy: 'approver2' });

    // December's statement continues from the 28th without a gap: November's statements reach its end.
    await december();
    const ready = await status('2026-11');
    expect(check(ready, 'bank_statements')).toMatchObject({ ok: true });
    expect(ready.ready).toBe(true);
    await t.runJob('approver2', 'periods.close', { month: '2026-11' });
    // An admin may be the second person.
    expect(await t.runJob('admin', 'periods.confirm', { month: '2026-11' })).toMatchObject({ state: 'closed' });
    const list = await t.call('auditor', 'periods.list');
    expect(list.map((m) => [m.month, m.state, m.postings])).toEqual([
      ['2026-12', 'open', 1],
      ['2026-11', 'closed', 2],
      ['2026-10', 'closed', 2],
    ]);
  });

  it('a gap between statements, a waiting write-off and a draft voucher each block the close, with their figures', async () => {
    // December's statement opens at 1,100.00, not the 1,160.00 November closed at: a gap.
    await importStatement(
      t,
      statement([line('2026-12-02', '5.00', { bank_ref: 'G1' })], {
        opening: { date: '2026-12-02', amount: '1100.00' },
        closing: { date: '2026-12-02', amount: '1105.00' },
      }),
      'dec-gap.csv',
    );
    await clock('2026-11-25T10:00:00');
    const r = await request(t, zhang, '100.00', 'WOFF0001');
    await importStatement(t, statement([line('2026-11-25', '97.00', { memo: 'WOFF0001', bank_ref: 'W1' })]), 'w.csv');
    const lineId = await firstValue(t.anyBooks, "SELECT id FROM bank_lines WHERE bank_ref = 'W1'");
    await t.call('clerk', 'reconcile.match', { lineId, requestId: r.id, amount: '9700' });
    await t.call('clerk', 'reconcile.proposeWriteOff', { requestId: r.id, amount: '300', reason: '手续费', kind: 'fee' });
    const clerk = await firstValue(t.anyBooks, "SELECT id FROM staff WHERE username = 'clerk'");
    await t.anyBooks
      .sql(
        "INSERT INTO vouchers (period, word, number, date, summary, source, status, prepared_by, prepared_at) VALUES ('2026-11', '记', (SELECT coalesce(max(number), 0) + 1 FROM vouchers WHERE period = '2026-11'), '2026-11-30', '计提', 'manual', 'draft', ?, ?)",
      )
      .run(clerk, t.clock.now);
    await clock('2026-12-05T10:00:00');
    const nov = await status('2026-11');
    expect(check(nov, 'writeoffs')).toMatchObject({ ok: false, params: { count: '1' }, link: '#/reconciliation' });
    expect(check(nov, 'vouchers')).toMatchObject({ ok: false, params: { count: '1' }, link: '#/vouchers' });
    expect(check(nov, 'match_proposals')).toMatchObject({ ok: true, params: { count: '0' } });
    expect(check(nov, 'bank_statements').items![0]).toMatchObject({
      ok: false,
      message: '571900000010101: statements end on 2026-11-28; the next one, dec-gap.csv, does not continue from it (a gap)',
      params: expect.objectContaining({ gapFile: 'dec-gap.csv', reached: '2026-11-28' }),
    });
    // The write-off was proposed in November: October is not held by it.
    expect(check(await status('2026-10'), 'writeoffs')).toMatchObject({ ok: true });
  });

  it('verify finding anything blocks the close, naming the first finding', async () => {
    await t.anyBooks.sql("UPDATE bank_lines SET allocated = 100 WHERE bank_ref = 'P1'").run();
    const oct = await status('2026-10');
    // the tie, and the bank line no longer matching its seal
    expect(check(oct, 'verify')).toMatchObject({ ok: false, params: { findings: '2', brokenTies: '1' } });
    expect(check(oct, 'verify').message).toMatch(/^verify has 2 finding\(s\) \(1 of \d+ ties broken\): unallocated receipts hold 170\.00/);
    expect(await refusal(t.runJob('approver', 'periods.close', { month: '2026-10' }))).toMatchObject({
      details: { reason: 'period_checks_failed', params: { checks: 'verify' } },
    });
  });

  it('reopens (反结账) with an admin’s reason and a second admin, both audited; later months first', async () => {
    await december();
    await t.runJob('approver', 'periods.close', { month: '2026-10' });
    await t.runJob('approver2', 'periods.confirm', { month: '2026-10' });
    await t.runJob('approver', 'periods.close', { month: '2026-11' });
    await t.runJob('approver2', 'periods.confirm', { month: '2026-11' });
    expect(await refusal(t.call('approver', 'periods.reopen', { month: '2026-10', reason: '补记费用' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await refusal(t.call('admin', 'periods.reopen', { month: '2026-10', reason: '补记费用' }))).toMatchObject({
      details: { reason: 'period_later_closed', params: { month: '2026-10', later: '2026-11' } },
    });
    expect(await refusal(t.call('admin2', 'periods.confirmReopen', { month: '2026-11' }))).toMatchObject({
      details: { reason: 'period_no_reopen_request' },
    });
    await t.call('admin', 'periods.reopen', { month: '2026-11', reason: '11月漏记一笔银行手续费' });
    expect(await status('2026-11')).toMatchObject({ state: 'closed', reopenRequestedBy: '管理员', reopenReason: '11月漏记一笔银行手续费' });
    expect(await refusal(t.call('admin', 'periods.confirmReopen', { month: '2026-11' }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'four_eyes_period' },
    });
    expect(await t.call('admin2', 'periods.confirmReopen', { month: '2026-11' })).toMatchObject({ state: 'open' });
    expect(await status('2026-11')).toMatchObject({ state: 'open', timesReopened: 1, closedBy: null, reopenRequestedBy: null });
    const audit = await t.anyBooks
      .sql(
        "SELECT action || ' by ' || s.username AS step FROM audit a JOIN staff s ON s.id = a.staff_id WHERE action LIKE 'period.%' ORDER BY a.id",
      )
      .all();
    const closedTwice = [
      'period.close by approver',
      'period.confirm by approver2',
      'period.close by approver',
      'period.confirm by approver2',
    ];
    expect(audit).toEqual([...closedTwice, 'period.reopen_request by admin', 'period.reopen by admin2'].map((step) => ({ step })));
    // Open again, it takes postings; closing it again works the same way.
    await t.runJob('approver', 'periods.close', { month: '2026-11' });
    expect(await t.runJob('admin2', 'periods.confirm', { month: '2026-11' })).toMatchObject({ state: 'closed' });
  });

  describe('a closed month refuses every posting dated in it', () => {
    beforeEach(async () => {
      await december();
      for (const m of ['2026-10', '2026-11']) {
        await t.runJob('approver', 'periods.close', { month: m });
        await t.runJob('approver2', 'periods.confirm', { month: m });
      }
    });

    it('a transfer that got into it some other way is a verify finding, and blocks nothing else', async () => {
      const id = Number(
        (
          await t.anyBooks
            .sql(
              "INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, code, ts, business_date, voucher_id) SELECT 'slipped-in', 1, 1, 2, 100, 'single', 'x', 0, '2026-11-30', max(id) FROM vouchers",
            )
            .run()
        ).lastInsertRowid,
      );
      const r = await t.runJob('auditor', 'books.verify');
      expect(r.findings.filter((f) => f.check === 'closed_period').map((f) => f.message)).toEqual([
        `transfer ${id} is dated in 2026-11, posted after the month was closed`,
      ]);
    });

    it('a statement line booked in it is refused with its line number; nothing is imported', async () => {
      const lines = () => firstValue(t.anyBooks, 'SELECT count(*) FROM bank_lines');
      const before = await lines();
      const e = await importStatement(
        t,
        statement([line('2026-12-03', '1.00', { bank_ref: 'L1' }), line('2026-11-29', '2.00', { bank_ref: 'L2' })]),
        'late.csv',
      ).catch((x: unknown) => x);
      expect(e).toMatchObject({
        code: 'VALIDATION',
        details: { reason: 'line_in_closed_period', params: { line: '2', month: '2026-11' } },
      });
      expect(await lines()).toBe(before);
    });

    it('an approval whose day falls in it (a desk clock behind) is refused naming the month; nothing is credited', async () => {
      await clock('2026-11-29T10:00:00');
      const r = await request(t, zhang, '50.00', 'LATE0001');
      await importStatement(t, statement([line('2026-12-04', '50.00', { memo: 'LATE0001', bank_ref: 'A1' })]), 'a.csv');
      const lineId = await firstValue(t.anyBooks, "SELECT id FROM bank_lines WHERE bank_ref = 'A1'");
      await t.call('clerk', 'reconcile.match', { lineId, requestId: r.id, amount: '5000' });
      const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
      const [out] = await t.call('approver', 'approvals.approve', {
        items: [{ id: seen.id, version: seen.version }],
      });
      expect(out).toMatchObject({ outcome: 'refused', code: 'ledger_refused', params: { result: 'period_closed' } });
      expect(await firstValue(t.anyBooks, 'SELECT count(*) FROM recharge_records')).toBe(0);
      // On a day in an open month the same approval goes through.
      await clock('2026-12-05T10:00:00');
      const [again] = await t.call('approver', 'approvals.approve', {
        items: [{ id: seen.id, version: seen.version }],
      });
      expect(again).toMatchObject({ outcome: 'credited' });
    });

    it('a late platform event posts on the first open day and keeps its own date in the memo', async () => {
      const account = (await t.anyBooks.sql('SELECT * FROM customer_accounts WHERE id = ?').get(zhang.accountId)) as AccountRow;
      const actor = { staffId: null, name: 'platform', role: 'system' as const };
      const m = await inWriteTx(t.anyBooks, async (tx) =>
        creditEarnings(tx, actor, 'evt-late-1', account, 300, { at: at('2026-11-29T21:00:00'), eventId: 'evt-late-1' }),
      );
      expect(m.status).toBe('posted');
      const x = await t.anyBooks.sql('SELECT business_date AS date, memo FROM transfers WHERE id = ?').get(m.ledgerTransferId);
      expect(x).toEqual({ date: '2026-12-01', memo: 'evt-late-1 (原业务日期 2026-11-29)' });
    });
  });
});
