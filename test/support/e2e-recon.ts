// The reconciliation story's platform events: six customers whose bound bank accounts are the
// counterparties of test/fixtures/statements/cn/corporate.utf8.csv (March 2024), and their recharge
// requests, chosen so that auto-matching meets every case the accountant handles: a reference code
// in the memo with the exact amount (matched), a code with 0.50 short — the company's bank took a fee
// — (suggested; the 0.50 written off), a line paying two requests of one customer outside every
// rule's window (split by hand), and two customers asking 648.00 on the same days (ambiguous). 王五's
// 2,000.00 was reversed by the bank (冲正) and he has no request: the pair is netted at import, and
// only the interest stays unallocated.
import fs from 'node:fs';
import path from 'node:path';

export const CORPORATE_CSV = path.resolve(import.meta.dirname, '../fixtures/statements/cn/corporate.utf8.csv');
export const CORPORATE_BANK = { bankName: '中国工商银行 北京分行', accountNumber: '1001 0101 0900 0012 345', name: '平台收款户（基本户）' };

interface Customer {
  ref: string;
  kind: 'person' | 'company';
  name: string;
  card: string;
  bank: string;
}
export const PAYERS: Record<string, Customer> = {
  zhangsan: { ref: 'C01', kind: 'person', name: '张三', card: '6222021001234567890', bank: '中国工商银行' },
  beijing: { ref: 'C02', kind: 'company', name: '北京某某贸易有限公司', card: '11001234567890123456', bank: '中国建设银行' },
  shanghai: { ref: 'C03', kind: 'company', name: '上海某某网络科技有限公司', card: '31001234567890123456', bank: '招商银行' },
  wangwu: { ref: 'C04', kind: 'person', name: '王五', card: '6228481234567890123', bank: '中国农业银行' },
  sunqi: { ref: 'C05', kind: 'person', name: '孙七', card: '6222000011112222333', bank: '中国银行' },
  zhouba: { ref: 'C06', kind: 'person', name: '周八', card: '6222000044445555666', bank: '交通银行' },
};

/** [customer, amount, reference code, requested at] */
export const REQUESTS: [keyof typeof PAYERS, string, string, string][] = [
  ['zhangsan', '5000.00', 'CZ1D2F3G', '2024-03-01T08:30:00+08:00'],
  ['beijing', '12888.50', 'CZ4H5J6K', '2024-02-29T16:00:00+08:00'],
  ['shanghai', '1000000.00', 'SHWL0001', '2024-02-20T10:00:00+08:00'],
  ['shanghai', '288000.00', 'SHWL0002', '2024-02-20T10:05:00+08:00'],
  ['sunqi', '648.00', 'SQ648A01', '2024-03-03T12:00:00+08:00'],
  ['zhouba', '648.00', 'ZB648B02', '2024-03-04T09:00:00+08:00'],
];

/** The platform's number of the i-th request of REQUESTS. */
export function requestNo(i: number): string {
  return `CZ-${REQUESTS[i]![3].slice(0, 10).replaceAll('-', '')}-${String(i + 1).padStart(3, '0')}`;
}

export function writeReconEvents(dir: string): string {
  const lines: unknown[] = [];
  let n = 0;
  const ev = (type: string, at: string, data: unknown) => lines.push({ id: `rc-${String(++n).padStart(4, '0')}`, type, at, data });
  for (const c of Object.values(PAYERS)) {
    ev('customer.registered', '2024-02-01T09:00:00+08:00', { customer: c.ref, kind: c.kind, name: c.name });
    ev('account.opened', '2024-02-01T09:01:00+08:00', {
      customer: c.ref,
      account: `${c.ref}-1`,
      name: `${c.name}的账户`,
      ip: `10.8.0.${n}`,
    });
    ev('bank_account.bound', '2024-02-01T09:02:00+08:00', {
      account: `${c.ref}-1`,
      bank_name: c.bank,
      account_number: c.card,
      holder_name: c.name,
    });
  }
  // The platform's own request numbers are the events' ids (and the requests' ids in Coffer).
  REQUESTS.forEach(([who, amount, code, at], i) =>
    lines.push({
      id: requestNo(i),
      type: 'recharge.requested',
      at,
      data: { account: `${PAYERS[who]!.ref}-1`, payer_account: PAYERS[who]!.card, amount, reference_code: code },
    }),
  );
  const file = path.join(dir, 'platform-2024-03.jsonl');
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}
