// Review results back to the platform (end of step 3): every request's result — matched, partly paid
// with the amount found, not found, rejected or expired with the reason, credited with its receipt
// number and coins, reversed — written once per change as
// JSON Lines the platform reads (docs/REVIEW-RESULTS.md). Marking them sent happens in the same
// transaction as writing the file, so a failed write sends nothing.
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { shanghaiDateTime } from '../domain/dates';
import { formatYuan } from '../domain/money';
import { writeAtomically } from '../formats/file-out';
import { recordAudit } from './audit';
import type { Actor } from './actor';

export type ReviewResult =
  'matched' | 'overpaid' | 'partly_paid' | 'not_found' | 'approved' | 'credited' | 'reversed' | 'rejected' | 'expired';

export interface ReviewLine {
  request_id: string;
  account: string;
  result: ReviewResult;
  amount_requested: string;
  amount_found: string;
  reason: string | null;
  /** For a credited (or since reversed) request: the recharge record's receipt number and the coins. */
  credit: { receipt_no: string; coins: number; bonus_coins: number; reversed: boolean } | null;
  version: number;
  at: string;
}

const RESULT: Record<string, ReviewResult> = {
  submitted: 'not_found',
  partly_paid: 'partly_paid',
  matched: 'matched',
  overpaid: 'overpaid',
  approved: 'approved',
  credited: 'credited',
  reversed: 'reversed',
  rejected: 'rejected',
  expired: 'expired',
};

const UNSENT = `SELECT r.id, r.request_id, a.external_id AS account, r.status, r.amount, r.covered, r.reason, r.version, r.updated_at,
    rr.receipt_no, rr.paid_coins, rr.bonus_coins, rr.reversed_at
  FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id LEFT JOIN recharge_records rr ON rr.request_id = r.id
  WHERE r.review_sent_version < r.version ORDER BY r.id`;

export function unsentReviewResults(q: Queryable): (ReviewLine & { id: number })[] {
  return (
    q.sql(UNSENT).all() as {
      id: number;
      request_id: string;
      account: string;
      status: string;
      amount: number;
      covered: number;
      reason: string;
      version: number;
      updated_at: number;
      receipt_no: string | null;
      paid_coins: number | null;
      bonus_coins: number | null;
      reversed_at: number | null;
    }[]
  ).map((r) => ({
    id: r.id,
    request_id: r.request_id,
    account: r.account,
    result: RESULT[r.status]!,
    amount_requested: formatYuan(r.amount),
    amount_found: formatYuan(r.covered),
    reason: r.reason || null,
    credit:
      r.receipt_no === null
        ? null
        : { receipt_no: r.receipt_no, coins: r.paid_coins!, bonus_coins: r.bonus_coins!, reversed: r.reversed_at !== null },
    version: r.version,
    at: `${shanghaiDateTime(r.updated_at).replace(' ', 'T')}+08:00`,
  }));
}

export async function exportReviewResults(
  tx: Tx,
  actor: Actor,
  target: string,
  now: number,
): Promise<{ path: string; bytes: number; results: number }> {
  const lines = unsentReviewResults(tx);
  const mark = tx.sql('UPDATE recharge_requests SET review_sent_version = ? WHERE id = ?');
  const out = await writeAtomically(target, async (w) => {
    for (const { id, ...line } of lines) {
      await w.write(JSON.stringify(line) + '\n');
      mark.run(line.version, id);
    }
  });
  recordAudit(
    tx,
    actor,
    { action: 'review_results.export', entity: 'recharge_request', after: { path: target, results: lines.length }, count: lines.length },
    now,
  );
  return { ...out, results: lines.length };
}
