// Counter service and the rules around it, through the API as staff use it: registration, accounts
// and wallets, bank bindings, the link group, coin transfers with the approval threshold and four
// eyes, the device policy (strict and review) and re-binding with four eyes.
import { describe, expect, it } from 'vitest';
import { inWriteTx } from '../../main/db/tx';
import { recordLogin } from '../../main/services/devices';
import { creditEarnings } from '../../main/services/coin-movements';
import { findAccount } from '../../main/services/customers';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import { withStaffedApi } from '../support/books-hooks';
import type { TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';

let t: TestApi;
let customer: number;
let a1: number, a2: number;
withStaffedApi(async (api) => {
  t = api;
  customer = (await t.call('clerk', 'customers.register', { kind: 'person', name: '陈静', phone: '139 0000 1111' })).id;
  a1 = (await t.call('clerk', 'accounts.open', { customerId: customer, externalId: 'A-1', name: '主账号', ip: '10.0.0.8' })).id;
  a2 = (
    await t.call('clerk', 'accounts.open', {
      customerId: customer,
      externalId: 'A-2',
      name: '副账号',
      mac: 'AA:BB:CC:DD:EE:01',
    })
  ).id;
  await inWriteTx(t.anyBooks, async (tx) =>
    creditEarnings(tx, SYSTEM_ACTOR, 'seed-earnings', await findAccount(tx, { id: a1 }), 50_000, { at: Date.now() }),
  );
});

const page = () => t.call('auditor', 'customers.get', { id: customer });
const earnings = async (id: number) => (await page()).accounts.find((a) => a.id === id)!.earnings;
let seq = 0;
const transfer = (as: string, coins: string, over: object = {}) =>
  t.call(as, 'coins.transfer', {
    requestId: `req-${++seq}-xxxxxx`,
    fromAccountId: a1,
    toAccountId: a2,
    wallet: 'earnings',
    coins,
    ...over,
  });

describe('accounts', () => {
  it('open with two wallets that cannot go negative, and registered addresses in normalised form', async () => {
    const p = await page();
    expect(p.accounts.map((a) => a.devices.map((d) => `${d.kind}:${d.address}`))).toEqual([['ip:10.0.0.8'], ['mac:aa:bb:cc:dd:ee:01']]);
    const wallets = await t.anyBooks
      .sql("SELECT ledger, flags FROM accounts WHERE owner_kind = 'customer_account' AND owner_id = ? ORDER BY ledger")
      .all(a2);
    expect(wallets).toEqual([
      { ledger: 2, flags: 1 },
      { ledger: 3, flags: 1 },
    ]);
  });

  it('refuse an account without any address, or with a bad one, naming the field', async () => {
    await expect(t.call('clerk', 'accounts.open', { customerId: customer, externalId: 'A-3', name: 'x' })).rejects.toThrow(
      /ip\/mac: registration must record/,
    );
    await expect(
      t.call('clerk', 'accounts.open', { customerId: customer, externalId: 'A-3', name: 'x', ip: '1.2.3' }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('bind bank accounts in normalised form, once, with start and end times', async () => {
    await t.call('clerk', 'accounts.bindBank', {
      accountId: a1,
      bankName: '中国建设银行',
      accountNumber: '6217 0000 1234 5678',
      holderName: '陈静',
    });
    await expect(
      t.call('clerk', 'accounts.bindBank', {
        accountId: a1,
        bankName: '中国建设银行',
        accountNumber: '6217000012345678',
        holderName: '陈静',
      }),
    ).rejects.toThrow(/already bound/);
    await t.call('clerk', 'accounts.unbindBank', { accountId: a1, accountNumber: '6217-0000-1234-5678' });
    const bank = (await page()).accounts[0]!.bankAccounts;
    expect(bank).toHaveLength(1);
    expect(bank[0]!.accountNumber).toBe('6217000012345678');
    expect(bank[0]!.endsAt).not.toBeNull();
    const found = await t.call('clerk', 'customers.search', { text: '62170000' });
    expect(found.rows.map((r) => r.id)).toEqual([customer]);
  });
});

describe('customer search', () => {
  it('finds Latin letters in either case, as typed Chinese is found, and lists by name in byte order', async () => {
    for (const name of ['Beta Trading', 'alpha studio', 'Émile']) await t.call('clerk', 'customers.register', { kind: 'person', name });
    const names = async (text: string) => (await t.call('clerk', 'customers.search', { text, sort: 'name' })).rows.map((r) => r.name);
    expect(await names('BETA')).toEqual(['Beta Trading']);
    expect(await names('a')).toEqual(['Beta Trading', 'alpha studio']);
    expect(await names('陈')).toEqual(['陈静']);
    expect(await names('émile')).toEqual([]); // only ASCII letters fold, as SQLite's LIKE has it
    expect(await names('A-')).toEqual(['陈静']); // the start of an account's id
    expect(await t.call('clerk', 'customers.search', { text: 'nobody' })).toMatchObject({ rows: [], total: 0 });
  });
});

describe('transfers among linked accounts', () => {
  it('move coins within the link group, same kind only', async () => {
    const m = await transfer('clerk', '1200');
    expect(m).toMatchObject({ status: 'posted', amount: '1200' });
    expect(await earnings(a2)).toEqual({ balance: '1200', available: '1200', reserved: '0' });
  });

  it('are refused — and recorded as refused — beyond the balance, outside the group, or to self', async () => {
    expect(await transfer('clerk', '60000')).toMatchObject({ status: 'refused', reason: 'the wallet does not hold enough coins' });
    expect(await transfer('clerk', '5', { toAccountId: a1 })).toMatchObject({
      status: 'refused',
      reason: 'an account cannot transfer to itself',
    });
    await t.call('clerk', 'accounts.setLinked', { customerId: customer, accountIds: [a2], linked: false });
    expect(await transfer('clerk', '5')).toMatchObject({
      status: 'refused',
      reason: 'the receiving account is not in its customer’s link group',
    });
    const other = (await t.call('clerk', 'customers.register', { kind: 'company', name: '某公司' })).id;
    const a3 = (await t.call('clerk', 'accounts.open', { customerId: other, externalId: 'B-1', name: 'b', ip: '10.0.0.9' })).id;
    expect(await transfer('clerk', '5', { toAccountId: a3 })).toMatchObject({
      status: 'refused',
      reason: 'the accounts belong to different customers: coins never leave a link group',
    });
    expect(await earnings(a1)).toMatchObject({ balance: '50000' });
    const refused = await t.call('auditor', 'coins.movements', { status: 'refused' });
    expect(refused).toHaveLength(4);
  });

  it('are idempotent by request id', async () => {
    const input = { requestId: 'same-request-1', fromAccountId: a1, toAccountId: a2, wallet: 'earnings' as const, coins: '10' };
    const first = await t.call('clerk', 'coins.transfer', input);
    const again = await t.call('clerk', 'coins.transfer', input);
    expect(again).toMatchObject({ id: first.id, replayed: true });
    await expect(t.call('clerk', 'coins.transfer', { ...input, coins: '11' })).rejects.toThrow(/already recorded with other content/);
    expect(await earnings(a2)).toMatchObject({ balance: '10' });
  });

  it('above the threshold wait for another approver: coins reserved, then posted or released', async () => {
    const held = await transfer('approver', '20000');
    expect(held.status).toBe('awaiting_approval');
    expect(await earnings(a1)).toEqual({ balance: '50000', available: '30000', reserved: '20000' });
    await expect(t.call('approver', 'coins.decide', { id: held.id, approve: true })).rejects.toThrow(
      /four eyes: approver entered this transfer/,
    );
    await expect(t.call('clerk', 'coins.decide', { id: held.id, approve: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await addStaff(t.call, { username: 'approver2', displayName: '第二审批', role: 'approver' });
    expect(await t.call('approver2', 'coins.decide', { id: held.id, approve: true })).toMatchObject({ status: 'posted' });
    expect(await earnings(a2)).toMatchObject({ balance: '20000' });
    const held2 = await transfer('clerk', '15000');
    await expect(t.call('approver2', 'coins.decide', { id: held2.id, approve: false })).rejects.toThrow(/note: say why/);
    expect(await t.call('approver2', 'coins.decide', { id: held2.id, approve: false, note: '客户撤回' })).toMatchObject({
      status: 'rejected',
    });
    expect(await earnings(a1)).toEqual({ balance: '30000', available: '30000', reserved: '0' });
    expect((await t.runJob('auditor', 'books.verify')).ok).toBe(true);
  });
});

describe('the device rule', () => {
  const login = (session: string, over: object) =>
    inWriteTx(t.anyBooks, async (tx) =>
      recordLogin(tx, SYSTEM_ACTOR, { accountId: a1, session, ...over }, { at: Date.now(), eventId: session }),
    );

  it('strict (the default) blocks a login from another address, and its session can do nothing', async () => {
    expect(await login('S1', { ip: '10.0.0.8' })).toMatchObject({ outcome: 'ok' });
    expect(await login('S2', { ip: '192.0.2.1' })).toMatchObject({ outcome: 'blocked', reason: 'IP 192.0.2.1 is not the registered IP' });
    const m = await inWriteTx(t.anyBooks, async (tx) => {
      const { requestTransfer } = await import('../../main/services/coin-movements');
      return await requestTransfer(
        tx,
        SYSTEM_ACTOR,
        {
          requestId: 'from-blocked',
          fromAccount: await findAccount(tx, { id: a1 }),
          toAccount: await findAccount(tx, { id: a2 }),
          walletKind: 'earnings',
          amount: 5,
          session: 'S2',
        },
        { at: Date.now(), eventId: 'from-blocked' },
      );
    });
    expect(m).toMatchObject({
      status: 'refused',
      reason: 'session S2 belongs to a login that was blocked (IP 192.0.2.1 is not the registered IP)',
    });
    const list = await t.call('auditor', 'logins.list', {
      outcomes: ['blocked', 'flagged'],
    });
    expect(list.rows).toEqual([expect.objectContaining({ outcome: 'blocked', customerName: '陈静' })]);
  });

  it('review lets the login through, flagged, once a second admin confirms the policy', async () => {
    // The second admin exists before the proposal: one made after it could be the proposer's own (issue 11 §2).
    await addStaff(t.call, { username: 'admin2', displayName: '第二管理员', role: 'admin' });
    const proposal = await t.call('admin', 'settings.propose', {
      key: 'device.policy',
      value: 'review',
      effectiveFrom: Date.now(),
      reason: '手机 MAC 随机化',
    });
    expect(await login('S3', { ip: '192.0.2.1' })).toMatchObject({ outcome: 'blocked' });
    await expect(t.call('admin', 'settings.decide', { id: proposal.id, decision: 'confirmed' })).rejects.toThrow(/four eyes/);
    await t.call('admin2', 'settings.decide', { id: proposal.id, decision: 'confirmed' });
    expect(await login('S4', { ip: '192.0.2.1' })).toMatchObject({ outcome: 'flagged' });
  });

  it('re-binds only when an approver other than the requester confirms', async () => {
    const r = await t.call('clerk', 'devices.requestRebind', {
      accountId: a1,
      kind: 'ip',
      address: '192.0.2.1',
      reason: '客户搬家，电话核实',
    });
    await expect(t.call('clerk', 'devices.decideRebind', { id: r.id, approve: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const approverRequest = await t.call('approver', 'devices.requestRebind', {
      accountId: a2,
      kind: 'mac',
      address: 'aa:bb:cc:dd:ee:02',
      reason: '换手机',
    });
    await expect(t.call('approver', 'devices.decideRebind', { id: approverRequest.id, approve: true })).rejects.toThrow(/four eyes/);
    await t.call('approver', 'devices.decideRebind', { id: r.id, approve: true, note: '已核实' });
    const devices = (await page()).accounts[0]!.devices;
    expect(devices.map((d) => [d.address, d.endsAt === null])).toEqual([
      ['192.0.2.1', true],
      ['10.0.0.8', false],
    ]);
    expect(await login('S5', { ip: '192.0.2.1' })).toMatchObject({ outcome: 'ok' });
  });
});
