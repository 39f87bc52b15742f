// verify proves each sub-ledger against its ledger account with both figures. A small book built
// through the real services has every tie hold with figures worked out by hand; then each tie is
// broken on purpose (SQL outside Coffer, the immutability trigger dropped where needed) and verify names it.
import { describe, expect, it } from 'vitest';
import { inWriteTx } from '../../main/db/tx';
import { createTransfers, expectPosted } from '../../main/services/ledger-post';
import type { VerifyReport } from '../../main/services/verify';
import { withBankDesk } from '../support/books-hooks';
import type { ExtraStaff } from '../support/desk';
import { firstValue, ON_POSTGRES, type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement } from '../support/recharge-fixtures';
import { refundEditedOutside, sealBroken } from '../support/ledger-findings';

describe('the ties verify proves', () => {
  let t: TestApi;
  let records: Map<string, { id: number; money_transfer_id: number }>;
  let wallets: { zhang: number; li: number };
  const approver2: ExtraStaff = { username: 'approver2', displayName: '审核二', role: 'approver' };
  withBankDesk({ staff: [approver2] }, ['张伟', '李娜'], async ([desk, zhang, li]) => {
    t = desk;
    const a = await request(t, zhang, '100.00', 'TIEA0001');
    await request(t, zhang, '30.00', 'TIEB0001');
    const c = await request(t, li, '20.00', 'TIEC0001');
    // The bank: 1,000.00 on the 20th before these lines; then 100.00 + 30.00 + 20.00 + 55.50 in, a 25.00 fee out.
    await importStatement(
      t,
      statement(
        [
          line('2026-11-20', '100.00', { memo: 'TIEA0001', bank_ref: 'T1' }),
          line('2026-11-20', '30.00', { memo: 'TIEB0001', bank_ref: 'T2' }),
          line('2026-11-20', '20.00', { memo: 'TIEC0001', bank_ref: 'T3' }),
          line('2026-11-20', '55.50', { memo: '往来款', bank_ref: 'T4' }),
          line('2026-11-20', '-25.00', { memo: '手续费', bank_ref: 'T5' }),
        ],
        { opening: { date: '2026-11-20', amount: '1000.00' }, closing: { date: '2026-11-20', amount: '1180.50' } },
      ),
    );
    await t.runJob('clerk', 'reconcile.run');
    for (const r of [a, c]) {
      const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
      const [out] = await t.call('approver', 'approvals.approve', {
        items: [{ id: seen.id, version: seen.version }],
      });
      expect(out).toMatchObject({ outcome: 'credited' });
    }
    const rows = (await t.anyBooks
      .sql(
        'SELECT rr.id, rr.money_transfer_id, q.reference_code AS code FROM recharge_records rr JOIN recharge_requests q ON q.id = rr.request_id',
      )
      .all()) as { id: number; money_transfer_id: number; code: string }[];
    records = new Map(rows.map((r) => [r.code, r]));
    // Li's chargeback: 20.00 moves to refunds payable, his 200 coins go back.
    await t.call('approver2', 'records.reverse', { id: records.get('TIEC0001')!.id, reason: '拒付退款' });
    const w = (n: number) => firstValue(t.anyBooks, 'SELECT recharge_wallet_id FROM customer_accounts WHERE id = ?', n);
    wallets = { zhang: await w(zhang.accountId), li: await w(li.accountId) };
  });

  /** SQL run outside Coffer, as someone holding the books would. */
  const outside = async (text: string, ...params: unknown[]) => t.anyBooks.sql(text).run(...params);
  /** A refusing trigger dropped first, as someone holding the books could. */
  const dropTrigger = (table: string, name: string) => outside(ON_POSTGRES ? `DROP TRIGGER ${name} ON ${table}` : `DROP TRIGGER ${name}`);

  const verify = () => t.runJob('auditor', 'books.verify');
  const tie = (r: VerifyReport, name: string) => r.ties.find((x) => x.name === name || x.name.startsWith(`${name}:`));

  it('a clean book has every tie hold, with the figures worked by hand', async () => {
    const r = await verify();
    expect(r.findings).toEqual([]);
    expect(r.ties.every((x) => x.ok)).toBe(true);
    const pick = (name: string) => {
      const x = tie(r, name)!;
      return { ok: x.ok, expected: x.expected, actual: x.actual };
    };
    // 1,000.00 + 100.00 + 30.00 + 20.00 + 55.50 − 25.00 on 20 November.
    expect(pick('bank_statement')).toEqual({ ok: true, expected: '118050', actual: '118050' });
    expect(tie(r, 'bank_statement')!.name).toMatch(/^bank_statement:571900000010101:2026-11-20:\d+$/);
    // 55.50 nobody claimed + 30.00 matched to a request not yet approved.
    expect(pick('unallocated_receipts')).toEqual({ ok: true, expected: '8550', actual: '8550' });
    expect(tie(r, 'unallocated_receipts')!.about).toMatchObject({ unallocated: '5550', waiting: '3000', writtenOff: '0' });
    // 100.00 + 20.00 credited, 20.00 reversed.
    expect(pick('customer_prepayments')).toEqual({ ok: true, expected: '10000', actual: '10000' });
    expect(pick('refunds_payable')).toEqual({ ok: true, expected: '2000', actual: '2000' });
    // Zhang's 1,000 coins for 100.00; Li's 200 came back with the reversal.
    expect(pick('wallet_control:RECHARGE_COIN')).toEqual({ ok: true, expected: '1000', actual: '1000' });
    expect(pick('wallet_movements:RECHARGE_COIN')).toEqual({ ok: true, expected: '1000', actual: '1000' });
    expect(pick('wallet_movements:EARNINGS_COIN')).toEqual({ ok: true, expected: '0', actual: '0' });
    expect(pick('invoice_reservations')).toEqual({ ok: true, expected: '0', actual: '0' });
    expect(tie(r, 'bank_statement')!.message).toBe(
      `bank account 571900000010101 on 2026-11-20: the statement (statement.csv) closes at 1,180.50, the books hold 1,180.50`,
    );
  });

  it('a bank line posted on another day than the bank booked it breaks the bank tie on the statement date', async () => {
    const fee = await firstValue(t.anyBooks, "SELECT ledger_transfer_id FROM bank_lines WHERE bank_ref = 'T5'");
    await dropTrigger('transfers', 'transfers_no_update');
    await outside("UPDATE transfers SET business_date = '2026-11-21' WHERE id = ?", fee);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(tie(r, 'bank_statement')).toMatchObject({ ok: false, expected: '118050', actual: '120550' });
    expect(r.findings).toEqual([
      expect.objectContaining({
        check: 'bank_statement',
        message: 'bank account 571900000010101 on 2026-11-20: the statement (statement.csv) closes at 1,180.50, the books hold 1,205.50',
        details: expect.objectContaining({ expected: '118050', actual: '120550', bankAccount: '571900000010101', date: '2026-11-20' }),
      }),
      sealBroken('transfers'),
    ]);
  });

  it('a line allocated without its money moving breaks unallocated receipts', async () => {
    await outside("UPDATE bank_lines SET allocated = 500 WHERE bank_ref = 'T4'");
    const r = await verify();
    expect(tie(r, 'unallocated_receipts')).toMatchObject({ ok: false, expected: '8050', actual: '8550' });
    expect(r.findings.map((f) => f.check)).toEqual(['unallocated_receipts', 'row_seal']); // the edited line no longer matches its seal
    expect(r.findings[0]!.message).toBe(
      'unallocated receipts hold 85.50 but the bank lines leave 80.50 (50.50 unallocated, 30.00 matched and waiting for approval, 0.00 written off and waiting)',
    );
  });

  it('the money leg of a recharge reversed on its own (the old ledger.reverse) breaks prepayments and unallocated receipts', async () => {
    const money = records.get('TIEA0001')!.money_transfer_id;
    await inWriteTx(t.anyBooks, async (tx) => {
      const x = (await tx.sql('SELECT debit_account_id AS d, credit_account_id AS c, amount FROM transfers WHERE id = ?').get(money)) as {
        d: number;
        c: number;
        amount: number;
      };
      expectPosted(
        await createTransfers(
          tx,
          [
            {
              key: 'old-reverse',
              ledger: 1,
              debitAccountId: x.c,
              creditAccountId: x.d,
              amount: x.amount,
              code: 'reversal',
              reversesId: money,
            },
          ],
          {
            now: t.clock.now,
          },
        ),
      );
    });
    const r = await verify();
    expect(tie(r, 'customer_prepayments')).toMatchObject({ ok: false, expected: '10000', actual: '0' });
    expect(tie(r, 'unallocated_receipts')).toMatchObject({ ok: false, expected: '8550', actual: '18550' });
    expect(r.findings.map((f) => f.check).sort()).toEqual(['customer_prepayments', 'unallocated_receipts']);
    expect(r.findings.find((f) => f.check === 'customer_prepayments')!.message).toBe(
      'customer prepayments hold 0.00 but the credited records come to 100.00 (120.00 credited less 20.00 reversed and 0.00 recognised by revenue runs)',
    );
  });

  it('refunds payable that differ from the open refunds are a broken tie', async () => {
    await outside("UPDATE refunds SET amount = 1500 WHERE status = 'payable'");
    const r = await verify();
    expect(tie(r, 'refunds_payable')).toMatchObject({ ok: false, expected: '1500', actual: '2000' });
    expect(r.findings).toEqual(refundEditedOutside('20.00', '15.00'));
  });

  it('coins moved between wallets without a movement break each wallet against its records, while the control still holds', async () => {
    await inWriteTx(t.anyBooks, async (tx) =>
      expectPosted(
        await createTransfers(
          tx,
          [{ key: 'stray', ledger: 2, debitAccountId: wallets.zhang, creditAccountId: wallets.li, amount: 300, code: 'customer_transfer' }],
          { now: t.clock.now },
        ),
      ),
    );
    const r = await verify();
    expect(tie(r, 'wallet_control:RECHARGE_COIN')).toMatchObject({ ok: true });
    const w = tie(r, 'wallet_movements:RECHARGE_COIN')!;
    expect(w).toMatchObject({ ok: false, expected: '1000', actual: '1000' });
    expect(w.broken).toEqual([
      { ref: 'ACC-1', expected: '1000', actual: '700' },
      { ref: 'ACC-2', expected: '0', actual: '300' },
    ]);
    expect(r.findings.map((f) => f.check)).toEqual(['wallet_movements']);
    expect(r.findings[0]!.message).toMatch(/2 of 2 wallets differ.*account ACC-1 holds 700 coins, its records and movements come to 1000/);
  });

  it('coins put in a wallet from nowhere break the control tie and the wallet tie', async () => {
    await outside('UPDATE accounts SET credits_posted = credits_posted + 5 WHERE id = ?', wallets.zhang);
    const r = await verify();
    expect(tie(r, 'wallet_control:RECHARGE_COIN')).toMatchObject({ ok: false, expected: '1000', actual: '1005' });
    expect(r.findings.map((f) => f.check)).toEqual(expect.arrayContaining(['wallet_control', 'wallet_movements']));
  });

  it('a record reserved and invoiced beyond its money breaks the invoicing tie', async () => {
    await dropTrigger('recharge_records', 'recharge_records_invoice_cap');
    await outside('UPDATE recharge_records SET invoice_reserved = 4000, invoiced = 7000 WHERE id = ?', records.get('TIEA0001')!.id);
    const r = await verify();
    const x = tie(r, 'invoice_reservations')!;
    expect(x).toMatchObject({ ok: false, expected: '0', actual: '1000' });
    expect(x.broken).toEqual([{ ref: expect.stringMatching(/^CZ2026-/), expected: '10000', actual: '11000' }]);
    expect(r.findings.map((f) => f.check)).toEqual(['invoice_reservations', 'row_seal']);
    expect(r.findings[0]!.message).toMatch(
      /1 recharge record\(s\) reserved or invoiced beyond their money by 10\.00 \(first: CZ2026-\d+ reserved and invoiced 110\.00 of 100\.00\)/,
    );
  });
});
