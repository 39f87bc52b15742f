// Reading the ledger: accounts with their kept balances, the trial balance per ledger, and the
// transfer list with filters and keyset paging (fast at millions of transfers).
import { sql } from 'kysely';
import type { Queryable } from '../db/books';
import { TRANSFER_EPOCH_SHIFT, transferEpochSql } from '../db/migrations';
import { LEDGER_IDS } from '../domain/ledgers';
import { likeContains, likeSql } from '../db/like';
import { voucherName } from './voucher-numbers';
import { refuse } from '../domain/refusals';
import { selectAllExact } from '../db/query';
import { keysetPageOf } from './keyset-page';

export interface AccountOut {
  id: number;
  ledger: number;
  code: string;
  name: string;
  /** 科目编码 of a CNY account (null on the coin ledgers), and the subject's 科目名称 in Chinese and English. */
  subjectCode: string | null;
  subjectName: string | null;
  subjectNameEn: string | null;
  ownerKind: string | null;
  ownerId: number | null;
  flags: number;
  debitsPending: number;
  debitsPosted: number;
  creditsPending: number;
  creditsPosted: number;
}

export interface AccountFilter {
  ledger?: number;
  search?: string;
  ownerKind?: string | null;
  offset: number;
  limit: number;
}

export async function listAccounts(q: Queryable, f: AccountFilter): Promise<{ rows: AccountOut[]; total: number }> {
  let query = q.db.selectFrom('accounts');
  if (f.ledger !== undefined) query = query.where('ledger', '=', f.ledger);
  if (f.search) {
    const search = f.search;
    query = query.where((eb) => eb.or([likeSql(q, 'code', likeContains(search)), likeSql(q, 'name', likeContains(search))]));
  }
  if (f.ownerKind === null) query = query.where('owner_kind', 'is', null);
  else if (f.ownerKind !== undefined) query = query.where('owner_kind', '=', f.ownerKind);
  const total = (await query.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
  const rows = await query.selectAll().orderBy('ledger').orderBy('id').offset(f.offset).limit(f.limit).execute();
  const codes = [...new Set(rows.flatMap((r) => (r.subject_code === null ? [] : [r.subject_code])))];
  const subjects = new Map(
    codes.length === 0
      ? []
      : (await q.db.selectFrom('subjects').select(['code', 'name', 'name_en']).where('code', 'in', codes).execute()).map((s) => [
          s.code,
          s,
        ]),
  );
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      ledger: r.ledger,
      code: r.code,
      name: r.name,
      subjectCode: r.subject_code,
      subjectName: (r.subject_code !== null && subjects.get(r.subject_code)?.name) || null,
      subjectNameEn: (r.subject_code !== null && subjects.get(r.subject_code)?.name_en) || null,
      ownerKind: r.owner_kind,
      ownerId: r.owner_id,
      flags: r.flags,
      debitsPending: r.debits_pending,
      debitsPosted: r.debits_posted,
      creditsPending: r.credits_pending,
      creditsPosted: r.credits_posted,
    })),
  };
}

export interface TrialBalanceLine {
  code: string;
  accounts: number;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}
export interface TrialBalance {
  ledger: number;
  lines: TrialBalanceLine[];
  totals: Omit<TrialBalanceLine, 'code' | 'accounts'>;
  balanced: boolean;
}

/** Per ledger, grouped by chart code (customer wallets fold into one line per code). Never summed across ledgers. */
export async function trialBalance(q: Queryable): Promise<TrialBalance[]> {
  // Sums over many accounts can pass 2^53 although each balance is a safe integer: read them as bigint.
  const rows = await selectAllExact(
    q,
    q.db
      .selectFrom('accounts')
      .select((eb) => [
        'ledger',
        'code',
        eb.fn.countAll<number>().as('accounts'),
        eb.fn.sum<number>('debits_posted').as('debitsPosted'),
        eb.fn.sum<number>('credits_posted').as('creditsPosted'),
        eb.fn.sum<number>('debits_pending').as('debitsPending'),
        eb.fn.sum<number>('credits_pending').as('creditsPending'),
      ])
      .groupBy(['ledger', 'code'])
      .orderBy('ledger')
      .orderBy('code'),
  );
  return LEDGER_IDS.map((ledger) => {
    const lines = rows
      .filter((r) => Number(r.ledger) === ledger)
      .map(({ ledger: _l, accounts, ...line }) => ({ ...line, accounts: Number(accounts) }));
    const totals = lines.reduce(
      (t, l) => ({
        debitsPosted: t.debitsPosted + l.debitsPosted,
        creditsPosted: t.creditsPosted + l.creditsPosted,
        debitsPending: t.debitsPending + l.debitsPending,
        creditsPending: t.creditsPending + l.creditsPending,
      }),
      { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n },
    );
    return {
      ledger,
      lines,
      totals,
      balanced: totals.debitsPosted === totals.creditsPosted && totals.debitsPending === totals.creditsPending,
    };
  });
}

export interface TransferOut {
  id: number;
  key: string;
  ledger: number;
  debitAccountId: number;
  debitAccountName: string;
  debitAccountCode: string;
  creditAccountId: number;
  creditAccountName: string;
  creditAccountCode: string;
  amount: number;
  kind: 'single' | 'pending' | 'post' | 'void';
  pendingId: number | null;
  reversesId: number | null;
  reversedById: number | null;
  chainId: number | null;
  code: string;
  memo: string;
  ts: number;
  staffId: number | null;
  /** 记账日期 (YYYY-MM-DD); ts is when it was entered. */
  businessDate: string;
  voucherId: number | null;
  /** '记-2026-11-0001' for CNY transfers. */
  voucherName: string | null;
  debitSubjectCode: string | null;
  creditSubjectCode: string | null;
}

export interface TransferFilter {
  ledger?: number;
  accountId?: number;
  kind?: TransferOut['kind'];
  code?: string;
  from?: number;
  to?: number;
  minAmount?: number;
  maxAmount?: number;
  key?: string;
  /** Keyset paging, newest first: rows with id below this. */
  beforeId?: number;
  limit: number;
}

/**
 * A page of transfers, newest first. Paging is by id (keyset), so page 5,000 costs what page 1 does;
 * there is no total count (counting a million rows per page is what makes lists slow).
 */
export async function listTransfers(q: Queryable, f: TransferFilter): Promise<{ rows: TransferOut[]; nextBeforeId: number | null }> {
  const wanted = f.limit + 1;
  let rows: TransferRow[];
  if (f.accountId === undefined) {
    rows = await filtered(q, f).orderBy('t.id', 'desc').limit(wanted).execute();
  } else {
    // One account's history is indexed per epoch of ids (db/migrations.ts): walk the epochs newest first.
    const id = f.accountId;
    const top =
      f.beforeId !== undefined
        ? f.beforeId - 1
        : ((
            await q.db
              .selectFrom('transfers')
              .select((eb) => eb.fn.max('id').as('m'))
              .executeTakeFirst()
          )?.m ?? 0);
    rows = [];
    for (let e = top >> TRANSFER_EPOCH_SHIFT; e >= 0 && rows.length < wanted; e--) {
      const epoch = sql<number>`${sql.raw(transferEpochSql('t.id'))}`;
      rows.push(
        ...(await filtered(q, f)
          .where((eb) =>
            eb.or([
              eb.and([eb(epoch, '=', e), eb('t.debit_account_id', '=', id)]),
              eb.and([eb(epoch, '=', e), eb('t.credit_account_id', '=', id)]),
            ]),
          )
          .orderBy('t.id', 'desc')
          .limit(wanted - rows.length)
          .execute()),
      );
    }
  }
  return keysetPageOf(rows, f.limit, toTransferOut);
}

/** The transfer list's query with every filter but the account (which listTransfers walks by epoch). */
function filtered(q: Queryable, f: TransferFilter) {
  let query = q.db
    .selectFrom('transfers as t')
    .innerJoin('accounts as d', 'd.id', 't.debit_account_id')
    .innerJoin('accounts as c', 'c.id', 't.credit_account_id')
    .leftJoin('transfers as r', 'r.reverses_id', 't.id')
    .leftJoin('vouchers as v', 'v.id', 't.voucher_id');
  if (f.ledger !== undefined) query = query.where('t.ledger', '=', f.ledger);
  if (f.kind) query = query.where('t.kind', '=', f.kind);
  if (f.code) query = query.where('t.code', '=', f.code);
  if (f.from !== undefined) query = query.where('t.ts', '>=', f.from);
  if (f.to !== undefined) query = query.where('t.ts', '<', f.to);
  if (f.minAmount !== undefined) query = query.where('t.amount', '>=', f.minAmount);
  if (f.maxAmount !== undefined) query = query.where('t.amount', '<=', f.maxAmount);
  if (f.key) query = query.where('t.key', '=', f.key);
  if (f.beforeId !== undefined) query = query.where('t.id', '<', f.beforeId);
  return query.select([
    't.id',
    't.key',
    't.ledger',
    't.debit_account_id',
    'd.name as debit_name',
    'd.code as debit_code',
    't.credit_account_id',
    'c.name as credit_name',
    'c.code as credit_code',
    't.amount',
    't.kind',
    't.pending_id',
    't.reverses_id',
    'r.id as reversed_by',
    't.chain_id',
    't.code',
    't.memo',
    't.ts',
    't.staff_id',
    't.business_date',
    't.voucher_id',
    'v.word as voucher_word',
    'v.period as voucher_period',
    'v.number as voucher_number',
    'd.subject_code as debit_subject',
    'c.subject_code as credit_subject',
  ]);
}

type TransferRow = Awaited<ReturnType<ReturnType<typeof filtered>['execute']>>[number];

function toTransferOut(r: TransferRow): TransferOut {
  return {
    id: r.id,
    key: r.key,
    ledger: r.ledger,
    debitAccountId: r.debit_account_id,
    debitAccountName: r.debit_name,
    debitAccountCode: r.debit_code,
    creditAccountId: r.credit_account_id,
    creditAccountName: r.credit_name,
    creditAccountCode: r.credit_code,
    amount: r.amount,
    kind: r.kind,
    pendingId: r.pending_id,
    reversesId: r.reverses_id,
    reversedById: r.reversed_by,
    chainId: r.chain_id,
    code: r.code,
    memo: r.memo,
    ts: r.ts,
    staffId: r.staff_id,
    businessDate: r.business_date,
    voucherId: r.voucher_id,
    voucherName:
      r.voucher_word !== null && r.voucher_period !== null && r.voucher_number !== null
        ? voucherName({ word: r.voucher_word, period: r.voucher_period, number: r.voucher_number })
        : null,
    debitSubjectCode: r.debit_subject,
    creditSubjectCode: r.credit_subject,
  };
}

export async function getTransfer(q: Queryable, id: number): Promise<TransferOut> {
  const { rows } = await listTransfers(q, { beforeId: id + 1, limit: 1 });
  const t = rows[0];
  if (!t || t.id !== id) throw refuse('NOT_FOUND', 'transfer_not_found', { transferId: String(id) }, { field: 'id' });
  return t;
}
