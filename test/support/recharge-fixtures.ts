// Building blocks for reconciliation tests: a platform bank account, customers with bound bank
// accounts, requests, and statements handed to the importer as the statement readers would.
import fs from 'node:fs';
import path from 'node:path';
import { inWriteTx } from '../../main/db/tx';
import {
  commitStatement,
  planStatement,
  resolveBankAccount,
  type IncomingLine,
  type IncomingStatement,
} from '../../main/services/bank-statements';
import type { TestApi } from './temp-books';

export const BANK = { bankName: '招商银行 杭州分行', accountNumber: '571900000010101', name: '平台收款户' };

export async function setUpBank(t: TestApi): Promise<number> {
  return (await t.call('admin', 'bankAccounts.create', BANK)).id;
}

export interface Payer {
  customerId: number;
  accountId: number;
  card: string;
  name: string;
}

export async function payer(t: Pick<TestApi, 'call'>, n: number, name = `客户${n}`): Promise<Payer> {
  const customerId = (await t.call('clerk', 'customers.register', { kind: 'person', name })).id;
  const accountId = (await t.call('clerk', 'accounts.open', { customerId, externalId: `ACC-${n}`, name: `账户${n}`, ip: `10.0.0.${n}` }))
    .id;
  const card = `62220000000${String(n).padStart(5, '0')}`;
  await t.call('clerk', 'accounts.bindBank', { accountId, bankName: '工商银行', accountNumber: card, holderName: name });
  return { customerId, accountId, card, name };
}

let seq = 0;
export async function request(t: TestApi, p: Payer, yuan: string, referenceCode?: string) {
  return t.call('clerk', 'requests.create', {
    requestId: `req-${++seq}-${Date.now()}`,
    accountId: p.accountId,
    payerAccount: p.card,
    amount: yuan,
    ...(referenceCode ? { referenceCode } : {}),
  });
}

/** What a request was short of, written off: the clerk proposes it (`amount` in fen) and `decider` approves it. */
export async function writeOff(
  t: TestApi,
  w: { requestId: number; amount: string; kind: 'fee' | 'short'; reason: string },
  decider = 'approver',
): Promise<number> {
  const { allocationId } = await t.call('clerk', 'reconcile.proposeWriteOff', w);
  await t.call(decider, 'reconcile.decideWriteOff', { allocationId, approve: true });
  return allocationId;
}

export function line(booked: string, amount: string, over: Partial<IncomingLine> = {}): IncomingLine {
  return {
    booked,
    value: booked,
    amount,
    counterparty: { name: null, account: null },
    reference: null,
    memo: null,
    bank_ref: null,
    ...over,
  };
}

export function statement(lines: IncomingLine[], over: Partial<IncomingStatement> = {}): IncomingStatement {
  return { account: BANK.accountNumber, currency: 'CNY', opening: null, closing: null, lines, format: 'csv', profile: 'test', ...over };
}

/** Imports `s` as `as`, on test books or on any books with a clock (a CLI or e2e story's own). */
export async function importStatement(
  t: Pick<TestApi, 'anyBooks'> & { clock: { now: number } },
  s: IncomingStatement,
  name = 'statement.csv',
  as = 'clerk',
) {
  const actor = {
    staffId: ((await t.anyBooks.sql('SELECT id FROM staff WHERE username = ?').get(as)) as { id: number }).id,
    name: as,
    role: 'clerk' as const,
  };
  return inWriteTx(t.anyBooks, async (tx) => {
    const bank = await resolveBankAccount(tx, s, null);
    const plan = await planStatement(tx, s, bank);
    return { plan, ...(await commitStatement(tx, actor, plan, { name, sha256: 'x'.repeat(64) }, t.clock.now)) };
  });
}

/** A statement of lines all booked on `day`, each [amount, memo, bank_ref], imported by the clerk. */
export function importDay(t: Pick<TestApi, 'anyBooks'> & { clock: { now: number } }, day: string, lines: [string, string, string][]) {
  return importStatement(t, statement(lines.map(([amount, memo, bank_ref]) => line(day, amount, { memo, bank_ref }))));
}

/** A review result as the platform reads it: one line of the exported JSON Lines. */
export type ReviewResult = { request_id: string; result: string; [field: string]: unknown };

/** Exports the review results (as the clerk) to `name` in the books' folder and reads its lines back, the witness left out. */
export async function exportedReviewResults(t: TestApi, name: string): Promise<ReviewResult[]> {
  const file = path.join(t.dir, name);
  t.dialogs.nextSave = file;
  await t.runJob('clerk', 'reviewResults.export');
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Partial<ReviewResult>)
    .filter((l): l is ReviewResult => l.request_id !== undefined);
}
