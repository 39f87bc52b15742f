// node --import tsx bench/approval.ts: approval and crediting at scale (issue 5).
//  Set-up (not measured): books with admin, clerk and approver; N + L recharge requests over (N + L)/2
//  customer accounts (raw inserts, as bench/reconcile.ts does), a statement paying each exactly with
//  its reference code in the memo (through commitStatement), reconciled by clerk (reconcile()): every
//  request matched by a rule that clerk ran, so approver may approve them all.
//  1. Bulk: approveMany(tx, approver, N items, now) in one inWriteTx — N savepoints, N credits (each a
//     linked chain of 2–3 transfers on two ledgers, a recharge record with a gapless receipt number,
//     an approval row, the request's new state, an audit row) and the batch's audit row. Beside it, in
//     the same run, on a VACUUM copy of the same books made before: the raw baseline — the rows any
//     implementation must write for N credits, with prepared better-sqlite3 statements in one
//     transaction: per request 2–3 transfers, 4–6 account balance updates, a recharge record, an
//     approval row, the request's update (coins priced with the same convert()).
//  2. Latency: L single approvals, each its own transaction, through the API dispatcher
//     (`approvals.approve` with one item: schema, role check, inWriteTx, audit), and through the
//     service alone (inWriteTx + approveMany of one item); median and p95.
// BENCH_SQL_TIMING=1 times every SQL statement run during the bulk approval (by statement text) and
// prints where the time goes (the instrumented run is slower: its rate is not the figure).
// Sizes: BENCH_APPROVALS (default 10,000), BENCH_APPROVAL_LATENCY_RUNS (500). BENCH_KEEP=1 keeps the
// files in bench/.data; `--write-docs` rewrites the approval section of docs/PERFORMANCE.md.
import Sqlite from 'better-sqlite3';
import { Dispatcher } from '../main/api/dispatcher';
import { openBooks, type Books } from '../main/db/books';
import { inWriteTx } from '../main/db/tx';
import { DEFAULT_CONVERSION, convert } from '../main/domain/conversion';
import type { Actor } from '../main/services/actor';
import { approveMany } from '../main/services/approval';
import { queueIds } from '../main/services/approval-read';
import type { IncomingStatement } from '../main/services/bank-statements';
import { reconcile } from '../main/services/reconcile';
import { verifyBooks } from '../main/services/verify';
import {
  commitBenchStatement,
  envInt,
  fmtInt,
  freshFile,
  ms,
  payerCard,
  payerName,
  prng,
  rate,
  removeFile,
  seconds,
  seedPayers,
  stats,
} from './lib';
import { ACCOUNT_NUMBER, seedStaff } from './staff';
import { banner, KEEP, log, now, publish, resultsSection } from './harness';

const N = envInt('BENCH_APPROVALS', 10_000);
const L = envInt('BENCH_APPROVAL_LATENCY_RUNS', 500);
const TARGET_PER_S = 5_000;
const SQL_TIMING = process.env.BENCH_SQL_TIMING === '1';
const NOW = Date.parse('2026-11-25T10:00:00+08:00');
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function codeOf(i: number): string {
  let s = '';
  let n = i + 31 ** 6;
  for (let k = 0; k < 8; k++) {
    s += CODE_ALPHABET[n % 31];
    n = Math.floor(n / 31);
  }
  return s;
}
const plainYuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

interface Setup {
  books: Books;
  file: string;
  clerk: Actor;
  approver: Actor;
  approverId: number;
}

async function approvalBooks(n: number): Promise<Setup> {
  const file = freshFile(`approval-${n}.books.sqlite`);
  const books = await openBooks(file, { create: true });
  const r = prng(5);
  const staff = await inWriteTx(books, async (tx) => {
    const { clerk, approver } = await seedStaff(tx, NOW, { approver: true, bankAccount: true });
    return { clerk, approver: approver! };
  });
  const accounts = Math.max(1, Math.floor(n / 2));
  const requestDay = Date.parse('2026-11-10T10:00:00+08:00');
  const card = payerCard;
  const nameOf = payerName;
  const amounts = new Int32Array(n);
  await inWriteTx(books, async (tx) => {
    await seedPayers(tx, accounts, NOW, NOW - 30 * 86_400_000);
    const req = tx.sql(
      `INSERT INTO recharge_requests (request_id, account_id, bank_binding_id, payer_account, payer_name, amount, channel, reference_code, requested_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'bank', ?, ?, ?)`,
    );
    for (let i = 0; i < n; i++) {
      const a = (i % accounts) + 1;
      // 10.00 to 20,000.00 yuan, under the dual-approval amount; about a fifth reach a bonus tier.
      amounts[i] = 100 * (10 + r(20_000));
      await req.run(`bench-${i}`, a, a, card(a), nameOf(a), amounts[i]!, codeOf(i), requestDay, requestDay);
    }
  });
  const booked = new Date(requestDay + 8 * 3_600_000).toISOString().slice(0, 10);
  const lines: IncomingStatement['lines'] = [];
  for (let i = 0; i < n; i++) {
    const a = (i % accounts) + 1;
    lines.push({
      booked,
      value: null,
      amount: plainYuan(amounts[i]!),
      counterparty: { name: nameOf(a), account: card(a) },
      reference: null,
      memo: `汇入汇款 | 充值${codeOf(i)}`,
      bank_ref: `B${i}`,
    });
  }
  await inWriteTx(books, async (tx) => {
    await commitBenchStatement(tx, staff.clerk, ACCOUNT_NUMBER, lines, 'corporate', NOW);
    await reconcile(tx, staff.clerk, NOW);
  });
  const matched = ((await books.sql("SELECT count(*) AS n FROM recharge_requests WHERE status = 'matched'").get()) as { n: number }).n;
  if (matched !== n) throw new Error(`set-up: ${matched} of ${n} requests matched`);
  return { books, file, ...staff, approverId: staff.approver.staffId! };
}

/** The raw baseline: the rows N credits must write, prepared statements, one transaction, on a copy of the books. */
function rawCredits(file: string, items: { id: number }[], approverId: number): number {
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('cache_size = -65536');
  const sys = (code: string, ledger: number) =>
    (raw.prepare('SELECT id FROM accounts WHERE code = ? AND ledger = ? AND owner_kind IS NULL').get(code, ledger) as { id: number }).id;
  const unallocated = sys('unallocated_receipts', 1);
  const prepayments = sys('customer_prepayments', 1);
  const issuance = sys('coin_issuance', 2);
  const bonusIssuance = sys('bonus_issuance', 2);
  const getReq = raw.prepare(
    'SELECT r.id, r.request_id, r.account_id, r.amount, a.customer_id, a.recharge_wallet_id FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id WHERE r.id = ?',
  );
  const insT = raw.prepare(
    "INSERT INTO transfers (key, ledger, debit_account_id, credit_account_id, amount, kind, code, memo, ts, staff_id) VALUES (?, ?, ?, ?, ?, 'single', ?, ?, ?, ?)",
  );
  const debit = raw.prepare('UPDATE accounts SET debits_posted = debits_posted + ? WHERE id = ?');
  const credit = raw.prepare('UPDATE accounts SET credits_posted = credits_posted + ? WHERE id = ?');
  const insA = raw.prepare('INSERT INTO approvals (request_id, approver, version, at) VALUES (?, ?, 2, ?)');
  const insR = raw.prepare(
    `INSERT INTO recharge_records (receipt_no, year, seq, request_id, account_id, customer_id, amount, channel, rule_version, rule_json, paid_coins, bonus_coins, first_recharge, tier_json,
       evidence_json, matched_by_json, approved_by_json, credited_at, money_transfer_id, coins_transfer_id, bonus_transfer_id) VALUES (?, 2026, ?, ?, ?, ?, ?, 'bank', 0, ?, ?, ?, 0, NULL, '[]', '[]', '["approver"]', ?, ?, ?, ?)`,
  );
  const upd = raw.prepare("UPDATE recharge_requests SET status = 'credited', version = version + 1, updated_at = ? WHERE id = ?");
  const ruleJson = JSON.stringify(DEFAULT_CONVERSION);
  const t0 = now();
  raw.exec('BEGIN IMMEDIATE');
  let seq = 0;
  for (const { id } of items) {
    const q = getReq.get(id) as {
      id: number;
      request_id: string;
      account_id: number;
      amount: number;
      customer_id: number;
      recharge_wallet_id: number;
    };
    const c = convert(DEFAULT_CONVERSION, q.amount, { channel: 'bank', firstRecharge: false });
    const post = (key: string, ledger: number, d: number, cr: number, amount: number, code: string) => {
      const tid = Number(insT.run(key, ledger, d, cr, amount, code, q.request_id, NOW, approverId).lastInsertRowid);
      debit.run(amount, d);
      credit.run(amount, cr);
      return tid;
    };
    const m = post(`raw:${q.request_id}:money`, 1, unallocated, prepayments, q.amount, 'recharge_credit');
    const k = post(`raw:${q.request_id}:coins`, 2, issuance, q.recharge_wallet_id, c.paidCoins, 'recharge_credit');
    const b =
      c.bonusCoins > 0 ? post(`raw:${q.request_id}:bonus`, 2, bonusIssuance, q.recharge_wallet_id, c.bonusCoins, 'recharge_bonus') : null;
    insA.run(q.id, approverId, NOW);
    seq++;
    insR.run(
      `RAW2026-${String(seq).padStart(6, '0')}`,
      seq,
      q.id,
      q.account_id,
      q.customer_id,
      q.amount,
      ruleJson,
      c.paidCoins,
      c.bonusCoins,
      NOW,
      m,
      k,
      b,
    );
    upd.run(NOW, q.id);
  }
  raw.exec('COMMIT');
  const elapsed = now() - t0;
  raw.close();
  return elapsed;
}

/** Wraps books.sql and raw.exec so every statement's time is summed by its text. */
function timeStatements(books: Books): { report(total: number): string } {
  const spent = new Map<string, { ms: number; calls: number }>();
  const add = (text: string, t: number) => {
    const key = text.replace(/\s+/g, ' ').slice(0, 110);
    const e = spent.get(key) ?? { ms: 0, calls: 0 };
    e.ms += now() - t;
    e.calls++;
    spent.set(key, e);
  };
  const sql = books.sql.bind(books);
  const wrapped = new Map<string, unknown>();
  (books as { sql: (text: string) => unknown }).sql = (text: string) => {
    let w = wrapped.get(text);
    if (!w) {
      const st = sql(text) as unknown as Record<string, (...a: unknown[]) => unknown>;
      w = new Proxy(st, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target) as unknown;
          if (typeof v !== 'function' || !['run', 'get', 'all', 'iterate'].includes(String(prop)))
            return typeof v === 'function' ? v.bind(target) : v;
          return (...args: unknown[]) => {
            const t = now();
            try {
              return (v as (...a: unknown[]) => unknown).apply(target, args);
            } finally {
              add(text, t);
            }
          };
        },
      });
      wrapped.set(text, w);
    }
    return w;
  };
  const raw = books.raw as unknown as { exec: (s: string) => unknown };
  const exec = raw.exec.bind(raw);
  raw.exec = (text: string) => {
    const t = now();
    try {
      return exec(text);
    } finally {
      add(text, t);
    }
  };
  return {
    report(total: number) {
      const rows = [...spent].sort((a, b) => b[1].ms - a[1].ms);
      const inSql = rows.reduce((s, [, e]) => s + e.ms, 0);
      return [
        `SQL ${seconds(inSql)} of ${seconds(total)} (${((100 * inSql) / total).toFixed(0)} %); the rest is JS:`,
        ...rows.slice(0, 25).map(([k, e]) => `  ${e.ms.toFixed(0).padStart(6)} ms ${String(e.calls).padStart(7)}×  ${k}`),
      ].join('\n');
    },
  };
}

async function main(): Promise<void> {
  banner('approval benchmark', `${fmtInt(N)} bulk + ${fmtInt(L)} single approvals`);
  const s0 = now();
  const setup = await approvalBooks(N + L);
  log(`  set up ${fmtInt(N + L)} matched requests (raw inserts, commitStatement, reconcile) in ${seconds(now() - s0)}`);
  const all = await queueIds(setup.books, {}, null);
  const bulk = all.slice(0, N);
  const singles = all.slice(N);

  // The raw baseline's copy, made before anything is approved.
  const copy = freshFile(`approval-${N}-raw.sqlite`);
  setup.books.raw.prepare('VACUUM INTO ?').run(copy);

  const q0 = now();
  await queueIds(setup.books, {}, null);
  const queueMs = now() - q0;

  const timing = SQL_TIMING ? timeStatements(setup.books) : null;
  const t0 = now();
  const outcomes = await inWriteTx(setup.books, async (tx) => approveMany(tx, setup.approver, bulk, NOW));
  const bulkMs = now() - t0;
  const credited = outcomes.filter((o) => o.outcome === 'credited').length;
  if (credited !== N)
    throw new Error(`bulk: ${credited} of ${N} credited: ${JSON.stringify(outcomes.find((o) => o.outcome !== 'credited'))}`);
  const perS = rate(N, bulkMs);
  if (timing) {
    log(timing.report(bulkMs));
    log('(BENCH_SQL_TIMING: the instrumented run is slower; stopping here)');
    await setup.books.close();
    if (!KEEP) removeFile(setup.file);
    return;
  }
  log(
    `  approveMany: ${fmtInt(N)} credited in ${seconds(bulkMs)} = ${fmtInt(perS)}/s (target ≥ ${fmtInt(TARGET_PER_S)}/s); queueIds ${ms(queueMs)}`,
  );

  const rawMs = rawCredits(copy, bulk, setup.approverId);
  log(`  raw baseline: the same rows in ${seconds(rawMs)} = ${fmtInt(rate(N, rawMs))}/s; ratio ${(bulkMs / rawMs).toFixed(1)}×`);
  if (!KEEP) removeFile(copy);

  // Latency: half through the dispatcher, half through the service alone, alternating.
  const d = new Dispatcher({
    books: setup.books,
    ports: { clock: () => NOW, dialogs: { saveFile: async () => null, openFile: async () => null } },
  });
  await d.sessions.start('bench', { staffId: setup.approverId, username: 'approver', displayName: 'approver', role: 'approver' });
  const viaApi: number[] = [];
  const viaService: number[] = [];
  for (let i = 0; i < singles.length; i++) {
    const item = singles[i]!;
    const t = now();
    if (i % 2 === 0) {
      const res = await d.dispatch('bench', 'approvals.approve', { items: [item] });
      if (!res.ok || (res.data as { outcome: string }[])[0]!.outcome !== 'credited')
        throw new Error(`single approval: ${JSON.stringify(res)}`);
      viaApi.push(now() - t);
    } else {
      const [o] = await inWriteTx(setup.books, async (tx) => approveMany(tx, setup.approver, [item], NOW));
      if (o!.outcome !== 'credited') throw new Error(`single approval: ${JSON.stringify(o)}`);
      viaService.push(now() - t);
    }
  }
  const api = stats(viaApi);
  const svc = stats(viaService);
  log(`  one approval via the dispatcher: median ${ms(api.median)}, p95 ${ms(api.p95)} (${viaApi.length} runs)`);
  log(`  one approval via the service:    median ${ms(svc.median)}, p95 ${ms(svc.p95)} (${viaService.length} runs)`);

  const v0 = now();
  const report = await verifyBooks(setup.books);
  const verifyMs = now() - v0;
  if (!report.ok) throw new Error(`verify: ${JSON.stringify(report.findings.slice(0, 3))}`);
  log(`  verify clean in ${seconds(verifyMs)}`);
  await setup.books.close();
  if (!KEEP) removeFile(setup.file);

  const section = resultsSection(
    ['what', 'figure', 'raw baseline (same run)', 'ratio', 'target', 'verdict'],
    [
      [
        `bulk: \`approveMany\` of ${fmtInt(N)} matched requests, one transaction`,
        `${seconds(bulkMs)} = **${fmtInt(perS)} credited/s**`,
        `${seconds(rawMs)} = ${fmtInt(rate(N, rawMs))}/s`,
        `${(bulkMs / rawMs).toFixed(1)}×`,
        `≥ ${fmtInt(TARGET_PER_S)}/s`,
        perS >= TARGET_PER_S ? '**met**' : '**MISSED**',
      ],
      [
        'one approval through the dispatcher (`approvals.approve`, 1 item, own transaction)',
        `median ${ms(api.median)}, p95 ${ms(api.p95)}`,
        '',
        '',
        '',
        '',
      ],
      [
        'one approval through the service (`inWriteTx` + `approveMany`, 1 item)',
        `median ${ms(svc.median)}, p95 ${ms(svc.p95)}`,
        '',
        '',
        '',
        '',
      ],
      [`\`queueIds\` (the approve-all selection) over ${fmtInt(N + L)} matched`, ms(queueMs), '', '', '', ''],
      [`verify after ${fmtInt(N + L)} credits`, seconds(verifyMs), '', '', '', ''],
    ],
  );
  publish('approval', section, true);
}

await main();
