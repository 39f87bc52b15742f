// `coffer export vouchers`: a month's posted vouchers in the import layout of the user's general
// ledger (金蝶 KIS or 用友), recorded so that a second export of the same vouchers is refused unless forced.
import path from 'node:path';
import { AS, DB, OUT, checkOut, out, progress, say, writer, withApi, type Command } from './kit';
import { offlineRecorder } from './open';
import { UsageError, required } from './usage';

export const glExportCommands: Command[] = [
  {
    name: 'export vouchers',
    summary: "a month's posted vouchers for the general ledger (金蝶 Kingdee KIS or 用友 Yonyou import layout, xlsx)",
    options: { ...DB, ...AS, ...OUT, month: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer export vouchers --db BOOKS --month YYYY-MM --format kingdee|yonyou --out FILE.xlsx [--force] [--json] [--as USER < password]

Writes the month's posted vouchers (记账凭证) one row per line in the GL's import layout:
  kingdee  日期, 凭证字, 凭证号, 附单据数, 摘要, 科目代码, 科目名称, 借方金额, 贷方金额, 币别, 汇率, 数量,
           单价, 制单人, 审核人, 过账人 (with 客户 辅助核算 on: 核算项目类别, 核算项目代码, 核算项目名称)
  yonyou   制单日期, 凭证类别, 凭证编号, 附单据数, 摘要, 科目编码, 借方金额, 贷方金额, 币种, 汇率, 制单人,
           客户编码, 客户名称
Where an admin has loaded the GL's own template for the format (console: Settings), its rows down
to the header row are copied and each line is filled under the headers it has, by name.
Manual vouchers keep their lines; automatic vouchers are summarised to one debit and one credit line
per subject (per customer with 客户 辅助核算 on). Subjects go under the GL's 科目代码 by the setting
gl.subjectMap (unmapped ones under Coffer's own code). Dates YYYY-MM-DD; amounts numbers with two
decimals; every voucher balances; text that would start a formula is neutralised; the workbook
carries the books' witness. Drafts and voided vouchers are not exported: they are listed as skipped.

Every export is recorded (format, month, the file's SHA-256, who, when, which vouchers). Exporting
vouchers that were exported before is refused, listing them (exit 1), unless --force — which only an
admin or approver may give, so use it with --as — and the forced export is recorded too. --force also
replaces an existing --out file.
Without --as the books are opened for writing (the export is recorded) with an auditor's rights,
under the name "(offline, no --as)". With --as USER the password is the first line of standard input.
--json prints the result as JSON.`,
    async run(v) {
      required('export vouchers', v, 'db', 'month', 'format', 'out');
      const format = v.format as string;
      if (format !== 'kingdee' && format !== 'yonyou')
        throw new UsageError(`--format must be kingdee or yonyou, not "${format}"`, 'export vouchers');
      const month = v.month as string;
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, not "${month}"`, 'export vouchers');
      const target = checkOut('export vouchers', v);
      const api = typeof v.as === 'string' ? await writer(v) : await offlineRecorder(v.db as string, progress);
      return withApi(api, async () => {
        api.out = path.resolve(target);
        const r = await api.job('vouchers.glExport', { month, format, ...(v.force ? { force: true } : {}) });
        if (v.json) {
          out(JSON.stringify(r, null, 2) + '\n');
          return 0;
        }
        out(
          `Wrote ${r.vouchers} vouchers (${r.lines} lines) of ${r.month} in the ${format} layout to ${r.path} (${r.bytes} bytes, sha256 ${r.sha256}), ${r.template ? `filling template ${r.template}` : 'under the built-in headers'}; export #${r.exportId}${r.forced ? ', forced' : ''}.\n`,
        );
        if (r.again.length) out(`Exported before and written again: ${r.again.join(', ')}\n`);
        for (const s of r.skipped) say(`  skipped ${s.name} (${s.status}) ${s.summary}`);
        return 0;
      });
    },
  },
];
