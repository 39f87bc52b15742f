// The platform's bank accounts and their statements. Money is booked when it reaches the bank: each
// imported money-in line posts Dr bank / Cr unallocated receipts in the import's transaction, money out
// Dr suspense / Cr bank, so the bank account in the books always agrees with the bank's statement.
// Lines are deduplicated by the bank's own reference, or a hash where there is none.
import { createHash } from 'node:crypto';
import type { NotNull } from 'kysely';
import type { Queryable } from '../db/books';
import { compiledOnce } from '../db/query';
import { lockSeries, type Tx } from '../db/tx';
import { LEDGER } from '../domain/ledgers';
import { formatYuan, parseYuan } from '../domain/money';
import { capText, type Statement, type StatementLine } from '../formats/statements';
import { addDecimals, negateDecimal } from '../formats/statements/decimal';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { normaliseBankNumber } from './customers';
import { closedMonths, createAccount, createTransfers, expectPosted, type PostOptions } from './ledger-post';
import { monthOf } from '../domain/periods';
import { refusal, refuse, type Refusal } from '../domain/refusals';
import { netReversals, type NettingResult } from './reversals';
import { cnyAccount, nextSubCode } from './system-accounts';
import { eachInTurn, mapInTurn } from './in-turn';

/** Lines that matching may still allocate: money in, not fully allocated, not a reversal (冲正) nor netted with one. */
export const matchableLine = (alias = ''): string => {
  const c = alias ? `${alias}.` : '';
  return `${c}amount > 0 AND ${c}allocated < ${c}amount AND ${c}reversal = 0 AND ${c}netted_with IS NULL`;
};

/** What the statement readers (formats/statements) hand over: amounts as exact signed decimal strings. */
export type IncomingLine = StatementLine;
export type IncomingStatement = Pick<
  Statement,
  'account' | 'currency' | 'opening' | 'closing' | 'lines' | 'format' | 'profile' | 'currencies'
>;

export interface BankAccountOut {
  id: number;
  bankName: string;
  accountNumber: string;
  name: string;
  currency: string;
  ledgerAccountId: number;
  /** The books' balance of this bank account, fen (debits − credits). */
  balance: number;
}

export async function listBankAccounts(q: Queryable): Promise<BankAccountOut[]> {
  return await q.db
    .selectFrom('bank_accounts as b')
    .innerJoin('accounts as a', 'a.id', 'b.ledger_account_id')
    .select((eb) => [
      'b.id',
      'b.bank_name as bankName',
      'b.account_number as accountNumber',
      'b.name',
      'b.currency',
      'b.ledger_account_id as ledgerAccountId',
      eb('a.debits_posted', '-', eb.ref('a.credits_posted')).as('balance'),
    ])
    .orderBy('b.id')
    .execute();
}

export async function createBankAccount(
  tx: Tx,
  actor: Actor,
  b: { bankName: string; accountNumber: string; name: string },
  now: number,
): Promise<BankAccountOut> {
  const number = normaliseBankNumber(b.accountNumber);
  if (!/^[0-9A-Z]{4,40}$/i.test(number))
    throw refuse('VALIDATION', 'bank_number_invalid', { number: b.accountNumber }, { field: 'accountNumber' });
  if (await tx.sql('SELECT 1 FROM bank_accounts WHERE account_number = ?').get(number))
    throw refuse('CONFLICT', 'bank_account_exists', { number }, { field: 'accountNumber' });
  const ledgerAccount = await createAccount(tx, { ledger: LEDGER.CNY, code: 'bank', name: `${b.bankName} ${number}` }, now);
  // Each bank account is its own sub-account of 1002 银行存款 (100201, 100202, …).
  const subject = await nextSubCode(tx, '1002');
  await tx
    .sql("INSERT INTO subjects (code, name, name_en, type, parent_code, created_at, created_by) VALUES (?, ?, ?, 'asset', '1002', ?, ?)")
    .run(subject, `${b.bankName} ${number.slice(-4)}`, `${b.bankName} ${number.slice(-4)}`, now, actor.staffId);
  await tx.sql('UPDATE accounts SET subject_code = ? WHERE id = ?').run(subject, ledgerAccount);
  const info = await tx
    .sql('INSERT INTO bank_accounts (bank_name, account_number, name, ledger_account_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
    .run(b.bankName, number, b.name, ledgerAccount, now, actor.staffId);
  const id = Number(info.lastInsertRowid);
  await tx.sql("UPDATE accounts SET owner_kind = 'bank_account', owner_id = ? WHERE id = ?").run(id, ledgerAccount);
  await recordAudit(tx, actor, {
    action: 'bank_account.create',
    entity: 'bank_account',
    entityId: id,
    after: { ...b, accountNumber: number },
    at: now,
  });
  return (await listBankAccounts(tx)).find((a) => a.id === id)!;
}

/** An amount from the file in fen; one the books cannot hold is refused naming the file's line. */
function toFen(amount: string, file: string, line: number | null, field: string): number {
  try {
    return parseYuan(amount);
  } catch {
    if (/^-?\d+(\.\d{1,2})?$/.test(amount))
      throw refuse('VALIDATION', 'amount_too_large', { file, line: line === null ? '?' : String(line), field, amount }, { field, line });
    throw refuse(
      'VALIDATION',
      'statement_amount_invalid',
      { file, line: line === null ? '?' : String(line), field, amount: capText(amount) },
      { field, line },
    );
  }
}

/** Every currency the file names must be the bank account's: the first that is not refuses the file. */
function checkCurrency(s: IncomingStatement, bankAccount: BankAccountOut, file: string): void {
  const mentions = [
    ...(s.currencies ?? []),
    ...(s.currency ? [{ currency: s.currency.toUpperCase(), line: null, field: 'currency' }] : []),
  ];
  const other = mentions.find((m) => m.currency !== bankAccount.currency);
  if (!other) return;
  const place = other.line !== null ? `line ${other.line}, ${other.field}` : other.field;
  throw refuse(
    'VALIDATION',
    'statement_currency',
    { file, currency: other.currency, account: bankAccount.accountNumber, bankCurrency: bankAccount.currency, place },
    { field: other.field, line: other.line },
  );
}

export interface PreparedLine {
  lineNo: number;
  booked: string;
  valueDate: string | null;
  time: string | null;
  amount: number;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  reference: string | null;
  memo: string | null;
  bankRef: string | null;
  dedupeKey: string;
  duplicate: boolean;
  /** the bank marked it as a reversal (冲正, RC/RD, RvslInd) */
  reversal: boolean;
}

export interface StatementPlan {
  bankAccountId: number;
  format: string;
  profile: string | null;
  opening: { date: string; amount: number } | null;
  closing: { date: string; amount: number } | null;
  lines: PreparedLine[];
  /** a streamed plan keeps only its first 50 lines in `lines`: this is how many the statement has */
  lineCount?: number;
  newLines: number;
  duplicates: number;
  moneyIn: number;
  moneyOut: number;
  /** reported, not refused: each coded (the console translates it), stored with the statement */
  continuity: Refusal[];
}

const prefixOf = (stored: string | null, full: string | null) => stored === null || (full !== null && full.startsWith(stored));

/**
 * A file can only be cut in its last row. A line stored as the last line of an earlier statement, on
 * the same day with the same amount, whose every text is the start of this line's (a cut-off bank id,
 * reference or memo), is this same bank movement: it is not booked again. One query per plan: there
 * is one last line per statement.
 */
async function cutLastLines(
  q: Queryable,
  bankAccountId: number,
): Promise<{ claim(id: number): void; same(l: PreparedLine): boolean; byCut: Set<number> }> {
  const rows = await q.db
    .selectFrom('statements as s')
    .innerJoin('bank_lines as b', (j) => j.onRef('b.statement_id', '=', 's.id').onRef('b.line_no', '=', 's.lines'))
    .select([
      'b.id',
      'b.booked',
      'b.amount',
      'b.time',
      'b.counterparty_name',
      'b.counterparty_account',
      'b.reference',
      'b.memo',
      'b.bank_ref',
    ])
    .where('s.bank_account_id', '=', bankAccountId)
    .execute();
  const byDayAmount = new Map<string, typeof rows>();
  for (const r of rows) byDayAmount.set(`${r.booked}|${r.amount}`, [...(byDayAmount.get(`${r.booked}|${r.amount}`) ?? []), r]);
  const claimed = new Set<number>();
  const byCut = new Set<number>();
  const texts = (x: {
    counterparty_account: string | null;
    counterparty_name: string | null;
    reference: string | null;
    memo: string | null;
    bank_ref: string | null;
  }) => [x.counterparty_account, x.counterparty_name, x.reference, x.memo, x.bank_ref];
  return {
    byCut,
    claim: (id) => claimed.add(id),
    same(l) {
      const full = texts({
        counterparty_account: l.counterpartyAccount,
        counterparty_name: l.counterpartyName,
        reference: l.reference,
        memo: l.memo,
        bank_ref: l.bankRef,
      });
      const hit = (byDayAmount.get(`${l.booked}|${l.amount}`) ?? []).find((c) => {
        if (claimed.has(c.id) || (c.time !== null && c.time !== l.time)) return false;
        const cut = texts(c);
        // every stored text the start of this line's, and at least one of them shorter: a cut row
        return cut.every((t, k) => prefixOf(t, full[k] ?? null)) && cut.some((t, k) => t !== full[k]);
      });
      if (hit) {
        claimed.add(hit.id);
        byCut.add(hit.id);
      }
      return hit !== undefined;
    },
  };
}

/** Which platform bank account a statement belongs to: the one chosen, or the one its file names. */
export async function resolveBankAccount(q: Queryable, s: IncomingStatement, chosen: number | null): Promise<BankAccountOut> {
  const accounts = await listBankAccounts(q);
  const fileAccount = s.account ? normaliseBankNumber(s.account) : null;
  if (chosen !== null) {
    const a = accounts.find((x) => x.id === chosen);
    if (!a) throw refuse('NOT_FOUND', 'bank_account_not_found', { ref: String(chosen) }, { field: 'bankAccountId' });
    if (fileAccount && !fileAccount.endsWith(a.accountNumber) && !a.accountNumber.endsWith(fileAccount)) {
      throw refuse(
        'VALIDATION',
        'statement_other_account',
        { account: String(s.account), number: a.accountNumber, bank: a.bankName },
        { field: 'bankAccountId' },
      );
    }
    return a;
  }
  const a = fileAccount ? accounts.find((x) => x.accountNumber === fileAccount || fileAccount.endsWith(x.accountNumber)) : undefined;
  if (!a)
    throw fileAccount
      ? refuse('NOT_FOUND', 'statement_account_unknown', { account: fileAccount }, { field: 'bankAccountId' })
      : refuse('NOT_FOUND', 'statement_account_unnamed', {}, { field: 'bankAccountId' });
  return a;
}

type Balance = { date: string; amount: number } | null;

/**
 * Where a statement does not follow on: its lines do not sum from its opening to its closing balance,
 * or its opening balance is not where the bank account's previous statement (other than `except`) closed.
 */
async function continuityProblems(
  q: Queryable,
  bankAccountId: number,
  except: number | null,
  { opening, closing, sum }: { opening: Balance; closing: Balance; sum: number },
): Promise<Refusal[]> {
  const continuity: Refusal[] = [];
  if (opening && closing && opening.amount + sum !== closing.amount) {
    continuity.push(
      refusal('continuity_sum_fen', {
        openingFen: String(opening.amount),
        linesFen: String(sum),
        expectedFen: String(opening.amount + sum),
        closingFen: String(closing.amount),
      }),
    );
  }
  const prev = await previousStatement(q, bankAccountId, except);
  if (prev && opening) {
    if (opening.amount !== prev.closing_amount)
      continuity.push(
        refusal('continuity_gap', {
          openingFen: String(opening.amount),
          previousFen: String(prev.closing_amount),
          previousFile: prev.file_name,
          previousDate: prev.closing_date,
        }),
      );
    if (opening.date < prev.closing_date)
      continuity.push(refusal('continuity_overlap', { start: opening.date, previousEnd: prev.closing_date }));
  }
  return continuity;
}

/** Checks a statement against its bank account and the books: currency, amounts, duplicates, continuity. */
/**
 * A line's dedupe key: the bank's reference, or else a digest of its content with the number of
 * identical lines before it in the file (`seen`, by digest), so two equal lines stay two lines.
 */
function dedupeKey(l: StatementLine, amount: number, counterpartyAccount: string | null, seen: Map<string, number>): string {
  if (l.bank_ref) return `ref:${l.bank_ref}`;
  const content = JSON.stringify([
    l.booked,
    l.time ?? null,
    amount,
    l.balance_after ?? null,
    counterpartyAccount,
    l.counterparty.name,
    l.memo,
    l.reference,
  ]);
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 32);
  const n = seen.get(digest) ?? 0;
  seen.set(digest, n + 1);
  return `hash:${digest}:${n}`;
}

/** The line of this bank account already stored under a dedupe key, if any: asked per line of a file, compiled once. */
/** A read line as it is stored (its counterparty's account normalised, its dedupe key drawn), not yet found a duplicate. */
function preparedLine(l: StatementLine, lineNo: number, amount: number, seen: Map<string, number>): PreparedLine {
  const counterpartyAccount = l.counterparty.account ? normaliseBankNumber(l.counterparty.account) : null;
  return {
    lineNo,
    booked: l.booked,
    valueDate: l.value,
    time: l.time ?? null,
    amount,
    counterpartyName: l.counterparty.name,
    counterpartyAccount,
    reference: l.reference,
    memo: l.memo,
    bankRef: l.bank_ref,
    dedupeKey: dedupeKey(l, amount, counterpartyAccount, seen),
    duplicate: false,
    reversal: l.reversal === true,
  };
}

const storedLineQuery = compiledOnce((db, bankAccountId: number, key: string) =>
  db.selectFrom('bank_lines').select('id').where('bank_account_id', '=', bankAccountId).where('dedupe_key', '=', key),
);
async function storedLine(q: Queryable, bankAccountId: number, key: string): Promise<{ id: number } | undefined> {
  return await storedLineQuery.get(q, bankAccountId, key);
}

/** The account's latest statement with a closing balance (other than the one being written), for the gap check. */
async function previousStatement(q: Queryable, bankAccountId: number, except: number | null) {
  return await q.db
    .selectFrom('statements')
    .select(['closing_date', 'closing_amount', 'file_name'])
    .where('bank_account_id', '=', bankAccountId)
    .where('closing_date', 'is not', null)
    .$if(except !== null, (qb) => qb.where('id', '<>', except!)) // `id IS NOT ?` is SQLite's alone
    .orderBy('closing_date', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    // a statement's closing amount is written with its date
    .$narrowType<{ closing_date: NotNull; closing_amount: NotNull }>()
    .executeTakeFirst();
}

export async function planStatement(
  q: Queryable,
  s: IncomingStatement,
  bankAccount: BankAccountOut,
  file = 'the statement',
): Promise<StatementPlan> {
  checkCurrency(s, bankAccount, file);
  const seen = new Map<string, number>();
  // A bank account with no line yet (its first statement) has none to find: no look-up per line.
  const anyStored = (await q.sql('SELECT 1 FROM bank_lines WHERE bank_account_id = ? LIMIT 1').get(bankAccount.id)) !== undefined;
  const cutEarlier = await cutLastLines(q, bankAccount.id);
  const lines: PreparedLine[] = await mapInTurn(s.lines, async (l, i) => {
    const p = preparedLine(l, i + 1, toFen(l.amount, file, l.line ?? null, 'amount'), seen);
    const stored = anyStored ? await storedLine(q, bankAccount.id, p.dedupeKey) : undefined;
    if (stored) cutEarlier.claim(stored.id);
    p.duplicate = stored !== undefined;
    return p;
  });
  // after every exact duplicate has claimed its stored line: lines an earlier, cut-off file booked
  for (const l of lines) if (!l.duplicate && cutEarlier.same(l)) l.duplicate = true;
  const firstSeen = new Map<string, number>();
  for (const l of lines) {
    const earlier = firstSeen.get(l.dedupeKey);
    if (earlier !== undefined)
      throw refuse(
        'VALIDATION',
        'bank_ref_repeated',
        { line: String(l.lineNo), ref: String(l.bankRef), earlier: String(earlier) },
        { field: 'bank_ref', line: l.lineNo },
      );
    firstSeen.set(l.dedupeKey, l.lineNo);
  }
  // A closed month takes no posting: a new line booked in one refuses the whole file, naming the line.
  const closed = await closedMonths(q);
  const late = closed.size ? lines.find((l) => !l.duplicate && closed.has(monthOf(l.booked))) : undefined;
  if (late)
    throw refuse(
      'VALIDATION',
      'line_in_closed_period',
      { line: String(late.lineNo), month: monthOf(late.booked) },
      {
        field: 'booked',
        line: late.lineNo,
      },
    );
  const opening = s.opening ? { date: s.opening.date, amount: toFen(s.opening.amount, file, null, 'opening balance') } : null;
  const closing = s.closing ? { date: s.closing.date, amount: toFen(s.closing.amount, file, null, 'closing balance') } : null;
  const sum = lines.reduce((t, l) => t + l.amount, 0);
  const continuity = await continuityProblems(q, bankAccount.id, null, { opening, closing, sum });
  const fresh = lines.filter((l) => !l.duplicate);
  return {
    bankAccountId: bankAccount.id,
    format: s.format,
    profile: s.profile,
    opening,
    closing,
    lines,
    newLines: fresh.length,
    duplicates: lines.length - fresh.length,
    moneyIn: fresh.filter((l) => l.amount > 0).reduce((t, l) => t + l.amount, 0),
    moneyOut: fresh.filter((l) => l.amount < 0).reduce((t, l) => t - l.amount, 0),
    continuity,
  };
}

const POST_BATCH = 8_000;
/**
 * A streamed statement posts smaller batches: what a batch holds (its lines, transfer inputs and
 * results) outlives the young generation's collections and is promoted, so bigger batches grew the
 * old generation — and the resident size — with garbage.
 */
const STREAM_BATCH = 1_000;

const INSERT_BANK_LINE = `INSERT INTO bank_lines (statement_id, bank_account_id, line_no, booked, value_date, time, amount, counterparty_name, counterparty_account, reference, memo, bank_ref, dedupe_key, ledger_transfer_id, reversal)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

type BankInBooks = Pick<BankAccountOut, 'id' | 'ledgerAccountId'>;

/**
 * The first statement of a bank account brings its opening balance into the books (Dr bank / Cr
 * opening balances, the other way for an overdraft), so that from then on the books' bank balance is the bank's.
 */
async function postOpeningBalance(tx: Tx, bank: BankInBooks, opening: { date: string; amount: number }, fileName: string, by: PostOptions) {
  const openingBalances = await cnyAccount(tx, 'opening_balances');
  const o = opening.amount;
  expectPosted(
    await createTransfers(
      tx,
      [
        {
          key: `bank:${bank.id}:opening`,
          ledger: LEDGER.CNY,
          debitAccountId: o > 0 ? bank.ledgerAccountId : openingBalances,
          creditAccountId: o > 0 ? openingBalances : bank.ledgerAccountId,
          amount: Math.abs(o),
          code: 'opening_balance',
          memo: `${fileName} ${opening.date}`,
          date: opening.date,
        },
      ],
      by,
    ),
  );
}

/**
 * A batch of new lines booked and stored: money in Dr bank / Cr unallocated receipts, money out Dr
 * suspense / Cr bank, each line inserted (by `insert`, INSERT_BANK_LINE) with its transfer's id.
 */
async function postLines(
  tx: Tx,
  insert: ReturnType<Queryable['sql']>,
  statementId: number,
  bank: BankInBooks,
  accounts: { receipts: number; suspense: number },
  batch: PreparedLine[],
  by: PostOptions,
): Promise<void> {
  const ids = expectPosted(
    await createTransfers(
      tx,
      batch.map((l) => ({
        key: `bank:${bank.id}:${l.dedupeKey}`,
        ledger: LEDGER.CNY,
        debitAccountId: l.amount > 0 ? bank.ledgerAccountId : accounts.suspense,
        creditAccountId: l.amount > 0 ? accounts.receipts : bank.ledgerAccountId,
        amount: Math.abs(l.amount),
        code: l.amount > 0 ? 'bank_in' : 'bank_out',
        date: l.booked,
        memo: [l.counterpartyName, l.memo].filter(Boolean).join(' ').slice(0, 200),
      })),
      by,
    ),
  );
  await eachInTurn(batch, async (l, i) =>
    insert.run(
      statementId,
      bank.id,
      l.lineNo,
      l.booked,
      l.valueDate,
      l.time,
      l.amount,
      l.counterpartyName,
      l.counterpartyAccount,
      l.reference,
      l.memo,
      l.bankRef,
      l.dedupeKey,
      ids[i]!,
      l.reversal ? 1 : 0,
    ),
  );
}

/** What the statement row keeps of its file, in its column order: format, profile, opening and closing balances. */
function fileFacts(plan: StatementPlan) {
  return [
    plan.format,
    plan.profile,
    plan.opening?.date ?? null,
    plan.opening?.amount ?? null,
    plan.closing?.date ?? null,
    plan.closing?.amount ?? null,
  ] as const;
}

/** Writes a planned statement: the statement, its new lines, and their ledger postings, in the caller's transaction. */
export async function commitStatement(
  tx: Tx,
  actor: Actor,
  plan: StatementPlan,
  file: { name: string; sha256: string },
  now: number,
): Promise<{ statementId: number; newLines: number; duplicates: number; reversals: Omit<NettingResult, 'pairs'> }> {
  const bank = (await listBankAccounts(tx)).find((a) => a.id === plan.bankAccountId)!;
  const fresh = plan.lines.filter((l) => !l.duplicate);
  // first and last booking day by one scan: sorting a million dates took a second for two values
  let firstBooked: string | null = null;
  let lastBooked: string | null = null;
  for (const l of fresh) {
    if (firstBooked === null || l.booked < firstBooked) firstBooked = l.booked;
    if (lastBooked === null || l.booked > lastBooked) lastBooked = l.booked;
  }
  const info = await tx
    .sql(
      `INSERT INTO statements (bank_account_id, file_name, sha256, format, profile, opening_date, opening_amount, closing_date, closing_amount, first_booked, last_booked,
         lines, new_lines, duplicate_lines, continuity_ok, continuity_json, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      plan.bankAccountId,
      file.name,
      file.sha256,
      ...fileFacts(plan),
      firstBooked,
      lastBooked,
      plan.lines.length,
      fresh.length,
      plan.duplicates,
      plan.continuity.length ? 0 : 1,
      JSON.stringify(plan.continuity),
      actor.staffId,
      now,
    );
  const statementId = Number(info.lastInsertRowid);
  const receipts = await cnyAccount(tx, 'unallocated_receipts');
  const suspense = await cnyAccount(tx, 'suspense');
  const first = !(await tx.sql('SELECT 1 FROM statements WHERE bank_account_id = ? AND id <> ?').get(plan.bankAccountId, statementId));
  const by = { staffId: actor.staffId, now };
  if (first && plan.opening && plan.opening.amount !== 0) await postOpeningBalance(tx, bank, plan.opening, file.name, by);
  const insert = tx.sql(INSERT_BANK_LINE);
  // Posted and inserted a batch at a time, so a million-line statement never has a million transfer
  // inputs and results in memory at once; a refused transfer still throws and rolls back the whole import.
  for (let from = 0; from < fresh.length; from += POST_BATCH) {
    await postLines(tx, insert, statementId, bank, { receipts, suspense }, fresh.slice(from, from + POST_BATCH), by);
  }
  await recordAudit(tx, actor, {
    action: 'statement.import',
    entity: 'statement',
    entityId: statementId,
    after: {
      file: file.name,
      sha256: file.sha256,
      bankAccount: bank.accountNumber,
      newLines: fresh.length,
      duplicates: plan.duplicates,
      moneyIn: formatYuan(plan.moneyIn),
      moneyOut: formatYuan(plan.moneyOut),
      continuity: plan.continuity,
    },
    count: fresh.length,
    at: now,
  });
  // Reversals (this file's, and earlier ones still waiting) are paired after the import's own audit
  // row, so the log reads import, then netting.
  const { pairs: _pairs, ...reversals } = await netReversals(tx, actor, now, { bankAccountId: plan.bankAccountId });
  return { statementId, newLines: fresh.length, duplicates: plan.duplicates, reversals };
}

/** What the streamed import learned that the first reading guessed: the file is read again knowing it. */
export interface StreamHints {
  /** the opening balance (fen), once known; undefined: guessed from the first line */
  opening?: { date: string; amount: number } | null;
  /** stored last lines that a line of the file repeats exactly: not to be taken as cut-off copies */
  exactClaims?: Set<number>;
}

/** A reading of a streamed file that guessed wrong: undone (savepoint) and read again with `hints`. */
export class ReadAgain extends Error {
  constructor(readonly hints: StreamHints) {
    super('read the statement again');
  }
}

/**
 * `planStatement` then `commitStatement`, one line at a time as a streamed file is read: each line is
 * planned (amount, dedupe key, duplicate, closed month) and, with `commit`, posted and inserted in
 * batches, so no array of the file's lines is kept. A refusal met on the way is kept, not thrown: the
 * writing stops, the reading goes on (a reader's refusal further on still wins), and `finish` throws
 * it in the order `planStatement` checks. The statement row is written at the first line and
 * completed at the end; the opening balance of an account's first statement is posted before the
 * lines as the first line implies it (a newest-first file is read again knowing it).
 */
export class StreamedStatement {
  bank: BankAccountOut | null = null;
  private resolveError: unknown = null;
  private fenError: unknown = null;
  private closedError: unknown = null;
  private writing: boolean;
  private started = false;
  count = 0;
  newLines = 0;
  moneyIn = 0;
  moneyOut = 0;
  private sumFen = 0;
  private firstBooked: string | null = null;
  private lastBooked: string | null = null;
  readonly sample: PreparedLine[] = [];
  private batch: PreparedLine[] = [];
  private seen = new Map<string, number>();
  private anyStored = false;
  private cut: Awaited<ReturnType<typeof cutLastLines>> | null = null;
  private closed = new Set<string>();
  private readonly exactClaims = new Set<number>();
  private statementId = 0;
  private postedOpening: { date: string; amount: number } | null = null;
  private isFirst = false;
  private insert: ReturnType<Queryable['sql']> | null = null;
  private receipts = 0;
  private suspense = 0;

  constructor(
    private readonly q: Queryable,
    private readonly chosen: number | null,
    private readonly file: string,
    private readonly hints: StreamHints,
    private readonly commit: { tx: Tx; actor: Actor; now: number; sha256Placeholder: string } | null,
  ) {
    this.writing = commit !== null;
  }

  /** Nothing more is written (the file will be refused or read again); the reading goes on. */
  stopWriting(): void {
    this.writing = false;
  }

  async line(account: string | null, l: StatementLine): Promise<void> {
    if (!this.started) await this.start(account, l);
    const bank = this.bank;
    this.count++;
    if (!bank) return;
    let amount: number;
    try {
      amount = toFen(l.amount, this.file, l.line ?? null, 'amount');
    } catch (e) {
      this.fenError ??= e;
      this.writing = false;
      return;
    }
    const p = preparedLine(l, this.count, amount, this.seen);
    const stored = this.anyStored ? await storedLine(this.q, bank.id, p.dedupeKey) : undefined;
    if (stored) {
      if (this.cut!.byCut.has(stored.id)) this.exactClaims.add(stored.id); // guessed wrong: read again
      this.cut!.claim(stored.id);
    }
    p.duplicate = stored !== undefined;
    if (!p.duplicate && this.cut!.same(p)) p.duplicate = true;
    this.sumFen += amount;
    if (this.sample.length < 50) this.sample.push(p);
    if (p.duplicate) return;
    if (this.closed.size && this.closed.has(monthOf(p.booked))) {
      this.closedError ??= refuse(
        'VALIDATION',
        'line_in_closed_period',
        { line: String(p.lineNo), month: monthOf(p.booked) },
        { field: 'booked', line: p.lineNo },
      );
      this.writing = false;
    }
    this.newLines++;
    if (amount > 0) this.moneyIn += amount;
    else this.moneyOut -= amount;
    if (this.firstBooked === null || p.booked < this.firstBooked) this.firstBooked = p.booked;
    if (this.lastBooked === null || p.booked > this.lastBooked) this.lastBooked = p.booked;
    if (!this.writing) return;
    this.batch.push(p);
    if (this.batch.length >= STREAM_BATCH) await this.flush();
  }

  private async start(account: string | null, l: StatementLine): Promise<void> {
    this.started = true;
    try {
      this.bank = await resolveBankAccount(this.q, { account } as IncomingStatement, this.chosen);
    } catch (e) {
      this.resolveError = e;
      this.writing = false;
      return;
    }
    const q = this.q;
    const bank = this.bank;
    // two desks importing the same file into one account on PostgreSQL: the second reads its duplicates after the first commits
    if (this.commit) await lockSeries(this.commit.tx, `statement import ${bank.id}`);
    this.anyStored = (await q.sql('SELECT 1 FROM bank_lines WHERE bank_account_id = ? LIMIT 1').get(bank.id)) !== undefined;
    this.cut = await cutLastLines(q, bank.id);
    for (const id of this.hints.exactClaims ?? []) this.cut.claim(id);
    this.closed = await closedMonths(q);
    const c = this.commit;
    if (!c) return;
    const tx = c.tx;
    const info = await tx
      .sql(
        `INSERT INTO statements (bank_account_id, file_name, sha256, format, profile, lines, new_lines, duplicate_lines, continuity_ok, continuity_json, imported_by, imported_at)
         VALUES (?, ?, ?, 'csv', NULL, 0, 0, 0, 1, '[]', ?, ?)`,
      )
      .run(bank.id, this.file, c.sha256Placeholder, c.actor.staffId, c.now);
    this.statementId = Number(info.lastInsertRowid);
    this.receipts = await cnyAccount(tx, 'unallocated_receipts');
    this.suspense = await cnyAccount(tx, 'suspense');
    this.isFirst = !(await tx.sql('SELECT 1 FROM statements WHERE bank_account_id = ? AND id <> ?').get(bank.id, this.statementId));
    if (this.isFirst) {
      let opening = this.hints.opening;
      if (opening === undefined) {
        // as the reader finds it when the file runs oldest-first; checked at the end
        try {
          opening = l.balance_after
            ? { date: l.booked, amount: toFen(addDecimals(l.balance_after, negateDecimal(l.amount)), this.file, null, 'opening balance') }
            : null;
        } catch {
          opening = null;
        }
      }
      this.postedOpening = opening;
      if (opening && opening.amount !== 0) await postOpeningBalance(tx, bank, opening, this.file, { staffId: c.actor.staffId, now: c.now });
    }
    this.insert = tx.sql(INSERT_BANK_LINE);
  }

  private async flush(): Promise<void> {
    const c = this.commit;
    const bank = this.bank;
    if (!c || !bank || !this.batch.length || !this.writing) return;
    const batch = this.batch;
    this.batch = [];
    const accounts = { receipts: this.receipts, suspense: this.suspense };
    await postLines(c.tx, this.insert!, this.statementId, bank, accounts, batch, { staffId: c.actor.staffId, now: c.now });
  }

  /**
   * Once the file is read: the refusals kept, in `planStatement`'s order, then what was guessed
   * (`ReadAgain`), then the plan — continuity as `planStatement` reports it.
   */
  async finish(s: IncomingStatement): Promise<StatementPlan> {
    if (this.resolveError) throw this.resolveError;
    const bank = this.bank!;
    checkCurrency(s, bank, this.file);
    if (this.fenError) throw this.fenError;
    if (this.closedError) throw this.closedError;
    const opening = s.opening ? { date: s.opening.date, amount: toFen(s.opening.amount, this.file, null, 'opening balance') } : null;
    const closing = s.closing ? { date: s.closing.date, amount: toFen(s.closing.amount, this.file, null, 'closing balance') } : null;
    if (this.commit && this.isFirst) {
      const nonZero = (o: { date: string; amount: number } | null) => (o && o.amount !== 0 ? o : null);
      const posted = nonZero(this.postedOpening);
      const real = nonZero(opening);
      if (posted?.amount !== real?.amount || posted?.date !== real?.date) throw new ReadAgain({ ...this.hints, opening });
    }
    if (this.exactClaims.size)
      throw new ReadAgain({ ...this.hints, exactClaims: new Set([...(this.hints.exactClaims ?? []), ...this.exactClaims]) });
    await this.flush();
    const continuity = await continuityProblems(this.q, bank.id, this.statementId || null, { opening, closing, sum: this.sumFen });
    return {
      bankAccountId: bank.id,
      format: s.format,
      profile: s.profile,
      opening,
      closing,
      lines: this.sample,
      lineCount: this.count,
      newLines: this.newLines,
      duplicates: this.count - this.newLines,
      moneyIn: this.moneyIn,
      moneyOut: this.moneyOut,
      continuity,
    };
  }

  /** `commitStatement`'s end, for the lines already written: the statement row completed, the audit row, reversals. */
  async complete(plan: StatementPlan, file: { name: string; sha256: string }): Promise<Awaited<ReturnType<typeof commitStatement>>> {
    const c = this.commit!;
    const tx = c.tx;
    const bank = this.bank!;
    await tx
      .sql(
        `UPDATE statements SET sha256 = ?, format = ?, profile = ?, opening_date = ?, opening_amount = ?, closing_date = ?, closing_amount = ?, first_booked = ?, last_booked = ?,
         lines = ?, new_lines = ?, duplicate_lines = ?, continuity_ok = ?, continuity_json = ? WHERE id = ?`,
      )
      .run(
        file.sha256,
        ...fileFacts(plan),
        this.firstBooked,
        this.lastBooked,
        this.count,
        this.newLines,
        plan.duplicates,
        plan.continuity.length ? 0 : 1,
        JSON.stringify(plan.continuity),
        this.statementId,
      );
    await recordAudit(tx, c.actor, {
      action: 'statement.import',
      entity: 'statement',
      entityId: this.statementId,
      after: {
        file: file.name,
        sha256: file.sha256,
        bankAccount: bank.accountNumber,
        newLines: this.newLines,
        duplicates: plan.duplicates,
        moneyIn: formatYuan(plan.moneyIn),
        moneyOut: formatYuan(plan.moneyOut),
        continuity: plan.continuity,
      },
      count: this.newLines,
      at: c.now,
    });
    const { pairs: _pairs, ...reversals } = await netReversals(tx, c.actor, c.now, { bankAccountId: bank.id });
    return { statementId: this.statementId, newLines: this.newLines, duplicates: plan.duplicates, reversals };
  }
}
