// The contract's method names as plain data, for the preload (which must not bundle the services).
// The type check below fails the build when this list and the contract disagree.
import type { JobMethodName, MethodName } from './contract';

export const METHOD_NAMES = [
  'setup.status',
  'setup.createFirstAdmin',
  'session.login',
  'session.status',
  'session.logout',
  'session.lock',
  'session.unlock',
  'session.changePassword',
  'staff.list',
  'staff.create',
  'staff.update',
  'staff.resetPassword',
  'staff.unlock',
  'ledger.accounts',
  'ledger.trialBalance',
  'ledger.transfers',
  'ledger.transfer',
  'ledger.reverse',
  'ledger.exportJournal',
  'audit.list',
  'audit.verifyChain',
  'audit.export',
  'books.verify',
  'books.backup',
  'books.checkRestore',
  'books.restore',
  'settings.list',
  'settings.propose',
  'settings.decide',
  'customers.search',
  'customers.get',
  'customers.register',
  'accounts.open',
  'accounts.bindBank',
  'accounts.unbindBank',
  'accounts.setLinked',
  'coins.transfer',
  'coins.movements',
  'coins.decide',
  'logins.list',
  'devices.requestRebind',
  'devices.decideRebind',
  'devices.rebindRequests',
  'events.preview',
  'events.import',
  'events.imports',
  'events.refused',
  'jobs.cancel',
] as const satisfies readonly MethodName[];

type Listed = (typeof METHOD_NAMES)[number];
type Missing = Exclude<MethodName, Listed>;
export const EVERY_METHOD_LISTED: [Missing] extends [never] ? true : { missing: Missing } = true;

export const JOB_METHODS = [
  'ledger.exportJournal',
  'audit.verifyChain',
  'audit.export',
  'books.verify',
  'books.backup',
] as const satisfies readonly JobMethodName[];

export const IPC_INVOKE = 'coffer:invoke';
export const IPC_EVENT = 'coffer:event';
