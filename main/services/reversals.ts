// Bank reversals (冲正) netted against the line they undo. Both lines were booked at import (money in
// Dr bank / Cr unallocated receipts, money out Dr suspense / Cr bank), so a netted pair leaves one
// side in unallocated receipts and the other in suspense: the netting transfer Dr unallocated receipts
// / Cr suspense clears both, whichever way round the pair is, and the bank account is untouched. Netted
// lines are never offered to matching. An original already matched to a request waits for the
// accountant to unmatch it; then the next import, reconcile run or "net" click pairs it.
import { selectFirst } from '../db/query';
import type { Tx } from '../db/tx';
import { LEDGER } from '../domain/ledgers';
import { formatYuan } from '../domain/money';
import { pairReversal, type OriginalCandidate, type Pairing } from '../domain/reversals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { createTransfers, expectPosted } from './ledger-post';
import { cnyAccount } from './system-accounts';
import { refuse } from '../domain/refusals';

interface PendingReversal {
  id: number;
  bankAccountId: number;
  lineNo: number;
  booked: string;
  time: string | null;
  amount: number;
  counterpartyAccount: string | null;
  counterpartyName: string | null;
  text: string;
  reversalOf: number | null;
  reversalNote: string | null;
}

export interface NettingResult {
  netted: number;
  review: number;
  unpaired: number;
  pairs: { reversalLineId: number; originalLineId: number; amount: number; by: 'bank_ref' | 'counterparty' }[];
}

function describeOriginal(tx: Tx, originalId: number): string {
  const o = selectFirst(
    tx,
    tx.db
      .selectFrom('bank_lines as l')
      .innerJoin('statements as s', 's.id', 'l.statement_id')
      .select(['l.line_no as lineNo', 'l.booked', 'l.bank_ref as bankRef', 's.file_name as file'])
      .where('l.id', '=', originalId),
  )!;
  const requests = (
    tx
      .sql(
        `SELECT DISTINCT r.request_id AS ref FROM allocations a JOIN recharge_requests r ON r.id = a.request_id WHERE a.bank_line_id = ? AND a.status = 'active' ORDER BY r.id`,
      )
      .all(originalId) as { ref: string }[]
  ).map((r) => r.ref);
  return `the reversed line (${o.file} line ${o.lineNo}, ${o.booked}${o.bankRef ? `, bank ref ${o.bankRef}` : ''}) is matched to request ${requests.join(', ')}: unmatch it first, then net the reversal`;
}

const UNPAIRED_NOTE = 'no earlier line of this bank account with the same counterparty and the opposite amount';

/**
 * Pairs every reversal not netted yet (of one bank account, or one line) with its original and nets
 * what it can, in the caller's transaction; writes one audit row when anything changed.
 */
export function netReversals(tx: Tx, actor: Actor, now: number, scope: { bankAccountId?: number; lineId?: number } = {}): NettingResult {
  const pending = tx
    .sql(
      `SELECT id, bank_account_id AS bankAccountId, line_no AS lineNo, booked, time, amount, counterparty_account AS counterpartyAccount,
         counterparty_name AS counterpartyName, coalesce(memo, '') || ' ' || coalesce(reference, '') AS text, reversal_of AS reversalOf, reversal_note AS reversalNote
       FROM bank_lines WHERE reversal = 1 AND netted_with IS NULL AND (? IS NULL OR bank_account_id = ?) AND (? IS NULL OR id = ?)
       ORDER BY booked, time, id`,
    )
    .all(scope.bankAccountId ?? null, scope.bankAccountId ?? null, scope.lineId ?? null, scope.lineId ?? null) as PendingReversal[];
  const candidates = tx.sql(
    `SELECT id, line_no AS lineNo, amount, allocated, bank_ref AS bankRef, counterparty_account AS counterpartyAccount, counterparty_name AS counterpartyName
     FROM bank_lines WHERE bank_account_id = ? AND amount = ? AND reversal = 0 AND netted_with IS NULL
       AND (booked < ? OR (booked = ? AND (time IS NULL OR ? IS NULL OR time <= ?)))
     ORDER BY booked DESC, time DESC, id DESC LIMIT 500`,
  );
  const setPending = tx.sql('UPDATE bank_lines SET reversal_of = ?, reversal_note = ? WHERE id = ?');
  const result: NettingResult = { netted: 0, review: 0, unpaired: 0, pairs: [] };
  let changed = false;
  for (const r of pending) {
    const found = candidates.all(r.bankAccountId, -r.amount, r.booked, r.booked, r.time, r.time) as OriginalCandidate[];
    const p: Pairing = pairReversal(r, found);
    if (p.kind === 'net') {
      const amount = Math.abs(r.amount);
      const [transferId] = expectPosted(
        createTransfers(
          tx,
          [
            {
              key: `reversal:${r.id}:net`,
              ledger: LEDGER.CNY,
              debitAccountId: cnyAccount(tx, 'unallocated_receipts'),
              creditAccountId: cnyAccount(tx, 'suspense'),
              amount,
              code: 'reversal_netting',
              memo: `冲正 bank line ${r.id} nets line ${p.originalId}`,
            },
          ],
          { staffId: actor.staffId, now },
        ),
      ) as [number];
      tx.sql('UPDATE bank_lines SET netted_with = ? WHERE id = ?').run(r.id, p.originalId);
      tx.sql('UPDATE bank_lines SET netted_with = ?, netting_transfer_id = ?, reversal_of = ?, reversal_note = NULL WHERE id = ?').run(
        p.originalId,
        transferId,
        p.originalId,
        r.id,
      );
      tx.sql('DELETE FROM match_suggestions WHERE bank_line_id IN (?, ?)').run(r.id, p.originalId);
      result.netted++;
      result.pairs.push({ reversalLineId: r.id, originalLineId: p.originalId, amount, by: p.by });
      changed = true;
    } else {
      const originalId = p.kind === 'review' ? p.originalId : null;
      const note = p.kind === 'review' ? describeOriginal(tx, p.originalId) : UNPAIRED_NOTE;
      if (p.kind === 'review') result.review++;
      else result.unpaired++;
      if (originalId !== r.reversalOf || note !== r.reversalNote) {
        setPending.run(originalId, note, r.id);
        changed = true;
      }
    }
  }
  if (changed) {
    recordAudit(
      tx,
      actor,
      {
        action: 'bank_line.reversal_net',
        entity: 'bank_line',
        ...(scope.lineId !== undefined ? { entityId: scope.lineId } : {}),
        after: {
          netted: result.pairs.map((x) => ({ ...x, amount: formatYuan(x.amount) })),
          review: result.review,
          unpaired: result.unpaired,
        },
        count: Math.max(1, result.netted),
      },
      now,
    );
  }
  return result;
}

/** The accountant nets one reversal by hand (after unmatching its original); refused with the reason when it still cannot be. */
export function netReversalLine(tx: Tx, actor: Actor, lineId: number, now: number): NettingResult['pairs'][number] {
  const line = selectFirst(tx, tx.db.selectFrom('bank_lines').select(['reversal', 'netted_with as nettedWith']).where('id', '=', lineId));
  if (!line) throw refuse('NOT_FOUND', 'bank_line_not_found', { lineId: String(lineId) }, { field: 'lineId' });
  if (!line.reversal) throw refuse('CONFLICT', 'line_not_reversal', { lineId: String(lineId) }, { field: 'lineId' });
  if (line.nettedWith !== null)
    throw refuse('CONFLICT', 'line_already_netted', { lineId: String(lineId), otherLineId: String(line.nettedWith) }, { field: 'lineId' });
  const r = netReversals(tx, actor, now, { lineId });
  const pair = r.pairs[0];
  if (!pair) {
    const note = (tx.sql('SELECT reversal_note AS note FROM bank_lines WHERE id = ?').get(lineId) as { note: string }).note;
    throw refuse('REFUSED', 'line_cannot_net', { lineId: String(lineId), note }, { field: 'lineId' });
  }
  return pair;
}
