// Every list to Excel and print through one exporter (issue 13 §2), and the header's search by number.
// Worked by hand: 客户1 asks 1,288.00 and 3,999.50, "=SUM(A1)" (a customer whose name is a formula) 168.50,
// 客户1 also 50.00. Filtered to 100.00 and more: three requests, 1,288.00 + 3,999.50 + 168.50 = 5,456.00.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankDesk } from '../support/desk';
import type { TestApi } from '../support/temp-books';
import { importStatement, line, payer, request, statement, type Payer } from '../support/recharge-fixtures';
import { issuedInvoice } from '../support/invoice-fixtures';
import { collectListRows } from '../../main/api/list-export';
import { listPrintSection, listTotals } from '../../main/formats/list-table';
import { ADMINS, none, read } from '../../main/api/define';
import type { JobCtx } from '../../main/api/define';
import type { MethodInput } from '../../main/api/contract';
import { AUDIT_ACTIONS } from '../../main/domain/audit-actions';
import { translate, type MessageKey } from '../../renderer/src/i18n';

let t: TestApi;
let one: Payer;
let formula: Payer;
const counterNos: string[] = [];
/** The first row of a query, on either engine's books. */
const row = <R>(u: TestApi, query: string, ...args: unknown[]) => u.anyBooks.sql(query).get(...args) as Promise<R>;

const columns: MethodInput<'lists.export'>['columns'] = [
  { key: 'counterNo|requestId', title: '编号', kind: 'text' },
  { key: 'customerName', title: '客户', kind: 'text' },
  { key: 'amount', title: '申请金额', kind: 'money' },
  { key: 'status', title: '状态', kind: 'text', labels: { submitted: '待对账', matched: '已匹配' } },
];
const exportInput = (format: 'xlsx' | 'print', over: Partial<MethodInput<'lists.export'>> = {}): MethodInput<'lists.export'> => ({
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
  [t, one, formula] = await bankDesk({}, '客户1', '=SUM(A1)');
  for (const [p, yuan] of [
    [one, '1288.00'],
    [one, '3999.50'],
    [formula, '168.50'],
    [one, '50.00'],
  ] as const) {
    const r = await request(t, p, yuan);
    counterNos.push((await row<{ number: string }>(t, 'SELECT number FROM counter_numbers WHERE request_id = ?', r.request_id)).number);
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
    const out = await t.runJob('auditor', 'lists.export', exportInput('xlsx'));
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
    const out = await t.runJob('clerk', 'lists.export', exportInput('print'));
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
    const all = await t.runJob('auditor', 'lists.export', exportInput('xlsx', { filter: { limit: 1, beforeId: 2 } }));
    expect(all.rows).toBe(4);
  });

  it('refuses a list the caller’s role may not read, by that list’s own roles', async () => {
    const session = await t.dispatcher.sessions.get('clerk');
    if (!('session' in session)) throw new Error('clerk is logged in');
    const ctx = { session: session.session } as unknown as JobCtx;
    const adminsOnly = { def: read({ input: none, roles: ADMINS, run: () => [] }), paging: 'whole' as const };
    await expect(collectListRows(ctx, t.anyBooks.reader, 'staff.list', adminsOnly, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.runJob('nobody', 'lists.export', exportInput('xlsx'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('search by number', () => {
  const find = (text: string, as = 'auditor') => t.call(as, 'search.find', { text }).then((r) => r.hits);

  it('finds a request by its counter number or its id, a receipt, a bank serial, an invoice and a voucher', async () => {
    const inv = await issuedInvoice(t, one, '300.00', 'SRCH0001');
    const rec = await row<{ id: number; request_id: number }>(
      t,
      'SELECT id, request_id FROM recharge_records WHERE receipt_no = ?',
      inv.receiptNo,
    );
    expect(await find(counterNos[1]!.toLowerCase())).toEqual([
      { kind: 'request', id: expect.any(Number), number: counterNos[1], about: '客户1', amount: '399950' },
    ]);
    const byId = await find(inv.requestId);
    expect(byId.map((h) => [h.kind, h.id, h.amount])).toEqual([['request', rec.request_id, '30000']]);
    expect(await find(inv.receiptNo)).toEqual([{ kind: 'record', id: rec.id, number: inv.receiptNo, about: '客户1', amount: '30000' }]);

    const line = await row<{ id: number; statement_id: number; bank_ref: string }>(
      t,
      "SELECT id, statement_id, bank_ref FROM bank_lines WHERE memo = 'SRCH0001'",
    );
    expect(await find(line.bank_ref)).toEqual([
      { kind: 'bankLine', id: line.id, statementId: line.statement_id, number: line.bank_ref, about: '', amount: '30000' },
    ]);
    expect(await find(inv.serial.toLowerCase())).toEqual([
      { kind: 'invoice', id: inv.invoiceId, number: inv.serial, about: '杭州某某科技有限公司', amount: '30000' },
    ]);
    const v = await row<{ id: number; word: string; period: string; number: number; summary: string }>(
      t,
      'SELECT id, word, period, number, summary FROM vouchers ORDER BY id LIMIT 1',
    );
    const name = `${v.word}-${v.period}-${String(v.number).padStart(4, '0')}`;
    expect(await find(name, 'clerk')).toEqual([{ kind: 'voucher', id: v.id, number: name, about: v.summary, amount: null }]);
    expect(await find('NO-SUCH-NUMBER')).toEqual([]);
  });

  it('refuses what is not a number to look for, with a coded reason', async () => {
    await expect(find(' x ')).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'input_field', params: { field: 'text', cause: 'search_text_short' } },
    });
    await expect(t.send('auditor', 'search.find', { text: 'GT', extra: 1 })).rejects.toMatchObject({
      code: 'VALIDATION',
      details: { reason: 'input_unknown_fields' },
    });
    await expect(t.call('nobody', 'search.find', { text: 'GT2026' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

// The other lists through the same exporter, over their own books. Worked by hand: a statement brings
// +2,000.00 (张三), +345.67 (李四) and −120.00; the 银行流水 合计 is 2,000.00 + 345.67 − 120.00 = 2,225.67 and
// what is left to match 2,000.00 + 345.67 = 2,345.67. On the CNY ledger those lines post 2,000.00, 345.67
// and 120.00: 合计 2,465.67. Two blue invoices of 300.00 and 168.50: 合计 468.50.
// Newest first: −120.00 leaves the bank for 待清理付款 (the suspense account, which the chart files under
// 122101: its subject wins over the screen's word for the code); +345.67 and +2,000.00 come in unallocated.
const BANK = '100201 招商银行 杭州分行 0101';
const ACCOUNT_ROWS_ZH = [
  ['122101 待清理付款', BANK],
  [BANK, '224101 未分配收款'],
  [BANK, '224101 未分配收款'],
];
const ACCOUNT_ROWS_EN = [
  ['122101 Payments to be explained', BANK],
  [BANK, '224101 Unallocated receipts'],
  [BANK, '224101 Unallocated receipts'],
];

describe('every list through the one exporter', () => {
  let u: TestApi;
  beforeAll(async () => {
    [u] = await bankDesk({});
  });
  afterAll(() => u.cleanup());

  const exported = async (file: string, input: Omit<MethodInput<'lists.export'>, 'format'>) => {
    u.dialogs.nextSave = path.join(u.dir, file);
    const out = await u.runJob('auditor', 'lists.export', { lang: 'zh-CN', format: 'xlsx', ...input });
    const ws = await sheetOf(out.path);
    const width = input.columns.length;
    const rows: unknown[][] = [];
    for (let r = 4; r <= ws.rowCount; r++) rows.push(Array.from({ length: width }, (_, c) => ws.getRow(r).getCell(c + 1).value));
    return { out, ws, rows };
  };

  it('银行流水: a statement’s lines with their state in words, 合计 of amounts and of what is left', async () => {
    const lines = [
      line('2026-11-18', '2000.00', { counterparty: { name: '张三', account: '6222000000000001' }, bank_ref: 'B-001' }),
      line('2026-11-18', '345.67', { counterparty: { name: '李四', account: null }, bank_ref: 'B-002' }),
      line('2026-11-19', '-120.00', { bank_ref: 'B-003' }),
    ];
    await importStatement(u, statement(lines));
    const sid = (await row<{ id: number }>(u, 'SELECT max(id) AS id FROM statements')).id;
    const { rows } = await exported('lines.xlsx', {
      method: 'statements.lines',
      filter: { statementId: sid },
      title: '银行流水',
      columns: [
        { key: 'bankRef', title: '银行流水号' },
        { key: 'amount', title: '金额', kind: 'money' },
        { key: 'remaining', title: '待匹配', kind: 'money' },
        { key: 'state', title: '状态', labels: { open: '未匹配', out: '付出' } },
      ],
    });
    expect(rows).toEqual([
      ['B-001', 2000, 2000, '未匹配'],
      ['B-002', 345.67, 345.67, '未匹配'],
      ['B-003', -120, null, '付出'],
      ['合计', 2225.67, 2345.67, null],
    ]);
  });

  it('分录流水: one ledger’s lines summed in yuan; across ledgers each amount in its own unit and no 合计', async () => {
    const { rows } = await exported('transfers.xlsx', {
      method: 'ledger.transfers',
      filter: { ledger: 1 },
      title: '分录流水',
      columns: [
        { key: 'businessDate', title: '记账日期' },
        { key: 'amount', title: '金额', kind: 'money' },
      ],
    });
    expect(rows).toEqual([
      ['2026-11-19', 120],
      ['2026-11-18', 345.67],
      ['2026-11-18', 2000],
      ['合计', 2465.67],
    ]);
    const mixed = await exported('transfers-all.xlsx', {
      method: 'ledger.transfers',
      title: '分录流水',
      columns: [
        { key: 'ledger', title: '账簿' },
        { key: 'amount', title: '金额', kind: 'minor' },
      ],
    });
    expect(mixed.rows.at(-1)).toEqual(['1', 2000]); // no 合计 row: amounts of different units are never added
  });

  it('分录流水: accounts as 科目编码 科目名称 in the file’s language, never the books’ internal codes', async () => {
    const columns: MethodInput<'lists.export'>['columns'] = [
      { key: 'debitAccountId', title: '借方科目', kind: 'account', labels: { suspense: '暂挂' } },
      { key: 'creditAccountId', title: '贷方科目', kind: 'account' },
      { key: 'amount', title: '金额', kind: 'money' },
    ];
    const { rows } = await exported('transfers-accounts.xlsx', {
      method: 'ledger.transfers',
      filter: { ledger: 1 },
      title: '分录流水',
      columns,
    });
    expect(rows.slice(0, 3).map((r) => r.slice(0, 2))).toEqual(ACCOUNT_ROWS_ZH);
    const en = await exported('transfers-accounts-en.xlsx', {
      method: 'ledger.transfers',
      filter: { ledger: 1 },
      title: 'Ledger lines',
      columns,
      lang: 'en',
    });
    expect(en.rows.slice(0, 3).map((r) => r.slice(0, 2))).toEqual(ACCOUNT_ROWS_EN);
    // An account without a subject (a coin ledger's) by the screen's word for its code, else by its name.
    const printed = listPrintSection({
      title: '分录流水',
      filterText: '',
      lang: 'zh-CN',
      columns: [{ key: 'debitAccountId', title: '借方', kind: 'account', labels: { coin_issuance: '发行币' } }],
      rows: [{ debitAccountId: 7 }, { debitAccountId: 8 }, { debitAccountId: 9 }],
      cut: false,
      names: {
        staff: new Map(),
        accounts: new Map([
          ['7', { code: 'coin_issuance', title: 'Coin issuance', subject: false }],
          ['8', { code: 'recharge_wallet', title: 'C-1 张三 充值账户', subject: false }],
        ]),
      },
    });
    expect(printed.body).toContain('<td>发行币</td>');
    expect(printed.body).toContain('<td>C-1 张三 充值账户</td>');
    expect(printed.body).toContain('<td>#9</td>');
  });

  it('试算平衡: the CNY ledger by 科目 with 科目名称, its 合计 balanced (worked by hand from the three lines above)', async () => {
    const { rows } = await exported('trial.xlsx', {
      method: 'ledger.trialBalanceLines',
      filter: { ledger: 1 },
      title: '试算平衡表',
      columns: [
        { key: 'code', title: '科目编码' },
        { key: 'name', title: '科目名称' },
        { key: 'debitsPosted', title: '借方已过账', kind: 'money' },
        { key: 'creditsPosted', title: '贷方已过账', kind: 'money' },
      ],
    });
    // 2,000.00 and 345.67 in: Dr bank / Cr 224101 未分配收款; 120.00 out: Dr 122101 待清理付款 / Cr bank.
    expect(rows).toEqual([
      ['100201', expect.any(String), 2345.67, 120],
      ['122101', '待清理付款', 120, 0],
      ['224101', '未分配收款', 0, 2345.67],
      ['合计', null, 2465.67, 2465.67],
    ]);
  });

  it('发票: the invoices listed with their 合计', async () => {
    const p = await payer(u, 7, '王五');
    await issuedInvoice(u, p, '300.00', 'LIST0001');
    await issuedInvoice(u, p, '168.50', 'LIST0002');
    const { rows } = await exported('invoices.xlsx', {
      method: 'invoices.list',
      title: '发票',
      columns: [
        { key: 'buyerName', title: '购买方' },
        { key: 'signedGross', title: '价税合计', kind: 'money' },
        { key: 'status', title: '状态', labels: { issued: '已开具' } },
      ],
    });
    expect(rows.map((r) => r.slice(1))).toEqual([
      [168.5, '已开具'],
      [300, '已开具'],
      [468.5, null],
    ]);
    expect(rows.at(-1)![0]).toBe('合计');
  });

  it('记账凭证: the 合计 leaves a voided voucher out', () => {
    const rows = [
      { name: '记-2026-11-0001', status: 'posted', debitTotal: '200000' },
      { name: '记-2026-11-0002', status: 'voided', debitTotal: '99999' },
      { name: '记-2026-11-0003', status: 'draft', debitTotal: '34567' },
    ];
    const columns = [
      { key: 'name', title: '凭证号', kind: 'text' as const },
      { key: 'debitTotal', title: '借方', kind: 'money' as const },
    ];
    expect(listTotals({ columns, rows, uncounted: { key: 'status', values: ['voided'] } })).toEqual([null, 234567n]);
    expect(listTotals({ columns, rows })).toEqual([null, 334566n]);
  });

  it('记账凭证, 客户, 审计日志: the rows the list reads, with names in words', async () => {
    const vouchers = await exported('vouchers.xlsx', {
      method: 'vouchers.list',
      filter: { period: '2026-11' },
      title: '记账凭证',
      columns: [
        { key: 'name', title: '凭证号' },
        { key: 'debitTotal', title: '借方合计', kind: 'money' },
      ],
      uncounted: { key: 'status', values: ['voided'] },
    });
    const vTotal = vouchers.rows.at(-1)!;
    expect(vTotal[0]).toBe('合计');
    // every voucher balances: its debit total is the sum of what the lines above posted on the CNY ledger
    const posted = await row<{ s: number }>(u, 'SELECT sum(amount) AS s FROM transfers WHERE ledger = 1 AND voucher_id IS NOT NULL');
    expect(vTotal[1]).toBe(posted.s / 100);

    const customers = await exported('customers.xlsx', {
      method: 'customers.search',
      filter: { text: '王五', sort: 'name' },
      title: '客户',
      columns: [
        { key: 'name', title: '名称' },
        { key: 'kind', title: '类型', labels: { person: '个人' } },
        { key: 'accounts', title: '账户数', kind: 'number' },
      ],
    });
    expect(customers.rows).toEqual([['王五', '个人', 1]]);

    // The screen sends the name of every action in the catalogue, as it shows them.
    const actionNames = Object.fromEntries(AUDIT_ACTIONS.map((a) => [a, translate('zh-CN', `auditAction.${a}` as MessageKey)]));
    expect(Object.keys(actionNames).length).toBeGreaterThan(100);
    const audit = await exported('audit.xlsx', {
      method: 'audit.list',
      filter: { action: 'customer.register' },
      title: '审计日志',
      columns: [
        { key: 'staffName', title: '操作员', kind: 'staff' },
        { key: 'action', title: '动作', labels: actionNames },
        { key: 'entity', title: '对象' },
      ],
    });
    expect(audit.rows).toEqual([['clerk', '客户注册', 'customer']]);
  });
});
