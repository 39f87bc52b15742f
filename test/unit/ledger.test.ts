// The ledger's behaviours an accountant relies on, case by case (the model test covers sequences).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openBooks } from '../../main/db/books';
import { MIGRATIONS } from '../../main/db/migrations';
import { inWriteTx, type AnyBooks, type Tx } from '../../main/db/tx';
import { LEDGER } from '../../main/domain/ledgers';
import { createAccount, createTransfers, expectPosted, type TransferInput } from '../../main/services/ledger-post';
import { postReversal, reverseTransfer } from '../../main/services/ledger-actions';
import { trialBalance, listTransfers } from '../../main/services/ledger-read';
import { verifyBooks } from '../../main/services/verify';
import { exportJournal } from '../../main/services/exports';
import type { Actor } from '../../main/services/actor';
import { withScratchBooks } from '../support/books-hooks';
import { firstValue, ON_POSTGRES } from '../support/temp-books';
import { ledgerFindings } from '../support/ledger-findings';

let books: AnyBooks;
let dir: string;
const approver: Actor = { staffId: 7, name: 'approver', role: 'approver' };
let issuance: number, wallet: number, wallet2: number, receipts: number, prepayments: number;

withScratchBooks('each', async (opened) => {
  ({ books, dir } = opened);
  await inWriteTx(books, async (tx) => {
    issuance = ((await tx.sql("SELECT id FROM accounts WHERE code = 'coin_issuance'").get()) as { id: number }).id;
    receipts = ((await tx.sql("SELECT id FROM accounts WHERE code = 'unallocated_receipts'").get()) as { id: number }).id;
    prepayments = ((await tx.sql("SELECT id FROM accounts WHERE code = 'customer_prepayments'").get()) as { id: number }).id;
    wallet = await createAccount(tx, {
      ledger: LEDGER.RECHARGE_COIN,
      code: 'recharge_wallet',
      name: '张三 充值账户',
      ownerKind: 'account',
      ownerId: 1,
      flags: 1,
    });
    wallet2 = await createAccount(tx, {
      ledger: LEDGER.RECHARGE_COIN,
      code: 'recharge_wallet',
      name: '张三 充值账户 2',
      ownerKind: 'account',
      ownerId: 2,
      flags: 1,
    });
  });
});

const post = (inputs: TransferInput[]) => inWriteTx(books, async (tx: Tx) => createTransfers(tx, inputs));
const balance = (id: number) =>
  books
    .sql('SELECT debits_pending AS dpe, debits_posted AS dpo, credits_pending AS cpe, credits_posted AS cpo FROM accounts WHERE id = ?')
    .get(id);
const transfers = () => firstValue(books, 'SELECT count(*) AS n FROM transfers');

describe('single transfers', () => {
  it('move coins and keep every ledger balanced', async () => {
    const [r] = await post([
      { key: 'credit-1', ledger: LEDGER.RECHARGE_COIN, debitAccountId: issuance, creditAccountId: wallet, amount: 1000, code: 'recharge' },
    ]);
    expect(r).toMatchObject({ result: 'ok', id: 1 });
    expect(await balance(wallet)).toEqual({ dpe: 0, dpo: 0, cpe: 0, cpo: 1000 });
    const tb = (await trialBalance(books)).find((l) => l.ledger === LEDGER.RECHARGE_COIN)!;
    expect(tb.balanced).toBe(true);
    expect(tb.totals.debitsPosted).toBe(1000n);
    expect(ledgerFindings(await verifyBooks(books))).toEqual([]);
  });

  it('never let a wallet go negative: exceeds_credits, nothing written', async () => {
    await post([{ key: 'c', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 100, code: 'recharge' }]);
    const [r] = await post([{ key: 'move', ledger: 2, debitAccountId: wallet, creditAccountId: wallet2, amount: 101, code: 'transfer' }]);
    expect(r!.result).toBe('exceeds_credits');
    expect(await balance(wallet)).toEqual({ dpe: 0, dpo: 0, cpe: 0, cpo: 100 });
    expect(await transfers()).toBe(1);
  });

  it('refuse crossing ledgers by construction', async () => {
    const [r] = await post([{ key: 'x', ledger: 2, debitAccountId: receipts, creditAccountId: wallet, amount: 1, code: 'x' }]);
    expect(r!.result).toBe('accounts_must_have_the_same_ledger');
  });

  it('are idempotent by key: a replay is "exists", other content names the difference', async () => {
    const t = { key: 'event-42', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 50, code: 'recharge' };
    await post([t]);
    const [again] = await post([t]);
    expect(again).toMatchObject({ result: 'exists', id: 1 });
    const [other] = await post([{ ...t, amount: 51 }]);
    expect(other!.result).toBe('exists_with_different_amount');
    expect(await balance(wallet)).toMatchObject({ cpo: 50 });
  });
});

describe('linked chains', () => {
  it('post money and coins together, or neither', async () => {
    await post([
      {
        key: 'bank',
        ledger: 1,
        debitAccountId: await firstValue(books, "SELECT id FROM accounts WHERE code = 'suspense'"),
        creditAccountId: receipts,
        amount: 12_880,
        code: 'bank_in',
      },
    ]);
    const chain = (key: string, fen: number, coins: number): TransferInput[] => [
      {
        key: `${key}:money`,
        ledger: 1,
        debitAccountId: receipts,
        creditAccountId: prepayments,
        amount: fen,
        code: 'approve',
        linked: true,
      },
      { key: `${key}:coins`, ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: coins, code: 'approve' },
    ];
    expect((await post(chain('a', 12_880, 1288))).map((r) => r.result)).toEqual(['ok', 'ok']);
    // Second chain: the coin leg is fine but the money leg is not: neither happens.
    const bad: TransferInput[] = [
      { key: 'b:coins', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 5, code: 'approve', linked: true },
      { key: 'b:spend', ledger: 2, debitAccountId: wallet2, creditAccountId: issuance, amount: 5, code: 'approve' },
    ];
    expect((await post(bad)).map((r) => r.result)).toEqual(['linked_event_failed', 'exceeds_credits']);
    expect(await balance(wallet)).toMatchObject({ cpo: 1288 });
    const chainIds = await books.sql('SELECT DISTINCT chain_id FROM transfers WHERE chain_id IS NOT NULL').all();
    expect(chainIds).toEqual([{ chain_id: 2 }]);
    expect(ledgerFindings(await verifyBooks(books))).toEqual([]);
  });

  it('a chain left open at the end of a batch fails whole', async () => {
    const r = await post([
      { key: 'open', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 5, code: 'x', linked: true },
    ]);
    expect(r[0]!.result).toBe('linked_event_chain_open');
    expect(await balance(wallet)).toMatchObject({ cpo: 0 });
  });
});

describe('two-phase transfers', () => {
  it('reserve, then post part and release the rest; a second post or void is refused', async () => {
    await post([{ key: 'fund', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 100, code: 'recharge' }]);
    const [p] = await post([
      { key: 'hold', kind: 'pending', ledger: 2, debitAccountId: wallet, creditAccountId: wallet2, amount: 60, code: 'hold' },
    ]);
    expect(await balance(wallet)).toEqual({ dpe: 60, dpo: 0, cpe: 0, cpo: 100 });
    const [spendMore] = await post([{ key: 'more', ledger: 2, debitAccountId: wallet, creditAccountId: wallet2, amount: 41, code: 'x' }]);
    expect(spendMore!.result).toBe('exceeds_credits');
    const [posted] = await post([{ key: 'post', kind: 'post', pendingId: p!.id!, amount: 45, code: 'hold' }]);
    expect(posted!.result).toBe('ok');
    expect(await balance(wallet)).toEqual({ dpe: 0, dpo: 45, cpe: 0, cpo: 100 });
    const again = await post([
      { key: 'post-2', kind: 'post', pendingId: p!.id!, code: 'hold' },
      { key: 'void-2', kind: 'void', pendingId: p!.id!, code: 'hold' },
    ]);
    expect(again.map((r) => r.result)).toEqual(['pending_transfer_already_posted', 'pending_transfer_already_posted']);
    expect(ledgerFindings(await verifyBooks(books))).toEqual([]);
  });
});

describe('posted CNY amounts by month (account_months, read by the month-end reports)', () => {
  const months = (id: number) =>
    books.sql('SELECT month, debits_posted AS d, credits_posted AS c FROM account_months WHERE account_id = ? ORDER BY month').all(id);

  it('follow every posting in its business month: a failed chain, a pending amount and a void add nothing', async () => {
    const cny = (key: string, amount: number, date: string, more: Partial<TransferInput> = {}) =>
      ({ key, ledger: 1, debitAccountId: receipts, creditAccountId: prepayments, amount, code: 'x', date, ...more }) as TransferInput;
    const [a, b] = await post([cny('a', 1_000, '2026-10-31'), cny('b', 250, '2026-11-01')]);
    // A chain whose coin leg fails: its money leg is rolled back, and so is its month's amount.
    const chain = await post([
      cny('c', 500, '2026-11-02', { linked: true }),
      { key: 'c:coins', ledger: 2, debitAccountId: wallet, creditAccountId: wallet2, amount: 5, code: 'x' },
    ]);
    expect(chain.map((r) => r.result)).toEqual(['linked_event_failed', 'exceeds_credits']);
    const [p, q] = await post([cny('p', 400, '2026-11-03', { kind: 'pending' }), cny('q', 200, '2026-11-03', { kind: 'pending' })]);
    await post([
      { key: 'p:post', kind: 'post', pendingId: p!.id!, amount: 300, code: 'x', date: '2026-11-05' },
      { key: 'q:void', kind: 'void', pendingId: q!.id!, code: 'x', date: '2026-11-05' },
      {
        key: 'b:rev',
        ledger: 1,
        debitAccountId: prepayments,
        creditAccountId: receipts,
        amount: 250,
        code: 'x',
        reversesId: b!.id!,
        date: '2026-12-01',
      },
    ]);
    expect(a!.result).toBe('ok');
    // receipts: Dr 1,000 in October; Dr 250 (b) + 300 (the posted part of p) = 550 in November; Cr 250 (b reversed) in December.
    expect(await months(receipts)).toEqual([
      { month: '2026-10', d: 1_000, c: 0 },
      { month: '2026-11', d: 550, c: 0 },
      { month: '2026-12', d: 0, c: 250 },
    ]);
    expect(await months(prepayments)).toEqual([
      { month: '2026-10', d: 0, c: 1_000 },
      { month: '2026-11', d: 0, c: 550 },
      { month: '2026-12', d: 250, c: 0 },
    ]);
    // Kept balances are the months' sums: receipts Dr 1,550 / Cr 250.
    expect(await balance(receipts)).toMatchObject({ dpo: 1_550, cpo: 250 });
    expect(ledgerFindings(await verifyBooks(books))).toEqual([]);
  });

  // Books from before migration 21 are SQLite files; PostgreSQL books are made from the whole migration list.
  it.skipIf(ON_POSTGRES)('are summed from the transfers already there when books from before migration 21 open', async () => {
    const file = path.join(dir, 'v20.books.sqlite');
    const old = await openBooks(file, { create: true, migrations: MIGRATIONS.filter((m) => m.version < 21) });
    const id = (code: string) => (old.raw.prepare('SELECT id FROM accounts WHERE ledger = 1 AND code = ?').get(code) as { id: number }).id;
    const [dr, cr] = [id('unallocated_receipts'), id('customer_prepayments')];
    old.raw.exec(`BEGIN;
      INSERT INTO vouchers (id, period, number, date, summary, source, status, prepared_at) VALUES
        (1, '2026-10', 1, '2026-10-31', 'x', 'bank_in', 'posted', 0), (2, '2026-11', 1, '2026-11-02', 'x', 'bank_in', 'posted', 0);
      INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, code, ts, business_date, voucher_id) VALUES
        ('a', 1, ${dr}, ${cr}, 1000, 'single', 'x', 0, '2026-10-31', 1), ('b', 1, ${dr}, ${cr}, 300, 'single', 'x', 0, '2026-11-02', 2),
        ('p', 1, ${dr}, ${cr}, 50, 'pending', 'x', 0, '2026-11-02', 2);
      UPDATE accounts SET debits_posted = 1300, debits_pending = 50 WHERE id = ${dr};
      UPDATE accounts SET credits_posted = 1300, credits_pending = 50 WHERE id = ${cr};
      COMMIT;`);
    await old.close();
    const upgraded = await openBooks(file);
    try {
      const rows = upgraded.raw
        .prepare('SELECT account_id AS a, month, debits_posted AS d, credits_posted AS c FROM account_months ORDER BY month, a')
        .all();
      // The pending 50 is not posted: 1,000 in October and 300 in November on each side.
      expect(rows).toEqual([
        { a: dr, month: '2026-10', d: 1000, c: 0 },
        { a: cr, month: '2026-10', d: 0, c: 1000 },
        { a: dr, month: '2026-11', d: 300, c: 0 },
        { a: cr, month: '2026-11', d: 0, c: 300 },
      ]);
      expect(ledgerFindings(await verifyBooks(upgraded))).toEqual([]);
    } finally {
      await upgraded.close();
    }
  });

  it('are proved by verify against the transfers: a month changed by hand is named with both figures', async () => {
    await post([
      { key: 'a', ledger: 1, debitAccountId: receipts, creditAccountId: prepayments, amount: 1_000, code: 'x', date: '2026-11-20' },
    ]);
    await books.sql("UPDATE account_months SET debits_posted = 1001 WHERE account_id = ? AND month = '2026-11'").run(receipts);
    // async: SQLite's statement throws as it runs, PostgreSQL's rejects.
    await expect(async () => books.sql('UPDATE account_months SET debits_posted = 999 WHERE account_id = ?').run(receipts)).rejects.toThrow(
      /only grow/,
    );
    await expect(async () => books.sql('DELETE FROM account_months').run()).rejects.toThrow(/never deleted/);
    const found = (await verifyBooks(books)).findings.filter((f) => f.check === 'account_balance');
    expect(found).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('kept debits 1001 and credits 0 posted in 2026-11 but its transfers dated then sum to 1000 and 0'),
        details: expect.objectContaining({ accountId: receipts, month: '2026-11', kept: ['1001', '0'], fromTransfers: ['1000', '0'] }),
      }),
    ]);
  });
});

describe('reversal', () => {
  it('is refused through ledger.reverse for a posting a business action made, naming the action that undoes it', async () => {
    await post([{ key: 'c', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 70, code: 'recharge_wallet' }]);
    await expect(inWriteTx(books, (tx) => reverseTransfer(tx, approver, 1, 'credited the wrong customer'))).rejects.toMatchObject({
      code: 'REFUSED',
      details: { reason: 'undo_by_action', params: { transferId: '1', action: 'reverse_recharge' } },
    });
    await post([{ key: 'b', ledger: 1, debitAccountId: 1, creditAccountId: 2, amount: 141_600, code: 'bank_in' }]);
    await expect(inWriteTx(books, (tx) => reverseTransfer(tx, approver, 2, 'typo'))).rejects.toMatchObject({
      details: { reason: 'undo_by_action', params: { action: 'bank_reversal' } },
    });
    expect(await transfers()).toBe(2);
    expect(ledgerFindings(await verifyBooks(books))).toEqual([]);
  });

  it('inside a business action is the only correction: swapped accounts, linked to the original, once', async () => {
    await post([{ key: 'c', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 70, code: 'recharge' }]);
    const revId = await inWriteTx(books, async (tx) => postReversal(tx, approver, 1, 'credited the wrong customer', Date.now()));
    const { rows } = await listTransfers(books, { limit: 10 });
    expect(rows.find((t) => t.id === revId)).toMatchObject({
      reversesId: 1,
      debitAccountId: wallet,
      creditAccountId: issuance,
      amount: 70,
    });
    expect(await balance(wallet)).toEqual({ dpe: 0, dpo: 70, cpe: 0, cpo: 70 });
    // A retried action replays its key: the same reversal, nothing posted twice.
    expect(await inWriteTx(books, async (tx) => postReversal(tx, approver, 1, 'again', Date.now()))).toBe(revId);
    expect(await transfers()).toBe(2);
    expect(rows.find((t) => t.id === 1)!.reversedById).toBe(revId);
  });

  it('is refused when the coins have been spent, and nothing is written', async () => {
    await post([
      { key: 'c', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 70, code: 'recharge' },
      { key: 'spend', ledger: 2, debitAccountId: wallet, creditAccountId: wallet2, amount: 50, code: 'transfer' },
    ]);
    await expect(inWriteTx(books, async (tx) => postReversal(tx, approver, 1, 'chargeback', Date.now()))).rejects.toMatchObject({
      code: 'LEDGER',
      details: { code: 'exceeds_credits' },
    });
    expect(await transfers()).toBe(2);
  });
});

describe('transfer list', () => {
  it('pages by key from newest to oldest with filters', async () => {
    const inputs: TransferInput[] = Array.from({ length: 25 }, (_, i) => ({
      key: `k${i}`,
      ledger: 2,
      debitAccountId: issuance,
      creditAccountId: i % 2 ? wallet : wallet2,
      amount: i + 1,
      code: 'recharge',
    }));
    await post(inputs);
    const p1 = await listTransfers(books, { limit: 10 });
    expect(p1.rows.map((r) => r.id)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    const p3 = await listTransfers(books, { limit: 10, beforeId: 6 });
    expect(p3.rows.map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
    expect(p3.nextBeforeId).toBeNull();
    const mine = await listTransfers(books, { limit: 50, accountId: wallet, minAmount: 10 });
    expect(mine.rows.every((r) => r.creditAccountId === wallet && r.amount >= 10)).toBe(true);
    expect(mine.rows).toHaveLength(8);
  });

  it("pages one account's history across the index's epochs without skipping or repeating a transfer", async () => {
    // 2^16 transfers make an epoch (db/migrations.ts): 70,000 reach into the second one. The wallet
    // takes part in a sparse, uneven subset on both sides, including the transfers at the boundary.
    const inputs: TransferInput[] = [];
    const expected: number[] = [];
    for (let i = 1; i <= 70_000; i++) {
      const mine = i % 997 === 0 || (i >= 65_530 && i <= 65_540) || i === 1;
      const toWallet = i % 2 === 0 || i === 1; // the wallet is credited before it is debited
      inputs.push({
        key: `e${i}`,
        ledger: 2,
        debitAccountId: mine && !toWallet ? wallet : issuance,
        creditAccountId: mine && !toWallet ? issuance : mine ? wallet : wallet2,
        amount: mine && !toWallet ? 1 : 10,
        code: 'recharge',
      });
      if (mine) expected.unshift(i);
    }
    for (let i = 0; i < inputs.length; i += 8_000) expectPosted(await post(inputs.slice(i, i + 8_000)));
    const seen: number[] = [];
    let beforeId: number | undefined;
    do {
      const page = await listTransfers(books, { limit: 7, accountId: wallet, ...(beforeId !== undefined ? { beforeId } : {}) });
      seen.push(...page.rows.map((r) => r.id));
      beforeId = page.nextBeforeId ?? undefined;
    } while (beforeId !== undefined);
    expect(seen).toEqual(expected);
    const fromBoundary = await listTransfers(books, { limit: 3, accountId: wallet, beforeId: 65_537 });
    expect(fromBoundary.rows.map((r) => r.id)).toEqual([65_536, 65_535, 65_534]);
  }, 60_000);
});

describe('journal export', () => {
  it('writes a journal whose entries balance, CNY in yuan and coins as their own commodities', async () => {
    await post([
      {
        key: 'm',
        ledger: 1,
        debitAccountId: receipts,
        creditAccountId: prepayments,
        amount: 128_800,
        code: 'approve',
        memo: 'line\nbreak; and semicolon',
      },
      { key: 'c', ledger: 2, debitAccountId: issuance, creditAccountId: wallet, amount: 12_880, code: 'approve' },
    ]);
    const file = path.join(dir, 'out.journal');
    const r = await exportJournal(books, file, books.path);
    expect(r.transfers).toBe(2);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('负债:2241 其他应付款:224101 未分配收款  1288.00 CNY');
    expect(text).toContain('负债:2204 合同负债  -1288.00 CNY');
    expect(text).toContain(`RECHARGE_COIN:recharge_wallet:${wallet}  -12880 RCOIN`);
    expect(text).toMatch(/\* \(记-\d{4}-\d{2}-0001\) approve #1 line break and semicolon/);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
