// One month of a platform's back office (November 2026), built through the API dispatcher as the console
// does it — the platform's event files and the bank's statements imported as files, matching, four-eyes
// approvals, write-off, refund, invoices, payout, a manual voucher — then the revenue run and the period
// close. `buildClosedMonth()` returns the books and the month for tests to look at (test/unit/
// month-end-story.test.ts asserts every figure below; a month-end pack test can build on it).
//
// The month, in Asia/Shanghai time (default conversion rule: 10 coins a yuan rounded down, 5 % bonus
// coins from 1,000.00, 10 % from 5,000.00; recharges above 50,000.00 need two approvers; invoices of a
// 6 % service, 信息技术服务, confirmed by two admins; earnings coins worth 0.10 yuan):
//
//   11-01  张伟 (accounts A1-1, A1-2, linked), 杭州云启科技有限公司 (A2-1) and 王芳, a creator (A3-1),
//          register; three recharge requests: R1 张伟 1,000.00, R2 云启 60,000.00, R3 张伟 648.00.
//   bank   statement 1 (opening 50,000.00): 11-02 +1,000.00 (R1's code), 11-03 +60,000.00 (R2's code),
//          11-05 +645.00 (R3's code: 3.00 short), 11-07 +300.00 from 李娜 (no request), 11-09 −300.00 to 李娜.
//   11-09  clerk matches (R1, R2 by the rules; R3 by hand) and proposes R3's 3.00 as a short payment;
//          approver confirms the write-off, credits R1; approver and approver2 credit R2; approver2
//          credits R3 at what was received. Coins: R1 10,000 + 500 bonus for 100,000 fen; R2 600,000 +
//          60,000 bonus for 6,000,000 fen; R3 6,450 for 64,500 fen.
//          李娜's 300.00 is refunded (clerk proposes, approver approves) and paid by the −300.00 line.
//          云启 asks for a 普通发票 of 10,600.00 over R2; the clerk checks it, the approver issues it: tax
//          10,600.00 × 6 / 106 = 600.00 posted at once (Dr 2204 / Cr 222101).
//   events 11-08 王芳 earns 60,000 coins (6,000.00 owed: Dr 6401 / Cr 220201); 11-10 A1-1 spends 2,100
//          recharge coins; 11-12 A1-1 moves 3,150 to A1-2; 11-15 A1-2 spends 1,050; 11-18 A2-1 spends
//          132,000; 11-20 王芳 asks to withdraw 30,000 earnings coins (3,000.00).
//   11-20  approver approves the payout: tax (3,000.00 − 800.00) × 20 % = 440.00, net 2,560.00.
//   11-25  the blue invoice's number comes from the tax platform; approver issues a red-letter invoice of
//          2,120.00 (服务中止, 红字确认单): tax 120.00 back (Dr 222101 / Cr 2204).
//   events 11-22 王芳 spends 5,000 earnings coins; 11-25 A1-1 spends 6,000; 11-28 5,500 of A2-1's coins expire.
//   11-30  bank statement 2: 11-21 −2,560.00 (the payout, matched), 11-30 −25.00 手续费 (classified to 660301,
//          four eyes); closing 109,060.00. A manual voucher: a cheque of 1,500.00 for server hosting
//          (Dr 6602 / Cr 100201), which the bank has not paid yet (the 调节表's outstanding item).
//   12-01  the revenue run of November (approver), close (approver), confirm (approver2).
import fs from 'node:fs';
import path from 'node:path';
import { SIX_PERCENT_SERVICE } from './invoice-fixtures';
import { addStaff } from './staff';
import { firstValue, PASSWORD, staffedApi, type TestApi } from './temp-books';

export const MONTH = '2026-11';
export const BANK = { bankName: '招商银行 杭州分行', accountNumber: '571900000010101', name: '平台收款户' };
/** The company's credit code (its check character worked out in invoice-rules.test.ts). */
export const YUNQI_TAX_ID = '91350100M000100Y43';
export const WANG_ID = '110101199003071233';
export const BLUE_NUMBER = '25332000000000000001';

/**
 * The month's figures, worked out by hand (fen unless named coins).
 *
 * Lots (FIFO per wallet): L1 = R1 10,500 coins / 100,000 fen (200/21 fen a coin), L2 = R2 660,000 coins /
 * 6,000,000 fen (100/11 a coin), L3 = R3 6,450 coins / 64,500 fen (10 a coin).
 * 张伟: 11-10 spends 2,100 of L1 → 100,000 × 2,100 / 10,500 = 20,000; 11-12 moves 3,150 of L1 (30,000)
 *   to A1-2, leaving L1 5,250 / 50,000; 11-15 A1-2 spends 1,050 of the 3,150 moved → 30,000 × 1,050 /
 *   3,150 = 10,000; 11-25 A1-1 spends 6,000 = L1's 5,250 (50,000) + 750 of L3 (64,500 × 750 / 6,450 =
 *   7,500) → 57,500. Used 9,150 coins worth 87,500; no invoice taxed it: tax 87,500 × 6 / 106 = 4,952.83
 *   → 4,953; revenue 82,547.
 * 云启: 11-18 spends 132,000 of L2 → 6,000,000 × 132,000 / 660,000 = 1,200,000; 11-28 5,500 expire →
 *   50,000. Used 137,500 coins worth 1,250,000. Its invoices taxed 1,060,000 − 212,000 = 848,000 gross
 *   (tax 60,000 − 12,000 = 48,000) already: that part is not taxed again. Tax on the rest (1,250,000 −
 *   848,000 = 402,000) × 6 / 106 = 22,754.72 → 22,755; revenue 1,250,000 − 48,000 − 22,755 = 1,179,245.
 * Month: gross 1,337,500; run's tax 4,953 + 22,755 = 27,708; revenue 82,547 + 1,179,245 = 1,261,792;
 *   the voucher: Dr 2204 1,337,500 − 48,000 = 1,289,500 / Cr 6001 1,261,792, Cr 222101 27,708.
 *   Output VAT of the month in 222101: 60,000 − 12,000 + 27,708 = 75,708 (= 1,337,500 × 6 / 106 = 75,707.5).
 * Left in the wallets: A1-1 5,700 of L3 (57,000), A1-2 2,100 moved (20,000), A2-1 522,500 of L2 (4,750,000):
 *   530,300 coins worth 4,827,000 = 2204: 6,164,500 received − 48,000 VAT at invoice − 1,289,500 released.
 * Bank: 50,000.00 + 1,000.00 + 60,000.00 + 645.00 + 300.00 − 300.00 − 2,560.00 − 25.00 = 109,060.00 on the
 *   statement; the books also hold the 1,500.00 cheque: 107,560.00.
 * Income: 6001 12,617.92 − 6401 6,000.00 − 6602 1,500.00 − 660301 25.00 = 5,092.92.
 * Balance sheet: assets 107,560.00 (bank; 122101 is cleared) = liabilities 2204 48,270.00 + 220201
 *   (6,000.00 − 3,000.00) 3,000.00 + 222101 757.08 + 222102 440.00 = 52,467.08, + equity (opening
 *   balance) 50,000.00 + the month's income 5,092.92.
 */
export const FIGURES = {
  coins: { spent: 141_150, expired: 5_500, used: 146_650, closing: 530_300 },
  zhang: { value: 87_500, tax: 4_953, revenue: 82_547 },
  yunqi: { value: 1_250_000, pretaxedGross: 848_000, pretaxedTax: 48_000, tax: 22_755, revenue: 1_179_245 },
  run: { gross: 1_337_500, tax: 27_708, revenue: 1_261_792, released: 1_289_500, closingValue: 4_827_000 },
  outputVat: 75_708,
  invoices: { blue: { gross: 1_060_000, net: 1_000_000, tax: 60_000 }, red: { gross: 212_000, net: 200_000, tax: 12_000 } },
  withholding: { income: 300_000, deduction: 80_000, taxable: 220_000, tax: 44_000, net: 256_000 },
  bank: { opening: 5_000_000, statement: 10_906_000, books: 10_756_000, cheque: 150_000 },
  balances: {
    prepayments: 4_827_000,
    earningsPayable: 300_000,
    outputVat: 75_708,
    incomeTax: 44_000,
    revenue: 1_261_792,
    cost: 600_000,
    admin: 150_000,
    fees: 2_500,
    income: 509_292,
    liabilities: 5_246_708,
    equity: 5_000_000,
  },
} as const;

export interface ClosedMonth {
  t: TestApi;
  month: string;
  bankAccountId: number;
  customers: { zhang: number; yunqi: number; wang: number };
  blueInvoiceId: number;
  redInvoiceId: number;
  /** Whether the month was closed and confirmed (buildMonth({ close: false }) stops after the revenue run). */
  closed: boolean;
}

const STAFF = ['admin', 'admin2', 'clerk', 'approver', 'approver2', 'auditor'];

/** The month's story through the dispatcher; closes it unless asked not to. The caller cleans up (`t.cleanup()`). */
export async function buildMonth(o: { close?: boolean } = {}): Promise<ClosedMonth> {
  const t = await staffedApi();
  const story = new Story(t);
  await story.at('2026-11-01T09:00:00');
  await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
  await addStaff(t.call, { username: 'admin2', displayName: '管理员二', role: 'admin' });
  await story.at('2026-11-01T09:10:00');
  const bankAccountId = (await t.call('admin', 'bankAccounts.create', BANK)).id;
  await story.sixPercentInvoices();

  // The platform's file of the first day: customers, accounts, bank cards, three recharge requests.
  await story.at('2026-11-01T12:00:00');
  await story.events('platform-1101.jsonl', [
    ['customer.registered', '11-01T09:00', { customer: 'C1', kind: 'person', name: '张伟' }],
    ['account.opened', '11-01T09:01', { customer: 'C1', account: 'A1-1', name: '张伟的主账号', ip: '10.0.0.1' }],
    ['account.opened', '11-01T09:02', { customer: 'C1', account: 'A1-2', name: '张伟的小号', ip: '10.0.0.1' }],
    ['bank_account.bound', '11-01T09:03', { account: 'A1-1', bank_name: '中国工商银行', account_number: CARD.zhang, holder_name: '张伟' }],
    ['customer.registered', '11-01T09:10', { customer: 'C2', kind: 'company', name: YUNQI }],
    ['account.opened', '11-01T09:11', { customer: 'C2', account: 'A2-1', name: '云启官方', ip: '10.0.0.2' }],
    ['bank_account.bound', '11-01T09:12', { account: 'A2-1', bank_name: '招商银行', account_number: CARD.yunqi, holder_name: YUNQI }],
    ['customer.registered', '11-01T09:20', { customer: 'C3', kind: 'person', name: '王芳', real_name: '王芳', id_number: WANG_ID }],
    ['account.opened', '11-01T09:21', { customer: 'C3', account: 'A3-1', name: '芳芳直播', ip: '10.0.0.3' }],
    ['recharge.requested', '11-01T10:00', { account: 'A1-1', payer_account: CARD.zhang, amount: '1000.00', reference_code: 'ZW1000AA' }],
    ['recharge.requested', '11-01T10:05', { account: 'A2-1', payer_account: CARD.yunqi, amount: '60000.00', reference_code: 'YQ60000B' }],
    ['recharge.requested', '11-01T10:10', { account: 'A1-1', payer_account: CARD.zhang, amount: '648.00', reference_code: 'ZW648CCC' }],
  ]);

  // The bank's first statement; matching; approvals with four eyes; the short payment; the refund.
  await story.at('2026-11-09T18:00:00');
  await story.statement('招商银行-账户明细-1109.csv', FIGURES.bank.opening, [
    ['2026-11-02', 100_000, '张伟', CARD.zhang, '充值 ZW1000AA'],
    ['2026-11-03', 6_000_000, YUNQI, CARD.yunqi, '货款 YQ60000B'],
    ['2026-11-05', 64_500, '张伟', CARD.zhang, 'ZW648CCC'],
    ['2026-11-07', 30_000, '李娜', CARD.li, '转账'],
    ['2026-11-09', -30_000, '李娜', CARD.li, '退回误转款'],
  ]);
  const r3 = await story.request('ZW648CCC');
  await t.call('clerk', 'reconcile.match', { lineId: await story.line('2026-11-05', 64_500), requestId: r3, amount: '64500' });
  await t.runJob('clerk', 'reconcile.run');
  const { allocationId } = await t.call('clerk', 'reconcile.proposeWriteOff', {
    requestId: r3,
    amount: '300',
    kind: 'short',
    reason: '客户少付 3 元，按实收入账',
  });
  await t.call('approver', 'reconcile.decideWriteOff', { allocationId, approve: true });
  await story.approve('approver', 'ZW1000AA', 'credited');
  await story.approve('approver', 'YQ60000B', 'approved'); // above 50,000.00: a second approver
  await story.approve('approver2', 'YQ60000B', 'credited');
  await story.approve('approver2', 'ZW648CCC', 'credited');
  const refund = await t.call('clerk', 'unallocated.proposeRefund', {
    lineId: await story.line('2026-11-07', 30_000),
    amount: '30000',
    reason: '李娜误转，原路退回',
  });
  await t.call('approver', 'refunds.decide', { refundId: refund.id, approve: true });
  await t.call('clerk', 'refunds.match', { refundId: refund.id, lineId: await story.line('2026-11-09', -30_000) });
  const customers = {
    zhang: await story.customer('C1'),
    yunqi: await story.customer('C2'),
    wang: await story.customer('C3'),
  };
  const blue = await story.blueInvoice(customers.yunqi, 'YQ60000B', '10600.00');

  // Coins used, moved and earned; a creator's withdrawal, approved by an approver who did not import it.
  await story.at('2026-11-20T12:00:00');
  await story.events('platform-1120.jsonl', [
    ['earnings.credited', '11-08T20:00', { account: 'A3-1', coins: 60_000, note: '直播打赏分成' }],
    ['coins.spent', '11-10T21:00', { account: 'A1-1', wallet: 'recharge', coins: 2_100, note: '购买道具' }],
    ['transfer.requested', '11-12T10:00', { from_account: 'A1-1', to_account: 'A1-2', wallet: 'recharge', coins: 3_150 }],
    ['coins.spent', '11-15T20:00', { account: 'A1-2', wallet: 'recharge', coins: 1_050, note: '开通会员' }],
    ['coins.spent', '11-18T14:00', { account: 'A2-1', wallet: 'recharge', coins: 132_000, note: '企业推广套餐' }],
    [
      'earnings.withdrawal_requested',
      '11-20T11:00',
      {
        account: 'A3-1',
        coins: 30_000,
        payee_name: '王芳',
        id_type: 'resident_id',
        id_number: WANG_ID,
        bank_name: '中国建设银行',
        account_number: CARD.wang,
      },
    ],
  ]);
  const payout = (await t.call('approver', 'payouts.list', { text: 'platform-1120' })).rows[0]!;
  await t.call('approver', 'payouts.decide', { id: payout.id, approve: true, note: '已核对收益明细' });

  // The tax platform's number for the blue invoice; a red-letter invoice of part of it.
  await story.at('2026-11-25T15:00:00');
  await story.invoiceNumber(blue.serial, BLUE_NUMBER);
  const red = await t.call('approver', 'invoices.reverse', {
    id: blue.invoiceId,
    amount: '212000',
    reason: '部分推广服务中止，按比例冲红',
    confirmationNo: 'HZQR2026112500000001',
    category: '服务中止',
  });

  await story.at('2026-11-28T23:30:00');
  await story.events('platform-1128.jsonl', [
    ['coins.spent', '11-22T19:00', { account: 'A3-1', wallet: 'earnings', coins: 5_000, note: '购买道具' }],
    ['coins.spent', '11-25T21:00', { account: 'A1-1', wallet: 'recharge', coins: 6_000, note: '购买礼物' }],
    ['coins.expired', '11-28T23:59', { account: 'A2-1', coins: 5_500, note: '活动赠币到期' }],
  ]);

  // Month end: the bank's second statement, the payout paid, the fee classified; a cheque the bank has not paid.
  await story.at('2026-11-30T20:00:00');
  await story.statement('招商银行-账户明细-1130.csv', 11_164_500, [
    ['2026-11-21', -256_000, '王芳', CARD.wang, '收益提现 王芳'],
    ['2026-11-30', -2_500, '', '', '手续费'],
  ]);
  await t.call('clerk', 'payouts.match', { payoutId: payout.id, lineId: await story.line('2026-11-21', -256_000) });
  const fee = await t.call('clerk', 'moneyOut.proposeClassify', {
    lineId: await story.line('2026-11-30', -2_500),
    subjectCode: '660301',
    reason: '网银转账手续费',
  });
  await t.call('approver', 'bankLines.decideAction', { actionId: fee.actionId, approve: true });
  const cheque = await t.call('clerk', 'vouchers.prepare', {
    date: '2026-11-30',
    lines: [
      { summary: '开出转账支票 No.0021 支付服务器托管费', subjectCode: '6602', debit: String(FIGURES.bank.cheque) },
      { summary: '开出转账支票 No.0021 支付服务器托管费', subjectCode: '100201', credit: String(FIGURES.bank.cheque) },
    ],
  });
  await t.call('approver', 'vouchers.review', { id: cheque.id, approve: true });

  // The month is over: the revenue run, then the close with four eyes.
  await story.at('2026-12-01T09:00:00');
  await t.runJob('approver', 'revenue.run', { month: MONTH });
  if (o.close !== false) {
    await t.runJob('approver', 'periods.close', { month: MONTH });
    await t.runJob('approver2', 'periods.confirm', { month: MONTH });
  }
  return { t, month: MONTH, bankAccountId, customers, blueInvoiceId: blue.invoiceId, redInvoiceId: red.id, closed: o.close !== false };
}

/** The month built and closed: the books (`t.anyBooks`, `t.call`) and the month. */
export function buildClosedMonth(): Promise<ClosedMonth> {
  return buildMonth({ close: true });
}

const YUNQI = '杭州云启科技有限公司';
const CARD = {
  zhang: '6222020200001111',
  yunqi: '6214830000002222',
  wang: '6217000000003333',
  li: '6228480000004444',
};

type EventRow = [type: string, at: string, data: Record<string, unknown>];
/** A statement line: booked date, fen (− = money out), counterparty name and account, memo. */
type LineRow = [date: string, fen: number, name: string, account: string, memo: string];

class Story {
  private seq = 0;
  constructor(private readonly t: TestApi) {}

  /** Moves the desk's clock; everyone logs in again (sessions end after 15 idle minutes). */
  async at(iso: string) {
    this.t.clock.now = Date.parse(`${iso}+08:00`);
    for (const username of STAFF) {
      const exists = await this.t.anyBooks.sql('SELECT 1 FROM staff WHERE username = ?').get(username);
      if (exists) await this.t.call(username, 'session.login', { username, password: PASSWORD });
    }
  }

  /** invoice.product: a 6 % service (信息技术服务), proposed by admin and confirmed by admin2. */
  async sixPercentInvoices() {
    const p = await this.t.call('admin', 'settings.propose', {
      key: 'invoice.product',
      value: SIX_PERCENT_SERVICE,
      effectiveFrom: this.t.clock.now + 60_000,
      reason: '虚拟币按信息技术服务 6% 开票',
    });
    await this.t.call('admin2', 'settings.decide', { id: p.id, decision: 'confirmed' });
  }

  /** The platform's event file, imported by the clerk through preview and import (every event applied). */
  async events(name: string, rows: EventRow[]) {
    const file = path.join(this.t.dir, name);
    const stem = name.replace(/\.jsonl$/, '');
    const lines = rows.map(([type, at, data], i) =>
      JSON.stringify({ id: `${stem}-${String(i + 1).padStart(3, '0')}`, type, at: `2026-${at}:00+08:00`, data }),
    );
    fs.writeFileSync(file, lines.join('\n') + '\n');
    this.t.dialogs.nextOpen = file;
    const preview = await this.t.runJob('clerk', 'events.preview');
    const r = await this.t.runJob('clerk', 'events.import', {
      token: preview.token,
      sha256: preview.sha256,
    });
    if (r.refused) throw new Error(`${name}: ${r.refused} event(s) refused: ${JSON.stringify(r.refusals)}`);
  }

  /** A corporate e-banking CSV (running balances: the opening is the first line's balance less its amount). */
  async statement(name: string, opening: number, rows: LineRow[]) {
    const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
    let balance = opening;
    const out = [
      '账户明细查询',
      `账号：${BANK.accountNumber}`,
      '户名：某某互动娱乐科技有限公司',
      '币种：人民币',
      '',
      '交易日期,交易时间,借方发生额(支出),贷方发生额(收入),余额,对方户名,对方账号,对方开户行,摘要,用途,附言,交易流水号',
    ];
    for (const [date, fen, who, account, memo] of rows) {
      balance += fen;
      const ref = `CMB${date.replace(/-/g, '')}${String(++this.seq).padStart(6, '0')}`;
      out.push(
        [date, '10:00:00', fen < 0 ? yuan(-fen) : '', fen > 0 ? yuan(fen) : '', yuan(balance), who, account, '', memo, '', '', ref].join(
          ',',
        ),
      );
    }
    const file = path.join(this.t.dir, name);
    fs.writeFileSync(file, out.join('\r\n') + '\r\n');
    this.t.dialogs.nextOpen = file;
    const { token } = await this.t.runJob('clerk', 'statements.choose');
    const options = { profile: 'corporate', bankAccountId: await this.bankAccountId() };
    const preview = await this.t.runJob('clerk', 'statements.preview', { token, ...options });
    await this.t.runJob('clerk', 'statements.import', { token, sha256: preview.sha256, ...options });
  }

  bankAccountId(): Promise<number> {
    return firstValue(this.t.anyBooks, 'SELECT id FROM bank_accounts WHERE account_number = ?', BANK.accountNumber);
  }

  /** The bank line booked on a day with that amount. */
  line(date: string, fen: number): Promise<number> {
    return firstValue(this.t.anyBooks, 'SELECT id FROM bank_lines WHERE booked = ? AND amount = ?', date, fen);
  }

  /** The recharge request with that reference code. */
  request(code: string): Promise<number> {
    return firstValue(this.t.anyBooks, 'SELECT id FROM recharge_requests WHERE reference_code = ?', code);
  }

  customer(externalId: string): Promise<number> {
    return firstValue(this.t.anyBooks, 'SELECT id FROM customers WHERE external_id = ?', externalId);
  }

  /** An approval of the request as the console's queue sends it (with the version the approver saw). */
  async approve(who: string, code: string, outcome: 'credited' | 'approved') {
    const id = await this.request(code);
    const seen = (await this.t.call('auditor', 'requests.get', { id })).request;
    const [out] = await this.t.call(who, 'approvals.approve', { items: [{ id, version: seen.version }] });
    if (out?.outcome !== outcome) throw new Error(`${code}: ${who} got ${JSON.stringify(out)}, not ${outcome}`);
  }

  /** A 普通发票 asked at the counter over a recharge, checked by the clerk and issued by the approver. */
  async blueInvoice(customerId: number, code: string, amount: string) {
    const recordId = await firstValue(
      this.t.anyBooks,
      'SELECT r.id FROM recharge_records r JOIN recharge_requests q ON q.id = r.request_id WHERE q.reference_code = ?',
      code,
    );
    const req = await this.t.call('clerk', 'invoices.createRequest', {
      requestId: `counter-inv-${code}`,
      customerId,
      recordIds: [recordId],
      amount,
      invoiceType: 'ordinary',
      buyerName: YUNQI,
      taxpayerId: YUNQI_TAX_ID,
      email: 'caiwu@yunqi.example.com',
    });
    const [checked] = await this.t.call('clerk', 'invoices.check', { ids: [req.id] });
    if (checked?.outcome !== 'checked') throw new Error(`invoice request: ${JSON.stringify(checked)}`);
    const [issued] = await this.t.call('approver', 'invoices.issue', {
      items: [{ id: req.id }],
    });
    if (issued?.outcome !== 'issued') throw new Error(`invoice: ${JSON.stringify(issued)}`);
    return { invoiceId: issued.invoiceId, serial: issued.serial };
  }

  /** The tax platform's numbers file, imported by the clerk. */
  async invoiceNumber(serial: string, number: string) {
    const file = path.join(this.t.dir, 'numbers.csv');
    fs.writeFileSync(file, `发票流水号,发票号码\r\n${serial},${number}\r\n`);
    this.t.dialogs.nextOpen = file;
    const r = await this.t.runJob('clerk', 'invoices.importNumbers', {});
    if (r.set !== 1) throw new Error(`numbers: ${JSON.stringify(r)}`);
  }
}
