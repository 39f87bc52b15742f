// Demo books: made through the real importer and services, clean under verify, deterministic from the
// seed, with the staff of every role, blocked logins and held transfers — and exactly the outcomes the
// generator predicted for its events.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONVERSION } from '../../main/domain/conversion';
import { shanghaiDate } from '../../main/domain/dates';
import { dashboard, rollForward } from '../../main/services/reports';
import {
  DEMO_BANK,
  DEMO_RULE_V2,
  DEMO_STAFF,
  createDemoBooks,
  generateDemoEvents,
  writeEventsFile,
  type DemoSummary,
} from '../../main/demo';
import { readEventFile } from '../../main/formats/event-file';
import { searchCustomers } from '../../main/services/customer-read';
import { passwordMatches } from '../../main/services/staff';
import { computeRevenue, runRevenue } from '../../main/services/revenue';
import { payoutFigures } from '../../main/services/ties';
import { verifyBooks } from '../../main/services/verify';
import { inWriteTx, type AnyBooks } from '../../main/db/tx';
import { closePeriod, confirmClose, periodStatus } from '../../main/services/periods';
import type { Role } from '../../main/services/staff';
import { PASSWORD, tempDir, testBooks, type TestBooks } from '../support/temp-books';

const NOW = Date.parse('2026-11-25T10:00:00+08:00');
const OPTS = { password: PASSWORD, customers: 60, seed: 11, now: NOW };

// demo books of 60 customers are one transaction of some ten thousand statements: minutes on PostgreSQL
const DEMO_TIMEOUT = 600_000;
let dir: string;
const made: TestBooks[] = [];
let a: AnyBooks;
let b: AnyBooks;
let summary: DemoSummary;

/** New empty books in `dir`, removed after the file's tests. */
const newBooks = async (name: string) => {
  const m = await testBooks(dir, name);
  made.push(m);
  return m.books;
};

beforeAll(async () => {
  dir = tempDir('coffer-demo-');
  a = await newBooks('a.books.sqlite');
  b = await newBooks('b.books.sqlite');
  summary = await createDemoBooks(a, OPTS);
  await createDemoBooks(b, OPTS);
}, DEMO_TIMEOUT);

afterAll(async () => {
  for (const m of made) await m.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rows = async (books: AnyBooks, sql: string) => books.sql(sql).all();
const count = async (books: AnyBooks, sql: string) => ((await books.sql(sql).get()) as { n: number }).n;

describe('demo books', () => {
  it('verify clean', async () => {
    const r = await verifyBooks(a);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('have the staff users with their roles, all with the one password', async () => {
    const staff = await rows(a, 'SELECT username, role FROM staff ORDER BY id');
    expect(staff).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'clerk', role: 'clerk' },
      { username: 'approver', role: 'approver' },
      { username: 'approver2', role: 'approver' },
      { username: 'auditor', role: 'auditor' },
      { username: 'admin2', role: 'admin' },
    ]);
    expect(DEMO_STAFF.map((s) => s.username)).toEqual(staff.map((s) => (s as { username: string }).username));
    for (const s of DEMO_STAFF) expect(await passwordMatches(a, s.username, PASSWORD)).toBe(true);
    expect(await passwordMatches(a, 'admin', 'wrong password')).toBe(false);
  });

  it('come from one event import by clerk, with the outcomes the generator predicted', async () => {
    const x = summary.expected;
    expect(summary.customers).toBe(60);
    expect(x.customers).toBe(60);
    expect(summary.accounts).toBe(x.accounts);
    expect(await rows(a, 'SELECT i.file_name AS f, s.username AS u FROM event_imports i JOIN staff s ON s.id = i.imported_by')).toEqual([
      { f: 'demo-events-11.jsonl', u: 'clerk' },
      { f: 'demo-spending-11.jsonl', u: 'clerk' },
      { f: 'demo-payouts-11.jsonl', u: 'clerk' },
    ]);
    expect(await count(a, 'SELECT count(*) AS n FROM customer_accounts WHERE linked = 0')).toBe(x.unlinkedAccounts);
    expect(await count(a, 'SELECT count(*) AS n FROM bank_bindings')).toBe(x.bankBindings);
    expect(await count(a, 'SELECT count(*) AS n FROM logins')).toBe(x.logins);
    expect(await count(a, "SELECT count(*) AS n FROM logins WHERE outcome = 'blocked'")).toBe(x.blockedLogins);
    const held = summary.heldTransfers + summary.approvedTransfers + summary.rejectedTransfers;
    expect(held).toBe(x.heldTransfers);
    expect(await count(a, "SELECT count(*) AS n FROM coin_movements WHERE status = 'refused'")).toBe(x.refusedMovements);
    expect(await count(a, "SELECT count(*) AS n FROM coin_movements WHERE type = 'earnings' AND status = 'posted'")).toBe(x.earnings);
    // The platform's file spends earnings coins; the spending file after the credits, recharge coins.
    expect(
      await count(a, "SELECT count(*) AS n FROM coin_movements WHERE type = 'spend' AND wallet_kind = 'earnings' AND status = 'posted'"),
    ).toBe(x.spends);
    expect(summary.refused).toBe(x.blockedLogins + x.refusedMovements);
    expect(summary.applied + summary.refused).toBe(summary.events);
  });

  it('have blocked logins, refused requests in blocked sessions, and transfers held for an approver', async () => {
    expect(summary.blockedLogins).toBeGreaterThan(0);
    expect(summary.heldTransfers).toBeGreaterThan(0);
    expect(
      await count(a, "SELECT count(*) AS n FROM coin_movements WHERE reason LIKE '%belongs to a login that was blocked%'"),
    ).toBeGreaterThan(0);
    expect(await count(a, "SELECT count(*) AS n FROM coin_movements WHERE status = 'awaiting_approval' AND amount > 10000")).toBe(
      summary.heldTransfers,
    );
    // The held coins, and the coins of payouts waiting for an approver, are reserved (pending) on the
    // earnings ledger, not yet moved.
    const pending = await count(a, "SELECT sum(debits_pending) AS n FROM accounts WHERE code = 'earnings_wallet'");
    expect(pending).toBe(
      (await count(a, "SELECT sum(amount) AS n FROM coin_movements WHERE status = 'awaiting_approval'")) +
        (await count(a, "SELECT coalesce(sum(coins), 0) AS n FROM payouts WHERE status = 'requested'")),
    );
    // Creators' payouts: approver approved two, approver2 rejected one, one asked too much; the rest wait.
    expect(summary.payouts).toMatchObject({ approved: 2, rejected: 1, refused: 1 });
    expect(summary.payouts.waiting).toBeGreaterThan(0);
    expect(await count(a, "SELECT count(*) AS n FROM payouts WHERE status = 'approved' AND tax + net = gross AND tax > 0")).toBe(2);
    // Approvers decided some: approver approved, approver2 rejected; the rest wait.
    const decided = (await rows(
      a,
      "SELECT m.status, s.username FROM coin_movements m JOIN staff s ON s.id = m.decided_by WHERE m.type = 'transfer' ORDER BY m.id",
    )) as { status: string; username: string }[];
    expect(decided.every((d) => (d.status === 'posted' ? d.username === 'approver' : d.username === 'approver2'))).toBe(true);
  });

  it('look like a Chinese platform: names, phones, bank cards with check digits, addresses normalised', async () => {
    const customers = (await rows(a, 'SELECT kind, name, phone FROM customers')) as { kind: string; name: string; phone: string }[];
    const people = customers.filter((c) => c.kind === 'person');
    const companies = customers.filter((c) => c.kind === 'company');
    expect(people.length).toBeGreaterThan(0);
    expect(companies.length).toBeGreaterThan(0);
    for (const p of people) {
      expect(p.name).toMatch(/^\p{Script=Han}{2,4}$/u);
      expect(p.phone).toMatch(/^1[358]\d{9}$/);
    }
    for (const c of companies) expect(c.name).toMatch(/^\p{Script=Han}+(科技|贸易|文化传媒)有限公司$/u);
    const cards = (await rows(a, 'SELECT bank_name AS bank, account_number AS n FROM bank_bindings')) as { bank: string; n: string }[];
    for (const c of cards) {
      expect(c.bank).toMatch(/银行$/);
      expect(c.n).toMatch(/^\d{16,19}$/);
      const sum = [...c.n].reverse().reduce((s, ch, i) => {
        let d = Number(ch);
        if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        return s + d;
      }, 0);
      expect(sum % 10).toBe(0);
    }
    const perCustomer = (await rows(a, 'SELECT count(*) AS n FROM customer_accounts GROUP BY customer_id')) as { n: number }[];
    expect(Math.min(...perCustomer.map((r) => r.n))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perCustomer.map((r) => r.n))).toBeLessThanOrEqual(4);
    expect(new Set(perCustomer.map((r) => r.n)).size).toBeGreaterThan(1);
    // Stored in normalised form whatever notation the platform used.
    for (const d of (await rows(a, 'SELECT kind, address FROM device_bindings')) as { kind: string; address: string }[]) {
      if (d.kind === 'mac') expect(d.address).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      else expect(d.address).not.toMatch(/^0|:0\d/);
    }
    // Searchable the way staff search.
    const someone = people[0]!;
    expect((await searchCustomers(a, { text: someone.name.slice(0, 1), sort: 'name', offset: 0, limit: 10 })).total).toBeGreaterThan(0);
    expect((await searchCustomers(a, { text: someone.phone.slice(3, 8), sort: 'name', offset: 0, limit: 10 })).total).toBeGreaterThan(0);
    expect((await searchCustomers(a, { text: cards[0]!.n.slice(0, 10), sort: 'name', offset: 0, limit: 10 })).total).toBeGreaterThan(0);
  });

  it('have a platform bank account whose statement came through the real importer and was reconciled', async () => {
    const bank = summary.bank;
    expect(await rows(a, 'SELECT account_number AS n FROM bank_accounts')).toEqual([{ n: DEMO_BANK.accountNumber }]);
    const st = await rows(
      a,
      'SELECT s.file_name AS f, s.format, s.profile, s.continuity_ok AS ok, u.username AS u FROM statements s JOIN staff u ON u.id = s.imported_by',
    );
    expect(st).toEqual([{ f: `招商银行-账户明细-${OPTS.seed}.csv`, format: 'csv', profile: 'corporate', ok: 1, u: 'clerk' }]);
    // Requests came as recharge.requested events, each with its code and the card bound to the account.
    const requests = await count(
      a,
      "SELECT count(*) AS n FROM recharge_requests r JOIN events e ON e.id = r.request_id WHERE e.type = 'recharge.requested'",
    );
    expect(requests).toBe(bank.requests);
    expect(requests).toBeGreaterThan(10);
    expect(await count(a, 'SELECT count(*) AS n FROM recharge_requests WHERE bank_binding_id IS NULL')).toBe(0);
    // Every shape of the review queue is there.
    expect(bank.matchedByRule).toBeGreaterThan(0);
    expect(await count(a, "SELECT count(*) AS n FROM allocations WHERE rule = 'reference code + exact amount'")).toBeGreaterThan(0);
    expect(await count(a, "SELECT count(*) AS n FROM allocations WHERE rule LIKE 'bound account%'")).toBeGreaterThan(0);
    expect(await count(a, "SELECT count(*) AS n FROM recharge_requests WHERE status = 'matched'")).toBeGreaterThan(0);
    expect(await count(a, "SELECT count(*) AS n FROM recharge_requests WHERE status = 'partly_paid'")).toBe(bank.partlyPaid);
    expect(bank.partlyPaid).toBeGreaterThan(0);
    expect(bank.ambiguous).toBeGreaterThan(0);
    expect(bank.suggested).toBeGreaterThan(0);
    expect(bank.unmatchedLines).toBeGreaterThan(0);
    expect(bank.unpaidRequests).toBeGreaterThan(0);
    // One write-off waits for an approver, proposed by the clerk with a reason: the customer paid less
    // (645.00 on 648.00), so it is a short payment, booked as received.
    expect(
      await rows(
        a,
        "SELECT w.status, w.writeoff_kind AS kind, s.username AS u, w.reason FROM allocations w JOIN staff s ON s.id = w.matched_by WHERE w.kind = 'writeoff'",
      ),
    ).toEqual([{ status: 'proposed', kind: 'short', u: 'clerk', reason: '客户少付，按实收入账' }]);
    // The books agree with the bank: the bank account's balance is the statement's closing balance.
    const closing = await count(a, 'SELECT closing_amount AS n FROM statements');
    expect(await count(a, "SELECT debits_posted - credits_posted AS n FROM accounts WHERE owner_kind = 'bank_account'")).toBe(closing);
  });

  it('have credits approved by both approvers under two rule versions, some waiting, one reversed; reports show them', async () => {
    const x = summary.approval;
    // The rule change: proposed by admin, confirmed by admin2, in force from partway through the requests.
    expect(
      await rows(
        a,
        'SELECT c.key, c.status, p.username AS proposer, d.username AS decider, c.effective_from AS effectiveFrom FROM setting_changes c JOIN staff p ON p.id = c.proposed_by JOIN staff d ON d.id = c.decided_by',
      ),
    ).toEqual([{ key: 'conversion.rules', status: 'confirmed', proposer: 'admin', decider: 'admin2', effectiveFrom: x.ruleEffectiveFrom }]);
    const requested = ((await rows(a, 'SELECT requested_at AS t FROM recharge_requests')) as { t: number }[]).map((r) => r.t);
    expect(requested.some((t) => t < x.ruleEffectiveFrom) && requested.some((t) => t >= x.ruleEffectiveFrom)).toBe(true);
    // Records under both versions, each priced by the version in force when its request was submitted.
    expect(x.recordRuleVersions).toEqual([0, x.ruleVersion]);
    const recs = (await rows(
      a,
      'SELECT rr.rule_version AS v, q.requested_at AS t, rr.rule_json AS rule FROM recharge_records rr JOIN recharge_requests q ON q.id = rr.request_id',
    )) as { v: number; t: number; rule: string }[];
    for (const r of recs) {
      expect(r.v).toBe(r.t >= x.ruleEffectiveFrom ? x.ruleVersion : 0);
      expect(JSON.parse(r.rule)).toEqual(r.v === 0 ? DEFAULT_CONVERSION : DEMO_RULE_V2);
    }
    // Both approvers credited, never the clerk who matched; those above the dual amount by both.
    const by = ((await rows(a, 'SELECT approved_by_json AS j, amount FROM recharge_records')) as { j: string; amount: number }[]).map(
      (r) => ({
        who: JSON.parse(r.j) as string[],
        amount: r.amount,
      }),
    );
    expect(by.length).toBe(x.credited);
    expect(new Set(by.flatMap((b) => b.who))).toEqual(new Set(['approver', 'approver2']));
    for (const b of by) expect(b.who.length).toBe(b.amount > 5_000_000 ? 2 : 1);
    expect(x.creditedByTwo).toBeGreaterThan(0);
    expect(by.filter((b) => b.who.length === 2).length).toBe(x.creditedByTwo);
    // Receipt numbers gapless, in the order of crediting.
    const seqs = ((await rows(a, 'SELECT seq FROM recharge_records ORDER BY credited_at, id')) as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Waiting: a few matched, one approved once above the dual amount.
    expect(x.waiting).toBe(3);
    expect(x.waitingForSecond).toBe(1);
    expect(await count(a, "SELECT count(*) AS n FROM recharge_requests WHERE status = 'approved' AND amount > 5000000")).toBe(1);
    // One reversal, by the approver who did not approve it; the money waits in refunds payable.
    const rev = (await rows(
      a,
      'SELECT rr.approved_by_json AS j, s.username AS u, rr.amount FROM recharge_records rr JOIN staff s ON s.id = rr.reversed_by',
    )) as { j: string; u: string; amount: number }[];
    expect(rev).toHaveLength(1);
    expect(JSON.parse(rev[0]!.j)).not.toContain(rev[0]!.u);
    expect(await count(a, "SELECT credits_posted - debits_posted AS n FROM accounts WHERE code = 'refunds_payable'")).toBe(rev[0]!.amount);
    // The dashboard and the roll-forward are not empty.
    const d = await dashboard(a, NOW);
    expect(d.month.count).toBe(x.credited - 1);
    expect(d.volume.filter((v) => v.money !== '0').length).toBeGreaterThan(1);
    expect(d.pending).toMatchObject({ matched: 3, approved: 1, reversed: 1, credited: x.credited - 1 });
    const rf = (await rollForward(a, shanghaiDate(NOW).slice(0, 7))).lines.find((l) => l.ledger === 2)!;
    expect(Number(rf.recharged)).toBeGreaterThan(0);
    expect(Number(rf.bonus)).toBeGreaterThan(0);
    expect(Number(rf.reversed)).toBeGreaterThan(0);
    expect(BigInt(d.liability.rechargeCoins)).toBe(BigInt(rf.closing));
  });

  it('spend recharge coins after their credits and let some bonus coins expire, so the month has revenue; earnings spent release nothing from 220201', async () => {
    const sp = summary.spending;
    expect(sp.spends).toBeGreaterThan(0);
    expect(sp.expiries).toBeGreaterThan(0);
    const moved = async (type: string) =>
      (
        await rows(
          a,
          `SELECT count(*) AS n, coalesce(sum(amount), 0) AS coins FROM coin_movements WHERE type = '${type}' AND wallet_kind = 'recharge' AND status = 'posted'`,
        )
      )[0];
    expect(await moved('spend')).toEqual({ n: sp.spends, coins: sp.spentCoins });
    expect(await moved('expiry')).toEqual({ n: sp.expiries, coins: sp.expiredCoins });
    // Every use comes after the last credit (or reversal) of its wallet, never before.
    const early = await count(
      a,
      `SELECT count(*) AS n FROM coin_movements m WHERE m.wallet_kind = 'recharge' AND m.type IN ('spend', 'expiry')
         AND m.requested_at <= (SELECT max(r.credited_at) FROM recharge_records r WHERE r.account_id = m.from_account_id)`,
    );
    expect(early).toBe(0);
    // The roll-forward shows them; the revenue the month would recognise is not zero.
    const month = shanghaiDate(NOW).slice(0, 7);
    const rf = (await rollForward(a, month)).lines.find((l) => l.ledger === 2)!;
    expect(rf).toMatchObject({ spent: String(sp.spentCoins), expired: String(sp.expiredCoins) });
    const r = await computeRevenue(a, month);
    expect(r.totals.spentCoins).toBe(BigInt(sp.spentCoins));
    expect(r.totals.expiredCoins).toBe(BigInt(sp.expiredCoins));
    expect(r.totals.revenue).toBeGreaterThan(0n);
    expect(r.totals.tax).toBeGreaterThan(0n);
    // Earnings coins were spent, and 220201 holds exactly the earnings credited less the payouts approved.
    expect(
      await count(a, "SELECT count(*) AS n FROM coin_movements WHERE type = 'spend' AND wallet_kind = 'earnings' AND status = 'posted'"),
    ).toBeGreaterThan(0);
    const f = await payoutFigures(a);
    expect(BigInt(await count(a, "SELECT credits_posted - debits_posted AS n FROM accounts WHERE code = 'earnings_payable'"))).toBe(
      f.accrued - f.approved,
    );
    expect(f.accrued).toBeGreaterThan(0n);
  });

  it('same seed and time → the same data', async () => {
    for (const sql of [
      'SELECT * FROM customers ORDER BY id',
      'SELECT * FROM customer_accounts ORDER BY id',
      'SELECT * FROM bank_bindings ORDER BY id',
      'SELECT * FROM device_bindings ORDER BY id',
      'SELECT * FROM logins ORDER BY id',
      'SELECT * FROM coin_movements ORDER BY id',
      'SELECT id, type, content_hash, at, status, reason, line FROM events ORDER BY id',
      'SELECT id, ledger, debit_account_id, credit_account_id, amount, kind, code, memo, ts FROM transfers ORDER BY id',
      'SELECT id, ledger, code, name, debits_pending, debits_posted, credits_pending, credits_posted FROM accounts ORDER BY id',
      'SELECT * FROM recharge_requests ORDER BY id',
      'SELECT * FROM bank_lines ORDER BY id',
      'SELECT id, request_id, bank_line_id, kind, amount, rule, status, reason FROM allocations ORDER BY id',
      'SELECT bank_line_id, request_id, amount, score, rule, kind FROM match_suggestions ORDER BY bank_line_id, request_id',
      'SELECT file_name, sha256, opening_amount, closing_amount, lines, continuity_ok FROM statements ORDER BY id',
      'SELECT * FROM recharge_records ORDER BY id',
      'SELECT request_id, approver, version, at FROM approvals ORDER BY id',
      'SELECT id, key, value, effective_from, status, proposed_at, decided_at FROM setting_changes ORDER BY id',
    ]) {
      expect(await rows(b, sql), sql).toEqual(await rows(a, sql));
    }
  });

  it('another seed → other customers; the generated file reads clean', async () => {
    const window = { start: NOW - 30 * 86_400_000, end: NOW };
    const one = generateDemoEvents({ customers: 20, seed: 1, ...window });
    const again = generateDemoEvents({ customers: 20, seed: 1, ...window });
    const other = generateDemoEvents({ customers: 20, seed: 2, ...window });
    expect(again).toEqual(one);
    const names = (e: typeof one) => e.events.filter((x) => x.type === 'customer.registered').map((x) => x.data.name);
    expect(names(other)).not.toEqual(names(one));
    const file = path.join(dir, 'gen.jsonl');
    writeEventsFile(file, one.events);
    const read = await readEventFile(file);
    expect(read.errors).toEqual([]);
    expect(read.events.length).toBe(one.events.length);
    expect(read.events.map((e) => e.at)).toEqual([...read.events.map((e) => e.at)].sort((x, y) => x - y));
  });

  it('are made only in empty books, and need a proper password and size', async () => {
    await expect(createDemoBooks(a, OPTS)).rejects.toMatchObject({ code: 'CONFLICT' });
    const c = await newBooks('c.books.sqlite');
    await expect(createDemoBooks(c, { ...OPTS, password: 'short' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(createDemoBooks(c, { ...OPTS, customers: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await count(c, 'SELECT count(*) AS n FROM staff')).toBe(0);
    expect(await count(c, 'SELECT count(*) AS n FROM customers')).toBe(0);
  });
});

describe('demo books at the start of December (seed 7, the one the issue looked at)', () => {
  const DEC = Date.parse('2026-12-02T10:00:00+08:00');
  let d: AnyBooks;
  beforeAll(async () => {
    d = await newBooks('d.books.sqlite');
    await createDemoBooks(d, { password: PASSWORD, customers: 60, seed: 7, now: DEC });
  }, DEMO_TIMEOUT);
  const actor = async (username: string) => {
    const s = (await d.sql('SELECT id, role FROM staff WHERE username = ?').get(username)) as { id: number; role: Role };
    return { staffId: s.id, name: username, role: s.role };
  };

  it('verify lists every tie with its figures, and every tie holds; the bank agrees with its statement on the closing date', async () => {
    const r = await verifyBooks(d);
    expect(r.findings).toEqual([]);
    expect(r.ties.map((t) => t.kind)).toEqual([
      'bank_statement',
      'unallocated_receipts',
      'customer_prepayments',
      'refunds_payable',
      'earnings_payable',
      'payouts_payable',
      'wallet_control',
      'wallet_movements',
      'wallet_control',
      'wallet_movements',
      'invoice_reservations',
    ]);
    for (const t of r.ties) {
      expect(t.ok).toBe(true);
      expect(t.expected).toBe(t.actual);
      expect(t.expected).toMatch(/^-?\d+$/);
    }
    const s = (await d.sql('SELECT closing_date AS date, closing_amount AS amount FROM statements').get()) as {
      date: string;
      amount: number;
    };
    const bank = r.ties.find((t) => t.kind === 'bank_statement')!;
    expect(bank).toMatchObject({ expected: String(s.amount), about: { bankAccount: DEMO_BANK.accountNumber, date: s.date } });
    // The bank lines post on the bank's booking dates, so the books' bank on the last day of November
    // is the statement's running balance after November's last line.
    const november = (await d.sql("SELECT coalesce(sum(amount), 0) AS n FROM bank_lines WHERE booked <= '2026-11-30'").get()) as {
      n: number;
    };
    const opening = ((await d.sql('SELECT opening_amount AS n FROM statements').get()) as { n: number }).n;
    const books = (await d
      .sql(
        `SELECT coalesce(sum(CASE WHEN debit_account_id = b.ledger_account_id THEN amount ELSE -amount END), 0) AS n
         FROM transfers t, bank_accounts b WHERE (t.debit_account_id = b.ledger_account_id OR t.credit_account_id = b.ledger_account_id) AND t.business_date <= '2026-11-30'`,
      )
      .get()) as { n: number };
    expect(books.n).toBe(opening + november.n);
  });

  it('close October and November cleanly: the revenue run first, approver closes, approver2 confirms, and verify still holds', async () => {
    for (const month of ['2026-10', '2026-11']) {
      const before = (await periodStatus(d, month, DEC)).checks.find((c) => c.name === 'revenue_run')!;
      if (!before.ok) expect(before.params.state).toBe('missing');
      const run = await inWriteTx(d, async (tx) => runRevenue(tx, await actor('approver'), month, DEC));
      // October has no recharges; November's last days have credits, and coins used out of them.
      if (month === '2026-11') expect(BigInt(run.revenue)).toBeGreaterThan(0n);
      const s = await periodStatus(d, month, DEC);
      expect(s.checks.filter((c) => !c.ok)).toEqual([]);
      await inWriteTx(d, async (tx) => closePeriod(tx, await actor('approver'), month, DEC));
      await inWriteTx(d, async (tx) => confirmClose(tx, await actor('approver2'), month, DEC));
      expect(await periodStatus(d, month, DEC)).toMatchObject({ state: 'closed', closedBy: '审核 李强', confirmedBy: '审核 赵丽' });
    }
    expect((await periodStatus(d, '2026-12', DEC)).checks.find((c) => c.name === 'month_ended')).toMatchObject({ ok: false });
    expect((await verifyBooks(d)).findings).toEqual([]);
  });
});
