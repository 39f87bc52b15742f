// Realistic ledger activity for end-to-end tests, posted straight through the ledger services in
// one write transaction with its audit row (what later issues' recharge and transfer flows do).
import type { Books } from '../../main/db/books';
import { inWriteTx } from '../../main/db/tx';
import { recordAudit } from '../../main/services/audit';
import { createAccount, createTransfers, expectPosted, type TransferInput } from '../../main/services/ledger-post';

function systemAccount(books: Books, ledger: number, code: string): number {
  const row = books.raw.prepare('SELECT id FROM accounts WHERE ledger = ? AND code = ? AND owner_kind IS NULL').get(ledger, code) as
    { id: number } | undefined;
  if (!row) throw new Error(`no system account ${code} on ledger ${ledger}`);
  return row.id;
}

export interface Seeded {
  transferIds: number[];
  wallets: { r1: number; r2: number; e1: number };
}

/** Bank receipts, a prepayment, coin issue, a move between linked wallets, spending, earnings. */
export async function seedLedger(books: Books, staff: { staffId: number; name: string }): Promise<Seeded> {
  const has = (code: string) => books.raw.prepare('SELECT 1 FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL').get(code);
  return inWriteTx(books, async (tx) => {
    const bank = has('bank')
      ? systemAccount(books, 1, 'bank')
      : await createAccount(tx, { ledger: 1, code: 'bank', name: '工商银行 基本户 6222…0188' });
    const unallocated = systemAccount(books, 1, 'unallocated_receipts');
    const prepay = systemAccount(books, 1, 'customer_prepayments');
    const issuance = systemAccount(books, 2, 'coin_issuance');
    const spent = systemAccount(books, 2, 'coin_consumption');
    const pool = systemAccount(books, 3, 'earnings_pool');
    const eSpent = systemAccount(books, 3, 'earnings_consumption');
    const r1 = await createAccount(tx, {
      ledger: 2,
      code: 'wallet_recharge',
      name: '张三 · 充值账户 A',
      ownerKind: 'account',
      ownerId: 101,
      flags: 1,
    });
    const r2 = await createAccount(tx, {
      ledger: 2,
      code: 'wallet_recharge',
      name: '张三 · 充值账户 B',
      ownerKind: 'account',
      ownerId: 102,
      flags: 1,
    });
    const e1 = await createAccount(tx, {
      ledger: 3,
      code: 'wallet_earnings',
      name: '张三 · 收益账户 A',
      ownerKind: 'account',
      ownerId: 101,
      flags: 1,
    });
    const batch: TransferInput[] = [
      {
        key: 'seed:bank:1',
        ledger: 1,
        debitAccountId: bank,
        creditAccountId: unallocated,
        amount: 128_800,
        code: 'bank_in',
        memo: '银行流水 20260301-0001',
      },
      {
        key: 'seed:bank:2',
        ledger: 1,
        debitAccountId: bank,
        creditAccountId: unallocated,
        amount: 5_000_000,
        code: 'bank_in',
        memo: '银行流水 20260301-0002',
      },
      {
        key: 'seed:bank:3',
        ledger: 1,
        debitAccountId: bank,
        creditAccountId: unallocated,
        amount: 3_999,
        code: 'bank_in',
        memo: '银行流水 20260302-0003',
      },
      {
        key: 'seed:match:1',
        ledger: 1,
        debitAccountId: unallocated,
        creditAccountId: prepay,
        amount: 128_800,
        code: 'recharge_matched',
        memo: '充值申请 R-0001',
      },
      {
        key: 'seed:coins:1',
        ledger: 2,
        debitAccountId: issuance,
        creditAccountId: r1,
        amount: 12_880,
        code: 'recharge_credit',
        memo: 'R-0001 兑换 1:10',
      },
      {
        key: 'seed:move:1',
        ledger: 2,
        debitAccountId: r1,
        creditAccountId: r2,
        amount: 1_000,
        code: 'link_transfer',
        memo: '关联账户互转',
      },
      { key: 'seed:spend:1', ledger: 2, debitAccountId: r2, creditAccountId: spent, amount: 500, code: 'coin_spend', memo: '平台消费' },
      {
        key: 'seed:earn:1',
        ledger: 3,
        debitAccountId: pool,
        creditAccountId: e1,
        amount: 3_000,
        code: 'earnings_credit',
        memo: '直播收益',
      },
      {
        key: 'seed:earn:2',
        ledger: 3,
        debitAccountId: e1,
        creditAccountId: eSpent,
        amount: 1_200,
        code: 'earnings_spend',
        memo: '收益消费',
      },
    ];
    const transferIds = expectPosted(await createTransfers(tx, batch, { staffId: staff.staffId }));
    await recordAudit(
      tx,
      { staffId: staff.staffId, name: staff.name, role: 'admin' },
      { action: 'ledger.seed', entity: 'ledger', after: { transfers: transferIds.length }, count: transferIds.length },
    );
    return { transferIds, wallets: { r1, r2, e1 } };
  });
}
