// The month-end reports from the command line (names fixed: other tools call them):
//   coffer report balances --db BOOKS --month YYYY-MM [--json]               科目余额表
//   coffer report bank-reconciliation --db BOOKS --month YYYY-MM [--bank-account ID] [--json]   余额调节表
// Text in yuan ("1288.00"); --json prints the service's figures with fen as integer strings.
import { BALANCE_AMOUNTS, type BalancesReport } from '../services/balances';
import type { BankReconciliation } from '../services/bank-reconciliation';
import { displayAmount, table } from './format';
import { AS, DB, READ_NOTE, out, reader, withApi, type Command } from './kit';
import type { CliApi } from './open';
import { UsageError, required, type Values } from './usage';
import { refuse } from '../domain/refusals';

const yuan = (fen: string) => displayAmount(1, fen);

function month(command: string, v: Values): string {
  required(command, v, 'db', 'month');
  const m = v.month as string;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(m)) throw new UsageError(`--month "${m}" is not a month (YYYY-MM)`, command);
  return m;
}

export function balancesText(books: string, r: BalancesReport): string {
  const rows = [['code', 'subject', 'opening debit', 'opening credit', 'debit', 'credit', 'closing debit', 'closing credit']];
  for (const l of r.lines)
    rows.push([l.code, `${'  '.repeat(l.level - 1)}${l.name} (${l.nameEn})`, ...BALANCE_AMOUNTS.map((k) => yuan(l[k]))]);
  rows.push(['total', '', ...BALANCE_AMOUNTS.map((k) => yuan(r.totals[k]))]);
  const unmapped = r.unmapped.length
    ? `\nCNY accounts mapped to no subject (outside the lines): ${r.unmapped.map((a) => `${a.code} #${a.id}`).join(', ')}\n`
    : '';
  return `科目余额表 ${r.month} (${r.from} to ${r.to}, by business date) of ${books} — CNY in yuan — ${r.balanced ? 'balanced' : 'NOT BALANCED'}\n${table(rows, (c) => c >= 2)}\n${unmapped}`;
}

const KINDS = [
  ['bankReceivedBooksNot', '+ received by the bank, not in the books (银行已收企业未收)'],
  ['bankPaidBooksNot', '− paid by the bank, not in the books (银行已付企业未付)'],
  ['booksReceivedBankNot', '+ received in the books, not by the bank (企业已收银行未收)'],
  ['booksPaidBankNot', '− paid in the books, not by the bank (企业已付银行未付)'],
] as const;

export function reconciliationText(books: string, list: BankReconciliation[]): string {
  const parts = list.map((r) => {
    const rows: string[][] = [['', 'date', 'voucher / line', 'description', 'amount']];
    const kind = (k: (typeof KINDS)[number][0], label: string) => {
      rows.push([label, '', '', '', yuan(r.sums[k])]);
      for (const x of r[k])
        rows.push(['', x.date, x.voucher ?? (x.statementFile ? `${x.statementFile} line ${x.lineNo}` : ''), x.description, yuan(x.amount)]);
    };
    rows.push(['books balance (企业银行存款日记账余额)', '', '', '', yuan(r.booksBalance)]);
    kind(...KINDS[0]);
    kind(...KINDS[1]);
    rows.push(['= adjusted books balance', '', '', '', yuan(r.booksAdjusted)]);
    rows.push([
      `statement balance (银行对账单余额)`,
      r.statement?.closingDate ?? '',
      r.statement?.fileName ?? '',
      '',
      r.statement ? yuan(r.statement.closingAmount) : '—',
    ]);
    kind(...KINDS[2]);
    kind(...KINDS[3]);
    rows.push(['= adjusted statement balance', '', '', '', r.bankAdjusted === null ? '—' : yuan(r.bankAdjusted)]);
    const verdict = r.balanced
      ? 'the adjusted balances agree'
      : r.difference === null
        ? 'no statement of this account closes on or before the month end: nothing to reconcile with'
        : `DIFFERENCE (books − statement): ${yuan(r.difference)}`;
    return `${r.bankAccount.bankName} ${r.bankAccount.accountNumber} (${r.bankAccount.subjectCode ?? 'no subject'}) at ${r.asOf}\n${table(rows, (c) => c === 4)}\n${verdict}\n`;
  });
  return `银行存款余额调节表 of ${books}, CNY in yuan\n\n${parts.join('\n') || 'No platform bank accounts.\n'}`;
}

async function bankAccountId(api: CliApi, text: string): Promise<number> {
  const accounts = await api.call('bankAccounts.list');
  const wanted = text.replace(/[\s-]/g, '');
  const found = accounts.find((a) => a.accountNumber === wanted) ?? accounts.find((a) => String(a.id) === wanted);
  if (!found) throw refuse('NOT_FOUND', 'cli_bank_account_unknown', { text }, { field: 'bankAccount' });
  return found.id;
}

export const reportCommands: Command[] = [
  {
    name: 'report balances',
    summary: '科目余额表: opening, debits, credits and closing per subject for a month (yuan)',
    options: { ...DB, ...AS, month: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer report balances --db FILE|URL --month YYYY-MM [--json] [--as USER < password]

The 科目余额表 of the month by business date (记账日期): per subject with a balance or a movement
(科目编码, 科目名称; a parent is the sum of its sub-accounts) the opening balance, the month's debits
and credits and the closing balance, each balance in the column of its side (借 / 贷), and the totals
of the first-level subjects (opening debit = opening credit, and so on). Text in yuan; --json prints
the same with amounts in fen as integer strings and each balance as {direction, amount}.
Exit code 1 when the totals do not balance.
${READ_NOTE}`,
    async run(v) {
      const m = month('report balances', v);
      return withApi(await reader(v), async (api) => {
        const r = await api.call('reports.balances', { month: m });
        out(
          v.json
            ? JSON.stringify({ books: api.dispatcher.books.path, unit: 'fen', ...r }, null, 2) + '\n'
            : balancesText(api.dispatcher.books.path, r),
        );
        return r.balanced ? 0 : 1;
      });
    },
  },
  {
    name: 'report bank-reconciliation',
    summary: '银行存款余额调节表 per bank account at a month end, from the statement closing balance',
    options: { ...DB, ...AS, month: { type: 'string' }, 'bank-account': { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer report bank-reconciliation --db FILE|URL --month YYYY-MM [--bank-account ID] [--json] [--as USER < password]

The 银行存款余额调节表 of each platform bank account (or the one given by its id or number) at the
month's last day. The statement balance is the bank's own: the closing balance of the latest statement
of the account closing on or before the month end. The books balance is the bank sub-account's by
business date at the month end. Listed line by line: 银行已收/已付企业未收/未付 (statement lines whose
posting is dated after the month end) and 企业已收/已付银行未收/未付 (postings no statement line up to
the statement's closing date confirms, e.g. a manual voucher). Both adjusted balances, and their
difference when they disagree (a statement whose closing balance disagrees with its lines shows here).
Text in yuan; --json prints the figures in fen as integer strings.
Exit code 1 when an account's adjusted balances differ.
${READ_NOTE}`,
    async run(v) {
      const m = month('report bank-reconciliation', v);
      return withApi(await reader(v), async (api) => {
        const id = v['bank-account'] === undefined ? undefined : await bankAccountId(api, v['bank-account'] as string);
        const list = await api.call('reports.bankReconciliation', {
          month: m,
          ...(id === undefined ? {} : { bankAccountId: id }),
        });
        out(
          v.json
            ? JSON.stringify({ books: api.dispatcher.books.path, month: m, unit: 'fen', accounts: list }, null, 2) + '\n'
            : reconciliationText(api.dispatcher.books.path, list),
        );
        return list.some((r) => r.difference !== null && !r.balanced) ? 1 : 0;
      });
    },
  },
];
