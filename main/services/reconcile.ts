// Reconciliation (step 3 of the method): allocate bank money to recharge requests by the ordered
// rules, record suggestions for staff, match and unmatch by hand, and write off small differences
// with an approver. Allocation never exceeds what a line brought in or what a request still needs.
import type { Queryable } from '../db/books';
import type { Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { refuse } from '../domain/refusals';
import { planMatches, type Decision, type MatchRule, type OpenLine, type OpenRequest } from '../domain/matching';
import { formatYuan } from '../domain/money';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { reverseTransfer } from './ledger-actions';
import { createTransfers, expectPosted } from './ledger-post';
import { refreshRequest, requestById } from './recharge-requests';
import { settingAt } from './settings';
import { cnyAccount } from './system-accounts';

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
const dayOfInstant = (ms: number) => Math.floor((ms + SHANGHAI) / DAY);
const dayOfDate = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY);

function openRequests(q: Queryable): OpenRequest[] {
  return (
    q
      .sql(
        `SELECT r.id, a.customer_id AS customerId, r.amount, r.covered, r.reference_code AS referenceCode, r.payer_account AS payerAccount, r.payer_name AS payerName, r.requested_at AS at
         FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id WHERE r.status IN ('submitted', 'partly_paid')`,
      )
      .all() as (Omit<OpenRequest, 'day'> & { at: number })[]
  ).map(({ at, ...r }) => ({ ...r, day: dayOfInstant(at) }));
}

function openLines(q: Queryable): OpenLine[] {
  return (
    q
      .sql(
        `SELECT id, amount - allocated AS remaining, booked, counterparty_account AS counterpartyAccount, counterparty_name AS counterpartyName,
           coalesce(memo, '') || ' ' || coalesce(reference, '') AS text FROM bank_lines WHERE amount > 0 AND allocated < amount`,
      )
      .all() as (Omit<OpenLine, 'day'> & { booked: string })[]
  ).map(({ booked, ...l }) => ({ ...l, day: dayOfDate(booked) }));
}

export interface AllocationInput {
  lineId: number;
  requestId: number;
  amount: number;
  rule: string | null;
  matchedBy: number | null;
  excess?: number;
}

/** One allocation of a line's money to a request, checked against both sides' remaining amounts. */
function allocate(tx: Tx, actor: Actor, a: AllocationInput, now: number): void {
  const line = tx.sql('SELECT amount, allocated FROM bank_lines WHERE id = ?').get(a.lineId) as
    { amount: number; allocated: number } | undefined;
  if (!line) throw new CofferError('NOT_FOUND', `no bank line ${a.lineId}`, { field: 'lineId' });
  if (line.amount < 0) throw refuse('CONFLICT', 'line_money_out', { lineId: String(a.lineId) }, { field: 'lineId' });
  const r = requestById(tx, a.requestId);
  if (!['submitted', 'partly_paid'].includes(r.status))
    throw refuse('CONFLICT', 'request_not_open', { requestId: r.request_id, status: r.status }, { field: 'requestId' });
  if (!Number.isSafeInteger(a.amount) || a.amount <= 0)
    throw new CofferError('VALIDATION', 'amount: must be more than 0.00', { field: 'amount' });
  if (a.amount > line.amount - line.allocated)
    throw refuse(
      'CONFLICT',
      'line_short',
      { lineId: String(a.lineId), leftFen: String(line.amount - line.allocated) },
      { field: 'amount' },
    );
  if (a.amount > r.amount - r.covered)
    throw refuse('CONFLICT', 'request_needs_less', { requestId: r.request_id, needFen: String(r.amount - r.covered) }, { field: 'amount' });
  tx.sql('UPDATE bank_lines SET allocated = allocated + ? WHERE id = ?').run(a.amount, a.lineId);
  tx.sql(
    "INSERT INTO allocations (request_id, bank_line_id, kind, amount, rule, matched_by, run_by, created_at) VALUES (?, ?, 'bank', ?, ?, ?, ?, ?)",
  ).run(a.requestId, a.lineId, a.amount, a.rule, a.matchedBy, actor.staffId, now);
  tx.sql('DELETE FROM match_suggestions WHERE bank_line_id = ? OR request_id = ?').run(a.lineId, a.requestId);
  refreshRequest(tx, a.requestId, now, (a.excess ?? 0) > 0);
}

export interface ReconcileResult {
  linesConsidered: number;
  requestsConsidered: number;
  allocated: number;
  amountAllocated: number;
  suggested: number;
  ambiguous: number;
  decisions: Decision[];
}

/** Runs the rules in force over every open line and request. Running it again changes nothing. */
export function reconcile(tx: Tx, actor: Actor, now: number): ReconcileResult {
  const rules = settingAt(tx, 'matching.rules', now);
  const batch: Actor = { ...actor, inBatch: true };
  let allocated = 0;
  let amountAllocated = 0;
  let linesConsidered = 0;
  let requestsConsidered = 0;
  const allocations: Decision[] = [];
  // A line ambiguous at first may have one candidate left once other lines took the rest: plan and
  // apply again until a plan allocates nothing, so that one run settles and a second changes nothing.
  let decisions: Decision[];
  for (let pass = 0; ; pass++) {
    const lines = openLines(tx);
    const requests = openRequests(tx);
    if (pass === 0) {
      linesConsidered = lines.length;
      requestsConsidered = requests.length;
    }
    decisions = planMatches(lines, requests, rules);
    const these = decisions.filter((d) => d.kind === 'allocate');
    for (const d of these) {
      allocate(
        tx,
        batch,
        { lineId: d.lineId, requestId: d.requestId, amount: d.amount, rule: d.rule, matchedBy: null, excess: d.excess },
        now,
      );
      allocated++;
      amountAllocated += d.amount;
    }
    allocations.push(...these);
    if (these.length === 0 || pass === 19) break;
  }
  // Only the last plan's suggestions stand: they were made with everything allocated.
  tx.sql('DELETE FROM match_suggestions').run();
  const suggest = tx.sql(
    'INSERT OR REPLACE INTO match_suggestions (bank_line_id, request_id, amount, score, rule, kind, run_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const suggestions = decisions.filter((d) => d.kind === 'suggest');
  for (const d of suggestions) suggest.run(d.lineId, d.requestId, d.amount, d.score, d.rule, d.ambiguous ? 'ambiguous' : 'suggested', now);
  const suggested = suggestions.filter((d) => !d.ambiguous).length;
  // Ambiguous lines, not suggestion rows: one line with three candidates is one case to resolve.
  const ambiguous = new Set(suggestions.filter((d) => d.ambiguous).map((d) => d.lineId)).size;
  if (allocated) {
    recordAudit(
      tx,
      actor,
      {
        action: 'reconcile.run',
        entity: 'reconciliation',
        after: { allocated, amountAllocated: formatYuan(amountAllocated), suggested, ambiguous },
        count: allocated,
      },
      now,
    );
  }
  return {
    linesConsidered,
    requestsConsidered,
    allocated,
    amountAllocated,
    suggested,
    ambiguous,
    decisions: [...allocations, ...suggestions],
  };
}

/** What a set of rules would do now, without writing anything (the rules editor's dry run). */
export function dryRun(q: Queryable, rules: MatchRule[]) {
  const decisions = planMatches(openLines(q), openRequests(q), rules);
  const byRule = new Map<string, { allocate: number; suggest: number; ambiguous: number }>();
  for (const d of decisions) {
    const k = byRule.get(d.rule) ?? { allocate: 0, suggest: 0, ambiguous: 0 };
    if (d.kind === 'allocate') k.allocate++;
    else if (d.ambiguous) k.ambiguous++;
    else k.suggest++;
    byRule.set(d.rule, k);
  }
  return {
    allocations: decisions.filter((d) => d.kind === 'allocate').length,
    suggestions: decisions.filter((d) => d.kind === 'suggest' && !d.ambiguous).length,
    ambiguous: decisions.filter((d) => d.kind === 'suggest' && d.ambiguous).length,
    byRule: [...byRule].map(([rule, n]) => ({ rule, ...n })),
    sample: decisions.slice(0, 200),
  };
}

/** Staff allocate by hand (confirming a suggestion, picking among candidates, or splitting a line). */
export function matchByHand(tx: Tx, actor: Actor, lineId: number, requestId: number, amount: number, now: number): void {
  // By hand the accountant may be splitting a line over several requests, so what is left on the
  // line stays unallocated rather than marking the request overpaid.
  allocate(tx, actor, { lineId, requestId, amount, rule: null, matchedBy: actor.staffId, excess: 0 }, now);
  recordAudit(
    tx,
    actor,
    { action: 'reconcile.match', entity: 'recharge_request', entityId: requestId, after: { lineId, amount: formatYuan(amount) } },
    now,
  );
}

/** Undoes an allocation with a reason; the money returns to the line and the request reopens. */
export async function unmatch(tx: Tx, actor: Actor, allocationId: number, reason: string, now: number): Promise<void> {
  const a = tx.sql('SELECT * FROM allocations WHERE id = ?').get(allocationId) as
    | {
        id: number;
        request_id: number;
        bank_line_id: number | null;
        kind: string;
        amount: number;
        status: string;
        ledger_transfer_id: number | null;
      }
    | undefined;
  if (!a) throw new CofferError('NOT_FOUND', `no allocation ${allocationId}`, { field: 'allocationId' });
  if (a.status !== 'active')
    throw refuse('CONFLICT', 'allocation_not_active', { allocationId: String(allocationId), status: a.status }, { field: 'allocationId' });
  const r = requestById(tx, a.request_id);
  if (!['submitted', 'partly_paid', 'matched', 'overpaid'].includes(r.status))
    throw refuse('CONFLICT', 'cannot_unmatch', { requestId: r.request_id, status: r.status }, { field: 'allocationId' });
  if (a.bank_line_id !== null) tx.sql('UPDATE bank_lines SET allocated = allocated - ? WHERE id = ?').run(a.amount, a.bank_line_id);
  // A confirmed write-off was posted: undoing it reverses that posting.
  if (a.kind === 'writeoff' && a.ledger_transfer_id !== null)
    await reverseTransfer(tx, actor, a.ledger_transfer_id, `write-off undone: ${reason}`, now);
  tx.sql("UPDATE allocations SET status = 'undone', undone_by = ?, undone_at = ?, undo_reason = ? WHERE id = ?").run(
    actor.staffId,
    now,
    reason,
    allocationId,
  );
  tx.sql("UPDATE recharge_requests SET status = CASE WHEN status = 'overpaid' THEN 'matched' ELSE status END WHERE id = ?").run(
    a.request_id,
  );
  refreshRequest(tx, a.request_id, now);
  recordAudit(
    tx,
    actor,
    {
      action: 'reconcile.unmatch',
      entity: 'recharge_request',
      entityId: a.request_id,
      after: { allocationId, amount: formatYuan(a.amount), reason },
    },
    now,
  );
}

/** A clerk proposes writing off a small shortfall (a bank fee) on a request; an approver confirms it. */
export function proposeWriteOff(tx: Tx, actor: Actor, requestId: number, amount: number, reason: string, now: number): number {
  const r = requestById(tx, requestId);
  if (r.status !== 'partly_paid')
    throw refuse('CONFLICT', 'writeoff_not_partly_paid', { requestId: r.request_id, status: r.status }, { field: 'requestId' });
  const cap = settingAt(tx, 'matching.writeOffCapFen', now);
  if (amount !== r.amount - r.covered)
    throw new CofferError('VALIDATION', `amount: the difference is ${formatYuan(r.amount - r.covered)}; write off all of it or none`, {
      field: 'amount',
    });
  if (amount > cap) throw refuse('REFUSED', 'writeoff_above_cap', { amountFen: String(amount), capFen: String(cap) }, { field: 'amount' });
  if (tx.sql("SELECT 1 FROM allocations WHERE request_id = ? AND kind = 'writeoff' AND status = 'proposed'").get(requestId))
    throw refuse('CONFLICT', 'writeoff_pending', { requestId: r.request_id }, { field: 'requestId' });
  const info = tx
    .sql(
      "INSERT INTO allocations (request_id, kind, amount, rule, matched_by, run_by, created_at, status, reason) VALUES (?, 'writeoff', ?, NULL, ?, ?, ?, 'proposed', ?)",
    )
    .run(requestId, amount, actor.staffId, actor.staffId, now, reason);
  const id = Number(info.lastInsertRowid);
  recordAudit(
    tx,
    actor,
    {
      action: 'reconcile.writeoff_propose',
      entity: 'recharge_request',
      entityId: requestId,
      after: { allocationId: id, amount: formatYuan(amount), reason },
    },
    now,
  );
  return id;
}

/** An approver (not the proposer) confirms — posting Dr bank fees / Cr unallocated receipts — or rejects. */
export function decideWriteOff(tx: Tx, actor: Actor, allocationId: number, approve: boolean, now: number): void {
  const a = tx.sql("SELECT * FROM allocations WHERE id = ? AND kind = 'writeoff'").get(allocationId) as
    { id: number; request_id: number; amount: number; status: string; matched_by: number | null } | undefined;
  if (!a) throw new CofferError('NOT_FOUND', `no write-off ${allocationId}`, { field: 'allocationId' });
  if (a.status !== 'proposed')
    throw refuse('CONFLICT', 'writeoff_not_proposed', { allocationId: String(allocationId), status: a.status }, { field: 'allocationId' });
  if (a.matched_by === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_writeoff', { user: actor.name }, { field: 'allocationId' });
  let transferId: number | null = null;
  if (approve) {
    const r = requestById(tx, a.request_id);
    if (r.status !== 'partly_paid' || r.amount - r.covered !== a.amount)
      throw refuse('CONFLICT', 'writeoff_request_changed', { requestId: r.request_id }, { field: 'allocationId' });
    [transferId] = expectPosted(
      createTransfers(
        tx,
        [
          {
            key: `writeoff:${allocationId}`,
            ledger: 1,
            debitAccountId: cnyAccount(tx, 'bank_fees'),
            creditAccountId: cnyAccount(tx, 'unallocated_receipts'),
            amount: a.amount,
            code: 'writeoff',
            memo: r.request_id,
          },
        ],
        { staffId: actor.staffId, now },
      ),
    ) as [number];
  }
  tx.sql('UPDATE allocations SET status = ?, decided_by = ?, decided_at = ?, ledger_transfer_id = ? WHERE id = ?').run(
    approve ? 'active' : 'rejected',
    actor.staffId,
    now,
    transferId,
    allocationId,
  );
  refreshRequest(tx, a.request_id, now);
  recordAudit(
    tx,
    actor,
    {
      action: approve ? 'reconcile.writeoff_confirm' : 'reconcile.writeoff_reject',
      entity: 'recharge_request',
      entityId: a.request_id,
      after: { allocationId, amount: formatYuan(a.amount), transferId },
    },
    now,
  );
}
