// coffer export withholding: the month's 扣缴申报 (劳务报酬) as a workbook, through the same API method
// as the console (withholding.export: admins and auditors, since it carries ID numbers whole).
import path from 'node:path';
import { DB, AS, OUT, READ_NOTE, checkOut, out, reader, withApi, type Command } from './kit';
import { UsageError, required } from './usage';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const payoutCommands: Command[] = [
  {
    name: 'export withholding',
    summary: "the month's 扣缴申报 of creators' payouts (劳务报酬), one row per person (xlsx)",
    options: { ...DB, ...AS, ...OUT, month: { type: 'string' } },
    help: `Usage: coffer export withholding --db FILE|URL --month YYYY-MM --out FILE.xlsx [--force] [--as USER < password]

Writes the 扣缴申报 for the payouts approved in the month (Asia/Shanghai): one row per person (ID type
and number) with 姓名, 证件类型, 证件号码, 收入额, 费用, 应纳税所得额, 预扣率, 速算扣除数, 已扣缴税额 and the
number of payments, then a 合计 row; amounts in yuan as numbers with two decimals, text cells
formula-safe, the books' witness in the workbook's description. ID numbers are written whole, so only
an auditor or admin may export it (without --as the offline reader is an auditor).
${READ_NOTE}`,
    async run(v) {
      required('export withholding', v, 'db', 'month', 'out');
      const month = v.month as string;
      if (!MONTH.test(month)) throw new UsageError(`--month must be a month YYYY-MM, not "${month}"`, 'export withholding');
      const target = checkOut('export withholding', v);
      return withApi(await reader(v), async (api) => {
        api.out = path.resolve(target);
        const r = await api.job('withholding.export', { month });
        out(`Wrote the 扣缴申报 for ${month}: ${r.persons} person(s) to ${r.path} (${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
];
