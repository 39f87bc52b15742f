// Bank reversals (冲正) netted against the line they undo: at import, by the bank's reference or the
// nearest earlier line of the same counterparty; the books move the pair off unallocated receipts and
// suspense; a reversal of a line already matched waits for the accountant, who unmatches then nets.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairReversal } from '../../main/domain/reversals';
import { withBankDesk } from '../support/books-hooks';
import { type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement, type Payer } from '../support/recharge-fixtures';

let t: TestApi;
let zhang: Payer;
const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
withBankDesk({}, ['张伟'], (desk) => ([t, zhang] = desk));

const zhangCp = () => ({ counterparty: { name: '张伟', account: zhang.card } });
/** Rows of a query, on either engine's books. */
const rows = (query: string, ...args: unknown[]) => t.anyBooks.sql(query).all(...args) as Promise<Record<string, unknown>[]>;
/** One row's first column, on either engine's books. */
const one = async (query: string, ...args: unknown[]) => Object.values((await rows(query, ...args))[0] ?? {})[0];
const account = (code: string) => one('SELECT credits_posted - debits_posted FROM accounts WHERE code = ? AND owner_kind IS NULL', code);
type Line = {
  id: number;
  lineNo: number;
  reversalStatus: string | null;
  nettedWith: number | null;
  reversalNote: string | null;
  reversal: boolean;
};
const lines = () => t.call('auditor', 'statements.lines', { statementId: 1 });
// reconcile.queue answers untyped SQL rows in the contract ({}): the reversal tab's fields read here.
type ReversalRow = Line & {
  originalId: number | null;
  originalRequests: string;
  originalRequestIds: string;
  originalAllocationIds: string;
};
const reversalsQueue = async () => (await t.call('clerk', 'reconcile.queue', { tab: 'reversals' })) as ReversalRow[];
const counts = () => t.call('auditor', 'reconcile.queueCounts');
const auditActions = async () => (await rows('SELECT action FROM audit ORDER BY id')).map((a) => a.action);

describe('pairing a reversal with its original (pure)', () => {
  const r = { id: 9, amount: -500, counterpartyAccount: '6222', counterpartyName: '张伟', text: '冲正 SN0001' };
  const c = (id: number, over: object = {}) => ({
    id,
    lineNo: id,
    amount: 500,
    allocated: 0,
    bankRef: null,
    counterpartyAccount: '6222',
    counterpartyName: '张伟',
    ...over,
  });
  it('the quoted bank reference wins over the nearest line', () =>
    expect(pairReversal(r, [c(3), c(2, { bankRef: 'SN0001', counterpartyAccount: '9999' })])).toEqual({
      kind: 'net',
      originalId: 2,
      by: 'bank_ref',
    }));
  it('else the nearest unmatched line of the same counterparty and amount', () =>
    expect(pairReversal(r, [c(5, { allocated: 500 }), c(4, { amount: 400 }), c(3, { counterpartyAccount: '7777' }), c(2)])).toEqual({
      kind: 'net',
      originalId: 2,
      by: 'counterparty',
    }));
  it('by name when either side has no account', () =>
    expect(pairReversal({ ...r, counterpartyAccount: null, counterpartyName: '张 伟' }, [c(2)])).toMatchObject({ kind: 'net' }));
  it('only a matched candidate: the accountant decides', () =>
    expect(pairReversal(r, [c(5, { allocated: 100 })])).toEqual({ kind: 'review', originalId: 5, by: 'counterparty' }));
  it('no counterparty on the reversal, or none fits: unpaired', () => {
    expect(pairReversal({ ...r, counterpartyAccount: null, counterpartyName: null, text: '冲正' }, [c(2)])).toEqual({ kind: 'unpaired' });
    expect(pairReversal(r, [c(2, { amount: -500 })])).toEqual({ kind: 'unpaired' });
  });
});

describe('at import', () => {
  it('nets a returned transfer with its original: neither is matched, unallocated receipts and suspense are both cleared', async () => {
    await request(t, zhang, '500.00');
    const result = await importStatement(
      t,
      statement(
        [
          line(day(20), '500.00', { ...zhangCp(), bank_ref: 'SN0001' }),
          line(day(20), '88.00', { bank_ref: 'SN0002' }),
          line(day(21), '-500.00', { ...zhangCp(), bank_ref: 'SN0003', memo: '冲正', reversal: true }),
        ],
        { opening: { date: day(19), amount: '0.00' }, closing: { date: day(21), amount: '88.00' } },
      ),
    );
    expect(result.reversals).toEqual({ netted: 1, review: 0, unpaired: 0 });
    expect(await account('unallocated_receipts')).toBe(8_800);
    expect(await account('suspense')).toBe(0);
    const ls = await lines();
    expect(ls.map((l) => [l.lineNo, l.reversal, l.reversalStatus, l.nettedWith])).toEqual([
      [1, false, 'netted', ls[2]!.id],
      [2, false, null, null],
      [3, true, 'netted', ls[0]!.id],
    ]);
    // the request stays unpaid: the money went back
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ allocated: 0, suggested: 0, linesConsidered: 1 });
    expect(await counts()).toMatchObject({ unmatchedLines: 1, reversals: 0, unpaidRequests: 1 });
    const report = await t.call('auditor', 'reconcile.report', {
      bankAccountId: 1,
    });
    expect(report.totals).toMatchObject({ unmatched: 8_800, netted: 50_000 });
    expect(report.proof!.agrees).toBe(true);
    expect((await auditActions()).slice(-2)).toEqual(['statement.import', 'bank_line.reversal_net']);
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
    // netted lines are refused by hand too
    await expect(t.call('clerk', 'reconcile.match', { lineId: ls[0]!.id, requestId: 1, amount: '50000' })).rejects.toThrow(
      /netted with its reversal \(冲正\) line/,
    );
  });

  it('a money-out line returned by the bank (冲正 money in) nets against suspense, and finds its original in an earlier statement', async () => {
    await importStatement(t, statement([line(day(20), '-200.00', { counterparty: { name: '钱七', account: '6212261234567890123' } })]));
    expect(await account('suspense')).toBe(-20_000);
    const second = await importStatement(
      t,
      statement([
        line(day(21), '200.00', { counterparty: { name: '钱七', account: '6212261234567890123' }, memo: '跨行转出冲正', reversal: true }),
      ]),
      'next.csv',
    );
    expect(second.reversals).toMatchObject({ netted: 1 });
    expect(await account('suspense')).toBe(0);
    expect(await account('unallocated_receipts')).toBe(0);
    expect(await counts()).toMatchObject({ unmatchedLines: 0, reversals: 0 });
  });

  it('a reversal with nothing to net stays in the queue as unpaired, and is never matched', async () => {
    await request(t, zhang, '300.00');
    await importStatement(t, statement([line(day(20), '300.00', { ...zhangCp(), memo: '冲正', reversal: true })]));
    expect(await counts()).toMatchObject({ reversals: 1, unmatchedLines: 0 });
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ allocated: 0, suggested: 0 });
    const [q] = await reversalsQueue();
    expect(q).toMatchObject({ reversalStatus: 'unpaired', originalId: null, reversalNote: expect.stringMatching(/no earlier line/) });
    await expect(t.call('clerk', 'reconcile.netReversal', { lineId: q!.id })).rejects.toThrow(/cannot be netted: no earlier line/);
  });
});

describe('a reversal of a line already matched to a request', () => {
  it('waits for the accountant with the reason; unmatching the original nets it; the request is unpaid again', async () => {
    const req = await request(t, zhang, '500.00', 'ZW8K3P2Q');
    await importStatement(t, statement([line(day(20), '500.00', { ...zhangCp(), memo: '充值 ZW8K3P2Q', bank_ref: 'SN0001' })]));
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ allocated: 1 });
    const r = await importStatement(
      t,
      statement([line(day(22), '-500.00', { ...zhangCp(), memo: '冲正 原流水 SN0001', reversal: true, bank_ref: 'SN0009' })]),
      'later.csv',
    );
    expect(r.reversals).toEqual({ netted: 0, review: 1, unpaired: 0 });
    // not netted silently: unallocated receipts still pay the request; the reversal sits in suspense
    expect(await account('suspense')).toBe(-50_000);
    const [q] = await reversalsQueue();
    expect(q).toMatchObject({ reversalStatus: 'review', originalRequests: req.request_id });
    expect(q!.reversalNote).toMatch(/statement\.csv line 1, 2026-11-20, bank ref SN0001\) is matched to request .*: unmatch it first/);
    await expect(t.call('clerk', 'reconcile.netReversal', { lineId: q!.id })).rejects.toThrow(/cannot be netted: the reversed line/);
    // a reconcile run changes nothing while the original is matched
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ reversalsNetted: 0, allocated: 0 });

    // unmatching the original (the step the queue asks for) nets the pair at once
    await t.call('clerk', 'reconcile.unmatch', { allocationId: Number(q!.originalAllocationIds), reason: '银行冲正，款项已退回' });
    expect((await auditActions()).slice(-2)).toEqual(['reconcile.unmatch', 'bank_line.reversal_net']);
    const after = await lines();
    expect(after.map((l) => l.reversalStatus)).toEqual(['netted']);
    await expect(t.call('clerk', 'reconcile.netReversal', { lineId: q!.id })).rejects.toThrow(/already netted with line/);
    expect(await account('suspense')).toBe(0);
    expect(await account('unallocated_receipts')).toBe(0);
    expect(await counts()).toMatchObject({ reversals: 0, unmatchedLines: 0, unpaidRequests: 1 });
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ allocated: 0 });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });

  it('several allocations on the original: netted by the last unmatch, or by hand, or by the next run, never re-matched', async () => {
    const a = await request(t, zhang, '300.00', 'ZW8K3P2Q');
    const b = await request(t, zhang, '200.00', 'ZW9K3P2R');
    await importStatement(t, statement([line(day(20), '500.00', { ...zhangCp(), memo: '充值' })]));
    await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '30000' });
    await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: b.id, amount: '20000' });
    await importStatement(t, statement([line(day(21), '-500.00', { ...zhangCp(), memo: '冲正', reversal: true })]), 'later.csv');
    expect(await counts()).toMatchObject({ reversals: 1 });
    const ids = (await rows("SELECT id FROM allocations WHERE status = 'active' ORDER BY id")).map((x) => x.id as number);
    // the queue names both requests, their ids and references in the same order, for the console to pair
    expect((await reversalsQueue())[0]).toMatchObject({
      originalAllocationIds: ids.join(','),
      originalRequestIds: `${a.id},${b.id}`,
      originalRequests: `${a.request_id}, ${b.request_id}`,
    });
    await t.call('clerk', 'reconcile.unmatch', { allocationId: ids[0]!, reason: '银行冲正' });
    // still partly matched: the reversal still waits, and the reason now names only the other request
    const [q] = await reversalsQueue();
    expect(q).toMatchObject({ reversalStatus: 'review', originalRequests: b.request_id });
    expect(q!.reversalNote).toContain(`is matched to request ${b.request_id}:`);
    await t.call('clerk', 'reconcile.unmatch', { allocationId: ids[1]!, reason: '银行冲正' });
    expect(await counts()).toMatchObject({ reversals: 0, unmatchedLines: 0 });
    expect(await t.runJob('clerk', 'reconcile.run')).toMatchObject({ allocated: 0, reversalsNetted: 0 });
    expect(await one("SELECT count(*) FROM allocations WHERE status = 'active'")).toBe(0);
  });
});

describe('the Chinese fixtures', () => {
  it('the corporate CSV nets 王五 2,000.00 with its red-letter 冲正 at import', async () => {
    const { commitStatementFile } = await import('../../main/services/statement-import');
    const { inWriteTx } = await import('../../main/db/tx');
    await inWriteTx(t.anyBooks, (tx) => tx.sql("UPDATE bank_accounts SET account_number = '1001010109000012345'").run());
    const actor = { staffId: 1, name: 'admin', role: 'admin' as const };
    const r = await inWriteTx(t.anyBooks, (tx) =>
      commitStatementFile(tx, actor, path.resolve('test/fixtures/statements/cn/corporate.utf8.csv'), { now: t.clock.now }),
    );
    expect(r.statements[0]?.reversals).toEqual({ netted: 1, review: 0, unpaired: 0 });
    const netted = await rows('SELECT line_no AS n, amount FROM bank_lines WHERE netted_with IS NOT NULL ORDER BY line_no');
    expect(netted).toEqual([
      { n: 6, amount: 200_000 },
      { n: 7, amount: -200_000 },
    ]);
  });
});
