// Review results back to the platform (end of step 3): every request's result — matched, partly paid
// with the amount found, not found, rejected or expired with the reason, credited with its receipt
// number and coins, reversed — written once per change as
// JSON Lines the platform reads (docs/REVIEW-RESULTS.md). Marking them sent happens in the same
// transaction as writing the file, so a failed write sends nothing.
import { witnessOf } from './witness';
import type { Queryable } from '../db/books';
import { dialect, literal } from '../db/query';
import { sql } from 'kysely';
import type { Tx } from '../db/tx';
import { shanghaiDateTime } from '../domain/dates';
import { formatYuan } from '../domain/money';
import { writeAtomically } from '../formats/file-out';
import { recordAudit } from './audit';
import type { Actor } from './actor';

export type ReviewResult =
  'matched' | 'overpaid' | 'partly_paid' | 'not_found' | 'approved' | 'credited' | 'reversed' | 'rejected' | 'expired' | InvoiceResult;
export type InvoiceResult = 'invoice_issued' | 'invoice_partly_reversed' | 'invoice_reversed' | 'invoice_rejected';

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
  /** On invoice results only: the blue invoice and its red-letter reversals. */
  invoice?: { serial: string; number: string | null; gross: string; tax: string; reversed: string; reversals: string[] } | null;
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

// A short payment's write-off covers the request but brought no money: the money found is what was received.
const unsent = (q: Queryable) =>
  q.db
    .selectFrom('recharge_requests as r')
    .innerJoin('customer_accounts as a', 'a.id', 'r.account_id')
    .leftJoin('recharge_records as rr', 'rr.request_id', 'r.id')
    .select((eb) => [
      'r.id',
      'r.request_id',
      'a.external_id as account',
      'r.status',
      'r.amount',
      'r.covered',
      'r.reason',
      'r.version',
      'r.updated_at',
      eb
        .selectFrom('allocations as w')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('w.amount'), eb.lit(0)).as('s'))
        .whereRef('w.request_id', '=', 'r.id')
        .where('w.kind', '=', literal('writeoff'))
        .where('w.writeoff_kind', '=', literal('short'))
        .where('w.status', '=', literal('active'))
        .$asScalar()
        .$notNull()
        .as('short'),
      'rr.receipt_no',
      'rr.paid_coins',
      'rr.bonus_coins',
      'rr.reversed_at',
    ])
    .whereRef('r.review_sent_version', '<', 'r.version')
    .orderBy('r.id');

// Invoice requests are sent once decided (issued or rejected) and again on each reversal of their invoice.
const unsentInvoices = (q: Queryable) =>
  q.db
    .selectFrom('invoice_requests as r')
    .leftJoin('customer_accounts as a', 'a.id', 'r.account_id')
    .leftJoin('invoices as i', (j) => j.onRef('i.request_id', '=', 'r.id').on('i.kind', '=', literal('blue')))
    .select((eb) => [
      'r.id',
      'r.request_id',
      'a.external_id as account',
      'r.status',
      'r.amount',
      'r.reason',
      'r.version',
      'r.updated_at',
      'i.serial',
      'i.tax_number',
      'i.gross',
      'i.tax',
      'i.reversed',
      eb
        .selectFrom('invoices as x')
        .select(sql<string | null>`${sql.raw(dialect(q).joined('x.serial', 'x.id'))}`.as('s'))
        .whereRef('x.original_id', '=', 'i.id')
        .$asScalar()
        .as('reversals'),
    ])
    .whereRef('r.review_sent_version', '<', 'r.version')
    .where('r.status', 'in', [literal('issued'), literal('rejected')])
    .orderBy('r.id');

async function unsentInvoiceResults(q: Queryable): Promise<(ReviewLine & { id: number; kind: 'invoice' })[]> {
  return (await unsentInvoices(q).execute()).map((r) => {
    const gross = r.gross ?? 0;
    const reversed = r.reversed ?? 0;
    const result: InvoiceResult =
      r.status === 'rejected'
        ? 'invoice_rejected'
        : reversed === 0
          ? 'invoice_issued'
          : reversed < gross
            ? 'invoice_partly_reversed'
            : 'invoice_reversed';
    return {
      id: r.id,
      kind: 'invoice' as const,
      request_id: r.request_id,
      account: r.account ?? '',
      result,
      amount_requested: formatYuan(r.amount ?? gross),
      amount_found: formatYuan(gross - reversed),
      reason: r.reason || null,
      version: r.version,
      at: `${shanghaiDateTime(r.updated_at).replace(' ', 'T')}+08:00`,
      credit: null,
      invoice:
        r.serial === null
          ? null
          : {
              serial: r.serial,
              number: r.tax_number,
              gross: formatYuan(gross),
              tax: formatYuan(r.tax ?? 0),
              reversed: formatYuan(reversed),
              reversals: r.reversals ? r.reversals.split(',') : [],
            },
    };
  });
}

export async function unsentReviewResults(q: Queryable): Promise<(ReviewLine & { id: number; kind: 'recharge' | 'invoice' })[]> {
  return [...(await unsentRechargeResults(q)), ...(await unsentInvoiceResults(q))];
}

async function unsentRechargeResults(q: Queryable): Promise<(ReviewLine & { id: number; kind: 'recharge' })[]> {
  return (await unsent(q).execute()).map((r) => ({
    id: r.id,
    kind: 'recharge' as const,
    request_id: r.request_id,
    account: r.account,
    result: RESULT[r.status]!,
    amount_requested: formatYuan(r.amount),
    amount_found: formatYuan(r.covered - r.short),
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
  const lines = await unsentReviewResults(tx);
  const mark = {
    recharge: tx.sql('UPDATE recharge_requests SET review_sent_version = ? WHERE id = ?'),
    invoice: tx.sql('UPDATE invoice_requests SET review_sent_version = ? WHERE id = ?'),
  };
  const witness = await witnessOf(tx);
  const out = await writeAtomically(target, async (w) => {
    for (const { id, kind, ...line } of lines) {
      await w.write(JSON.stringify(line) + '\n');
      await mark[kind].run(line.version, id);
    }
    // The last line witnesses the books as this file was made (it has no request_id: readers skip it).
    if (witness) await w.write(JSON.stringify({ witness }) + '\n');
  });
  await recordAudit(tx, actor, {
    action: 'review_results.export',
    entity: 'recharge_request',
    after: { path: target, results: lines.length },
    count: lines.length,
    at: now,
  });
  return { ...out, results: lines.length };
}
