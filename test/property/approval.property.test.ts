// Random rule versions, requests, matches, approvals (sometimes twice, sometimes by the wrong person)
// and reversals. After every step: each credit's coins are exactly what its rule version makes of its
// amount, bonus coins come only from the bonus issuance account, a request is credited at most once,
// reversals restore the wallets, and verify is clean. APPROVAL_RUNS / APPROVAL_SEED to scale or replay.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inWriteTx } from '../../main/db/tx';
import { convert, type ConversionRule } from '../../main/domain/conversion';
import { approveMany, reverseCredit } from '../../main/services/approval';
import { commitStatement, createBankAccount, planStatement, resolveBankAccount } from '../../main/services/bank-statements';
import { bindBankAccount, openAccount, registerCustomer } from '../../main/services/customers';
import { createRechargeRequest } from '../../main/services/recharge-requests';
import { reconcile } from '../../main/services/reconcile';
import { verifyBooks } from '../../main/services/verify';
import { ON_POSTGRES, tempDir, testBooks } from '../support/temp-books';
import { propertySeed } from './seeds';

// 15 runs on PostgreSQL (each run's books are a new schema there), 60 on SQLite.
const RUNS = Number(process.env.APPROVAL_RUNS ?? (ON_POSTGRES ? 15 : 60));
const SEED = propertySeed('APPROVAL_SEED', 1136167838);
const dir = tempDir('coffer-approval-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ruleArb: fc.Arbitrary<ConversionRule> = fc.record({
  coins: fc.integer({ min: 1, max: 50 }),
  perFen: fc.constantFrom(1, 10, 100, 700),
  rounding: fc.constantFrom('down' as const, 'half_up' as const, 'up' as const),
  tiers: fc.array(
    fc.record({
      fromFen: fc.integer({ min: 100, max: 500_000 }),
      bonusCoins: fc.integer({ min: 0, max: 500 }),
      bonusBp: fc.integer({ min: 0, max: 2_000 }),
    }),
    { maxLength: 3 },
  ),
  firstRechargeBonusCoins: fc.integer({ min: 0, max: 100 }),
});
type Step =
  | { op: 'rule'; rule: ConversionRule }
  | { op: 'request'; payer: number; fen: number; channel: 'bank' | 'alipay' | 'wechat' }
  | { op: 'pay'; pick: number }
  | { op: 'approve'; pick: number; approver: number; twice: boolean }
  | { op: 'reverse'; pick: number; approver: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rule' as const), rule: ruleArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('request' as const),
      payer: fc.nat(2),
      fen: fc.integer({ min: 1, max: 800_000 }),
      channel: fc.constantFrom('bank' as const, 'alipay' as const, 'wechat' as const),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('pay' as const), pick: fc.nat(50) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('approve' as const), pick: fc.nat(50), approver: fc.nat(2), twice: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat(50), approver: fc.nat(2) }) },
);

describe('approval and crediting against the rules', () => {
  it(`hold after every step (${RUNS} runs, seed ${SEED})`, async () => {
    console.log(`approval model: seed ${SEED}, ${RUNS} runs (APPROVAL_SEED=${SEED} to replay)`);
    let run = 0;
    const seen = { credited: 0, refused: 0, reversed: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
        const { books, remove } = await testBooks(dir, `run-${run++}.books.sqlite`);
        // Written in a transaction of Coffer's, so the rows are sealed like any Coffer writes.
        await inWriteTx(books, (tx) =>
          tx
            .sql(
              `INSERT INTO staff (id, username, display_name, role, password_hash, created_at, updated_at) VALUES
          (1, 'admin', 'a', 'admin', 'x', 0, 0), (2, 'admin2', 'a2', 'admin', 'x', 0, 0), (3, 'clerk', 'c', 'clerk', 'x', 0, 0),
          (4, 'approver', 'p', 'approver', 'x', 0, 0), (5, 'approver2', 'p2', 'approver', 'x', 0, 0), (6, 'approver3', 'p3', 'approver', 'x', 0, 0)`,
            )
            .run(),
        );
        const clerk = { staffId: 3, name: 'clerk', role: 'clerk' as const };
        const approvers = [4, 5, 6].map((id, i) => ({
          staffId: id,
          name: ['approver', 'approver2', 'approver3'][i]!,
          role: 'approver' as const,
        }));
        let now = Date.parse('2026-11-01T10:00:00+08:00');
        const requests: number[] = [];
        const cards: { account: number; card: string }[] = [];
        try {
          await inWriteTx(books, async (tx) => {
            await createBankAccount(
              tx,
              { staffId: 1, name: 'admin', role: 'admin' },
              { bankName: '工商银行', accountNumber: '6222000011112222', name: '收款' },
              now,
            );
            for (let i = 0; i < 3; i++) {
              const c = await registerCustomer(tx, clerk, { kind: 'person', name: `客户${i}` }, { at: now });
              const a = await openAccount(
                tx,
                clerk,
                { customerId: c, externalId: `A${i}`, name: `a${i}`, ip: `10.0.0.${i + 1}` },
                { at: now },
              );
              const card = `6217000000000${i}00`;
              await bindBankAccount(
                tx,
                clerk,
                { accountId: a, bankName: '建设银行', accountNumber: card, holderName: `客户${i}` },
                { at: now },
              );
              cards.push({ account: a, card });
            }
          });
          let n = 0;
          for (const s of steps) {
            now += 60_000;
            n++;
            await inWriteTx(books, async (tx) => {
              const pick = (k: number) => (requests.length ? requests[k % requests.length]! : undefined);
              switch (s.op) {
                case 'rule':
                  await tx
                    .sql(
                      "INSERT INTO setting_changes (key, value, effective_from, proposed_by, proposed_at, status, decided_by, decided_at) VALUES ('conversion.rules', ?, ?, 1, ?, 'confirmed', 2, ?)",
                    )
                    .run(JSON.stringify(s.rule), now, now, now);
                  return;
                case 'request': {
                  const p = cards[s.payer]!;
                  requests.push(
                    (
                      await createRechargeRequest(
                        tx,
                        clerk,
                        {
                          requestId: `r${n}`,
                          account: { id: p.account },
                          payerAccount: p.card,
                          amount: s.fen,
                          channel: s.channel,
                          referenceCode: `CODE${String(n).padStart(4, '0')}`,
                        },
                        { at: now },
                      )
                    ).id,
                  );
                  return;
                }
                case 'pay': {
                  const id = pick(s.pick);
                  if (id === undefined) return;
                  const r = (await tx
                    .sql('SELECT amount, reference_code, covered, status FROM recharge_requests WHERE id = ?')
                    .get(id)) as {
                    amount: number;
                    reference_code: string;
                    covered: number;
                    status: string;
                  };
                  if (r.status !== 'submitted') return;
                  const yuan = `${Math.floor(r.amount / 100)}.${String(r.amount % 100).padStart(2, '0')}`;
                  const st = {
                    account: null,
                    currency: 'CNY',
                    opening: null,
                    closing: null,
                    format: 'csv' as const,
                    profile: null,
                    lines: [
                      {
                        booked: new Date(now + 8 * 3_600_000).toISOString().slice(0, 10),
                        value: null,
                        amount: yuan,
                        counterparty: { name: null, account: null },
                        reference: null,
                        memo: `充值 ${r.reference_code}`,
                        bank_ref: `B${n}`,
                      },
                    ],
                  };
                  await commitStatement(
                    tx,
                    clerk,
                    await planStatement(tx, st, await resolveBankAccount(tx, st, 1)),
                    { name: 's.csv', sha256: 'x' },
                    now,
                  );
                  await reconcile(tx, clerk, now);
                  return;
                }
                case 'approve': {
                  const id = pick(s.pick);
                  if (id === undefined) return;
                  const version = ((await tx.sql('SELECT version FROM recharge_requests WHERE id = ?').get(id)) as { version: number })
                    .version;
                  const before = (
                    (await tx.sql('SELECT count(*) AS n FROM recharge_records WHERE request_id = ?').get(id)) as { n: number }
                  ).n;
                  const out = await approveMany(
                    tx,
                    approvers[s.approver]!,
                    s.twice
                      ? [
                          { id, version },
                          { id, version },
                        ]
                      : [{ id, version }],
                    now,
                  );
                  for (const o of out) seen[o.outcome === 'credited' ? 'credited' : 'refused']++;
                  const after = ((await tx.sql('SELECT count(*) AS n FROM recharge_records WHERE request_id = ?').get(id)) as { n: number })
                    .n;
                  expect(after - before).toBeLessThanOrEqual(1);
                  expect(out.filter((o) => o.outcome === 'credited').length).toBeLessThanOrEqual(1);
                  return;
                }
                case 'reverse': {
                  const recs = (await tx.sql('SELECT id FROM recharge_records WHERE reversed_at IS NULL ORDER BY id').all()) as {
                    id: number;
                  }[];
                  if (!recs.length) return;
                  try {
                    await reverseCredit(tx, approvers[s.approver]!, recs[s.pick % recs.length]!.id, 'test', now);
                    seen.reversed++;
                  } catch (e) {
                    expect((e as { code?: string }).code).toMatch(/FORBIDDEN|REFUSED/);
                  }
                  return;
                }
              }
            });
            // After every step.
            const records = (await books.sql('SELECT * FROM recharge_records').all()) as {
              request_id: number;
              amount: number;
              channel: 'bank' | 'alipay' | 'wechat';
              rule_json: string;
              paid_coins: number;
              bonus_coins: number;
              first_recharge: number;
              coins_transfer_id: number;
              bonus_transfer_id: number | null;
              reversed_at: number | null;
              account_id: number;
            }[];
            expect(new Set(records.map((r) => r.request_id)).size).toBe(records.length);
            for (const r of records) {
              const c = convert(JSON.parse(r.rule_json) as ConversionRule, r.amount, {
                channel: r.channel,
                firstRecharge: r.first_recharge === 1,
              });
              expect([r.paid_coins, r.bonus_coins]).toEqual([c.paidCoins, c.bonusCoins]);
              const coinsT = (await books
                .sql('SELECT t.amount, d.code FROM transfers t JOIN accounts d ON d.id = t.debit_account_id WHERE t.id = ?')
                .get(r.coins_transfer_id)) as { amount: number; code: string };
              expect(coinsT).toEqual({ amount: r.paid_coins, code: 'coin_issuance' });
              if (r.bonus_transfer_id !== null) {
                const bonusT = (await books
                  .sql('SELECT t.amount, d.code FROM transfers t JOIN accounts d ON d.id = t.debit_account_id WHERE t.id = ?')
                  .get(r.bonus_transfer_id)) as { amount: number; code: string };
                expect(bonusT).toEqual({ amount: r.bonus_coins, code: 'bonus_issuance' });
              } else expect(r.bonus_coins).toBe(0);
            }
            for (const p of cards) {
              const inForce = records
                .filter((r) => r.account_id === p.account && r.reversed_at === null)
                .reduce((t, r) => t + r.paid_coins + r.bonus_coins, 0);
              const w = (await books
                .sql(
                  'SELECT w.credits_posted - w.debits_posted AS b FROM customer_accounts a JOIN accounts w ON w.id = a.recharge_wallet_id WHERE a.id = ?',
                )
                .get(p.account)) as { b: number };
              expect(w.b).toBe(inForce);
            }
            expect((await verifyBooks(books)).findings).toEqual([]);
          }
        } finally {
          await remove();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log('approval outcomes seen:', seen);
    expect(seen.credited).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 600_000);
});
