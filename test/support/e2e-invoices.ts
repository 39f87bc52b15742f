// Seed for the invoice story: two customers with credited recharges (counter request → bank line with
// its reference code → auto-match → approval), all through the harness's real dispatcher as staff
// clients named like their users; the platform's invoice.requested events; and the tax platform's
// file of 20-digit numbers.
import fs from 'node:fs';
import path from 'node:path';
import type { Harness } from './bridge';
import { importStatement, line, request, statement, BANK, type Payer } from './recharge-fixtures';
import { dispatcherCalls, jobCalls, type TestApi } from './temp-books';
import { staffClient } from './e2e-approvals';

/** The harness seen as the unit tests' TestApi (calls by client id, the books, a clock) for the recharge fixtures. */
export function harnessApi(h: Harness): TestApi {
  return {
    dir: h.dir,
    get books() {
      return h.books;
    },
    get anyBooks() {
      return h.books;
    },
    dispatcher: h.dispatcher,
    dialogs: h.dialogs,
    events: [],
    clock: {
      get now() {
        return Date.now();
      },
    },
    ...dispatcherCalls(h.dispatcher),
    ...jobCalls(h.dispatcher, () => h.events.map((e) => e.event)),
    cleanup: () => Promise.resolve(),
  };
}

/** Today in Shanghai, YYYY-MM-DD. */
export const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface Seeded {
  company: Payer;
  person: Payer;
  /** Credited recharges: the company's 1,288.00 and 5,000.00, the person's 648.00. */
  a: { recordId: number; requestId: string; receiptNo: string };
  b: { recordId: number; requestId: string; receiptNo: string };
  c: { recordId: number; requestId: string; receiptNo: string };
}

async function customer(t: TestApi, n: number, kind: 'person' | 'company', name: string): Promise<Payer> {
  const customerId = (await t.call('clerk', 'customers.register', { kind, name })).id;
  const accountId = (
    await t.call('clerk', 'accounts.open', { customerId, externalId: `ACC-${n}`, name: `${name}的账户`, ip: `10.0.0.${n}` })
  ).id;
  const card = `62220000000${String(n).padStart(5, '0')}`;
  await t.call('clerk', 'accounts.bindBank', { accountId, bankName: '中国工商银行', accountNumber: card, holderName: name });
  return { customerId, accountId, card, name };
}

let bankRef = 0;
async function credited(t: TestApi, p: Payer, yuan: string, code: string) {
  const r = await request(t, p, yuan, code);
  await importStatement(t, statement([line(shanghaiToday(), yuan, { memo: code, bank_ref: `E2E-INV-${++bankRef}` })]));
  await t.runJob('clerk', 'reconcile.run');
  const seen = await t.call('auditor', 'requests.get', { id: r.id });
  const [out] = await t.call('approver', 'approvals.approve', {
    items: [{ id: r.id, version: seen.request.version }],
  });
  if (out?.outcome !== 'credited') throw new Error(`recharge ${code} was not credited: ${JSON.stringify(out)}`);
  const rec = t.books.raw.prepare('SELECT id FROM recharge_records WHERE receipt_no = ?').get(out.receiptNo) as { id: number };
  return { recordId: rec.id, requestId: r.request_id, receiptNo: out.receiptNo };
}

/** Logs in the staff clients the fixtures call as (admin, clerk, approver, auditor) and credits three recharges. */
export async function seedCreditedRecharges(
  h: Harness,
  passwords: Record<'admin' | 'clerk' | 'approver' | 'auditor', string>,
): Promise<Seeded> {
  for (const [u, pw] of Object.entries(passwords)) await staffClient(h, u, u, pw);
  const t = harnessApi(h);
  await t.call('admin', 'bankAccounts.create', BANK);
  const company = await customer(t, 1, 'company', '杭州云帆网络科技有限公司');
  const person = await customer(t, 2, 'person', '张三');
  const a = await credited(t, company, '1288.00', 'YFKJ0001');
  const b = await credited(t, company, '5000.00', 'YFKJ0002');
  const c = await credited(t, person, '648.00', 'ZS648001');
  return { company, person, a, b, c };
}

/** Shanghai wall time a minute ago, as the events' `at`. */
function justNow(): string {
  return `${new Date(Date.now() - 60_000 + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** A valid unified social credit code and the same with its check character wrong. */
export const GOOD_USCC = '91330106MA2CXYN1DX';
export const BAD_USCC = '91330106MA2CXYN1D3';

/**
 * The platform's invoice requests: the company asks for a 增值税专用发票 with a mistyped taxpayer id
 * (rejected at the check), then again with the right one over both its recharges.
 */
export function writeInvoiceEvents(dir: string, s: Seeded): string {
  const base = {
    account: 'ACC-1',
    invoice_type: '增值税专用发票',
    buyer_name: '杭州云帆网络科技有限公司',
    address: '杭州市西湖区文三路 90 号',
    phone: '0571-88886666',
    bank_name: '中国工商银行杭州文三路支行',
    bank_account: '1202 0217 0900 1234 567',
    email: 'caiwu@yunfan.example.cn',
  };
  const lines = [
    { id: 'INV-EV-0001', type: 'invoice.requested', at: justNow(), data: { ...base, recharges: [s.a.requestId], taxpayer_id: BAD_USCC } },
    {
      id: 'INV-EV-0002',
      type: 'invoice.requested',
      at: justNow(),
      data: { ...base, recharges: [s.a.requestId, s.b.requestId], taxpayer_id: GOOD_USCC, remarks: '2026年11月平台充值' },
    },
  ];
  const file = path.join(dir, 'platform-invoice-requests.jsonl');
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

/** The tax platform's answer: each serial with the 20-digit number it assigned. */
export function writeInvoiceNumbers(dir: string, rows: [serial: string, number: string][]): string {
  const file = path.join(dir, 'tax-platform-numbers.csv');
  fs.writeFileSync(file, ['发票流水号,发票号码', ...rows.map(([s, n]) => `${s},${n}`)].join('\n') + '\n');
  return file;
}
