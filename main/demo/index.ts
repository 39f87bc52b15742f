// Demo books: staff users of every role and a platform's worth of customers, made through the real
// services — the customers' lives are a generated platform event file (generate.ts) imported with the
// same importer the console uses, so the demo exercises the importer, the device rule, the link group
// and the four-eyes hold exactly as real files do. Deterministic: the same seed and `now` give the same
// books (apart from password salts and the audit rows' staff timestamps).
// Plain Node: no electron. Everything is one write transaction: a failure leaves the books empty.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inWriteTx, type AnyBooks } from '../db/tx';
import type { Actor } from '../services/actor';
import { decideTransfer } from '../services/coin-movements';
import { commitEventImport, type ImportProgress } from '../services/event-import';
import { hashPassword } from '../services/passwords';
import { settingAt } from '../services/settings';
import { assertPasswordStrength, createFirstAdmin, createStaff, staffCount, type Role } from '../services/staff';
import { demoApprovals, type DemoApprovalSummary } from './approvals';
import { demoBank, type DemoBankSummary } from './bank';
import { demoPayouts, type DemoPayoutSummary } from './payouts';
import { demoSpending, type DemoSpendingSummary } from './spending';
import { generateDemoEvents, writeEventsFile, type DemoExpectation } from './generate';
import { refuse } from '../domain/refusals';
import { eachInTurn } from '../services/in-turn';
import { literal } from '../db/query';
import { countRows } from './count';

export { generateDemoEvents, writeEventsFile, eventLine, beijingIso, Random } from './generate';
export type { DemoEvent, DemoEvents, DemoExpectation, DemoEventOptions, DemoRecharge } from './generate';
export { DEMO_BANK, type DemoBankSummary } from './bank';
export { DEMO_RULE_V2, type DemoApprovalSummary } from './approvals';
export type { DemoSpendingSummary } from './spending';

/** The demo's staff: one password for all, the role is in the name (approver2 and admin2 are the second pair of eyes). */
export const DEMO_STAFF: readonly { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '管理员 周敏', role: 'admin' },
  { username: 'clerk', displayName: '会计 王芳', role: 'clerk' },
  { username: 'approver', displayName: '审核 李强', role: 'approver' },
  { username: 'approver2', displayName: '审核 赵丽', role: 'approver' },
  { username: 'auditor', displayName: '稽核 陈静', role: 'auditor' },
  { username: 'admin2', displayName: '管理员 钱进', role: 'admin' },
];

export const DEMO_DEFAULT_CUSTOMERS = 300;
export const DEMO_MAX_CUSTOMERS = 20_000;
export const DEMO_DEFAULT_SEED = 20261120;
/** The customers' lives fall in the 45 days before `now` (ending two hours before it). */
export const DEMO_WINDOW_DAYS = 45;

export interface DemoOptions {
  password: string;
  customers?: number;
  seed?: number;
  /** The moment the demo is made (default: now); the events fall in the window before it. */
  now?: number;
  /** Progress of the import (reading, applying), for a job or the CLI. */
  job?: ImportProgress;
}

export interface DemoSummary {
  staff: { username: string; role: Role }[];
  seed: number;
  customers: number;
  accounts: number;
  events: number;
  applied: number;
  refused: number;
  blockedLogins: number;
  /** Transfers above the threshold still waiting for an approver. */
  heldTransfers: number;
  /** Held transfers an approver decided in the demo (approved / rejected). */
  approvedTransfers: number;
  rejectedTransfers: number;
  expected: DemoExpectation;
  /** The platform bank account's statement, reconciled: what matched and what waits in the review queue. */
  bank: DemoBankSummary;
  /** The rule change, the approvals, what waits and the reversal. */
  approval: DemoApprovalSummary;
  /** Recharge coins spent and expired after their recharges were credited (what the revenue run recognises). */
  spending: DemoSpendingSummary;
  /** Creators' payouts: requested, refused, decided and waiting. */
  payouts: DemoPayoutSummary;
}

function checkOptions(o: DemoOptions): { customers: number; seed: number; now: number } {
  const customers = o.customers ?? DEMO_DEFAULT_CUSTOMERS;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > DEMO_MAX_CUSTOMERS)
    throw refuse('VALIDATION', 'demo_customers_range', { max: String(DEMO_MAX_CUSTOMERS), got: String(customers) }, { field: 'customers' });
  const seed = o.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw refuse('VALIDATION', 'demo_seed_range', { got: String(seed) }, { field: 'seed' });
  assertPasswordStrength(o.password);
  return { customers, seed, now: o.now ?? Date.now() };
}

/**
 * Fills empty books (no staff users yet) with the demo staff and customers. Refuses books that have
 * staff. Returns what was made.
 */
export async function createDemoBooks(books: AnyBooks, o: DemoOptions): Promise<DemoSummary> {
  const { customers, seed, now } = checkOptions(o);
  if ((await staffCount(books)) > 0) throw refuse('CONFLICT', 'demo_books_have_staff', { file: books.path }, { path: books.path });
  const hashes = await Promise.all(DEMO_STAFF.map(() => hashPassword(o.password)));
  const day = 24 * 3600_000;
  const { events, expected, recharges } = generateDemoEvents({
    customers,
    seed,
    start: now - DEMO_WINDOW_DAYS * day,
    end: now - 2 * 3600_000,
    threshold: await settingAt(books, 'transfer.approvalThreshold', now),
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-demo-'));
  const file = path.join(dir, `demo-events-${seed}.jsonl`);
  try {
    writeEventsFile(file, events);
    return await inWriteTx(books, async (tx) => {
      if ((await staffCount(tx)) > 0) throw refuse('CONFLICT', 'books_have_staff', { file: books.path });
      const actors = new Map<string, Actor>();
      await eachInTurn(DEMO_STAFF, async (s, i) => {
        const made =
          i === 0
            ? await createFirstAdmin(tx, { username: s.username, displayName: s.displayName, passwordHash: hashes[i]! }, now)
            : await createStaff(tx, actors.get('admin')!, { ...s, passwordHash: hashes[i]! }, now);
        actors.set(s.username, { staffId: made.id, name: made.username, role: made.role });
      });
      const result = await commitEventImport(tx, actors.get('clerk')!, file, { now, job: o.job });
      // Approvers decide some of the held transfers (approver approves, approver2 rejects one); the
      // rest stay waiting, for the console's approval queue.
      const held = (
        await tx.db.selectFrom('coin_movements').select('id').where('status', '=', literal('awaiting_approval')).orderBy('id').execute()
      ).map((h) => h.id);
      let approved = 0;
      let rejected = 0;
      await eachInTurn(held, async (id, i) => {
        if (held.length < 3) return;
        if (i % 3 === 0) {
          await decideTransfer(tx, actors.get('approver')!, id, true, '已电话核实客户本人操作，同意', now);
          approved++;
        } else if (i === 1) {
          await decideTransfer(tx, actors.get('approver2')!, id, false, '金额与客户近期收益不符，已退回', now);
          rejected++;
        }
      });
      // The bank side: the platform's account, its statement imported and reconciled (bank.ts).
      const bank = await demoBank(tx, { admin: actors.get('admin')!, clerk: actors.get('clerk')! }, recharges, { seed, now, dir });
      // Approval and crediting: a rule version change confirmed by admin2, credits by both approvers.
      const approval = await demoApprovals(
        tx,
        {
          admin: actors.get('admin')!,
          admin2: actors.get('admin2')!,
          approver: actors.get('approver')!,
          approver2: actors.get('approver2')!,
        },
        recharges,
        { now },
      );
      // Customers use the coins they bought, and some promotional bonus coins expire (spending.ts).
      const spending = await demoSpending(tx, actors.get('clerk')!, { seed, now, dir });
      // Creators' payouts: a few withdrawals of earnings coins, decided by both approvers (payouts.ts).
      const payouts = await demoPayouts(
        tx,
        { clerk: actors.get('clerk')!, approver: actors.get('approver')!, approver2: actors.get('approver2')! },
        { seed, now, at: now - 90 * 60_000, dir },
      );
      const count = (sql: string) => countRows(tx, sql);
      return {
        staff: DEMO_STAFF.map((s) => ({ username: s.username, role: s.role })),
        seed,
        customers: await count('SELECT count(*) AS n FROM customers'),
        accounts: await count('SELECT count(*) AS n FROM customer_accounts'),
        events: result.events,
        applied: result.applied,
        refused: result.refused,
        blockedLogins: await count("SELECT count(*) AS n FROM logins WHERE outcome = 'blocked'"),
        heldTransfers: await count("SELECT count(*) AS n FROM coin_movements WHERE status = 'awaiting_approval'"),
        approvedTransfers: approved,
        rejectedTransfers: rejected,
        expected,
        bank,
        approval,
        spending,
        payouts,
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
