// verify: proves the books are whole. Every ledger balances, every account's kept balances equal the
// sum of its transfers, no limit is broken, transfers stay on their accounts' ledger, the audit chain
// recomputes, and SQLite's integrity_check is ok. Each finding says exactly what and where.
import type { Queryable } from '../db/books';
import { formatYuan } from '../domain/money';
import { LEDGER_CODE, LEDGER_IDS, type LedgerId } from '../domain/ledgers';
import { limitBroken } from '../domain/transfer-rules';
import { verifyAuditChain } from './audit';

export interface Finding {
  check:
    'integrity' | 'ledger_balance' | 'account_balance' | 'limit' | 'ledger_mismatch' | 'audit_chain' | 'wallet_control' | 'refunds_payable';
  message: string;
  details?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  checkedAt: number;
  counts: { accounts: number; transfers: number; auditRows: number };
  /** Ledger totals as decimal strings of minor units (they may exceed 2^53). */
  ledgers: { ledger: number; code: string; debitsPosted: string; creditsPosted: string; debitsPending: string; creditsPending: string }[];
  /** Per coin ledger: coins in customers' wallets, and what the control accounts issued net. */
  walletControl: { ledger: number; held: string; issued: string }[];
  lastAuditHash: string;
  findings: Finding[];
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

export function verifyBooks(q: Queryable, onProgress?: (step: string) => void): VerifyReport {
  const findings: Finding[] = [];

  onProgress?.('integrity');
  const integrity = (q.sql('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (integrity.length !== 1 || integrity[0] !== 'ok') {
    for (const m of integrity.slice(0, 20)) findings.push({ check: 'integrity', message: `SQLite integrity_check: ${m}` });
  }

  onProgress?.('accounts');
  const recomputed = new Map<number, Sums>();
  for (const s of q.sql(RECOMPUTE).safeIntegers(true).iterate() as IterableIterator<Sums>) recomputed.set(Number(s.acc), s);

  interface AccountRow {
    id: number;
    ledger: number;
    code: string;
    name: string;
    flags: number;
    debits_pending: number;
    debits_posted: number;
    credits_pending: number;
    credits_posted: number;
  }
  const totals = new Map<number, { dpo: bigint; cpo: bigint; dpe: bigint; cpe: bigint }>();
  for (const l of LEDGER_IDS) totals.set(l, { dpo: 0n, cpo: 0n, dpe: 0n, cpe: 0n });
  let accounts = 0;
  for (const a of q.sql('SELECT * FROM accounts ORDER BY id').iterate() as IterableIterator<AccountRow>) {
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

  onProgress?.('ledgers');
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

  const mismatched = q
    .sql(
      `SELECT t.id, t.ledger, d.ledger AS dl, c.ledger AS cl FROM transfers t
       JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id
       WHERE d.ledger <> t.ledger OR c.ledger <> t.ledger LIMIT 100`,
    )
    .all() as { id: number; ledger: number; dl: number; cl: number }[];
  for (const m of mismatched) {
    findings.push({
      check: 'ledger_mismatch',
      message: `transfer ${m.id} is on ledger ${m.ledger} but its accounts are on ${m.dl} and ${m.cl}`,
      details: { transferId: m.id },
    });
  }

  // The coins customers hold (their wallets) must equal what the platform's coin control accounts
  // issued less what came back: per coin ledger, wallets' net credit = −(system accounts' net credit).
  const wallets = q
    .sql(
      `SELECT ledger, sum(CASE WHEN owner_kind IS NOT NULL THEN credits_posted - debits_posted ELSE 0 END) AS held,
         sum(CASE WHEN owner_kind IS NULL THEN debits_posted - credits_posted ELSE 0 END) AS issued
       FROM accounts WHERE ledger IN (2, 3) GROUP BY ledger`,
    )
    .safeIntegers(true)
    .all() as { ledger: bigint; held: bigint | null; issued: bigint | null }[];
  const walletControl = wallets.map((w) => ({ ledger: Number(w.ledger), held: String(w.held ?? 0n), issued: String(w.issued ?? 0n) }));
  for (const w of wallets) {
    if ((w.held ?? 0n) !== (w.issued ?? 0n)) {
      findings.push({
        check: 'wallet_control',
        message: `ledger ${LEDGER_CODE[Number(w.ledger) as LedgerId]}: customers' wallets hold ${w.held} coins but the control accounts account for ${w.issued}`,
        details: { ledger: Number(w.ledger) },
      });
    }
  }

  // Refunds payable holds exactly the refunds reversals left that no money-out line has paid yet.
  const refunds = q
    .sql(
      `SELECT (SELECT credits_posted - debits_posted FROM accounts WHERE ledger = 1 AND code = 'refunds_payable' AND owner_kind IS NULL) AS held,
         (SELECT coalesce(sum(amount), 0) FROM refunds WHERE status = 'payable') AS owed`,
    )
    .safeIntegers(true)
    .get() as { held: bigint | null; owed: bigint };
  if ((refunds.held ?? 0n) !== refunds.owed)
    findings.push({
      check: 'refunds_payable',
      message: `refunds payable holds ${formatYuan(Number(refunds.held ?? 0n))} yuan but the refunds not yet paid come to ${formatYuan(Number(refunds.owed))}`,
      details: {},
    });

  onProgress?.('audit');
  const chain = verifyAuditChain(q);
  for (const f of chain.findings)
    findings.push({ check: 'audit_chain', message: f.message, details: { auditId: f.id, problem: f.problem } });

  const transfers = (q.sql('SELECT count(*) AS n FROM transfers').get() as { n: number }).n;
  return {
    ok: findings.length === 0,
    checkedAt: Date.now(),
    counts: { accounts, transfers, auditRows: chain.rows },
    ledgers,
    walletControl,
    lastAuditHash: chain.lastHash,
    findings,
  };
}
