// The session limits (idle minutes, maximum hours) are read from the books at most once a second, not
// twice a call: a clerk's calls are checked against them all the same, a change an admin decides at this
// desk holds from the next call, and one decided at another desk on the same books within a second.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../main/api/dispatcher';
import { PASSWORD, dispatcherCalls, testApi, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';
import { confirmedSetting } from '../support/settings';

let t: TestApi;
/** A steady clock this test moves: how old the limits this desk read are. */
const steady = { now: 0 };
/** A second desk on the same books, whose limits are as fresh as `steady` says. */
let desk: ReturnType<typeof dispatcherCalls> & { dispatcher: Dispatcher };

beforeEach(async () => {
  t = await testApi();
  steady.now = 0;
  const dispatcher = new Dispatcher({
    books: t.anyBooks,
    ports: { dialogs: t.dialogs, clock: () => t.clock.now },
    elapsed: () => steady.now,
  });
  desk = { dispatcher, ...dispatcherCalls(dispatcher) };
  await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: 'A', password: PASSWORD });
  await addStaff(t.call, { username: 'admin2', role: 'admin' });
  await addStaff(t.call, { username: 'clerk', role: 'clerk' });
});
afterEach(async () => t.cleanup());

/** Two admins at `call`'s desk make the idle limit `minutes`, from now. */
async function setIdleMinutes(call: TestApi['call'], minutes: number): Promise<void> {
  for (const who of ['admin', 'admin2']) await call(who, 'session.login', { username: who, password: PASSWORD });
  await confirmedSetting(call, { key: 'session.idleMinutes', value: minutes, effectiveFrom: t.clock.now, reason: '共用电脑' });
}

describe('session limits', () => {
  it('are read once for many calls within a second, and again once a second has passed', async () => {
    await desk.call('clerk', 'session.login', { username: 'clerk', password: PASSWORD });
    for (let i = 0; i < 10; i++) await desk.call('clerk', 'ledger.trialBalance');
    expect(desk.dispatcher.sessionLimits.reads).toBe(1); // at the login
    steady.now += 1000;
    await desk.call('clerk', 'ledger.trialBalance');
    expect(desk.dispatcher.sessionLimits.reads).toBe(2);
  });

  it('a change decided at this desk holds from the next call', async () => {
    await desk.call('clerk', 'session.login', { username: 'clerk', password: PASSWORD });
    await desk.call('clerk', 'ledger.trialBalance'); // the 15-minute default read
    await setIdleMinutes(desk.call, 5);
    t.clock.now += 6 * 60_000;
    await expect(desk.call('clerk', 'ledger.trialBalance')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'session_idle', params: { minutes: '5' } },
    });
  });

  it('a change decided at another desk on the same books holds here within a second', async () => {
    await desk.call('clerk', 'session.login', { username: 'clerk', password: PASSWORD });
    await setIdleMinutes(t.call, 5);
    t.clock.now += 4 * 60_000;
    await desk.call('clerk', 'ledger.trialBalance'); // within the second the 15 minutes read before still hold
    steady.now += 1000;
    t.clock.now += 6 * 60_000;
    await expect(desk.call('clerk', 'ledger.trialBalance')).rejects.toMatchObject({ details: { params: { minutes: '5' } } });
  });
});
