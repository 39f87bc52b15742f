// Reconciliation (step 3 of the method): allocate bank money to recharge requests by the ordered
// rules, record suggestions for staff, match and unmatch by hand, and write off small differences
// with an approver. Allocation never exceeds what a line brought in or what a request still needs.
import type { Selectable } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect, literal } from '../db/query';
import type { AllocationTable } from '../db/schema';
import { lockRow, type Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import {
  planMatchSteps,
  planMatches,
  requestStatus,
  type Decision,
  type MatchRule,
  type OpenLine,
  type OpenRequest,
} from '../domain/matching';
import { formatYuan } from '../domain/money';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { postReversal } from './ledger-actions';
import { postOne } from './ledger-post';
import { matchableLine } from './bank-statements';
import {
  allocationRuleFourEyes,
  closeProposal,
  declinedRulePairs,
  handFourEyesRule,
  heldOut,
  openLineColumns,
  openLineOf,
  OPEN_REQUEST_COLUMNS,
  openRequestOf,
  pairKey,
  proposeMatchChange,
  waitingProposal,
} from './match-proposals';
import { refreshRequest, requestById } from './recharge-requests';
import { netReversals } from './reversals';
import { settingAt } from './settings';
import { drain, type Steps } from './steps';
import { cnyAccount } from './system-accounts';
import { num, rowMapper, text, textOrNull } from '../db/row-read';

// Open lines and requests are read in table order (rowid), the ids found through the partial or
// status index first: read in an index's order (booking date, amount), a table larger than the page
// cache is read page by random page, which made the read grow faster than the table at 1M lines.
async function openRequests(q: Queryable): Promise<OpenRequest[]> {
  return (
    await q
      .sql(
        `SELECT ${OPEN_REQUEST_COLUMNS} FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id
       WHERE r.id IN (SELECT id FROM recharge_requests WHERE status IN ('submitted', 'partly_paid'))`,
      )
      .all()
  ).map(openRequestOf);
}

async function openLines(q: Queryable): Promise<OpenLine[]> {
  return (
    await q
      .sql(
        `SELECT ${openLineColumns(q)} FROM bank_lines l
       WHERE l.id IN (SELECT id FROM bank_lines ${dialect(q).indexedBy('bank_lines_open')} WHERE ${matchableLine()})`,
      )
      .all()
  ).map(openLineOf);
}

/** What the rules may work on: open lines and requests without a proposal waiting for a second person. */
async function openWork(q: Queryable): Promise<{ lines: OpenLine[]; requests: OpenRequest[] }> {
  const held = await heldOut(q);
  return {
    lines: (await openLines(q)).filter((l) => !held.lines.has(l.id)),
    requests: (await openRequests(q)).filter((r) => !held.requests.has(r.id)),
  };
}

export interface AllocationInput {
  lineId: number;
  requestId: number;
  amount: number;
  rule: string | null;
  matchedBy: number | null;
  excess?: number;
  /** Who ran it, when not the actor (a confirmed proposal: the proposer ran it, the actor decided it). */
  runBy?: number;
  decidedBy?: number;
}

/** The checks every allocation passes: money in, an open request, no more than either side has left. */
async function checkAllocation(tx: Tx, a: Pick<AllocationInput, 'lineId' | 'requestId' | 'amount'>) {
  await lockRow(tx, 'bank_lines', a.lineId);
  await lockRow(tx, 'recharge_requests', a.requestId);
  const line = await tx.db
    .selectFrom('bank_lines')
    .select(['amount', 'allocated', 'reversal', 'netted_with as nettedWith'])
    .where('id', '=', a.lineId)
    .executeTakeFirst();
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(a.lineId) }, { field: 'lineId' });
  if (line.nettedWith !== null)
    throw refuse('CONFLICT', 'line_netted', { lineId: String(a.lineId), otherLineId: String(line.nettedWith) }, { field: 'lineId' });
  if (line.reversal) throw refuse('CONFLICT', 'line_is_reversal', { lineId: String(a.lineId) }, { field: 'lineId' });
  if (line.amount < 0) throw refuse('CONFLICT', 'line_money_out', { lineId: String(a.lineId) }, { field: 'lineId' });
  const r = await requestById(tx, a.requestId);
  if (!['submitted', 'partly_paid'].includes(r.status))
    throw refuse('CONFLICT', 'request_not_open', { requestId: r.request_id, status: r.status }, { field: 'requestId' });
  if (!Number.isSafeInteger(a.amount) || a.amount <= 0) throw refuse('VALIDATION', 'amount_not_positive', {}, { field: 'amount' });
  if (a.amount > line.amount - line.allocated)
    throw refuse(
      'CONFLICT',
      'line_short',
      { lineId: String(a.lineId), leftFen: String(line.amount - line.allocated) },
      { field: 'amount' },
    );
  if (a.amount > r.amount - r.covered)
    throw refuse('CONFLICT', 'request_needs_less', { requestId: r.request_id, needFen: String(r.amount - r.covered) }, { field: 'amount' });
}

/** One allocation of a line's money to a request, checked against both sides' remaining amounts. */
async function allocate(tx: Tx, actor: Actor, a: AllocationInput, now: number): Promise<number> {
  await checkAllocation(tx, a);
  await tx.sql('UPDATE bank_lines SET allocated = allocated + ? WHERE id = ?').run(a.amount, a.lineId);
  const info = await tx
    .sql(
      "INSERT INTO allocations (request_id, bank_line_id, kind, amount, rule, matched_by, run_by, created_at, decided_by, decided_at) VALUES (?, ?, 'bank', ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      a.requestId,
      a.lineId,
      a.amount,
      a.rule,
      a.matchedBy,
      a.runBy ?? actor.staffId,
      now,
      a.decidedBy ?? null,
      a.decidedBy === undefined ? null : now,
    );
  await tx.sql('DELETE FROM match_suggestions WHERE bank_line_id = ? OR request_id = ?').run(a.lineId, a.requestId);
  await refreshRequest(tx, a.requestId, now, (a.excess ?? 0) > 0);
  return Number(info.lastInsertRowid);
}

type Allocate = Extract<Decision, { kind: 'allocate' }>;

/** The id of the row a re-check found (a line or request that no longer fits), if it found one. */
const foundId = (row: unknown): number | undefined => (row === undefined ? undefined : num(row, 'id'));

/**
 * A pass's allocations written as a batch: the planner has already kept every amount within what the
 * line and the request have left, and the writes re-check it in SQL (a row that no longer fits stops
 * the run, naming the first such line or request by id, and rolls it back). Each of the three writes
 * is one statement over the pass's rows handed over as JSON — the allocations inserted in the plan's
 * order, lines and requests updated in table order — instead of a statement per row: allocations,
 * bank lines and requests have triggers, and SQLite journals every statement that fires one.
 */
async function applyAllocations(tx: Tx, actor: Actor, ds: Allocate[], requests: Map<number, OpenRequest>, now: number): Promise<void> {
  const perLine = new Map<number, number>();
  const perRequest = new Map<number, { amount: number; overpaid: boolean }>();
  for (const d of ds) {
    perLine.set(d.lineId, (perLine.get(d.lineId) ?? 0) + d.amount);
    const p = perRequest.get(d.requestId) ?? { amount: 0, overpaid: false };
    perRequest.set(d.requestId, { amount: p.amount + d.amount, overpaid: p.overpaid || d.excess > 0 });
  }
  const { jsonRows, jsonInt } = dialect(tx);
  const [at0, at1, at2] = [0, 1, 2].map((i) => jsonInt('j.value', i));
  await tx
    .sql(
      `INSERT INTO allocations (request_id, bank_line_id, kind, amount, rule, matched_by, run_by, created_at)
     SELECT ${at0}, ${at1}, 'bank', ${at2}, j.value ->> 3, NULL, ?, ? FROM ${jsonRows('j')} ORDER BY j.key`,
    )
    .run(actor.staffId, now, JSON.stringify(ds.map((d) => [d.requestId, d.lineId, d.amount, d.rule])));

  const lines = JSON.stringify([...perLine].sort((a, b) => a[0] - b[0]));
  const badLine = foundId(
    await tx
      .sql(
        `SELECT ${at0} AS id FROM ${jsonRows('j')} LEFT JOIN bank_lines l ON l.id = ${at0}
       WHERE l.id IS NULL OR NOT (l.amount > 0 AND l.allocated + ${at1} <= l.amount) ORDER BY j.key LIMIT 1`,
      )
      .get(lines),
  );
  const lineChanges =
    badLine !== undefined
      ? 0
      : (
          await tx
            .sql(
              `UPDATE bank_lines SET allocated = allocated + u.amount FROM (SELECT ${at0} AS id, ${at1} AS amount FROM ${jsonRows('j')}) u
           WHERE bank_lines.id = u.id`,
            )
            .run(lines)
        ).changes;
  if (badLine !== undefined || lineChanges !== perLine.size)
    throw refuse('CONFLICT', 'line_changed_during_run', { lineId: String(badLine ?? '') }, { field: 'lineId' });

  const updates = [...perRequest]
    .sort((a, b) => a[0] - b[0])
    .map(([id, p]) => {
      const r = requests.get(id)!;
      const covered = r.covered + p.amount;
      return [id, r.covered, covered, requestStatus(r.amount, covered, p.overpaid)] as const;
    });
  const json = JSON.stringify(updates);
  const badRequest = foundId(
    await tx
      .sql(
        `SELECT ${at0} AS id FROM ${jsonRows('j')} LEFT JOIN recharge_requests r ON r.id = ${at0}
       WHERE r.id IS NULL OR NOT (r.covered = ${at1} AND ${at2} <= r.amount AND r.status IN ('submitted', 'partly_paid'))
       ORDER BY j.key LIMIT 1`,
      )
      .get(json),
  );
  const requestChanges =
    badRequest !== undefined
      ? 0
      : (
          await tx
            .sql(
              `UPDATE recharge_requests SET covered = u.covered, status = u.status, version = version + 1, updated_at = ?
           FROM (SELECT ${at0} AS id, ${at2} AS covered, j.value ->> 3 AS status FROM ${jsonRows('j')}) u WHERE recharge_requests.id = u.id`,
            )
            .run(now, json)
        ).changes;
  if (badRequest !== undefined || requestChanges !== updates.length)
    throw refuse('CONFLICT', 'request_changed_during_run', { requestId: String(badRequest ?? '') }, { field: 'requestId' });
  for (const [id, , covered] of updates) requests.get(id)!.covered = covered;
}

export interface ReconcileResult {
  /** reversals netted in this run (their originals were unmatched since the import) */
  reversalsNetted: number;
  linesConsidered: number;
  requestsConsidered: number;
  allocated: number;
  amountAllocated: number;
  /** Matches a rule holds for a second person (four eyes): proposed, no money moved yet. */
  proposed: number;
  suggested: number;
  ambiguous: number;
  decisions: Decision[];
}

type Suggest = Extract<Decision, { kind: 'suggest' }>;

/** A suggestion as it stands, read column by column. */
const suggestionOf = rowMapper({ id: num, bank_line_id: num, request_id: num, amount: num, score: num, rule: textOrNull, kind: text });

/**
 * Replaces the suggestions with `wanted` (in line, request order), ids 1, 2, 3, … in that order as
 * deleting them all and inserting these would number them (the review queue pages by id). The rows
 * that already stand as they would be written — same id, line, request, amount, score, rule and kind —
 * are kept, and only the rest is deleted and written: a run that changes nothing writes (and seals)
 * no suggestion again; such a row keeps the run_at of the run that wrote it.
 */
async function writeSuggestions(tx: Tx, wanted: Suggest[], now: number): Promise<void> {
  const kindOf = (d: Suggest) => (d.ambiguous ? 'ambiguous' : 'suggested');
  let kept = 0;
  for await (const row of tx
    .sql('SELECT id, bank_line_id, request_id, amount, score, rule, kind FROM match_suggestions ORDER BY id')
    .iterate()) {
    const d = wanted[kept];
    const { id, bank_line_id: lineId, request_id: requestId, amount, score, rule, kind } = suggestionOf(row);
    if (!d || id !== kept + 1 || lineId !== d.lineId || requestId !== d.requestId || amount !== d.amount) break;
    if (score !== d.score || rule !== d.rule || kind !== kindOf(d)) break;
    kept++;
  }
  await tx.sql('DELETE FROM match_suggestions WHERE id > ?').run(kept);
  if (kept === wanted.length) return;
  // One statement for the rest, handed over as JSON (a statement a row cost ≈ 10 µs each). The ids
  // written out: PostgreSQL's identity would go on from its sequence, not from the rows kept.
  const { jsonRows, jsonInt } = dialect(tx);
  const rest: (string | number | null)[][] = [];
  for (let i = kept; i < wanted.length; i++) {
    const d = wanted[i]!;
    rest.push([i + 1, d.lineId, d.requestId, d.amount, d.score, d.rule, kindOf(d)]);
  }
  const [id, lineId, requestId, amount, score] = [0, 1, 2, 3, 4].map((i) => jsonInt('j.value', i));
  await tx
    .sql(
      `INSERT INTO match_suggestions (id, bank_line_id, request_id, amount, score, rule, kind, run_at)
     SELECT ${id}, ${lineId}, ${requestId}, ${amount}, ${score}, j.value ->> 5, j.value ->> 6, ? FROM ${jsonRows('j')} ORDER BY j.key`,
    )
    .run(now, JSON.stringify(rest));
}

/** Runs the rules in force over every open line and request. Running it again changes nothing. */
export async function reconcile(tx: Tx, actor: Actor, now: number): Promise<ReconcileResult> {
  return await drain(reconcileSteps(tx, actor, now));
}

/**
 * The same run in steps — netting, each matching pass (done: lines settled of those considered), the
 * suggestions — for the job that shows its progress and may be cancelled between them.
 */
export async function* reconcileSteps(tx: Tx, actor: Actor, now: number): Steps<ReconcileResult> {
  const rules = await settingAt(tx, 'matching.rules', now);
  // Net first: an original unmatched since the import must be netted, not matched again.
  const reversalsNetted = (await netReversals(tx, actor, now)).netted;
  yield { done: 0, total: null, stage: 'netting' };
  const batch: Actor = { ...actor, inBatch: true };
  const declined = await declinedRulePairs(tx);
  let { lines, requests } = await openWork(tx);
  const linesConsidered = lines.length;
  const requestsConsidered = requests.length;
  const requestsById = new Map(requests.map((r) => [r.id, r]));
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const held = { lines: new Set<number>(), requests: new Set<number>() };
  let allocated = 0;
  let amountAllocated = 0;
  let proposed = 0;
  const done: Decision[] = [];
  let decisions: Decision[] = [];
  let offered: Decision[] = [];
  // A line ambiguous at first may have one candidate left once other lines took the rest: plan and
  // apply again until a plan allocates nothing, so that one run settles and a second changes nothing.
  // Between passes the open lines and requests are brought up to date in memory, not read again.
  let shown = 0;
  for (let pass = 0; pass < 20; pass++) {
    const settled = linesConsidered - lines.length;
    shown = Math.max(shown, settled);
    yield { done: shown, total: linesConsidered, stage: 'matching' };
    // The plan pauses every few thousand lines: progress, and a cancel honoured in the middle of it.
    const planning = planMatchSteps(lines, requests, rules);
    for (let p = planning.next(); ; p = planning.next()) {
      if (p.done) {
        decisions = p.value;
        break;
      }
      // A later pass plans the lines still open again: what it shows never goes back.
      shown = Math.max(shown, Math.min(linesConsidered, settled + p.value));
      yield { done: shown, total: linesConsidered, stage: 'matching' };
    }
    const direct: Allocate[] = [];
    const fourEyes: Allocate[] = [];
    offered = [];
    for (const d of decisions) {
      if (d.kind !== 'allocate') continue;
      // A pair a second person declined is offered as a suggestion, never proposed again.
      if (d.fourEyes && declined.has(pairKey(d.lineId, d.requestId)))
        offered.push({
          kind: 'suggest',
          lineId: d.lineId,
          requestId: d.requestId,
          amount: d.amount,
          rule: d.rule,
          score: 0,
          ambiguous: false,
        });
      else (d.fourEyes ? fourEyes : direct).push(d);
    }
    if (direct.length + fourEyes.length === 0) break;
    await applyAllocations(tx, batch, direct, requestsById, now);
    for (const d of direct) {
      lineById.get(d.lineId)!.remaining -= d.amount;
      amountAllocated += d.amount;
    }
    allocated += direct.length;
    for (const d of fourEyes) {
      await proposeMatchChange(
        tx,
        batch,
        { kind: 'match', origin: 'rule', lineId: d.lineId, requestId: d.requestId, amount: d.amount, excess: d.excess, rule: d.rule },
        now,
      );
      held.lines.add(d.lineId);
      held.requests.add(d.requestId);
    }
    proposed += fourEyes.length;
    for (const d of direct) done.push(d);
    for (const d of fourEyes) done.push(d);
    lines = lines.filter((l) => l.remaining > 0 && !held.lines.has(l.id));
    requests = requests.filter((r) => r.covered < r.amount && !held.requests.has(r.id));
  }
  yield { done: linesConsidered - lines.length, total: linesConsidered, stage: 'suggesting' };
  // Only the last plan's suggestions stand: they were made with everything allocated.
  const suggestions = [...decisions.filter((d) => d.kind === 'suggest'), ...offered] as Extract<Decision, { kind: 'suggest' }>[];
  await writeSuggestions(
    tx,
    [...suggestions].sort((a, b) => a.lineId - b.lineId || a.requestId - b.requestId),
    now,
  );
  const suggested = suggestions.filter((d) => !d.ambiguous).length;
  // Ambiguous lines, not suggestion rows: one line with three candidates is one case to resolve.
  const ambiguous = new Set(suggestions.filter((d) => d.ambiguous).map((d) => d.lineId)).size;
  // One audit row per run that wrote anything: allocations, proposals, or the suggestion rows.
  if (allocated || proposed || suggestions.length) {
    await recordAudit(tx, actor, {
      action: 'reconcile.run',
      entity: 'reconciliation',
      after: { allocated, amountAllocated: formatYuan(amountAllocated), proposed, suggested, ambiguous },
      count: allocated + proposed + suggestions.length,
      at: now,
    });
  }
  return {
    reversalsNetted,
    linesConsidered,
    requestsConsidered,
    allocated,
    amountAllocated,
    proposed,
    suggested,
    ambiguous,
    decisions: done.concat(suggestions),
  };
}

/** What a set of rules would do now, without writing anything (the rules editor's dry run). */
export async function dryRun(q: Queryable, rules: MatchRule[]) {
  const { lines, requests } = await openWork(q);
  const decisions = planMatches(lines, requests, rules);
  const byRule = new Map<string, { allocate: number; propose: number; suggest: number; ambiguous: number }>();
  for (const d of decisions) {
    const k = byRule.get(d.rule) ?? { allocate: 0, propose: 0, suggest: 0, ambiguous: 0 };
    if (d.kind === 'allocate' && d.fourEyes) k.propose++;
    else if (d.kind === 'allocate') k.allocate++;
    else if (d.ambiguous) k.ambiguous++;
    else k.suggest++;
    byRule.set(d.rule, k);
  }
  return {
    allocations: decisions.filter((d) => d.kind === 'allocate' && !d.fourEyes).length,
    proposals: decisions.filter((d) => d.kind === 'allocate' && d.fourEyes).length,
    suggestions: decisions.filter((d) => d.kind === 'suggest' && !d.ambiguous).length,
    ambiguous: decisions.filter((d) => d.kind === 'suggest' && d.ambiguous).length,
    byRule: [...byRule].map(([rule, n]) => ({ rule, ...n })),
    sample: decisions.slice(0, 200),
  };
}

/**
 * Staff allocate by hand (confirming a suggestion, picking among candidates, or splitting a line).
 * Where a rule covering the line and request asks four eyes for this amount, it becomes a proposal.
 */
export async function matchByHand(
  tx: Tx,
  actor: Actor,
  lineId: number,
  requestId: number,
  amount: number,
  now: number,
): Promise<{ allocationId: number | null; proposalId: number | null }> {
  const rule = await handFourEyesRule(tx, await settingAt(tx, 'matching.rules', now), lineId, requestId, amount);
  if (rule) {
    await checkAllocation(tx, { lineId, requestId, amount });
    const proposalId = await proposeMatchChange(
      tx,
      actor,
      { kind: 'match', origin: 'hand', lineId, requestId, amount, rule: rule.name },
      now,
    );
    return { allocationId: null, proposalId };
  }
  // By hand the accountant may be splitting a line over several requests, so what is left on the
  // line stays unallocated rather than marking the request overpaid.
  const allocationId = await allocate(tx, actor, { lineId, requestId, amount, rule: null, matchedBy: actor.staffId, excess: 0 }, now);
  await recordAudit(tx, actor, {
    action: 'reconcile.match',
    entity: 'recharge_request',
    entityId: requestId,
    after: { lineId, amount: formatYuan(amount) },
    at: now,
  });
  return { allocationId, proposalId: null };
}

type AllocationRow = Selectable<AllocationTable>;

async function activeAllocation(tx: Tx, allocationId: number): Promise<AllocationRow> {
  const a = await tx.db.selectFrom('allocations').selectAll().where('id', '=', allocationId).executeTakeFirst();
  if (!a) throw refuse('NOT_FOUND', 'allocation_not_found', { allocationId: String(allocationId) }, { field: 'allocationId' });
  if (a.status !== 'active')
    throw refuse('CONFLICT', 'allocation_not_active', { allocationId: String(allocationId), status: a.status }, { field: 'allocationId' });
  const r = await requestById(tx, a.request_id);
  if (!['submitted', 'partly_paid', 'matched', 'overpaid'].includes(r.status))
    throw refuse('CONFLICT', 'cannot_unmatch', { requestId: r.request_id, status: r.status }, { field: 'allocationId' });
  return a;
}

/**
 * Undoes an allocation with a reason; the money returns to the line and the request reopens. Where
 * the rule that made it (or a rule covering its line and request) asks four eyes, it is proposed.
 */
export async function unmatch(
  tx: Tx,
  actor: Actor,
  allocationId: number,
  reason: string,
  now: number,
): Promise<{ proposalId: number | null }> {
  const a = await activeAllocation(tx, allocationId);
  if (a.kind === 'bank' && a.bank_line_id !== null) {
    const rules = await settingAt(tx, 'matching.rules', now);
    const rule =
      allocationRuleFourEyes(rules, a.rule, a.amount) ?? (await handFourEyesRule(tx, rules, a.bank_line_id, a.request_id, a.amount));
    if (rule) {
      const proposalId = await proposeMatchChange(
        tx,
        actor,
        {
          kind: 'unmatch',
          origin: 'hand',
          lineId: a.bank_line_id,
          requestId: a.request_id,
          allocationId,
          amount: a.amount,
          rule: rule.name,
          reason,
        },
        now,
      );
      return { proposalId };
    }
  }
  await undoAllocation(tx, actor, a, reason, now);
  return { proposalId: null };
}

async function undoAllocation(tx: Tx, actor: Actor, a: AllocationRow, reason: string, now: number): Promise<void> {
  if (a.bank_line_id !== null) await tx.sql('UPDATE bank_lines SET allocated = allocated - ? WHERE id = ?').run(a.amount, a.bank_line_id);
  // A confirmed write-off was posted: undoing it reverses that posting.
  if (a.kind === 'writeoff' && a.ledger_transfer_id !== null)
    await postReversal(tx, actor, a.ledger_transfer_id, `write-off undone: ${reason}`, now);
  await tx
    .sql("UPDATE allocations SET status = 'undone', undone_by = ?, undone_at = ?, undo_reason = ? WHERE id = ?")
    .run(actor.staffId, now, reason, a.id);
  await tx
    .sql("UPDATE recharge_requests SET status = CASE WHEN status = 'overpaid' THEN 'matched' ELSE status END WHERE id = ?")
    .run(a.request_id);
  await refreshRequest(tx, a.request_id, now);
  await recordAudit(tx, actor, {
    action: 'reconcile.unmatch',
    entity: 'recharge_request',
    entityId: a.request_id,
    after: { allocationId: a.id, amount: formatYuan(a.amount), reason },
    at: now,
  });
  // A reversal (冲正) waiting for this line to be unmatched is netted once it is free (or its reason updated).
  if (a.bank_line_id !== null) {
    const waiting = await tx.db
      .selectFrom('bank_lines as r')
      .innerJoin('bank_lines as o', 'o.id', 'r.reversal_of')
      .select('r.id')
      .where('r.reversal_of', '=', a.bank_line_id)
      .where('r.reversal', '=', literal(1))
      .where('r.netted_with', 'is', null)
      .execute();
    for (const w of waiting) await netReversals(tx, actor, now, { lineId: w.id });
  }
}

/**
 * A second staff user (an approver, not the proposer) confirms a proposed match or unmatch: the
 * match is allocated exactly once, through the same checks as any match; refused if either side
 * changed since it was proposed.
 */
export async function confirmProposal(tx: Tx, actor: Actor, proposalId: number, now: number): Promise<{ allocationId: number | null }> {
  const p = await waitingProposal(tx, actor, proposalId, true);
  if (p.kind === 'match') {
    const allocationId = await allocate(
      tx,
      actor,
      {
        lineId: p.bank_line_id,
        requestId: p.request_id,
        amount: p.amount,
        rule: p.origin === 'rule' ? p.rule : null,
        matchedBy: p.origin === 'hand' ? p.proposed_by : null,
        excess: p.excess,
        runBy: p.proposed_by,
        decidedBy: actor.staffId!,
      },
      now,
    );
    await closeProposal(tx, actor, p, 'confirmed', { allocationId }, now);
    return { allocationId };
  }
  await undoAllocation(tx, actor, await activeAllocation(tx, p.allocation_id!), p.reason, now);
  await closeProposal(tx, actor, p, 'confirmed', {}, now);
  return { allocationId: p.allocation_id };
}

/** Declines a proposal with a reason: nothing was allocated, so nothing moves; the rules may work on both sides again. */
export async function declineProposal(tx: Tx, actor: Actor, proposalId: number, reason: string, now: number): Promise<void> {
  const p = await waitingProposal(tx, actor, proposalId, false);
  if (reason.trim().length < 2)
    throw refuse('VALIDATION', 'decline_reason_required', { proposalId: String(proposalId) }, { field: 'reason' });
  await closeProposal(tx, actor, p, 'declined', { reason: reason.trim() }, now);
}

/**
 * What a write-off says about the difference, chosen by the person who proposes it:
 * - fee (手续费): the bank or channel kept a fee and the platform bears it. Dr 手续费 (660301) / Cr unallocated
 *   receipts; the prepayment, the recharge record and the invoiceable money are the full request.
 * - short (折让 / 短付): the customer paid less. Nothing is posted for the difference; the prepayment, the
 *   record and the invoiceable money carry what was received, and the coins are those the request's
 *   conversion rule gives for the amount received (we convert the received money; the request is not
 *   re-priced with the customer, so a tier the full amount would reach is not given).
 */
export type WriteOffKind = 'fee' | 'short';
export const WRITEOFF_KINDS = ['fee', 'short'] as const;

/** A clerk proposes writing off a small shortfall on a request, as a fee or a short payment; an approver confirms it. */
export async function proposeWriteOff(
  tx: Tx,
  actor: Actor,
  requestId: number,
  amount: number,
  reason: string,
  now: number,
  kind: WriteOffKind,
): Promise<number> {
  const r = await requestById(tx, requestId);
  if (r.status !== 'partly_paid')
    throw refuse('CONFLICT', 'writeoff_not_partly_paid', { requestId: r.request_id, status: r.status }, { field: 'requestId' });
  if (!WRITEOFF_KINDS.includes(kind)) throw refuse('VALIDATION', 'writeoff_kind', {}, { field: 'kind' });
  const cap = await settingAt(tx, 'matching.writeOffCapFen', now);
  if (amount !== r.amount - r.covered)
    throw refuse('VALIDATION', 'writeoff_all_or_none', { differenceFen: String(r.amount - r.covered) }, { field: 'amount' });
  if (amount > cap) throw refuse('REFUSED', 'writeoff_above_cap', { amountFen: String(amount), capFen: String(cap) }, { field: 'amount' });
  if (await tx.sql("SELECT 1 FROM allocations WHERE request_id = ? AND kind = 'writeoff' AND status = 'proposed'").get(requestId))
    throw refuse('CONFLICT', 'writeoff_pending', { requestId: r.request_id }, { field: 'requestId' });
  const info = await tx
    .sql(
      "INSERT INTO allocations (request_id, kind, writeoff_kind, amount, rule, matched_by, run_by, created_at, status, reason) VALUES (?, 'writeoff', ?, ?, NULL, ?, ?, ?, 'proposed', ?)",
    )
    .run(requestId, kind, amount, actor.staffId, actor.staffId, now, reason);
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: 'reconcile.writeoff_propose',
    entity: 'recharge_request',
    entityId: requestId,
    after: { allocationId: id, kind, amount: formatYuan(amount), reason },
    at: now,
  });
  return id;
}

/**
 * An approver (not the proposer) confirms — a fee posts Dr bank fees / Cr unallocated receipts; a short
 * payment posts nothing (the credit will carry what was received) — or rejects.
 */
export async function decideWriteOff(tx: Tx, actor: Actor, allocationId: number, approve: boolean, now: number): Promise<void> {
  const a = await tx.db
    .selectFrom('allocations')
    .selectAll()
    .where('id', '=', allocationId)
    .where('kind', '=', literal('writeoff'))
    .executeTakeFirst();
  if (!a) throw refuse('NOT_FOUND', 'writeoff_not_found', { allocationId: String(allocationId) }, { field: 'allocationId' });
  if (a.status !== 'proposed')
    throw refuse('CONFLICT', 'writeoff_not_proposed', { allocationId: String(allocationId), status: a.status }, { field: 'allocationId' });
  if (a.matched_by === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_writeoff', { user: actor.name }, { field: 'allocationId' });
  let transferId: number | null = null;
  if (approve) {
    const r = await requestById(tx, a.request_id);
    if (r.status !== 'partly_paid' || r.amount - r.covered !== a.amount)
      throw refuse('CONFLICT', 'writeoff_request_changed', { requestId: r.request_id }, { field: 'allocationId' });
    if (a.writeoff_kind === 'fee')
      transferId = await postOne(
        tx,
        {
          key: `writeoff:${allocationId}`,
          ledger: 1,
          debitAccountId: await cnyAccount(tx, 'bank_fees'),
          creditAccountId: await cnyAccount(tx, 'unallocated_receipts'),
          amount: a.amount,
          code: 'writeoff',
          memo: r.request_id,
        },
        { staffId: actor.staffId, now },
      );
  }
  await tx
    .sql('UPDATE allocations SET status = ?, decided_by = ?, decided_at = ?, ledger_transfer_id = ? WHERE id = ?')
    .run(approve ? 'active' : 'rejected', actor.staffId, now, transferId, allocationId);
  await refreshRequest(tx, a.request_id, now);
  await recordAudit(tx, actor, {
    action: approve ? 'reconcile.writeoff_confirm' : 'reconcile.writeoff_reject',
    entity: 'recharge_request',
    entityId: a.request_id,
    after: { allocationId, kind: a.writeoff_kind, amount: formatYuan(a.amount), transferId },
    at: now,
  });
}
