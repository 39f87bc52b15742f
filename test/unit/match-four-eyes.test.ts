// Four eyes on matching: a rule with a four-eyes threshold holds its matches — by the rules, by
// confirming a suggestion, by hand — and unmatches of what it covers for a second staff user. The
// proposer may not confirm, a clerk may not confirm, a stale proposal is refused, a decline moves no
// money and frees both sides, and a confirmation allocates exactly once. Every step is audited.
import { describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '../../main/api/contract';
import { DEFAULT_RULES, type MatchRule } from '../../main/domain/matching';
import { ApiError } from '../../renderer/src/api/coffer';
import { errorText } from '../../renderer/src/app/errors';
import { translate, type MessageKey } from '../../renderer/src/i18n';
import { withBankDesk } from '../support/books-hooks';
import { requestPage, type ExtraStaff } from '../support/desk';
import { type TestApi } from '../support/temp-books';
import { importStatement, line, request, statement, type Payer } from '../support/recharge-fixtures';

let t: TestApi;
let zhang: Payer, li: Payer;
const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;

/** The default rules, with four eyes on the reference-code rules from this amount (fen). */
async function useRules(rules: MatchRule[]) {
  const change = await t.call('admin', 'settings.propose', {
    key: 'matching.rules',
    value: rules,
    effectiveFrom: t.clock.now,
    reason: '大额对账需复核',
  });
  await t.call('admin2', 'settings.decide', { id: change.id, decision: 'confirmed' });
}
const fourEyesOnCodes = (fromFen: number): MatchRule[] =>
  DEFAULT_RULES.map((r) => (r.referenceInMemo ? { ...r, fourEyesFromFen: fromFen } : r));

const staff: ExtraStaff[] = [
  { username: 'admin2', displayName: 'admin2', role: 'admin', login: true },
  { username: 'approver2', displayName: 'approver2', role: 'approver', login: true },
];
withBankDesk({ staff }, ['张伟', '李娜'], (desk) => ([t, zhang, li] = desk));

const get = (id: number) => requestPage(t, id);
const run = () => t.runJob('clerk', 'reconcile.run');
// reconcile.queue answers untyped SQL rows in the contract ({}): the awaiting tab's fields read here.
type Proposal = { id: number; kind: string; origin: string; stale: boolean; amount: number; proposedByName: string };
const awaiting = async () => (await t.call('auditor', 'reconcile.queue', { tab: 'awaiting' })) as Proposal[];
const lineAllocated = async (id: number) =>
  ((await t.anyBooks.sql('SELECT allocated FROM bank_lines WHERE id = ?').get(id)) as { allocated: number }).allocated;
const auditActions = async () =>
  (
    (await t.anyBooks.sql("SELECT action, staff_name AS who FROM audit WHERE action LIKE 'reconcile.%' ORDER BY id").all()) as {
      action: string;
      who: string;
    }[]
  ).map((a) => `${a.action} ${a.who}`);

describe('four eyes on matching', () => {
  it('a rule match at or above the threshold waits; the proposer and a clerk may not confirm; another approver confirms it exactly once', async () => {
    await useRules(fourEyesOnCodes(100_000));
    const big = await request(t, zhang, '1288.00', 'BIGPAY12');
    const small = await request(t, li, '88.00', 'SMALL123');
    await importStatement(
      t,
      statement([line(day(20), '1288.00', { memo: '充值 BIGPAY12' }), line(day(20), '88.00', { memo: 'SMALL123', bank_ref: 'S1' })]),
    );
    expect(await run()).toMatchObject({ allocated: 1, proposed: 1 });
    // The small one is matched; the big one moved no money and waits.
    expect((await get(small.id)).request.status).toBe('matched');
    expect((await get(big.id)).request).toMatchObject({ status: 'submitted', covered: '0' });
    expect(await lineAllocated(1)).toBe(0);
    const [p] = await awaiting();
    expect(p).toMatchObject({ kind: 'match', origin: 'rule', amount: 128_800, stale: false, proposedByName: 'clerk' });
    // Running again proposes nothing twice and matches nothing.
    expect(await run()).toMatchObject({ allocated: 0, proposed: 0 });
    expect(await awaiting()).toHaveLength(1);

    // Not an approver: refused at the border with the role and who may.
    await expect(t.call('clerk', 'reconcile.confirmProposal', { proposalId: p!.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'role_forbidden', params: { method: 'reconcile.confirmProposal', role: 'clerk', allowed: 'approver' } },
    });
    const confirmed = await t.call('approver', 'reconcile.confirmProposal', { proposalId: p!.id });
    const after = await get(big.id);
    expect(after.request).toMatchObject({ status: 'matched', covered: '128800' });
    expect(after.allocations).toEqual([
      expect.objectContaining({
        id: confirmed.allocationId,
        status: 'active',
        rule: 'reference code + exact amount',
        decidedBy: 'approver',
      }),
    ]);
    expect(await lineAllocated(1)).toBe(128_800);
    // Exactly once: a second confirmation is refused and allocates nothing more.
    await expect(t.call('approver2', 'reconcile.confirmProposal', { proposalId: p!.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already confirmed/),
      details: { reason: 'proposal_confirmed', params: { proposalId: String(p!.id) } },
    });
    expect(await lineAllocated(1)).toBe(128_800);
    expect(await awaiting()).toEqual([]);
    expect(await auditActions()).toEqual(['reconcile.run clerk', 'reconcile.match_confirm approver']);
  });

  it('the proposer may not confirm their own proposal, even as an approver', async () => {
    await useRules(fourEyesOnCodes(0));
    const a = await request(t, zhang, '50.00', 'OWNPROP1');
    await importStatement(t, statement([line(day(20), '50.00', { memo: 'OWNPROP1' })]));
    const r = await t.call('approver', 'reconcile.match', {
      lineId: 1,
      requestId: a.id,
      amount: '5000',
    });
    expect(r).toEqual({ allocationId: null, proposalId: expect.any(Number) });
    await expect(t.call('approver', 'reconcile.confirmProposal', { proposalId: r.proposalId! })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/four eyes: approver proposed this/),
      details: { reason: 'four_eyes_proposal', params: { proposalId: String(r.proposalId), user: 'approver' } },
    });
    expect((await get(a.id)).request.status).toBe('submitted');
    // The review queue shows what the API sent, in Chinese, through the console's one error text.
    const zh = (key: MessageKey, vars?: Record<string, string | number>) => translate('zh-CN', key, vars);
    const shown = async <M extends MethodName>(as: string, method: M, input: MethodInput<M>) => {
      const e = (await t.call(as, method, input).catch((x: unknown) => x)) as {
        code: string;
        message: string;
        details: Record<string, unknown>;
      };
      return errorText(new ApiError(e.code, e.message, e.details), zh);
    };
    expect(await shown('approver', 'reconcile.confirmProposal', { proposalId: r.proposalId! })).toBe(
      `四眼原则：提议由 approver 提出，须由另一位人员确认（提议 ${r.proposalId}）`,
    );
    expect(await shown('clerk', 'reconcile.confirmProposal', { proposalId: r.proposalId! })).toBe(
      '你的角色（出纳/会计）无权执行此操作（reconcile.confirmProposal），须为：审批人',
    );
    expect(await shown('approver2', 'reconcile.declineProposal', { proposalId: r.proposalId!, reason: '' })).toBe(
      `拒绝提议 ${r.proposalId} 须简要说明原因`,
    );
    await t.call('approver2', 'reconcile.confirmProposal', { proposalId: r.proposalId! });
    expect(await shown('approver2', 'reconcile.declineProposal', { proposalId: r.proposalId!, reason: '重复' })).toBe(
      `提议 ${r.proposalId} 已被确认，不能再次处理`,
    );
    expect((await get(a.id)).request.status).toBe('matched');
    expect(await auditActions()).toEqual(['reconcile.match_propose approver', 'reconcile.match_confirm approver2']);
  });

  it('a hand match under the threshold is allocated at once; at or above it, it waits', async () => {
    await useRules(fourEyesOnCodes(10_000));
    const a = await request(t, zhang, '300.00', 'SPLIT123');
    await importStatement(
      t,
      statement([
        line(day(20), '50.00', { memo: 'SPLIT123 第一笔', bank_ref: 'P1' }),
        line(day(21), '250.00', { memo: 'SPLIT123', bank_ref: 'P2' }),
      ]),
    );
    await run(); // part payments under a code: suggested, not matched
    expect(await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '5000' })).toMatchObject({
      allocationId: expect.any(Number),
      proposalId: null,
    });
    const big = await t.call('clerk', 'reconcile.match', { lineId: 2, requestId: a.id, amount: '25000' });
    expect(big.proposalId).toEqual(expect.any(Number));
    expect((await get(a.id)).request).toMatchObject({ status: 'partly_paid', covered: '5000' });
    // A second identical proposal is refused while one waits.
    await expect(t.call('clerk', 'reconcile.match', { lineId: 2, requestId: a.id, amount: '25000' })).rejects.toMatchObject({
      message: expect.stringMatching(/already waits for a second person/),
      details: {
        reason: 'match_proposal_waiting',
        params: { lineId: '2', requestId: a.request_id, proposalId: String(big.proposalId) },
      },
    });
  });

  it('a stale proposal is refused, not applied over the change', async () => {
    await useRules(fourEyesOnCodes(0));
    const a = await request(t, zhang, '300.00', 'STALEP12');
    await importStatement(
      t,
      statement([
        line(day(20), '100.00', { memo: 'STALEP12', bank_ref: 'P1' }),
        line(day(20), '200.00', { memo: 'STALEP12', bank_ref: 'P2' }),
      ]),
    );
    await run();
    const first = await t.call('clerk', 'reconcile.match', { lineId: 1, requestId: a.id, amount: '10000' });
    const second = await t.call('clerk', 'reconcile.match', { lineId: 2, requestId: a.id, amount: '20000' });
    await t.call('approver', 'reconcile.confirmProposal', { proposalId: first.proposalId! });
    // The request changed (version) since the second was proposed: refused, nothing written.
    expect((await awaiting()).find((p) => p.id === second.proposalId)?.stale).toBe(true);
    await expect(t.call('approver', 'reconcile.confirmProposal', { proposalId: second.proposalId! })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/changed since this was proposed/),
      details: {
        reason: 'proposal_stale',
        params: expect.objectContaining({
          proposalId: String(second.proposalId),
          lineId: '2',
          seenAllocatedFen: '0',
          nowAllocatedFen: '0',
        }),
      },
    });
    expect((await get(a.id)).request).toMatchObject({ status: 'partly_paid', covered: '10000' });
    expect(await lineAllocated(2)).toBe(0);
    // Declined, then proposed again on what is there now, it goes through.
    await t.call('approver', 'reconcile.declineProposal', { proposalId: second.proposalId!, reason: '申请已变更' });
    const again = await t.call('clerk', 'reconcile.match', { lineId: 2, requestId: a.id, amount: '20000' });
    await t.call('approver2', 'reconcile.confirmProposal', { proposalId: again.proposalId! });
    expect((await get(a.id)).request).toMatchObject({ status: 'matched', covered: '30000' });
  });

  it('a decline moves no money, frees the line and request, and the rules do not propose that pair again', async () => {
    await useRules(fourEyesOnCodes(0));
    const a = await request(t, zhang, '120.00', 'DECLINE1');
    await importStatement(t, statement([line(day(20), '120.00', { memo: 'DECLINE1' })]));
    expect(await run()).toMatchObject({ proposed: 1 });
    const [p] = await awaiting();
    await expect(t.call('clerk', 'reconcile.declineProposal', { proposalId: p!.id, reason: '不是此客户' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(t.call('approver', 'reconcile.declineProposal', { proposalId: p!.id, reason: ' x ' })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { field: 'reason', reason: 'decline_reason_required', params: { proposalId: String(p!.id) } },
    });
    await t.call('approver', 'reconcile.declineProposal', { proposalId: p!.id, reason: '不是此客户' });
    expect((await get(a.id)).request).toMatchObject({ status: 'submitted', covered: '0' });
    expect(await lineAllocated(1)).toBe(0);
    // Free again: the rules offer it as a suggestion (a person said no once), and staff may match it by hand.
    expect(await run()).toMatchObject({ allocated: 0, proposed: 0, suggested: 1 });
    expect(await awaiting()).toEqual([]);
    const decline = (await t.anyBooks.sql("SELECT after_json FROM audit WHERE action = 'reconcile.match_decline'").get()) as {
      after_json: string;
    };
    expect(JSON.parse(decline.after_json)).toMatchObject({ proposalId: p!.id, reason: '不是此客户', amount: '120.00' });
  });

  it('an unmatch of what a four-eyes rule matched waits for a second person, then frees the line', async () => {
    const a = await request(t, zhang, '500.00', 'UNMATCH1');
    await importStatement(t, statement([line(day(20), '500.00', { memo: 'UNMATCH1' })]));
    expect(await run()).toMatchObject({ allocated: 1 }); // matched before four eyes was set
    await useRules(fourEyesOnCodes(0));
    const alloc = (await get(a.id)).allocations[0]!;
    const r = await t.call('clerk', 'reconcile.unmatch', { allocationId: alloc.id, reason: '客户说付错了' });
    expect(r.proposalId).toEqual(expect.any(Number));
    expect((await get(a.id)).request.status).toBe('matched');
    expect(await awaiting()).toEqual([expect.objectContaining({ kind: 'unmatch' })]);
    await t.call('approver', 'reconcile.confirmProposal', { proposalId: r.proposalId! });
    const after = await get(a.id);
    expect(after.request.status).toBe('submitted');
    expect(after.allocations[0]!.status).toBe('undone');
    expect(await lineAllocated(1)).toBe(0);
    expect((await auditActions()).slice(-3)).toEqual([
      'reconcile.unmatch_propose clerk',
      'reconcile.unmatch approver',
      'reconcile.unmatch_confirm approver',
    ]);
  });

  it('refuses a bad proposal id by name, and a clerk confirming by role', async () => {
    await expect(t.call('approver', 'reconcile.confirmProposal', { proposalId: 99 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.send('approver', 'reconcile.confirmProposal', { proposalId: '1' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('clerk', 'reconcile.confirmProposal', { proposalId: 1 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a rule whose four-eyes threshold is not a whole number of fen', async () => {
    await expect(
      t.call('admin', 'settings.propose', {
        key: 'matching.rules',
        value: [{ ...DEFAULT_RULES[0], fourEyesFromFen: -1 }],
        effectiveFrom: t.clock.now,
        reason: '复核',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
