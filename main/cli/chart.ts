// The chart of accounts from the command line: `coffer accounts list` prints every subject (科目编码,
// 科目名称, type, balance in yuan on its natural side), parents rolled up from their children; --json
// gives the same with fen as integer strings. --month adds the period's opening, debit, credit, closing.
import type { ChartDto } from '../api/methods/chart';
import { displayAmount, table } from './format';
import { AS, DB, READ_NOTE, out, reader, withApi, type Command } from './kit';
import { UsageError, required } from './usage';

const TYPE_WORD: Record<string, string> = {
  asset: 'asset',
  liability: 'liability',
  equity: 'equity',
  revenue: 'revenue',
  expense: 'expense',
};
const yuan = (fen: string) => displayAmount(1, fen);

export function chartJson(books: string, c: ChartDto) {
  return {
    books,
    month: c.month,
    unit: 'fen',
    balanced: c.totals.balanced,
    totals: c.totals,
    subjects: c.lines.map((l) => ({
      code: l.code,
      name: l.name,
      nameEn: l.nameEn,
      type: l.type,
      parentCode: l.parentCode,
      leaf: l.leaf,
      side: l.side,
      accounts: l.accounts.map((a) => ({ id: a.id, code: a.code, name: a.name })),
      debitsPosted: l.debitsPosted,
      creditsPosted: l.creditsPosted,
      balance: l.balance,
      ...(l.period ? { period: l.period } : {}),
    })),
    unmapped: c.unmapped.map((a) => ({ id: a.id, code: a.code, name: a.name })),
  };
}

export function chartText(books: string, c: ChartDto): string {
  const head = ['code', 'name', 'type', 'side', 'debits posted', 'credits posted', 'balance'];
  if (c.month) head.push('opening', 'period debit', 'period credit', 'closing');
  const rows = [head];
  for (const l of c.lines) {
    const row = [
      l.code,
      `${'  '.repeat(l.level - 1)}${l.name} (${l.nameEn})`,
      TYPE_WORD[l.type]!,
      l.side,
      yuan(l.debitsPosted),
      yuan(l.creditsPosted),
      yuan(l.balance),
    ];
    if (l.period) row.push(yuan(l.period.opening), yuan(l.period.debit), yuan(l.period.credit), yuan(l.period.closing));
    rows.push(row);
  }
  rows.push(['total', '', '', '', yuan(c.totals.debitsPosted), yuan(c.totals.creditsPosted), '']);
  if (c.totals.period) rows[rows.length - 1]!.push('', yuan(c.totals.period.debit), yuan(c.totals.period.credit), '');
  const title = `Chart of accounts of ${books}${c.month ? `, ${c.month} by business date` : ''} (CNY in yuan; balance on the subject's own side) — ${c.totals.balanced ? 'balanced' : 'NOT BALANCED'}`;
  const unmapped = c.unmapped.length
    ? `\nCNY accounts mapped to no subject: ${c.unmapped.map((a) => `${a.code} #${a.id}`).join(', ')}\n`
    : '';
  return `${title}\n${table(rows, (col) => col >= 4)}\n${unmapped}`;
}

export const chartCommands: Command[] = [
  {
    name: 'accounts list',
    summary: 'the chart of accounts: 科目编码, 科目名称, type and balance (yuan)',
    options: { ...DB, ...AS, json: { type: 'boolean' }, month: { type: 'string' } },
    help: `Usage: coffer accounts list --db FILE|URL [--month YYYY-MM] [--json] [--as USER < password]

The chart of accounts (科目表): every subject with its code, name (中文 and English), type (asset,
liability, equity, revenue, expense) and the balance of the CNY ledger accounts mapped to it, in yuan
on the subject's own side (debit for assets and expenses, credit for the others); a parent is the sum
of its children. --month adds the month's figures by business date (记账日期): opening, debits and
credits in the month, closing. --json prints the same with amounts in fen as integer strings.
Exit code 1 when debits and credits do not agree.
${READ_NOTE}`,
    async run(v) {
      required('accounts list', v, 'db');
      if (v.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v.month as string))
        throw new UsageError(`accounts list: --month "${String(v.month)}" is not a month (YYYY-MM)`);
      return withApi(await reader(v), async (api) => {
        const chart = await api.call('chart.list', v.month ? { month: v.month as string } : {});
        out(
          v.json
            ? JSON.stringify(chartJson(api.dispatcher.books.path, chart), null, 2) + '\n'
            : chartText(api.dispatcher.books.path, chart),
        );
        return chart.totals.balanced ? 0 : 1;
      });
    },
  },
];
