// The month-end pack (月结包): refused while a close check fails (and nothing is written); once they pass, one
// workbook — a cover, then 科目余额表, balance sheet, income statement, 调节表, 扣缴申报 — whose totals are the
// screens' figures (read back by ExcelJS and by openpyxl), and one printed document of the same reports;
// recorded in the audit trail with the files' digests.
//
// The book and its figures, worked by hand: test/support/report-fixtures.ts#packBook.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { balancesReport } from '../../main/services/balances';
import { financialStatements } from '../../main/services/financial-statements';
import { witnessOf } from '../../main/services/witness';
import { closeMonth, packBook } from '../support/report-fixtures';
import { withStaffedApi } from '../support/books-hooks';
import type { TestApi } from '../support/temp-books';

describe('month-end pack', () => {
  let t: TestApi;
  withStaffedApi(async (api) => {
    t = api;
    await packBook(t);
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as { code: string; details: { reason?: string; params?: Record<string, string> } },
    );
  const close = (month: string) => closeMonth(t, month);

  it('is refused with the failing checks while December runs, and writes nothing', async () => {
    t.dialogs.nextSave = path.join(t.dir, 'pack.xlsx');
    // December has not ended, November is not closed, and the statement stops on 30 November.
    expect(await refusal(t.runJob('auditor', 'monthEnd.pack', { month: '2026-12' }))).toMatchObject({
      code: 'REFUSED',
      details: {
        reason: 'month_end_pack_checks',
        params: { month: '2026-12', count: '3' },
      },
    });
    expect(fs.existsSync(t.dialogs.nextSave)).toBe(false);
    // Refused before the dialog: the user is not asked where to save a pack that will not be made.
    expect(t.dialogs.asked).toEqual([]);
    expect(await refusal(t.runJob('auditor', 'monthEnd.pack', { month: '2026-13' }))).toMatchObject({ code: 'VALIDATION' });
  });

  it('writes the cover and a sheet per report, with the screens’ totals, and records the files in the audit trail', async () => {
    await close('2026-11');
    const target = path.join(t.dir, '月结包-2026-11.xlsx');
    t.dialogs.nextSave = target;
    const r = await t.runJob('clerk', 'monthEnd.pack', { month: '2026-11' });
    expect(r.pdf).toBeNull();
    expect(r.workbook).toMatchObject({ path: target, sha256: crypto.createHash('sha256').update(fs.readFileSync(target)).digest('hex') });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(target);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual([
      '封面 Cover',
      '科目余额表 2026-11',
      '资产负债表 2026-11',
      '利润表 2026-11',
      '递延收入变动表 2026-11',
      '余额调节表 0101 2026-11',
      '增值税申报数据 2026-11',
      '扣缴申报 2026-11',
    ]);
    const cover = Object.fromEntries(
      wb.worksheets[0]!.getSheetValues().flatMap((row) => (Array.isArray(row) && typeof row[1] === 'string' ? [[row[1], row[2]]] : [])),
    );
    expect(cover).toMatchObject({
      '期间 Period': '2026-11',
      '结账状态 Period state': '已结账 closed',
      '结账人 Closed by': expect.any(String),
      '确认人 Confirmed by': '王复核',
      '编制人 Prepared by': expect.any(String),
    });
    // The witness of the books as the pack was made: the one the audit entry then records, one entry before now.
    const witness = cover['账簿指纹 Books witness'] as string;
    expect(witness).toMatch(/^coffer-witness books=\w+ seq=\d+ head=\w+$/);
    const seqOf = (line: string | null) => Number(/ seq=(\d+) /.exec(line ?? '')?.[1]);
    expect(seqOf(witness)).toBeGreaterThan(0);
    expect(seqOf(witness)).toBe(seqOf(await witnessOf(t.anyBooks)) - 1);
    const totalRow = (name: string, label: string) =>
      (wb
        .getWorksheet(name)!
        .getSheetValues()
        .find((row) => Array.isArray(row) && String(row[1] ?? row[2] ?? '').startsWith(label)) ?? []) as unknown[];
    // 科目余额表's 合计: the screen's totals, in yuan.
    const b = (await balancesReport(t.anyBooks, '2026-11')).totals;
    expect(totalRow('科目余额表 2026-11', '合计').slice(3, 9)).toEqual([1000, 1000, 350, 350, 1300, 1300]);
    expect([b.openingDebit, b.openingCredit, b.debit, b.credit, b.closingDebit, b.closingCredit].map(Number)).toEqual([
      100000, 100000, 35000, 35000, 130000, 130000,
    ]);
    const fs_ = (await financialStatements(t.anyBooks, '2026-11')).balanceSheet.totals;
    expect(Number(fs_.assets.closing)).toBe(130000);
    expect(Number(fs_.liabilitiesAndEquity.closing)).toBe(130000);

    // The pack is in the audit trail with the workbook's digest.
    const audit = await t.call('auditor', 'audit.list', { action: 'month_end.pack' });
    expect(audit.rows[0]).toMatchObject({ action: 'month_end.pack', entityId: '2026-11' });
    expect(JSON.stringify(audit.rows[0])).toContain(r.workbook.sha256);
    expect(JSON.stringify(audit.rows[0])).toContain(witness);
  });

  it('opens in openpyxl, every sheet whole, with the same totals', async () => {
    const target = path.join(t.dir, 'pack.xlsx');
    t.dialogs.nextSave = target;
    // November is open and every check passes: the pack may be made before the close.
    await t.runJob('auditor', 'monthEnd.pack', { month: '2026-11' });
    const py = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {}
for ws in wb.worksheets:
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    out[ws.title] = [r for r in rows if any(isinstance(c, str) and (c.startswith('合计') or c.startswith('结账状态') or '调节后' in c or c.startswith('资产合计')) for c in r)]
print(json.dumps(out, ensure_ascii=False))`;
    const read = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, target], { encoding: 'utf8' })) as Record<string, unknown[][]>;
    expect(Object.keys(read)).toHaveLength(8);
    expect(read['封面 Cover']).toEqual([['结账状态 Period state', '未结账 open']]);
    expect(read['科目余额表 2026-11']![0]!.slice(2, 8)).toEqual([1000, 1000, 350, 350, 1300, 1300]);
    expect(read['资产负债表 2026-11']!.find((r) => String(r[1] ?? r[0]).startsWith('资产合计'))).toContain(1300);
    // 调节表: both sides adjusted to 1,250.00.
    expect(read['余额调节表 0101 2026-11']!.filter((r) => r.includes(1250)).length).toBeGreaterThanOrEqual(2);
  });

  it('prints the cover and every report into one document, from a new page each', async () => {
    let printed = '';
    t.dispatcher.ports.printer = {
      async htmlToPdf(html) {
        printed = html;
        return Buffer.from('%PDF-1.7 test');
      },
    };
    const saves: string[] = [];
    t.dialogs.nextSave = null;
    const r = await t.runJob('auditor', 'monthEnd.pack', { month: '2026-11', pdf: true });
    saves.push(...t.dialogs.asked);
    expect(saves).toEqual(['save', 'save']);
    expect(r.pdf).toMatchObject({ path: path.join(t.dir, '月结包-2026-11.pdf'), bytes: 13 });
    const titles = [...printed.matchAll(/<section[^>]*>\s*<h1>([^<]+)<\/h1>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      '月结包 2026-11',
      '科目余额表',
      '资产负债表（简化）',
      '利润表（简化）',
      '递延收入变动表',
      '银行存款余额调节表',
      '增值税申报数据',
    ]);
    // The 科目余额表 prints on a landscape page; the cover names the contents and leaves lines to sign.
    expect(printed).toMatch(/<section class="wide">\s*<h1>科目余额表<\/h1>/);
    expect(printed).toContain('财务负责人：');
    expect(printed).toContain('counter(pages)');
  });

  it('asks for a PDF only where there is a printer', async () => {
    expect(await refusal(t.runJob('auditor', 'monthEnd.pack', { month: '2026-11', pdf: true }))).toMatchObject({
      code: 'VALIDATION',
      details: { field: 'pdf' },
    });
    expect(t.dialogs.asked).toEqual([]);
  });
});
