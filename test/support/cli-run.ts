// Runs the real `coffer` executable (node bin/coffer.mjs) as a child process with the given standard
// input, and seeds books files for CLI tests through the services and the API dispatcher.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dispatcher } from '../../main/api/dispatcher';
import { openBooks } from '../../main/db/books';
import { inWriteTx, type AnyBooks } from '../../main/db/tx';
import { recordAudit } from '../../main/services/audit';
import { createAccount, createTransfers, expectPosted } from '../../main/services/ledger-post';
import { dispatcherCalls, PASSWORD, type Call } from './temp-books';
import { addStaff } from './staff';

/** Each `coffer` run starts the bundle (built once by the test setup) in well under a second, but a test runs
 *  several, each opening books and hashing passwords: files that run the CLI give their tests this long
 *  (vi.setConfig) so they hold at a load of 14 on two cores. */
export const CLI_TEST_TIMEOUT = 600_000;

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const COFFER = path.join(REPO, 'bin', 'coffer.mjs');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function coffer(args: string[], stdin = '', cwd = REPO): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COFFER, ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the CLI may exit before reading its input
    child.stdin.end(stdin);
  });
}

/** What a command wrote on stderr besides the progress lines a run past two seconds writes into a pipe (a
 *  loaded machine, books on PostgreSQL): `method: [stage ]done[/total][ (pct%)]`, cli/kit.ts progress. */
export function besidesProgress(stderr: string): string[] {
  const progressLine = /^[a-zA-Z.]+: (?:[a-z ]+ )?\d+(?:\/\d+)?(?: \(\d+%\))?$/;
  return stderr.split('\n').filter((l) => l !== '' && !progressLine.test(l));
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** What seedBooks posted, to check reports against (the account ids are set when it runs). */
export const SEED = {
  bankId: 9,
  walletId: 10,
  earningsWalletId: 11,
  /** CNY: bank Dr 1288.00 / unallocated Cr; unallocated Dr 1000.00 / prepayments Cr. */
  cnyIn: 128800,
  cnyMoved: 100000,
  /** Recharge coins: issuance → wallet 1500, wallet → spent 300, wallet → spent 100 pending. */
  coinsIssued: 1500,
  coinsSpent: 300,
  coinsPending: 100,
  /** Earnings coins: pool → earnings wallet 42. */
  earnings: 42,
};

/** The clerk who prepares vouchers and the approver who reviews them, as the voucher CLI tests staff their books. */
export const VOUCHER_STAFF: Parameters<typeof addStaff>[1][] = [
  { username: 'clerk', displayName: '李出纳', role: 'clerk' },
  { username: 'approver', displayName: '赵审核', role: 'approver' },
];

/**
 * New books' first admin (client 'admin', named Admin) made through the API, then `staff` added by that
 * admin, each left logged in as a client of its username. The dispatcher is kept for more seeding.
 */
export async function staffBooks(books: AnyBooks, staff: Parameters<typeof addStaff>[1][]): Promise<{ as: Call; dispatcher: Dispatcher }> {
  const dispatcher = new Dispatcher({
    books,
    ports: { clock: Date.now, dialogs: { saveFile: async () => null, openFile: async () => null } },
  });
  const { call: as } = dispatcherCalls(dispatcher);
  await as('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: 'Admin', password: PASSWORD });
  for (const member of staff) await addStaff(as, member);
  return { as, dispatcher };
}

/**
 * A books file with an admin, a clerk, and a few transfers on all three ledgers (one pending),
 * each batch written with its audit row. Closed on return.
 */
export async function seedBooks(file: string): Promise<void> {
  const books = await openBooks(file, { create: true });
  const { dispatcher: d } = await staffBooks(books, [
    { username: 'clerk', displayName: 'Clerk', role: 'clerk' },
    { username: 'auditor', displayName: 'Auditor', role: 'auditor' },
  ]);
  await inWriteTx(books, async (tx) => {
    const bank = await createAccount(tx, { ledger: 1, code: 'bank', name: 'Bank ICBC 6222' });
    const wallet = await createAccount(tx, {
      ledger: 2,
      code: 'wallet_recharge',
      name: 'acct 1 recharge',
      ownerKind: 'account',
      ownerId: 1,
      flags: 1,
    });
    const earn = await createAccount(tx, {
      ledger: 3,
      code: 'wallet_earnings',
      name: 'acct 1 earnings',
      ownerKind: 'account',
      ownerId: 1,
      flags: 1,
    });
    // Ids follow the system accounts the migrations create (their number grows as the books do).
    if (wallet !== bank + 1 || earn !== bank + 2) throw new Error('unexpected account ids');
    Object.assign(SEED, { bankId: bank, walletId: wallet, earningsWalletId: earn });
    const ids = expectPosted(
      await createTransfers(tx, [
        {
          key: 'bank-1',
          ledger: 1,
          debitAccountId: bank,
          creditAccountId: 1,
          amount: SEED.cnyIn,
          code: 'bank_in',
          memo: '工商银行 line 1',
        },
        { key: 'alloc-1', ledger: 1, debitAccountId: 1, creditAccountId: 2, amount: SEED.cnyMoved, code: 'allocate' },
        { key: 'issue-1', ledger: 2, debitAccountId: 5, creditAccountId: wallet, amount: SEED.coinsIssued, code: 'recharge' },
        { key: 'spend-1', ledger: 2, debitAccountId: wallet, creditAccountId: 6, amount: SEED.coinsSpent, code: 'spend' },
        { key: 'hold-1', kind: 'pending', ledger: 2, debitAccountId: wallet, creditAccountId: 6, amount: SEED.coinsPending, code: 'hold' },
        { key: 'earn-1', ledger: 3, debitAccountId: 7, creditAccountId: earn, amount: SEED.earnings, code: 'earn' },
      ]),
    );
    await recordAudit(tx, { staffId: 1, name: 'admin', role: 'admin' }, { action: 'test.seed', entity: 'transfers', count: ids.length });
  });
  await d.jobs.settle();
  await books.close();
}
