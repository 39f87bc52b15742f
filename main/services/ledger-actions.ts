// ledger.reverse: a posting is never reversed on its own. What a business action posted is undone by
// that action (so its documents move with the money: the recharge record, the match, the refund); a
// manual voucher's postings are corrected by a red voucher that names it (services/vouchers).
import type { Tx } from '../db/tx';
import { refuse } from '../domain/refusals';
import type { Actor } from './actor';
import { getTransfer, type TransferOut } from './ledger-read';
import { voucherName } from './voucher-numbers';
import { postOne } from './ledger-post';

/** The action that undoes a posting, by the posting's code (shown translated: `undo.<action>`). */
export const UNDO_ACTION: Readonly<Record<string, string>> = {
  bank_in: 'bank_reversal',
  bank_out: 'bank_reversal',
  opening_balance: 'bank_reversal',
  reversal_netting: 'bank_reversal',
  recharge_credit: 'reverse_recharge',
  recharge_wallet: 'reverse_recharge',
  recharge_bonus: 'reverse_recharge',
  writeoff: 'reverse_recharge',
  recharge_reversal: 'unpay_refund',
  refund_paid: 'unpay_refund',
  customer_transfer: 'platform_event',
  spend: 'platform_event',
  earnings: 'platform_event',
  reversal: 'none',
};

export async function reverseTransfer(tx: Tx, _actor: Actor, id: number, _reason: string): Promise<TransferOut> {
  const t = await getTransfer(tx, id);
  const v =
    t.voucherId === null
      ? undefined
      : await tx.db.selectFrom('vouchers').select(['word', 'period', 'number', 'source']).where('id', '=', t.voucherId).executeTakeFirst();
  if (v?.source === 'manual')
    throw refuse('REFUSED', 'undo_by_red_voucher', { transferId: String(id), voucher: voucherName(v) }, { field: 'id' });
  throw refuse('REFUSED', 'undo_by_action', { transferId: String(id), action: UNDO_ACTION[t.code] ?? 'none' }, { field: 'id' });
}

/**
 * For a business action undoing its own posting (an un-matched write-off, a rejected request's
 * write-off): posts the reversing transfer on today's business date. Not reachable from the API on its own.
 */
export async function postReversal(tx: Tx, actor: Actor, id: number, memo: string, now: number): Promise<number> {
  const original = await tx.db
    .selectFrom('transfers')
    .select(['ledger', 'debit_account_id as dr', 'credit_account_id as cr', 'amount'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!original) throw refuse('NOT_FOUND', 'transfer_not_found', { transferId: String(id) }, { field: 'id' });
  const reversalId = await postOne(
    tx,
    {
      key: `reversal:${id}`,
      ledger: original.ledger,
      debitAccountId: original.cr,
      creditAccountId: original.dr,
      amount: original.amount,
      code: 'reversal',
      memo,
      reversesId: id,
    },
    { staffId: actor.staffId, now },
  );
  return reversalId;
}
