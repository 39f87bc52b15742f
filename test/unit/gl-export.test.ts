// Vouchers for the user's general ledger (issue 12 §4), read back from the written workbook with exceljs:
// the Kingdee and Yonyou layouts, automatic vouchers summarised per subject and side (split per customer
// with 客户 辅助核算), manual vouchers as prepared, the subject mapping (four eyes, coded refusals), a
// loaded template's headers winning, formula-safe 摘要, and the mark / refuse / force cycle.
// Figures worked by hand in the comments.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { summarise, lineTotals, checkSubjectMap, findHeaderRow, type TransferSide, type ChartSubject } from '../../main/domain/gl-export';
import { readWitnessFile, witnessFinding } from '../../main/services/witness';
import { verifyBooks } from '../../main/services/verify';
import { inWriteTx } from '../../main/db/tx';
import type { SettingKey } from '../../main/services/settings';
import { withBankDesk } from '../support/books-hooks';
import { ADMIN2, APPROVER2 } from '../support/desk';
import { firstValue, olderSnapshotOpen, type TestApi } from '../support/temp-books';
import { importDay, request, type Payer } from '../support/recharge-fixtures';
import { KINGDEE_HEADER } from '../support/workbook-layouts';
import { prepareVoucher } from '../support/vouchers';

let t: TestApi;
let zhang: Payer;
let li: Payer;

withBankDesk({ staff: [ADMIN2, APPROVER2] }, ['张伟', '李娜'], (desk) => ([t, zhang, li] = desk));
// After hooks run last-registered first: every test's books verify clean before withBankDesk removes them.
afterEach(async () => {
  expect((await verifyBooks(t.anyBooks)).findings).toEqual([]);
});

type Err = { code: string; details: { reason?: string; params?: Record<string, string> } };
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('was not refused'),
    (e: Err) => ({ code: e.code, reason: e.details?.reason, params: e.details?.params }),
  );
const lineId = (ref: string) => firstValue(t.anyBooks, 'SELECT id FROM bank_lines WHERE bank_ref = ?', ref);

/**
 * A month of activity: three bank receipts on 2026-11-20 (one automatic 银行收款 voucher, three
 * transfers: 1000.00 + 500.00 + 88.88 = 1588.88), two recharges approved together (one 充值确认 voucher:
 * 张伟 1000.00, 李娜 500.00), a fee voucher posted (25.00), one left a draft and one voided.
 */
async function month() {
  const a = await request(t, zhang, '1000.00', 'REFAAA01');
  const b = await request(t, li, '500.00', 'REFBBB02');
  await importDay(t, '2026-11-20', [
    ['1000.00', 'REFAAA01', 'IN-A'],
    ['500.00', 'REFBBB02', 'IN-B'],
    ['88.88', 'unknown', 'IN-C'],
  ]);
  await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-A'), requestId: a.id, amount: '100000' });
  await t.call('clerk', 'reconcile.match', { lineId: await lineId('IN-B'), requestId: b.id, amount: '50000' });
  const items = [];
  for (const r of [a, b]) {
    const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    items.push({ id: seen.id, version: seen.version });
  }
  const out = await t.call('approver', 'approvals.approve', { items });
  expect(out.map((o) => o.outcome)).toEqual(['credited', 'credited']);
  const fee = await t.call('clerk', 'vouchers.prepare', {
    date: '2026-11-21',
    attachments: 2,
    lines: [
      { summary: '=HYPERLINK("http://x")', subjectCode: '660301', debit: '2500' },
      { summary: '银行手续费', subjectCode: '122101', credit: '2500' },
    ],
  });
  await t.call('approver', 'vouchers.review', { id: fee.id, approve: true });
  await prepareVoucher(t.call, { date: '2026-11-22', debit: '660301', credit: '122101', amount: '100', summary: '草稿' });
  const voided = await prepareVoucher(t.call, { date: '2026-11-22', debit: '660301', credit: '122101', amount: '200', summary: '作废' });
  await t.call('approver', 'vouchers.review', { id: voided.id, approve: false });
}

async function setting(key: SettingKey, value: unknown) {
  const c = await t.call('admin', 'settings.propose', { key, value, effectiveFrom: t.clock.now, reason: '对接总账' });
  await t.call('admin2', 'settings.decide', { id: c.id, decision: 'confirmed' });
}

async function exportAs(
  format: 'kingdee' | 'yonyou',
  as = 'auditor',
  force?: boolean,
  file = `${format}-${Date.now()}-${Math.random()}.xlsx`,
) {
  t.dialogs.nextSave = path.join(t.dir, file);
  return t.runJob(as, 'vouchers.glExport', { month: '2026-11', format, ...(force === undefined ? {} : { force }) });
}

async function sheetOf(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0]!;
  const rows: (ExcelJS.CellValue | undefined)[][] = [];
  ws.eachRow({ includeEmpty: true }, (r, n) => {
    rows[n - 1] = (r.values as ExcelJS.CellValue[]).slice(1);
  });
  return { wb, ws, rows };
}

/** Rows as objects by header, for the data rows under the header on `headerLine`. */
function records(rows: (ExcelJS.CellValue | undefined)[][], headerLine = 1) {
  const headers = rows[headerLine - 1]!.map((h) => String(h ?? ''));
  return rows.slice(headerLine).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? null])));
}

/** Per voucher (凭证字 + 号): Σ debit and Σ credit in fen, from the numbers in the file. */
function perVoucher(recs: Record<string, unknown>[], no = '凭证号', debit = '借方金额', credit = '贷方金额') {
  const m = new Map<string, { d: number; c: number; n: number }>();
  for (const r of recs) {
    const k = String(r[no]);
    const x = m.get(k) ?? { d: 0, c: 0, n: 0 };
    x.d += Math.round(Number(r[debit]) * 100);
    x.c += Math.round(Number(r[credit]) * 100);
    x.n++;
    m.set(k, x);
  }
  return m;
}

describe('the Kingdee layout', () => {
  it('writes one row per line under the reference headers; automatic vouchers summarised; every voucher balances', async () => {
    await month();
    const r = await exportAs('kingdee');
    // Posted: 记-0001 银行收款 (bank_in), 记-0002 充值确认, 记-0003 the fee; 记-0004 draft and 记-0005 voided are skipped.
    expect(r).toMatchObject({ vouchers: 3, forced: false, again: [], template: null });
    expect(r.skipped.map((s) => [s.name, s.status])).toEqual([
      ['记-2026-11-0004', 'draft'],
      ['记-2026-11-0005', 'voided'],
    ]);
    const { rows, wb } = await sheetOf(r.path);
    expect(rows[0]).toEqual(KINGDEE_HEADER);
    const recs = records(rows);
    // 银行收款: three transfers Dr 100201 / Cr 224101 become one debit line 1588.88 and one credit line 1588.88.
    const bank = recs.filter((x) => x['凭证号'] === 1);
    expect(bank.map((x) => [x['科目代码'], x['科目名称'], x['借方金额'], x['贷方金额']])).toEqual([
      ['100201', '招商银行 杭州分行 0101', 1588.88, 0],
      ['224101', '未分配收款', 0, 1588.88],
    ]);
    expect(bank[0]).toMatchObject({ 日期: '2026-11-20', 凭证字: '记', 摘要: '银行收款', 币别: 'RMB', 汇率: 1, 制单人: 'clerk' });
    // 充值确认: Dr 224101 1500.00 / Cr 2204 1500.00 (1000.00 + 500.00), no customer split without 辅助核算.
    expect(recs.filter((x) => x['凭证号'] === 2).map((x) => [x['科目代码'], x['借方金额'], x['贷方金额']])).toEqual([
      ['224101', 1500, 0],
      ['2204', 0, 1500],
    ]);
    // The fee as prepared, its formula-like 摘要 neutralised, the reviewer named.
    const fee = recs.filter((x) => x['凭证号'] === 3);
    expect(fee.map((x) => [x['摘要'], x['科目代码'], x['借方金额'], x['贷方金额']])).toEqual([
      ['\'=HYPERLINK("http://x")', '660301', 25, 0],
      ['银行手续费', '122101', 0, 25],
    ]);
    expect(fee[0]).toMatchObject({ 日期: '2026-11-21', 附单据数: 2, 制单人: 'clerk', 审核人: 'approver' });
    // Every voucher balances, amounts are numbers shown with two decimals.
    for (const [no, v] of perVoucher(recs)) expect(v.d, `voucher ${no}`).toBe(v.c);
    expect(recs).toHaveLength(6);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('H2').numFmt).toBe('0.00');
    expect(typeof ws.getCell('H2').value).toBe('number');
    // The witness names the books as they stood.
    expect(await witnessFinding(t.anyBooks, await readWitnessFile(r.path), 'the export')).toBeNull();
  });
});

describe('the Yonyou layout, the mapping and 客户 辅助核算', () => {
  it('maps subjects to the GL codes and splits customer lines per customer', async () => {
    await month();
    await setting('gl.subjectMap', [
      { from: '2204', to: '2203.01', name: '预收账款-充值' },
      { from: '100201', to: '1002.01' },
    ]);
    await setting('gl.customerAux', true);
    // 李娜's recharge reversed (another approver than the one who approved): Dr 2204 500.00 / Cr 224102 应付退款 500.00.
    const rec = await firstValue(t.anyBooks, 'SELECT id FROM recharge_records WHERE customer_id = ?', li.customerId);
    await t.call('approver2', 'records.reverse', { id: rec, reason: '客户申请退款' });
    const r = await exportAs('yonyou');
    const { rows } = await sheetOf(r.path);
    expect(rows[0]).toEqual([
      '制单日期',
      '凭证类别',
      '凭证编号',
      '附单据数',
      '摘要',
      '科目编码',
      '借方金额',
      '贷方金额',
      '币种',
      '汇率',
      '制单人',
      '客户编码',
      '客户名称',
    ]);
    const recs = records(rows);
    expect(recs.filter((x) => x['凭证编号'] === 1).map((x) => [x['科目编码'], x['借方金额'], x['贷方金额']])).toEqual([
      ['1002.01', 1588.88, 0],
      ['224101', 0, 1588.88],
    ]);
    // 充值确认 split per customer on the mapped 2203.01: 张伟 1000.00, 李娜 500.00; the debit stays one line.
    const customerCode = (p: Payer) => `C${p.customerId}`;
    const recharge = recs.filter((x) => x['凭证编号'] === 2);
    // (Customers registered at the counter have no platform id: their code is C + Coffer's id; 张伟 first.)
    expect(recharge.map((x) => [x['科目编码'], x['借方金额'], x['贷方金额'], x['客户编码'], x['客户名称']])).toEqual([
      ['224101', 1500, 0, null, null],
      ['2203.01', 0, 1000, customerCode(zhang), '张伟'],
      ['2203.01', 0, 500, customerCode(li), '李娜'],
    ]);
    expect(recharge[0]).toMatchObject({ 制单日期: '2026-11-20', 凭证类别: '记', 币种: '人民币', 汇率: 1 });
    // The reversal (记-0006, after the draft 0004 and the voided 0005) carries 李娜 on both customer subjects.
    expect(
      recs.filter((x) => x['凭证编号'] === 6).map((x) => [x['摘要'], x['科目编码'], x['借方金额'], x['贷方金额'], x['客户名称']]),
    ).toEqual([
      ['充值冲销', '2203.01', 500, 0, '李娜'],
      ['充值冲销', '224102', 0, 500, '李娜'],
    ]);
    for (const [no, v] of perVoucher(recs, '凭证编号')) expect(v.d, `voucher ${no}`).toBe(v.c);
  });

  it('refuses a mapping with an ill-formed target, two types on one code, an unknown or parent subject, by code', async () => {
    const propose = (value: unknown) =>
      refusal(t.call('admin', 'settings.propose', { key: 'gl.subjectMap', value, effectiveFrom: t.clock.now, reason: '对接总账' }));
    expect(await propose([{ from: '2204', to: '  ' }])).toMatchObject({ code: 'VALIDATION', reason: 'gl_map_target_invalid' });
    expect(await propose([{ from: '2204', to: '=1+1' }])).toMatchObject({
      reason: 'gl_map_target_invalid',
      params: { code: '2204', target: '=1+1' },
    });
    expect(await propose([{ from: '2204', to: '1002..01' }])).toMatchObject({ reason: 'gl_map_target_invalid' });
    // 2204 合同负债 (liability) and 660301 手续费 (expense) on one code.
    expect(
      await propose([
        { from: '2204', to: '9999' },
        { from: '660301', to: '9999' },
      ]),
    ).toMatchObject({ reason: 'gl_map_type_conflict', params: { target: '9999', first: '2204 合同负债', second: '660301 手续费' } });
    // …also when the other lands there unmapped, under its own code.
    expect(await propose([{ from: '2204', to: '6001' }])).toMatchObject({ reason: 'gl_map_type_conflict', params: { target: '6001' } });
    expect(await propose([{ from: '1234', to: '1234' }])).toMatchObject({ reason: 'gl_map_unknown_subject' });
    expect(await propose([{ from: '2241', to: '2241' }])).toMatchObject({ reason: 'gl_map_not_leaf' });
    expect(
      await propose([
        { from: '2204', to: '2203' },
        { from: '2204', to: '2203' },
      ]),
    ).toMatchObject({ reason: 'gl_map_duplicate' });
    // Two liabilities on one code are fine; nothing takes effect before a second admin confirms.
    const ok = await t.call('admin', 'settings.propose', {
      key: 'gl.subjectMap',
      value: [
        { from: '224101', to: '2241' },
        { from: '224103', to: '2241' },
      ],
      effectiveFrom: t.clock.now,
      reason: '合并其他应付款',
    });
    expect(ok.status).toBe('proposed');
    expect(await refusal(t.call('admin', 'settings.decide', { id: ok.id, decision: 'confirmed' }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('marks, refusals and force', () => {
  it('records each export; a second is refused listing the vouchers; an approver forces it, and that is recorded', async () => {
    await month();
    const first = await exportAs('kingdee');
    const rows = (await t.anyBooks.sql('SELECT * FROM voucher_exports').all()) as { sha256: string; forced: number; vouchers: number }[];
    expect(rows).toEqual([expect.objectContaining({ sha256: first.sha256, forced: 0, vouchers: 3 })]);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await refusal(exportAs('yonyou', 'clerk', undefined, 'again.xlsx'));
    expect(again).toMatchObject({
      code: 'CONFLICT',
      reason: 'gl_exported_before',
      params: { month: '2026-11', count: '3', vouchers: '记-2026-11-0001, 记-2026-11-0002, 记-2026-11-0003' },
    });
    expect(fs.existsSync(path.join(t.dir, 'again.xlsx'))).toBe(false);
    // A clerk or an auditor may not force; an approver may.
    expect(await refusal(exportAs('kingdee', 'clerk', true))).toMatchObject({ code: 'FORBIDDEN', reason: 'gl_force_role' });
    expect(await refusal(exportAs('kingdee', 'auditor', true))).toMatchObject({ reason: 'gl_force_role' });
    const forced = await exportAs('kingdee', 'approver', true);
    expect(forced).toMatchObject({ forced: true, vouchers: 3, again: ['记-2026-11-0001', '记-2026-11-0002', '记-2026-11-0003'] });
    const status = await t.call('auditor', 'vouchers.glStatus', {
      month: '2026-11',
    });
    expect(status.exports.map((e) => [e.forced, e.exportedBy])).toEqual([
      [true, 'approver'],
      [false, 'auditor'],
    ]);
    expect(status.exportedBefore).toHaveLength(3);
    const audit = await t.anyBooks.sql("SELECT action FROM audit WHERE action LIKE 'gl.export%' ORDER BY id").all();
    expect(audit).toEqual([{ action: 'gl.export' }, { action: 'gl.export_forced' }]);
    // The records cannot be edited.
    await expect(inWriteTx(t.anyBooks, (tx) => tx.sql('UPDATE voucher_exports SET forced = 0').run())).rejects.toThrow(/never edited/);
  });

  it('lets go of the books while the user picks where to save; a voucher entered meanwhile is not held back', async () => {
    await month();
    const file = path.join(t.dir, 'while-asked.xlsx');
    let held: boolean | undefined;
    t.dialogs.saveFile = async () => {
      await prepareVoucher(t.call, { date: '2026-11-23', debit: '660301', credit: '122101', amount: '300', summary: '对话框打开时' });
      held = olderSnapshotOpen(t.anyBooks);
      return file;
    };
    expect(await t.runJob('auditor', 'vouchers.glExport', { month: '2026-11', format: 'kingdee' })).toMatchObject({
      path: file,
      vouchers: 3,
    });
    expect(held).toBe(false);
  });

  it('refuses a month with no posted vouchers and bad input, by field', async () => {
    expect(await refusal(exportAs('kingdee'))).toMatchObject({ code: 'NOT_FOUND', reason: 'gl_no_vouchers', params: { month: '2026-11' } });
    expect(await refusal(t.call('auditor', 'vouchers.glExport', { month: '2026-13', format: 'kingdee' }))).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await refusal(t.send('auditor', 'vouchers.glExport', { month: '2026-11', format: 'sap' }))).toMatchObject({
      code: 'VALIDATION',
    });
  });
});

/** A template as a GL exports it: a title row, a note row, then the headers in its own order with a column Coffer does not know. */
async function templateFile(name: string, headers: string[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('凭证引入');
  ws.addRow(['金蝶KIS 凭证引入模板']);
  ws.addRow(['说明：第3行为表头']);
  ws.addRow(headers);
  const file = path.join(t.dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('a loaded template', () => {
  it('wins over the built-in headers: its rows are copied and each line filled under the headers it has, by name', async () => {
    await month();
    const headers = ['凭证号', '凭证字', '日期', '科目代码', '摘要', '借方', '贷方', '结算方式', '制单', '会计期间'];
    t.dialogs.nextOpen = await templateFile('kis.xlsx', headers);
    // Only an admin loads one.
    expect(await refusal(t.call('clerk', 'vouchers.loadGlTemplate', { format: 'kingdee' }))).toMatchObject({ code: 'FORBIDDEN' });
    const loaded = await t.runJob('admin', 'vouchers.loadGlTemplate', { format: 'kingdee' });
    expect(loaded).toMatchObject({ fileName: 'kis.xlsx', headerRow: 3 });
    const r = await exportAs('kingdee');
    expect(r.template).toBe('kis.xlsx');
    const { rows } = await sheetOf(r.path);
    expect(rows[0]).toEqual(['金蝶KIS 凭证引入模板']);
    expect(rows[2]).toEqual(headers);
    const recs = records(rows, 3);
    expect(recs[0]).toEqual({
      凭证号: 1,
      凭证字: '记',
      日期: '2026-11-20',
      科目代码: '100201',
      摘要: '银行收款',
      借方: 1588.88,
      贷方: 0,
      结算方式: null,
      制单: 'clerk',
      会计期间: 11,
    });
    for (const [no, v] of perVoucher(recs, '凭证号', '借方', '贷方')) expect(v.d, `voucher ${no}`).toBe(v.c);
  });

  it('without a customer column is refused while 客户辅助核算 is on, and the status says so before anyone exports', async () => {
    await month();
    t.dialogs.nextOpen = await templateFile('plain.xlsx', ['日期', '凭证字', '凭证号', '摘要', '科目代码', '借方金额', '贷方金额']);
    await t.runJob('admin', 'vouchers.loadGlTemplate', { format: 'kingdee' });
    expect((await exportAs('kingdee')).template).toBe('plain.xlsx');
    await setting('gl.customerAux', true);
    const status = await t.call('auditor', 'vouchers.glStatus', { month: '2026-11' });
    expect(status.missingColumn).toEqual({ kingdee: '核算项目代码', yonyou: null });
    expect(await refusal(exportAs('kingdee', 'approver', true))).toMatchObject({
      code: 'REFUSED',
      reason: 'gl_template_column_missing',
      params: { format: '金蝶 Kingdee KIS', column: '核算项目代码' },
    });
    // Nothing was recorded for the refused export.
    expect(await firstValue(t.anyBooks, 'SELECT count(*) AS n FROM voucher_exports')).toBe(1);
  });

  it('is refused, naming the column, when it lacks one the import needs; an unreadable file is refused by code', async () => {
    t.dialogs.nextOpen = await templateFile('bad.xlsx', ['日期', '凭证字', '凭证号', '摘要', '借方金额', '贷方金额']);
    expect(await refusal(t.runJob('admin', 'vouchers.loadGlTemplate', { format: 'yonyou' }))).toMatchObject({
      code: 'VALIDATION',
      reason: 'gl_template_column_missing',
      params: { format: '用友 Yonyou', column: '科目编码' },
    });
    const junk = path.join(t.dir, 'junk.xlsx');
    fs.writeFileSync(junk, 'PK\x03\x04 not really a zip');
    t.dialogs.nextOpen = junk;
    expect(await refusal(t.runJob('admin', 'vouchers.loadGlTemplate', { format: 'kingdee' }))).toMatchObject({
      reason: 'gl_template_unreadable',
      params: { file: 'junk.xlsx' },
    });
    expect((await t.call('auditor', 'vouchers.glTemplates')).kingdee).toBeNull();
  });
});

describe('the rules alone', () => {
  it('finds the header row among title rows, and knows a header by its name', () => {
    const found = findHeaderRow([
      { line: 1, cells: ['用友凭证导入'] },
      { line: 2, cells: [' *制单日期 ', '凭证类别', '凭证编号', '摘要', '科目编码', '借方金额(本币)', '贷方金额（本币）'] },
    ]);
    expect(found?.line).toBe(2);
  });

  it('summarised vouchers balance and keep each subject and side on one line (property)', () => {
    const codes = ['100201', '224101', '2204', '660301'];
    const side = fc.record({
      d: fc.constantFrom(...codes),
      c: fc.constantFrom(...codes),
      amount: fc.integer({ min: 1, max: 1e9 }),
      customer: fc.option(fc.constantFrom('C1', 'C2', 'C3'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(side, { minLength: 1, maxLength: 60 }), (transfers) => {
        const sides: TransferSide[] = transfers.flatMap((x) => [
          {
            side: 'D' as const,
            code: x.d,
            name: x.d,
            amount: x.amount,
            customer: x.customer ? { code: x.customer, name: x.customer } : null,
          },
          { side: 'C' as const, code: x.c, name: x.c, amount: x.amount, customer: null },
        ]);
        const lines = summarise('摘要', sides);
        const totals = lineTotals(lines);
        const sum = transfers.reduce((s, x) => s + x.amount, 0);
        expect(totals).toEqual({ debit: sum, credit: sum });
        const keys = lines.map((l) => `${l.debit ? 'D' : 'C'}${l.code}${l.customer?.code ?? ''}`);
        expect(new Set(keys).size).toBe(keys.length);
        // Debits first.
        const firstCredit = lines.findIndex((l) => l.credit !== 0);
        expect(lines.slice(firstCredit).every((l) => l.debit === 0)).toBe(true);
      }),
    );
  });

  it('checks a mapping against the chart', () => {
    const chart: ChartSubject[] = [
      { code: '2204', name: '合同负债', type: 'liability', leaf: true },
      { code: '2203', name: '预收账款', type: 'liability', leaf: true },
    ];
    expect(() => checkSubjectMap([{ from: '2204', to: '2203' }], chart)).not.toThrow();
    expect(() => checkSubjectMap([{ from: '2204', to: '' }], chart)).toThrow(/2204/);
  });
});
