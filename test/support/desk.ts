// The books most API tests start from: staffedApi's staff, the desk's clock at a given moment
// (10:00 on 2026-11-20 unless told), any further staff in the order given, the platform's bank
// account, and payers with bound bank cards numbered 1, 2, … in the order named.
import fs from 'node:fs';
import path from 'node:path';
import { inWriteTx } from '../../main/db/tx';
import { spendCoins } from '../../main/services/coin-movements';
import { findAccount } from '../../main/services/customers';
import { importStatement, line, payer, request, setUpBank, statement, type Payer } from './recharge-fixtures';
import { addStaff } from './staff';
import { PASSWORD, staffedApi, type TestApi } from './temp-books';

export interface ExtraStaff {
  username: string;
  displayName: string;
  role: 'clerk' | 'approver' | 'auditor' | 'admin';
  /** Log the new user's client in again once made. */
  login?: boolean;
}

export const ADMIN2: ExtraStaff = { username: 'admin2', displayName: '管理员二', role: 'admin' };
export const APPROVER2: ExtraStaff = { username: 'approver2', displayName: '审批二', role: 'approver' };
/** The second approver as the four-eyes tests make them: named 审核二 and logged in again. */
export const APPROVER2_IN: ExtraStaff = { username: 'approver2', displayName: '审核二', role: 'approver', login: true };

export interface DeskOptions {
  staff?: ExtraStaff[];
  /** The desk clock's start, an ISO time with its offset. */
  now?: string;
}

export type Payers<N extends readonly string[]> = { [K in keyof N]: Payer };

export async function bankDesk<N extends string[]>(o: DeskOptions, ...names: N): Promise<[TestApi, ...Payers<N>]> {
  const t = await staffedApi();
  t.clock.now = Date.parse(o.now ?? '2026-11-20T10:00:00+08:00');
  for (const { login, ...u } of o.staff ?? []) {
    await addStaff(t.call, u);
    if (login) await t.call(u.username, 'session.login', { username: u.username, password: PASSWORD });
  }
  await setUpBank(t);
  const payers: Payer[] = [];
  for (const [i, name] of names.entries()) payers.push(await payer(t, i + 1, name));
  return [t, ...payers] as [TestApi, ...Payers<N>];
}

/** Moves the desk's clock to `iso` (Beijing time); each of `staff` logs in again (sessions end after 15 idle minutes). */
export async function deskAt(t: TestApi, iso: string, staff: readonly string[]): Promise<void> {
  t.clock.now = Date.parse(`${iso}+08:00`);
  for (const username of staff) await t.call(username, 'session.login', { username, password: PASSWORD });
}

/** Platform events written one a line to `name` in the books' folder and imported through the real importer. */
export async function importEvents(t: TestApi, name: string, lines: readonly object[]) {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  t.dialogs.nextOpen = file;
  const preview = await t.runJob('clerk', 'events.preview');
  return t.runJob('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
}

/**
 * A request for `yuan` with reference `code`, paid in full on `day` by bank line IN-`n` (statement s`n`.csv,
 * the code in its memo), matched by hand by the clerk and approved by the approver: the request's id and
 * the approval's outcome.
 */
export async function paidAndApproved(t: TestApi, p: Payer, yuan: string, day: string, code: string, n: number) {
  const r = await request(t, p, yuan, code);
  await importStatement(t, statement([line(day, yuan, { memo: code, bank_ref: `IN-${n}` })]), `s${n}.csv`);
  const lineId = ((await t.anyBooks.sql('SELECT id FROM bank_lines WHERE bank_ref = ?').get(`IN-${n}`)) as { id: number }).id;
  await t.call('clerk', 'reconcile.match', { lineId, requestId: r.id, amount: String(Math.round(Number(yuan) * 100)) });
  const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
  const [out] = await t.call('approver', 'approvals.approve', { items: [{ id: seen.id, version: seen.version }] });
  return { requestId: r.id, out };
}

// requests.get's allocations are untyped SQL rows in the contract ({}): the fields read here.
export type Allocation = { id: number; status: string; kind: string; rule: string | null; amount: number; decidedBy: string | null };
/** requests.get as the auditor sees it, with its allocations typed. */
export async function requestPage(t: TestApi, id: number) {
  const page = await t.call('auditor', 'requests.get', { id });
  return { ...page, allocations: page.allocations as Allocation[] };
}

/** The platform spends `coins` from the account's recharge wallet at the desk's time (spend id `spendId`). */
export async function platformSpends(t: TestApi, accountId: number, coins: number, spendId = 'spend-1'): Promise<void> {
  await inWriteTx(t.anyBooks, async (tx) =>
    spendCoins(
      tx,
      { staffId: null, name: 'platform', role: 'system' },
      spendId,
      await findAccount(tx, { id: accountId }),
      'recharge',
      coins,
      null,
      { at: t.clock.now },
    ),
  );
}

/** Breakage of 10 % from 1 November 2026 (revenue.breakageBp 1000): proposed by admin, confirmed by admin2 (ADMIN2 on the desk). */
export async function breakageOfTenPercent(t: TestApi): Promise<void> {
  const change = await t.call('admin', 'settings.propose', {
    key: 'revenue.breakageBp',
    value: 1000,
    effectiveFrom: Date.parse('2026-11-01T00:00:00+08:00'),
    reason: '预计 10% 不会使用',
  });
  await t.call('admin2', 'settings.decide', { id: change.id, decision: 'confirmed' });
}
