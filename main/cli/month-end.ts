// coffer month-end pack: the month's reports in one workbook (and a PDF with --pdf), through the same API
// method and checks as the console's 月末结账 screen; refused unless every close check passes.
import path from 'node:path';
import type { PackFile } from '../services/month-end-pack';
import { chromiumPrinter, findChromium } from './chromium-printer';
import { AS, DB, OUT, checkOut, out, writer, withApi, type Command } from './kit';
import { samePath } from './open';
import { UsageError, required, type Values } from './usage';
import { refuse } from '../domain/refusals';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The --pdf target, checked like --out: not the books, not the workbook, not over a file without --force. */
function checkPdf(v: Values): string | null {
  if (typeof v.pdf !== 'string') return null;
  if (samePath(v.pdf, v.out as string)) throw new UsageError('--pdf must not be the --out workbook', 'month-end pack');
  return checkOut('month-end pack', { ...v, out: v.pdf });
}

const fileLine = (what: string, f: PackFile) => `  ${what.padEnd(9)}${f.path} (${f.bytes} bytes, sha256 ${f.sha256})`;

export const monthEndCommands: Command[] = [
  {
    name: 'month-end pack',
    summary: 'the month-end pack (月结包): every report of a month in one workbook, and a PDF',
    options: { ...DB, ...AS, ...OUT, month: { type: 'string' }, pdf: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer month-end pack --db BOOKS --month YYYY-MM --out FILE.xlsx [--pdf FILE.pdf] [--force] [--json] --as USER  < password

Writes the month's reports into one workbook, after a cover (company, month, its state and who closed
it, the books' witness, contents): 科目余额表, 资产负债表 and 利润表, 递延收入变动表 (deferred revenue in
CNY), 银行存款余额调节表 per bank account, 增值税申报数据 and 扣缴申报 — each sheet from the same service as
its screen. With --pdf the same reports are printed into one PDF, by a Chromium, Chrome or Edge found on
this machine (or named by COFFER_CHROMIUM).
Refused (exit 1) unless every check of period close passes for the month (as coffer period status
shows). The pack is recorded in the audit trail with the files' SHA-256. ID numbers in 扣缴申报 are
whole for admins and auditors only. --force replaces existing files. --json prints the result as JSON.`,
    async run(v: Values) {
      required('month-end pack', v, 'db', 'month', 'out', 'as');
      const month = v.month as string;
      if (!MONTH.test(month)) throw new UsageError(`--month must be a month YYYY-MM, not "${month}"`, 'month-end pack');
      const target = checkOut('month-end pack', v);
      const pdfTarget = checkPdf(v);
      const browser = pdfTarget ? findChromium() : null;
      if (pdfTarget && !browser) throw refuse('VALIDATION', 'no_chromium', {}, { field: 'pdf' });
      const api = await writer(v);
      return withApi(api, async (a) => {
        a.out = path.resolve(target);
        if (pdfTarget && browser) {
          a.outByExt.pdf = path.resolve(pdfTarget);
          a.dispatcher.ports.printer = chromiumPrinter(browser);
        }
        const r = await a.job('monthEnd.pack', {
          month,
          ...(pdfTarget ? { pdf: true } : {}),
        });
        out(
          v.json
            ? JSON.stringify(r, null, 2) + '\n'
            : [`Month-end pack of ${r.month} written:`, fileLine('workbook', r.workbook), ...(r.pdf ? [fileLine('PDF', r.pdf)] : [])].join(
                '\n',
              ) + '\n',
        );
        return 0;
      });
    },
  },
];
