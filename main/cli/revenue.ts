// coffer revenue run: the month's revenue run (收入确认) from the command line, through the same API
// methods (and role checks) as the console's 收入确认 screen. --preview reads; without it the run posts.
import { formatYuan } from '../domain/money';
import type { RevenuePreview, RevenueRunOut } from '../services/revenue';
import { AS, DB, out, writer, withApi, type Command } from './kit';
import { UsageError, required, type Values } from './usage';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const yuan = (fen: string) => formatYuan(Number(fen));

type Figures = Pick<
  RevenueRunOut,
  | 'usedCoins'
  | 'spentCoins'
  | 'expiredCoins'
  | 'value'
  | 'breakage'
  | 'adjustment'
  | 'gross'
  | 'pretaxedTax'
  | 'revenue'
  | 'tax'
  | 'closingCoins'
  | 'closingValue'
>;

function figuresText(f: Figures, rate: { num: number; den: number }): string[] {
  return [
    `  coins used       ${f.usedCoins} (spent ${f.spentCoins}, expired ${f.expiredCoins})`,
    `  value used       ${yuan(f.value)}`,
    `  breakage         ${yuan(f.breakage)}`,
    `  reversals        ${yuan(f.adjustment)}`,
    `  gross            ${yuan(f.gross)}  (Dr 2204 合同负债 ${yuan(String(BigInt(f.gross) - BigInt(f.pretaxedTax)))})`,
    `  revenue          ${yuan(f.revenue)}  (Cr 6001 主营业务收入)`,
    `  output VAT       ${yuan(f.tax)}  (Cr 222101 at ${rate.num}/${rate.den}; ${yuan(f.pretaxedTax)} was charged at invoicing)`,
    `  unused coins     ${f.closingCoins}, carrying ${yuan(f.closingValue)}`,
  ];
}

export function revenuePreviewText(p: RevenuePreview): string {
  const state = {
    not_needed: 'no coins moved: no run needed',
    missing: 'not run yet',
    current: 'posted and current',
    stale: `posted, but ${p.changes} posting(s) came after it: run it again`,
  }[p.state];
  return (
    [
      `Revenue run ${p.month} (preview; method ${p.method}, breakage ${p.breakageBp / 100} %): ${state}${p.reopened ? ' (reopened since: may run again)' : ''}`,
      ...figuresText(p.totals, p.rate),
      `  customers        ${p.customers}`,
      ...(p.monthEnded ? [] : [`  the month has not reached its last day: the run cannot post yet`]),
    ].join('\n') + '\n'
  );
}

export function revenueRunText(r: RevenueRunOut): string {
  return (
    [
      `Revenue run #${r.id} of ${r.month} posted${r.voucher ? ` as voucher ${r.voucher.name}` : ' (nothing to post)'} by ${r.runBy ?? 'system'}:`,
      ...figuresText(r, r.rate),
      `  customers        ${r.customers}`,
    ].join('\n') + '\n'
  );
}

export const revenueCommands: Command[] = [
  {
    name: 'revenue run',
    summary: "the month's revenue run (收入确认): preview, or post its voucher (approver, admin)",
    options: { ...DB, ...AS, month: { type: 'string' }, preview: { type: 'boolean' }, json: { type: 'boolean' } },
    help: `Usage: coffer revenue run --db FILE|URL --month YYYY-MM [--preview] [--json] --as USER  < password

Recognises the revenue of the coins used in the month (spent, expired): each recharge's money is spread
over its paid and bonus coins, and the coins used draw on their wallet's lots by the method in settings
(FIFO or weighted average); breakage when set. Posts one voucher on the month's last day:
Dr 2204 合同负债 / Cr 6001 主营业务收入, Cr 222101 应交增值税（销项税额） at the rate in settings; each
customer's share is kept. --preview prints the figures and writes nothing (any role).
Refused (exit 1, with the reason) before the month's last day, for a closing or closed month, while an
earlier month with coins moved has no current run, and when the month's run is current (reopen the
month to run it again). A month with postings after its run may run again: the earlier run is
reversed by a red voucher.`,
    async run(v: Values) {
      required('revenue run', v, 'db', 'month', 'as');
      const month = v.month as string;
      if (!MONTH.test(month)) throw new UsageError(`--month must be a month YYYY-MM, not "${month}"`, 'revenue run');
      const api = await writer(v);
      return withApi(api, async (a) => {
        if (v.preview) {
          const p = await a.call('revenue.preview', { month });
          out(v.json ? JSON.stringify(p, null, 2) + '\n' : revenuePreviewText(p));
          return 0;
        }
        const r = await a.job('revenue.run', { month });
        out(v.json ? JSON.stringify(r, null, 2) + '\n' : revenueRunText(r));
        return 0;
      });
    },
  },
];
