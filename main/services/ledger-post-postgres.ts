// Posting's writes on PostgreSQL, in sets: every statement there is a round trip to the server, so a
// batch's new transfers are held and written in one INSERT … FROM unnest, their ids drawn ahead from
// the table's sequence, and the batch's balances in one UPDATE … FROM unnest. On SQLite each statement
// is a call into the library in-process and posting writes row by row (ledger-post.ts).
import { num, text } from '../db/row-read';
import type { Tx } from '../db/tx';

/** A transfer row in the column order of INSERT_ROWS. */
export type TransferValues = [
  id: number,
  key: string,
  ledger: number,
  debit: number,
  credit: number,
  amount: number,
  kind: string,
  pendingId: number | null,
  reversesId: number | null,
  chainId: number | null,
  code: string,
  memo: string,
  ts: number,
  staffId: number | null,
  businessDate: string,
  voucherId: number | null,
];

/** The same without its id: what an insert on SQLite binds (the id is the rowid SQLite gives). */
export type TransferColumns = TransferValues extends [number, ...infer Rest] ? Rest : never;

const TYPES = [
  'bigint',
  'text',
  'bigint',
  'bigint',
  'bigint',
  'bigint',
  'text',
  'bigint',
  'bigint',
  'bigint',
  'text',
  'text',
  'bigint',
  'bigint',
  'text',
  'bigint',
];
const COLUMNS =
  'id, key, ledger, debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, chain_id, code, memo, ts, staff_id, business_date, voucher_id';
const INSERT_ROWS = `INSERT INTO transfers (${COLUMNS}) SELECT * FROM unnest(${TYPES.map((t) => `?::${t}[]`).join(', ')})`;
const DRAW_IDS = "SELECT nextval(pg_get_serial_sequence('transfers', 'id')) AS id FROM generate_series(1, ?)";
const UPDATE_BALANCES = `UPDATE accounts SET debits_pending = b.dp, debits_posted = b.dpo, credits_pending = b.cp, credits_posted = b.cpo
  FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS b (id, dp, dpo, cp, cpo) WHERE accounts.id = b.id`;

const ADD_TO_ACCOUNT_MONTHS = `UPDATE account_months SET debits_posted = account_months.debits_posted + m.debits,
    credits_posted = account_months.credits_posted + m.credits
  FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[]) AS m (account_id, month, debits, credits)
  WHERE account_months.account_id = m.account_id AND account_months.month = m.month
  RETURNING account_months.account_id AS account, account_months.month AS month`;

/** A batch's posted sums for one account and month. */
export interface AccountMonthSums {
  account: number;
  month: string;
  debits: number;
  credits: number;
}

/** Adds the sums to the account months that exist, in one statement: the keys (`account month`) it found. */
export async function addToAccountMonths(tx: Tx, sums: readonly AccountMonthSums[]): Promise<Set<string>> {
  const found = await tx.sql(ADD_TO_ACCOUNT_MONTHS).all(
    sums.map((s) => s.account),
    sums.map((s) => s.month),
    sums.map((s) => s.debits),
    sums.map((s) => s.credits),
  );
  return new Set(found.map((r) => accountMonthKey(num(r, 'account'), text(r, 'month'))));
}

export const accountMonthKey = (account: number, month: string) => `${account} ${month}`;

/** New transfers held until written together; ids drawn `ahead` at a time. */
export class HeldTransfers {
  private rows: TransferValues[] = [];
  private ids: number[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly ahead: number,
  ) {}

  /** The id the next new transfer takes. */
  async nextId(): Promise<number> {
    if (this.ids.length === 0) {
      const drawn = await this.tx.sql(DRAW_IDS).all(Math.max(1, this.ahead));
      this.ids = drawn.map((r) => num(r, 'id')).reverse();
    }
    return this.ids.pop()!;
  }

  hold(row: TransferValues): void {
    this.rows.push(row);
  }

  /** Held rows not yet written are forgotten (a failed chain's). */
  drop(): void {
    this.rows = [];
  }

  /** Writes what is held: before anything reads transfers, before a savepoint, and at the end of the batch. */
  async write(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    await this.tx.sql(INSERT_ROWS).run(...TYPES.map((_, c) => rows.map((r) => r[c])));
  }
}

/** The batch's changed balances in one statement. */
export async function writeBalances(
  tx: Tx,
  accounts: readonly { id: number; debitsPending: number; debitsPosted: number; creditsPending: number; creditsPosted: number }[],
): Promise<void> {
  if (accounts.length === 0) return;
  await tx.sql(UPDATE_BALANCES).run(
    accounts.map((a) => a.id),
    accounts.map((a) => a.debitsPending),
    accounts.map((a) => a.debitsPosted),
    accounts.map((a) => a.creditsPending),
    accounts.map((a) => a.creditsPosted),
  );
}
