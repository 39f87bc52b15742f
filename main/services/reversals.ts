// Bank reversals (冲正) netted against the line they undo. Both lines were booked at import (money in
// Dr bank / Cr unallocated receipts, money out Dr suspense / Cr bank), so a netted pair leaves one
// side in unallocated receipts and the other in suspense: the netting transfer Dr unallocated receipts
// / Cr suspense clears both, whichever way round the pair is, and the bank account is untouched. Netted
// lines are never offered to matching. An original already matched to a request waits for the
// accountant to unmatch it; then the next import, reconcile run or "net" click pairs it.
import { sql, type NotNull } from 'kysely';
import { literal } from '../db/query';
import type { Tx } from '../db/tx';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { pairReversal, type OriginalCandidate, type Pairing } from '../domain/reversals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { postOne } from './ledger-post';
import { cnyAccount } from './system-accounts';
import { refuse } from '../domain/refusals';

export interface NettingResult {
  netted: number;
  review: number;
  unpaired: number;
  pairs: { reversalLineId: number; originalLineId: number; amount: number; by: 'bank_ref' | 'counterparty' }[];
}

async function describeOriginal(tx: Tx, originalId: number): Promise<string> {
  const o = (await tx.db
    .selectFrom('bank_lines as l')
    .innerJoin('statements as s', 's.id', 'l.statement_id')
    .select(['l.line_no as lineNo', 'l.booked', 'l.bank_ref as bankRef', 's.file_name as file'])
    .where('l.id', '=', originalId)
    .executeTakeFirst())!;
  const requests = (
    await tx.db
      .selectFrom('allocations as a')
      .innerJoin('recharge_requests as r', 'r.id', 'a.request_id')
      .select(['r.id', 'r.request_id as ref']) // the id too: PostgreSQL orders a DISTINCT only by what it selects
      .distinct()
      .where('a.bank_line_id', '=', originalId)
      .where('a.status', '=', literal('active'))
      .orderBy('r.id')
      .execute()
  ).map((r) => r.ref);
  return `the reversed line (${o.file} line ${o.lineNo}, ${o.booked}${o.bankRef ? `, bank ref ${o.bankRef}` : ''}) is matched to request ${requests.join(', ')}: unmatch it first, then net the reversal`;
}

const UNPAIRED_NOTE = 'no earlier line of this bank account with the same counterparty and the opposite amount';

/**
 * Pairs every reversal not netted yet (of one bank account, or one line) with its original and nets
 * what it can, in the caller's transaction; writes one audit row when anything changed.
 */
export async function netReversals(
  tx: Tx,
  actor: Actor,
  now: number,
  scope: { bankAccountId?: number; lineId?: number } = {},
): Promise<NettingResult> {
  let pendingQuery = tx.db
    .selectFrom('bank_lines')
    .select([
      'id',
      'bank_account_id as bankAccountId',
      'line_no as lineNo',
      'booked',
      'time',
      'amount',
      'counterparty_account as counterpartyAccount',
      'counterparty_name as counterpartyName',
      sql<string>`coalesce(memo, '') || ' ' || coalesce(reference, '')`.as('text'),
      'reversal_of as reversalOf',
      'reversal_note as reversalNote',
    ])
    .where('reversal', '=', literal(1))
    .where('netted_with', 'is', null);
  if (scope.bankAccountId !== undefined) pendingQuery = pendingQuery.where('bank_account_id', '=', scope.bankAccountId);
  if (scope.lineId !== undefined) pendingQuery = pendingQuery.where('id', '=', scope.lineId);
  const pending = await pendingQuery.orderBy('booked').orderBy('time').orderBy('id').execute();
  // the lines a reversal may undo: the same account, the opposite amount, not after it
  const candidates = async (r: (typeof pending)[number]): Promise<OriginalCandidate[]> =>
    tx.db
      .selectFrom('bank_lines')
      .select([
        'id',
        'line_no as lineNo',
        'amount',
        'allocated',
        'bank_ref as bankRef',
        'counterparty_account as counterpartyAccount',
        'counterparty_name as counterpartyName',
      ])
      .where('bank_account_id', '=', r.bankAccountId)
      .where('amount', '=', -r.amount)
      .where('reversal', '=', literal(0))
      .where('netted_with', 'is', null)
      .where(
        // a reversal without a time may undo any line of its day; PostgreSQL cannot type a bare `? IS NULL`
        r.time === null
          ? sql<boolean>`booked <= ${r.booked}`
          : sql<boolean>`(booked < ${r.booked} OR (booked = ${r.booked} AND (time IS NULL OR time <= ${r.time})))`,
      )
      .orderBy('booked', 'desc')
      .orderBy('time', 'desc')
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
  const setPending = tx.sql('UPDATE bank_lines SET reversal_of = ?, reversal_note = ? WHERE id = ?');
  const result: NettingResult = { netted: 0, review: 0, unpaired: 0, pairs: [] };
  let changed = false;
  for (const r of pending) {
    const found = await candidates(r);
    const p: Pairing = pairReversal(r, found);
    if (p.kind === 'net') {
      const amount = Math.abs(r.amount);
      const transferId = await postOne(
        tx,
        {
          key: `reversal:${r.id}:net`,
          ledger: LEDGER.CNY,
          debitAccountId: await cnyAccount(tx, 'unallocated_receipts'),
          creditAccountId: await cnyAccount(tx, 'suspense'),
          amount,
          code: 'reversal_netting',
          memo: `冲正 bank line ${r.id} nets line ${p.originalId}`,
        },
        { staffId: actor.staffId, now },
      );
      await tx.sql('UPDATE bank_lines SET netted_with = ? WHERE id = ?').run(r.id, p.originalId);
      await tx
        .sql('UPDATE bank_lines SET netted_with = ?, netting_transfer_id = ?, reversal_of = ?, reversal_note = NULL WHERE id = ?')
        .run(p.originalId, transferId, p.originalId, r.id);
      await tx.sql('DELETE FROM match_suggestions WHERE bank_line_id IN (?, ?)').run(r.id, p.originalId);
      result.netted++;
      result.pairs.push({ reversalLineId: r.id, originalLineId: p.originalId, amount, by: p.by });
      changed = true;
    } else {
      const originalId = p.kind === 'review' ? p.originalId : null;
      const note = p.kind === 'review' ? await describeOriginal(tx, p.originalId) : UNPAIRED_NOTE;
      if (p.kind === 'review') result.review++;
      else result.unpaired++;
      if (originalId !== r.reversalOf || note !== r.reversalNote) {
        await setPending.run(originalId, note, r.id);
        changed = true;
      }
    }
  }
  if (changed) {
    await recordAudit(tx, actor, {
      action: 'bank_line.reversal_net',
      entity: 'bank_line',
      ...(scope.lineId !== undefined ? { entityId: scope.lineId } : {}),
      after: {
        netted: result.pairs.map((x) => ({ ...x, amount: formatYuan(x.amount) })),
        review: result.review,
        unpaired: result.unpaired,
      },
      count: Math.max(1, result.netted),
      at: now,
    });
  }
  return result;
}

/** The accountant nets one reversal by hand (after unmatching its original); refused with the reason when it still cannot be. */
export async function netReversalLine(tx: Tx, actor: Actor, lineId: number, now: number): Promise<NettingResult['pairs'][number]> {
  const line = await tx.db
    .selectFrom('bank_lines')
    .select(['reversal', 'netted_with as nettedWith'])
    .where('id', '=', lineId)
    .executeTakeFirst();
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  if (!line.reversal) throw refuse('CONFLICT', 'line_not_reversal', { lineId: String(lineId) }, { field: 'lineId' });
  if (line.nettedWith !== null)
    throw refuse('CONFLICT', 'line_already_netted', { lineId: String(lineId), otherLineId: String(line.nettedWith) }, { field: 'lineId' });
  const r = await netReversals(tx, actor, now, { lineId });
  const pair = r.pairs[0];
  if (!pair) {
    const { note } = (await tx.db
      .selectFrom('bank_lines')
      .select('reversal_note as note')
      .where('id', '=', lineId)
      .$narrowType<{ note: NotNull }>()
      .executeTakeFirst())!;
    throw refuse('REFUSED', 'line_cannot_net', { lineId: String(lineId), note }, { field: 'lineId' });
  }
  return pair;
}
