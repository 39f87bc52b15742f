// The API border, method by method: malformed input is refused with VALIDATION and the wrong roles
// with FORBIDDEN (no session: UNAUTHENTICATED), and neither writes anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type RoleSpec } from '../../main/api/contract';
import { METHOD_NAMES } from '../../main/api/method-names';
import { staffedApi, type TestApi } from '../support/temp-books';

// A well-formed input per method (what the role check sees once validation passes).
const VALID: Record<string, unknown> = {
  'setup.createDemoBooks': { password: 'long enough 1', customers: 5 },
  'setup.createFirstAdmin': { username: 'x', displayName: 'x', password: 'long enough 1' },
  'session.login': { username: 'nobody', password: 'whatever1' },
  'session.unlock': { password: 'whatever1' },
  'session.changePassword': { current: 'a', next: 'b' },
  'staff.create': { username: 'new', displayName: 'New', role: 'clerk' },
  'staff.update': { id: 2, displayName: 'Renamed' },
  'staff.resetPassword': { id: 2 },
  'staff.unlock': { id: 2 },
  'staff.decide': { id: 1, decision: 'rejected' },
  'ledger.transfer': { id: 1 },
  'ledger.trialBalanceLines': { ledger: 1 },
  'lists.export': { method: 'records.list', columns: [{ key: 'receiptNo', title: '收据号' }], title: '充值记录', format: 'xlsx' },
  'search.find': { text: 'GT2026-000001' },
  'ledger.reverse': { id: 1, reason: 'mistake' },
  'chart.addSubject': { parentCode: '6602', name: '服务器费用', nameEn: 'Servers' },
  'chart.renameSubject': { code: '6602', name: '管理费用', nameEn: 'Administrative expenses' },
  'chart.proposeRemap': { accountId: 2, toCode: '2203', reason: 'the old standard' },
  'chart.decideRemap': { id: 1, decision: 'confirmed' },
  'audit.export': { format: 'jsonl' },
  'books.restore': { token: '00000000-0000-4000-8000-000000000000', lastAuditHash: 'a'.repeat(64) },
  'jobs.cancel': { jobId: 'job-1' },
  'settings.propose': { key: 'device.policy', value: 'review', effectiveFrom: Date.now() + 60_000, reason: 'phones hide MACs' },
  'settings.decide': { id: 1, decision: 'confirmed' },
  'customers.get': { id: 1 },
  'customers.statement': { customerId: 1, month: '2026-11' },
  'customers.statementExport': { customerId: 1, from: '2026-11-01', to: '2026-11-30', lang: 'en' },
  'customers.statementHtml': { customerId: 1, month: '2026-11' },
  'customers.statementPrint': { customerId: 1, month: '2026-11' },
  'customers.register': { kind: 'person', name: '测试' },
  'accounts.open': { customerId: 1, externalId: 'A-1', name: 'a', ip: '10.0.0.1' },
  'accounts.bindBank': { accountId: 1, bankName: '工商银行', accountNumber: '6222020200012345', holderName: '测试' },
  'accounts.unbindBank': { accountId: 1, accountNumber: '6222020200012345' },
  'accounts.setLinked': { customerId: 1, accountIds: [1], linked: false },
  'coins.transfer': { requestId: 'req-00000001', fromAccountId: 1, toAccountId: 2, wallet: 'recharge', coins: '10' },
  'coins.decide': { id: 1, approve: true },
  'devices.requestRebind': { accountId: 1, kind: 'ip', address: '10.0.0.2', reason: 'moved house' },
  'devices.decideRebind': { id: 1, approve: true },
  'events.import': { token: '00000000-0000-4000-8000-000000000000', sha256: 'a'.repeat(64) },
  'bankAccounts.create': { bankName: '招商银行', accountNumber: '571900000010101', name: '收款户' },
  'requests.get': { id: 1 },
  'requests.create': { requestId: 'req-00000001', accountId: 1, payerAccount: '6222020200012345', amount: '10.00' },
  'requests.reject': { id: 1, reason: 'duplicate', version: 1 },
  'reconcile.queue': { tab: 'suggested' },
  'conversion.calculate': { amount: '100.00' },
  'approvals.approve': { items: [{ id: 1, version: 1 }] },
  'records.get': { id: 1 },
  'records.print': { id: 1 },
  'records.html': { id: 1 },
  'reports.rollForward': { month: '2026-11' },
  'reports.balances': { month: '2026-11' },
  'reports.ledgerDetail': { month: '2026-11', subjectCode: '1002' },
  'reports.bankJournal': { month: '2026-11', bankAccountId: 1 },
  'reports.financialStatements': { month: '2026-11' },
  'reports.bankReconciliation': { month: '2026-11' },
  'reports.deferredRevenue': { month: '2026-11' },
  'reports.vatData': { month: '2026-11' },
  'reports.periodExport': { report: 'balances', month: '2026-11' },
  'reports.periodHtml': { report: 'balances', month: '2026-11' },
  'reports.periodPrint': { report: 'balances', month: '2026-11' },
  'reports.exportRollForward': { month: '2026-11' },
  'records.reverse': { id: 1, reason: 'chargeback' },
  'refunds.candidates': { refundId: 1 },
  'refunds.match': { refundId: 1, lineId: 2 },
  'refunds.decide': { refundId: 1, approve: true },
  'unallocated.proposeRefund': { lineId: 1, amount: '100', reason: 'customer asked' },
  'unallocated.proposeReclassify': { lineId: 1, reason: 'nobody claims it' },
  'bankLines.decideAction': { actionId: 1, approve: true },
  'moneyOut.proposeClassify': { lineId: 1, subjectCode: '6602', reason: 'server bill' },
  'moneyOut.chargeback': { lineId: 1, recordId: 1, reason: 'chargeback' },
  'reconcile.dryRun': { rules: [] },
  'reconcile.match': { lineId: 1, requestId: 1, amount: '100' },
  'reconcile.unmatch': { allocationId: 1, reason: 'wrong customer' },
  'reconcile.netReversal': { lineId: 1 },
  'reconcile.confirmProposal': { proposalId: 1 },
  'reconcile.declineProposal': { proposalId: 1, reason: 'not this customer' },
  'reconcile.proposeWriteOff': { requestId: 1, amount: '100', kind: 'fee', reason: 'bank fee' },
  'reconcile.decideWriteOff': { allocationId: 1, approve: true },
  'reconcile.report': { bankAccountId: 1 },
  'reconcile.exportReport': { bankAccountId: 1 },
  'statements.lines': { statementId: 1 },
  'invoices.request': { id: 1 },
  'invoices.createRequest': { requestId: 'inv-00000001', customerId: 1, recordIds: [1], invoiceType: 'ordinary', buyerName: '测试' },
  'invoices.check': { ids: [1] },
  'invoices.rejectRequest': { id: 1, reason: 'wrong buyer' },
  'invoices.issue': { items: [{ id: 1, version: 2 }] },
  'invoices.reverse': { id: 1, amount: '100', reason: 'returned' },
  'invoices.get': { id: 1 },
  'invoices.customerSummary': { customerId: 1 },
  'invoices.export': { from: '2026-11-01', to: '2026-11-30', status: ['issued'] },
  'invoices.exportRegister': { from: '2026-11-01' },
  'statements.preview': { token: '00000000-0000-4000-8000-000000000000' },
  'statements.import': { token: '00000000-0000-4000-8000-000000000000', sha256: 'a'.repeat(64) },
  'periods.status': { month: '2026-11' },
  'periods.close': { month: '2026-11' },
  'payouts.get': { id: 1 },
  'payouts.request': {
    account: 'A1',
    payeeName: '王芳',
    idType: 'resident_id',
    idNumber: '110101199003071233',
    bankName: '工商银行',
    accountNumber: '62220000',
    coins: 100,
  },
  'payouts.decide': { id: 1, approve: true },
  'payouts.candidates': { payoutId: 1 },
  'payouts.match': { payoutId: 1, lineId: 2 },
  'withholding.report': { month: '2026-11' },
  'withholding.export': { month: '2026-11' },
  'periods.confirm': { month: '2026-11' },
  'periods.reopen': { month: '2026-11', reason: 'a late correction' },
  'periods.confirmReopen': { month: '2026-11' },
  'vouchers.get': { id: 1 },
  'vouchers.prepare': {
    date: '2026-11-20',
    lines: [
      { summary: '手续费', subjectCode: '660301', debit: '2500' },
      { summary: '手续费', subjectCode: '122101', credit: '2500' },
    ],
  },
  'vouchers.review': { id: 1, approve: true },
  'vouchers.glStatus': { month: '2026-11' },
  'vouchers.glExport': { month: '2026-11', format: 'kingdee' },
  'vouchers.loadGlTemplate': { format: 'kingdee' },
  'vouchers.reverse': { id: 1, date: '2026-11-21', reason: 'wrong account' },
  'revenue.preview': { month: '2026-11' },
  'revenue.lines': { runId: 1 },
  'revenue.run': { month: '2026-11' },
  'monthEnd.pack': { month: '2026-11' },
};

// Malformed inputs every method must refuse: unknown fields (schemas are strict) and wrong shapes.
const MALFORMED: unknown[] = [{ __proto_pollution: 1, extra: true }, 'a string', 42, [1, 2]];

let t: TestApi;
const ROLES = ['clerk', 'approver', 'auditor', 'admin'] as const;

// Every row of the tables a refused call could write, in key order (PostgreSQL keeps no insertion order).
async function snapshot() {
  const q = (table: string) => t.anyBooks.sql(`SELECT * FROM ${table} ORDER BY 1`).all();
  return JSON.stringify([await q('audit'), await q('transfers'), await q('staff'), await q('accounts'), await q('settings')]);
}

beforeAll(async () => {
  t = await staffedApi();
});
afterAll(async () => t.cleanup());

describe('the contract and the preload agree', () => {
  it('lists every method exactly once', () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(contract).sort());
  });
});

describe.each(Object.keys(contract))('%s', (method) => {
  const def = contract[method as keyof typeof contract];
  const roles = def.roles as RoleSpec;

  it('refuses malformed input with VALIDATION naming the field, writing nothing', async () => {
    for (const bad of MALFORMED) {
      const before = await snapshot();
      const r = await t.dispatcher.dispatch('admin', method, bad);
      expect(r.ok, `${method} accepted ${JSON.stringify(bad)}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('VALIDATION');
        expect(r.error.message).toContain(method);
        expect(r.error.details.issues).toBeInstanceOf(Array);
      }
      expect(await snapshot()).toBe(before);
    }
  });

  if (roles === 'public') return;

  it('refuses a caller with no session with UNAUTHENTICATED, writing nothing', async () => {
    const before = await snapshot();
    const r = await t.dispatcher.dispatch('stranger', method, VALID[method] ?? {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await snapshot()).toBe(before);
  });

  if (roles === 'session') return;
  const forbidden = ROLES.filter((r) => !roles.includes(r));
  if (!forbidden.length) return;

  it(`refuses ${forbidden.join(', ')} with FORBIDDEN, writing nothing`, async () => {
    for (const role of forbidden) {
      const before = await snapshot();
      const r = await t.dispatcher.dispatch(role, method, VALID[method] ?? {});
      expect(r, `${role} calling ${method}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      if (!r.ok) expect(r.error.message).toContain(role);
      expect(await snapshot()).toBe(before);
    }
  });
});

describe('unknown methods', () => {
  it('are refused by name', async () => {
    const r = await t.dispatcher.dispatch('admin', 'ledger.deleteEverything', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'unknown method "ledger.deleteEverything"' } });
    const proto = await t.dispatcher.dispatch('admin', '__proto__', {});
    expect(proto.ok).toBe(false);
  });
});
