// JSON kept in a column is read back checked: a recharge record's rule snapshot, evidence, matchers and
// approvers; a column that does not hold what the code reads is named, not passed on as a guess.
import { describe, expect, it } from 'vitest';
import { recordApprovers, recordSnapshot } from '../../main/services/record-json';

const stored = {
  rule: JSON.stringify({ coins: 10, perFen: 100, rounding: 'down', tiers: [{ fromFen: 100_000, bonusBp: 500 }] }),
  tier: JSON.stringify({ fromFen: 100_000, bonusBp: 500 }),
  evidence: JSON.stringify([
    { lineId: 7, kind: 'bank', amount: 120_000 },
    { lineId: null, kind: 'writeoff', amount: 5 },
  ]),
  matchedBy: JSON.stringify([{ who: 'rule: reference', ranBy: 'clerk' }]),
};

describe('a recharge record’s stored JSON', () => {
  it('reads back as the snapshot that priced it', () => {
    const s = recordSnapshot(stored);
    expect(s.rule.tiers[0]).toEqual({ fromFen: 100_000, bonusBp: 500 });
    expect(s.evidence.map((e) => e.amount)).toEqual([120_000, 5]);
    expect(s.matchedBy[0]!.ranBy).toBe('clerk');
    expect(recordSnapshot({ ...stored, tier: null }).tier).toBeNull();
    expect(recordApprovers('["approver","second"]')).toEqual(['approver', 'second']);
  });

  it('names the column that does not hold what it should', () => {
    expect(() => recordSnapshot({ ...stored, rule: JSON.stringify({ coins: '10', perFen: 100, rounding: 'down', tiers: [] }) })).toThrow(
      /recharge_records\.rule_json/,
    );
    expect(() => recordSnapshot({ ...stored, evidence: JSON.stringify([{ lineId: 7, kind: 'cash', amount: 1 }]) })).toThrow(
      /recharge_records\.evidence_json/,
    );
    expect(() => recordApprovers('{"approver":true}')).toThrow(/recharge_records\.approved_by_json/);
  });
});
