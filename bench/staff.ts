// The benches' staff: who posts, reconciles and approves in a bench's books (set-up, not measured).
import type { Tx } from '../main/db/tx';
import type { Actor } from '../main/services/actor';
import { createBankAccount } from '../main/services/bank-statements';
import { createFirstAdmin, createStaff, type StaffOut } from '../main/services/staff';

/** A password hash no one can log in with: the benches' staff need none that works (argon2 is slow). */
export const FAKE_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hiZW5jaA$YmVuY2hiZW5jaGJlbmNoYmVuY2hiZW5jaGJlbmNoYmVuYw';
/** The platform's bank account the benches' statements are for. */
export const ACCOUNT_NUMBER = '1001010109000012345';

/**
 * The benches' staff, in this order: admin, clerk, with `approver` an approver, with `bankAccount` the
 * platform's bank account (ACCOUNT_NUMBER) opened by admin; answers the clerk and the approver as actors.
 */
export async function seedStaff(
  tx: Tx,
  at: number,
  opts: { approver?: boolean; bankAccount?: boolean; passwordHash?: string } = {},
): Promise<{ clerk: Actor; approver: Actor | null }> {
  const passwordHash = opts.passwordHash ?? FAKE_HASH;
  const actorOf = (s: StaffOut) => ({ staffId: s.id, name: s.username, role: s.role }) as Actor;
  const admin = await createFirstAdmin(tx, { username: 'admin', displayName: 'admin', passwordHash }, at);
  const by: Actor = { staffId: admin.id, name: 'admin', role: 'admin' };
  const clerk = await createStaff(tx, by, { username: 'clerk', displayName: 'clerk', role: 'clerk', passwordHash }, at);
  const approver = opts.approver
    ? await createStaff(tx, by, { username: 'approver', displayName: 'approver', role: 'approver', passwordHash }, at)
    : null;
  if (opts.bankAccount)
    await createBankAccount(tx, by, { bankName: '中国工商银行 北京分行', accountNumber: ACCOUNT_NUMBER, name: '平台收款户' }, at);
  return { clerk: actorOf(clerk), approver: approver && actorOf(approver) };
}
