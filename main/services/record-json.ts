// What a recharge record keeps as JSON when it is credited (approval.ts), read back checked: the rule
// version that priced it, the tier reached, its bank evidence, who matched it and who approved it.
// The rule and tier are read with the schema a rule version is proposed with (settings.ts): a change to
// that schema must still read the snapshots records already keep, or their pages and receipts fail.
import { z } from 'zod';
import { storedJson } from '../db/stored-json';
import { conversionRule, tier } from './settings';

const evidence = z.array(z.object({ lineId: z.number().int().nullable(), kind: z.enum(['bank', 'writeoff']), amount: z.number().int() }));
/** `who` is a username, or `rule: NAME` for a match a rule made (run by `ranBy`). */
const matchedBy = z.array(z.object({ who: z.string(), ranBy: z.string().nullable() }));
const approvedBy = z.array(z.string());

export const recordApprovers = (json: string) => storedJson(approvedBy, json, 'recharge_records.approved_by_json');

export function recordSnapshot(r: { rule: string; tier: string | null; evidence: string; matchedBy: string }) {
  return {
    rule: storedJson(conversionRule, r.rule, 'recharge_records.rule_json'),
    tier: r.tier === null ? null : storedJson(tier, r.tier, 'recharge_records.tier_json'),
    evidence: storedJson(evidence, r.evidence, 'recharge_records.evidence_json'),
    matchedBy: storedJson(matchedBy, r.matchedBy, 'recharge_records.matched_by_json'),
  };
}
