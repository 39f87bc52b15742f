// The workbooks invoices leave Coffer in, read back with exceljs: the tax bureau's batch-import
// workbook (sheet names, the three header rows, column order, text cells, values, lines linked by
// serial; refused with its problems rather than written wrong; a loaded official template filled),
// and the invoice register with its monthly summary and formula-like text neutralised.
import { openBooks } from '../../main/db/books';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { BASIC_HEADERS, DETAIL_HEADERS, SHEET_NAMES } from '../../main/formats/invoice-workbook';
import { exportInvoiceRegister } from '../../main/services/invoice-exports';
import { withBankDesk } from '../support/books-hooks';
import { issuedInvoice, numbered, redForm } from '../support/invoice-fixtures';
import { type Payer } from '../support/recharge-fixtures';
import { ON_POSTGRES, PASSWORD, type TestApi } from '../support/temp-books';
import { editOutside } from '../support/tamper';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

let t: TestApi;
let zhang: Payer;
withBankDesk({}, ['张伟'], (desk) => ([t, zhang] = desk));

async function load(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}
const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

describe('the batch-import workbook', () => {
  it('has the four sheets and hidden excelVersion, three header rows, exact columns, text cells, lines linked by serial', async () => {
    const a = await issuedInvoice(t, zhang, '1288.00', 'WBOOK001', {
      remarks: '11月充值',
      address: '杭州市西湖区',
      phone: '0571-88886666',
    });
    const b = await issuedInvoice(t, zhang, '50.00', 'WBOOK002', { taxpayerId: undefined, naturalPerson: true, buyerName: '张伟' });
    t.dialogs.nextSave = path.join(t.dir, 'invoices.xlsx');
    const r = await t.runJob('auditor', 'invoices.export', { from: '2026-11-01', to: '2026-11-30' });
    expect(r).toMatchObject({ invoices: 2, lines: 2, template: null });
    const wb = await load(r.path);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...SHEET_NAMES, 'excelVersion']);
    expect(wb.getWorksheet('excelVersion')!.state).toBe('hidden');
    expect(wb.getWorksheet('excelVersion')!.getCell('A4').value).toBe('pt:20260401');
    // The books' witness rides in the workbook's description, outside every sheet the bureau reads.
    expect(wb.description).toMatch(/^coffer-witness books=[0-9a-f]{32} seq=\d+ head=[0-9a-f]{64}$/);

    const s1 = wb.getWorksheet('1-发票基本信息')!;
    expect(String(s1.getCell('A1').value)).toMatch(/^填表说明/);
    expect(rowValues(s1, 2)[0]).toBe('必填\n(限20字符)');
    expect(rowValues(s1, 3)).toEqual([...BASIC_HEADERS]);
    expect(BASIC_HEADERS).toHaveLength(39);
    const col = (h: string) => BASIC_HEADERS.indexOf(h as (typeof BASIC_HEADERS)[number]) + 1;
    const r4 = s1.getRow(4);
    expect(r4.getCell(1).value).toBe(a.serial);
    expect(r4.getCell(col('发票类型')).value).toBe('普通发票');
    expect(r4.getCell(col('是否含税')).value).toBe('是');
    expect(r4.getCell(col('购买方名称')).value).toBe('杭州某某科技有限公司');
    expect(r4.getCell(col('购买方纳税人识别号')).value).toBe('91350100M000100Y43');
    expect(r4.getCell(col('备注')).value).toBe('11月充值');
    expect(r4.getCell(col('是否展示购买方地址电话银行账号')).value).toBe('是');
    expect(r4.getCell(col('购买方邮箱')).value).toBe('fp@example.com');
    const r5 = s1.getRow(5);
    expect([r5.getCell(1).value, r5.getCell(col('受票方自然人标识')).value, r5.getCell(col('购买方名称')).value]).toEqual([
      b.serial,
      '是',
      '张伟',
    ]);

    const s2 = wb.getWorksheet('2-发票明细信息')!;
    expect(rowValues(s2, 3)).toEqual([...DETAIL_HEADERS]);
    expect(rowValues(s2, 4).slice(0, 9)).toEqual([
      a.serial,
      '预付卡销售和充值',
      '6010000000000000000',
      undefined,
      undefined,
      undefined,
      undefined,
      '1288.00',
      '不征税',
    ]);
    expect(rowValues(s2, 5)[0]).toBe(b.serial);
    expect(rowValues(s2, 5)[7]).toBe('50.00');
    expect(rowValues(wb.getWorksheet('4-附加要素信息')!, 3)).toEqual(['发票流水号', '附加要素名称', '附加要素内容']);

    // Every written cell is text, formatted '@'.
    for (const ws of [s1, s2])
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(cell.numFmt).toBe('@');
        }),
      );
  });

  it('refuses with the list of problems instead of writing what the tax system would reject', async () => {
    await issuedInvoice(t, zhang, '10.00', 'WBOOK003');
    // A buyer name that slipped past (say, from an older Coffer): the export names it and writes nothing.
    await editOutside(t.anyBooks, 'invoices', "UPDATE invoices SET buyer_name = '=1+1' WHERE id = 1");
    const target = path.join(t.dir, 'refused.xlsx');
    t.dialogs.nextSave = target;
    await expect(t.runJob('auditor', 'invoices.export', {})).rejects.toThrow(
      /1 problem\(s\).*FP2026000001 购买方名称: begins like a spreadsheet formula/,
    );
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(t.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    // Refused before the save dialog: the user is not asked where to put a file that will not be written.
    expect(t.dialogs.asked).toEqual([]);
  });

  it('asks where to save only once the selection has passed', async () => {
    await issuedInvoice(t, zhang, '10.00', 'WBOOK004');
    await expect(t.runJob('auditor', 'invoices.export', { from: '2025-01-01', to: '2025-01-31' })).rejects.toThrow(
      /no blue invoices match/,
    );
    expect(t.dialogs.asked).toEqual([]);
    t.dialogs.nextSave = path.join(t.dir, 'passed.xlsx');
    await t.runJob('auditor', 'invoices.export', {});
    expect(t.dialogs.asked).toEqual(['save']);
    expect(fs.existsSync(path.join(t.dir, 'passed.xlsx'))).toBe(true);
  });

  it('fills a loaded official template: its rows 1–3, its column order, its version marker', async () => {
    const official = new ExcelJS.Workbook();
    for (const name of SHEET_NAMES) {
      const ws = official.addWorksheet(name);
      ws.addRow([`官方说明 ${name}`]);
      ws.addRow(['必填']);
    }
    // An older, shorter sheet 1 with its columns in another order.
    official.getWorksheet('1-发票基本信息')!.addRow(['发票流水号', '发票类型', '是否含税', '购买方名称', '购买方纳税人识别号', '备注']);
    official.getWorksheet('2-发票明细信息')!.addRow([...DETAIL_HEADERS]);
    official.getWorksheet('3-特定业务信息')!.addRow(['发票流水号']);
    official.getWorksheet('4-附加要素信息')!.addRow(['发票流水号', '附加要素名称', '附加要素内容']);
    official.addWorksheet('excelVersion', { state: 'hidden' }).getCell('A1').value = 'pt:20250101';
    const file = path.join(t.dir, 'official.xlsx');
    await official.xlsx.writeFile(file);
    t.dialogs.nextOpen = file;
    await expect(t.runJob('clerk', 'invoices.loadTemplate')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const loaded = await t.runJob('admin', 'invoices.loadTemplate');
    expect(loaded).toMatchObject({ version: 'pt:20250101', columns: 6 });

    const inv = await issuedInvoice(t, zhang, '66.00', 'WBOOK004');
    t.dialogs.nextSave = path.join(t.dir, 'filled.xlsx');
    const r = await t.runJob('auditor', 'invoices.export', { ids: [inv.invoiceId] });
    expect(r.template).toBe('official.xlsx');
    const wb = await load(r.path);
    const s1 = wb.getWorksheet('1-发票基本信息')!;
    expect(s1.getCell('A1').value).toBe('官方说明 1-发票基本信息');
    expect(rowValues(s1, 4)).toEqual([inv.serial, '普通发票', '是', '杭州某某科技有限公司', '91350100M000100Y43']);
    expect(wb.getWorksheet('excelVersion')!.getCell('A4').value).toBe('pt:20250101');

    const notTemplate = path.join(t.dir, 'not-template.xlsx');
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['x']);
    await other.xlsx.writeFile(notTemplate);
    t.dialogs.nextOpen = notTemplate;
    await expect(t.runJob('admin', 'invoices.loadTemplate')).rejects.toThrow(/no sheet "1-发票基本信息"/);
  });
});

describe('numbers back from the tax platform', () => {
  it('reads them from an .xlsx keyed by serial, wherever the header row is', async () => {
    const inv = await issuedInvoice(t, zhang, '20.00', 'NUMXLSX1');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('开票结果');
    ws.addRow(['批量开具结果']);
    ws.addRow(['序号', '发票流水号', '数电发票号码', '开票状态']);
    ws.addRow(['1', inv.serial, '25330000000000000042', '开具成功']);
    const file = path.join(t.dir, 'numbers.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    t.dialogs.nextOpen = file;
    expect(await t.runJob('clerk', 'invoices.importNumbers')).toMatchObject({ set: 1, refused: [] });
    const page = await t.call('auditor', 'invoices.get', { id: inv.invoiceId });
    // invoices.get's invoice row leaves the tax platform's number untyped in the contract: the field read here.
    expect((page.invoice as { taxNumber?: string }).taxNumber).toBe('25330000000000000042');
  });
});

describe('the invoice register', () => {
  it('lists blue and red invoices with red amounts negative, a monthly summary, and formula-like text neutralised', async () => {
    const a = await issuedInvoice(t, zhang, '100.00', 'REGIST01', { buyerName: '张伟的公司' });
    await numbered(t, a.serial);
    await t.call('approver', 'invoices.reverse', { id: a.invoiceId, amount: '2500', reason: '=部分退款', ...redForm() });
    t.dialogs.nextSave = path.join(t.dir, 'register.xlsx');
    const r = await t.runJob('auditor', 'invoices.exportRegister', {
      from: '2026-11-01',
    });
    expect(r).toMatchObject({ invoices: 2, months: 1 });
    const wb = await load(r.path);
    const reg = wb.worksheets[0]!;
    expect(rowValues(reg, 2).slice(0, 2)).toEqual(['FP2026000001', '蓝字']);
    expect(rowValues(reg, 2)[8]).toBe(100);
    expect(rowValues(reg, 2)[11]).toBe(25);
    expect(rowValues(reg, 2)[12]).toBe('部分红冲');
    expect(rowValues(reg, 3).slice(0, 3)).toEqual(['HZ2026000001', '红字', 'FP2026000001']);
    expect(rowValues(reg, 3)[8]).toBe(-25);
    expect(rowValues(reg, 3)[14]).toBe("'=部分退款");
    const month = wb.worksheets[1]!;
    expect(rowValues(month, 2)).toEqual(['2026-11', 1, 100, 0, 1, -25, 0, 75, 0]);
  });

  it('is written page by page, reporting progress and yielding between pages; a cancel leaves no file', async () => {
    const a = await issuedInvoice(t, zhang, '100.00', 'REGIST02');
    await issuedInvoice(t, zhang, '50.00', 'REGIST03');
    await numbered(t, a.serial);
    await t.call('approver', 'invoices.reverse', { id: a.invoiceId, amount: '1000', reason: '退款', ...redForm() });
    const seen: [number, number | null][] = [];
    let checkpoints = 0;
    const job = {
      progress: (done: number, total: number | null) => seen.push([done, total]),
      checkpoint: async () => {
        checkpoints++;
      },
    };
    const out = await exportInvoiceRegister(t.anyBooks, path.join(t.dir, 'paged.xlsx'), {}, job, 1);
    expect(out.invoices).toBe(3);
    expect(seen).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(checkpoints).toBe(3);
    const reg = (await load(out.path)).worksheets[0]!;
    expect([2, 3, 4].map((n) => rowValues(reg, n)[0])).toEqual(['FP2026000001', 'FP2026000002', 'HZ2026000001']);

    const target = path.join(t.dir, 'cancelled.xlsx');
    const cancelling = {
      progress() {},
      checkpoint: async () => {
        throw new Error('cancelled by the user');
      },
    };
    await expect(exportInvoiceRegister(t.anyBooks, target, {}, cancelling, 1)).rejects.toThrow(/cancelled/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(t.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});

// The CLI's --db takes the books file (no CLI bundle in the PostgreSQL pass).
describe.skipIf(ON_POSTGRES)('the command line', () => {
  it('exports the workbook and the register, takes numbers back, and reverses by serial', async () => {
    const inv = await issuedInvoice(t, zhang, '12.34', 'CLIEXP01');
    const db = t.books.path;
    await t.books.close();
    const xlsx = path.join(t.dir, 'cli.xlsx');
    const r = await coffer(
      [
        'export',
        'invoices',
        '--db',
        db,
        '--out',
        xlsx,
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-30',
        '--status',
        'issued',
        '--as',
        'auditor',
      ],
      `${PASSWORD}\n`,
    );
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/Wrote 1 invoices \(1 lines\)/);
    expect(r.stdout).toMatch(/Marked as export #1, SHA-256 [0-9a-f]{64}\./);
    // Without --as there is nobody to mark the export with.
    expect((await coffer(['export', 'invoices', '--db', db, '--out', xlsx, '--force'])).code).toBe(2);
    // The same invoice again is refused, named, unless --force (which also replaces the file).
    const again = await coffer(
      ['export', 'invoices', '--db', db, '--out', xlsx, '--force', '--as', 'auditor', '--ids', '1'],
      `${PASSWORD}\n`,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/forced\.\nExported again \(forced\): 1 — FP2026000001/);
    const refused = await coffer(
      ['export', 'invoices', '--db', db, '--out', path.join(t.dir, 'cli2.xlsx'), '--as', 'auditor'],
      `${PASSWORD}\n`,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/CONFLICT: 1 invoice\(s\) were exported before \(FP2026000001; export #2\)/);
    expect(fs.existsSync(path.join(t.dir, 'cli2.xlsx'))).toBe(false);
    expect((await load(xlsx)).getWorksheet('1-发票基本信息')!.getCell('A4').value).toBe(inv.serial);
    expect((await coffer(['export', 'invoices', '--db', db, '--out', xlsx, '--from', '11/01/2026'])).code).toBe(2);

    const numbers = path.join(t.dir, 'numbers.csv');
    fs.writeFileSync(numbers, `发票流水号,发票号码\n${inv.serial},25330000000000000077\n`);
    const n = await coffer(['import', 'invoice-numbers', '--db', db, '--as', 'clerk', numbers], `${PASSWORD}\n`);
    expect(n.stdout).toMatch(/Recorded 1 invoice numbers/);
    const red = await coffer(
      [
        'invoices',
        'reverse',
        '--db',
        db,
        '--as',
        'approver',
        '--serial',
        inv.serial,
        '--amount',
        '2.34',
        '--reason',
        '退款',
        '--confirmation',
        '44010025111000001234',
        '--category',
        '销售折让',
      ],
      `${PASSWORD}\n`,
    );
    expect(red.stdout).toMatch(/Reversed 2\.34 of FP2026000001 with red-letter invoice HZ2026000001/);

    const reg = path.join(t.dir, 'register.xlsx');
    const rr = await coffer(['export', 'invoice-register', '--db', db, '--out', reg]);
    // One monthly total per month the blue and the red invoice fall in (the red one is issued today).
    const issued = await openBooks(db, {});
    const months = (
      issued.raw
        .prepare("SELECT count(DISTINCT date(issued_at / 1000, 'unixepoch', '+8 hours', 'start of month')) AS n FROM invoices")
        .get() as { n: number }
    ).n;
    await issued.close();
    expect(rr.stdout).toMatch(new RegExp(`Wrote 2 invoices and ${months} monthly totals`));
  });
});
