// Books for the CLI's statement, reconcile and review-results tests: staff of every role (password
// PASSWORD), the platform bank account of the corporate fixture (test/fixtures/statements/cn/
// corporate.*.csv, account 1001 0101 0900 0012 345), and customers whose recharge requests the
// fixture's lines pay — by reference code in the memo, by bound account, one ambiguous pair, one
// partly paid — made through the API dispatcher and copied out to FILE.
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './cli-run';
import { staffedApi, type TestApi } from './temp-books';

export const CORPORATE_CSV = path.join(REPO, 'test/fixtures/statements/cn/corporate.utf8.csv');
export const CORPORATE_GBK = path.join(REPO, 'test/fixtures/statements/cn/corporate.gbk.csv');
export const CORPORATE_ACCOUNT = '1001010109000012345';

/** What the seeded requests are, and what reconciling the corporate fixture does to them. */
export const CLI_REQUESTS = {
  /** 张三 pays 5,000.00 with CZ1D2F3G in the memo: reference code + exact amount → matched. */
  zhang: { requestId: 'cli-zhang-5000', amount: '5000.00', code: 'CZ1D2F3G' },
  /** 北京某某贸易 pays 12,888.00 from its bound account, memo code unknown: bound account + exact amount → matched. */
  beijing: { requestId: 'cli-beijing-12888', amount: '12888.00', code: 'BJ000001' },
  /** 赵六 pays 648.00 (CZ3N4M5Q) on a request of 650.00: suggested (reference code, part of the amount), left partly paid by hand. */
  zhao: { requestId: 'cli-zhao-650', amount: '650.00', code: 'CZ3N4M5Q' },
  /** Two requests of 2,000.00 with no code in the memo and no bound account: amount only → ambiguous. */
  wangA: { requestId: 'cli-wang-a-2000', amount: '2000.00', code: 'WA000001' },
  wangB: { requestId: 'cli-wang-b-2000', amount: '2000.00', code: 'WB000001' },
};

async function customer(t: TestApi, n: number, name: string, card: string) {
  const customerId = (await t.call('clerk', 'customers.register', { kind: n > 1 ? 'company' : 'person', name })).id;
  const accountId = (await t.call('clerk', 'accounts.open', { customerId, externalId: `ACC-${n}`, name: `账户${n}`, ip: `10.0.0.${n}` }))
    .id;
  await t.call('clerk', 'accounts.bindBank', { accountId, bankName: '工商银行', accountNumber: card, holderName: name });
  return { accountId, card };
}

/**
 * Writes the books to FILE. `requests: false` leaves out the customers and requests (bank account only);
 * `bank: false` leaves out the bank account too.
 */
export async function seedRechargeBooks(file: string, o: { bank?: boolean; requests?: boolean } = {}): Promise<void> {
  const t = await staffedApi('sqlite'); // on either pass: the books are written to FILE (VACUUM INTO)
  try {
    // Requests are made the day before the fixture's first line (2024-03-01, Asia/Shanghai).
    t.clock.now = Date.parse('2024-02-29T10:00:00+08:00');
    if (o.bank !== false)
      await t.call('admin', 'bankAccounts.create', {
        bankName: '中国工商银行 北京分行',
        accountNumber: CORPORATE_ACCOUNT,
        name: '平台收款户',
      });
    if (o.bank !== false && o.requests !== false) {
      const zhang = await customer(t, 1, '张三', '6222021001234567890');
      const beijing = await customer(t, 2, '北京某某贸易有限公司', '11001234567890123456');
      const zhao = await customer(t, 3, '赵六', '6222600260001234567');
      const wang = await customer(t, 4, '王某', '6222000000000000004');
      const make = (p: { accountId: number; card: string }, r: { requestId: string; amount: string; code: string }) =>
        t.call('clerk', 'requests.create', {
          requestId: r.requestId,
          accountId: p.accountId,
          payerAccount: p.card,
          amount: r.amount,
          referenceCode: r.code,
        });
      await make(zhang, CLI_REQUESTS.zhang);
      await make(beijing, CLI_REQUESTS.beijing);
      await make(zhao, CLI_REQUESTS.zhao);
      await make(wang, CLI_REQUESTS.wangA);
      await make(wang, CLI_REQUESTS.wangB);
    }
    await t.dispatcher.jobs.settle();
    fs.rmSync(file, { force: true });
    t.books.raw.prepare('VACUUM INTO ?').run(file);
  } finally {
    await t.cleanup();
  }
}
