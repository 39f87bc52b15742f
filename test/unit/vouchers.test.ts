// Vouchers (记账凭证): a clerk prepares, another approver reviews; numbers are gapless per month and 凭证字;
// a posted voucher is corrected only by a red voucher; automatic vouchers show their transfers' lines and
// are undone by their business action. Figures worked by hand in the comments.
import { describe, expect, it } from 'vitest';
import type { MethodInput } from '../../main/api/contract';
import { inWriteTx } from '../../main/db/tx';
import { withStaffedApi } from '../support/books-hooks';
import { firstValue, type TestApi } from '../support/temp-books';
import { importStatement, line, setUpBank, statement } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

const fee = (yuanFen: string, creditFen = yuanFen, date = '2026-11-20') => ({
  date,
  attachments: 1,
  lines: [
    { summary: '银行手续费', subjectCode: '660301', debit: yuanFen },
    { summary: '银行手续费', subjectCode: '122101', credit: creditFen },
  ],
});

describe('vouchers', () => {
  let t: TestApi;
  withStaffedApi(async (api) => {
    t = api;
    t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
    await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('was not refused'),
      (e: { code: string; message: string; details: unknown }) => e,
    );
  /** Debits − credits posted of the CNY account of a subject. */
  const net = (subject: string) =>
    firstValue(
      t.anyBooks,
      'SELECT debits_posted - credits_posted AS n FROM accounts WHERE ledger = 1 AND subject_code = ? ORDER BY owner_kind IS NOT NULL, id LIMIT 1',
      subject,
    );
  const count = (table: string) => firstValue(t.anyBooks, `SELECT count(*) AS n FROM ${table}`);
  /** A row as a test seeds it, in a write transaction as the services write. */
  const seed = (text: string) => inWriteTx(t.anyBooks, (tx) => tx.sql(text).run());
  const prepare = (v: MethodInput<'vouchers.prepare'>, as = 'clerk') => t.call(as, 'vouchers.prepare', v);
  const review = (id: number, approve = true, as = 'approver') => t.call(as, 'vouchers.review', { id, approve });

  it('a balanced voucher is a numbered draft until another approver posts it on its own date', async () => {
    const v = await prepare(fee('2500'));
    // Dr 660301 手续费 25.00 / Cr 122101 待清理付款 25.00: a draft, nothing posted yet.
    expect(v).toMatchObject({ name: '记-2026-11-0001', status: 'draft', date: '2026-11-20', preparedBy: 'clerk', reviewedBy: null });
    expect(v.debitTotal).toBe('2500');
    expect(v.lines).toEqual([
      expect.objectContaining({
        subjectCode: '660301',
        subjectName: '手续费',
        subjectNameEn: 'Bank and channel fees',
        debit: '2500',
        credit: '0',
      }),
      expect.objectContaining({ subjectCode: '122101', subjectName: '待清理付款', debit: '0', credit: '2500' }),
    ]);
    expect(await net('660301')).toBe(0);

    t.clock.now = Date.parse('2026-11-23T09:00:00+08:00');
    const posted = await review(v.id);
    expect(posted).toMatchObject({ status: 'posted', reviewedBy: 'approver' });
    expect(await net('660301')).toBe(2500);
    expect(await net('122101')).toBe(-2500);
    const transfers = await t.anyBooks
      .sql('SELECT key, business_date, voucher_id, code, amount FROM transfers WHERE voucher_id = ?')
      .all(v.id);
    // Posted on the voucher's date (20 Nov), not the day of review.
    expect(transfers).toEqual([{ key: `voucher:${v.id}:1`, business_date: '2026-11-20', voucher_id: v.id, code: 'voucher', amount: 2500 }]);
    // The same voucher by name.
    expect((await t.call('auditor', 'vouchers.get', { name: '记-2026-11-0001' })).id).toBe(v.id);
    // Its posting cannot be reversed on its own: the ledger names the voucher.
    const id = await firstValue(t.anyBooks, 'SELECT id FROM transfers WHERE voucher_id = ?', v.id);
    expect(await refusal(t.call('approver', 'ledger.reverse', { id, reason: 'wrong account' }))).toMatchObject({
      details: { reason: 'undo_by_red_voucher', params: { voucher: '记-2026-11-0001' } },
    });
  });

  it('refuses an unbalanced voucher naming the difference, and writes nothing (no number is used)', async () => {
    // Debits 25.00, credits 24.50: 0.50 apart.
    const e = await refusal(prepare(fee('2500', '2450')));
    expect(e).toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'voucher_unbalanced', params: { debitFen: '2500', creditFen: '2450', differenceFen: '50' } },
    });
    expect(e.message).toContain('differ by 0.50');
    expect(await count('vouchers')).toBe(0);
    expect(await count('voucher_counters')).toBe(0);
    expect((await prepare(fee('2500'))).name).toBe('记-2026-11-0001');
  });

  it('refuses a non-leaf subject, an unknown one, a line with both or no side, and a single line', async () => {
    // lines of 100.00 on one side of a subject
    const dr = (subjectCode: string) => ({ summary: '费用', subjectCode, debit: '100' });
    const cr = (subjectCode: string) => ({ summary: '费用', subjectCode, credit: '100' });
    const bad = (lines: unknown[]) => refusal(t.send('clerk', 'vouchers.prepare', { date: '2026-11-20', lines }));
    expect(await bad([dr('6603'), cr('122101')])).toMatchObject({
      details: { reason: 'voucher_line_not_leaf', params: { line: '1', code: '6603' } },
    });
    expect(await bad([dr('660301'), cr('1221')])).toMatchObject({
      details: { reason: 'voucher_line_not_leaf', params: { line: '2', code: '1221' } },
    });
    expect(await bad([dr('660301'), cr('9999')])).toMatchObject({
      details: { reason: 'voucher_line_no_account', params: { line: '2', ref: '9999' } },
    });
    expect(await bad([{ ...dr('660301'), credit: '100' }, cr('122101')])).toMatchObject({
      details: { reason: 'voucher_line_amount', params: { line: '1' } },
    });
    expect(await bad([dr('660301')])).toMatchObject({
      details: { reason: 'voucher_too_few_lines', params: { count: '1' } },
    });
    // A coin-ledger account is not in the chart.
    const coin = await firstValue(t.anyBooks, "SELECT id FROM accounts WHERE ledger = 2 AND code = 'coin_issuance'");
    expect(await bad([{ summary: '费用', accountId: coin, debit: '100' }, cr('122101')])).toMatchObject({
      details: { reason: 'voucher_line_no_account', params: { line: '1', ref: `#${coin}` } },
    });
    expect(await count('vouchers')).toBe(0);
  });

  it('refuses a date in a closed month, and posting into a month closed since the voucher was prepared', async () => {
    await seed(
      "INSERT INTO periods (month, state, closed_by, closed_at, confirmed_by, confirmed_at) VALUES ('2026-10', 'closed', 3, 0, 1, 0)",
    );
    expect(await refusal(prepare(fee('2500', '2500', '2026-10-31')))).toMatchObject({
      code: 'REFUSED',
      details: { reason: 'period_closed', params: { month: '2026-10' } },
    });
    expect(await refusal(prepare(fee('2500', '2500', '2026-11-31')))).toMatchObject({
      details: { reason: 'business_date_invalid', params: { date: '2026-11-31' } },
    });
    const v = await prepare(fee('2500'));
    await seed("INSERT INTO periods (month, state, closed_by, closed_at) VALUES ('2026-11', 'closing', 3, 0)");
    expect(await refusal(review(v.id))).toMatchObject({ details: { reason: 'period_closed', params: { month: '2026-11' } } });
    expect((await t.call('auditor', 'vouchers.get', { id: v.id })).status).toBe('draft');
    expect(await net('660301')).toBe(0);
  });

  it('four eyes: the preparer never reviews; a clerk cannot; a voucher is reviewed once', async () => {
    const v = await prepare(fee('2500'), 'approver');
    expect(await refusal(review(v.id, true, 'approver'))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'voucher_four_eyes', params: { voucher: '记-2026-11-0001', user: 'approver' } },
    });
    expect(await refusal(review(v.id, true, 'clerk'))).toMatchObject({ code: 'FORBIDDEN' });
    await review(v.id, true, 'approver2');
    expect(await refusal(review(v.id, false, 'approver2'))).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'voucher_reviewed', params: { voucher: '记-2026-11-0001' } },
    });
    expect(await net('660301')).toBe(2500);
  });

  it('numbers are gapless per month and 凭证字; a voided draft keeps its number', async () => {
    const a = await prepare(fee('100'));
    const b = await prepare({ ...fee('200'), word: '付' });
    const c = await prepare(fee('300'));
    const voided = await review(c.id, false);
    expect(voided).toMatchObject({ name: '记-2026-11-0002', status: 'voided', reviewedBy: 'approver' });
    const d = await prepare(fee('400'));
    const e = await prepare(fee('500', '500', '2026-12-01'));
    expect([a, b, c, d, e].map((v) => v.name)).toEqual([
      '记-2026-11-0001',
      '付-2026-11-0001',
      '记-2026-11-0002',
      '记-2026-11-0003',
      '记-2026-12-0001',
    ]);
    // Voided: nothing posted; a voided voucher is not reviewed again.
    expect(await firstValue(t.anyBooks, 'SELECT count(*) AS n FROM transfers WHERE voucher_id = ?', c.id)).toBe(0);
    expect(await refusal(review(c.id))).toMatchObject({ details: { reason: 'voucher_reviewed' } });
    const list = await t.call('auditor', 'vouchers.list', { period: '2026-11', word: '记' });
    expect(list.rows.map((v) => [v.name, v.status, v.debitTotal])).toEqual([
      ['记-2026-11-0003', 'draft', '400'],
      ['记-2026-11-0002', 'voided', '300'],
      ['记-2026-11-0001', 'draft', '100'],
    ]);
  });

  it('a red voucher names the original and, once reviewed, restores every balance exactly', async () => {
    // Two debits, one credit: Dr 660301 手续费 25.00, Dr 6602 管理费用 475.00 / Cr 122101 待清理付款 500.00.
    const v = await prepare({
      date: '2026-11-20',
      lines: [
        { summary: '银行手续费', subjectCode: '660301', debit: '2500' },
        { summary: '服务器费用', subjectCode: '6602', debit: '47500' },
        { summary: '清理待清理付款', subjectCode: '122101', credit: '50000' },
      ],
    });
    await review(v.id);
    expect(await Promise.all([net('660301'), net('6602'), net('122101')])).toEqual([2500, 47500, -50000]);

    const draft = await refusal(
      t.call('clerk', 'vouchers.reverse', { id: (await prepare(fee('100'))).id, date: '2026-11-25', reason: '录错' }),
    );
    expect(draft).toMatchObject({ details: { reason: 'voucher_not_posted' } });

    const red = await t.call('clerk', 'vouchers.reverse', { id: v.id, date: '2026-12-02', reason: '科目用错' });
    // Same sides, amounts in red (negative); it names the original.
    expect(red).toMatchObject({ name: '记-2026-12-0001', status: 'draft', reversesName: '记-2026-11-0001', debitTotal: '-50000' });
    expect(red.lines.map((l) => [l.subjectCode, l.debit, l.credit])).toEqual([
      ['660301', '-2500', '0'],
      ['6602', '-47500', '0'],
      ['122101', '0', '-50000'],
    ]);
    expect(await net('660301')).toBe(2500);
    await review(red.id, true, 'approver2');
    expect(await Promise.all([net('660301'), net('6602'), net('122101')])).toEqual([0, 0, 0]);
    // Each original transfer is reversed by one transfer of the red voucher, dated 2 Dec.
    const rows = await t.anyBooks
      .sql('SELECT t.reverses_id AS r, t.business_date AS d FROM transfers t WHERE t.voucher_id = ? ORDER BY t.id')
      .all(red.id);
    const originals = (await t.anyBooks.sql('SELECT id FROM transfers WHERE voucher_id = ? ORDER BY id').all(v.id)) as { id: number }[];
    expect(rows).toEqual(originals.map((o) => ({ r: o.id, d: '2026-12-02' })));
    expect((await t.call('auditor', 'vouchers.get', { id: v.id })).reversedByName).toBe('记-2026-12-0001');
    // Once only; a red voucher is not reversed again.
    expect(await refusal(t.call('approver', 'vouchers.reverse', { id: v.id, date: '2026-12-02', reason: '再冲' }))).toMatchObject({
      details: { reason: 'voucher_already_reversed', params: { voucher: '记-2026-11-0001', red: '记-2026-12-0001' } },
    });
    expect(await refusal(t.call('approver', 'vouchers.reverse', { id: red.id, date: '2026-12-02', reason: '再冲' }))).toMatchObject({
      details: { reason: 'voucher_is_red' },
    });
  });

  it('a voided red voucher does not block another red voucher for the same original', async () => {
    const v = await prepare(fee('2500'));
    await review(v.id);
    const first = await t.call('clerk', 'vouchers.reverse', { id: v.id, date: '2026-11-25', reason: '科目用错' });
    await review(first.id, false, 'approver2');
    expect((await t.call('auditor', 'vouchers.get', { id: v.id })).reversedByName).toBeNull();
    const second = await t.call('clerk', 'vouchers.reverse', { id: v.id, date: '2026-11-26', reason: '科目用错' });
    expect(second).toMatchObject({ name: '记-2026-11-0003', reversesName: '记-2026-11-0001' });
    await review(second.id, true, 'approver2');
    expect(await Promise.all([net('660301'), net('122101')])).toEqual([0, 0]);
  });

  it("an automatic voucher's lines come from its transfers per account and side, and its action undoes it", async () => {
    await setUpBank(t);
    // 20 Nov: in 1,000.00 and 288.00 → one 银行收款 voucher: Dr 100201 1,288.00 / Cr 224101 1,288.00.
    // 21 Nov: out 25.00 → one 银行付款 voucher: Dr 122101 25.00 / Cr 100201 25.00.
    await importStatement(
      t,
      statement([
        line('2026-11-20', '1000.00', { bank_ref: 'A1' }),
        line('2026-11-20', '288.00', { bank_ref: 'A2' }),
        line('2026-11-21', '-25.00', { bank_ref: 'A3' }),
      ]),
    );
    const list = await t.call('auditor', 'vouchers.list', { period: '2026-11', source: 'automatic' });
    expect(list.rows.map((v) => [v.name, v.date, v.summary, v.status, v.debitTotal])).toEqual([
      ['记-2026-11-0002', '2026-11-21', '银行付款', 'posted', '2500'],
      ['记-2026-11-0001', '2026-11-20', '银行收款', 'posted', '128800'],
    ]);
    const receipt = await t.call('auditor', 'vouchers.get', { name: '记-2026-11-0001' });
    expect(receipt.lines.map((l) => [l.summary, l.subjectCode, l.subjectName, l.debit, l.credit])).toEqual([
      ['银行收款', '100201', '招商银行 杭州分行 0101', '128800', '0'],
      ['银行收款', '224101', '未分配收款', '0', '128800'],
    ]);
    const payment = await t.call('auditor', 'vouchers.get', { name: '记-2026-11-0002' });
    expect(payment.lines.map((l) => [l.subjectCode, l.debit, l.credit])).toEqual([
      ['122101', '2500', '0'],
      ['100201', '0', '2500'],
    ]);
    // Not reversed as a voucher: the action that undoes it is named.
    expect(await refusal(t.call('clerk', 'vouchers.reverse', { id: receipt.id, date: '2026-11-22', reason: '错账' }))).toMatchObject({
      code: 'REFUSED',
      details: { reason: 'voucher_automatic', params: { voucher: '记-2026-11-0001', action: 'bank_reversal' } },
    });
    // A manual voucher takes the next 记 number of the month.
    expect((await prepare(fee('2500'))).name).toBe('记-2026-11-0003');
  });

  it('every CNY transfer belongs to a voucher, posted, numbered without gaps per month and 凭证字', async () => {
    await setUpBank(t);
    await importStatement(
      t,
      statement([line('2026-11-20', '100.00', { bank_ref: 'B1' }), line('2026-11-22', '-25.00', { bank_ref: 'B2' })]),
    );
    const v = await prepare(fee('2500', '2500', '2026-11-22'));
    await review(v.id);
    await review((await prepare(fee('100'))).id, false);
    const q = (s: string) => t.anyBooks.sql(s).all();
    expect(await q('SELECT id FROM transfers WHERE ledger = 1 AND voucher_id IS NULL')).toEqual([]);
    expect(await q("SELECT t.id FROM transfers t JOIN vouchers v ON v.id = t.voucher_id WHERE v.status <> 'posted'")).toEqual([]);
    const vouchers = (await q('SELECT period, word, number FROM vouchers ORDER BY number')) as {
      period: string;
      word: string;
      number: number;
    }[];
    for (const { period, word } of vouchers) {
      const numbers = vouchers.filter((v) => v.period === period && v.word === word).map((v) => v.number);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
    // Debits equal credits over every posted voucher.
    const tb = await t.call('auditor', 'ledger.trialBalance');
    expect(tb.find((l) => l.ledger === 1)?.balanced).toBe(true);
  });

  it('prepares by account id too, and lists by status and search', async () => {
    const fees = await firstValue(t.anyBooks, "SELECT id FROM accounts WHERE ledger = 1 AND subject_code = '660301'");
    const v = await prepare({
      date: '2026-11-20',
      word: '转',
      lines: [
        { summary: '结转手续费', accountId: fees, debit: '1' },
        { summary: '结转手续费', subjectCode: '122101', credit: '1' },
      ],
    });
    expect(v.name).toBe('转-2026-11-0001');
    expect((await t.call('auditor', 'vouchers.list', { search: '结转' })).rows).toHaveLength(1);
    expect((await t.call('auditor', 'vouchers.list', { search: '转-2026-11-0001' })).rows).toHaveLength(1);
    expect((await t.call('auditor', 'vouchers.list', { status: 'posted' })).rows).toHaveLength(0);
    expect(await refusal(t.call('auditor', 'vouchers.prepare', fee('1')))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
