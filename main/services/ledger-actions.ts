// Business actions on the ledger that staff take directly: reversal (the only correction) and
// voiding a pending transfer. Each writes its audit row in the same transaction.
import type { Tx } from '../db/tx';
import { CofferError } from '../domain/errors';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { createTransfers, expectPosted } from './ledger-post';
import { getTransfer, type TransferOut } from './ledger-read';

export async function reverseTransfer(tx: Tx, actor: Actor, id: number, reason: string, now = Date.now()): Promise<TransferOut> {
  const original = await getTransfer(tx, id);
  if (original.kind === 'pending' || original.kind === 'void') {
    throw new CofferError('CONFLICT', `transfer ${id} is ${original.kind}: a pending transfer is voided, not reversed`, {
      field: 'id',
      code: 'transfer_not_reversible',
    });
  }
  if (original.reversesId !== null) {
    throw new CofferError('CONFLICT', `transfer ${id} is itself a reversal (of ${original.reversesId}); post a new transfer instead`, {
      field: 'id',
      code: 'transfer_not_reversible',
    });
  }
  if (original.reversedById !== null) {
    throw new CofferError('CONFLICT', `transfer ${id} was already reversed by transfer ${original.reversedById}`, {
      field: 'id',
      code: 'transfer_already_reversed',
    });
  }
  const [reversalId] = expectPosted(
    createTransfers(
      tx,
      [
        {
          key: `reversal:${id}`,
          ledger: original.ledger,
          debitAccountId: original.creditAccountId,
          creditAccountId: original.debitAccountId,
          amount: original.amount,
          code: 'reversal',
          memo: reason,
          reversesId: id,
        },
      ],
      { staffId: actor.staffId, now },
    ),
  );
  recordAudit(
    tx,
    actor,
    { action: 'ledger.reverse', entity: 'transfer', entityId: id, after: { reversalId, reason, amount: original.amount } },
    now,
  );
  return getTransfer(tx, reversalId!);
}
