// Reading requests, statements and the reconciliation queue: lists with filters and keyset paging,
// a request's page with its bank evidence, and the per-statement/period report with the proof that
// the books agree with the bank.
import { witnessOf } from './witness';
import { sql, type Compilable, type Expression, type NotNull, type SqlBool } from 'kysely';
import type { Queryable } from '../db/books';
import { dialect, literal, selectFirst } from '../db/query';
import { formatYuan } from '../domain/money';
import { listBankAccounts, matchableLine } from './bank-statements';
import { writeReportWorkbook, yuanCell } from '../formats/report-xlsx';
import { waitingProposals } from './match-proposals';
import { requestById } from './recharge-requests';
import { REQUEST_STATUSES, type RequestStatus } from '../domain/request-status';
import { num, numOrNull, oneOf, oneOfOrNull, rowMapper, text, textOrNull } from '../db/row-read';
import { likeContains } from '../db/like';
import { refuse, storedRefusal, type Refusal } from '../domain/refusals';
import { z } from 'zod';
import { storedJson } from '../db/stored-json';
import { counterNoColumn, requestIdOfCounterNumber } from './counter-numbers';
import { keysetPage } from './keyset-page';

export interface RequestFilter {
  status?: RequestStatus[];
  customerId?: number;
  from?: number;
  to?: number;
  minAmount?: number;
  maxAmount?: number;
  payerAccount?: string;
  text?: string;
  beforeId?: number;
  limit: number;
}

const REQUEST_COLUMNS = `r.id, r.request_id AS requestId, r.account_id AS accountId, a.external_id AS account, c.id AS customerId, c.name AS customerName,
  r.payer_account AS payerAccount, r.payer_name AS payerName, r.amount, r.covered, r.channel, r.reference_code AS referenceCode, r.requested_at AS requestedAt,
  r.status, r.version, r.reason, r.updated_at AS updatedAt, r.entered_by AS enteredBy, ${counterNoColumn('recharge', 'r.request_id')} AS counterNo`;

export interface RequestRow {
  id: number;
  requestId: string;
  accountId: number;
  account: string;
  customerId: number;
  customerName: string;
  payerAccount: string | null;
  payerName: string | null;
  amount: number;
  covered: number;
  channel: string;
  referenceCode: string;
  requestedAt: number;
  status: RequestStatus;
  version: number;
  reason: string;
  updatedAt: number;
  /** GT2026-000123 for a request entered at the counter; null for the platform's (its id is requestId). */
  counterNo: string | null;
  /** The staff user who entered it at the counter. */
  enteredBy: number | null;
}

/** A row of REQUEST_COLUMNS, read column by column. */
const requestRowOf: (r: unknown) => RequestRow = rowMapper({
  id: num,
  requestId: text,
  accountId: num,
  account: text,
  customerId: num,
  customerName: text,
  payerAccount: textOrNull,
  payerName: textOrNull,
  amount: num,
  covered: num,
  channel: text,
  referenceCode: text,
  requestedAt: num,
  status: oneOf(REQUEST_STATUSES),
  version: num,
  reason: text,
  updatedAt: num,
  enteredBy: numOrNull,
  counterNo: textOrNull,
});

export async function listRequests(q: Queryable, f: RequestFilter): Promise<{ rows: RequestRow[]; nextBeforeId: number | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    where.push(sql);
    params.push(...p);
  };
  if (f.status?.length) add(`r.status IN (${f.status.map(() => '?').join(', ')})`, ...f.status);
  if (f.customerId !== undefined) add('a.customer_id = ?', f.customerId);
  if (f.from !== undefined) add('r.requested_at >= ?', f.from);
  if (f.to !== undefined) add('r.requested_at < ?', f.to);
  if (f.minAmount !== undefined) add('r.amount >= ?', f.minAmount);
  if (f.maxAmount !== undefined) add('r.amount <= ?', f.maxAmount);
  if (f.payerAccount) add('r.payer_account = ?', f.payerAccount.replace(/[\s-]/g, ''));
  if (f.text)
    add(
      `(r.request_id = ? OR r.request_id = ? OR r.reference_code = ? OR ${dialect(q).likeNocase('c.name', '?')})`,
      f.text,
      await requestIdOfCounterNumber(q, 'recharge', f.text),
      f.text.toUpperCase(),
      likeContains(f.text),
    );
  if (f.beforeId !== undefined) add('r.id < ?', f.beforeId);
  const rows = (
    await q
      .sql(
        `SELECT ${REQUEST_COLUMNS} FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.id DESC LIMIT ?`,
      )
      .all(...params, f.limit + 1)
  ).map(requestRowOf);
  return keysetPage(rows, f.limit);
}

export interface LineRow {
  id: number;
  statementId: number;
  bankAccountId: number;
  lineNo: number;
  booked: string;
  time: string | null;
  amount: number;
  allocated: number;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  reference: string | null;
  memo: string | null;
  bankRef: string | null;
  ledgerTransferId: number;
  /** 1 when the bank marked the line as a reversal (冲正) */
  reversal: number;
  /** netted: this line and nettedWith cancel out (never matched); review: a reversal whose original is
   * matched to a request, waiting for the accountant; unpaired: a reversal with no original found */
  reversalStatus: 'netted' | 'review' | 'unpaired' | null;
  nettedWith: number | null;
  reversalNote: string | null;
}
const LINE_COLUMNS = `l.id, l.statement_id AS statementId, l.bank_account_id AS bankAccountId, l.line_no AS lineNo, l.booked, l.time, l.amount, l.allocated,
  l.counterparty_name AS counterpartyName, l.counterparty_account AS counterpartyAccount, l.reference, l.memo, l.bank_ref AS bankRef, l.ledger_transfer_id AS ledgerTransferId,
  l.reversal, CASE WHEN l.netted_with IS NOT NULL THEN 'netted' WHEN l.reversal = 1 AND l.reversal_of IS NOT NULL THEN 'review' WHEN l.reversal = 1 THEN 'unpaired' END AS reversalStatus,
  l.netted_with AS nettedWith, l.reversal_note AS reversalNote`;

/** A row of LINE_COLUMNS, read column by column. */
const lineRowOf: (r: unknown) => LineRow = rowMapper({
  id: num,
  statementId: num,
  bankAccountId: num,
  lineNo: num,
  booked: text,
  time: textOrNull,
  amount: num,
  allocated: num,
  counterpartyName: textOrNull,
  counterpartyAccount: textOrNull,
  reference: textOrNull,
  memo: textOrNull,
  bankRef: textOrNull,
  ledgerTransferId: num,
  reversal: num,
  reversalStatus: oneOfOrNull(['netted', 'review', 'unpaired']),
  nettedWith: numOrNull,
  reversalNote: textOrNull,
});

/** A bank line suggested for a request, with the suggestion's score, rule and kind. */
const suggestionOf = rowMapper({ lineId: num, score: num, rule: textOrNull, kind: oneOf(['suggested', 'ambiguous']) });
const suggestionRowOf = (r: unknown) => ({ ...lineRowOf(r), ...suggestionOf(r) });

export async function requestPage(q: Queryable, id: number) {
  await requestById(q, id);
  const request = requestRowOf(
    await q
      .sql(
        `SELECT ${REQUEST_COLUMNS} FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id WHERE r.id = ?`,
      )
      .get(id),
  );
  const allocations = await q.db
    .selectFrom('allocations as al')
    .leftJoin('staff as m', 'm.id', 'al.matched_by')
    .leftJoin('staff as ru', 'ru.id', 'al.run_by')
    .leftJoin('staff as d', 'd.id', 'al.decided_by')
    .select([
      'al.id',
      'al.kind',
      'al.writeoff_kind as writeoffKind',
      'al.amount',
      'al.rule',
      'al.status',
      'al.reason',
      'al.created_at as createdAt',
      'al.bank_line_id as bankLineId',
      'm.username as matchedBy',
      'ru.username as runBy',
      'd.username as decidedBy',
      'al.undo_reason as undoReason',
    ])
    .where('al.request_id', '=', id)
    .orderBy('al.id')
    .execute();
  const evidence = (
    await q
      .sql(
        `SELECT ${LINE_COLUMNS} FROM bank_lines l WHERE l.id IN (SELECT bank_line_id FROM allocations WHERE request_id = ? AND bank_line_id IS NOT NULL) ORDER BY l.booked, l.id`,
      )
      .all(id)
  ).map(lineRowOf);
  const suggestions = (
    await q
      .sql(
        `SELECT s.bank_line_id AS lineId, s.score, s.rule, s.kind, ${LINE_COLUMNS} FROM match_suggestions s JOIN bank_lines l ON l.id = s.bank_line_id WHERE s.request_id = ? ORDER BY s.score DESC`,
      )
      .all(id)
  ).map(suggestionRowOf);
  return { request, allocations, evidence, suggestions };
}

export type QueueTab = 'suggested' | 'ambiguous' | 'unmatchedLines' | 'reversals' | 'unpaidRequests' | 'mismatched' | 'awaiting';

/** The review queue's tabs: what the accountant looks at after auto-matching. */
export async function reviewQueue(q: Queryable, tab: QueueTab, limit: number, beforeId?: number) {
  const before = beforeId ?? Number.MAX_SAFE_INTEGER;
  switch (tab) {
    case 'suggested':
    case 'ambiguous':
      return await q
        .sql(
          `SELECT s.id, s.bank_line_id AS lineId, s.request_id AS requestId, s.amount, s.score, s.rule, coalesce(${counterNoColumn('recharge', 'r.request_id')}, r.request_id) AS requestRef, ${counterNoColumn('recharge', 'r.request_id')} AS counterNo, r.amount AS requestAmount, r.covered,
             r.reference_code AS referenceCode, r.version, c.name AS customerName, l.booked, l.amount AS lineAmount, l.allocated AS lineAllocated, l.counterparty_name AS counterpartyName,
             l.counterparty_account AS counterpartyAccount, l.memo
           FROM match_suggestions s JOIN recharge_requests r ON r.id = s.request_id JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id
           JOIN bank_lines l ON l.id = s.bank_line_id WHERE s.kind = ? AND s.id < ? ORDER BY s.bank_line_id DESC, s.score DESC LIMIT ?`,
        )
        .all(tab, before, limit);
    case 'unmatchedLines':
      return await q
        .sql(`SELECT ${LINE_COLUMNS} FROM bank_lines l WHERE ${matchableLine('l')} AND l.id < ? ORDER BY l.id DESC LIMIT ?`)
        .all(before, limit);
    case 'reversals': {
      // reversals not netted: an original matched to a request (unmatch it, then net) or none found
      const d = dialect(q);
      // The requests the original line pays, once each: the console pairs the ids and references by position.
      const originalRequests = `(SELECT DISTINCT r.id, r.request_id AS ref FROM allocations a JOIN recharge_requests r ON r.id = a.request_id
             WHERE a.bank_line_id = o.id AND a.status = 'active')`;
      return await q
        .sql(
          `SELECT ${LINE_COLUMNS}, o.id AS originalId, o.line_no AS originalLineNo, o.booked AS originalBooked, o.amount AS originalAmount, o.bank_ref AS originalBankRef,
             (SELECT ${d.joined('CAST(a.id AS text)', 'a.id')} FROM allocations a WHERE a.bank_line_id = o.id AND a.status = 'active') AS originalAllocationIds,
             (SELECT ${d.joined('CAST(x.id AS text)', 'x.id')} FROM ${originalRequests} x) AS originalRequestIds,
             (SELECT ${d.joined('x.ref', 'x.id', ', ')} FROM ${originalRequests} x) AS originalRequests
           FROM bank_lines l LEFT JOIN bank_lines o ON o.id = l.reversal_of WHERE l.reversal = 1 AND l.netted_with IS NULL AND l.id < ? ORDER BY l.id DESC LIMIT ?`,
        )
        .all(before, limit);
    }
    case 'unpaidRequests':
      return await q
        .sql(
          `SELECT ${REQUEST_COLUMNS} FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id WHERE r.status = 'submitted' AND r.id < ? ORDER BY r.id DESC LIMIT ?`,
        )
        .all(before, limit);
    case 'awaiting':
      return await waitingProposals(q, limit, before);
    case 'mismatched':
      return await q
        .sql(
          `SELECT ${REQUEST_COLUMNS} FROM recharge_requests r JOIN customer_accounts a ON a.id = r.account_id JOIN customers c ON c.id = a.customer_id WHERE r.status IN ('partly_paid', 'overpaid') AND r.id < ? ORDER BY r.id DESC LIMIT ?`,
        )
        .all(before, limit);
  }
}

/** How many items each tab of the review queue holds. */
export async function queueCounts(q: Queryable): Promise<Record<QueueTab, number>> {
  const n = async (query: Compilable<{ n: number }>) => (await selectFirst(q, query))!.n;
  const distinctLines = (kind: 'suggested' | 'ambiguous') =>
    q.db
      .selectFrom('match_suggestions')
      .select((eb) => eb.fn.count<number>('bank_line_id').distinct().as('n'))
      .where('kind', '=', literal(kind));
  const lines = () => q.db.selectFrom('bank_lines').select((eb) => eb.fn.countAll<number>().as('n'));
  return {
    suggested: await n(distinctLines('suggested')),
    ambiguous: await n(distinctLines('ambiguous')),
    unmatchedLines: await n(lines().where(sql<boolean>`${sql.raw(matchableLine())}`)),
    reversals: await n(lines().where('reversal', '=', literal(1)).where('netted_with', 'is', null)),
    unpaidRequests: await n(
      q.db
        .selectFrom('recharge_requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', literal('submitted')),
    ),
    mismatched: await n(
      q.db
        .selectFrom('recharge_requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', [literal('partly_paid'), literal('overpaid')]),
    ),
    awaiting: await n(
      q.db
        .selectFrom('match_proposals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', literal('proposed')),
    ),
  };
}

export async function listStatements(q: Queryable, bankAccountId?: number) {
  let query = q.db
    .selectFrom('statements as s')
    .innerJoin('bank_accounts as b', 'b.id', 's.bank_account_id')
    .leftJoin('staff as st', 'st.id', 's.imported_by')
    .select([
      's.id',
      's.bank_account_id as bankAccountId',
      'b.bank_name as bankName',
      'b.account_number as accountNumber',
      's.file_name as fileName',
      's.format',
      's.profile',
      's.opening_date as openingDate',
      's.opening_amount as openingAmount',
      's.closing_date as closingDate',
      's.closing_amount as closingAmount',
      's.first_booked as firstBooked',
      's.last_booked as lastBooked',
      's.lines',
      's.new_lines as newLines',
      's.duplicate_lines as duplicateLines',
      's.continuity_ok as continuityOk',
      's.continuity_json as continuity',
      's.imported_at as importedAt',
      'st.username as importedBy',
    ]);
  if (bankAccountId !== undefined) query = query.where('s.bank_account_id', '=', bankAccountId);
  return (await query.orderBy('s.id', 'desc').limit(literal(500)).execute()).map((s) => ({
    ...s,
    continuity: continuityProblems(s.continuity),
    continuityOk: s.continuityOk === 1,
  }));
}

/** A statement's continuity problems as stored; lists written before codes existed hold English text. */
const CONTINUITY = z.array(
  z.union([z.string(), z.object({ code: z.string(), params: z.record(z.string(), z.unknown()), message: z.string() })]),
);

function continuityProblems(json: string): Refusal[] {
  const other = (message: string): Refusal => ({ code: 'other', params: { message }, message });
  return storedJson(CONTINUITY, json, 'statements.continuity_json').map((r) =>
    typeof r === 'string' ? other(r) : (storedRefusal(r.code, JSON.stringify(r.params), r.message) ?? other(r.message)),
  );
}

export async function statementLines(q: Queryable, statementId: number, limit: number, afterLineNo = 0) {
  return (
    await q
      .sql(`SELECT ${LINE_COLUMNS} FROM bank_lines l WHERE l.statement_id = ? AND l.line_no > ? ORDER BY l.line_no LIMIT ?`)
      .all(statementId, afterLineNo, limit)
  ).map(lineRowOf);
}

/**
 * The reconciliation report for a bank account (optionally a statement): lines in/out, matched,
 * unmatched, written off, and the proof that the books' bank balance equals the statement's closing
 * balance — plus unallocated receipts aged by days since booking.
 */
export async function reconciliationReport(q: Queryable, bankAccountId: number, statementId?: number, asOf = Date.now()) {
  const bank = (await listBankAccounts(q)).find((b) => b.id === bankAccountId);
  if (!bank) throw refuse('NOT_FOUND', 'bank_account_not_found', { ref: String(bankAccountId) }, { field: 'bankAccountId' });
  // the lines of the statement, or of the bank account
  const scope = statementId !== undefined ? ('l.statement_id' as const) : ('l.bank_account_id' as const);
  const arg = statementId ?? bankAccountId;
  const totals = (await q.db
    .selectFrom('bank_lines as l')
    .select((eb) => {
      const sumOr0 = (e: Expression<number | null>) => eb.fn.coalesce(eb.fn.sum<number | null>(e), eb.lit(0));
      const when = (c: Expression<SqlBool>, then: Expression<number>) => eb.case().when(c).then(then).end();
      return [
        eb.fn.countAll<number>().as('lines'),
        sumOr0(when(eb('l.amount', '>', eb.lit(0)), eb.ref('l.amount'))).as('moneyIn'),
        sumOr0(when(eb('l.amount', '<', eb.lit(0)), eb.neg(eb.ref('l.amount')))).as('moneyOut'),
        sumOr0(eb.ref('l.allocated')).as('matched'),
        sumOr0(
          when(eb.and([eb('l.amount', '>', eb.lit(0)), eb('l.netted_with', 'is', null)]), eb('l.amount', '-', eb.ref('l.allocated'))),
        ).as('unmatched'),
        sumOr0(when(eb.and([eb('l.netted_with', 'is not', null), eb('l.amount', '>', eb.lit(0))]), eb.ref('l.amount'))).as('netted'),
      ];
    })
    .where(scope, '=', arg)
    .executeTakeFirst())!;
  const writtenOff = (await q.db
    .selectFrom('allocations as al')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | null>('al.amount'), eb.lit(0)).as('w'))
    .where('al.kind', '=', literal('writeoff'))
    .where('al.status', '=', literal('active'))
    .where('al.request_id', 'in', (eb) =>
      eb.selectFrom('allocations as b').innerJoin('bank_lines as l', 'l.id', 'b.bank_line_id').select('request_id').where(scope, '=', arg),
    )
    .executeTakeFirst())!.w;
  const lastStatement = await q.db
    .selectFrom('statements')
    .select(['id', 'closing_date as closingDate', 'closing_amount as closingAmount'])
    .where('bank_account_id', '=', bankAccountId)
    .where('closing_amount', 'is not', null)
    .orderBy('closing_date', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    // a statement's closing date is written with its amount
    .$narrowType<{ closingDate: NotNull; closingAmount: NotNull }>()
    .executeTakeFirst();
  const age = dialect(q).daysBetween('l.booked', '?');
  // ORDER BY bucket: the order SQLite's GROUP BY gave them; the names start with distinct digits, the same in any collation.
  const aged = (
    await q
      .sql(
        `SELECT CASE WHEN ${age} <= 7 THEN '0-7' WHEN ${age} <= 30 THEN '8-30' WHEN ${age} <= 90 THEN '31-90' ELSE '90+' END AS bucket,
         count(*) AS lines, sum(l.amount - l.allocated) AS amount FROM bank_lines l WHERE l.bank_account_id = ? AND l.amount > l.allocated AND l.netted_with IS NULL GROUP BY bucket ORDER BY bucket`,
      )
      .all(...Array(3).fill(new Date(asOf + 8 * 3_600_000).toISOString().slice(0, 10)), bankAccountId)
  ).map((a) => ({
    bucket: text(a, 'bucket'),
    lines: num(a, 'lines'),
    amount: num(a, 'amount'),
  }));
  const proof = lastStatement
    ? {
        statementClosing: lastStatement.closingAmount,
        closingDate: lastStatement.closingDate,
        booksBalance: bank.balance,
        agrees: bank.balance === lastStatement.closingAmount,
        difference: bank.balance - lastStatement.closingAmount,
        note:
          bank.balance === lastStatement.closingAmount
            ? `the books' balance ${formatYuan(bank.balance)} equals the statement's closing balance`
            : `the books' balance ${formatYuan(bank.balance)} differs from the closing balance ${formatYuan(lastStatement.closingAmount)} by ${formatYuan(bank.balance - lastStatement.closingAmount)} (an opening balance not in the books, or a missing statement)`,
      }
    : null;
  return { bankAccount: bank, statementId: statementId ?? null, totals: { ...totals, writtenOff }, proof, aged };
}

/** The reconciliation report as a workbook: summary with the proof, every line with its status, the aged unallocated receipts. */
export async function exportReconciliationReport(
  q: Queryable,
  target: string,
  bankAccountId: number,
  statementId: number | undefined,
  asOf: number,
) {
  const r = await reconciliationReport(q, bankAccountId, statementId, asOf);
  const scope = statementId !== undefined ? 'statement_id = ?' : 'bank_account_id = ?';
  const lines = q
    .sql(
      `SELECT line_no, booked, time, amount, allocated, counterparty_name, counterparty_account, memo, bank_ref, reversal, netted_with FROM bank_lines WHERE ${scope} ORDER BY booked, id`,
    )
    .iterate(statementId ?? bankAccountId);

  const exportLineOf = rowMapper({
    line_no: num,
    booked: text,
    time: textOrNull,
    amount: num,
    allocated: num,
    counterparty_name: textOrNull,
    counterparty_account: textOrNull,
    memo: textOrNull,
    bank_ref: textOrNull,
    reversal: num,
    netted_with: numOrNull,
  });
  const status = (l: { amount: number; allocated: number; reversal: number; netted_with: number | null }) =>
    l.netted_with !== null
      ? '冲正已抵销 reversal netted'
      : l.reversal
        ? '冲正待处理 reversal to review'
        : l.amount < 0
          ? '支出 money out'
          : l.allocated === 0
            ? '未匹配 unmatched'
            : l.allocated < l.amount
              ? '部分匹配 partly matched'
              : '已匹配 matched';
  return writeReportWorkbook(
    target,
    [
      {
        name: '汇总 Summary',
        columns: [
          { header: '项目 Item', width: 40 },
          { header: '金额 Amount (CNY)', width: 22, money: true },
          { header: '说明 Note', width: 60 },
        ],
        rows: [
          ['银行账户 Bank account', null, `${r.bankAccount.bankName} ${r.bankAccount.accountNumber}`],
          ['流水笔数 Lines', r.totals.lines, null],
          ['收入 Money in', yuanCell(r.totals.moneyIn), null],
          ['支出 Money out', yuanCell(r.totals.moneyOut), null],
          ['已匹配 Matched', yuanCell(r.totals.matched), null],
          ['未匹配 Unmatched', yuanCell(r.totals.unmatched), null],
          ['冲正抵销 Netted by reversals', yuanCell(r.totals.netted), null],
          ['核销 Written off', yuanCell(r.totals.writtenOff), null],
          ['账面余额 Books balance', yuanCell(r.bankAccount.balance), null],
          [
            '对账单期末余额 Statement closing',
            r.proof ? yuanCell(r.proof.statementClosing) : null,
            r.proof ? `${r.proof.closingDate}: ${r.proof.note}` : 'no statement with a closing balance',
          ],
        ],
      },
      {
        name: '银行流水 Lines',
        columns: [
          { header: '序号 Line', width: 8 },
          { header: '记账日期 Booked', width: 12 },
          { header: '时间 Time', width: 10 },
          { header: '金额 Amount', width: 16, money: true },
          { header: '已分配 Allocated', width: 16, money: true },
          { header: '状态 Status', width: 22 },
          { header: '对方户名 Counterparty', width: 28 },
          { header: '对方账号 Account', width: 24 },
          { header: '附言 Memo', width: 40 },
          { header: '流水号 Bank ref', width: 24 },
        ],
        rows: (async function* () {
          for await (const raw of lines) {
            const l = exportLineOf(raw);
            yield [
              l.line_no,
              l.booked,
              l.time,
              yuanCell(l.amount),
              yuanCell(l.allocated),
              status(l),
              l.counterparty_name,
              l.counterparty_account,
              l.memo,
              l.bank_ref,
            ];
          }
        })(),
      },
      {
        name: '未分配账龄 Unallocated aged',
        columns: [
          { header: '账龄(天) Days', width: 14 },
          { header: '笔数 Lines', width: 10 },
          { header: '金额 Amount', width: 18, money: true },
        ],
        rows: r.aged.map((a) => [a.bucket, a.lines, yuanCell(a.amount)]),
      },
    ],
    await witnessOf(q),
  );
}
