// Invoice fixes (issue 12 §5 and §1's fourth bullet), figures worked out by hand:
// - the batch-import export leaves out a blue invoice reversed in full (listed as skipped, with why),
//   marks what it wrote (export id, invoices, the file's SHA-256, who, when), refuses a second export of
//   the same invoices naming them unless forced, and records the forced one;
// - a red-letter invoice needs the blue invoice's 20-digit number and a 红字确认单 (number, category, the
//   buyer's confirmation for a 专票), refused with a code otherwise and writing nothing;
// - an organisation buyer needs its taxpayer id on a 普票; 是否展示购买方地址电话银行账号 is 否 when not asked;
//   invoiceable money is money received (a short write-off);
// - a taxable product posts output VAT at invoice (Dr 2204 / Cr 222101), a red-letter invoice the reverse,
//   不征税 nothing; taxedAtInvoice and vatByMonth; the prepayments tie; verify clean.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { withBankDesk } from '../support/books-hooks';
import { APPROVER2_IN } from '../support/desk';
import { withOutcome } from '../support/outcome';
import { BASIC_HEADERS } from '../../main/formats/invoice-workbook';
import { taxedAtInvoice, vatByMonth } from '../../main/services/invoice-vat';
import { customerPrepaymentsExpected } from '../../main/services/ties';
import { verifyBooks } from '../../main/services/verify';
import * as fx from '../support/invoice-fixtures';
import { importStatement, line, request, statement, writeOff, type Payer } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';
import { firstValue, PASSWORD, type TestApi } from '../support/temp-books';

let t: TestApi;
let zhang: Payer;
withBankDesk({ staff: [APPROVER2_IN] }, ['张伟'], (desk) => ([t, zhang] = desk));

type Refusal = { code: string; reason?: string; params?: Record<string, string>; field?: string; details: Record<string, unknown> };
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { code: string; details: Record<string, unknown> }) =>
      ({
        code: e.code,
        reason: e.details.reason,
        params: e.details.params,
        field: e.details.field,
        details: e.details,
      }) as Refusal,
  );
const one = async <T>(sql: string, ...args: unknown[]) => (await t.anyBooks.sql(sql).get(...args)) as T;
const count = (table: string) => firstValue(t.anyBooks, `SELECT count(*) AS n FROM ${table}`);
/** Counts of every table an action could write: a refusal must leave all of them as they were. */
async function footprint() {
  const counts: Record<string, number> = {};
  for (const x of [
    'invoices',
    'invoice_lines',
    'invoice_sources',
    'transfers',
    'vouchers',
    'audit',
    'invoice_exports',
    'invoice_export_items',
  ])
    counts[x] = await count(x);
  return counts;
}
const balance = (code: string) =>
  firstValue(
    t.anyBooks,
    'SELECT credits_posted - debits_posted AS b FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL',
    code,
  );
const verifyClean = async () => expect((await verifyBooks(t.anyBooks)).findings).toEqual([]);

async function exportJob(input: Record<string, unknown>, file: string, as = 'auditor') {
  t.dialogs.nextSave = path.join(t.dir, file);
  return t.runJob(as, 'invoices.export', input);
}

/** invoice.product set to a 6 % service (信息技术服务), confirmed by a second admin. */
async function sixPercentProduct() {
  await addStaff(t.call, { username: 'admin2', displayName: '管理员二', role: 'admin' });
  await t.call('admin2', 'session.login', { username: 'admin2', password: PASSWORD });
  await fx.taxableProduct(t);
}

describe('the batch-import export: skipped, marked, refused the second time unless forced', () => {
  it('skips a fully reversed blue invoice with why, marks the export, refuses it again naming the invoices, records a forced one', async () => {
    const a = await fx.issuedInvoice(t, zhang, '100.00', 'EXPMARK1');
    const b = await fx.issuedInvoice(t, zhang, '50.00', 'EXPMARK2');
    const c = await fx.issuedInvoice(t, zhang, '30.00', 'EXPMARK3');
    await fx.numbered(t, c.serial);
    await t.call('approver', 'invoices.reverse', { id: c.invoiceId, reason: '客户退款', ...fx.redForm() });

    const first = await exportJob({}, 'first.xlsx');
    expect(first).toMatchObject({ invoices: 2, exportId: 1, forced: false, againCount: 0, skippedCount: 1 });
    expect(first.skipped).toEqual([
      expect.objectContaining({
        serial: c.serial,
        code: 'export_skip_reversed',
        message: `${c.serial} is reversed in full by red-letter invoices: not exported`,
      }),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(first.path);
    const s1 = wb.getWorksheet('1-发票基本信息')!;
    expect([s1.getCell('A4').value, s1.getCell('A5').value, s1.getCell('A6').value]).toEqual([a.serial, b.serial, null]);
    // The mark: export id, the invoices, the file's SHA-256, by whom, when.
    const sha = crypto.createHash('sha256').update(fs.readFileSync(first.path)).digest('hex');
    expect(first.sha256).toBe(sha);
    expect(
      await one(
        'SELECT e.file_name, e.sha256, e.invoices, e.again, e.skipped, e.forced, s.username, e.exported_at FROM invoice_exports e JOIN staff s ON s.id = e.exported_by',
      ),
    ).toEqual({
      file_name: 'first.xlsx',
      sha256: sha,
      invoices: 2,
      again: 0,
      skipped: 1,
      forced: 0,
      username: 'auditor',
      exported_at: t.clock.now,
    });
    expect(await t.anyBooks.sql('SELECT export_id, invoice_id, again FROM invoice_export_items ORDER BY id').all()).toEqual([
      { export_id: 1, invoice_id: a.invoiceId, again: 0 },
      { export_id: 1, invoice_id: b.invoiceId, again: 0 },
    ]);

    // The same invoices again: refused, named, nothing written and nothing asked.
    const d = await fx.issuedInvoice(t, zhang, '20.00', 'EXPMARK4');
    const before = await footprint();
    t.dialogs.asked.length = 0;
    t.dialogs.nextSave = path.join(t.dir, 'second.xlsx');
    const r = await refusal(t.runJob('auditor', 'invoices.export', {}));
    expect(r).toMatchObject({
      code: 'CONFLICT',
      reason: 'invoices_already_exported',
      params: { count: '2', serials: `${a.serial}, ${b.serial}`, exports: '#1' },
      field: 'force',
    });
    expect((r!.details.invoices as { serial: string; exportId: number }[]).map((x) => [x.serial, x.exportId])).toEqual([
      [a.serial, 1],
      [b.serial, 1],
    ]);
    expect(t.dialogs.asked).toEqual([]);
    expect(fs.existsSync(path.join(t.dir, 'second.xlsx'))).toBe(false);
    expect(await footprint()).toEqual(before);

    // Only the new one exports without force; forced, the old ones go again and are recorded so.
    expect(await exportJob({ ids: [d.invoiceId] }, 'third.xlsx')).toMatchObject({ invoices: 1, exportId: 2, againCount: 0 });
    const forced = await exportJob({ force: true }, 'forced.xlsx', 'clerk');
    expect(forced).toMatchObject({ invoices: 3, exportId: 3, forced: true, againCount: 3 });
    expect(forced.again.map((x) => x.serial)).toEqual([a.serial, b.serial, d.serial]);
    expect(await one('SELECT invoices, again, forced FROM invoice_exports WHERE id = 3')).toEqual({ invoices: 3, again: 3, forced: 1 });
    expect(
      await firstValue<string>(t.anyBooks, "SELECT after_json FROM audit WHERE action = 'invoice.export' ORDER BY id DESC LIMIT 1"),
    ).toMatch(/"forced":true/);
    // Asking for the reversed status by name exports the reversed one too.
    expect(await exportJob({ status: ['reversed'] }, 'reversed.xlsx')).toMatchObject({ invoices: 1, skippedCount: 0 });
    await verifyClean();
  });

  it('refuses to export from books opened read-only: nothing could be marked', async () => {
    await fx.issuedInvoice(t, zhang, '10.00', 'EXPREAD1');
    // The books as the CLI names them: the file, or the URL (the test database's has no password to hide).
    const ro = await (await import('../../main/cli/open')).offlineReader(t.anyBooks.path);
    try {
      ro.out = path.join(t.dir, 'ro.xlsx');
      await expect(ro.job('invoices.export', {})).rejects.toMatchObject({
        body: { code: 'FORBIDDEN', details: { reason: 'invoice_export_read_only' } },
      });
      expect(fs.existsSync(ro.out)).toBe(false);
    } finally {
      await ro.close();
    }
  });

  it('writes 是否展示购买方地址电话银行账号 as 否 when the buyer asked for none, 是 when they gave them', async () => {
    await fx.issuedInvoice(t, zhang, '10.00', 'SHOWBNK1');
    await fx.issuedInvoice(t, zhang, '10.00', 'SHOWBNK2', {
      address: '杭州市西湖区',
      bankName: '招商银行',
      bankAccount: '6225880012345678',
    });
    const out = await exportJob({}, 'show.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out.path);
    const col = BASIC_HEADERS.indexOf('是否展示购买方地址电话银行账号') + 1;
    const s1 = wb.getWorksheet('1-发票基本信息')!;
    expect([s1.getRow(4).getCell(col).value, s1.getRow(5).getCell(col).value]).toEqual(['否', '是']);
  });
});

describe('a red-letter invoice needs the blue number and a 红字确认单', () => {
  it('refuses with a code naming what is missing, writing nothing; issued, it carries the form into the list, page and register', async () => {
    const blue = await fx.issuedInvoice(t, zhang, '100.00', 'REDFORM1');
    const reverse = (over: Record<string, unknown>) =>
      refusal(t.call('approver', 'invoices.reverse', { id: blue.invoiceId, reason: '退款', ...over }));
    const before = await footprint();
    // The blue invoice has no 20-digit number yet: REFUSED, whatever the form says.
    expect(await reverse(fx.redForm())).toMatchObject({ code: 'REFUSED', reason: 'red_blue_no_number', params: { serial: blue.serial } });
    const number = await fx.numbered(t, blue.serial);
    const numberedFootprint = await footprint();
    // A form short of a field, or with one that is not well formed, each refused by its reason.
    for (const [form, refused] of [
      [{ category: '销货退回' }, { reason: 'red_confirmation_no_required', field: 'confirmationNo' }],
      [{ confirmationNo: 'HZ 12/3', category: '销货退回' }, { reason: 'red_confirmation_no_invalid' }],
      [{ confirmationNo: '44010025111000000001' }, { reason: 'red_category_required', field: 'category' }],
    ] as const)
      expect(await reverse(form), JSON.stringify(form)).toMatchObject({ code: 'VALIDATION', ...refused });
    // Not one of the four categories: the schema names the field.
    expect(await reverse({ confirmationNo: '44010025111000000001', category: '其他' })).toMatchObject({
      code: 'VALIDATION',
      details: { issues: [expect.objectContaining({ field: 'category' })] },
    });
    expect(await footprint()).toEqual(numberedFootprint);
    expect(numberedFootprint.invoices).toBe(before.invoices);

    const red = await t.call('approver', 'invoices.reverse', {
      id: blue.invoiceId,
      amount: '4000',
      reason: '客户退回 40 元',
      confirmationNo: '44010025111000000001',
      category: '销售折让',
    });
    expect(red).toMatchObject({ gross: '4000', confirmationNo: '44010025111000000001', category: '销售折让', blueNumber: number });
    // The same form twice: CONFLICT naming the red invoice that used it.
    expect(await reverse({ confirmationNo: '44010025111000000001', category: '销货退回' })).toMatchObject({
      code: 'CONFLICT',
      reason: 'red_confirmation_used',
      params: { number: '44010025111000000001', serial: red.serial },
    });

    const list = await t.call('auditor', 'invoices.list', { kind: 'red' });
    expect(list.rows).toEqual([
      expect.objectContaining({
        serial: red.serial,
        originalSerial: blue.serial,
        blueNumber: number,
        confirmationNo: '44010025111000000001',
        redCategory: '销售折让',
      }),
    ]);
    const page = await t.call('auditor', 'invoices.get', {
      id: blue.invoiceId,
    });
    expect(page.reversals[0]).toMatchObject({ confirmationNo: '44010025111000000001', redCategory: '销售折让' });
    t.dialogs.nextSave = path.join(t.dir, 'register.xlsx');
    const reg = await t.runJob('auditor', 'invoices.exportRegister', {});
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(reg.path);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as string[]).slice(1);
    const redRow = (ws.getRow(3).values as unknown[]).slice(1);
    expect(redRow[header.indexOf('蓝字发票号码 Blue number')]).toBe(number);
    expect(redRow[header.indexOf('红字确认单 Confirmation')]).toBe('44010025111000000001');
    expect(redRow[header.indexOf('红冲原因类别 Category')]).toBe('销售折让');
    await verifyClean();
  });

  it('a 专票 is reversed only once the buyer has confirmed the form, not on a day after today', async () => {
    await sixPercentProduct();
    const blue = await fx.issuedInvoice(t, zhang, '212.00', 'REDSPEC1', { invoiceType: 'special' });
    await fx.numbered(t, blue.serial);
    const before = await footprint();
    const reverse = (over: Record<string, unknown>) =>
      refusal(
        t.call('approver', 'invoices.reverse', {
          id: blue.invoiceId,
          reason: '服务中止',
          ...fx.redForm({ category: '服务中止' }),
          ...over,
        }),
      );
    expect(await reverse({})).toMatchObject({ code: 'VALIDATION', reason: 'red_buyer_confirmation_required', field: 'buyerConfirmed' });
    expect(await reverse({ buyerConfirmed: true, buyerConfirmedOn: '2026-11-21' })).toMatchObject({
      code: 'VALIDATION',
      reason: 'red_buyer_confirmed_date',
      params: { date: '2026-11-21', today: '2026-11-20' },
    });
    expect(await footprint()).toEqual(before);
    expect(await reverse({ buyerConfirmed: true, buyerConfirmedOn: '2026-11-19' })).toBeNull();
    expect(await one('SELECT buyer_confirmed_on, red_category FROM invoices WHERE kind = ?', 'red')).toEqual({
      buyer_confirmed_on: '2026-11-19',
      red_category: '服务中止',
    });
    await verifyClean();
  });
});

describe('the check: organisations, and money received', () => {
  it('an organisation buyer (by name, by a credit code, a company customer) needs its taxpayer id on a 普票; a person does not', async () => {
    const rec = await fx.credited(t, zhang, '300.00', 'ORGCHK01');
    const checkOne = async (over: Record<string, unknown>) => {
      const r = await fx.ask(t, zhang.customerId, [rec.recordId], { taxpayerId: undefined, ...over });
      const [c] = await fx.check(t, [r.id]);
      return c!.outcome === 'rejected' ? c!.problems!.map((p) => [p.field, p.code]) : c!.outcome;
    };
    for (const name of [
      '杭州某某科技有限公司',
      '浙江某某集团',
      '西湖区社区服务中心',
      '某某律师事务所',
      '某某农民专业合作社',
      '杭州市某某学校',
      '某某医院',
      'Acme Co., Ltd.',
    ])
      expect(await checkOne({ buyerName: name }), name).toEqual([['taxpayerId', 'taxpayer_id_required_org']]);
    // A company customer invoicing under its own name; a customer whose id number is a credit code.
    const company = await t.call('clerk', 'customers.register', { kind: 'company', name: '西湖数码' });
    expect(
      await import('../../main/domain/invoice-buyer').then((m) =>
        m.isOrganisationBuyer('西湖数码', { customerKind: 'company', customerName: '西湖数码' }),
      ),
    ).toBe(true);
    expect(company.id).toBeGreaterThan(0);
    const { isOrganisationBuyer } = await import('../../main/domain/invoice-buyer');
    expect(isOrganisationBuyer('西湖数码', { customerIdNumber: '91350100M000100Y43' })).toBe(true);
    // A resident identity number is a person's even where it passes as a credit code.
    expect(isOrganisationBuyer('张伟', { customerIdNumber: '11010519491231002X' })).toBe(false);
    expect(isOrganisationBuyer('张伟', { customerKind: 'person' })).toBe(false);
    // A person: no taxpayer id needed on a 普票; a company with its id passes.
    const released = await t.call('auditor', 'invoices.requests', { status: ['checked'] });
    expect(released.rows).toEqual([]);
    expect(await checkOne({ buyerName: '张伟', naturalPerson: true })).toBe('checked');
  });

  it('invoices money received: a short write-off leaves 645.00 invoiceable of a 648.00 request, and an invoice of it is 645.00', async () => {
    const r = await request(t, zhang, '648.00', 'SHORTINV');
    await importStatement(t, statement([line('2026-11-20', '645.00', { memo: 'SHORTINV', bank_ref: 'IN-SHORT' })]));
    const lineId = await firstValue(t.anyBooks, 'SELECT id FROM bank_lines WHERE bank_ref = ?', 'IN-SHORT');
    await t.call('clerk', 'reconcile.match', { lineId, requestId: r.id, amount: '64500' });
    await writeOff(t, { requestId: r.id, amount: '300', kind: 'short', reason: '客户少付 3 元' });
    const seen = await t.call('auditor', 'requests.get', { id: r.id });
    await t.call('approver2', 'approvals.approve', { items: [{ id: r.id, version: seen.request.version }] });
    const rec = await one<{ id: number; amount: number; requested: number }>('SELECT id, amount, requested FROM recharge_records');
    expect(rec).toMatchObject({ amount: 64_500, requested: 64_800 });
    const summary = await t.call('auditor', 'invoices.customerSummary', {
      customerId: zhang.customerId,
    });
    expect(summary.totals).toMatchObject({ paid: '64500', invoiceable: '64500' });
    // Asking for the requested 648.00 is refused: only 645.00 was received.
    const greedy = await fx.ask(t, zhang.customerId, [rec.id], { amount: '648.00' });
    expect(withOutcome((await fx.check(t, [greedy.id]))[0], 'rejected').problems[0]).toMatchObject({
      code: 'invoice_amount_over',
      params: { askedFen: '64800', leftFen: '64500' },
    });
    const all = await fx.ask(t, zhang.customerId, [rec.id]);
    expect((await fx.check(t, [all.id]))[0]).toMatchObject({ outcome: 'checked', amount: '64500' });
    const [issued] = await fx.issue(t, [all.id]);
    expect(issued).toMatchObject({ outcome: 'issued', gross: '64500' });
    await verifyClean();
  });
});

describe('output VAT at invoice', () => {
  it('a 6 % invoice of 106.00 posts tax 6.00 (Dr 2204 / Cr 222101) on the invoice date; a red half gives 3.00 back; the tie and verify hold', async () => {
    await sixPercentProduct();
    const prepaidBefore = await balance('customer_prepayments');
    const blue = await fx.issuedInvoice(t, zhang, '106.00', 'VAT6PCT1');
    // 106.00 at 6 % tax-inclusive: tax = half-up(10600 × 6 / 106) = 600 fen = 6.00; net 100.00.
    expect(await one('SELECT gross, tax, net FROM invoices WHERE id = ?', blue.invoiceId)).toEqual({
      gross: 10_600,
      tax: 600,
      net: 10_000,
    });
    const posted = await one<{ amount: number; dr: string; cr: string; subject: string; date: string; source: string; summary: string }>(
      `SELECT t.amount, d.code AS dr, c.code AS cr, c.subject_code AS subject, t.business_date AS date, v.source, v.summary
       FROM invoices i JOIN transfers t ON t.id = i.vat_transfer_id JOIN accounts d ON d.id = t.debit_account_id
       JOIN accounts c ON c.id = t.credit_account_id JOIN vouchers v ON v.id = t.voucher_id WHERE i.id = ?`,
      blue.invoiceId,
    );
    expect(posted).toEqual({
      amount: 600,
      dr: 'customer_prepayments',
      cr: 'gl:222101',
      subject: '222101',
      date: '2026-11-20',
      source: 'invoice_vat',
      summary: '开票确认销项税额',
    });
    // 2204 held the 106.00 received; 6.00 of it is now output VAT: 100.00 left.
    expect(prepaidBefore + 10_600 - (await balance('customer_prepayments'))).toBe(600);
    expect(await balance('gl:222101')).toBe(600);
    expect(await customerPrepaymentsExpected(t.anyBooks)).toMatchObject({
      credited: 10_600n,
      reversed: 0n,
      vatAtInvoice: 600n,
      expected: 10_000n,
    });

    // Red half: 53.00 at 6 % → tax = half-up(5300 × 6 / 106) = 300 = 3.00, posted back Dr 222101 / Cr 2204.
    t.clock.now = Date.parse('2026-11-25T15:00:00+08:00');
    for (const who of ['clerk', 'approver']) await t.call(who, 'session.login', { username: who, password: PASSWORD });
    await fx.numbered(t, blue.serial);
    const red = await t.call('approver', 'invoices.reverse', {
      id: blue.invoiceId,
      amount: '5300',
      reason: '退回一半',
      ...fx.redForm({ category: '销货退回' }),
    });
    expect(red).toMatchObject({ gross: '5300', tax: '300' });
    expect(
      await one(
        `SELECT t.amount, d.code AS dr, c.code AS cr, t.business_date AS date, v.source FROM invoices i JOIN transfers t ON t.id = i.vat_transfer_id
         JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id JOIN vouchers v ON v.id = t.voucher_id WHERE i.id = ?`,
        red.id,
      ),
    ).toEqual({ amount: 300, dr: 'gl:222101', cr: 'customer_prepayments', date: '2026-11-25', source: 'invoice_vat_reversal' });
    expect(await balance('gl:222101')).toBe(300);
    expect((await customerPrepaymentsExpected(t.anyBooks)).vatAtInvoice).toBe(300n);

    // Taxed at invoice per customer: up to the 24th only the blue (106.00, 6.00); from the 25th net of the red (53.00, 3.00).
    expect(await taxedAtInvoice(t.anyBooks, zhang.customerId, '2026-11-19')).toEqual(new Map());
    expect(await taxedAtInvoice(t.anyBooks, zhang.customerId, '2026-11-24')).toEqual(
      new Map([[zhang.customerId, { gross: 10_600n, tax: 600n }]]),
    );
    expect(await taxedAtInvoice(t.anyBooks, undefined, '2026-11-25')).toEqual(new Map([[zhang.customerId, { gross: 5_300n, tax: 300n }]]));
    expect(await taxedAtInvoice(t.anyBooks)).toEqual(new Map([[zhang.customerId, { gross: 5_300n, tax: 300n }]]));
    await expect(taxedAtInvoice(t.anyBooks, undefined, '2026/11/25')).rejects.toThrow(/upToDate/);

    // The return's data for November: one rate, 6 %: blue 106.00 (net 100.00, tax 6.00), red 53.00 (net 50.00, tax 3.00).
    const m = await vatByMonth(t.anyBooks, '2026-11');
    const row = fx.sixPercentRow({ blue: [1, 10_600n, 10_000n, 600n], red: [1, 5_300n, 5_000n, 300n], net: [5_300n, 5_000n, 300n] });
    expect(m.byRate).toEqual([row]);
    expect(m.blue).toEqual({ count: 1, gross: 10_600n, net: 10_000n, tax: 600n });
    expect(m.red).toEqual({ count: 1, gross: 5_300n, net: 5_000n, tax: 300n });
    expect(m.notTaxable).toEqual({ blueGross: 0n, redGross: 0n, netGross: 0n });
    expect(m.taxedAtInvoice).toEqual({ gross: 5_300n, tax: 300n });
    expect((await vatByMonth(t.anyBooks, '2026-12')).blue.count).toBe(0);
    await expect(vatByMonth(t.anyBooks, '2026-13')).rejects.toThrow(/month/);

    const report = await verifyBooks(t.anyBooks);
    expect(report.findings).toEqual([]);
    expect(report.ties.find((x) => x.kind === 'customer_prepayments')).toMatchObject({
      ok: true,
      about: { credited: '10600', reversed: '0', vatAtInvoice: '300' },
    });
  });

  it('a 不征税 product posts nothing at invoice or at its red-letter reversal, and its value shows as prepaid value in the month', async () => {
    const transfers = await count('transfers');
    const blue = await fx.issuedInvoice(t, zhang, '80.00', 'NOVAT001');
    const afterIssue = await count('transfers');
    // Issuing made the recharge's own postings only (the credit); none for VAT.
    expect(await one('SELECT vat_transfer_id FROM invoices WHERE id = ?', blue.invoiceId)).toEqual({ vat_transfer_id: null });
    expect(await firstValue(t.anyBooks, "SELECT count(*) AS n FROM transfers WHERE code IN ('invoice_vat', 'invoice_vat_reversal')")).toBe(
      0,
    );
    await fx.numbered(t, blue.serial);
    await t.call('approver', 'invoices.reverse', { id: blue.invoiceId, amount: '2000', reason: '退款', ...fx.redForm() });
    expect(await count('transfers')).toBe(afterIssue);
    expect(afterIssue).toBeGreaterThan(transfers);
    expect(await balance('gl:222101')).toBe(0);
    expect(await taxedAtInvoice(t.anyBooks)).toEqual(new Map());
    const m = await vatByMonth(t.anyBooks, '2026-11');
    expect(m.notTaxable).toEqual({ blueGross: 8_000n, redGross: 2_000n, netGross: 6_000n });
    expect(m.byRate).toEqual([expect.objectContaining({ rateText: '不征税', notTaxable: true })]);
    await verifyClean();
  });

  it('refuses to issue into a closed month, writing nothing', async () => {
    await sixPercentProduct();
    const rec = await fx.credited(t, zhang, '106.00', 'VATCLOSE');
    const r = await fx.ask(t, zhang.customerId, [rec.recordId]);
    await fx.check(t, [r.id]);
    // Close November directly as the period close would leave it (inside a transaction, sealed).
    const { inWriteTx } = await import('../../main/db/tx');
    await inWriteTx(t.anyBooks, async (tx) => {
      await tx.sql("INSERT INTO periods (month, state) VALUES ('2026-11', 'closing')").run();
    });
    const before = await footprint();
    const [out] = await fx.issue(t, [r.id]);
    expect(out).toMatchObject({ outcome: 'refused', code: 'period_closed' });
    const after = await footprint();
    // Only the batch's own audit row (one item: none) — no invoice, line, transfer or voucher.
    expect({ ...after, audit: before.audit }).toEqual(before);
  });
});
