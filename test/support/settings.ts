// A setting changed the way the console changes it: one admin proposes the change, a second confirms it.
import type { MethodInput } from '../../main/api/contract';
import type { Call } from './temp-books';

/** Proposed by admin and confirmed by `confirmer` (admin2 unless named): the decision. */
export async function confirmedSetting(call: Call, change: MethodInput<'settings.propose'>, confirmer = 'admin2') {
  const proposed = await call('admin', 'settings.propose', change);
  return call(confirmer, 'settings.decide', { id: proposed.id, decision: 'confirmed' });
}
