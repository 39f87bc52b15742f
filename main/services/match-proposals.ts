// Four eyes on matching (issue 4, §3): a matching rule with a four-eyes threshold turns a match — by
// the rules, by confirming a suggestion, or by hand — and an unmatch of what it covers into a
// proposal that another staff user confirms or declines. A proposal moves no money: the line's
// allocated and the request's covered change only at confirmation, through the same checked
// allocation as every match, so "never over-allocated" needs no reservation to hold. Confirmation
// is refused when the line or the request changed since the proposal (the request's version, the
// line's allocated amount), never applied over the change. Each step is audited.
import type { Selectable } from 'kysely';
import type { MatchProposalTable } from '../db/schema';
import type { Queryable } from '../db/books';
import { dialect, literal } from '../db/query';
import type { Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import { fourEyesRuleFor, needsFourEyes, type MatchRule, type OpenLine, type OpenRequest } from '../domain/matching';
import { formatYuan } from '../domain/money';
import { num, rowMapper, text, textOrNull } from '../db/row-read';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { requestById } from './recharge-requests';
import { counterNoOf } from './counter-numbers';
import type { AuditAction } from '../domain/audit-actions';

export type ProposalRow = Selectable<MatchProposalTable>;

export interface NewProposal {
  kind: 'match' | 'unmatch';
  origin: 'rule' | 'hand';
  lineId: number;
  requestId: number;
  allocationId?: number;
  amount: number;
  excess?: number;
  /** The rule whose four-eyes threshold holds this (for a rule's own match, the name it matched by). */
  rule: string;
  reason?: string;
}

// What the planner reads of a line and a request, days included (a line's booking date; a request's
// Shanghai day from its instant), computed by the engine so rows need no second pass in JavaScript.
export const openLineColumns = (
  q: Queryable,
) => `l.id, l.amount - l.allocated AS remaining, ${dialect(q).epochDay('l.booked')} AS day, l.counterparty_account AS counterpartyAccount,
  l.counterparty_name AS counterpartyName, coalesce(l.memo, '') || ' ' || coalesce(l.reference, '') AS text`;
export const OPEN_REQUEST_COLUMNS = `r.id, a.customer_id AS customerId, r.amount, r.covered, r.reference_code AS referenceCode, r.payer_account AS payerAccount,
  r.payer_name AS payerName, (r.requested_at + 28800000) / 86400000 AS day`;

/** A row of openLineColumns(), read column by column. */
export const openLineOf: (r: unknown) => OpenLine = rowMapper({
  id: num,
  remaining: num,
  day: num,
  counterpartyAccount: textOrNull,
  counterpartyName: textOrNull,
  text: text,
});

/** A row of OPEN_REQUEST_COLUMNS, read column by column. */
export const openRequestOf: (r: unknown) => OpenRequest = rowMapper({
  id: num,
  customerId: num,
  amount: num,
  covered: num,
  referenceCode: text,
  payerAccount: textOrNull,
  payerName: textOrNull,
  day: num,
});

/** Lines and requests with a proposal waiting: the rules leave them alone until it is decided. */
export async function heldOut(q: Queryable): Promise<{ lines: Set<number>; requests: Set<number> }> {
  const rows = await q.db
    .selectFrom('match_proposals')
    .select(['bank_line_id as l', 'request_id as r'])
    .where('status', '=', literal('proposed'))
    .execute();
  return { lines: new Set(rows.map((x) => x.l)), requests: new Set(rows.map((x) => x.r)) };
}

export const pairKey = (lineId: number, requestId: number) => `${lineId}:${requestId}`;

/** Pairs a second person declined when the rules proposed them: not proposed again, only suggested. */
export async function declinedRulePairs(q: Queryable): Promise<Set<string>> {
  const rows = await q.db
    .selectFrom('match_proposals')
    .select(['bank_line_id as l', 'request_id as r'])
    .where('status', '=', literal('declined'))
    .where('origin', '=', literal('rule'))
    .where('kind', '=', literal('match'))
    .execute();
  return new Set(rows.map((x) => pairKey(x.l, x.r)));
}

/** The rule that holds a match or unmatch by hand of this line and request for a second person, or null. */
export async function handFourEyesRule(
  q: Queryable,
  rules: MatchRule[],
  lineId: number,
  requestId: number,
  amount: number,
): Promise<MatchRule | null> {
  if (!rules.some((r) => r.enabled && r.fourEyesFromFen !== undefined)) return null;
  const line = await q.sql(`SELECT ${openLineColumns(q)} FROM bank_lines l WHERE l.id = ?`).get(lineId);
  const request = await q
    .sql(`SELECT ${OPEN_REQUEST_COLUMNS} FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id WHERE r.id = ?`)
    .get(requestId);
  if (line === undefined || request === undefined) return null; // the match itself names what is missing
  return fourEyesRuleFor(rules, openLineOf(line), openRequestOf(request), amount);
}

/** The rule in force that made an allocation, when it asks four eyes for that amount. */
export function allocationRuleFourEyes(rules: MatchRule[], ruleName: string | null, amount: number): MatchRule | null {
  if (!ruleName) return null;
  const base = ruleName.replace(/ \(several requests\)$/, '');
  return rules.find((r) => r.enabled && r.name === base && needsFourEyes(r, amount)) ?? null;
}

async function lineState(q: Queryable, lineId: number): Promise<{ amount: number; allocated: number }> {
  const line = await q.db.selectFrom('bank_lines').select(['amount', 'allocated']).where('id', '=', lineId).executeTakeFirst();
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  return line;
}

/** Records a proposal with the state of both sides as the proposer saw them. */
export async function proposeMatchChange(tx: Tx, actor: Actor, p: NewProposal, now: number): Promise<number> {
  if (actor.staffId === null) throw refuse('FORBIDDEN', 'proposal_needs_staff', {}, { field: 'actor' });
  const line = await lineState(tx, p.lineId);
  const r = await requestById(tx, p.requestId);
  const waiting = await tx.db
    .selectFrom('match_proposals')
    .select('id')
    .where('status', '=', literal('proposed'))
    .where('kind', '=', p.kind)
    .where('bank_line_id', '=', p.lineId)
    .where('request_id', '=', p.requestId)
    .executeTakeFirst();
  if (waiting)
    throw refuse(
      'CONFLICT',
      p.kind === 'match' ? 'match_proposal_waiting' : 'unmatch_proposal_waiting',
      { lineId: String(p.lineId), requestId: r.request_id, proposalId: String(waiting.id) },
      { field: 'requestId', proposalId: waiting.id },
    );
  const info = await tx
    .sql(
      `INSERT INTO match_proposals (kind, origin, bank_line_id, request_id, allocation_id, amount, excess, rule, reason, request_version, line_allocated, proposed_by, proposed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      p.kind,
      p.origin,
      p.lineId,
      p.requestId,
      p.allocationId ?? null,
      p.amount,
      p.excess ?? 0,
      p.rule,
      p.reason ?? '',
      r.version,
      line.allocated,
      actor.staffId,
      now,
    );
  const id = Number(info.lastInsertRowid);
  await recordAudit(tx, actor, {
    action: `reconcile.${p.kind}_propose` satisfies AuditAction,
    entity: 'recharge_request',
    entityId: p.requestId,
    after: {
      proposalId: id,
      lineId: p.lineId,
      amount: formatYuan(p.amount),
      rule: p.rule,
      origin: p.origin,
      ...(p.allocationId ? { allocationId: p.allocationId } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
    },
    at: now,
  });
  return id;
}

/** A waiting proposal, checked for a decision by this staff user. */
export async function waitingProposal(tx: Tx, actor: Actor, id: number, confirming: boolean): Promise<ProposalRow> {
  const p = await tx.db.selectFrom('match_proposals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw refuse('NOT_FOUND', 'proposal_not_found', { proposalId: String(id) }, { field: 'proposalId' });
  if (p.status !== 'proposed')
    throw refuse(
      'CONFLICT',
      p.status === 'confirmed' ? 'proposal_confirmed' : 'proposal_declined',
      { proposalId: String(id) },
      { field: 'proposalId' },
    );
  if (confirming && p.proposed_by === actor.staffId)
    throw refuse('FORBIDDEN', 'four_eyes_proposal', { proposalId: String(id), user: actor.name }, { field: 'proposalId' });
  if (confirming) {
    const r = await requestById(tx, p.request_id);
    const line = await lineState(tx, p.bank_line_id);
    if (r.version !== p.request_version || line.allocated !== p.line_allocated)
      throw refuse(
        'CONFLICT',
        'proposal_stale',
        {
          proposalId: String(id),
          requestId: r.request_id,
          lineId: String(p.bank_line_id),
          seenVersion: String(p.request_version),
          nowVersion: String(r.version),
          seenAllocatedFen: String(p.line_allocated),
          nowAllocatedFen: String(line.allocated),
        },
        { field: 'proposalId', requestVersion: r.version, lineAllocated: line.allocated },
      );
  }
  return p;
}

/** Closes a proposal after its decision, with the audit row naming both staff users. */
export async function closeProposal(
  tx: Tx,
  actor: Actor,
  p: ProposalRow,
  decision: 'confirmed' | 'declined',
  extra: { allocationId?: number; reason?: string },
  now: number,
): Promise<void> {
  await tx
    .sql('UPDATE match_proposals SET status = ?, decided_by = ?, decided_at = ?, decline_reason = ?, allocation_id = ? WHERE id = ?')
    .run(decision, actor.staffId, now, extra.reason ?? null, extra.allocationId ?? p.allocation_id, p.id);
  await recordAudit(tx, actor, {
    action: `reconcile.${p.kind}_${decision === 'confirmed' ? 'confirm' : 'decline'}` satisfies AuditAction,
    entity: 'recharge_request',
    entityId: p.request_id,
    after: {
      proposalId: p.id,
      lineId: p.bank_line_id,
      amount: formatYuan(p.amount),
      rule: p.rule,
      proposedBy: p.proposed_by,
      ...(extra.allocationId ? { allocationId: extra.allocationId } : {}),
      ...(extra.reason ? { reason: extra.reason } : {}),
    },
    at: now,
  });
}

export interface ProposalOut {
  id: number;
  kind: 'match' | 'unmatch';
  origin: 'rule' | 'hand';
  lineId: number;
  requestId: number;
  allocationId: number | null;
  amount: number;
  rule: string;
  reason: string;
  proposedBy: number;
  proposedByName: string;
  proposedAt: number;
  requestRef: string;
  customerName: string;
  referenceCode: string;
  requestAmount: number;
  covered: number;
  requestStatus: string;
  /** True when the request or the line changed since: confirming is refused; decline it. */
  stale: boolean;
  booked: string;
  lineAmount: number;
  lineAllocated: number;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  memo: string | null;
}

/** Proposals waiting for a second person, newest first (the review queue's "awaiting" tab). */
export async function waitingProposals(q: Queryable, limit: number, beforeId = Number.MAX_SAFE_INTEGER): Promise<ProposalOut[]> {
  const rows = await q.db
    .selectFrom('match_proposals as p')
    .innerJoin('staff as s', 's.id', 'p.proposed_by')
    .innerJoin('recharge_requests as r', 'r.id', 'p.request_id')
    .innerJoin('customer_accounts as a', 'a.id', 'r.account_id')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .innerJoin('bank_lines as l', 'l.id', 'p.bank_line_id')
    .select((eb) => {
      const counterNo = counterNoOf('recharge', 'r.request_id');
      return [
        'p.id',
        'p.kind',
        'p.origin',
        'p.bank_line_id as lineId',
        'p.request_id as requestId',
        'p.allocation_id as allocationId',
        'p.amount',
        'p.rule',
        'p.reason',
        'p.proposed_by as proposedBy',
        's.username as proposedByName',
        'p.proposed_at as proposedAt',
        eb.fn.coalesce(counterNo, 'r.request_id').as('requestRef'),
        counterNo.as('counterNo'),
        'c.name as customerName',
        'r.reference_code as referenceCode',
        'r.amount as requestAmount',
        'r.covered',
        'r.status as requestStatus',
        eb.or([eb('r.version', '<>', eb.ref('p.request_version')), eb('l.allocated', '<>', eb.ref('p.line_allocated'))]).as('stale'),
        'l.booked',
        'l.amount as lineAmount',
        'l.allocated as lineAllocated',
        'l.counterparty_name as counterpartyName',
        'l.counterparty_account as counterpartyAccount',
        'l.memo',
      ];
    })
    .where('p.status', '=', literal('proposed'))
    .where('p.id', '<', beforeId)
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((p) => ({ ...p, stale: Number(p.stale) === 1 }));
}
