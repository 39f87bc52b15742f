// verify: proves the books are whole. Every ledger balances, every account's kept balances equal the
// sum of its transfers, no limit is broken, transfers stay on their accounts' ledger, the audit chain
// recomputes, every row matches the seal its audit entry gave it, the chain's head is the one anchored
// beside the file, SQLite's integrity_check is ok (a books file's own check: on PostgreSQL books it is
// said skipped, not passed), and every sub-ledger ties to its ledger account (bank to
// statements, unallocated receipts to bank lines, prepayments to records, refunds, wallets, invoicing).
// Each finding says exactly what and where, with the figures.
import type { Queryable } from '../db/books';
import { literal } from '../db/query';
import { big, num, rowMapper, text, textOrNull } from '../db/row-read';
import { LEDGER_CODE, LEDGER_IDS, type LedgerId } from '../domain/ledgers';
import { limitBroken } from '../domain/transfer-rules';
import { verifyAuditChain } from './audit';
import { checkAnchor, type AnchorState } from './anchor-check';
import { checkRowSeals } from './row-seal-check';
import type { Step, Steps } from './steps';
import { provenTies, type Tie, type TieKind } from './ties';

export interface Finding {
  check:
    | 'integrity'
    | 'ledger_balance'
    | 'account_balance'
    | 'limit'
    | 'ledger_mismatch'
    | 'audit_chain'
    | 'closed_period'
    | 'row_seal'
    | 'anchor'
    | 'witness'
    | TieKind;
  message: string;
  details?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  checkedAt: number;
  counts: { accounts: number; transfers: number; auditRows: number; sealedRows: number };
  /** Ledger totals as decimal strings of minor units (they may exceed 2^53). */
  ledgers: { ledger: number; code: string; debitsPosted: string; creditsPosted: string; debitsPending: string; creditsPending: string }[];
  /** Per coin ledger: coins in customers' wallets, and what the control accounts issued net. */
  walletControl: { ledger: number; held: string; issued: string }[];
  lastAuditHash: string;
  /** The anchor beside the books and what it holds; null for books without a file of their own. */
  anchor: AnchorState | null;
  /** Every tie of a sub-ledger to its ledger account, with both figures (services/ties.ts). */
  ties: Tie[];
  findings: Finding[];
  /** Checks these books have nothing for, each with why: not passed, not run (none on a books file). */
  skipped: { check: Finding['check']; why: string }[];
}

// Sums across transfers or accounts can pass 2^53 even when every balance is a safe integer, so they
// are read and added as bigint.
interface Sums {
  acc: bigint;
  dpo: bigint;
  cpo: bigint;
  dpe: bigint;
  cpe: bigint;
}

const RECOMPUTE = `
WITH resolved AS (SELECT pending_id FROM transfers WHERE pending_id IS NOT NULL),
moves AS (
  SELECT debit_account_id AS acc, amount AS dpo, 0 AS cpo, 0 AS dpe, 0 AS cpe FROM transfers WHERE kind IN ('single', 'post')
  UNION ALL SELECT credit_account_id, 0, amount, 0, 0 FROM transfers WHERE kind IN ('single', 'post')
  UNION ALL SELECT debit_account_id, 0, 0, amount, 0 FROM transfers WHERE kind = 'pending' AND id NOT IN (SELECT pending_id FROM resolved)
  UNION ALL SELECT credit_account_id, 0, 0, 0, amount FROM transfers WHERE kind = 'pending' AND id NOT IN (SELECT pending_id FROM resolved)
)
SELECT acc, sum(dpo) AS dpo, sum(cpo) AS cpo, sum(dpe) AS dpe, sum(cpe) AS cpe FROM moves GROUP BY acc`;

/**
 * createTransfers refuses a posting dated in a month that is closed or closing; a transfer of such a
 * month newer than the last one there was when it was closed (the close's audit entry keeps that id:
 * ids, unlike clocks, only grow) got in some other way.
 */
async function postedAfterClose(q: Queryable): Promise<{ id: number; month: string }[]> {
  const closes = (
    await q
      .sql(
        `SELECT p.month, (SELECT a.after_json FROM audit a WHERE a.action = 'period.close' AND a.entity_id = p.month ORDER BY a.id DESC LIMIT 1) AS after
       FROM periods p WHERE p.state <> 'open'`,
      )
      .all()
  ).map((r) => ({ month: text(r, 'month'), after: textOrNull(r, 'after') }));
  const out: { id: number; month: string }[] = [];
  const after = (month: string, last: number) =>
    q.db
      .selectFrom('transfers')
      .select('id')
      .where((eb) => eb.between('business_date', `${month}-01`, `${month}-31`))
      .where('id', '>', last)
      .orderBy('id')
      .limit(literal(20));
  for (const c of closes) {
    const last = c.after ? (JSON.parse(c.after) as { lastTransferId?: unknown }).lastTransferId : undefined;
    if (typeof last !== 'number') continue; // closed before the close kept its last transfer
    for (const r of await after(c.month, last).execute()) out.push({ id: r.id, month: c.month });
  }
  return out.slice(0, 20);
}

// Posted CNY amounts (kinds single and post) by account and business month, summed from the transfers.
const ACCOUNT_MONTHS_FROM_TRANSFERS = `
SELECT acc, month, sum(d) AS debits, sum(c) AS credits FROM (
  SELECT debit_account_id AS acc, substr(business_date, 1, 7) AS month, amount AS d, 0 AS c FROM transfers
    WHERE ledger = 1 AND kind IN ('single', 'post')
  UNION ALL SELECT credit_account_id, substr(business_date, 1, 7), 0, amount FROM transfers
    WHERE ledger = 1 AND kind IN ('single', 'post')) AS moves
GROUP BY acc, month`;

/**
 * account_months (each CNY account's posted amounts by business month, which the month-end reports
 * read) against the transfers' sums, both ways: a month kept but not posted is wrong too.
 */
async function accountMonthFindings(q: Queryable): Promise<Finding[]> {
  const kept = new Map<string, { d: bigint; c: bigint }>();
  for await (const r of q
    .sql('SELECT account_id AS a, month AS m, debits_posted AS d, credits_posted AS c FROM account_months')
    .safeIntegers(true)
    .iterate())
    kept.set(`${big(r, 'a')}:${text(r, 'm')}`, { d: big(r, 'd'), c: big(r, 'c') });
  const findings: Finding[] = [];
  const differ = async (account: string, month: string, k: { d: bigint; c: bigint }, s: { d: bigint; c: bigint }) => {
    if (k.d === s.d && k.c === s.c) return;
    const a = await q.db.selectFrom('accounts').select(['code', 'name']).where('id', '=', Number(account)).executeTakeFirst();
    findings.push({
      check: 'account_balance',
      message: `account ${account} (${a?.code ?? '?'} ${a?.name ?? '?'}): kept debits ${k.d} and credits ${k.c} posted in ${month} but its transfers dated then sum to ${s.d} and ${s.c}`,
      details: { accountId: Number(account), month, kept: [String(k.d), String(k.c)], fromTransfers: [String(s.d), String(s.c)] },
    });
  };
  for await (const r of q.sql(ACCOUNT_MONTHS_FROM_TRANSFERS).safeIntegers(true).iterate()) {
    const [acc, month] = [big(r, 'acc'), text(r, 'month')];
    const key = `${acc}:${month}`;
    await differ(String(acc), month, kept.get(key) ?? { d: 0n, c: 0n }, { d: big(r, 'debits'), c: big(r, 'credits') });
    kept.delete(key);
  }
  for (const [key, k] of kept) {
    const [account, month] = key.split(':') as [string, string];
    await differ(account, month, k, { d: 0n, c: 0n });
  }
  return findings.slice(0, 100);
}

export const VERIFY_STEPS = ['integrity', 'accounts', 'ledgers', 'ties', 'audit', 'seals', 'anchor'] as const;

export type VerifyStep = (typeof VERIFY_STEPS)[number];
const step = (stage: VerifyStep): Step<VerifyStep> => ({ done: VERIFY_STEPS.indexOf(stage), total: VERIFY_STEPS.length, stage });

/** `booksPath` names the file whose anchor is compared (db/anchor.ts); without it the anchor is not checked. */
export async function verifyBooks(q: Queryable, onProgress?: (step: VerifyStep) => void, booksPath?: string): Promise<VerifyReport> {
  const steps = verifySteps(q, booksPath);
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
    onProgress?.(next.value.stage);
  }
}

/** Verify in its steps, for a job that closes a month: it may be cancelled between them. */
export async function* verifySteps(q: Queryable, booksPath?: string): Steps<VerifyReport, VerifyStep> {
  const findings: Finding[] = [];
  const skipped: VerifyReport['skipped'] = [];

  yield step('integrity');
  if (q.engine === 'postgres')
    skipped.push({
      check: 'integrity',
      why: 'SQLite’s page check (integrity_check) reads a books file; PostgreSQL books have none, and their pages are the server’s to check',
    });
  else {
    const integrity = (await q.sql('PRAGMA integrity_check').all()).map((r) => text(r, 'integrity_check'));
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      for (const m of integrity.slice(0, 20)) findings.push({ check: 'integrity', message: `SQLite integrity_check: ${m}` });
    }
  }

  yield step('accounts');
  const recomputed = new Map<number, Sums>();
  for await (const r of q.sql(RECOMPUTE).safeIntegers(true).iterate()) {
    const s: Sums = { acc: big(r, 'acc'), dpo: big(r, 'dpo'), cpo: big(r, 'cpo'), dpe: big(r, 'dpe'), cpe: big(r, 'cpe') };
    recomputed.set(Number(s.acc), s);
  }

  const accountOf = rowMapper({
    id: num,
    ledger: num,
    code: text,
    name: text,
    flags: num,
    debits_pending: num,
    debits_posted: num,
    credits_pending: num,
    credits_posted: num,
  });
  const totals = new Map<number, { dpo: bigint; cpo: bigint; dpe: bigint; cpe: bigint }>();
  for (const l of LEDGER_IDS) totals.set(l, { dpo: 0n, cpo: 0n, dpe: 0n, cpe: 0n });
  let accounts = 0;
  for await (const r of q.sql('SELECT * FROM accounts ORDER BY id').iterate()) {
    const a = accountOf(r);
    accounts++;
    const t = totals.get(a.ledger)!;
    t.dpo += BigInt(a.debits_posted);
    t.cpo += BigInt(a.credits_posted);
    t.dpe += BigInt(a.debits_pending);
    t.cpe += BigInt(a.credits_pending);
    const s = recomputed.get(a.id) ?? { acc: BigInt(a.id), dpo: 0n, cpo: 0n, dpe: 0n, cpe: 0n };
    const kept = [a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending].map(BigInt);
    const sum = [s.dpo, s.cpo, s.dpe, s.cpe];
    const names = ['debits posted', 'credits posted', 'debits pending', 'credits pending'];
    kept.forEach((k, i) => {
      if (k !== sum[i]) {
        findings.push({
          check: 'account_balance',
          message: `account ${a.id} (${a.code} ${a.name}): kept ${names[i]} ${k} but its transfers sum to ${sum[i]}`,
          details: { accountId: a.id, field: names[i], kept: String(k), fromTransfers: String(sum[i]) },
        });
      }
    });
    const broken = limitBroken({
      id: a.id,
      ledger: a.ledger,
      flags: a.flags,
      debitsPending: a.debits_pending,
      debitsPosted: a.debits_posted,
      creditsPending: a.credits_pending,
      creditsPosted: a.credits_posted,
    });
    if (broken) {
      findings.push({
        check: 'limit',
        message: `account ${a.id} (${a.code} ${a.name}) breaks its limit: ${broken}`,
        details: { accountId: a.id, code: broken },
      });
    }
  }

  findings.push(...(await accountMonthFindings(q)));

  yield step('ledgers');
  const ledgers = LEDGER_IDS.map((l: LedgerId) => {
    const t = totals.get(l)!;
    if (t.dpo !== t.cpo) {
      findings.push({
        check: 'ledger_balance',
        message: `ledger ${LEDGER_CODE[l]}: posted debits ${t.dpo} ≠ posted credits ${t.cpo}`,
        details: { ledger: l },
      });
    }
    if (t.dpe !== t.cpe) {
      findings.push({
        check: 'ledger_balance',
        message: `ledger ${LEDGER_CODE[l]}: pending debits ${t.dpe} ≠ pending credits ${t.cpe}`,
        details: { ledger: l },
      });
    }
    return {
      ledger: l,
      code: LEDGER_CODE[l],
      debitsPosted: String(t.dpo),
      creditsPosted: String(t.cpo),
      debitsPending: String(t.dpe),
      creditsPending: String(t.cpe),
    };
  });

  const mismatched = await q.db
    .selectFrom('transfers as t')
    .innerJoin('accounts as d', 'd.id', 't.debit_account_id')
    .innerJoin('accounts as c', 'c.id', 't.credit_account_id')
    .select(['t.id', 't.ledger', 'd.ledger as dl', 'c.ledger as cl'])
    .where((eb) => eb.or([eb('d.ledger', '<>', eb.ref('t.ledger')), eb('c.ledger', '<>', eb.ref('t.ledger'))]))
    .limit(literal(100))
    .execute();
  for (const m of mismatched) {
    findings.push({
      check: 'ledger_mismatch',
      message: `transfer ${m.id} is on ledger ${m.ledger} but its accounts are on ${m.dl} and ${m.cl}`,
      details: { transferId: m.id },
    });
  }

  for (const l of await postedAfterClose(q))
    findings.push({
      check: 'closed_period',
      message: `transfer ${l.id} is dated in ${l.month}, posted after the month was closed`,
      details: { transferId: l.id, month: l.month },
    });

  yield step('ties');
  // Each sub-ledger against its ledger account; a broken tie is a finding with its figures.
  const ties = await provenTies(q);
  for (const t of ties.filter((x) => !x.ok))
    findings.push({
      check: t.kind,
      message: t.message,
      details: { tie: t.name, expected: t.expected, actual: t.actual, unit: t.unit, ...t.about, ...(t.broken ? { broken: t.broken } : {}) },
    });
  const walletControl = ties
    .filter((t) => t.kind === 'wallet_control')
    .map((t) => ({ ledger: Number(t.about.ledger), held: t.actual, issued: t.expected }));

  yield step('audit');
  const chain = await verifyAuditChain(q);
  for (const f of chain.findings)
    findings.push({ check: 'audit_chain', message: f.message, details: { auditId: f.id, problem: f.problem } });

  yield step('seals');
  const seals = await checkRowSeals(q);
  for (const f of seals.findings) findings.push({ check: 'row_seal', message: f.message, details: f.details });

  yield step('anchor');
  const anchor = booksPath === undefined ? { anchor: null, findings: [] } : await checkAnchor(q, booksPath);
  for (const f of anchor.findings) findings.push({ check: 'anchor', message: f.message, details: f.details });

  const transfers = (await q.db
    .selectFrom('transfers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst())!.n;
  return {
    ok: findings.length === 0,
    checkedAt: Date.now(),
    counts: { accounts, transfers, auditRows: chain.rows, sealedRows: seals.rows },
    ledgers,
    walletControl,
    lastAuditHash: chain.lastHash,
    anchor: anchor.anchor,
    ties,
    findings,
    skipped,
  };
}
