// Building blocks for invoice tests: a credited recharge (request, bank line, match, approval), an
// invoice request entered at the counter, the check and the issue.
import { expect } from 'vitest';
import { importStatement, line, request, statement, type Payer } from './recharge-fixtures';
import type { MethodInput } from '../../main/api/contract';
import { withOutcome } from './outcome';
import type { TestApi } from './temp-books';
import { inWriteTx } from '../../main/db/tx';
import { applyInvoiceNumbers } from '../../main/services/invoices';

let bankRef = 0;
/** A credited recharge of the payer; returns its record id, request id and receipt number. */
export async function credited(t: TestApi, p: Payer, yuan: string, code: string) {
  const r = await request(t, p, yuan, code);
  await importStatement(t, statement([line('2026-11-20', yuan, { memo: code, bank_ref: `IL${++bankRef}-${code}` })]));
  await t.runJob('clerk', 'reconcile.run');
  const seen = await t.call('auditor', 'requests.get', { id: r.id });
  const [approved] = await t.call('approver', 'approvals.approve', {
    items: [{ id: r.id, version: seen.request.version }],
  });
  const out = withOutcome(approved, 'credited');
  const rec = (await t.anyBooks.sql('SELECT id FROM recharge_records WHERE receipt_no = ?').get(out.receiptNo)) as { id: number };
  return { recordId: rec.id, requestId: r.request_id, receiptNo: out.receiptNo };
}

let reqSeq = 0;
export const lastRequestId = () => `counter:inv-req-${reqSeq}`;

export function ask(t: TestApi, customerId: number, recordIds: number[], over: Record<string, unknown> = {}) {
  return t.call('clerk', 'invoices.createRequest', {
    requestId: `inv-req-${++reqSeq}`,
    customerId,
    recordIds,
    invoiceType: 'ordinary',
    buyerName: '杭州某某科技有限公司',
    taxpayerId: '91350100M000100Y43',
    email: 'fp@example.com',
    ...over,
  });
}

export const check = (t: TestApi, ids: number[], as = 'clerk') => t.call(as, 'invoices.check', { ids });
export const issue = (t: TestApi, ids: number[], as = 'approver') => t.call(as, 'invoices.issue', { items: ids.map((id) => ({ id })) });

/** A blue invoice for a fresh credited recharge of the payer. */
export async function issuedInvoice(t: TestApi, p: Payer, yuan: string, code: string, over: Record<string, unknown> = {}) {
  const rec = await credited(t, p, yuan, code);
  const r = await ask(t, p.customerId, [rec.recordId], over);
  const [c] = await check(t, [r.id]);
  expect(c!.outcome).toBe('checked');
  const [issued] = await issue(t, [r.id]);
  const i = withOutcome(issued, 'issued');
  return { ...rec, invoiceId: i.invoiceId, serial: i.serial };
}

let numberSeq = 0;
/** Records the tax platform's 20-digit number of an invoice (as the numbers import does), so it may be reversed. */
export async function numbered(t: TestApi, serial: string, as = 'clerk'): Promise<string> {
  const number = `2533${String(++numberSeq).padStart(16, '0')}`;
  const staff = (await t.anyBooks.sql('SELECT id FROM staff WHERE username = ?').get(as)) as { id: number };
  const out = await inWriteTx(t.anyBooks, async (tx) =>
    applyInvoiceNumbers(tx, { staffId: staff.id, name: as, role: 'clerk' }, [{ line: 2, serial, number }], 'numbers.csv', t.clock.now),
  );
  expect(out[0]!.outcome).toBe('set');
  return number;
}

let formSeq = 0;
/** A 红字确认单 for a red-letter reversal: a fresh number, the category, and the buyer's confirmation for a 专票. */
export const redForm = (over: Partial<MethodInput<'invoices.reverse'>> = {}) => ({
  confirmationNo: `HZQR${String(++formSeq).padStart(16, '0')}`,
  category: '销货退回' as const,
  ...over,
});

/** The invoice.product setting of a 6 % service (信息技术服务), virtual coins invoiced under it. */
export const SIX_PERCENT_SERVICE = {
  itemName: '信息技术服务*虚拟币',
  taxCode: '3040201000000000000',
  rate: { num: 6, den: 100 },
  notTaxable: false,
  ordinaryOnly: false,
};

/** invoice.product set to a 6 % service (信息技术服务), proposed by admin and confirmed by `confirmer` (a second
 *  admin, logged in); the clock moves a minute on, past the change's start. */
export async function taxableProduct(t: TestApi, confirmer = 'admin2'): Promise<void> {
  const p = await t.call('admin', 'settings.propose', {
    key: 'invoice.product',
    value: SIX_PERCENT_SERVICE,
    effectiveFrom: t.clock.now + 1_000,
    reason: '按 6% 服务开票',
  });
  await t.call(confirmer, 'settings.decide', { id: p.id, decision: 'confirmed' });
  t.clock.now += 60_000;
}

/** Gross, net and tax of some invoices, in fen. */
type Figures = [gross: bigint, net: bigint, tax: bigint];
const figures = ([gross, net, tax]: Figures) => ({ gross, net, tax });

/** vatByMonth's row for the one 6 % rate, from figures worked out by hand: the blue and the red invoices
 *  ([count, gross, net, tax]) and what they net to ([gross, net, tax]). */
export function sixPercentRow(r: { blue: [count: number, ...Figures]; red: [count: number, ...Figures]; net: Figures }) {
  const [blueCount, ...blue] = r.blue;
  const [redCount, ...red] = r.red;
  return {
    rate: { num: 6, den: 100 },
    rateText: '0.06',
    notTaxable: false,
    blue: { count: blueCount, ...figures(blue) },
    red: { count: redCount, ...figures(red) },
    net: figures(r.net),
  };
}
