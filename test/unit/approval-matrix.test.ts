// Who may do what on every approval path (approve a selection, approve all that pass a filter,
// reject, reverse, decide a write-off): roles other than approver are refused the whole call; the
// approver who prepared an item (entered it at the counter, matched it by hand, or ran the rules that
// matched it) is refused that item with four_eyes; a version seen earlier is refused as stale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOutcome } from '../support/outcome';
import { bankDesk, type ExtraStaff } from '../support/desk';
import type { TestApi } from '../support/temp-books';
import { importDay, importStatement, line, statement, type Payer } from '../support/recharge-fixtures';

let t: TestApi;
let zhang: Payer;
const ids: Record<'handMatched' | 'ruleMatched' | 'entered' | 'clean' | 'partly', { id: number; version: number; ref: string }> =
  {} as never;

const seen = async (id: number) => {
  const r = (await t.call('auditor', 'requests.get', { id })).request;
  return { id: r.id, version: r.version, ref: r.requestId };
};
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ error: 'none' }) as { error: string; code?: string },
    (e: { code: string; details?: { reason?: string } }) => ({ error: e.code, ...(e.details?.reason ? { code: e.details.reason } : {}) }),
  );
let n = 0;
async function newRequest(as: string, yuan: string, code: string) {
  return (
    await t.call(as, 'requests.create', {
      requestId: `matrix-${++n}`,
      accountId: zhang.accountId,
      payerAccount: zhang.card,
      amount: yuan,
      referenceCode: code,
    })
  ).id;
}
const lineId = async (ref: string) =>
  ((await t.anyBooks.sql('SELECT id FROM bank_lines WHERE bank_ref = ?').get(ref)) as { id: number }).id;

beforeAll(async () => {
  const approver = (username: string): ExtraStaff => ({ username, displayName: username, role: 'approver', login: true });
  [t, zhang] = await bankDesk({ staff: [approver('approver2'), approver('approver3')] }, '张伟');
  // Matched by the rules, run by approver.
  const ruleMatched = await newRequest('clerk', '30.00', 'RULEMAT1');
  await importStatement(t, statement([line('2026-11-20', '30.00', { memo: 'RULEMAT1', bank_ref: 'R1' })]));
  await t.runJob('approver', 'reconcile.run');
  // Entered at the counter by approver, matched by the clerk's run; and a clean one.
  const entered = await newRequest('approver', '40.00', 'ENTERED1');
  const clean = await newRequest('clerk', '50.00', 'CLEANREQ');
  const handMatched = await newRequest('clerk', '60.00', 'HANDMAT1');
  const partly = await newRequest('clerk', '70.00', 'PARTLY01');
  await importDay(t, '2026-11-20', [
    ['40.00', 'ENTERED1', 'E1'],
    ['50.00', 'CLEANREQ', 'C1'],
    ['60.00', 'no code', 'H1'],
    ['69.95', 'no code either', 'P1'],
  ]);
  await t.runJob('clerk', 'reconcile.run');
  await t.call('approver', 'reconcile.match', { lineId: await lineId('H1'), requestId: handMatched, amount: '6000' });
  await t.call('clerk', 'reconcile.match', { lineId: await lineId('P1'), requestId: partly, amount: '6995' });
  Object.assign(ids, {
    ruleMatched: await seen(ruleMatched),
    entered: await seen(entered),
    clean: await seen(clean),
    handMatched: await seen(handMatched),
    partly: await seen(partly),
  });
});
afterAll(async () => t.cleanup());

describe('approve a selection (approvals.approve)', () => {
  it.each(['clerk', 'auditor', 'admin'])('is refused whole for %s', async (who) => {
    expect(await refusal(t.call(who, 'approvals.approve', { items: [{ id: ids.clean.id, version: ids.clean.version }] }))).toEqual({
      error: 'FORBIDDEN',
      code: 'role_forbidden',
    });
  });
  it.each(['handMatched', 'ruleMatched', 'entered'] as const)('refuses the approver who prepared it (%s) with four_eyes', async (k) => {
    const [o] = await t.call('approver', 'approvals.approve', { items: [{ id: ids[k].id, version: ids[k].version }] });
    expect(o).toMatchObject({ outcome: 'refused', code: 'four_eyes', requestId: ids[k].ref });
  });
  it('refuses a version seen earlier as stale', async () => {
    const [o] = await t.call('approver2', 'approvals.approve', { items: [{ id: ids.clean.id, version: ids.clean.version + 1 }] });
    expect(o).toMatchObject({ outcome: 'refused', code: 'stale_version' });
  });
});

describe('approve all that pass a filter (approvals.approveAll)', () => {
  it.each(['clerk', 'auditor', 'admin'])('is refused whole for %s', async (who) => {
    expect(await refusal(t.call(who, 'approvals.approveAll', {}))).toEqual({ error: 'FORBIDDEN', code: 'role_forbidden' });
  });
  it('refuses what the approver prepared, item by item, and credits the rest', async () => {
    const out = await t.runJob('approver', 'approvals.approveAll', { maxAmount: '6000' });
    const by = Object.fromEntries(out.map((o) => [o.requestId, ('code' in o ? o.code : undefined) ?? o.outcome]));
    expect(by).toEqual({
      [ids.ruleMatched.ref]: 'four_eyes',
      [ids.entered.ref]: 'four_eyes',
      [ids.handMatched.ref]: 'four_eyes',
      [ids.clean.ref]: 'credited',
    });
    // Another approver credits what this one prepared.
    const rest = await t.runJob('approver2', 'approvals.approveAll', {});
    expect(rest.map((o) => o.outcome)).toEqual(['credited', 'credited', 'credited']);
  });
});

describe('reject (requests.reject)', () => {
  it.each(['clerk', 'auditor', 'admin'])('is refused whole for %s', async (who) => {
    expect(await refusal(t.call(who, 'requests.reject', { id: ids.partly.id, reason: '客户撤销', version: ids.partly.version }))).toEqual({
      error: 'FORBIDDEN',
      code: 'role_forbidden',
    });
  });
  it('refuses a version seen earlier as stale', async () => {
    expect(
      await refusal(t.call('approver', 'requests.reject', { id: ids.partly.id, reason: '客户撤销', version: ids.partly.version + 1 })),
    ).toEqual({ error: 'CONFLICT', code: 'stale_version' });
  });
});

describe('reverse (records.reverse)', () => {
  it('is refused whole for a clerk, an auditor and an admin, and for the approver who approved it', async () => {
    const id = await newRequest('clerk', '80.00', 'REVERSE1');
    await importStatement(t, statement([line('2026-11-20', '80.00', { memo: 'no code', bank_ref: 'V1' })]));
    await t.call('clerk', 'reconcile.match', { lineId: await lineId('V1'), requestId: id, amount: '8000' });
    const s = await seen(id);
    const [o] = await t.call('approver', 'approvals.approve', {
      items: [{ id: s.id, version: s.version }],
    });
    const { rows } = await t.call('auditor', 'records.list', { text: withOutcome(o, 'credited').receiptNo });
    const byApprover = rows[0]!;
    for (const who of ['clerk', 'auditor', 'admin'])
      expect(await refusal(t.call(who, 'records.reverse', { id: byApprover.id, reason: '拒付' }))).toEqual({
        error: 'FORBIDDEN',
        code: 'role_forbidden',
      });
    expect(await refusal(t.call('approver', 'records.reverse', { id: byApprover.id, reason: '拒付' }))).toEqual({
      error: 'FORBIDDEN',
      code: 'four_eyes_reverse',
    });
  });
});

describe('decide a write-off (reconcile.decideWriteOff)', () => {
  it('is refused for other roles and for its proposer; a request changed since is refused as changed', async () => {
    const { allocationId } = await t.call('approver3', 'reconcile.proposeWriteOff', {
      requestId: ids.partly.id,
      amount: '5',
      kind: 'fee',
      reason: '银行手续费',
    });
    for (const who of ['clerk', 'auditor', 'admin'])
      expect(await refusal(t.call(who, 'reconcile.decideWriteOff', { allocationId, approve: true }))).toEqual({
        error: 'FORBIDDEN',
        code: 'role_forbidden',
      });
    expect(await refusal(t.call('approver3', 'reconcile.decideWriteOff', { allocationId, approve: true }))).toEqual({
      error: 'FORBIDDEN',
      code: 'four_eyes_writeoff',
    });
    const allocation = (await t.anyBooks
      .sql("SELECT id FROM allocations WHERE request_id = ? AND kind = 'bank' AND status = 'active'")
      .get(ids.partly.id)) as { id: number };
    await t.call('clerk', 'reconcile.unmatch', { allocationId: allocation.id, reason: '匹配错误' });
    expect(await refusal(t.call('approver', 'reconcile.decideWriteOff', { allocationId, approve: true }))).toEqual({
      error: 'CONFLICT',
      code: 'writeoff_request_changed',
    });
  });
});
