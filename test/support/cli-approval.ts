// Books for the CLI's approval tests: staff of every role plus a second approver (password PASSWORD),
// a platform bank account, and recharge requests a statement pays by reference code — matched by the
// rules run by clerk, one matched by the rules run by approver (so approver may not approve it), one
// above the dual-approval amount, one left unpaid — made through the API dispatcher and copied out to FILE.
import fs from 'node:fs';
import { importStatement, line, payer, request, setUpBank, statement } from './recharge-fixtures';
import { staffedApi } from './temp-books';
import { addStaff } from './staff';

/** The requests (platform ids are `counter:` + requestId once entered at the counter). */
export const APPROVAL_REQUESTS = {
  small: { yuan: '100.00', code: 'APPRSML1', coins: 1000, bonus: 0 },
  mid: { yuan: '1288.00', code: 'APPRMID2', coins: 12880, bonus: 644 },
  /** Above approval.dualAboveFen (50,000.00 by default): two different approvers. */
  big: { yuan: '60000.00', code: 'APPRBIG3', coins: 600000, bonus: 60000 },
  /** Matched by the rules that approver ran: four eyes refuses approver. */
  byApprover: { yuan: '300.00', code: 'APPRBYA4', coins: 3000, bonus: 0 },
  /** Nobody paid it: not matched. */
  unpaid: { yuan: '50.00', code: 'APPRUNP5', coins: 0, bonus: 0 },
} as const;
export type ApprovalKey = keyof typeof APPROVAL_REQUESTS;

export async function seedApprovalBooks(file: string): Promise<Record<ApprovalKey, { id: number; requestId: string }>> {
  const t = await staffedApi('sqlite'); // on either pass: the books are written to FILE (VACUUM INTO)
  try {
    t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
    await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
    await setUpBank(t);
    const made = {} as Record<ApprovalKey, { id: number; requestId: string }>;
    let n = 0;
    for (const [key, r] of Object.entries(APPROVAL_REQUESTS) as [ApprovalKey, (typeof APPROVAL_REQUESTS)[ApprovalKey]][]) {
      const p = await payer(t, ++n, `客户${n}`);
      const q = await request(t, p, r.yuan, r.code);
      made[key] = { id: q.id, requestId: q.request_id };
    }
    const pay = (k: ApprovalKey) =>
      line('2026-11-20', APPROVAL_REQUESTS[k].yuan, { memo: `充值 ${APPROVAL_REQUESTS[k].code}`, bank_ref: `REF-${k}` });
    await importStatement(t, statement([pay('small'), pay('mid'), pay('big')]), 'day-1.csv');
    await t.runJob('clerk', 'reconcile.run');
    await importStatement(t, statement([pay('byApprover')]), 'day-2.csv', 'approver');
    await t.runJob('approver', 'reconcile.run');
    await t.dispatcher.jobs.settle();
    fs.rmSync(file, { force: true });
    t.books.raw.prepare('VACUUM INTO ?').run(file);
    return made;
  } finally {
    await t.cleanup();
  }
}
