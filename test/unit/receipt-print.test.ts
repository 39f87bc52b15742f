// The printed 充值记录 (issue 13 §2): the company from the books, the amount in figures and in 大写, the
// labels in the console's language, and 经办 / 复核 / 审批 with the people's display names.
//
// The case: 张伟 asks for 60,005.20; 60,000.00 arrives. 李四 (clerk) matches it by hand and proposes the
// 5.20 difference as a fee write-off; 赵六 (approver) confirms it; the amount is above the 50,000.00 dual
// threshold, so 钱七 and 孙八 approve. The record carries the full 60,005.20 (a fee: the platform bears it):
// 大写 陆万零伍元贰角 (the 千百十 zeros are one 零, nothing after 角). Coins at 10 a yuan rounded down:
// 6,000,520 × 10 / 100 = 600,052, and the 5,000.00 tier's 10 %: 60,005.2 → 60,005 bonus.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inWriteTx } from '../../main/db/tx';
import { firstValue, PASSWORD, testApi, type TestApi } from '../support/temp-books';
import { importStatement, line, payer, request, setUpBank, statement, writeOff } from '../support/recharge-fixtures';
import { addStaff } from '../support/staff';

let t: TestApi;
let recordId: number;
let receiptNo: string;

beforeEach(async () => {
  t = await testApi();
  t.clock.now = Date.parse('2026-11-20T10:00:00+08:00');
  await t.call('admin', 'setup.createFirstAdmin', { username: 'admin', displayName: '管理员', password: PASSWORD });
  for (const [username, displayName, role] of [
    ['admin2', '管理员二', 'admin'],
    ['clerk', '李四', 'clerk'],
    ['zhaoliu', '赵六', 'approver'],
    ['qianqi', '钱七', 'approver'],
    ['sunba', '孙八', 'approver'],
    ['auditor', '审计', 'auditor'],
  ] as const)
    await addStaff(t.call, { username, displayName, role }, { confirmer: username === 'admin2' ? 'admin' : 'admin2' });
  await setUpBank(t);
  const zhang = await payer(t, 1, '张伟');
  const r = await request(t, zhang, '60005.20', 'BIG60005');
  await importStatement(
    t,
    statement([
      line('2026-11-20', '60000.00', { memo: 'BIG60005', bank_ref: 'IN-60000', counterparty: { name: '张伟', account: zhang.card } }),
    ]),
  );
  const lineId = Number(await firstValue(t.anyBooks, "SELECT id FROM bank_lines WHERE bank_ref = 'IN-60000'"));
  await t.call('clerk', 'reconcile.match', { lineId, requestId: r.id, amount: '6000000' });
  await writeOff(t, { requestId: r.id, amount: '520', kind: 'fee', reason: '汇款行扣手续费' }, 'zhaoliu');
  for (const who of ['qianqi', 'sunba']) {
    const seen = (await t.call('auditor', 'requests.get', { id: r.id })).request;
    await t.call(who, 'approvals.approve', { items: [{ id: seen.id, version: seen.version }] });
  }
  const rec = (await t.anyBooks.sql('SELECT id, receipt_no FROM recharge_records WHERE request_id = ?').get(r.id)) as {
    id: number;
    receipt_no: string;
  };
  recordId = rec.id;
  receiptNo = rec.receipt_no;
});
afterEach(async () => t.cleanup());

/** The page's text as a reader sees it: tags dropped, spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the printed recharge record', () => {
  it('in Chinese: company, amount in figures and 大写, evidence, 经办 / 复核 / 审批 by name', async () => {
    await inWriteTx(t.anyBooks, (tx) =>
      tx
        .sql(
          "INSERT INTO meta (key, value) VALUES ('company.name', '杭州某某网络科技有限公司') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .run(),
    );
    const html = await t.call('auditor', 'records.html', { id: recordId, lang: 'zh-CN' });
    const page = text(html);
    expect(html).toContain('<html lang="zh-CN">');
    expect(page).toContain('杭州某某网络科技有限公司');
    expect(page).toContain(`编号：${receiptNo}`);
    expect(page).toMatch(/记账凭证：记-2026-11-\d{4}/);
    expect(page).toContain('充值金额（小写） ¥60,005.20');
    expect(page).toContain('充值金额（大写） 人民币陆万零伍元贰角');
    expect(page).toContain('支付方式 银行转账');
    expect(page).toContain('到账币 600,052');
    expect(page).toContain('赠送币（不开票） 60,005');
    expect(page).toContain('v0 · 每 1.00 元 = 10 币，向下取整 · 满 5,000.00 元赠送 10%');
    // The evidence: the bank line (date, serial, payer) and the fee write-off.
    expect(page).toContain('2026-11-20 银行收款 IN-60000 张伟 60,000.00');
    expect(page).toContain('核销（手续费，平台承担） 5.20');
    // Who: 李四 matched and proposed the write-off, 赵六 confirmed it, 钱七 and 孙八 approved.
    expect(page).toContain('经办： 李四');
    expect(page).toContain('复核： 赵六');
    expect(page).toContain('审批： 钱七、孙八');
    expect(page).toContain('打印人：审计');
    // No username, code or English label on the Chinese page.
    expect(page).not.toMatch(/zhaoliu|qianqi|sunba|writeoff|bank_ref|Recharge|rule:/);
  });

  it('in English, with a blank for the company when the books name none; the job saves the same page', async () => {
    const html = await t.call('auditor', 'records.html', { id: recordId, lang: 'en' });
    const page = text(html);
    expect(html).toContain('<html lang="en">');
    expect(page).toContain('Company: ________________________');
    expect(page).toContain('Recharge record');
    expect(page).toContain('Amount (figures) ¥60,005.20');
    expect(page).toContain('Amount in Chinese capitals (大写) 人民币陆万零伍元贰角');
    expect(page).toContain('Paid by Bank transfer');
    expect(page).toContain('10 coins per 1.00 yuan, rounded down · from 5,000.00 yuan: 10% bonus');
    expect(page).toContain('Write-off (fee, borne by the platform) 5.20');
    expect(page).toContain('Handled by: 李四');
    expect(page).toContain('Reviewed by: 赵六');
    expect(page).toContain('Approved by: 钱七, 孙八');
    // Chinese only in the data (names, 大写, the bank's payer), not in the labels.
    const labels = page.replace(/张伟|李四|赵六|钱七|孙八|审计|账户1|人民币陆万零伍元贰角|大写|记-\d{4}-\d{2}-\d{4}/g, '');
    expect(labels).not.toMatch(/[\u4e00-\u9fff]/);

    const saved = await t.runJob('auditor', 'records.print', { id: recordId, lang: 'en' });
    expect(saved.format).toBe('html');
    expect(text(fs.readFileSync(saved.path, 'utf8'))).toContain('Approved by: 钱七, 孙八');
  });
});
