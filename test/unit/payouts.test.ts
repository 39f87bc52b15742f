// Creators' earnings and payouts (收益提现), through the API as the console and the CLI call it: earnings
// credited are owed in CNY; a payout reserves the coins, an approver who did not enter it withholds
// 劳务报酬 tax (a person's payments in a month combined) and leaves the net payable until a money-out
// bank line pays it; a rejection gives the coins back; ID numbers are masked except to admins and
// auditors; the month's 扣缴申报 workbook is read back cell by cell; verify stays clean.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { inWriteTx } from '../../main/db/tx';
import type { MethodInput } from '../../main/api/contract';
import { verifyBooks } from '../../main/services/verify';
import { withBankDesk } from '../support/books-hooks';
import { APPROVER2_IN } from '../support/desk';
import { coffer, CLI_TEST_TIMEOUT } from '../support/cli-run';
import { importStatement, line, statement } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';
import { firstValue, ON_POSTGRES, type TestApi } from '../support/temp-books';

vi.setConfig({ testTimeout: CLI_TEST_TIMEOUT, hookTimeout: CLI_TEST_TIMEOUT });

const WANG_ID = '110101199003071233'; // check character worked out by GB 11643 (see withholding.test.ts)
const LI_PASSPORT = 'E12345678';

let t: TestApi;
withBankDesk({ staff: [APPROVER2_IN] }, [], (desk) => ([t] = desk));

type Ev = { id: string; type: string; at: string; data: Record<string, unknown> };
const ev = (id: string, type: string, at: string, data: Record<string, unknown>): Ev => ({ id, type, at, data });

async function importEvents(events: Ev[], name = 'events.jsonl') {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  t.dialogs.nextOpen = file;
  const preview = await t.runJob('clerk', 'events.preview');
  if (!preview.ok) return { preview, result: null };
  const result = await t.runJob('clerk', 'events.import', { token: preview.token, sha256: preview.sha256 });
  return { preview, result };
}

const withdrawal = (id: string, at: string, coins: number, over: Record<string, unknown> = {}) =>
  ev(id, 'earnings.withdrawal_requested', at, {
    account: 'A1',
    coins,
    payee_name: '王芳',
    id_type: 'resident_id',
    id_number: WANG_ID,
    bank_name: '工商银行',
    account_number: '6222 0000 1111 2222',
    ...over,
  });

const CREATOR = [
  ev('c1', 'customer.registered', '2026-11-01T09:00:00+08:00', { customer: 'C1', kind: 'person', name: '王芳' }),
  ev('a1', 'account.opened', '2026-11-01T09:01:00+08:00', { customer: 'C1', account: 'A1', name: '芳芳直播', ip: '10.0.0.1' }),
  // 60,000 coins at the default 0.10 yuan a coin: 6,000.00 owed to the creator
  ev('e1', 'earnings.credited', '2026-11-19T20:00:00+08:00', { account: 'A1', coins: 60_000 }),
];

const cny = (code: string) =>
  firstValue(
    t.anyBooks,
    'SELECT credits_posted - debits_posted AS b FROM accounts WHERE ledger = 1 AND code = ? AND owner_kind IS NULL',
    code,
  );
const wallet = () =>
  t.anyBooks
    .sql(
      'SELECT w.credits_posted - w.debits_posted AS posted, w.debits_pending AS reserved FROM customer_accounts a JOIN accounts w ON w.id = a.earnings_wallet_id WHERE a.external_id = ?',
    )
    .get('A1');
const count = (table: string) => firstValue(t.anyBooks, `SELECT count(*) AS n FROM ${table}`);
const staff = (username: string) => firstValue(t.anyBooks, 'SELECT id FROM staff WHERE username = ?', username);

const byRequest = async (as: string, requestId: string) =>
  (await t.call(as, 'payouts.list', { text: requestId })).rows.find((r) => r.requestId === requestId)!;
const refusalOf = (p: Promise<unknown>) =>
  p.then(() => null).catch((e: { code: string; details?: unknown }) => ({ code: e.code, details: e.details }));

describe('earnings in CNY and payouts', () => {
  it('books earnings, withholds tax per person and month, pays the net by a bank line, and verify ties it all', async () => {
    const { result } = await importEvents([
      ...CREATOR,
      withdrawal('w1', '2026-11-20T08:00:00+08:00', 30_000), // 3,000.00
      withdrawal('w2', '2026-11-20T08:30:00+08:00', 20_000), // 2,000.00
      withdrawal('w3', '2026-11-20T08:40:00+08:00', 20_000), // only 10,000 left free: refused
    ]);
    expect(result).toMatchObject({ applied: 5, refused: 1 });
    expect(result!.refusals).toEqual([
      expect.objectContaining({
        id: 'w3',
        line: 6,
        why: expect.objectContaining({ code: 'payout_wallet_short', params: { account: 'A1', heldCoins: '10000', askedCoins: '20000' } }),
      }),
    ]);
    // Crediting: Dr 6401 / Cr 220201 6,000.00 on the event's day, under an automatic voucher.
    expect(await cny('earnings_payable')).toBe(600_000);
    expect(await cny('gl:6401')).toBe(-600_000);
    const accrual = await t.anyBooks
      .sql(
        "SELECT t.business_date AS date, v.summary FROM transfers t JOIN vouchers v ON v.id = t.voucher_id WHERE t.code = 'earnings_accrual'",
      )
      .get();
    expect(accrual).toEqual({ date: '2026-11-19', summary: '创作者收益计提' });
    // The two requests hold 50,000 coins reserved; nothing in CNY moved yet.
    expect(await wallet()).toEqual({ posted: 60_000, reserved: 50_000 });
    const w3 = await byRequest('auditor', 'w3');
    expect(w3).toMatchObject({ status: 'refused', gross: '200000', tax: null, why: { code: 'payout_wallet_short' } });

    // The first, as a request: what approving it now would withhold — (3,000 − 800) × 20 % = 440.00.
    const w1 = await byRequest('approver', 'w1');
    expect(w1).toMatchObject({ status: 'requested', gross: '300000', tax: '44000', net: '256000', estimated: true });
    // Only an approver decides; the clerk who imported does not.
    expect(await refusalOf(t.call('clerk', 'payouts.decide', { id: w1.id, approve: true }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.call('approver', 'payouts.decide', { id: w1.id, approve: true })).toMatchObject({
      status: 'approved',
      taxMonth: '2026-11',
      tax: '44000',
      net: '256000',
      estimated: false,
    });
    // The second payment of the same person that month: the month is 5,000.00 → taxable 4,000 → 800.00,
    // less 440.00 already withheld = 360.00 (alone it would have been 240.00).
    const w2 = await byRequest('approver2', 'w2');
    expect(w2).toMatchObject({ tax: '36000', net: '164000', estimated: true });
    expect(await t.call('approver2', 'payouts.decide', { id: w2.id, approve: true })).toMatchObject({ tax: '36000', net: '164000' });
    expect(await refusalOf(t.call('approver', 'payouts.decide', { id: w2.id, approve: true }))).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'payout_not_requested', params: { payoutId: String(w2.id), status: 'approved' } },
    });
    // 220201: 6,000 − 3,000 − 2,000 = 1,000.00; 222102: 440 + 360 = 800.00; 224104: 2,560 + 1,640 = 4,200.00
    expect(await cny('earnings_payable')).toBe(100_000);
    expect(await cny('gl:222102')).toBe(80_000);
    expect(await cny('payouts_payable')).toBe(420_000);
    expect(await wallet()).toEqual({ posted: 10_000, reserved: 0 });
    const approval = await t.anyBooks
      .sql(
        "SELECT DISTINCT v.summary, t.business_date AS date FROM transfers t JOIN vouchers v ON v.id = t.voucher_id WHERE t.code IN ('payout_tax', 'payout_net')",
      )
      .all();
    expect(approval).toEqual([{ summary: '收益提现代扣个税', date: '2026-11-20' }]);

    // Counter entry by an approver for another person (10,000 coins = 1,000.00); four eyes on the decision.
    const counter = await t.call('approver', 'payouts.request', {
      account: 'A1',
      payeeName: '李雷',
      idType: 'cn_passport',
      idNumber: 'e12345678',
      bankName: '建设银行',
      accountNumber: '6217-0000-3333',
      coins: 10_000,
    });
    expect(counter).toMatchObject({ status: 'requested', gross: '100000', idNumber: 'E123*5678', idMasked: true });
    expect(await refusalOf(t.call('approver', 'payouts.decide', { id: counter.id, approve: true }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'four_eyes_payout', params: { payoutId: String(counter.id) } },
    });
    // A rejection needs a reason, and gives the coins back.
    expect(await refusalOf(t.call('approver2', 'payouts.decide', { id: counter.id, approve: false }))).toMatchObject({
      code: 'VALIDATION',
    });
    expect(await wallet()).toEqual({ posted: 10_000, reserved: 10_000 });
    expect(await t.call('approver2', 'payouts.decide', { id: counter.id, approve: false, note: '收款账户有误' })).toMatchObject({
      status: 'rejected',
      tax: null,
    });
    expect(await wallet()).toEqual({ posted: 10_000, reserved: 0 });
    expect(await cny('earnings_payable')).toBe(100_000);

    // The bank pays 2,560.00 on the 21st: booked to 122101 at import, matched to w1.
    await importStatement(
      t,
      statement([
        line('2026-11-21', '-2560.00', { memo: '收益提现 王芳', bank_ref: 'OUT-1' }),
        line('2026-11-21', '-1000.00', { memo: '其他', bank_ref: 'OUT-2' }),
      ]),
    );
    const lineId = (ref: string) => firstValue(t.anyBooks, 'SELECT id FROM bank_lines WHERE bank_ref = ?', ref);
    const [out1, out2] = [await lineId('OUT-1'), await lineId('OUT-2')];
    expect(await t.call('auditor', 'payouts.candidates', { payoutId: w1.id })).toEqual([
      expect.objectContaining({ id: out1, amount: '256000' }),
    ]);
    expect(await refusalOf(t.call('clerk', 'payouts.match', { payoutId: w1.id, lineId: out2 }))).toMatchObject({
      code: 'REFUSED',
      details: { reason: 'payout_amount_differs', params: { lineFen: '100000', netFen: '256000' } },
    });
    expect(await refusalOf(t.call('clerk', 'payouts.match', { payoutId: counter.id, lineId: out1 }))).toMatchObject({
      details: { reason: 'payout_not_payable' },
    });
    expect(await t.call('clerk', 'payouts.match', { payoutId: w1.id, lineId: out1 })).toMatchObject({ status: 'paid' });
    expect(await refusalOf(t.call('clerk', 'payouts.match', { payoutId: w2.id, lineId: out1 }))).toMatchObject({
      details: { reason: 'line_pays_payout', params: { payoutId: String(w1.id) } },
    });
    // The line is explained: no refund or classification may take it.
    expect(
      await refusalOf(t.call('clerk', 'moneyOut.proposeClassify', { lineId: out1, subjectCode: '6602', reason: '误用' })),
    ).toMatchObject({
      details: { reason: 'line_explained' },
    });
    expect((await t.call('auditor', 'moneyOut.list', { state: 'payout' })).map((l) => l.id)).toEqual([out1]);
    expect(await cny('payouts_payable')).toBe(164_000); // 4,200 − 2,560
    expect(await cny('suspense')).toBe(-100_000); // only the unexplained 1,000.00 is left in 待清理付款

    // Totals over the filter.
    const all = await t.call('auditor', 'payouts.list', {});
    expect(all.totals).toEqual({ count: 4, coins: '80000', gross: '800000', tax: '80000', net: '420000', unpaid: '164000' });

    const report = await verifyBooks(t.anyBooks);
    expect(report.findings).toEqual([]);
    expect(report.ties.filter((x) => x.kind === 'earnings_payable' || x.kind === 'payouts_payable')).toEqual([
      expect.objectContaining({ ok: true, expected: '100000', actual: '100000', about: { accrued: '600000', approved: '500000' } }),
      expect.objectContaining({ ok: true, expected: '164000', actual: '164000', about: { approved: '420000', paid: '256000' } }),
    ]);
    expect(report.ties.find((x) => x.name === 'wallet_movements:EARNINGS_COIN')).toMatchObject({ ok: true, actual: '10000' });
  });

  it('masks ID numbers for clerks and approvers, in the service output, not for admins and auditors', async () => {
    await importEvents([...CREATOR, withdrawal('w1', '2026-11-20T08:00:00+08:00', 30_000)]);
    for (const role of ['clerk', 'approver']) {
      expect(await byRequest(role, 'w1')).toMatchObject({ idNumber: '1101**********1233', idMasked: true });
    }
    for (const role of ['auditor', 'admin']) {
      expect(await byRequest(role, 'w1')).toMatchObject({ idNumber: WANG_ID, idMasked: false });
    }
    const id = (await byRequest('auditor', 'w1')).id;
    expect(await t.call('clerk', 'payouts.get', { id })).toMatchObject({ idNumber: '1101**********1233' });
    await t.call('approver', 'payouts.decide', { id, approve: true });
    expect(await t.call('approver', 'withholding.report', { month: '2026-11' })).toMatchObject({
      idMasked: true,
      rows: [expect.objectContaining({ idNumber: '1101**********1233' })],
    });
    expect(await t.call('auditor', 'withholding.report', { month: '2026-11' })).toMatchObject({
      idMasked: false,
      rows: [expect.objectContaining({ idNumber: WANG_ID })],
    });
    // The customer's own ID number (from customer.registered) is masked the same way.
    await importEvents(
      [ev('c9', 'customer.registered', '2026-11-20T09:00:00+08:00', { customer: 'C9', kind: 'person', name: '张伟', id_number: WANG_ID })],
      'c9.jsonl',
    );
    const c9 = await firstValue(t.anyBooks, "SELECT id FROM customers WHERE external_id = 'C9'");
    expect(await t.call('clerk', 'customers.get', { id: c9 })).toMatchObject({ customer: { idNumber: '1101**********1233' } });
    expect(await t.call('auditor', 'customers.get', { id: c9 })).toMatchObject({ customer: { idNumber: WANG_ID } });
    // Nor does the audit log, read by every role, carry a payee's number whole.
    const audit = (await t.anyBooks.sql("SELECT before_json AS b, after_json AS a FROM audit WHERE action LIKE 'payout.%'").all()) as {
      a: string | null;
      b: string | null;
    }[];
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.filter((x) => `${x.a}${x.b}`.includes(WANG_ID))).toEqual([]);
  });

  /** Three payouts approved in November: 王芳's 3,000.00 and 2,000.00, and 30,000.00 to a passport holder. */
  async function novemberPayouts() {
    await importEvents([
      ...CREATOR,
      ev('e2', 'earnings.credited', '2026-11-19T21:00:00+08:00', { account: 'A1', coins: 400_000 }), // 40,000.00 more
      withdrawal('w1', '2026-11-20T08:00:00+08:00', 30_000), // 3,000.00
      withdrawal('w2', '2026-11-20T08:30:00+08:00', 20_000), // 2,000.00
      withdrawal('w3', '2026-11-20T08:40:00+08:00', 300_000, {
        payee_name: '=HYPERLINK("x")',
        id_type: 'cn_passport',
        id_number: LI_PASSPORT,
      }), // 30,000.00
    ]);
    for (const r of ['w1', 'w2', 'w3'])
      await t.call('approver', 'payouts.decide', { id: (await byRequest('auditor', r)).id, approve: true });
  }
  /** The auditor's 扣缴申报 of November: the workbook's path. */
  async function exportNovember() {
    const out = path.join(t.dir, 'withholding.xlsx');
    t.dialogs.nextSave = out;
    expect(await t.runJob('auditor', 'withholding.export', { month: '2026-11' })).toMatchObject({ path: out, persons: 2 });
    return out;
  }
  const sheetRows = (ws: ExcelJS.Worksheet) =>
    ws
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));

  it('writes the month’s 扣缴申报: one row per person, 合计, formula-safe, witnessed; only admins and auditors export it', async () => {
    await novemberPayouts();
    expect(await refusalOf(t.runJob('clerk', 'withholding.export', { month: '2026-11' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusalOf(t.runJob('approver', 'withholding.export', { month: '2026-11' }))).toMatchObject({ code: 'FORBIDDEN' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await exportNovember());
    expect(wb.description).toMatch(/coffer-witness/i);
    const ws = wb.getWorksheet('扣缴申报 2026-11')!;
    expect(sheetRows(ws)).toEqual([
      [
        '序号',
        '姓名',
        '证件类型',
        '证件号码',
        '所得项目',
        '收入额',
        '费用',
        '应纳税所得额',
        '预扣率(%)',
        '速算扣除数',
        '已扣缴税额',
        '支付次数',
      ],
      // 王芳: 3,000 + 2,000 = 5,000.00; 费用 1,000.00 (20 %); taxable 4,000.00; tax 800.00 (440 + 360)
      [1, '王芳', '居民身份证', WANG_ID, '劳务报酬', 5000, 1000, 4000, 20, 0, 800, 2],
      // the second person: 30,000.00; 费用 6,000; taxable 24,000 → 30 % − 2,000: 5,200.00; the name neutralised
      [2, `'=HYPERLINK("x")`, '中国护照', LI_PASSPORT, '劳务报酬', 30000, 6000, 24000, 30, 2000, 5200, 1],
      ['合计', '2 人', undefined, undefined, undefined, 35000, 7000, 28000, undefined, undefined, 6000, 3],
    ]);
    expect(ws.getCell('F2').numFmt).toBe('#,##0.00');
    expect(typeof ws.getCell('D2').value).toBe('string');
    expect((await verifyBooks(t.anyBooks)).findings).toEqual([]);
  });

  // The CLI opens the books by their file (--db FILE), and the PostgreSQL pass builds no CLI bundle.
  it.skipIf(ON_POSTGRES)('the CLI writes the same 扣缴申报 (offline reader: an auditor), and verify accepts its witness', async () => {
    await novemberPayouts();
    const app = new ExcelJS.Workbook();
    await app.xlsx.readFile(await exportNovember());
    const books = t.books.path;
    const cliOut = path.join(t.dir, 'cli.xlsx');
    const r = await coffer(['export', 'withholding', '--db', books, '--month', '2026-11', '--out', cliOut]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('2 person(s)') });
    const cli = new ExcelJS.Workbook();
    await cli.xlsx.readFile(cliOut);
    expect(sheetRows(cli.getWorksheet('扣缴申报 2026-11')!)).toEqual(sheetRows(app.getWorksheet('扣缴申报 2026-11')!));
    expect((await coffer(['verify', '--db', books, '--witness', cliOut])).code).toBe(0);
    expect((await coffer(['export', 'withholding', '--db', books, '--month', '2026-13', '--out', cliOut])).code).toBe(2);
  });
});

describe('refusals', () => {
  it('a withdrawal event with a bad field refuses the whole file, naming line and field; nothing is written', async () => {
    const before = await count('audit');
    const { preview } = await importEvents([
      ...CREATOR,
      withdrawal('w1', '2026-11-20T08:00:00+08:00', 100),
      withdrawal('w2', '2026-11-20T08:00:00+08:00', 100, { id_number: '110101199003071234' }), // wrong check digit
      withdrawal('w3', '2026-11-20T08:00:00+08:00', 100, { id_type: 'driving_licence' }),
    ]);
    expect(preview.ok).toBe(false);
    expect(preview.errors.map((e) => [e.line, e.field])).toEqual([
      [5, 'data.id_number'],
      [6, 'data.id_type'],
    ]);
    expect(preview.errors[0]!.reason).toMatch(/check digit/);
    expect(await count('audit')).toBe(before);
    expect(await count('payouts')).toBe(0);
  });

  it('counter entry: bad fields are a VALIDATION naming the field; a short wallet is refused and recorded', async () => {
    await importEvents(CREATOR);
    const entry: MethodInput<'payouts.request'> = {
      account: 'A1',
      payeeName: '王芳',
      idType: 'resident_id',
      idNumber: WANG_ID,
      bankName: '工商银行',
      accountNumber: '62220000',
      coins: 100,
    };
    expect(await refusalOf(t.call('clerk', 'payouts.request', { ...entry, idNumber: '110101199003071234' }))).toMatchObject({
      code: 'VALIDATION',
      details: { issues: [{ field: 'idNumber', message: 'the resident ID number’s check digit is wrong' }] },
    });
    expect(await refusalOf(t.call('clerk', 'payouts.request', { ...entry, coins: 0 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusalOf(t.call('auditor', 'payouts.request', entry))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusalOf(t.call('clerk', 'payouts.request', { ...entry, account: 'NOPE' }))).toMatchObject({
      details: { reason: 'unknown_account' },
    });
    const short = await t.call('clerk', 'payouts.request', { ...entry, coins: 60_001 });
    expect(short).toMatchObject({
      status: 'refused',
      why: { code: 'payout_wallet_short', params: { heldCoins: '60000', askedCoins: '60001' } },
    });
    expect(await wallet()).toEqual({ posted: 60_000, reserved: 0 });
    expect(await refusalOf(t.call('approver', 'payouts.decide', { id: short.id, approve: true }))).toMatchObject({
      details: { reason: 'payout_not_requested', params: { status: 'refused' } },
    });
    expect((await verifyBooks(t.anyBooks)).findings).toEqual([]);
  });

  it('a closed month: a late event reserves on the first open day; approving in a closed month is refused and changes nothing', async () => {
    const [approver, approver2] = [await staff('approver'), await staff('approver2')];
    await inWriteTx(t.anyBooks, async (tx) =>
      tx
        .sql(
          "INSERT INTO periods (month, state, closed_by, closed_at, confirmed_by, confirmed_at) VALUES ('2026-10', 'closed', ?, ?, ?, ?)",
        )
        .run(approver, t.clock.now, approver2, t.clock.now),
    );
    await importEvents([
      ev('c1', 'customer.registered', '2026-10-01T09:00:00+08:00', { customer: 'C1', kind: 'person', name: '王芳' }),
      ev('a1', 'account.opened', '2026-10-01T09:01:00+08:00', { customer: 'C1', account: 'A1', name: '芳芳直播', ip: '10.0.0.1' }),
      ev('e1', 'earnings.credited', '2026-10-19T20:00:00+08:00', { account: 'A1', coins: 60_000 }),
      withdrawal('w1', '2026-10-20T08:00:00+08:00', 30_000),
    ]);
    const dates = await t.anyBooks
      .sql("SELECT code, business_date AS d FROM transfers WHERE code IN ('earnings_accrual', 'payout') ORDER BY id")
      .all();
    expect(dates).toEqual([
      { code: 'earnings_accrual', d: '2026-11-01' },
      { code: 'payout', d: '2026-11-01' },
    ]);
    expect(await byRequest('auditor', 'w1')).toMatchObject({ status: 'requested', businessDate: '2026-11-01' });
    // November closes (as a test seeds it) while the payout waits: approving it would post in November.
    await inWriteTx(t.anyBooks, async (tx) =>
      tx
        .sql(
          "INSERT INTO periods (month, state, closed_by, closed_at, confirmed_by, confirmed_at) VALUES ('2026-11', 'closed', ?, ?, ?, ?)",
        )
        .run(approver, t.clock.now, approver2, t.clock.now),
    );
    const id = (await byRequest('auditor', 'w1')).id;
    expect(await refusalOf(t.call('approver', 'payouts.decide', { id, approve: true }))).toMatchObject({
      code: 'REFUSED',
      details: { reason: 'period_closed', params: { month: '2026-11' } },
    });
    expect(await byRequest('auditor', 'w1')).toMatchObject({ status: 'requested' });
    expect(await cny('payouts_payable')).toBe(0);
  });

  it('a replayed withdrawal event changes nothing; the same id with other content is refused', async () => {
    await importEvents([...CREATOR, withdrawal('w1', '2026-11-20T08:00:00+08:00', 30_000)]);
    const again = await importEvents([withdrawal('w1', '2026-11-20T08:00:00+08:00', 30_000)], 'again.jsonl');
    expect(again.preview).toMatchObject({ ok: true, alreadyImported: 1, toApply: 0 });
    const other = await importEvents([withdrawal('w1', '2026-11-20T08:00:00+08:00', 31_000)], 'other.jsonl');
    expect(other.preview.ok).toBe(false);
    expect(await count('payouts')).toBe(1);
    expect(await wallet()).toEqual({ posted: 60_000, reserved: 30_000 });
  });

  it('the earnings value is a setting two admins change; a new rate values later credits and requests', async () => {
    await addStaff(t.call, { username: 'admin2', role: 'admin' });
    const change = await t.call('admin', 'settings.propose', {
      key: 'earnings.coinValue',
      value: { fen: 1, perCoins: 3 },
      effectiveFrom: t.clock.now,
      reason: '新的收益兑换比例',
    });
    expect(await refusalOf(t.call('admin', 'settings.decide', { id: change.id, decision: 'confirmed' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await t.call('admin2', 'settings.decide', { id: change.id, decision: 'confirmed' });
    t.clock.now += 60_000;
    await importEvents([
      ev('c1', 'customer.registered', '2026-11-20T10:02:00+08:00', { customer: 'C1', kind: 'person', name: '王芳' }),
      ev('a1', 'account.opened', '2026-11-20T10:02:00+08:00', { customer: 'C1', account: 'A1', name: '芳芳直播', ip: '10.0.0.1' }),
      // 1,001 coins at 1 fen per 3 coins: 333.67 fen → 334 fen (half up)
      ev('e1', 'earnings.credited', '2026-11-20T10:03:00+08:00', { account: 'A1', coins: 1_001 }),
      withdrawal('w1', '2026-11-20T10:04:00+08:00', 1_000), // 333.33 fen → 333
    ]);
    expect(await cny('earnings_payable')).toBe(334);
    expect(await byRequest('auditor', 'w1')).toMatchObject({ gross: '333', tax: '0', net: '333' });
  });
});
