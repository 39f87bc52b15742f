// A reversal leaves the money in refunds payable until the bank pays it back: staff match the bank's
// money-out line to the refund (exactly its amount, one line per refund), which moves it out of refunds
// payable; verify proves refunds payable holds exactly the refunds not yet paid.
import { describe, expect, it } from 'vitest';
import { withBankDesk } from '../support/books-hooks';
import { APPROVER2_IN } from '../support/desk';
import { withOutcome } from '../support/outcome';
import { refundEditedOutside } from '../support/ledger-findings';
import { firstValue, type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement, type Payer } from '../support/recharge-fixtures';

describe('refunds after a reversal', () => {
  let t: TestApi;
  let zhang: Payer;
  withBankDesk({ staff: [APPROVER2_IN] }, ['张伟'], (desk) => ([t, zhang] = desk));

  const balance = (code: string) =>
    firstValue(
      t.anyBooks,
      'SELECT credits_posted - debits_posted FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL',
      code,
    );
  const lineId = (ref: string) => firstValue(t.anyBooks, 'SELECT id FROM bank_lines WHERE bank_ref = ?', ref);
  const line_ = (yuan: string, code: string) => line('2026-11-20', yuan, { memo: code, bank_ref: `IN2-${code}` });

  async function reversed(yuan: string, code: string) {
    const r = await request(t, zhang, yuan, code);
    await importStatement(t, statement([line('2026-11-20', yuan, { memo: code, bank_ref: `IN-${code}` })]));
    await t.runJob('clerk', 'reconcile.run');
    const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    const [approved] = await t.call('approver', 'approvals.approve', {
      items: [{ id: seen.id, version: seen.version }],
    });
    const credited = withOutcome(approved, 'credited');
    const rec = (await t.call('auditor', 'records.list', { text: credited.receiptNo })).rows[0]!;
    await t.call('approver2', 'records.reverse', { id: rec.id, reason: '拒付退款' });
    return rec;
  }

  it('stay payable until a money-out line of the same amount is matched; then paid once, and verify agrees', async () => {
    const rec = await reversed('100.00', 'REFUND01');
    const [refund] = await t.call('auditor', 'refunds.list', { recordId: rec.id });
    expect(refund).toMatchObject({ recordId: rec.id, receiptNo: rec.receiptNo, amount: '10000', status: 'payable', bankLineId: null });
    expect(await balance('refunds_payable')).toBe(10_000);
    expect(await t.call('auditor', 'refunds.list', { status: 'payable' })).toHaveLength(1);
    const dash = () => t.call('auditor', 'reports.dashboard');
    expect((await dash()).pending.refundsPayable).toBe(1);

    // The bank pays it back two days later; a money-out line of another amount is not a candidate.
    await importStatement(
      t,
      statement([
        line('2026-11-22', '-100.00', { memo: '退款 REFUND01', bank_ref: 'OUT-1' }),
        line('2026-11-22', '-99.00', { memo: '其他支出', bank_ref: 'OUT-2' }),
      ]),
    );
    expect(await balance('suspense')).toBe(-19_900);
    const [out1, out2, in1] = [await lineId('OUT-1'), await lineId('OUT-2'), await lineId('IN-REFUND01')];
    const candidates = await t.call('auditor', 'refunds.candidates', { refundId: refund!.id });
    expect(candidates).toEqual([expect.objectContaining({ id: out1, amount: '10000', booked: '2026-11-22' })]);

    const wrong = await t.call('clerk', 'refunds.match', { refundId: refund!.id, lineId: out2 }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({
      code: 'REFUSED',
      details: {
        reason: 'refund_amount_differs',
        params: { receiptNo: rec.receiptNo, lineId: String(out2), lineFen: '9900', refundFen: '10000' },
      },
    });
    const moneyIn = await t.call('clerk', 'refunds.match', { refundId: refund!.id, lineId: in1 }).catch((e: unknown) => e);
    expect(moneyIn).toMatchObject({ details: { reason: 'line_not_money_out' } });
    await expect(t.call('auditor', 'refunds.match', { refundId: refund!.id, lineId: out1 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });

    const paid = await t.call('clerk', 'refunds.match', { refundId: refund!.id, lineId: out1 });
    expect(paid).toMatchObject({ status: 'paid', bankLineId: out1, matchedBy: 'clerk' });
    expect(await balance('refunds_payable')).toBe(0);
    expect(await balance('suspense')).toBe(-9_900); // only the unexplained money-out line is left in suspense
    const again = await t.call('clerk', 'refunds.match', { refundId: refund!.id, lineId: out1 }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'CONFLICT', details: { reason: 'refund_paid', params: { receiptNo: rec.receiptNo } } });
    expect(await t.call('auditor', 'refunds.list', { status: 'payable' })).toEqual([]);
    expect((await dash()).pending.refundsPayable).toBe(0);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);

    // One money-out line pays one refund.
    const rec2 = await reversed('100.00', 'REFUND02');
    const [second] = await t.call('auditor', 'refunds.list', { recordId: rec2.id });
    const used = await t.call('clerk', 'refunds.match', { refundId: second!.id, lineId: out1 }).catch((e: unknown) => e);
    expect(used).toMatchObject({ details: { reason: 'line_pays_another_refund', params: { receiptNo: rec.receiptNo } } });
    expect(await t.call('auditor', 'refunds.candidates', { refundId: second!.id })).toEqual([]);
    expect(await firstValue(t.anyBooks, "SELECT count(*) FROM audit WHERE action = 'refund.match'")).toBe(1);
  });

  it('a bank reversal (冲正) of the same amount neither is offered nor pays a refund: it undoes a credit, it is not money paid back', async () => {
    const rec = await reversed('100.00', 'REFUND03');
    const [refund] = await t.call('auditor', 'refunds.list', { recordId: rec.id });
    await importStatement(
      t,
      statement([
        line('2026-11-22', '100.00', { memo: '汇入', bank_ref: 'IN-WRONG' }),
        line('2026-11-22', '-100.00', { memo: '冲正 汇入', bank_ref: 'REV-1', reversal: true }),
      ]),
      'with-reversal.csv',
    );
    expect(await t.call('auditor', 'refunds.candidates', { refundId: refund!.id })).toEqual([]);
    const rev1 = await lineId('REV-1');
    const refused = await t.call('clerk', 'refunds.match', { refundId: refund!.id, lineId: rev1 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'line_is_reversal', params: { lineId: String(rev1) } },
    });
    expect((await t.call('auditor', 'refunds.list', { recordId: rec.id }))[0]).toMatchObject({ status: 'payable', bankLineId: null });
    expect(await balance('refunds_payable')).toBe(10_000);
  });

  it('verify names a refunds payable balance that does not match the refunds owed', async () => {
    await reversed('50.00', 'REFUND03');
    await t.anyBooks.sql("UPDATE refunds SET amount = 4000 WHERE status = 'payable'").run();
    const report = await t.runJob('auditor', 'books.verify');
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual(refundEditedOutside('50.00', '40.00'));
  });

  it('credits and reversals join the review results sent back to the platform, with the receipt number and coins', async () => {
    const rec = await reversed('1288.00', 'REVIEW01');
    const { unsentReviewResults } = await import('../../main/services/review-results');
    const line = (await unsentReviewResults(t.anyBooks)).find((l) => l.account === 'ACC-1')!;
    expect(line).toMatchObject({
      result: 'reversed',
      amount_requested: '1288.00',
      reason: '拒付退款',
      credit: { receipt_no: rec.receiptNo, coins: 12_880, bonus_coins: 644, reversed: true },
    });
    const r = await request(t, zhang, '10.00', 'REVIEW02');
    await importStatement(t, statement([line_('10.00', 'REVIEW02')]));
    await t.runJob('clerk', 'reconcile.run');
    const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    await t.call('approver', 'approvals.approve', { items: [{ id: seen.id, version: seen.version }] });
    const credited = (await unsentReviewResults(t.anyBooks)).find((l) => l.request_id === r.request_id)!;
    expect(credited).toMatchObject({ result: 'credited', credit: { coins: 100, bonus_coins: 0, reversed: false } });
    expect(credited.credit!.receipt_no).toMatch(/^CZ2026-\d{6}$/);
  });
});
