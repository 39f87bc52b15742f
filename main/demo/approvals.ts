// The demo's approval side (step 4), through the real services: a conversion rule version changed
// partway through the recharge days (proposed by admin, confirmed by admin2: four eyes), then the
// matched requests approved in time order — alternately by approver and approver2 (clerk matched them,
// so either may), those above the dual-approval amount by both — with a few left waiting (one for its
// second approver), and one credit reversed by the approver who did not approve it (a chargeback).
import type { Tx } from '../db/tx';
import { DEFAULT_CONVERSION, type ConversionRule } from '../domain/conversion';
import type { Actor } from '../services/actor';
import { approveRequest, reverseCredit } from '../services/approval';
import { decideSetting, proposeSetting, settingAt } from '../services/settings';
import type { DemoRecharge } from './generate';
import { eachInTurn } from '../services/in-turn';
import { literal } from '../db/query';
import { countRows } from './count';

export interface DemoApprovalSummary {
  /** The conversion rule version confirmed partway through, and when it took effect. */
  ruleVersion: number;
  ruleEffectiveFrom: number;
  credited: number;
  /** Credited above the dual-approval amount, approved by approver and approver2. */
  creditedByTwo: number;
  /** Matched, nobody has approved them yet. */
  waiting: number;
  /** Approved once above the dual-approval amount, waiting for a second approver. */
  waitingForSecond: number;
  reversed: number;
  /** Rule versions on the recharge records (0: the default in force before any change). */
  recordRuleVersions: number[];
}

const HOUR = 3_600_000;

/** The demo's second rule version: a November promotion with richer tiers and a first-recharge bonus. */
export const DEMO_RULE_V2: ConversionRule = {
  ...DEFAULT_CONVERSION,
  tiers: [
    { fromFen: 50_000, bonusBp: 300 },
    { fromFen: 100_000, bonusBp: 600 },
    { fromFen: 500_000, bonusBp: 1_200 },
  ],
  firstRechargeBonusCoins: 88,
};

/** How many matched requests stay waiting for approval (besides the one waiting for its second approver). */
const LEFT_WAITING = 3;

export async function demoApprovals(
  tx: Tx,
  actors: { admin: Actor; admin2: Actor; approver: Actor; approver2: Actor },
  recharges: DemoRecharge[],
  o: { now: number },
): Promise<DemoApprovalSummary> {
  // The rule change takes effect at the hour of the middle recharge request, so requests on either
  // side are priced by different versions; proposed a day before, confirmed by the second admin.
  const times = recharges.map((r) => r.at).sort((a, b) => a - b);
  const middle = times[Math.floor(times.length / 2)] ?? o.now - 2 * 24 * HOUR;
  const effectiveFrom = Math.floor(middle / HOUR) * HOUR;
  const proposed = await proposeSetting(
    tx,
    actors.admin,
    'conversion.rules',
    DEMO_RULE_V2,
    effectiveFrom,
    '双十一充值活动：阶梯赠币上调，首充赠 88 币',
    effectiveFrom - 24 * HOUR,
  );
  await decideSetting(tx, actors.admin2, proposed.id, 'confirmed', effectiveFrom - 20 * HOUR);

  const matched = await tx.db
    .selectFrom('recharge_requests')
    .select(['id', 'version', 'amount', 'requested_at as at'])
    .where('status', 'in', [literal('matched'), literal('overpaid')])
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  const dual = await settingAt(tx, 'approval.dualAboveFen', o.now);
  const large = matched.filter((m) => m.amount > dual);
  const small = matched.filter((m) => m.amount <= dual);
  // The last few small ones stay waiting; the last large one gets only its first approval.
  const toCredit = small.slice(0, Math.max(0, small.length - LEFT_WAITING));
  const secondWaits = large.length ? large[large.length - 1]! : null;
  let credited = 0;
  let creditedByTwo = 0;
  const approvedBy = new Map<number, Actor>();
  // Approved a few hours after each request, in time order (receipt numbers follow), never after now.
  // Times only move forward, so receipt numbers follow the time of crediting.
  let last = 0;
  const tick = (candidate: number) => (last = Math.max(Math.min(candidate, o.now - HOUR), last + 1_000));
  const when = (at: number, i: number) => tick(at + 3 * HOUR + (i % 7) * 20 * 60_000);
  const plan = [...toCredit.map((m) => ({ ...m, large: false })), ...large.map((m) => ({ ...m, large: true }))].sort(
    (a, b) => a.at - b.at || a.id - b.id,
  );
  await eachInTurn(plan, async (m, i) => {
    const at = when(m.at, i);
    const first = i % 2 === 0 ? actors.approver : actors.approver2;
    const out = await approveRequest(tx, first, m.id, m.version, at);
    if (!m.large) {
      if (out.outcome !== 'credited') throw new Error(`demo: request ${m.id} was not credited: ${out.outcome}`);
      credited++;
      approvedBy.set(m.id, first);
      return;
    }
    if (out.outcome !== 'approved') throw new Error(`demo: large request ${m.id} was not approved first: ${out.outcome}`);
    if (m.id === secondWaits?.id) return;
    const second = first === actors.approver ? actors.approver2 : actors.approver;
    const version = (await tx.db.selectFrom('recharge_requests').select('version').where('id', '=', m.id).executeTakeFirst())!.version;
    const done = await approveRequest(tx, second, m.id, version, tick(at + HOUR));
    if (done.outcome !== 'credited') throw new Error(`demo: large request ${m.id} was not credited: ${done.outcome}`);
    credited++;
    creditedByTwo++;
  });

  // A chargeback: the bank took back the money of one credit the customer has not spent; the
  // approver who did not approve it reverses it.
  let reversed = 0;
  const records = await tx.db
    .selectFrom('recharge_records')
    .select(['id', 'request_id as requestId', 'credited_at as at'])
    .where('reversed_at', 'is', null)
    .orderBy('id')
    .execute();
  const target = records.find((r, i) => i >= Math.floor(records.length / 3) && approvedBy.has(r.requestId));
  if (target) {
    const by = approvedBy.get(target.requestId) === actors.approver ? actors.approver2 : actors.approver;
    await reverseCredit(
      tx,
      by,
      target.id,
      '客户发卡行拒付（chargeback），款项待退回',
      Math.min(target.at + 20 * HOUR, o.now - 30 * 60_000),
    );
    reversed++;
  }
  const n = (sql: string) => countRows(tx, sql);
  return {
    ruleVersion: proposed.id,
    ruleEffectiveFrom: effectiveFrom,
    credited,
    creditedByTwo,
    waiting: await n("SELECT count(*) AS n FROM recharge_requests WHERE status IN ('matched', 'overpaid')"),
    waitingForSecond: await n("SELECT count(*) AS n FROM recharge_requests WHERE status = 'approved'"),
    reversed,
    recordRuleVersions: (await tx.db.selectFrom('recharge_records').select('rule_version as v').distinct().orderBy('v').execute()).map(
      (r) => r.v,
    ),
  };
}
