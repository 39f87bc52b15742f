// Bank reversals (冲正) as properties, through the real services on temp books: random payments (with
// and without a code, from the bound card or elsewhere), money out, reversals of earlier lines (same
// statement or the next, quoting the bank reference or not), reversals of nothing, and unmatching
// between statements. After every step: a netted pair is two lines of opposite amounts, one of them the
// reversal, each naming the other, and neither has any allocation; no reversal is ever allocated; no
// line or request is over-allocated; unallocated receipts hold exactly the money in that is not netted
// and suspense exactly the money out that is not netted; a reversal waiting for the accountant points
// at a matched line; reconcile run again changes nothing; verify is clean.
// REV_RUNS scales the runs (default 40); REV_SEED replays a run.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inWriteTx, type AnyBooks } from '../../main/db/tx';
import type { IncomingLine } from '../../main/services/bank-statements';
import { reconcile, unmatch } from '../../main/services/reconcile';
import { verifyBooks } from '../../main/services/verify';
import { line as makeLine, type Payer } from '../support/recharge-fixtures';
import { createRequests, importLines, onCopyOf, staffActor, templateBooks } from '../support/model-books';
import { ON_POSTGRES, tempDir } from '../support/temp-books';
import { filterInTurn } from '../../main/services/in-turn';
import { propertySeed } from './seeds';

const RUNS = Number(process.env.REV_RUNS ?? (ON_POSTGRES ? 5 : 40)); // 5 on PostgreSQL: each run copies the books into a new schema
const SEED = propertySeed('REV_SEED');
const DAY = 86_400_000;
const BASE = Date.parse('2026-11-01T10:00:00+08:00');
const dateOf = (offset: number) => new Date(BASE + offset * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.trunc(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

const dir = tempDir('coffer-reversals-');
let template: string;
let payers: Payer[];
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  ({ template, payers } = await templateBooks(dir, BASE - 2 * DAY, ['张伟', '李娜', '王芳']));
}, 60_000);

type GenLine =
  | { kind: 'pay'; request: number; code: boolean; fromCard: boolean; day: number; batch: 0 | 1 }
  | { kind: 'out'; payer: number; amount: number; day: number; batch: 0 | 1 }
  | { kind: 'reverse'; of: number; quote: boolean; later: number; batch: 0 | 1 }
  | { kind: 'orphan'; payer: number; amount: number; sign: 1 | -1; day: number; batch: 0 | 1 };

const amount = fc.constantFrom(50_000, 100_000, 128_800, 2_500);
const batch = fc.constantFrom<0 | 1>(0, 1);
// reversals come more often in the next statement, after the first run may have matched their original
const later = fc.constantFrom<0 | 1>(0, 1, 1);
const genLine: fc.Arbitrary<GenLine> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('pay' as const),
      request: fc.nat(7),
      code: fc.boolean(),
      fromCard: fc.boolean(),
      day: fc.nat(3),
      batch,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('out' as const), payer: fc.nat(2), amount, day: fc.nat(3), batch }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('reverse' as const), of: fc.nat(15), quote: fc.boolean(), later: fc.nat(2), batch: later }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('orphan' as const),
      payer: fc.nat(2),
      amount,
      sign: fc.constantFrom<1 | -1>(1, -1),
      day: fc.nat(3),
      batch,
    }),
  },
);

interface Built {
  line: IncomingLine;
  batch: 0 | 1;
}

/** The statement lines: a reversal copies an earlier built line (opposite amount, same counterparty) into the same or a later batch. */
function build(gen: GenLine[], requests: { payer: number; amount: number; code: string }[]): Built[] {
  const out: Built[] = [];
  gen.forEach((g, i) => {
    const ref = `SN${i}`;
    if (g.kind === 'pay') {
      const r = requests[g.request % requests.length]!;
      const p = payers[r.payer]!;
      const cp = g.fromCard ? { name: p.name, account: p.card } : { name: p.name, account: `9550${String(i).padStart(10, '0')}` };
      out.push({
        batch: g.batch,
        line: makeLine(dateOf(g.day), yuan(r.amount), { counterparty: cp, memo: g.code ? `充值 ${r.code}` : '转账', bank_ref: ref }),
      });
    } else if (g.kind === 'out') {
      const p = payers[g.payer]!;
      out.push({
        batch: g.batch,
        line: makeLine(dateOf(g.day), yuan(-g.amount), { counterparty: { name: p.name, account: p.card }, memo: '退款', bank_ref: ref }),
      });
    } else if (g.kind === 'orphan') {
      const p = payers[g.payer]!;
      out.push({
        batch: g.batch,
        line: makeLine(dateOf(g.day), yuan(g.sign * g.amount), {
          counterparty: { name: p.name, account: p.card },
          memo: '冲正',
          bank_ref: ref,
          reversal: true,
        }),
      });
    } else if (out.length) {
      const o = out[g.of % out.length]!;
      if (o.line.reversal) return;
      const fen = -Math.round(Number(o.line.amount) * 100);
      const b = Math.max(o.batch, g.batch) as 0 | 1;
      const booked = dateOf(Math.round((Date.parse(o.line.booked) - Date.parse(dateOf(0))) / DAY) + g.later);
      out.push({
        batch: b,
        line: makeLine(booked, yuan(fen), {
          counterparty: o.line.counterparty,
          memo: g.quote ? `冲正 原流水号 ${o.line.bank_ref}` : '冲正',
          bank_ref: ref,
          reversal: true,
        }),
      });
    }
  });
  return out;
}

interface Row {
  id: number;
  amount: number;
  allocated: number;
  reversal: number;
  netted_with: number | null;
  reversal_of: number | null;
  netting_transfer_id: number | null;
}

async function snapshot(books: AnyBooks) {
  const all = async <T>(sql: string) => (await books.sql(sql).all()) as T[];
  return {
    lines: await all<Row>(
      'SELECT id, amount, allocated, reversal, netted_with, reversal_of, netting_transfer_id FROM bank_lines ORDER BY id',
    ),
    allocations: await all<{ id: number; request_id: number; bank_line_id: number; amount: number; status: string }>(
      'SELECT id, request_id, bank_line_id, amount, status FROM allocations ORDER BY id',
    ),
    requests: await all<{ id: number; amount: number; covered: number }>('SELECT id, amount, covered FROM recharge_requests ORDER BY id'),
    suggestions: await all<{ bank_line_id: number }>('SELECT bank_line_id FROM match_suggestions ORDER BY bank_line_id, request_id'),
    balances: await all<{ code: string; b: number }>(
      "SELECT code, credits_posted - debits_posted AS b FROM accounts WHERE owner_kind IS NULL AND code IN ('unallocated_receipts', 'suspense') ORDER BY code",
    ),
  };
}

const seen = { netted: 0, review: 0, unpaired: 0, unmatchedThenNetted: 0 };

async function check(books: AnyBooks) {
  const s = await snapshot(books);
  const byId = new Map(s.lines.map((l) => [l.id, l]));
  const active = s.allocations.filter((a) => a.status === 'active');
  for (const l of s.lines) {
    const sum = active.filter((a) => a.bank_line_id === l.id).reduce((t, a) => t + a.amount, 0);
    expect(sum).toBe(l.allocated);
    expect(sum).toBeLessThanOrEqual(Math.max(0, l.amount));
    if (l.reversal) expect(l.allocated, `reversal line ${l.id} is never allocated`).toBe(0);
    if (l.netted_with !== null) {
      const o = byId.get(l.netted_with)!;
      expect(o.netted_with, 'a netted pair names each other').toBe(l.id);
      expect(o.amount).toBe(-l.amount);
      expect(l.reversal + o.reversal, 'exactly one of a pair is the reversal').toBe(1);
      expect(l.allocated + o.allocated, 'netted lines are never matched').toBe(0);
      expect(s.suggestions.some((x) => x.bank_line_id === l.id)).toBe(false);
      if (l.reversal) expect(l.netting_transfer_id).not.toBeNull();
    } else if (l.reversal && l.reversal_of !== null) {
      expect(byId.get(l.reversal_of)!.allocated, 'a reversal waits for the accountant only while its original is matched').toBeGreaterThan(
        0,
      );
    }
  }
  for (const r of s.requests) {
    const sum = active.filter((a) => a.request_id === r.id).reduce((t, a) => t + a.amount, 0);
    expect(sum).toBe(r.covered);
    expect(sum).toBeLessThanOrEqual(r.amount);
  }
  const open = s.lines.filter((l) => l.netted_with === null);
  const receipts = open.filter((l) => l.amount > 0).reduce((t, l) => t + l.amount, 0);
  const suspense = open.filter((l) => l.amount < 0).reduce((t, l) => t + l.amount, 0);
  expect(s.balances).toEqual([
    { code: 'suspense', b: suspense },
    { code: 'unallocated_receipts', b: receipts },
  ]);
  expect((await verifyBooks(books)).findings).toEqual([]);
  return s;
}

describe(`reversals through the services (REV_SEED=${SEED}, ${RUNS} runs)`, () => {
  it('netted pairs are never matched, nothing is over-allocated, the books keep netted money off receipts and suspense', async () => {
    console.log(`reversal property: REV_SEED=${SEED} REV_RUNS=${RUNS}`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ payer: fc.nat(2), amount }), { minLength: 1, maxLength: 6 }),
        fc.array(genLine, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        async (genRequests, genLines, unmatchBetween) => {
          await onCopyOf(template, path.join(dir, `run-${++run}.books.sqlite`), async (books) => {
            const clerk = await staffActor(books, 'clerk', 'clerk');
            const requests = genRequests.map((r, i) => ({ ...r, code: `RV${run}X${i}Q`.slice(0, 12) }));
            await inWriteTx(books, async (tx) =>
              createRequests(
                tx,
                clerk,
                payers,
                requests,
                (i) => `rev-${run}-${i}`,
                () => BASE - DAY,
              ),
            );
            const built = build(genLines, requests);
            const now = BASE + 20 * DAY;
            for (const b of [0, 1] as const) {
              const lines = built.filter((x) => x.batch === b).map((x) => x.line);
              if (lines.length)
                await inWriteTx(books, async (tx) => {
                  await importLines(tx, clerk, lines, `b${b}.csv`, now);
                });
              await check(books);
              await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
              const after = await check(books);
              await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
              expect(await snapshot(books), 'reconcile again changes nothing').toEqual(after);
            }
            if (unmatchBetween) {
              // The accountant unmatches every original a reversal waits on: that nets them at once.
              const waiting = (await books
                .sql('SELECT id, reversal_of AS o FROM bank_lines WHERE reversal = 1 AND netted_with IS NULL AND reversal_of IS NOT NULL')
                .all()) as { id: number; o: number }[];
              for (const w of waiting) {
                const allocations = (await books
                  .sql("SELECT id FROM allocations WHERE bank_line_id = ? AND status = 'active'")
                  .all(w.o)) as {
                  id: number;
                }[];
                for (const a of allocations) await inWriteTx(books, (tx) => unmatch(tx, clerk, a.id, '银行冲正', now));
                await check(books);
              }
              const nettedNow = (
                await filterInTurn(
                  waiting,
                  async (w) =>
                    ((await books.sql('SELECT netted_with AS n FROM bank_lines WHERE id = ?').get(w.id)) as { n: number | null }).n !==
                    null,
                )
              ).length;
              seen.unmatchedThenNetted += nettedNow;
              if (waiting.length) expect(nettedNow).toBeGreaterThan(0);
              // the requests are open again: a run may match them to other money, then a second changes nothing
              await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
              const after = await check(books);
              await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
              expect(await snapshot(books), 'reconcile again changes nothing').toEqual(after);
            }
            const final = await snapshot(books);
            seen.netted += final.lines.filter((l) => l.reversal && l.netted_with !== null).length;
            seen.review += final.lines.filter((l) => l.reversal && l.netted_with === null && l.reversal_of !== null).length;
            seen.unpaired += final.lines.filter((l) => l.reversal && l.netted_with === null && l.reversal_of === null).length;
          });
        },
      ),
      {
        numRuns: RUNS,
        seed: SEED,
        // First, one case sure to show a netted pair and a reversal left over: a payment and its reversal
        // quoting it, and a reversal of nothing on these books. Five random runs can miss one (REV_SEED=103 did).
        examples: [
          [
            [{ payer: 0, amount: 50_000 }],
            [
              { kind: 'pay', request: 0, code: true, fromCard: true, day: 0, batch: 0 },
              { kind: 'reverse', of: 0, quote: true, later: 0, batch: 0 },
              { kind: 'orphan', payer: 1, amount: 2_500, sign: -1, day: 0, batch: 0 },
            ],
            false,
          ],
        ],
      },
    );
    console.log(`reversal property: checked ${JSON.stringify(seen)}`);
    expect(seen.netted).toBeGreaterThan(0);
    expect(seen.unpaired + seen.review + seen.unmatchedThenNetted).toBeGreaterThan(0);
  }, 600_000);
});
