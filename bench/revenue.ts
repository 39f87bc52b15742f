// node --import tsx bench/revenue.ts: the monthly revenue run over a month of 1M coin spends (issue 12:
// the run over 1,000,000 spend events in a month ≤ 10 s).
//   BENCH_CUSTOMERS (default 20,000) customers with one account each (payers as bench/lib makes them),
//   BENCH_RECHARGES (3) recharges each in 2026-11 (days 1, 11, 21; 100.00–2,000.00 yuan at 10 coins a
//   yuan, 5 % bonus coins from 1,000.00: a recharge record and its money, coin and bonus transfers), and
//   BENCH_SPENDS (1,000,000) `spend` transfers spread over the month's 30 days, each 1–60 coins from a
//   random customer's wallet. Everything is posted through createTransfers (CNY legs under automatic
//   vouchers) in batches of 8,000, day by day; the records are raw inserts. Then, BENCH_RUNS times
//   (default 5): computeRevenue, previewRevenue and runRevenue (in a write transaction rolled back
//   after each run, then once for real), beside a raw baseline in the same run: the replay's own
//   SELECT of the month's coin transfers, iterated with nothing done per row (the least a replay reads).
// `--write-docs` rewrites the revenue section of docs/PERFORMANCE.md (default sizes only).
import { openBooks, type Books } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { LEDGER } from '../main/domain/ledgers';
import { recordAudit } from '../main/services/audit';
import { createTransfers, expectPosted, type TransferInput } from '../main/services/ledger-post';
import { computeRevenue, previewRevenue, runRevenue } from '../main/services/revenue';
import { cnyAccount, systemAccount } from '../main/services/system-accounts';
import { cpuMs, envInt, fmtInt, freshFile, ms, payerCard, payerName, prng, removeFile, seconds, seedPayers, stats } from './lib';
import { banner, KEEP, log, now, publish, resultsSection } from './harness';

const CUSTOMERS = envInt('BENCH_CUSTOMERS', 20_000);
const RECHARGES = envInt('BENCH_RECHARGES', 3);
const SPENDS = envInt('BENCH_SPENDS', 1_000_000);
const RUNS = envInt('BENCH_RUNS', 5);
const BATCH = 8_000;
const MONTH = '2026-11';
const DAYS = 30;
const NOW = Date.parse('2026-12-01T10:00:00+08:00');
const ACTOR = { staffId: null, name: 'bench', role: 'system' as const };
const day = (d: number) => `${MONTH}-${String(d).padStart(2, '0')}`;

interface Recharge {
  account: number;
  fen: number;
  paid: number;
  bonus: number;
}

/** Posts a day's batch under one write transaction with its audit row. */
async function post(books: Books, batch: TransferInput[], b: number): Promise<number[]> {
  return inWriteTx(books, async (tx) => {
    const ids = expectPosted(await createTransfers(tx, batch, { now: NOW }));
    await recordAudit(tx, ACTOR, { action: 'bench.batch', entity: 'transfers', entityId: b, count: batch.length, at: NOW });
    return ids;
  });
}

async function fill(books: Books): Promise<void> {
  const r = prng(11);
  const t0 = now();
  await inWriteTx(books, async (tx) => seedPayers(tx, CUSTOMERS, NOW, NOW - 60 * 86_400_000));
  const accounts = (await books.sql('SELECT id, recharge_wallet_id AS wallet FROM customer_accounts ORDER BY id').all()) as {
    id: number;
    wallet: number;
  }[];
  const wallet = Int32Array.from(accounts, (a) => a.wallet);
  const held = new Float64Array(accounts.length); // coins in each wallet as posted so far
  const sys = {
    unallocated: await cnyAccount(books, 'unallocated_receipts'),
    prepaid: await cnyAccount(books, 'customer_prepayments'),
    issuance: await systemAccount(books, LEDGER.RECHARGE_COIN, 'coin_issuance'),
    bonus: await systemAccount(books, LEDGER.RECHARGE_COIN, 'bonus_issuance'),
    consumption: await systemAccount(books, LEDGER.RECHARGE_COIN, 'coin_consumption'),
  };
  const rechargeDays = Array.from({ length: RECHARGES }, (_, k) => 1 + Math.floor((k * DAYS) / RECHARGES));
  let spent = 0;
  let b = 0;
  let transfers = 0;
  let records = 0;
  for (let d = 1; d <= DAYS; d++) {
    // The day's recharges first (their coins may be spent the same day), each with its record.
    if (rechargeDays.includes(d)) {
      const k = rechargeDays.indexOf(d);
      const list: Recharge[] = accounts.map((_, a) => {
        const fen = 100 * (100 + r(1_901));
        const paid = fen / 10;
        return { account: a, fen, paid, bonus: fen >= 100_000 ? Math.floor(paid / 20) : 0 };
      });
      for (let start = 0; start < list.length; start += BATCH / 4) {
        const part = list.slice(start, start + BATCH / 4);
        const batch: TransferInput[] = [];
        for (const c of part) {
          const leg = (part: string, ledger: number, debitAccountId: number, amount: number): TransferInput => ({
            key: `credit:${k}:${c.account}:${part}`,
            ledger,
            debitAccountId,
            creditAccountId: ledger === LEDGER.CNY ? sys.prepaid : wallet[c.account]!,
            amount,
            code: part === 'bonus' ? 'recharge_bonus' : 'recharge_credit',
            date: day(d),
          });
          batch.push(leg('money', LEDGER.CNY, sys.unallocated, c.fen), leg('coins', LEDGER.RECHARGE_COIN, sys.issuance, c.paid));
          if (c.bonus > 0) batch.push(leg('bonus', LEDGER.RECHARGE_COIN, sys.bonus, c.bonus));
          held[c.account]! += c.paid + c.bonus;
        }
        const ids = await post(books, batch, b++);
        transfers += ids.length;
        await inWriteTx(books, async (tx) => {
          const req = tx.sql(
            `INSERT INTO recharge_requests (request_id, account_id, bank_binding_id, payer_account, payer_name, amount, covered, channel, reference_code, requested_at, updated_at, status)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'bank', ?, ?, ?, 'credited')`,
          );
          const rec = tx.sql(
            `INSERT INTO recharge_records (receipt_no, year, seq, request_id, account_id, customer_id, amount, channel, rule_version, rule_json, paid_coins, bonus_coins,
               first_recharge, tier_json, evidence_json, matched_by_json, approved_by_json, credited_at, money_transfer_id, coins_transfer_id, bonus_transfer_id)
             VALUES (?, 2026, ?, ?, ?, ?, ?, 'bank', 0, '{}', ?, ?, 0, NULL, '[]', '[]', '["bench"]', ?, ?, ?, ?)`,
          );
          let i = 0;
          for (const c of part) {
            const a = accounts[c.account]!.id;
            const name = `credit:${k}:${c.account}`;
            const requestId = Number(
              (await req.run(name, a, a, payerCard(a), payerName(a), c.fen, c.fen, `R${k}-${a}`, NOW, NOW)).lastInsertRowid,
            );
            const [money, coins] = [ids[i++]!, ids[i++]!];
            const bonus = c.bonus > 0 ? ids[i++]! : null;
            records++;
            await rec.run(
              `B2026-${String(records).padStart(8, '0')}`,
              records,
              requestId,
              a,
              a,
              c.fen,
              c.paid,
              c.bonus,
              NOW,
              money,
              coins,
              bonus,
            );
          }
        });
      }
    }
    // The day's share of the spends, from wallets that hold coins.
    const todays = Math.floor((SPENDS * d) / DAYS) - Math.floor((SPENDS * (d - 1)) / DAYS);
    let batch: TransferInput[] = [];
    for (let i = 0; i < todays; i++) {
      let a = r(accounts.length);
      while (held[a]! < 1) a = r(accounts.length);
      const coins = Math.min(held[a]!, 1 + r(60));
      held[a]! -= coins;
      batch.push({
        key: `spend:${spent++}`,
        ledger: LEDGER.RECHARGE_COIN,
        debitAccountId: wallet[a]!,
        creditAccountId: sys.consumption,
        amount: coins,
        code: 'spend',
        date: day(d),
      });
      if (batch.length === BATCH || i === todays - 1) {
        transfers += (await post(books, batch, b++)).length;
        batch = [];
      }
    }
  }
  log(
    `  ${fmtInt(CUSTOMERS)} customers, ${fmtInt(records)} recharge records, ${fmtInt(spent)} spends: ${fmtInt(transfers)} transfers posted in ${seconds(now() - t0)}`,
  );
}

/** Wall-clock stats of `runs` calls after a warm-up, and the median CPU time the process spent in them. */
function time(runs: number, f: () => unknown) {
  f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [t0, c0] = [now(), cpuMs()];
    f();
    wall.push(now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { ...stats(wall), cpu: stats(cpu).median };
}

class RolledBack extends Error {}

/** runRevenue in a write transaction that is rolled back after it (so it can run again): the time of the run alone. */
async function runOnce(books: Books, keep: boolean): Promise<{ wall: number; cpu: number }> {
  let took = { wall: 0, cpu: 0 };
  try {
    await inWriteTx(books, async (tx) => {
      const [t0, c0] = [now(), cpuMs()];
      const out = await runRevenue(tx, ACTOR, MONTH, NOW);
      took = { wall: now() - t0, cpu: cpuMs() - c0 };
      if (out.customers !== CUSTOMERS) throw new Error(`the run has ${out.customers} customers, not ${CUSTOMERS}`);
      if (!keep) throw new RolledBack();
    });
  } catch (e) {
    if (!(e instanceof RolledBack)) throw e;
  }
  return took;
}

function rawReplay(books: Books) {
  const stmt = books.raw.prepare(
    `SELECT id, kind, debit_account_id, credit_account_id, amount, code, business_date, reverses_id FROM transfers
     WHERE ledger = ${LEDGER.RECHARGE_COIN} AND kind IN ('single', 'post') AND business_date <= ? ORDER BY id`,
  );
  return () => {
    let n = 0;
    for (const _ of stmt.raw(true).iterate(`${MONTH}-30`)) n++;
    return n;
  };
}

async function main(): Promise<void> {
  banner('revenue-run benchmark', `customers ${fmtInt(CUSTOMERS)}, spends ${fmtInt(SPENDS)}, ${RUNS} runs each`);
  const file = freshFile('revenue.books.sqlite');
  const books = await openBooks(file, { create: true });
  log(`posting ${MONTH} …`);
  await fill(books);
  const base = time(RUNS, rawReplay(books));
  const compute = time(RUNS, async () => computeRevenue(books, MONTH));
  const preview = time(RUNS, async () => previewRevenue(books, MONTH, NOW));
  await runOnce(books, false);
  const runs: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce(books, false));
  const run = { ...stats(runs.map((r) => r.wall)), cpu: stats(runs.map((r) => r.cpu)).median };
  const posted = await runOnce(books, true);
  const c = await computeRevenue(books, MONTH);
  log(`  used ${c.totals.usedCoins} coins, revenue ${c.totals.revenue} fen, tax ${c.totals.tax} fen, ${c.lines.size} customers`);
  const rows: string[][] = [];
  const row = (what: string, s: ReturnType<typeof time>, target: number | null) =>
    rows.push([
      what,
      `${seconds(s.median)} / ${seconds(s.max)} (CPU ${seconds(s.cpu)})`,
      `raw replay SELECT ${ms(base.median)}`,
      (s.median / base.median).toFixed(2),
      target === null ? '(reference)' : `≤ ${target / 1000} s`,
      target === null ? '' : s.median <= target ? 'met' : 'MISSED',
    ]);
  const size = `${fmtInt(SPENDS)} spends (${fmtInt(CUSTOMERS)} customers, ${fmtInt(CUSTOMERS * RECHARGES)} recharges)`;
  row(`computeRevenue ${MONTH}: ${size}`, compute, 10_000);
  row(`previewRevenue ${MONTH} (compute + run state)`, preview, 10_000);
  row(`runRevenue ${MONTH} (compute, voucher, ${fmtInt(CUSTOMERS)} run lines, audit; rolled back)`, run, 10_000);
  rows.push([`runRevenue ${MONTH}, committed once`, `${seconds(posted.wall)} (CPU ${seconds(posted.cpu)})`, '', '', '(reference)', '']);
  await books.close();
  if (!KEEP) removeFile(file);

  const section = resultsSection(['measure', 'median / max (CPU median)', 'baseline (same run)', 'ratio', 'target', ''], rows);
  publish('revenue', section, CUSTOMERS === 20_000 && RECHARGES === 3 && SPENDS === 1_000_000 && RUNS === 5);
}

await main();
