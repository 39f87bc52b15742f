// Step 5 from the command line: the batch-import workbook and the invoice register out, the tax
// platform's numbers in, and checking, issuing and red-letter reversal with per-item outcomes. Every
// call goes through the API dispatcher (offline reader for exports without --as, else a named user).
import path from 'node:path';
import { formatYuan, parseYuan } from '../domain/money';
import { AS, DB, OUT, READ_NOTE, checkOut, out, reader, say, writer, withApi, type Command } from './kit';
import { Refused } from './open';
import { UsageError, required, type Values } from './usage';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATUSES = ['issued', 'partly_reversed', 'reversed'];

function period(command: string, v: Values): { from?: string; to?: string } {
  const p: { from?: string; to?: string } = {};
  for (const k of ['from', 'to'] as const) {
    const d = v[k] as string | undefined;
    if (d === undefined) continue;
    if (!DATE.test(d)) throw new UsageError(`--${k} must be a date, YYYY-MM-DD, not "${d}"`, command);
    p[k] = d;
  }
  return p;
}

function statuses(command: string, v: Values, allowed: string[]): string[] | undefined {
  const s = v.status as string | undefined;
  if (s === undefined) return undefined;
  const list = s.split(',').map((x) => x.trim());
  for (const x of list) if (!allowed.includes(x)) throw new UsageError(`--status: "${x}" is not one of ${allowed.join(', ')}`, command);
  return list;
}

function ids(command: string, v: Values): number[] | undefined {
  const s = v.ids as string | undefined;
  if (s === undefined) return undefined;
  const list = s.split(',').map((x) => x.trim());
  for (const x of list) if (!/^\d{1,15}$/.test(x) || Number(x) === 0) throw new UsageError(`--ids: "${x}" is not an id`, command);
  return list.map(Number);
}

const PERIOD_OPTIONS = { from: { type: 'string' }, to: { type: 'string' }, status: { type: 'string' } } as const;

export const invoiceCommands: Command[] = [
  {
    name: 'export invoices',
    summary: "blue invoices as the tax bureau's batch-import workbook (xlsx)",
    options: { ...DB, ...AS, ...OUT, ...PERIOD_OPTIONS, ids: { type: 'string' } },
    help: `Usage: coffer export invoices --db FILE|URL --out FILE.xlsx --as USER [--from DATE] [--to DATE] [--status issued] [--ids ID,…] [--force]  < password

Writes the blue invoices issued in the period (Shanghai dates, inclusive) as the 批量开具 workbook:
sheets 1-发票基本信息, 2-发票明细信息 (lines linked by 发票流水号), 3-特定业务信息, 4-附加要素信息 and
the hidden excelVersion; rows 1–3 the instructions, notes and headers, data from row 4, every cell
text. Where an admin has loaded the official template (console: Settings), a copy of it is filled.
Every invoice is checked first; with any problem the tax system would refuse, nothing is written and
the problems are listed (exit 1). --status issued,partly_reversed,reversed narrows by state.
A blue invoice reversed in full by red-letter invoices is left out and listed as skipped (unless
--status names reversed). Every export is marked (export id, the invoices, the file's SHA-256, who,
when), so it needs a user (--as; any role may export). Invoices an earlier export wrote are refused,
named, unless --force, which exports them again (recorded as forced) and replaces an existing --out.`,
    async run(v) {
      required('export invoices', v, 'db', 'out');
      if (typeof v.as !== 'string')
        throw new UsageError('every invoice export is marked with who wrote it: name the user with --as USER', 'export invoices');
      const input = {
        ...period('export invoices', v),
        status: statuses('export invoices', v, STATUSES),
        ids: ids('export invoices', v),
        ...(v.force ? { force: true } : {}),
      };
      const target = checkOut('export invoices', v);
      return withApi(await reader(v), async (api) => {
        api.out = path.resolve(target);
        try {
          const r = await api.sendJob('invoices.export', input);
          out(
            `Wrote ${r.invoices} invoices (${r.lines} lines) to ${r.path} (${r.bytes} bytes), ${r.template ? `filling template ${r.template}` : "Coffer's built-in rendition of the template"}.\n`,
          );
          out(`Marked as export #${r.exportId}, SHA-256 ${r.sha256}${r.forced ? ', forced' : ''}.\n`);
          if (r.againCount) out(`Exported again (forced): ${r.againCount} — ${r.again.map((a) => a.serial).join(', ')}\n`);
          if (r.skippedCount) {
            out(`Skipped ${r.skippedCount}:\n`);
            for (const x of r.skipped) out(`  ${x.message}\n`);
          }
          return 0;
        } catch (e) {
          const details =
            e instanceof Refused ? (e.body.details as { problems?: { message: string }[]; invoices?: { serial: string }[] }) : {};
          if (details.problems) for (const p of details.problems) say(`  ${p.message}`);
          if (details.invoices)
            say(`  exported before: ${details.invoices.map((x) => x.serial).join(', ')} (pass --force to export them again)`);
          throw e;
        }
      });
    },
  },
  {
    name: 'export invoice-register',
    summary: 'the invoice register of a period with a monthly summary (xlsx)',
    options: { ...DB, ...AS, ...OUT, ...PERIOD_OPTIONS },
    help: `Usage: coffer export invoice-register --db FILE|URL --out FILE.xlsx [--from DATE] [--to DATE] [--status S,…] [--force] [--as USER < password]

Every invoice of the period, blue and red-letter (red amounts negative), with buyer, taxpayer id,
gross, net, tax, amount reversed, state and the tax platform's number; a second sheet sums each month.
Text that would start a formula is neutralised. --status issued,partly_reversed,reversed,red.
${READ_NOTE}`,
    async run(v) {
      required('export invoice-register', v, 'db', 'out');
      const input = { ...period('export invoice-register', v), status: statuses('export invoice-register', v, [...STATUSES, 'red']) };
      const target = checkOut('export invoice-register', v);
      return withApi(await reader(v), async (api) => {
        api.out = path.resolve(target);
        const r = await api.sendJob('invoices.exportRegister', input);
        out(`Wrote ${r.invoices} invoices and ${r.months} monthly totals to ${r.path} (${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
  {
    name: 'import invoice-numbers',
    summary: "the tax platform's 20-digit invoice numbers, by serial (CSV or xlsx; clerk, approver)",
    options: { ...DB, ...AS },
    positionals: true,
    help: `Usage: coffer import invoice-numbers --db FILE|URL --as USER FILE.csv|FILE.xlsx  < password

Reads the file the tax platform gives back after a batch issue: a header row naming 发票流水号 and
发票号码 (or 数电发票号码), then one invoice a row. A row that is malformed (a serial that is not one, a
number that is not 20 digits, a serial twice with different numbers) refuses the whole file, naming
each bad row. A serial Coffer does not know, or one that already has another number, is refused alone.`,
    async run(v) {
      required('import invoice-numbers', v, 'db', 'as');
      const files = v._ as string[];
      if (files.length !== 1) throw new UsageError('name exactly one file', 'import invoice-numbers');
      return withApi(await writer(v), async (api) => {
        api.open = path.resolve(files[0]!);
        try {
          const r = await api.job('invoices.importNumbers');
          out(`Recorded ${r.set} invoice numbers (${r.unchanged} already recorded), ${r.refused.length} refused.\n`);
          for (const x of r.refused) out(`  refused: ${x.reason}\n`);
          return r.refused.length ? 1 : 0;
        } catch (e) {
          const problems = e instanceof Refused ? (e.body.details as { problems?: { message: string }[] }).problems : undefined;
          if (problems) for (const p of problems) say(`  ${p.message}`);
          throw e;
        }
      });
    },
  },
  {
    name: 'invoices check',
    summary: 'check submitted invoice requests: checked (amounts reserved) or rejected with each problem (clerk, approver)',
    options: { ...DB, ...AS, ids: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer invoices check --db FILE|URL --as USER [--ids ID,…] [--json]  < password

Checks the invoice requests named (internal ids), or every submitted one: the buyer's fields as the tax
template allows them (special invoices need the taxpayer id; an 18-character id must pass the credit-code
check character; lengths; email; no formula-like name or remarks) and the recharges (credited, of that
customer, paid money only, never more than is still invoiceable). Prints each outcome.`,
    async run(v) {
      required('invoices check', v, 'db', 'as');
      const list = ids('invoices check', v);
      return withApi(await writer(v), async (api) => {
        const r = await api.call('invoices.check', list ? { ids: list } : {});
        if (v.json) out(JSON.stringify(r, null, 2) + '\n');
        else
          for (const o of r) {
            if (o.outcome === 'checked') out(`checked   ${o.requestId}  ${formatYuan(Number(o.amount))} reserved\n`);
            else if (o.outcome === 'rejected') out(`rejected  ${o.requestId}\n${o.problems!.map((p) => `  ${p.message}\n`).join('')}`);
            else out(`refused   ${o.requestId}  ${o.reason}\n`);
          }
        return r.some((o) => o.outcome !== 'checked') ? 1 : 0;
      });
    },
  },
  {
    name: 'invoices issue',
    summary: 'issue checked invoice requests with gapless serials, printing each outcome (approver)',
    options: { ...DB, ...AS, ids: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer invoices issue --db FILE|URL --as USER --ids ID,… [--json]  < password

Issues the blue invoice of each checked request (internal ids): the next serial of the year's series
(FP2026000001 …), one line per recharge with the product settings in force (setting invoice.product),
the tax split of the tax-inclusive paid money. Who entered or checked a request may not issue it.
Each request stands or falls alone; exit code 1 when any was refused.`,
    async run(v) {
      required('invoices issue', v, 'db', 'as', 'ids');
      const list = ids('invoices issue', v)!;
      return withApi(await writer(v), async (api) => {
        const r = await api.call('invoices.issue', {
          items: list.map((id) => ({ id })),
        });
        if (v.json) out(JSON.stringify(r, null, 2) + '\n');
        else
          for (const o of r)
            out(
              o.outcome === 'issued'
                ? `issued   ${o.requestId}  ${o.serial}  ${formatYuan(Number(o.gross))} (tax ${formatYuan(Number(o.tax))})\n`
                : `refused  ${o.requestId}  ${o.reason}\n`,
            );
        return r.some((o) => o.outcome !== 'issued') ? 1 : 0;
      });
    },
  },
  {
    name: 'invoices reverse',
    summary: 'red-letter reversal of a blue invoice, in full or in part (approver)',
    options: {
      ...DB,
      ...AS,
      serial: { type: 'string' },
      amount: { type: 'string' },
      reason: { type: 'string' },
      confirmation: { type: 'string' },
      category: { type: 'string' },
      'buyer-confirmed': { type: 'boolean' },
      'buyer-confirmed-on': { type: 'string' },
    },
    help: `Usage: coffer invoices reverse --db FILE|URL --as USER --serial FP… [--amount YUAN] --reason TEXT
         --confirmation NO --category 开票有误|销货退回|服务中止|销售折让 [--buyer-confirmed [--buyer-confirmed-on DATE]]  < password

Issues a red-letter invoice (its own serial, HZ…) against the blue invoice: for --amount, or all that is
left of it. Never more than is left; the amount becomes invoiceable again on the recharges. It is issued
on a 红字确认单: its number (--confirmation) and reason category (--category); for a 增值税专用发票 the
buyer must have confirmed it (--buyer-confirmed, on --buyer-confirmed-on, today when omitted). The blue
invoice needs its 20-digit number from the tax platform first (coffer import invoice-numbers).`,
    async run(v) {
      required('invoices reverse', v, 'db', 'as', 'serial', 'reason');
      const amount = v.amount as string | undefined;
      if (amount !== undefined && !/^\d{1,13}(\.\d{1,2})?$/.test(amount))
        throw new UsageError(`--amount must be yuan, e.g. 100.00, not "${amount}"`, 'invoices reverse');
      return withApi(await writer(v), async (api) => {
        const { rows } = await api.call('invoices.list', {
          serial: v.serial as string,
          limit: 1,
        });
        if (!rows.length) throw new Refused({ code: 'NOT_FOUND', message: `no invoice ${String(v.serial)}`, details: { field: 'serial' } });
        const red = await api.send('invoices.reverse', {
          id: rows[0]!.id,
          reason: v.reason as string,
          ...(amount !== undefined ? { amount: String(parseYuan(amount)) } : {}),
          ...(v.confirmation !== undefined ? { confirmationNo: v.confirmation as string } : {}),
          ...(v.category !== undefined ? { category: v.category as string } : {}),
          ...(v['buyer-confirmed'] ? { buyerConfirmed: true } : {}),
          ...(v['buyer-confirmed-on'] !== undefined ? { buyerConfirmedOn: v['buyer-confirmed-on'] as string } : {}),
        });
        out(
          `Reversed ${formatYuan(Number(red.gross))} of ${rows[0]!.serial} with red-letter invoice ${red.serial} (tax ${formatYuan(Number(red.tax))}).\n`,
        );
        return 0;
      });
    },
  },
];
