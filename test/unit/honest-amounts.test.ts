// Honest amounts (issue 10 §4), with figures worked out by hand:
// - a write-off says what the difference was: a fee the platform bears (Dr 手续费, the customer is
//   credited the full request) or a short payment (the customer is credited, and may invoice, only what
//   was received; the coins are the conversion rule's for the amount received — our choice: the request
//   is not re-priced);
// - unallocated money can be refunded (four eyes, paid by a money-out line), applied to a later request,
//   or reclassified to 224103 待查款项 once old enough, and an ageing list shows it;
// - money-out lines in suspense are classified to an account (four eyes), and a chargeback whose coins
//   were spent is booked as a receivable (122102).
import { describe, expect, it } from 'vitest';
import { withBankDesk } from '../support/books-hooks';
import { APPROVER2 } from '../support/desk';
import { refusal, withOutcome } from '../support/outcome';
import { firstValue, type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement, writeOff, type Payer } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';
import { confirmedSetting } from '../support/settings';

let t: TestApi;
let zhang: Payer;
withBankDesk({ staff: [APPROVER2] }, ['张伟'], (desk) => ([t, zhang] = desk));

/** A ledger account's balance on its natural side (credit side for liabilities, debit side for assets and expenses). */
async function balance(code: string, side: 'credit' | 'debit' = 'credit'): Promise<number> {
  const b = await firstValue(
    t.anyBooks,
    'SELECT credits_posted - debits_posted AS b FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL',
    code,
  );
  return side === 'credit' ? b : 0 - b || 0;
}
const lineId = (ref: string) => firstValue(t.anyBooks, 'SELECT id FROM bank_lines WHERE bank_ref = ?', ref);

async function approve(requestId: number, who = 'approver') {
  const seen = (await t.call('auditor', 'requests.get', { id: requestId })).request;
  const [approved] = await t.call(who, 'approvals.approve', {
    items: [{ id: seen.id, version: seen.version }],
  });
  const out = withOutcome(approved, 'credited');
  return (
    await t.call('auditor', 'records.list', {
      text: out.receiptNo,
    })
  ).rows[0]!;
}

/** 648.00 asked, 645.00 arrived: matched by hand, the 3.00 difference proposed as `kind` by the clerk and approved. */
async function shortPaid(kind: 'fee' | 'short') {
  const r = await request(t, zhang, '648.00', 'SHORT648');
  await importStatement(t, statement([line('2026-11-20', '645.00', { memo: 'SHORT648', bank_ref: 'IN-645' })]));
  await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-645'), requestId: r.id, amount: '64500' });
  await writeOff(t, { requestId: r.id, amount: '300', kind, reason: kind === 'fee' ? '汇款行扣手续费' : '客户少付 3 元' });
  return { request: r, record: await approve(r.id, 'approver2') };
}

const invoiceable = async () => (await t.call('auditor', 'invoices.customerSummary', { customerId: zhang.customerId })).totals.invoiceable;

describe('write-off kinds', () => {
  it('short: 645.00 paid on a 648.00 request credits, records and invoices 645.00, with the coins of 645.00', async () => {
    const { record, request: req } = await shortPaid('short');
    // The platform hears the money found was 645.00, credited with 6,450 coins.
    const { unsentReviewResults } = await import('../../main/services/review-results');
    expect((await unsentReviewResults(t.anyBooks)).find((l) => l.request_id === req.request_id)).toMatchObject({
      result: 'credited',
      amount_requested: '648.00',
      amount_found: '645.00',
      credit: { coins: 6450, bonus_coins: 0 },
    });
    // The default rule: 10 coins a yuan, rounded down, no tier below 1,000.00 → 645.00 gives 6,450 coins.
    expect(record).toMatchObject({ amount: '64500', requested: '64800', paidCoins: '6450' });
    expect(await balance('customer_prepayments')).toBe(64_500);
    expect(await balance('bank_fees', 'debit')).toBe(0); // nothing posted for the difference
    expect(await balance('unallocated_receipts')).toBe(0);
    expect(await invoiceable()).toBe('64500');
    const wallet = await firstValue(
      t.anyBooks,
      'SELECT w.credits_posted AS c FROM customer_accounts a JOIN accounts w ON w.id = a.recharge_wallet_id WHERE a.id = ?',
      zhang.accountId,
    );
    expect(wallet).toBe(6_450);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('fee: the platform bears 3.00 as 手续费 (660301) and the customer is credited the full 648.00', async () => {
    const { record } = await shortPaid('fee');
    expect(record).toMatchObject({ amount: '64800', requested: '64800', paidCoins: '6480' });
    expect(await balance('bank_fees', 'debit')).toBe(300);
    expect(await balance('customer_prepayments')).toBe(64_800);
    expect(await balance('unallocated_receipts')).toBe(0);
    expect(await invoiceable()).toBe('64800');
    expect(await firstValue(t.anyBooks, "SELECT subject_code AS s FROM accounts WHERE code = 'bank_fees'")).toBe('660301');
  });

  it('rejecting a request whose fee write-off was posted undoes the write-off: 手续费 and unallocated receipts tie again', async () => {
    const r = await request(t, zhang, '648.00', 'REJ648');
    await importStatement(t, statement([line('2026-11-20', '645.00', { memo: 'REJ648', bank_ref: 'IN-REJ' })]));
    await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-REJ'), requestId: r.id, amount: '64500' });
    await writeOff(t, { requestId: r.id, amount: '300', kind: 'fee', reason: '汇款行扣手续费' });
    expect(await balance('bank_fees', 'debit')).toBe(300);
    const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    await t.call('approver', 'requests.reject', { id: r.id, version: seen.version, reason: '客户要求退款' });
    // The 645.00 is back in unallocated receipts (Σ of the line's unallocated part), and no fee is left.
    expect(await balance('bank_fees', 'debit')).toBe(0);
    expect(await balance('unallocated_receipts')).toBe(64_500);
    const report = await t.runJob('auditor', 'books.verify');
    expect(report.ties.filter((x) => !x.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('the person proposing must choose the kind', async () => {
    const r = await request(t, zhang, '100.00', 'NOKIND01');
    await importStatement(t, statement([line('2026-11-20', '99.00', { bank_ref: 'IN-99' })]));
    await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-99'), requestId: r.id, amount: '9900' });
    await expect(t.send('clerk', 'reconcile.proposeWriteOff', { requestId: r.id, amount: '100', reason: '差额' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('unallocated money', () => {
  it('is refunded: proposed by a clerk, approved by another person, paid by a money-out line (126.35)', async () => {
    await importStatement(
      t,
      statement([line('2026-11-18', '126.35', { bank_ref: 'IN-126', counterparty: { name: '李娜', account: '6222' } })]),
    );
    expect(await balance('unallocated_receipts')).toBe(12_635);
    const ask = async (amount: string, as = 'clerk') =>
      t.call(as, 'unallocated.proposeRefund', { lineId: await lineId('IN-126'), amount, reason: '客户要求退回' });
    expect(await refusal(ask('12636'))).toMatchObject({ code: 'CONFLICT', reason: 'unallocated_short', params: { leftFen: '12635' } });
    const refund = await ask('12635');
    expect(refund).toMatchObject({ source: 'unallocated', status: 'proposed', amount: '12635', customerName: '李娜' });
    // Nothing moves until someone else approves; the waiting refund holds the money against a second one.
    expect(await balance('refunds_payable')).toBe(0);
    expect(await refusal(ask('1'))).toMatchObject({ reason: 'unallocated_short', params: { leftFen: '0' } });
    expect(await refusal(t.call('clerk', 'refunds.decide', { refundId: refund.id, approve: true }))).toMatchObject({ code: 'FORBIDDEN' });
    const selfApproved = await t
      .call('approver', 'unallocated.proposeRefund', {
        lineId: await lineId('IN-126'),
        amount: '1',
        reason: 'x 测试',
      })
      .catch((e: unknown) => e);
    expect(selfApproved).toMatchObject({ details: { reason: 'unallocated_short' } });

    const payable = await t.call('approver', 'refunds.decide', { refundId: refund.id, approve: true });
    expect(payable).toMatchObject({ status: 'payable' });
    expect(await balance('unallocated_receipts')).toBe(0);
    expect(await balance('refunds_payable')).toBe(12_635);
    const ageing = await t.call('auditor', 'unallocated.ageing', {});
    expect(ageing).toMatchObject({ lines: [], total: '0' });

    // The bank pays it back: a money-out line of the same amount pays the refund.
    await importStatement(t, statement([line('2026-11-21', '-126.35', { bank_ref: 'OUT-126' })]));
    const paid = await t.call('clerk', 'refunds.match', { refundId: refund.id, lineId: await lineId('OUT-126') });
    expect(paid).toMatchObject({ status: 'paid' });
    expect(await balance('refunds_payable')).toBe(0);
    expect(await balance('suspense', 'debit')).toBe(0);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('four eyes: the approver who proposed a refund may not approve it; a rejected refund moves nothing', async () => {
    await importStatement(t, statement([line('2026-11-18', '50.00', { bank_ref: 'IN-50' })]));
    const refund = await t.call('approver', 'unallocated.proposeRefund', {
      lineId: await lineId('IN-50'),
      amount: '5000',
      reason: '退回',
    });
    expect(await refusal(t.call('approver', 'refunds.decide', { refundId: refund.id, approve: true }))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'four_eyes_refund',
    });
    expect(await t.call('approver2', 'refunds.decide', { refundId: refund.id, approve: false })).toMatchObject({ status: 'rejected' });
    expect(await balance('unallocated_receipts')).toBe(5_000);
    expect(await refusal(t.call('approver2', 'refunds.decide', { refundId: refund.id, approve: true }))).toMatchObject({
      reason: 'refund_not_proposed',
    });
  });

  it('an overpayment left on a line is applied to a later request by hand', async () => {
    const first = await request(t, zhang, '100.00', 'OVERPAY1');
    await importStatement(t, statement([line('2026-11-20', '150.00', { memo: 'OVERPAY1', bank_ref: 'IN-150' })]));
    await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-150'), requestId: first.id, amount: '10000' });
    const later = await request(t, zhang, '50.00', 'LATER050');
    await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-150'), requestId: later.id, amount: '5000' });
    const got = await t.call('auditor', 'requests.get', { id: later.id });
    expect(got.request).toMatchObject({ status: 'matched', covered: '5000' });
    await approve(first.id);
    await approve(later.id);
    expect(await balance('customer_prepayments')).toBe(15_000);
    expect(await balance('unallocated_receipts')).toBe(0);
  });

  it('is reclassified to 224103 待查款项 only after the configured age, with four eyes; then refunded from 待查', async () => {
    await importStatement(
      t,
      statement([line('2026-08-01', '300.00', { bank_ref: 'IN-OLD', counterparty: { name: '不明汇款', account: null } })]),
    );
    await importStatement(t, statement([line('2026-11-01', '80.00', { bank_ref: 'IN-NEW' })]), 'second.csv');
    const young = await refusal(t.call('clerk', 'unallocated.proposeReclassify', { lineId: await lineId('IN-NEW'), reason: '无人认领' }));
    expect(young).toEqual({
      code: 'REFUSED',
      reason: 'reclassify_too_young',
      params: { lineId: String(await lineId('IN-NEW')), ageDays: '19', minDays: '90' },
    });
    // 1 Aug → 20 Nov is 111 days: over 90, in the ">90" bucket; 1 Nov → 20 Nov is 19 days.
    const ageing = await t.call('auditor', 'unallocated.ageing', {});
    expect(ageing.lines.map((l) => [l.ageDays, l.bucket, l.unallocated, l.reclassifiable])).toEqual([
      [111, '90+', '30000', true],
      [19, '0-30', '8000', false],
    ]);
    expect(ageing.buckets).toEqual([
      { bucket: '0-30', lines: 1, amount: '8000' },
      { bucket: '31-60', lines: 0, amount: '0' },
      { bucket: '61-90', lines: 0, amount: '0' },
      { bucket: '90+', lines: 1, amount: '30000' },
    ]);
    expect(ageing.total).toBe('38000');

    const { actionId } = await t.call('clerk', 'unallocated.proposeReclassify', {
      lineId: await lineId('IN-OLD'),
      reason: '三个月无人认领',
    });
    expect(await balance('gl:224103')).toBe(0);
    expect(await refusal(t.call('clerk', 'bankLines.decideAction', { actionId, approve: true }))).toMatchObject({ code: 'FORBIDDEN' });
    await t.call('approver', 'bankLines.decideAction', { actionId, approve: true });
    expect(await balance('gl:224103')).toBe(30_000);
    expect(await balance('unallocated_receipts')).toBe(8_000);
    const after = await t.call('auditor', 'unallocated.ageing', {});
    expect(after.lines.map((l) => l.id)).toEqual([await lineId('IN-NEW')]);
    expect(after.investigation).toEqual([expect.objectContaining({ id: await lineId('IN-OLD'), held: '30000' })]);
    // Matching no longer offers the reclassified money.
    // reconcile.queue answers untyped SQL rows in the contract: the line ids read here.
    const lines = (await t.call('clerk', 'reconcile.queue', { tab: 'unmatchedLines' })) as { id: number }[];
    expect(lines.map((l) => l.id)).toEqual([await lineId('IN-NEW')]);

    // The payer turns up: refunded from 待查.
    expect(
      await refusal(
        t.call('clerk', 'unallocated.proposeRefund', {
          lineId: await lineId('IN-OLD'),
          amount: '30001',
          from: 'investigation',
          reason: '退回',
        }),
      ),
    ).toMatchObject({ reason: 'investigation_short', params: { leftFen: '30000' } });
    const refund = await t.call('clerk', 'unallocated.proposeRefund', {
      lineId: await lineId('IN-OLD'),
      amount: '30000',
      from: 'investigation',
      reason: '汇款人来电认领，退回',
    });
    await t.call('approver2', 'refunds.decide', { refundId: refund.id, approve: true });
    expect(await balance('gl:224103')).toBe(0);
    expect(await balance('refunds_payable')).toBe(30_000);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('the reclassification age is a setting that two admins change', async () => {
    await addStaff(t.call, { username: 'admin2', displayName: '管理员二', role: 'admin' });
    await importStatement(t, statement([line('2026-11-01', '80.00', { bank_ref: 'IN-NEW' })]));
    await confirmedSetting(t.call, {
      key: 'matching.unallocatedReclassifyDays',
      value: 14,
      effectiveFrom: t.clock.now,
      reason: '两周无人认领即转待查',
    });
    t.clock.now += 1_000;
    const { actionId } = await t.call('clerk', 'unallocated.proposeReclassify', {
      lineId: await lineId('IN-NEW'),
      reason: '两周无人认领',
    });
    expect(actionId).toBeGreaterThan(0);
  });
});

describe('money-out lines in suspense', () => {
  it('a bank fee (25.00) and a server bill (475.00) are classified to 660301 and 6602, four eyes, leaving suspense 0', async () => {
    await importStatement(
      t,
      statement([
        line('2026-11-19', '-25.00', { bank_ref: 'OUT-FEE', memo: '账户管理费' }),
        line('2026-11-19', '-475.00', { bank_ref: 'OUT-SRV', memo: '云服务器费用' }),
      ]),
    );
    expect(await balance('suspense', 'debit')).toBe(50_000);
    const open = await t.call('auditor', 'moneyOut.list', { state: 'open' });
    expect(open).toHaveLength(2);
    const accounts = await t.call('auditor', 'moneyOut.accounts', {});
    expect(accounts.map((a) => a.code)).toEqual(expect.arrayContaining(['660301', '6602', '6711']));
    expect(accounts.map((a) => a.code)).not.toEqual(expect.arrayContaining(['122101']));
    expect(
      await refusal(
        t.call('clerk', 'moneyOut.proposeClassify', { lineId: await lineId('OUT-FEE'), subjectCode: '224101', reason: '错误科目' }),
      ),
    ).toMatchObject({ reason: 'classify_account_not_allowed' });
    const fee = await t.call('clerk', 'moneyOut.proposeClassify', {
      lineId: await lineId('OUT-FEE'),
      subjectCode: '660301',
      reason: '银行账户管理费',
    });
    const server = await t.call('clerk', 'moneyOut.proposeClassify', {
      lineId: await lineId('OUT-SRV'),
      subjectCode: '6602',
      reason: '11 月服务器账单',
    });
    expect(
      await refusal(t.call('clerk', 'moneyOut.proposeClassify', { lineId: await lineId('OUT-SRV'), subjectCode: '6602', reason: '再次' })),
    ).toMatchObject({ reason: 'line_explained' });
    expect(await refusal(t.call('clerk', 'bankLines.decideAction', { actionId: fee.actionId, approve: true }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await t.call('approver', 'bankLines.decideAction', { actionId: fee.actionId, approve: true });
    await t.call('approver', 'bankLines.decideAction', { actionId: server.actionId, approve: true });
    expect(await balance('suspense', 'debit')).toBe(0);
    expect(await balance('bank_fees', 'debit')).toBe(2_500);
    expect(await balance('gl:6602', 'debit')).toBe(47_500);
    expect(await t.call('auditor', 'moneyOut.list', { state: 'open' })).toEqual([]);
    expect(await t.call('auditor', 'moneyOut.list', { state: 'classified' })).toHaveLength(2);
    // Classification is for money out, and a classified line pays no refund.
    await importStatement(t, statement([line('2026-11-19', '10.00', { bank_ref: 'IN-10' })]), 'in.csv');
    expect(
      await refusal(t.call('clerk', 'moneyOut.proposeClassify', { lineId: await lineId('IN-10'), subjectCode: '6602', reason: '错误' })),
    ).toMatchObject({ reason: 'line_not_money_out' });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('a chargeback after the coins were spent is booked as a receivable in 122102, linked to the record', async () => {
    const r = await request(t, zhang, '200.00', 'CHARGE01');
    await importStatement(t, statement([line('2026-11-20', '200.00', { memo: 'CHARGE01', bank_ref: 'IN-200' })]));
    await t.runJob('clerk', 'reconcile.run');
    const record = await approve(r.id);
    await importStatement(t, statement([line('2026-11-21', '-200.00', { bank_ref: 'OUT-CB', memo: '拒付' })]), 'cb.csv');
    // While the customer holds the coins, the recharge is reversed instead.
    expect(
      await refusal(
        t.call('approver2', 'moneyOut.chargeback', { lineId: await lineId('OUT-CB'), recordId: record.id, reason: '持卡人拒付' }),
      ),
    ).toMatchObject({ reason: 'chargeback_coins_held', params: { heldCoins: '2000', creditedCoins: '2000' } });
    // The coins are spent (a platform debit of the whole wallet, simulated here).
    const wallet = await firstValue(t.anyBooks, 'SELECT recharge_wallet_id AS w FROM customer_accounts WHERE id = ?', zhang.accountId);
    await spendCoins(wallet, 2_000);
    expect(
      await refusal(t.call('clerk', 'moneyOut.chargeback', { lineId: await lineId('OUT-CB'), recordId: record.id, reason: '持卡人拒付' })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    await t.call('approver2', 'moneyOut.chargeback', { lineId: await lineId('OUT-CB'), recordId: record.id, reason: '持卡人拒付' });
    expect(await balance('gl:122102', 'debit')).toBe(20_000);
    expect(await balance('suspense', 'debit')).toBe(0);
    expect(await firstValue(t.anyBooks, "SELECT record_id AS r FROM bank_line_actions WHERE kind = 'chargeback'")).toBe(record.id);
    expect(await t.call('auditor', 'moneyOut.list', { state: 'chargeback' })).toEqual([
      expect.objectContaining({ id: await lineId('OUT-CB'), receiptNo: expect.any(String) }),
    ]);
  });

  it('a chargeback of another amount is refused', async () => {
    const r = await request(t, zhang, '200.00', 'CHARGE02');
    await importStatement(t, statement([line('2026-11-20', '200.00', { memo: 'CHARGE02', bank_ref: 'IN-200' })]));
    await t.runJob('clerk', 'reconcile.run');
    const record = await approve(r.id);
    await importStatement(t, statement([line('2026-11-21', '-150.00', { bank_ref: 'OUT-CB' })]), 'cb.csv');
    expect(
      await refusal(t.call('approver2', 'moneyOut.chargeback', { lineId: await lineId('OUT-CB'), recordId: record.id, reason: '拒付' })),
    ).toMatchObject({ reason: 'chargeback_amount_differs', params: { lineFen: '15000', recordFen: '20000' } });
  });
});

/** Coins leave the wallet the way the platform's consumption does: to the issuance account, posted through the ledger. */
async function spendCoins(walletId: number, coins: number) {
  const { createTransfers, expectPosted } = await import('../../main/services/ledger-post');
  const { inWriteTx } = await import('../../main/db/tx');
  const { systemAccount } = await import('../../main/services/system-accounts');
  await inWriteTx(t.anyBooks, async (tx) =>
    expectPosted(
      await createTransfers(
        tx,
        [
          {
            key: `spend:${walletId}`,
            ledger: 2,
            debitAccountId: walletId,
            creditAccountId: await systemAccount(tx, 2, 'coin_issuance'),
            amount: coins,
            code: 'coin_spend',
          },
        ],
        { now: t.clock.now },
      ),
    ),
  );
}
