// Creators' earnings in CNY: every earnings credit the platform sends carries the value of its coins
// (setting `earnings.coinValue`, in force at the event's time), booked as the platform's liability to the
// creator on the event's business date under an automatic voucher (创作者收益计提):
//   Dr 6401 主营业务成本 (or the leaf in `earnings.costSubject`) / Cr 220201 应付账款—创作者收益.
// The value of each credit is kept in `earnings_accruals`, so verify can prove 220201 against it.
import type { Queryable } from '../db/books';
import { holdMemo, type TxMemo, type Tx } from '../db/tx';
import { compiledOnce, literal } from '../db/query';
import { LEDGER } from '../domain/ledgers';
import { refuse } from '../domain/refusals';
import { coinValueFen } from '../domain/withholding';
import { formatYuan } from '../domain/money';
import type { Actor } from './actor';
import { recordAudit } from './audit';
import { postOne } from './ledger-post';
import { settingAt, settingVersionAt } from './settings';
import { cnyAccount } from './system-accounts';

// Both looked up once per earnings credit of an event file: compiled once.
const LEAF_ACCOUNT = compiledOnce((db, subject: string, ownCode: string) =>
  db
    .selectFrom('accounts as a')
    .select('a.id')
    .where('a.ledger', '=', literal(LEDGER.CNY))
    .where('a.owner_kind', 'is', null)
    .where('a.subject_code', '=', subject)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('subjects as c').select(eb.lit(1).as('one')).where('c.parent_code', '=', subject))))
    .orderBy((eb) => eb('a.code', '=', ownCode), 'desc')
    .orderBy('a.id')
    .limit(1),
);
const BUSINESS_DATE = compiledOnce((db, transferId: number) =>
  db.selectFrom('transfers').select('business_date as d').where('id', '=', transferId),
);

// An event import books every earnings credit against the same cost subject: while it runs, its leaf
// account is looked up once (no event adds a subject or an account without an owner), and forgotten
// when a rollback takes away what it was read after (TxMemo).
const heldLeaves = new WeakMap<Queryable, TxMemo<string, number>>();

/** Until the returned function is called, the leaf accounts `tx` finds are remembered. */
export const holdLeafAccounts = (tx: Tx): (() => void) => holdMemo(heldLeaves, tx);

/** The CNY ledger account of a leaf subject (its own gl: account first), for the cost of earnings. */
export async function leafAccount(q: Queryable, subject: string): Promise<number> {
  const held = heldLeaves.get(q);
  const known = held?.get(subject);
  if (known !== undefined) return known;
  const row = await LEAF_ACCOUNT.get(q, subject, `gl:${subject}`);
  if (!row) throw refuse('REFUSED', 'earnings_cost_subject', { subject }, { field: 'earnings.costSubject' });
  held?.set(subject, row.id);
  return row.id;
}

/** Books the CNY value of a posted earnings credit (its coin transfer gives the business date). */
export async function accrueEarnings(
  tx: Tx,
  actor: Actor,
  movement: { id: number; requestId: string; amount: number; ledgerTransferId: number },
  at: number,
): Promise<{ amount: number }> {
  const rate = await settingAt(tx, 'earnings.coinValue', at);
  const amount = coinValueFen(movement.amount, rate);
  const date = (await BUSINESS_DATE.get(tx, movement.ledgerTransferId))!.d;
  let transferId: number | null = null;
  if (amount > 0) {
    transferId = await postOne(
      tx,
      {
        key: `earnings:${movement.requestId}`,
        ledger: LEDGER.CNY,
        debitAccountId: await leafAccount(tx, await settingAt(tx, 'earnings.costSubject', at)),
        creditAccountId: await cnyAccount(tx, 'earnings_payable'),
        amount,
        code: 'earnings_accrual',
        memo: movement.requestId,
        date,
      },
      { staffId: actor.staffId, now: at },
    );
  }
  await tx
    .sql(
      `INSERT INTO earnings_accruals (movement_id, coins, fen, per_coins, amount, setting_version, business_date, ledger_transfer_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      movement.id,
      movement.amount,
      rate.fen,
      rate.perCoins,
      amount,
      await settingVersionAt(tx, 'earnings.coinValue', at),
      date,
      transferId,
      at,
    );
  await recordAudit(tx, actor, {
    action: 'earnings.accrue',
    entity: 'coin_movement',
    entityId: movement.id,
    after: { coins: movement.amount, rate, amount: formatYuan(amount), date, transferId },
    at: at,
  });
  return { amount };
}
