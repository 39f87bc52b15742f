// Old binary Excel (.xls): the committed workbooks written by an independent BIFF8 writer (xlwt, see
// scripts/make-xls-fixtures.py) read exactly like their CSV; the records xlwt never writes (strings
// split over CONTINUE with a width change, rich/phonetic runs, cached formula results, the mini
// stream) are built here and read into the same cell grid.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLayout, readStatements, type Statement, DEFAULT_LIMITS } from '../../main/formats/statements';
import { isDateFormat, readXls } from '../../main/formats/statements/xls';
import * as X from '../support/xls-build';

const FIX = join(import.meta.dirname, '../fixtures/statements');
const read = (rel: string) => readStatements(readFileSync(join(FIX, rel)), { fileName: rel });
const asCsv = (ss: Statement[]) => ss.map((s) => ({ ...s, format: 'csv' }));

describe('.xls written by xlwt', () => {
  it('ICBC: date cells in 年月日 format, signed number and text amounts, account text — the same statement as the CSV', async () => {
    const xls = await read('xls/icbc.xls');
    expect(xls[0]).toMatchObject({ format: 'xls', profile: 'icbc', account: '1202020309900012345' });
    expect(asCsv(xls)).toEqual(await read('cn/icbc.utf8.csv'));
    expect(xls[0]?.lines[6]).toMatchObject({ amount: '500.00', reversal: true, booked: '2024-03-04' });
    expect(xls[0]?.lines[7]?.amount).toBe('1000000.00');
  });

  it('CCB: counterparty name and account in one cell, thousands-formatted numbers', async () => {
    const xls = await read('xls/ccb.xls');
    expect(asCsv(xls)).toEqual(await read('cn/ccb.gbk.csv'));
    expect(xls[0]?.lines[1]).toMatchObject({ amount: '1888.00', counterparty: { name: '李四', account: '6217001234567890123' } });
  });

  it('corporate: 1904 dates, time cells, a cover sheet, 130 lines with the shared strings over a CONTINUE record', async () => {
    const [s, ...rest] = await read('xls/corporate.xls');
    const [csv] = await read('cn/corporate.utf8.csv');
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ format: 'xls', profile: 'corporate', account: '1001010109000012345', opening: csv?.opening });
    expect(s?.lines.slice(0, 10)).toEqual(csv?.lines);
    expect(s?.lines).toHaveLength(130);
    expect(s?.lines.at(-1)).toMatchObject({
      booked: '2024-03-12',
      time: '11:12:23',
      amount: '933.19',
      bank_ref: 'SN20240310000119',
      counterparty: { name: '客户119号贸易有限公司', account: '6222021000000000119' },
      memo: '汇入汇款 | 充值 | CZ000119 第119笔充值 备注说明文字',
    });
    expect(s?.continuity).toMatchObject({ ok: true, checked: true });
  });

  it('previews the layout past the cover sheet', async () => {
    const p = await detectLayout(readFileSync(join(FIX, 'xls/corporate.xls')), '明细.xls');
    expect(p).toMatchObject({ format: 'xls', encoding: null, sheet: '明细', headerRow: 7, suggestedProfile: 'corporate' });
    expect(p.sampleRows[0]?.slice(0, 5)).toEqual(['2024-03-01', '09:01:02', '', '5000', '1005000']);
    expect(p.profiles.find((x) => x.id === 'corporate')).toMatchObject({ fits: true, missing: [] });
  });
});

describe('BIFF8 records', () => {
  const sheet = (records: Buffer[], globals: Buffer[] = []) => readXls(X.xlsOf(records, globals), DEFAULT_LIMITS).sheets[0]?.rows;

  it('reads split, rich and phonetic shared strings, every cell kind and date formats into one grid', () => {
    // string 0: 8 characters, 5 compressed in the SST record and 3 as UTF-16 in the CONTINUE;
    // string 1: rich text (2 runs) with a phonetic block, split inside its runs
    const s0 = Buffer.concat([X.u16(8), Buffer.from([0]), Buffer.from('ABCDE', 'latin1')]);
    const cont1 = Buffer.concat([Buffer.from([1]), Buffer.from('对方户', 'utf16le')]);
    const s1head = Buffer.concat([X.u16(2), Buffer.from([0x0d]), X.u16(2), X.u32(6), Buffer.from('金额', 'utf16le'), Buffer.alloc(5)]);
    const cont2 = Buffer.concat([Buffer.alloc(3), Buffer.alloc(6), X.str16('余额')]);
    const sstBody = Buffer.concat([X.u32(3), X.u32(3), s0]);
    const globals = [
      X.sstParts([sstBody, Buffer.concat([cont1, s1head]), cont2]),
      X.format(164, 'yyyy"年"m"月"d"日"'),
      X.format(165, '#,##0.00"元"'),
      ...[0, 14, 164, 165, 21].map(X.xf),
    ];
    const rows = sheet(
      [
        X.labelSst(0, 0, 0),
        X.labelSst(0, 1, 1),
        X.labelSst(0, 2, 2),
        X.label(0, 4, '备注'),
        X.rk(1, 0, X.rkInt(128850, true), 3),
        X.number(1, 1, 45352, 1),
        X.number(1, 2, 45352.5, 2),
        X.rk(1, 3, X.rkInt(-7)),
        X.mulrk(2, 0, [
          { xf: 0, rk: X.rkInt(5, true) },
          { xf: 0, rk: X.rkInt(-100050, true) },
          { xf: 4, rk: 0x3fe00000 }, // the double 0.5 as a time of day
        ]),
        X.formula(3, 0, 1288.5),
        X.formula(3, 1, { str: true }),
        X.stringRec('张三/6222021001234567890'),
        X.formula(3, 2, { bool: true }),
        X.formula(3, 3, { err: 0x2a }),
        X.formula(3, 4, { empty: true }),
        X.boolerr(4, 0, 0, false),
        X.boolerr(4, 1, 0x07, true),
        X.number(5, 255, 1),
      ],
      globals,
    );
    expect(rows).toEqual([
      { line: 1, cells: ['ABCDE对方户', '金额', '余额', '', '备注'] },
      { line: 2, cells: ['1288.5', '2024-03-01', '2024-03-01 12:00:00', '-7'] },
      { line: 3, cells: ['0.05', '-1000.5', '12:00:00'] },
      { line: 4, cells: ['1288.5', '张三/6222021001234567890', 'TRUE', '#N/A', ''] },
      { line: 5, cells: ['FALSE', '#DIV/0!'] },
      { line: 6, cells: [...Array<string>(255).fill(''), '1'] },
    ]);
  });

  it('the 1904 date system', () => {
    const rows = readXls(X.xlsOf([X.number(0, 0, 43890, 1)], [X.datemode(true), X.xf(0), X.xf(14)]), DEFAULT_LIMITS).sheets[0]?.rows;
    expect(rows?.[0]?.cells).toEqual(['2024-03-01']);
  });

  it('a workbook small enough for the mini stream, with a chart sheet and an embedded chart skipped', () => {
    const chart = [X.bof('sheet'), X.label(0, 0, 'in the chart'), X.eof()];
    const wb = X.workbook(
      [],
      [
        { name: 'Chart1', records: [], kind: 2 },
        { name: '明细', records: [X.label(0, 0, '交易日期'), ...chart, X.label(1, 0, '2024-03-01')] },
      ],
    );
    expect(wb.length).toBeLessThan(4096);
    const { sheets } = readXls(X.cfb([{ name: 'Workbook', data: wb }]), DEFAULT_LIMITS);
    expect(sheets).toEqual([
      {
        name: '明细',
        rows: [
          { line: 1, cells: ['交易日期'] },
          { line: 2, cells: ['2024-03-01'] },
        ],
      },
    ]);
  });

  it('knows date formats from number formats', () => {
    for (const f of ['yyyy"年"m"月"d"日"', '[$-804]yyyy年m月d日', 'yyyy/mm/dd hh:mm:ss', 'm/d/yy', '[h]:mm:ss', 'yyyy"年"m"月"'])
      expect(isDateFormat(f), f).toBe(true);
    for (const f of [
      '#,##0.00',
      '"¥"#,##0.00',
      '0.00"元"',
      '[Red]#,##0.00;-#,##0.00',
      'General',
      '@',
      '0.00E+00',
      '#,##0.00_);[Red](#,##0.00)',
    ])
      expect(isDateFormat(f), f).toBe(false);
  });

  it('refuses a float amount that is not a whole number of fen, as for XLSX', async () => {
    const xls = X.xlsOf([
      X.label(0, 0, '交易日期'),
      X.label(0, 1, '借方发生额'),
      X.label(0, 2, '贷方发生额'),
      X.label(0, 3, '余额'),
      X.label(0, 4, '交易流水号'),
      X.label(1, 0, '2024-03-01'),
      X.number(1, 2, 0.1 + 0.2),
      X.number(1, 3, 100),
      X.label(1, 4, 'SN1'),
    ]);
    await expect(readStatements(xls, { fileName: 'f.xls' })).rejects.toMatchObject({ code: 'bad_amount', line: 2, field: '贷方发生额' });
  });

  it('money: any amount of fen written as a NUMBER or an RK cell reads back as its exact decimal (property)', async () => {
    const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.trunc(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ fen: fc.integer({ min: -(2 ** 29), max: 2 ** 29 - 1 }).filter((n) => n !== 0), as: fc.constant('rk' as const) }),
            fc.record({ fen: fc.integer({ min: -1e13, max: 1e13 }).filter((n) => n !== 0), as: fc.constant('number' as const) }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        async (cells) => {
          const records = [X.label(0, 0, '交易日期'), X.label(0, 1, '交易金额'), X.label(0, 2, '交易流水号')];
          cells.forEach((c, i) => {
            records.push(X.label(i + 1, 0, '2024-03-01'), X.label(i + 1, 2, `SN${i}`));
            records.push(c.as === 'rk' ? X.rk(i + 1, 1, X.rkInt(c.fen, true)) : X.number(i + 1, 1, c.fen / 100));
          });
          const [s] = await readStatements(X.xlsOf(records), {
            fileName: 'p.xls',
            mapping: { date: '交易日期', amount: { kind: 'signed', amount: '交易金额' }, bankRef: '交易流水号' },
          });
          expect(s?.lines.map((l) => l.amount)).toEqual(cells.map((c) => yuan(c.fen)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
