// Matching, as properties. (1) Random recharge requests and bank lines — exact payments, part payments,
// payments split over two lines, duplicated lines, payments from the bound account without a code,
// noisy memos with the code inside other text, several payers, amounts that collide — go through the
// real services on temp books (requests, statement import, reconcile). After every step: no line and
// no request is over-allocated and the stored sums agree; every automatic allocation satisfies the rule
// it names (re-checked from the stored line and request), every earlier rule found nothing, and the
// named rule found exactly one candidate (an ambiguous case is never allocated); re-running reconcile
// changes nothing; verify is clean. (2) planMatches against a brute-force oracle that scans every
// request for every line instead of using the hash indexes.
// MATCH_RUNS scales the runs (default 60 and 300); MATCH_SEED replays a run (the seed is printed).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inWriteTx, type AnyBooks, type Tx } from '../../main/db/tx';
import {
  DEFAULT_RULES,
  normCode,
  planMatches,
  type Decision,
  type MatchRule,
  type OpenLine,
  type OpenRequest,
} from '../../main/domain/matching';
import type { Actor } from '../../main/services/actor';
import { commitStatement, planStatement, resolveBankAccount, type IncomingLine } from '../../main/services/bank-statements';
import { confirmProposal, declineProposal, matchByHand, reconcile, unmatch } from '../../main/services/reconcile';
import { waitingProposals } from '../../main/services/match-proposals';
import { createRechargeRequest } from '../../main/services/recharge-requests';
import { verifyBooks } from '../../main/services/verify';
import { line as makeLine, statement, type Payer } from '../support/recharge-fixtures';
import { createRequests, importLines, onCopyOf, staffActor, templateBooks } from '../support/model-books';
import { ON_POSTGRES, tempDir } from '../support/temp-books';
import { propertySeed } from './seeds';

const RUNS = Number(process.env.MATCH_RUNS ?? (ON_POSTGRES ? 5 : 60)); // 5 on PostgreSQL: each run copies the books into a new schema
const SEED = propertySeed('MATCH_SEED');
const DAY = 86_400_000;
const BASE = Date.parse('2026-11-01T10:00:00+08:00');
const dayOfInstant = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY);
const dayOfDate = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);
const dateOf = (offset: number) => new Date(BASE + offset * DAY + 8 * 3_600_000).toISOString().slice(0, 10);

const dir = tempDir('coffer-matching-');
let template: string;
let payers: Payer[];
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // Staff, the platform bank account and four payers with bound cards, made once and copied per run.
  ({ template, payers } = await templateBooks(dir, BASE - 2 * DAY, ['张伟', '李娜', '王芳', '北京某某科技有限公司']));
}, 60_000);

// ---- (1) through the services -------------------------------------------------------------------

interface GenRequest {
  payer: number;
  amount: number;
  day: number;
}
type Shape = 'exact' | 'partial' | 'split' | 'duplicate' | 'payerOnly' | 'amountOnly' | 'noise' | 'over' | 'combined';
interface GenLine {
  shape: Shape;
  request: number;
  day: number;
  frac: number;
  noise: [string, string];
  counterparty: 'payer' | 'other' | 'none';
  bankRef: boolean;
  batch: 0 | 1;
}

// A few amounts on purpose, so that amount-only lines meet several requests.
const amount = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(50_000, 100_000, 128_800) },
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 500_000 }) },
);
const genRequest: fc.Arbitrary<GenRequest> = fc.record({ payer: fc.nat(3), amount, day: fc.nat(4) });
const noiseText = fc.constantFrom('', '充值', '转账 ', 'abc', '张三', ' 货款 ', '-', 'x1', '付款 ', 'Q');
const genLine: fc.Arbitrary<GenLine> = fc.record({
  shape: fc.constantFrom<Shape>('exact', 'exact', 'partial', 'split', 'duplicate', 'payerOnly', 'amountOnly', 'noise', 'over', 'combined'),
  request: fc.nat(20),
  day: fc.nat(5),
  frac: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
  noise: fc.tuple(noiseText, noiseText),
  counterparty: fc.constantFrom<'payer' | 'other' | 'none'>('payer', 'payer', 'other', 'none'),
  bankRef: fc.boolean(),
  batch: fc.constantFrom<0 | 1>(0, 0, 1),
});

const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** Who the generated line `i` comes from: the request's payer, a merchant of its own, or nobody named. */
function counterpartyOf(g: GenLine, i: number, p: Payer): IncomingLine['counterparty'] {
  if (g.counterparty === 'payer') return { name: p.name, account: p.card };
  if (g.counterparty === 'other') return { name: '某某商户', account: `9550${String(i).padStart(12, '0')}` };
  return { name: null, account: null };
}

function linesOf(gen: GenLine[], requests: (GenRequest & { code: string })[], batch: 0 | 1): IncomingLine[] {
  const out: IncomingLine[] = [];
  gen.forEach((g, i) => {
    if (g.shape === 'duplicate' && g.bankRef && g.batch === 0 && batch === 1) {
      const r = requests[g.request % requests.length]!;
      out.push(
        makeLine(dateOf(r.day + g.day), yuan(r.amount), {
          counterparty: counterpartyOf(g, i, payers[r.payer]!),
          memo: `${g.noise[0]}${r.code}${g.noise[1]}`,
          bank_ref: `R0-${i}`,
        }),
      );
      return;
    }
    if (g.batch !== batch) return;
    const r = requests[g.request % requests.length]!;
    const p = payers[r.payer]!;
    const booked = dateOf(r.day + g.day);
    const cp = counterpartyOf(g, i, p);
    const memo = (code: boolean) => (code ? `${g.noise[0]}${r.code}${g.noise[1]}` : `${g.noise[0]}${g.noise[1]}`.trim() || null);
    const ref = (k: string) => (g.bankRef ? `R${batch}-${i}${k}` : null);
    const push = (fen: number, code: boolean, k = '') =>
      fen > 0 && out.push(makeLine(booked, yuan(fen), { counterparty: cp, memo: memo(code), bank_ref: ref(k) }));
    switch (g.shape) {
      case 'exact':
        push(r.amount, true);
        break;
      case 'partial':
        push(Math.max(1, Math.floor(r.amount * g.frac)), true);
        break;
      case 'split': {
        const a = Math.max(1, Math.floor(r.amount * g.frac));
        push(a, true, 'a');
        push(r.amount - a, true, 'b');
        break;
      }
      case 'duplicate':
        // The same line twice. With a bank reference the copy comes again in the next statement (the
        // readers refuse a reference repeated within one file) and is skipped there; without one, two
        // identical lines in one file are two payments.
        push(r.amount, true);
        if (!g.bankRef) push(r.amount, true);
        break;
      case 'payerOnly':
        out.push(
          makeLine(booked, yuan(r.amount), { counterparty: { name: p.name, account: p.card }, memo: memo(false), bank_ref: ref('') }),
        );
        break;
      case 'combined': {
        // One transfer from the bound card paying all of that payer's requests, without a code.
        const all = requests.filter((x) => x.payer === r.payer).reduce((t, x) => t + x.amount, 0);
        out.push(makeLine(booked, yuan(all), { counterparty: { name: p.name, account: p.card }, memo: memo(false), bank_ref: ref('') }));
        break;
      }
      case 'amountOnly':
        push(r.amount, false);
        break;
      case 'over':
        push(r.amount + 1 + Math.floor(r.amount * g.frac), true);
        break;
      case 'noise':
        push(1 + Math.floor(g.frac * 300_000), false);
        break;
    }
  });
  return out;
}

interface StoredLine {
  id: number;
  amount: number;
  allocated: number;
  booked: string;
  counterparty_account: string | null;
  counterparty_name: string | null;
  memo: string | null;
  reference: string | null;
}
interface StoredRequest {
  id: number;
  amount: number;
  covered: number;
  status: string;
  version: number;
  reference_code: string;
  payer_account: string | null;
  payer_name: string | null;
  requested_at: number;
  customer_id: number;
}
interface StoredAllocation {
  id: number;
  request_id: number;
  bank_line_id: number;
  amount: number;
  rule: string | null;
  status: string;
}

async function snapshot(books: AnyBooks) {
  const all = async <T>(sql: string) => (await books.sql(sql).all()) as T[];
  return {
    lines: await all<StoredLine>(
      'SELECT id, amount, allocated, booked, counterparty_account, counterparty_name, memo, reference FROM bank_lines ORDER BY id',
    ),
    requests: await all<StoredRequest>(
      'SELECT r.id, r.amount, r.covered, r.status, r.version, r.reference_code, r.payer_account, r.payer_name, r.requested_at, a.customer_id FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id ORDER BY r.id',
    ),
    allocations: await all<StoredAllocation>('SELECT id, request_id, bank_line_id, amount, rule, status FROM allocations ORDER BY id'),
    suggestions: await all<{ bank_line_id: number; request_id: number; amount: number; kind: string; rule: string }>(
      'SELECT bank_line_id, request_id, amount, kind, rule FROM match_suggestions ORDER BY bank_line_id, request_id',
    ),
  };
}

const tokens = (l: StoredLine) => `${l.memo ?? ''} ${l.reference ?? ''}`.toUpperCase().match(/[0-9A-Z]+/g) ?? [];
const hasCode = (l: StoredLine, r: StoredRequest) => {
  const code = normCode(r.reference_code);
  return code.length > 0 && tokens(l).some((t) => t.includes(code));
};

/** The rule's conditions other than the amount, re-checked from the stored line and request. */
function conditions(rule: MatchRule, l: StoredLine, r: StoredRequest): boolean {
  const d = dayOfDate(l.booked) - dayOfInstant(r.requested_at);
  if (d < 0 || d > rule.windowDays) return false;
  if (rule.payerAccount && r.payer_account !== l.counterparty_account) return false;
  if (rule.referenceInMemo && !hasCode(l, r)) return false;
  if (rule.payerName) return false; // not in the default rules
  return true;
}

/** The generated requests, each with its reference code: the prefix, then `X`, its index and `Q` (12 characters at most). */
const withCodes = (gen: GenRequest[], prefix: string) => gen.map((r, i) => ({ ...r, code: `${prefix}X${i}Q`.slice(0, 12) }));

/** Enters the requests as `clerk`, ids `{idPrefix}-{index}`, each on its generated day. */
async function enterRequests(tx: Tx, clerk: Actor, requests: (GenRequest & { code: string })[], idPrefix: string): Promise<void> {
  await createRequests(
    tx,
    clerk,
    payers,
    requests,
    (i) => `${idPrefix}-${i}`,
    (r) => BASE + r.day * DAY,
  );
}

/** A line of the first day paid from the payer's bound card. */
const fromPayer = (p: Payer, amount: string, memo: string, bankRef: string): IncomingLine =>
  makeLine(dateOf(0), amount, { counterparty: { name: p.name, account: p.card }, memo, bank_ref: bankRef });

/** Never over-allocated, and the stored sums are the active allocations, which it returns. */
function expectStoredSums(snap: Awaited<ReturnType<typeof snapshot>>) {
  const active = snap.allocations.filter((a) => a.status === 'active');
  for (const l of snap.lines) {
    const sum = active.filter((a) => a.bank_line_id === l.id).reduce((s, a) => s + a.amount, 0);
    expect(sum).toBe(l.allocated);
    expect(sum).toBeLessThanOrEqual(Math.max(0, l.amount));
  }
  for (const r of snap.requests) {
    const sum = active.filter((a) => a.request_id === r.id).reduce((s, a) => s + a.amount, 0);
    expect(sum).toBe(r.covered);
    expect(sum).toBeLessThanOrEqual(r.amount);
  }
  return active;
}

/** How many automatic allocations and ambiguous candidates the runs checked (printed, so a vacuous run shows). */
const seen = { automatic: 0, group: 0, ambiguous: 0, suggested: 0, extraRuns: 0 };

/** Checks every invariant after a reconcile run, given the state just before it. */
function checkRun(before: Awaited<ReturnType<typeof snapshot>>, after: Awaited<ReturnType<typeof snapshot>>) {
  const active = expectStoredSums(after);
  for (const r of after.requests) {
    const sum = r.covered;
    expect(r.status).toBe(sum === 0 ? 'submitted' : sum < r.amount ? 'partly_paid' : r.status === 'overpaid' ? 'overpaid' : 'matched');
  }
  // The run's automatic allocations, in the order the planner takes lines (booking day, then id).
  const known = new Set(before.allocations.map((a) => a.id));
  const made = active.filter((a) => !known.has(a.id));
  const lineById = new Map(after.lines.map((l) => [l.id, l]));
  const beforeLine = new Map(before.lines.map((l) => [l.id, l]));
  const reqById = new Map(after.requests.map((r) => [r.id, r]));
  const openAtStart = before.requests.filter((r) => r.status === 'submitted' || r.status === 'partly_paid');
  // What a request still owed when an allocation was planned: a run plans and applies in passes, and
  // allocations are stored in the order they were applied, so everything stored before it counts.
  const outstandingBefore = (r: StoredRequest, allocationId: number) =>
    r.amount - r.covered - made.filter((m) => m.request_id === r.id && m.id < allocationId).reduce((s, m) => s + m.amount, 0);
  const ambiguousLines = new Set(after.suggestions.filter((s) => s.kind === 'ambiguous').map((s) => s.bank_line_id));
  seen.automatic += made.length;
  seen.ambiguous += after.suggestions.filter((s) => s.kind === 'ambiguous').length;
  seen.suggested += after.suggestions.filter((s) => s.kind === 'suggested').length;
  for (const a of made) {
    expect(a.rule).not.toBeNull();
    const group = a.rule!.endsWith(' (several requests)');
    const rule = DEFAULT_RULES.find((x) => x.name === a.rule!.replace(' (several requests)', ''));
    expect(rule, `allocation ${a.id} names rule "${a.rule}"`).toBeDefined();
    expect(rule!.action).toBe('match');
    const l = lineById.get(a.bank_line_id)!;
    const r = reqById.get(a.request_id)!;
    const remaining = l.amount - beforeLine.get(l.id)!.allocated;
    expect(conditions(rule!, l, r)).toBe(true);
    expect(ambiguousLines.has(l.id)).toBe(false);
    if (group) {
      seen.group++;
      // One line paying several requests of one payer, exactly.
      const siblings = made.filter((m) => m.bank_line_id === l.id);
      expect(siblings.length).toBeGreaterThan(1);
      expect(siblings.reduce((s, m) => s + m.amount, 0)).toBe(remaining);
      expect(new Set(siblings.map((m) => reqById.get(m.request_id)!.customer_id)).size).toBe(1);
      expect(a.amount).toBe(
        outstandingBefore(
          openAtStart.find((x) => x.id === r.id)!,
          a.id,
        ),
      );
    } else {
      // Exact amount (the default rules have no tolerance), and exactly one candidate fitted.
      expect(a.amount).toBe(remaining);
      const fits = (rl: MatchRule) =>
        openAtStart.filter((x) => {
          const o = outstandingBefore(x, a.id);
          return o > 0 && conditions(rl, l, x) && o === remaining;
        });
      expect(fits(rule!).map((x) => x.id)).toEqual([r.id]);
      // First match wins: every enabled rule before it found nothing.
      for (const earlierRule of DEFAULT_RULES.slice(0, DEFAULT_RULES.indexOf(rule!))) {
        const pool = openAtStart.filter((x) => outstandingBefore(x, a.id) > 0 && conditions(earlierRule, l, x));
        const fitting = earlierRule.amount === 'any' ? pool : pool.filter((x) => outstandingBefore(x, a.id) === remaining);
        expect(fitting).toEqual([]);
      }
    }
  }
}

describe(`matching through the services (MATCH_SEED=${SEED}, ${RUNS} runs)`, () => {
  it('never over-allocates, automatic matches satisfy their rule, ambiguity is never matched, a second run changes nothing', async () => {
    console.log(`matching property: MATCH_SEED=${SEED} MATCH_RUNS=${RUNS}`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(genRequest, { minLength: 1, maxLength: 8 }),
        fc.array(genLine, { minLength: 1, maxLength: 12 }),
        async (genRequests, genLines) => {
          await onCopyOf(template, path.join(dir, `run-${++run}.books.sqlite`), async (books) => {
            const staff = async (u: 'clerk' | 'approver'): Promise<Actor> => staffActor(books, u, u);
            const clerk = await staff('clerk');
            const requests = withCodes(genRequests, `RC${run}`);
            await inWriteTx(books, async (tx) => enterRequests(tx, clerk, requests, `prop-${run}`));
            const now = BASE + 20 * DAY;
            const clean = async () => {
              const v = await verifyBooks(books);
              expect(v.findings).toEqual([]);
            };
            const step = async (batch: 0 | 1, who: Actor) => {
              const lines = linesOf(genLines, requests, batch);
              if (lines.length)
                await inWriteTx(books, async (tx) => {
                  await importLines(tx, clerk, lines, `b${batch}.csv`, now);
                });
              await clean();
              // Each run keeps every invariant. A run may leave work for the next one (see the it.fails
              // below: one pass decides lines in booking order, so a line found ambiguous early can have a
              // single candidate once a later line of the same run matched the other one); runs settle
              // within a few, and from then on a run changes nothing, review queue included.
              let runs = 0;
              for (;;) {
                const before = await snapshot(books);
                const r = await inWriteTx(books, async (tx) => reconcile(tx, who, now));
                const after = await snapshot(books);
                checkRun(before, after);
                await clean();
                if (r.allocated === 0 && (runs > 0 || before.allocations.length === after.allocations.length)) {
                  await inWriteTx(books, async (tx) => reconcile(tx, who, now));
                  if (JSON.stringify(await snapshot(books)) === JSON.stringify(after)) break;
                }
                expect(++runs, 'reconcile settles within 5 runs').toBeLessThan(5);
              }
              seen.extraRuns += runs;
            };
            await step(0, clerk);
            await step(1, await staff('approver'));
            // The first batch again: every line is a duplicate; nothing is booked or matched twice.
            const before = await snapshot(books);
            const again = linesOf(genLines, requests, 0).filter((l) => l.bank_ref !== null);
            if (again.length)
              await inWriteTx(books, async (tx) => {
                const s = statement(again);
                const plan = await planStatement(tx, s, await resolveBankAccount(tx, s, null));
                expect(plan.newLines).toBe(0);
                await commitStatement(tx, clerk, plan, { name: 'again.csv', sha256: 'y'.repeat(64) }, now);
              });
            await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
            expect(await snapshot(books)).toEqual(before);
            await clean();
          });
        },
      ),
      {
        numRuns: RUNS,
        seed: SEED,
        // First, one case sure to show both outcomes: a payment quoting its code (matched), and one of the
        // same amount from a stranger without a code, with two open requests it could be (not matched).
        // Five random runs can miss one of them (MATCH_SEED=102 did).
        examples: [
          [
            [0, 1, 2].map((payer) => ({ payer, amount: 50_000, day: 0 })),
            [
              { shape: 'exact', request: 0, day: 0, frac: 0.5, noise: ['', ''], counterparty: 'payer', bankRef: true, batch: 0 },
              { shape: 'amountOnly', request: 1, day: 0, frac: 0.5, noise: ['', ''], counterparty: 'other', bankRef: true, batch: 0 },
            ],
          ],
        ],
      },
    );
    console.log(`matching property: checked ${JSON.stringify(seen)}`);
    expect(seen.automatic).toBeGreaterThan(0);
    expect(seen.ambiguous + seen.suggested).toBeGreaterThan(0);
  }, 600_000);

  // Known problem (main/domain/matching.ts, main/services/reconcile.ts): one pass takes lines in booking
  // order. Line 1 (500.00 from the bound card, no code) meets two open 500.00 requests of that payer:
  // ambiguous, rightly not matched. Line 2 (500.00 with request A's code) then matches A. The next run
  // finds line 1 with a single candidate (B) and matches it: the first run did not leave the books
  // where a run changes nothing. reconcile() now repeats planning until nothing more is allocated.
  it('one run leaves nothing for the next run to match', () =>
    onCopyOf(template, path.join(dir, 'settle.books.sqlite'), async (books) => {
      const clerk = await staffActor(books, 'clerk', 'clerk');
      const p = payers[0]!;
      const second = await inWriteTx(books, async (tx) => {
        for (const [id, code] of [
          ['settle-a', 'SETTLEA'],
          ['settle-b', 'SETTLEB'],
        ] as const)
          await createRechargeRequest(
            tx,
            clerk,
            { requestId: id, account: { id: p.accountId }, payerAccount: p.card, amount: 50_000, channel: 'bank', referenceCode: code },
            { at: BASE },
          );
        await importLines(tx, clerk, [fromPayer(p, '500.00', '转账', 'T1'), fromPayer(p, '500.00', '充值SETTLEA', 'T2')], 't.csv', BASE);
        // Line 2 matches A by its code; line 1, ambiguous until then, has B alone left and matches it.
        expect((await reconcile(tx, clerk, BASE + DAY)).allocated).toBe(2);
        return await reconcile(tx, clerk, BASE + DAY);
      });
      expect(second.allocated).toBe(0);
    }));

  // Known problem (main/services/reconcile.ts): planMatches suggests line 1 (600.00, an overpayment with
  // the code) for the request, then matches line 2 (500.00, the code, exact) to it in the same run;
  // reconcile() now writes only the last plan's suggestions, made after every allocation.
  it('a run leaves no suggestion for a request it matched in full (a second run changes nothing, queue included)', () =>
    onCopyOf(template, path.join(dir, 'stale.books.sqlite'), async (books) => {
      const clerk = await staffActor(books, 'clerk', 'clerk');
      const p = payers[0]!;
      await inWriteTx(books, async (tx) => {
        await createRechargeRequest(
          tx,
          clerk,
          {
            requestId: 'stale-1',
            account: { id: p.accountId },
            payerAccount: p.card,
            amount: 50_000,
            channel: 'bank',
            referenceCode: 'STALE1',
          },
          { at: BASE },
        );
        await importLines(
          tx,
          clerk,
          [fromPayer(p, '600.00', '充值STALE1', 'S1'), fromPayer(p, '500.00', '充值STALE1', 'S2')],
          's.csv',
          BASE,
        );
        await reconcile(tx, clerk, BASE + DAY);
      });
      const first = await snapshot(books);
      expect(first.requests[0]!.status).toBe('matched');
      await inWriteTx(books, async (tx) => reconcile(tx, clerk, BASE + DAY));
      expect((await snapshot(books)).suggestions).toEqual(first.suggestions);
    }));

  // Four eyes: rules with a random four-eyes threshold; random runs, hand matches and unmatches by the
  // clerk, confirmations and declines by the approver, in any order. Proposals move no money, so after
  // every step no line or request is over-allocated; a confirmation allocates exactly once or is
  // refused (stale: the request or line changed since, exactly as the queue's stale flag says; or the
  // proposer confirming); a run right after a run changes nothing, proposals included.
  it('with four eyes: proposals never over-allocate, a confirmation allocates exactly once, a stale one is refused', async () => {
    type Act =
      | { kind: 'run' }
      | { kind: 'hand'; line: number; request: number; frac: number }
      | { kind: 'confirm' | 'decline' | 'confirmOwn'; pick: number }
      | { kind: 'unmatch'; pick: number };
    const genAct: fc.Arbitrary<Act> = fc.oneof(
      fc.constant<Act>({ kind: 'run' }),
      fc.record({
        kind: fc.constant('hand' as const),
        line: fc.nat(20),
        request: fc.nat(20),
        frac: fc.double({ min: 0.1, max: 1, noNaN: true }),
      }),
      fc.record({
        kind: fc.constantFrom('confirm' as const, 'confirm' as const, 'decline' as const, 'confirmOwn' as const),
        pick: fc.nat(5),
      }),
      fc.record({ kind: fc.constant('unmatch' as const), pick: fc.nat(5) }),
    );
    const genThresholds = fc.array(fc.option(fc.constantFrom(0, 50_000, 100_000), { nil: undefined }), {
      minLength: DEFAULT_RULES.length,
      maxLength: DEFAULT_RULES.length,
    });
    const tally = { proposed: 0, confirmed: 0, stale: 0, declined: 0, ownRefused: 0 };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(genRequest, { minLength: 1, maxLength: 6 }),
        fc.array(genLine, { minLength: 1, maxLength: 8 }),
        genThresholds,
        // Each run ends with a run of the rules and an approver's confirmation, so that a few runs (5 on
        // PostgreSQL) see confirmations too: among random acts alone a proposal is often declined or
        // never followed by a confirm.
        fc.array(genAct, { minLength: 1, maxLength: 14 }).map((acts): Act[] => [...acts, { kind: 'run' }, { kind: 'confirm', pick: 0 }]),
        async (genRequests, genLines, thresholds, acts) => {
          await onCopyOf(template, path.join(dir, `eyes-${++run}.books.sqlite`), async (books) => {
            const staff = async (u: 'clerk' | 'approver'): Promise<Actor> => staffActor(books, u, u);
            const clerk = await staff('clerk');
            const approver = await staff('approver');
            const admin = ((await books.sql("SELECT id FROM staff WHERE username = 'admin'").get()) as { id: number }).id;
            const rules = DEFAULT_RULES.map((r, i) => (thresholds[i] === undefined ? r : { ...r, fourEyesFromFen: thresholds[i] }));
            // The rules in force, as if two admins had confirmed them.
            await inWriteTx(books, async (tx) =>
              tx
                .sql(
                  "INSERT INTO setting_changes (key, value, effective_from, reason, proposed_by, proposed_at, status, decided_by, decided_at) VALUES ('matching.rules', ?, 0, 'test', ?, 0, 'confirmed', ?, 0)",
                )
                .run(JSON.stringify(rules), admin, approver.staffId),
            );
            const requests = withCodes(genRequests, `FE${run}`);
            const now = BASE + 20 * DAY;
            await inWriteTx(books, async (tx) => {
              await enterRequests(tx, clerk, requests, `eyes-${run}`);
              const lines = [...linesOf(genLines, requests, 0), ...linesOf(genLines, requests, 1)].filter(
                (l, i, all) => l.bank_ref === null || all.findIndex((x) => x.bank_ref === l.bank_ref) === i,
              );
              if (lines.length) {
                await importLines(tx, clerk, lines, 'e.csv', now);
              }
            });
            const proposals = async () =>
              (await books.sql('SELECT * FROM match_proposals ORDER BY id').all()) as {
                id: number;
                kind: string;
                bank_line_id: number;
                request_id: number;
                allocation_id: number | null;
                amount: number;
                status: string;
                request_version: number;
                line_allocated: number;
                proposed_by: number;
              }[];
            const invariants = async () => {
              const snap = await snapshot(books);
              expectStoredSums(snap);
              // Each confirmed match made exactly one allocation of its line, request and amount; no
              // allocation belongs to two proposals.
              const confirmed = (await proposals()).filter((p) => p.kind === 'match' && p.status === 'confirmed');
              expect(new Set(confirmed.map((p) => p.allocation_id)).size).toBe(confirmed.length);
              for (const p of confirmed)
                expect(snap.allocations.find((a) => a.id === p.allocation_id)).toMatchObject({
                  bank_line_id: p.bank_line_id,
                  request_id: p.request_id,
                  amount: p.amount,
                });
              expect((await verifyBooks(books)).findings).toEqual([]);
            };
            const attempt = async (work: (tx: Parameters<Parameters<typeof inWriteTx>[1]>[0]) => unknown): Promise<string | null> => {
              try {
                await inWriteTx(books, work as never);
                return null;
              } catch (e) {
                return (e as { code?: string }).code ?? 'ERROR';
              }
            };
            for (const act of acts) {
              const waiting = (await proposals()).filter((p) => p.status === 'proposed');
              if (act.kind === 'run') {
                const before = (await proposals()).length;
                await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
                tally.proposed += (await proposals()).length - before;
                const after = [await snapshot(books), await proposals()];
                await inWriteTx(books, async (tx) => reconcile(tx, clerk, now));
                expect([await snapshot(books), await proposals()]).toEqual(after);
              } else if (act.kind === 'hand') {
                const snap = await snapshot(books);
                const l = snap.lines.filter((x) => x.amount > 0)[act.line % Math.max(1, snap.lines.length)];
                const r = snap.requests[act.request % snap.requests.length]!;
                if (l) {
                  const amount = Math.max(1, Math.floor(Math.min(l.amount - l.allocated, r.amount - r.covered) * act.frac));
                  await attempt(async (tx) => matchByHand(tx, clerk, l.id, r.id, amount, now));
                }
              } else if (act.kind === 'unmatch') {
                const active = (await snapshot(books)).allocations.filter((a) => a.status === 'active');
                const a = active[act.pick % Math.max(1, active.length)];
                if (a) await attempt((tx) => unmatch(tx, clerk, a.id, '测试撤销', now));
              } else if (waiting.length) {
                const p = waiting[act.pick % waiting.length]!;
                if (act.kind === 'decline') {
                  expect(await attempt(async (tx) => declineProposal(tx, approver, p.id, '测试拒绝', now))).toBeNull();
                  tally.declined++;
                } else if (act.kind === 'confirmOwn') {
                  // The proposer (the clerk, or the rules run by the clerk) confirming: always refused.
                  expect(await attempt((tx) => confirmProposal(tx, clerk, p.id, now))).toBe('FORBIDDEN');
                  tally.ownRefused++;
                } else {
                  const flagged = ((await waitingProposals(books, 100)).find((w) => w.id === p.id) ?? { stale: false }).stale;
                  const before = (await snapshot(books)).allocations.length;
                  const code = await attempt((tx) => confirmProposal(tx, approver, p.id, now));
                  if (flagged) {
                    expect(code).toBe('CONFLICT');
                    tally.stale++;
                  } else if (code === null) {
                    tally.confirmed++;
                    expect((await snapshot(books)).allocations.length).toBe(before + (p.kind === 'match' ? 1 : 0));
                    // Exactly once: confirming again is refused and writes nothing.
                    expect(await attempt((tx) => confirmProposal(tx, approver, p.id, now))).toBe('CONFLICT');
                  } else {
                    // Not stale, yet refused: only because the request closed since (e.g. rejected) — never over-allocation.
                    expect(code).toBe('CONFLICT');
                  }
                }
              }
              await invariants();
            }
          });
        },
      ),
      {
        numRuns: RUNS,
        seed: SEED,
        // First, one case sure to reach the queue: a payment quoting its code, every rule under four eyes.
        // Five random runs can pass with no rule proposing at all (MATCH_SEED=1122710768 did).
        examples: [
          [
            [{ payer: 0, amount: 100_000, day: 0 }],
            [{ shape: 'exact', request: 0, day: 0, frac: 0.5, noise: ['', ''], counterparty: 'payer', bankRef: true, batch: 0 }],
            DEFAULT_RULES.map(() => 0 as const),
            [{ kind: 'run' }, { kind: 'confirm', pick: 0 }],
          ],
        ],
      },
    );
    console.log(`matching property (four eyes): checked ${JSON.stringify(tally)}`);
    expect(tally.proposed).toBeGreaterThan(0);
    expect(tally.confirmed).toBeGreaterThan(0);
  }, 600_000);
});

// ---- (2) planMatches against a brute-force oracle ---------------------------------------------------

/**
 * The planner's specification by full scans: lines in (day, id) order; for each, the enabled rules in
 * order; a rule's candidates are every request still owing money that meets all its conditions (a
 * rule with neither a code nor a payer condition looks requests up by exact amount only, so it finds
 * candidates only when its amount is exact with no tolerance); one → allocate or suggest, several →
 * ambiguous suggestions, none → for a payer-account + exact rule, all the payer's requests in the
 * window if they sum exactly to the line and are one customer's; no rule → the best three by score
 * among requests scoring at least 20.
 */
function oracle(lines: OpenLine[], requests: OpenRequest[], rules: MatchRule[]): Decision[] {
  const reqs = requests.map((r) => ({ ...r }));
  const owe = (r: OpenRequest) => r.amount - r.covered;
  const normName = (s: string | null) => (s ?? '').replace(/\s+/g, '').toLowerCase();
  const codeIn = (l: OpenLine, r: OpenRequest) => {
    const c = normCode(r.referenceCode);
    return c.length > 0 && (l.text.toUpperCase().match(/[0-9A-Z]+/g) ?? []).some((t) => t.includes(c));
  };
  const tol = (rule: MatchRule, o: number) => Math.max(rule.toleranceFen ?? 0, Math.floor((o * (rule.toleranceBp ?? 0)) / 10_000));
  const amountOk = (rule: MatchRule, rem: number, o: number) =>
    rule.amount === 'exact'
      ? Math.abs(rem - o) <= tol(rule, o)
      : rule.amount === 'upTo'
        ? rem <= o
        : rule.amount === 'atLeast'
          ? rem >= o
          : true;
  const conds = (rule: MatchRule, l: OpenLine, r: OpenRequest) =>
    owe(r) > 0 &&
    l.day - r.day >= 0 &&
    l.day - r.day <= rule.windowDays &&
    (!rule.payerAccount || (l.counterpartyAccount !== null && r.payerAccount === l.counterpartyAccount)) &&
    (!rule.payerName || (!!r.payerName && normName(r.payerName) === normName(l.counterpartyName))) &&
    (!rule.referenceInMemo || codeIn(l, r));
  const lookable = (rule: MatchRule) =>
    rule.referenceInMemo || rule.payerAccount || (rule.amount === 'exact' && !rule.toleranceFen && !rule.toleranceBp);
  const score = (l: OpenLine, r: OpenRequest) =>
    (codeIn(l, r) ? 50 : 0) +
    (r.payerAccount && r.payerAccount === l.counterpartyAccount ? 25 : 0) +
    (l.remaining === owe(r) ? 20 : 0) +
    (r.payerName && normName(r.payerName) === normName(l.counterpartyName) ? 10 : 0) -
    Math.min(Math.abs(l.day - r.day), 10);
  // A rule's four-eyes threshold marks its matches of at least that amount as held for a second person.
  const held = (rule: MatchRule, amount: number) =>
    rule.fourEyesFromFen !== undefined && amount >= rule.fourEyesFromFen ? { fourEyes: true as const } : {};
  const out: Decision[] = [];
  // A match decided: the request is covered by it from then on.
  const allocate = (
    l: OpenLine,
    r: OpenRequest,
    amount: number,
    rule: MatchRule,
    name: string,
    left: { shortfall: number; excess: number },
  ) => {
    out.push({ kind: 'allocate', lineId: l.id, requestId: r.id, amount, rule: name, ...left, ...held(rule, amount) });
    r.covered += amount;
  };
  for (const l of [...lines].sort((a, b) => a.day - b.day || a.id - b.id)) {
    let decided = false;
    for (const rule of rules) {
      if (!rule.enabled || !lookable(rule)) continue;
      // Exact-amount-only rules look up by the line's amount, so they see only exact equality.
      const amountOnly = !rule.referenceInMemo && !rule.payerAccount;
      const fits = reqs.filter((r) => conds(rule, l, r) && (amountOnly ? owe(r) === l.remaining : amountOk(rule, l.remaining, owe(r))));
      if (fits.length === 1) {
        const r = fits[0]!;
        const amount = Math.min(l.remaining, owe(r));
        if (rule.action === 'match') allocate(l, r, amount, rule, rule.name, { shortfall: owe(r) - amount, excess: l.remaining - amount });
        else out.push({ kind: 'suggest', lineId: l.id, requestId: r.id, amount, rule: rule.name, score: score(l, r), ambiguous: false });
        decided = true;
      } else if (fits.length > 1) {
        // Several candidates: the best five by score (ties by id) are suggested; compared as a set below.
        const best = fits
          .map((r) => ({ r, s: score(l, r) }))
          .sort((a, b) => b.s - a.s || a.r.id - b.r.id)
          .slice(0, 5)
          .map((x) => x.r);
        for (const r of best)
          out.push({
            kind: 'suggest',
            lineId: l.id,
            requestId: r.id,
            amount: Math.min(l.remaining, owe(r)),
            rule: rule.name,
            score: score(l, r),
            ambiguous: true,
          });
        decided = true;
      } else if (rule.payerAccount && rule.amount === 'exact') {
        const group = reqs.filter((r) => conds(rule, l, r));
        if (
          group.length > 1 &&
          group.reduce((s, r) => s + owe(r), 0) === l.remaining &&
          new Set(group.map((r) => r.customerId)).size === 1
        ) {
          for (const r of group) {
            const amount = owe(r);
            if (rule.action === 'match') allocate(l, r, amount, rule, `${rule.name} (several requests)`, { shortfall: 0, excess: 0 });
            else
              out.push({ kind: 'suggest', lineId: l.id, requestId: r.id, amount, rule: rule.name, score: score(l, r), ambiguous: false });
          }
          decided = true;
        }
      }
      if (decided) break;
    }
    if (decided) continue;
    const scored = reqs
      .filter((r) => owe(r) > 0 && l.day >= r.day)
      .map((r) => ({ r, s: score(l, r) }))
      .filter((x) => x.s >= 20)
      .sort((a, b) => b.s - a.s || a.r.id - b.r.id)
      .slice(0, 3);
    for (const { r, s } of scored)
      out.push({
        kind: 'suggest',
        lineId: l.id,
        requestId: r.id,
        amount: Math.min(l.remaining, owe(r)),
        rule: 'score',
        score: s,
        ambiguous: scored.length > 1,
      });
  }
  return out;
}

/** Decisions per line as sets (candidate order inside one line is the index's, not part of the contract). */
const canonical = (ds: Decision[]) =>
  [...ds].sort((a, b) => a.lineId - b.lineId || a.requestId - b.requestId || a.kind.localeCompare(b.kind)).map((d) => JSON.stringify(d));

const CODES = ['AB12CD', 'XY34ZW', 'AB12CDX', 'QQ77RR', '12AB34'];
const CARDS = ['6222000011', '6222000022', '6222000033'];
const genOpenRequests = fc
  .array(
    fc.record({
      customer: fc.nat(2),
      amount: fc.constantFrom(100, 250, 500, 1000, 1250),
      covered: fc.constantFrom(0, 0, 0, 100),
      code: fc.nat(CODES.length - 1),
      payer: fc.nat(CARDS.length - 1),
      name: fc.constantFrom<string | null>('张伟', 'Li Na', null),
      day: fc.nat(6),
    }),
    { maxLength: 7 },
  )
  .map((rs) =>
    rs.map<OpenRequest>((r, i) => ({
      id: i + 1,
      customerId: r.customer,
      amount: r.amount,
      covered: Math.min(r.covered, r.amount - 1),
      referenceCode: CODES[r.code]!,
      payerAccount: CARDS[r.payer]!, // a request always names the bank account it is paid from
      payerName: r.name,
      day: r.day,
    })),
  );
const genOpenLines = fc
  .array(
    fc.record({
      remaining: fc.constantFrom(100, 150, 250, 400, 500, 750, 1000, 1250, 1500),
      day: fc.nat(9),
      cp: fc.option(fc.nat(CARDS.length - 1), { nil: null }),
      name: fc.constantFrom<string | null>('张 伟', 'li na', '某某', null),
      text: fc.array(fc.constantFrom(...CODES, '充值', 'ref', 'x', '-', ' '), { maxLength: 3 }),
    }),
    { maxLength: 7 },
  )
  .map((ls) =>
    ls.map<OpenLine>((l, i) => ({
      id: 100 + i,
      remaining: l.remaining,
      day: l.day,
      counterpartyAccount: l.cp === null ? null : CARDS[l.cp]!,
      counterpartyName: l.name,
      text: l.text.join(''),
    })),
  );
const genRule: fc.Arbitrary<MatchRule> = fc.record({
  name: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
  enabled: fc.boolean(),
  referenceInMemo: fc.boolean(),
  payerAccount: fc.boolean(),
  payerName: fc.boolean(),
  amount: fc.constantFrom<MatchRule['amount']>('exact', 'upTo', 'atLeast', 'any'),
  toleranceFen: fc.constantFrom(0, 0, 50),
  toleranceBp: fc.constantFrom(0, 0, 1000),
  windowDays: fc.nat(7),
  action: fc.constantFrom<'match' | 'suggest'>('match', 'suggest'),
  fourEyesFromFen: fc.option(fc.constantFrom(0, 300, 1000), { nil: undefined }),
});
const genRules = fc.oneof(fc.constant(DEFAULT_RULES), fc.array(genRule, { minLength: 1, maxLength: 4 }));

describe(`planMatches against a brute-force oracle (MATCH_SEED=${SEED})`, () => {
  it('the hash indexes find exactly what scanning every request finds', () => {
    fc.assert(
      fc.property(genOpenLines, genOpenRequests, genRules, (lines, requests, rules) => {
        const planned = planMatches(lines, requests, rules);
        expect(canonical(planned)).toEqual(canonical(oracle(lines, requests, rules)));
        // And on its own terms: never over-allocated.
        const perLine = new Map<number, number>();
        const perReq = new Map<number, number>();
        for (const d of planned)
          if (d.kind === 'allocate') {
            perLine.set(d.lineId, (perLine.get(d.lineId) ?? 0) + d.amount);
            perReq.set(d.requestId, (perReq.get(d.requestId) ?? 0) + d.amount);
          }
        for (const l of lines) expect(perLine.get(l.id) ?? 0).toBeLessThanOrEqual(l.remaining);
        for (const r of requests) expect(perReq.get(r.id) ?? 0).toBeLessThanOrEqual(r.amount - r.covered);
      }),
      { numRuns: RUNS * 5, seed: SEED },
    );
  });
});
