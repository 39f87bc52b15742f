// Every list to Excel and print through one exporter (issue 13 §2), and the header's search by number.
// Worked by hand: 客户1 asks 1,288.00 and 3,999.50, "=SUM(A1)" (a customer whose name is a formula) 168.50,
// 客户1 also 50.00. Filtered to 100.00 and more: three requests, 1,288.00 + 3,999.50 + 168.50 = 5,456.00.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffedApi, type TestApi } from '../support/temp-books';
import { payer, request, setUpBank, type Payer } from '../support/recharge-fixtures';
import { issuedInvoice } from '../support/invoice-fixtures';
import { collectListRows } from '../../main/api/list-export';
import { ADMINS, none, read } from '../../main/api/define';
import type { JobCtx } from '../../main/api/define';
import type { SearchHit } from '../../main/services/search';

let t: TestApi;
let one: Payer;
let formula: Payer;
const counterNos: string[] = [];

const columns = [
  { key: 'counterNo|requestId', title: '编号', kind: 'text' },
  { key: 'customerName', title: '客户', kind: 'text' },
  { key: 'amount', title: '申请金额', kind: 'money' },
  { key: 'status', title: '状态', kind: 'text', labels: { submitted: '待对账', matched: '已匹配' } },
];
const exportInput = (format: 'xlsx' | 'print', over: Record<string, unknown> = {}) => ({
  method: 'requests.list',
  filter: { minAmount: '10000', status: ['submitted'] },
  columns,
  title: '充值申请',
  filterText: '金额不少于 100.00 · 状态 待对账',
  lang: 'zh-CN',
  format,
  ...over,
});

beforeAll(async () => {
  t = await staffedApi();
  t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
  await setUpBank(t);
  one = await payer(t, 1);
  formula = await payer(t, 2, '=SUM(A1)');
  for (const [p, yuan] of [
    [one, '1288.00'],
    [one, '3999.50'],
    [formula, '168.50'],
    [one, '50.00'],
  ] as const) {
    const r = await request(t, p, yuan);
    counterNos.push(
      (t.books.raw.prepare('SELECT number FROM counter_numbers WHERE request_id = ?').get(r.request_id) as { number: string }).number,
    );
  }
});
afterAll(() => t.cleanup());

async function sheetOf(file: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.worksheets[0]!;
}

describe('the list exporter', () => {
  it('writes what is filtered: the filter above the table, amounts as yuan numbers with 2 decimals, a 合计 row', async () => {
    t.dialogs.nextSave = path.join(t.dir, 'requests.xlsx');
    const out = await t.runJob<{ path: string; rows: number; cut: boolean }>('auditor', 'lists.export', exportInput('xlsx'));
    expect(out).toMatchObject({ rows: 3, cut: false });
    const ws = await sheetOf(out.path);
    expect(ws.getCell('A1').value).toBe('充值申请');
    expect(ws.getCell('A2').value).toBe('筛选：金额不少于 100.00 · 状态 待对账  共 3 行');
    expect([1, 2, 3, 4].map((c) => ws.getRow(3).getCell(c).value)).toEqual(['编号', '客户', '申请金额', '状态']);
    // newest first, as the screen lists them
    const body = [4, 5, 6].map((r) => [1, 2, 3, 4].map((c) => ws.getRow(r).getCell(c).value));
    expect(body).toEqual([
      [counterNos[2], "'=SUM(A1)", 168.5, '待对账'],
      [counterNos[1], '客户1', 3999.5, '待对账'],
      [counterNos[0], '客户1', 1288, '待对账'],
    ]);
    expect(ws.getRow(4).getCell(3).numFmt).toBe('#,##0.00');
    expect(ws.getRow(7).getCell(1).value).toBe('合计');
    expect(ws.getRow(7).getCell(3).value).toBe(5456);
    expect(ws.getRow(7).getCell(3).numFmt).toBe('#,##0.00');
    expect(ws.rowCount).toBe(7);
  });

  it('prints the same list: title, filter, the rows, the 合计 and who printed it', async () => {
    t.dialogs.nextSave = path.join(t.dir, 'requests.html');
    const out = await t.runJob<{ path: string; format: string }>('clerk', 'lists.export', exportInput('print'));
    expect(out.format).toBe('html');
    const html = fs.readFileSync(out.path, 'utf8');
    expect(html).toContain('<h1>充值申请</h1>');
    expect(html).toContain('筛选：金额不少于 100.00 · 状态 待对账');
    expect(html).toMatch(/<tr class="total"><td>合计<\/td><td><\/td><td class="num">5,456.00<\/td>/);
    expect(html).toContain('=SUM(A1)'); // text on a page is text; only a workbook evaluates formulas
    expect(html).toContain('counter(page)');
    expect(html).toContain('打印人 Printed by clerk'); // the display name staff() gave
  });

  it('refuses a filter the list method would refuse, naming the field, and ignores paging keys', async () => {
    await expect(t.runJob('auditor', 'lists.export', exportInput('xlsx', { filter: { minAmount: '1.5' } }))).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { field: 'filter.minAmount' },
    });
    t.dialogs.nextSave = path.join(t.dir, 'all.xlsx');
    const all = await t.runJob<{ rows: number }>('auditor', 'lists.export', exportInput('xlsx', { filter: { limit: 1, beforeId: 2 } }));
    expect(all.rows).toBe(4);
  });

  it('refuses a list the caller’s role may not read, by that list’s own roles', async () => {
    const session = t.dispatcher.sessions.get('clerk');
    if (!('session' in session)) throw new Error('clerk is logged in');
    const ctx = { session: session.session } as unknown as JobCtx;
    const adminsOnly = { def: read({ input: none, roles: ADMINS, run: () => [] }), paging: 'whole' as const };
    await expect(collectListRows(ctx, 'staff.list', adminsOnly, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.runJob('nobody', 'lists.export', exportInput('xlsx'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('search by number', () => {
  const find = (text: string, as = 'auditor') => t.call<{ hits: SearchHit[] }>(as, 'search.find', { text }).then((r) => r.hits);

  it('finds a request by its counter number or its id, a receipt, a bank serial, an invoice and a voucher', async () => {
    const inv = await issuedInvoice(t, one, '300.00', 'SRCH0001');
    const rec = t.books.raw.prepare('SELECT id, request_id FROM recharge_records WHERE receipt_no = ?').get(inv.receiptNo) as {
      id: number;
      request_id: number;
    };
    expect(await find(counterNos[1]!.toLowerCase())).toEqual([
      { kind: 'request', id: expect.any(Number), number: counterNos[1], about: '客户1', amount: '399950' },
    ]);
    const byId = await find(inv.requestId);
    expect(byId.map((h) => [h.kind, h.id, h.amount])).toEqual([['request', rec.request_id, '30000']]);
    expect(await find(inv.receiptNo)).toEqual([{ kind: 'record', id: rec.id, number: inv.receiptNo, about: '客户1', amount: '30000' }]);

    const line = t.books.raw.prepare("SELECT id, statement_id, bank_ref FROM bank_lines WHERE memo = 'SRCH0001'").get() as {
      id: number;
      statement_id: number;
      bank_ref: string;
    };
    expect(await find(line.bank_ref)).toEqual([
      { kind: 'bankLine', id: line.id, statementId: line.statement_id, number: line.bank_ref, about: '', amount: '30000' },
    ]);
    expect(await find(inv.serial.toLowerCase())).toEqual([
      { kind: 'invoice', id: inv.invoiceId, number: inv.serial, about: '杭州某某科技有限公司', amount: '30000' },
    ]);
    const v = t.books.raw.prepare('SELECT id, word, period, number, summary FROM vouchers ORDER BY id LIMIT 1').get() as {
      id: number;
      word: string;
      period: string;
      number: number;
      summary: string;
    };
    const name = `${v.word}-${v.period}-${String(v.number).padStart(4, '0')}`;
    expect(await find(name, 'clerk')).toEqual([{ kind: 'voucher', id: v.id, number: name, about: v.summary, amount: null }]);
    expect(await find('NO-SUCH-NUMBER')).toEqual([]);
  });

  it('refuses what is not a number to look for, with a coded reason', async () => {
    await expect(find(' x ')).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'input_field', params: { field: 'text', cause: 'search_text_short' } },
    });
    await expect(t.call('auditor', 'search.find', { text: 'GT', extra: 1 })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'input_unknown_fields' },
    });
    await expect(t.call('nobody', 'search.find', { text: 'GT2026' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
