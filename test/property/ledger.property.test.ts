// Model-based test of the ledger: random sequences of operations (accounts, single and linked
// transfers, pending/post/void, replays with the same and other content, over-limit and overflow
// attempts, reversals, manual vouchers, months closed and reopened, late platform events) run against
// the real books and a naive model; after every step the result codes, every account's balances, every
// business date and `verify` must agree, every CNY transfer belongs to a voucher, voucher numbers have
// no gap, and no posting has landed in a month while it was closed.
// LEDGER_RUNS=5000 runs more sequences; LEDGER_SEED=n replays one.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inSavepoint, inWriteTx, type AnyBooks, type Tx } from '../../main/db/tx';
import { pairVoucherLines, type VoucherLineIn } from '../../main/domain/vouchers';
import { createAccount, createTransfers, expectPosted, type TransferInput } from '../../main/services/ledger-post';
import { insertVoucher } from '../../main/services/voucher-numbers';
import { verifyBooks } from '../../main/services/verify';
import { ON_POSTGRES, tempDir, testBooks } from '../support/temp-books';
import { LedgerModel, isResolve, type MInput } from './ledger-model';
import { propertySeed } from './seeds';

// 60 sequences on PostgreSQL (a new schema per sequence makes each ~10× slower), 200 on SQLite. On
// PostgreSQL the seed is fixed (./seeds.ts): at 60 sequences a random one now and then generated no
// exceeds_credits and failed the coverage check below (seed 214320602 in CI).
const RUNS = Number(process.env.LEDGER_RUNS ?? (ON_POSTGRES ? 60 : 200));
const SEED = propertySeed('LEDGER_SEED', 1997301495);
const dir = tempDir('coffer-model-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Step =
  | { op: 'account'; ledger: number; flags: number }
  | { op: 'batch'; items: ItemSpec[]; via: Via; late: boolean }
  | { op: 'reverse'; pick: number; key: number; month: number; day: number }
  | { op: 'close' | 'reopen'; month: number }
  | { op: 'voucher'; debits: number[]; credits: number; picks: number[]; month: number; day: number };

/** The months the sequences post in, close and reopen. */
const MONTHS = ['2026-09', '2026-10', '2026-11', '2026-12'];
const dateOf = (month: number, day: number) => `${MONTHS[month % MONTHS.length]}-${String(day).padStart(2, '0')}`;

/**
 * How a batch reaches the books: on the test's connection; posted and then rolled back (whole, or to a
 * savepoint inside a transaction that commits); or through a second connection to the same file. The
 * ledger keeps balances in memory between batches, so these must all leave it agreeing with the books.
 */
type Via = 'same' | 'rollback' | 'savepoint' | 'other';
class RolledBack extends Error {}

interface ItemSpec {
  kind: 'single' | 'pending' | 'post' | 'void' | 'replay' | 'replayOther';
  a: number;
  b: number;
  ledger: number;
  amount: number;
  pick: number;
  partial: boolean;
  linked: boolean;
  sameLedger: boolean;
  emptyKey: boolean;
  month: number;
  day: number;
}

const amountArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 200 }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: Number.MAX_SAFE_INTEGER - 300, max: Number.MAX_SAFE_INTEGER }) },
);
const itemArb: fc.Arbitrary<ItemSpec> = fc.record({
  kind: fc.constantFrom('single', 'single', 'single', 'pending', 'post', 'void', 'replay', 'replayOther'),
  a: fc.nat(40),
  b: fc.nat(40),
  ledger: fc.integer({ min: 1, max: 3 }),
  amount: amountArb,
  pick: fc.nat(1000),
  partial: fc.boolean(),
  linked: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  sameLedger: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  emptyKey: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  month: fc.nat(3),
  day: fc.integer({ min: 1, max: 28 }),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('account' as const),
      ledger: fc.integer({ min: 1, max: 3 }),
      flags: fc.constantFrom(0, 0, 1, 2),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('batch' as const),
      items: fc.array(itemArb, { minLength: 1, maxLength: 6 }),
      via: fc.constantFrom<Via>('same', 'same', 'same', 'same', 'rollback', 'savepoint', 'other'),
      late: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('reverse' as const),
      pick: fc.nat(1000),
      key: fc.nat(3),
      month: fc.nat(3),
      day: fc.integer({ min: 1, max: 28 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('close' as const, 'reopen' as const), month: fc.nat(3) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('voucher' as const),
      debits: fc.array(fc.integer({ min: 1, max: 500_00 }), { minLength: 1, maxLength: 3 }),
      credits: fc.integer({ min: 1, max: 2 }),
      picks: fc.array(fc.nat(100), { minLength: 5, maxLength: 5 }),
      month: fc.nat(3),
      day: fc.integer({ min: 1, max: 28 }),
    }),
  },
);

describe('ledger against its model', () => {
  it(`agrees after every step (${RUNS} sequences, seed ${SEED})`, async () => {
    console.log(`ledger model: seed ${SEED}, ${RUNS} runs (LEDGER_SEED=${SEED} to replay)`);
    let run = 0;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 30 }), async (steps) => {
        const { books, file, reopen, remove } = await testBooks(dir, `run-${run++}.books.sqlite`);
        let second: AnyBooks | null = null;
        const model = new LedgerModel();
        // The seeded system accounts exist in both.
        for (const r of (await books.sql('SELECT id, ledger, flags FROM accounts').all()) as {
          id: number;
          ledger: number;
          flags: number;
        }[]) {
          model.accounts.set(r.id, { id: r.id, ledger: r.ledger, flags: r.flags, dpe: 0, dpo: 0, cpe: 0, cpo: 0 });
        }
        let keySeq = 0;
        // How many transfers each month held when it was closed: none may be added while it stays closed.
        const heldAtClose = new Map<string, number>();
        const inMonth = async (month: string) =>
          ((await books.sql('SELECT count(*) AS n FROM transfers WHERE substr(business_date, 1, 7) = ?').get(month)) as { n: number }).n;
        try {
          // In a write of Coffer's own, so the two users are sealed like any row Coffer writes.
          await inWriteTx(books, async (tx) =>
            tx
              .sql(
                "INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES ('closer', 'closer', 'approver', 'x', 0, 0), ('confirmer', 'confirmer', 'approver', 'x', 0, 0)",
              )
              .run(),
          );
          for (const step of steps) {
            const via = step.op === 'batch' ? step.via : 'same';
            if (via === 'other' && !second) second = await reopen();
            const conn = via === 'other' ? second! : books;
            if (step.op === 'close' || step.op === 'reopen') {
              const month = MONTHS[step.month]!;
              await inWriteTx(books, async (tx) => setMonth(tx, month, step.op === 'close'));
              if (step.op === 'close') {
                model.closed.add(month);
                heldAtClose.set(month, await inMonth(month));
              } else {
                model.closed.delete(month);
                heldAtClose.delete(month);
              }
            }
            if (step.op === 'voucher') {
              // Accounts far from overflowing, without limits: a voucher's outcome then depends only on its month.
              const cny = [...model.accounts.values()]
                .filter((a) => a.ledger === 1 && a.flags === 0 && a.dpe + a.dpo + a.cpe + a.cpo < 2 ** 50)
                .map((a) => a.id);
              // Debit and credit accounts apart: a line never meets its own account on the other side.
              const debitAccounts = cny.filter((_, i) => i % 2 === 0);
              const creditAccounts = cny.filter((_, i) => i % 2 === 1);
              if (!debitAccounts.length || !creditAccounts.length) continue;
              const total = step.debits.reduce((x, y) => x + y, 0);
              const lines: VoucherLineIn[] = step.debits.map((amount, i) => ({
                accountId: debitAccounts[step.picks[i]! % debitAccounts.length]!,
                debit: amount,
                credit: 0,
              }));
              const first = step.credits === 1 || total < 2 ? total : Math.floor(total / 2);
              lines.push({ accountId: creditAccounts[step.picks[3]! % creditAccounts.length]!, debit: 0, credit: first });
              if (first < total)
                lines.push({ accountId: creditAccounts[step.picks[4]! % creditAccounts.length]!, debit: 0, credit: total - first });
              const date = dateOf(step.month, step.day);
              const outcome = await inWriteTx(books, async (tx) => postVoucher(tx, lines, date)).then(
                () => 'posted',
                (e: { details?: { reason?: string } }) => e.details?.reason ?? String(e),
              );
              const closed = model.closed.has(date.slice(0, 7));
              expect(outcome).toBe(closed ? 'period_closed' : 'posted');
              seen.set(`voucher_${outcome}`, (seen.get(`voucher_${outcome}`) ?? 0) + 1);
              if (!closed) {
                model.vouchers++;
                const posted = (await books
                  .sql(
                    'SELECT id, key, ledger, debit_account_id AS dr, credit_account_id AS cr, amount, business_date AS date FROM transfers WHERE id >= ? ORDER BY id',
                  )
                  .all(model.next)) as { id: number; key: string; ledger: number; dr: number; cr: number; amount: number; date: string }[];
                expect(posted.length).toBeGreaterThan(0);
                for (const t of posted) model.adopt({ ...t, kind: 'single', pendingId: null, reversesId: null, code: 'voucher' });
                for (const l of lines) {
                  const a = model.accounts.get(l.accountId)!;
                  a.dpo += l.debit;
                  a.cpo += l.credit;
                }
              }
            }
            if (step.op === 'close' || step.op === 'reopen' || step.op === 'voucher') {
              await checkAfterStep();
              continue;
            }
            await inWriteTx(conn, async (tx) => {
              if (step.op === 'account') {
                const id = await createAccount(tx, {
                  ledger: step.ledger,
                  code: 'test',
                  name: 'test',
                  ownerKind: 'test',
                  flags: step.flags,
                });
                model.accounts.set(id, { id, ledger: step.ledger, flags: step.flags, dpe: 0, dpo: 0, cpe: 0, cpo: 0 });
                return;
              }
              const ids = [...model.accounts.keys()];
              const acct = (n: number) => (n === 40 ? 999_999 : ids[n % ids.length]!);
              // Mostly accounts of the transfer's own ledger, so that transfers get through often.
              const onLedger = (n: number, ledger: number) => {
                const own = ids.filter((id) => model.accounts.get(id)!.ledger === ledger);
                return n === 40 ? 999_999 : own[n % own.length]!;
              };
              const inputs: MInput[] = [];
              if (step.op === 'reverse') {
                const done = model.transfers.filter((t) => t.kind === 'single' || t.kind === 'post');
                const o = done.length ? done[step.pick % done.length]! : undefined;
                if (!o) return;
                // key 0..2: a fresh reversal key, or a replay of the last one.
                inputs.push({
                  key: step.key === 0 && keySeq > 0 ? `k${keySeq}` : `k${++keySeq}`,
                  kind: 'single',
                  ledger: o.ledger,
                  dr: o.cr,
                  cr: o.dr,
                  amount: o.amount,
                  code: 'reversal',
                  linked: false,
                  reversesId: o.id,
                  date: dateOf(step.month, step.day),
                });
              } else if (step.op === 'batch') {
                for (const it of step.items) {
                  const key = it.emptyKey ? '' : `k${++keySeq}`;
                  const date = dateOf(it.month, it.day);
                  const pendings = model.transfers.filter((t) => t.kind === 'pending');
                  const any = model.transfers;
                  if (it.kind === 'single' || it.kind === 'pending') {
                    const pickA = it.sameLedger ? onLedger(it.a, it.ledger) : acct(it.a);
                    const pickB = it.sameLedger ? onLedger(it.b, it.ledger) : acct(it.b);
                    inputs.push({
                      key,
                      kind: it.kind,
                      ledger: it.ledger,
                      dr: pickA,
                      cr: pickB,
                      amount: it.amount,
                      code: 'test',
                      linked: it.linked,
                      date,
                    });
                  } else if (it.kind === 'post' || it.kind === 'void') {
                    const p = pendings.length ? pendings[it.pick % pendings.length]!.id : 999_999;
                    const amount = it.partial ? Math.max(0, it.amount % 150) : undefined;
                    inputs.push({
                      key,
                      kind: it.kind,
                      pendingId: p,
                      ...(amount !== undefined ? { amount } : {}),
                      code: 'test',
                      linked: it.linked,
                      date,
                    });
                  } else if (any.length) {
                    const o = any[it.pick % any.length]!;
                    if (o.kind === 'post' || o.kind === 'void') {
                      inputs.push({
                        key: o.key,
                        kind: o.kind,
                        pendingId: o.pendingId!,
                        code: it.kind === 'replay' ? o.code : 'other',
                        linked: it.linked,
                        date,
                      });
                    } else {
                      inputs.push({
                        key: o.key,
                        kind: o.kind,
                        ledger: o.ledger,
                        dr: o.dr,
                        cr: o.cr,
                        amount: it.kind === 'replay' ? o.amount : o.amount + 1,
                        code: o.code,
                        linked: it.linked,
                        date,
                        ...(o.reversesId !== null ? { reversesId: o.reversesId } : {}),
                      });
                    }
                  }
                }
              }
              if (!inputs.length) return;
              const late = step.op === 'batch' && step.late;
              const post = async () => createTransfers(tx, inputs.map(toService), { lateToFirstOpenDay: late });
              if (via === 'rollback') {
                await post();
                throw new RolledBack();
              }
              if (via === 'savepoint') {
                try {
                  await inSavepoint(tx, async () => {
                    await post();
                    throw new RolledBack();
                  });
                } catch (e) {
                  if (!(e instanceof RolledBack)) throw e;
                }
                return;
              }
              const real = await post();
              model.late = late;
              const expected = model.batch(inputs);
              model.late = false;
              if (ON_POSTGRES)
                model.takeDrawnIds(
                  expected,
                  real.map((r) => r.id),
                );
              expect(real.map((r) => [r.result, r.id ?? null])).toEqual(expected.map((r) => [r.code, r.id ?? null]));
              for (const r of real) seen.set(r.result, (seen.get(r.result) ?? 0) + 1);
            }).catch((e: unknown) => {
              if (!(e instanceof RolledBack)) throw e;
            });
            await checkAfterStep();
          }

          // After every step: balances and business dates equal the model's, verify finds nothing, every
          // CNY transfer has its voucher, voucher numbers have no gap, and closed months did not move.
          async function checkAfterStep() {
            const rows = await books
              .sql(
                'SELECT id, debits_pending AS dpe, debits_posted AS dpo, credits_pending AS cpe, credits_posted AS cpo FROM accounts ORDER BY id',
              )
              .all();
            const want = [...model.accounts.values()]
              .sort((x, y) => x.id - y.id)
              .map(({ id, dpe, dpo, cpe, cpo }) => ({ id, dpe, dpo, cpe, cpo }));
            expect(rows).toEqual(want);
            // The model posts freely between the seeded system accounts too, so the ties of those
            // accounts to their sub-ledgers (bank lines, records, refunds) are not the ledger's to keep
            // here; every ledger check is.
            const report = await verifyBooks(books, undefined, file);
            const subLedger = ['refunds_payable', 'unallocated_receipts', 'customer_prepayments', 'earnings_payable', 'payouts_payable'];
            expect(report.findings.filter((f) => !subLedger.includes(f.check))).toEqual([]);
            for (const a of model.accounts.values()) {
              if (a.flags & 1) expect(a.dpe + a.dpo).toBeLessThanOrEqual(a.cpo);
              if (a.flags & 2) expect(a.cpe + a.cpo).toBeLessThanOrEqual(a.dpo);
            }
            const dates = await books.sql('SELECT id, business_date AS date FROM transfers ORDER BY id').all();
            expect(dates).toEqual(model.transfers.map((t) => ({ id: t.id, date: t.date })));
            expect(await books.sql('SELECT count(*) AS n FROM transfers WHERE ledger = 1 AND voucher_id IS NULL').get()).toEqual({
              n: 0,
            });
            const gaps = (await books
              .sql('SELECT period, word, count(*) AS n, min(number) AS lo, max(number) AS hi FROM vouchers GROUP BY period, word')
              .all()) as { n: number; lo: number; hi: number }[];
            for (const g of gaps) expect([g.lo, g.hi]).toEqual([1, g.n]);
            expect(((await books.sql("SELECT count(*) AS n FROM vouchers WHERE source = 'manual'").get()) as { n: number }).n).toBe(
              model.vouchers,
            );
            for (const [month, held] of heldAtClose) expect(await inMonth(month), `postings landed in closed ${month}`).toBe(held);
          }
        } finally {
          await second?.close();
          await remove();
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: ON_POSTGRES }, // shrinking on PostgreSQL outlasts the timeout: replay the seed
    );
    // The generator must reach the interesting outcomes, or the agreement above proves little.
    console.log('outcomes seen:', Object.fromEntries([...seen].sort((a, b) => b[1] - a[1])));
    for (const code of [
      'ok',
      'exists',
      'exceeds_credits',
      'linked_event_failed',
      'pending_transfer_already_posted',
      'exists_with_different_amount',
      'accounts_must_have_the_same_ledger',
      'period_closed',
      'voucher_posted',
      'voucher_period_closed',
    ]) {
      expect(seen.get(code) ?? 0, `outcome ${code} never generated`).toBeGreaterThan(0);
    }
  }, 600_000);
});

function toService(t: MInput): TransferInput {
  if (isResolve(t)) {
    return {
      key: t.key,
      kind: t.kind,
      pendingId: t.pendingId,
      code: t.code,
      linked: t.linked,
      date: t.date,
      ...(t.amount !== undefined ? { amount: t.amount } : {}),
    };
  }
  return {
    key: t.key,
    kind: t.kind,
    ledger: t.ledger,
    debitAccountId: t.dr,
    creditAccountId: t.cr,
    amount: t.amount,
    code: t.code,
    linked: t.linked,
    date: t.date,
    ...(t.reversesId !== undefined ? { reversesId: t.reversesId } : {}),
  };
}

/** Closes a month (closed by one person, confirmed by another) or opens it again. */
async function setMonth(tx: Tx, month: string, close: boolean): Promise<void> {
  if (close)
    await tx
      .sql(
        "INSERT INTO periods (month, state, closed_by, confirmed_by) VALUES (?, 'closed', 1, 2) ON CONFLICT (month) DO UPDATE SET state = 'closed', closed_by = 1, confirmed_by = 2",
      )
      .run(month);
  else await tx.sql("UPDATE periods SET state = 'open', confirmed_by = NULL WHERE month = ?").run(month);
}

/** A manual voucher of balanced lines, posted as one linked chain of transfers under its number. */
async function postVoucher(tx: Tx, lines: VoucherLineIn[], date: string): Promise<void> {
  const { id } = await insertVoucher(
    tx,
    { date, word: '记', summary: 'model voucher', source: 'manual', status: 'draft', preparedBy: 1 },
    Date.now(),
  );
  const pairs = pairVoucherLines(lines);
  expectPosted(
    await createTransfers(
      tx,
      pairs.map((p, i) => ({
        key: `voucher:${id}:${i}`,
        ledger: 1,
        ...p,
        code: 'voucher',
        voucherId: id,
        date,
        linked: i < pairs.length - 1,
      })),
    ),
  );
  await tx.sql("UPDATE vouchers SET status = 'posted', reviewed_by = 2, reviewed_at = 0 WHERE id = ?").run(id);
}
