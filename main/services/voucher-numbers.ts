// Voucher numbers and the automatic vouchers that business actions post under. Numbers are gapless per
// month and 凭证字: drawn from voucher_counters inside the transaction that creates the voucher, so a
// rollback returns the number with everything else.
import type { Tx } from '../db/tx';
import { rollbackCount } from '../db/tx';
import { monthOf } from '../domain/periods';
import { VOUCHER_SOURCE_BY_CODE } from '../domain/vouchers';

export type VoucherWord = '记' | '收' | '付' | '转';

export async function drawVoucherNumber(tx: Tx, period: string, word: VoucherWord): Promise<number> {
  const row = (await tx.db
    .insertInto('voucher_counters')
    .values({ period, word, last: 1 })
    .onConflict((oc) => oc.columns(['period', 'word']).doUpdateSet((eb) => ({ last: eb('voucher_counters.last', '+', 1) })))
    .returning('last')
    .executeTakeFirst())!;
  return row.last;
}

export interface NewVoucher {
  date: string;
  word: VoucherWord;
  summary: string;
  source: string;
  status: 'draft' | 'posted';
  attachments?: number;
  preparedBy: number | null;
  reversesId?: number | null;
}

export async function insertVoucher(tx: Tx, v: NewVoucher, now: number): Promise<{ id: number; number: number }> {
  const period = monthOf(v.date);
  const number = await drawVoucherNumber(tx, period, v.word);
  const info = await tx
    .sql(
      `INSERT INTO vouchers (period, word, number, date, attachments, summary, source, status, prepared_by, prepared_at, reverses_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(period, v.word, number, v.date, v.attachments ?? 0, v.summary, v.source, v.status, v.preparedBy, now, v.reversesId ?? null);
  return { id: Number(info.lastInsertRowid), number };
}

/** '记-2026-11-0001': how a voucher is named on screen, in files and on the command line. */
export function voucherName(v: { word: string; period: string; number: number }): string {
  return `${v.word}-${v.period}-${String(v.number).padStart(4, '0')}`;
}

/** The automatic voucher kind of a CNY transfer by its code: [source, 摘要]. */
export function voucherSourceOf(code: string): readonly [string, string] {
  return VOUCHER_SOURCE_BY_CODE[code] ?? ['other', '其他'];
}

// One automatic voucher per business action (a write transaction), kind and business date. The
// transaction object is new for every transaction; a rollback to a savepoint may remove a voucher that
// was cached, so an entry is checked again once the connection has rolled back since it was cached.
const autoVouchers = new WeakMap<Tx, Map<string, { id: number; rollbacks: number }>>();

export async function autoVoucher(
  tx: Tx,
  source: string,
  summary: string,
  date: string,
  staffId: number | null,
  now: number,
): Promise<number> {
  let cache = autoVouchers.get(tx);
  if (!cache) autoVouchers.set(tx, (cache = new Map()));
  const key = `${source}\u0000${date}\u0000${staffId ?? ''}`;
  const rollbacks = rollbackCount(tx.books);
  const hit = cache.get(key);
  if (hit && (hit.rollbacks === rollbacks || (await tx.sql('SELECT 1 FROM vouchers WHERE id = ?').get(hit.id)))) {
    hit.rollbacks = rollbacks;
    return hit.id;
  }
  const { id } = await insertVoucher(tx, { date, word: '记', summary, source, status: 'posted', preparedBy: staffId }, now);
  cache.set(key, { id, rollbacks });
  return id;
}

/** Forget cached vouchers a rollback inside one posting call may have removed. */
export function forgetAutoVouchers(tx: Tx): void {
  autoVouchers.delete(tx);
}
