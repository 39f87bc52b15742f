// The chart of accounts (科目表): the default codes and mapping, adding and renaming subjects, remapping a
// ledger account with four eyes, coded refusals that write nothing, and the month's figures by business
// date against numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '../../main/api/contract';
import { inWriteTx } from '../../main/db/tx';
import { createTransfers, expectPosted, type PostInput } from '../../main/services/ledger-post';
import { createBankAccount } from '../../main/services/bank-statements';
import { cnyAccount } from '../../main/services/system-accounts';
import { SYSTEM_ACTOR } from '../../main/services/actor';
import type { ChartDto } from '../../main/api/methods/chart';
import { withStaffedApi } from '../support/books-hooks';
import { firstValue, type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';

let t: TestApi;
withStaffedApi(async (api) => {
  t = api;
  await addStaff(t.call, { username: 'admin2', displayName: '第二管理员', role: 'admin' });
});

const chart = (month?: string) => t.call('clerk', 'chart.list', month ? { month } : {});
const line = (c: ChartDto, code: string) => c.lines.find((l) => l.code === code)!;
/** Everything a refused call must leave alone. */
const snapshot = async () => {
  const tables = [];
  for (const [table, key] of Object.entries({ subjects: 'code', accounts: 'id', chart_changes: 'id', audit: 'id' }))
    tables.push(await t.anyBooks.sql(`SELECT * FROM ${table} ORDER BY ${key}`).all());
  return JSON.stringify(tables);
};
async function refused<M extends MethodName>(client: string, method: M, input: MethodInput<M>, code: string, reason: string) {
  const before = await snapshot();
  await expect(t.call(client, method, input)).rejects.toMatchObject({ code, details: { reason } });
  expect(await snapshot()).toBe(before);
}
const post = (inputs: PostInput[]) =>
  inWriteTx(t.anyBooks, async (tx) => expectPosted(await createTransfers(tx, inputs, { staffId: null, now: Date.now() })));
const acct = async (code: string) => cnyAccount(t.anyBooks, code);

describe('the default chart', () => {
  it('carries the 企业会计准则 codes, and the system accounts map to their leaves', async () => {
    const c = await chart();
    expect(line(c, '2204')).toMatchObject({ name: '合同负债', type: 'liability', side: 'credit', leaf: true, level: 1 });
    expect(line(c, '2204').accounts.map((a) => a.code)).toEqual(['customer_prepayments']);
    expect(line(c, '224101')).toMatchObject({
      name: '未分配收款',
      parentCode: '2241',
      level: 2,
      accounts: [{ code: 'unallocated_receipts' }],
    });
    expect(line(c, '224102').accounts.map((a) => a.code)).toEqual(['refunds_payable']);
    expect(line(c, '122101').accounts.map((a) => a.code)).toEqual(['suspense']);
    expect(line(c, '660301')).toMatchObject({ type: 'expense', side: 'debit', accounts: [{ code: 'bank_fees' }] });
    expect(line(c, '410401').accounts.map((a) => a.code)).toEqual(['opening_balances']);
    expect(line(c, '2241')).toMatchObject({ leaf: false, accounts: [] });
    expect(line(c, '6001').accounts.map((a) => a.code)).toEqual(['gl:6001']);
    expect(c.unmapped).toEqual([]);
    expect(c.totals).toMatchObject({ debitsPosted: '0', creditsPosted: '0', balanced: true, period: null });
  });

  it('names each CNY ledger account by its subject in both languages, a parent subject too (科目与账户 shows no stored English)', async () => {
    const { rows } = await t.call('clerk', 'ledger.accounts', { ledger: 1, search: 'gl:' });
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect(byCode.get('gl:2202')).toMatchObject({ subjectCode: '2202', subjectName: '应付账款', subjectNameEn: 'Accounts payable' });
    expect(byCode.get('gl:6001')).toMatchObject({ subjectCode: '6001', subjectName: '主营业务收入' });
    expect(byCode.get('gl:2202')!.name).not.toBe('应付账款'); // stored in English: the screen must use the subject's name
  });

  it('gives each bank account its own sub-account of 1002', async () => {
    await inWriteTx(t.anyBooks, async (tx) =>
      createBankAccount(tx, SYSTEM_ACTOR, { bankName: '工商银行', accountNumber: '6222020200011234', name: '收款户' }, 1),
    );
    expect(line(await chart(), '100201')).toMatchObject({ name: '工商银行 1234', type: 'asset', accounts: [{ code: 'bank' }] });
  });
});

describe('adding and renaming subjects (at once, audited)', () => {
  it('adds sub-accounts with the next free code and their parent type, each with its ledger account', async () => {
    const a = await t.call('admin', 'chart.addSubject', {
      parentCode: '6602',
      name: '服务器费用',
      nameEn: 'Servers',
    });
    expect(a).toMatchObject({ code: '660201', type: 'expense', leaf: true, accounts: [{ code: 'gl:660201' }] });
    expect(
      await t.call('admin', 'chart.addSubject', { parentCode: '6602', name: '办公费', nameEn: 'Office', type: 'expense' }),
    ).toMatchObject({
      code: '660202',
    });
    expect(await t.call('admin', 'chart.addSubject', { parentCode: '6602', code: '660299', name: '其他', nameEn: 'Other' })).toMatchObject({
      code: '660299',
    });
    // a first-level revenue subject
    expect(
      await t.call('admin', 'chart.addSubject', { code: '6111', name: '投资收益', nameEn: 'Investment income', type: 'revenue' }),
    ).toMatchObject({ code: '6111', type: 'revenue', side: 'credit', accounts: [{ code: 'gl:6111' }] });
    const c = await chart();
    expect(line(c, '6602').leaf).toBe(false);
    const audit = await t.anyBooks.sql("SELECT entity_id FROM audit WHERE action = 'chart.addSubject' ORDER BY id").all();
    expect(audit).toEqual([{ entity_id: '660201' }, { entity_id: '660202' }, { entity_id: '660299' }, { entity_id: '6111' }]);
  });

  it('renames a subject (中文 and English), audited with before and after', async () => {
    await t.call('admin', 'chart.renameSubject', { code: '6602', name: '管理费用（总部）', nameEn: 'Head office expenses' });
    expect(line(await chart(), '6602')).toMatchObject({ name: '管理费用（总部）', nameEn: 'Head office expenses' });
    const before = await firstValue<string>(t.anyBooks, "SELECT before_json FROM audit WHERE action = 'chart.renameSubject'");
    expect(JSON.parse(before)).toEqual({ name: '管理费用', nameEn: 'Administrative expenses' });
  });

  it('refuses bad input with a code and writes nothing', async () => {
    const sub = { name: '新科目', nameEn: 'New' };
    await refused('admin', 'chart.addSubject', { ...sub, parentCode: '6699' }, 'REFUSED', 'unknown_subject');
    await refused('admin', 'chart.addSubject', { ...sub, parentCode: '6602', code: '66021' }, 'VALIDATION', 'subject_code_invalid');
    await refused('admin', 'chart.addSubject', { ...sub, parentCode: '6602', code: '660101' }, 'VALIDATION', 'subject_not_child');
    await refused('admin', 'chart.addSubject', { ...sub, parentCode: '6602', type: 'revenue' }, 'VALIDATION', 'subject_type_mismatch');
    await refused('admin', 'chart.addSubject', { ...sub, parentCode: '2241', code: '224101' }, 'CONFLICT', 'subject_exists');
    await refused('admin', 'chart.addSubject', { ...sub, code: '6602', type: 'expense' }, 'CONFLICT', 'subject_exists');
    await refused('admin', 'chart.addSubject', { ...sub, type: 'expense' }, 'VALIDATION', 'subject_code_required');
    await refused('admin', 'chart.addSubject', { ...sub, code: '6055', type: 'asset' }, 'VALIDATION', 'subject_code_class');
    // a leaf a system account posts to cannot get children: its money would be stranded on a parent
    await refused('admin', 'chart.addSubject', { ...sub, parentCode: '2204' }, 'REFUSED', 'subject_in_use');
    await refused('admin', 'chart.renameSubject', { code: '9999', name: 'x', nameEn: 'x' }, 'REFUSED', 'unknown_subject');
  });

  it('refuses children under a leaf whose own ledger account has postings', async () => {
    await post([
      {
        key: 'x',
        ledger: 1,
        debitAccountId: await acct('gl:6602'),
        creditAccountId: await acct('suspense'),
        amount: 100,
        code: 'manual',
        date: '2026-11-02',
      },
    ]);
    await refused('admin', 'chart.addSubject', { parentCode: '6602', name: '服务器', nameEn: 'Servers' }, 'REFUSED', 'subject_in_use');
  });
});

describe('remapping a ledger account: a proposal another admin confirms', () => {
  it('moves customer prepayments from 2204 合同负债 to 2203 预收账款 only when a second admin confirms', async () => {
    await post([
      {
        key: 'in',
        ledger: 1,
        debitAccountId: await acct('suspense'),
        creditAccountId: await acct('unallocated_receipts'),
        amount: 100_000,
        code: 'x',
        date: '2026-11-03',
      },
      {
        key: 'pp',
        ledger: 1,
        debitAccountId: await acct('unallocated_receipts'),
        creditAccountId: await acct('customer_prepayments'),
        amount: 64_800,
        code: 'x',
        date: '2026-11-04',
      },
    ]);
    const p = await t.call('admin', 'chart.proposeRemap', {
      accountId: await acct('customer_prepayments'),
      toCode: '2203',
      reason: '沿用旧准则的预收账款',
    });
    expect(p).toMatchObject({ status: 'proposed', fromCode: '2204', toCode: '2203' });
    // nothing moved yet
    expect(line(await chart(), '2204').balance).toBe('64800');
    // the proposer cannot confirm it
    await refused('admin', 'chart.decideRemap', { id: p.id, decision: 'confirmed' }, 'FORBIDDEN', 'own_chart_change');
    // a second proposal for the same account waits for the first
    await refused(
      'admin2',
      'chart.proposeRemap',
      { accountId: await acct('customer_prepayments'), toCode: '224103', reason: 'another idea' },
      'CONFLICT',
      'remap_pending',
    );
    expect(await t.call('admin2', 'chart.decideRemap', { id: p.id, decision: 'confirmed' })).toMatchObject({
      status: 'confirmed',
      decidedByName: '第二管理员',
    });
    const c = await chart();
    expect(line(c, '2203')).toMatchObject({ balance: '64800', accounts: [{ code: 'customer_prepayments' }, { code: 'gl:2203' }] });
    expect(line(c, '2204')).toMatchObject({ balance: '0', accounts: [] });
    expect(c.totals).toMatchObject({ debitsPosted: '164800', creditsPosted: '164800', balanced: true });
    await refused('admin2', 'chart.decideRemap', { id: p.id, decision: 'rejected' }, 'CONFLICT', 'chart_change_decided');
    expect(await t.anyBooks.sql("SELECT action FROM audit WHERE action LIKE 'chart.%' ORDER BY id").all()).toEqual([
      { action: 'chart.proposeRemap' },
      { action: 'chart.confirmRemap' },
    ]);
    // a decided change is never edited or deleted
    await expect(async () => t.anyBooks.sql("UPDATE chart_changes SET status = 'rejected'").run()).rejects.toThrow(/decided already/);
    await expect(async () => t.anyBooks.sql('DELETE FROM chart_changes').run()).rejects.toThrow(/never deleted/);
  });

  it('refuses a target that is not a leaf of the same type, the same subject, an unknown account or change, and a stale proposal', async () => {
    const prepayments = await acct('customer_prepayments');
    const r = 'a reason';
    await refused('admin', 'chart.proposeRemap', { accountId: prepayments, toCode: '2241', reason: r }, 'REFUSED', 'subject_not_leaf');
    await refused(
      'admin',
      'chart.proposeRemap',
      { accountId: prepayments, toCode: '122101', reason: r },
      'REFUSED',
      'subject_type_mismatch',
    );
    await refused('admin', 'chart.proposeRemap', { accountId: prepayments, toCode: '2204', reason: r }, 'REFUSED', 'remap_same');
    await refused('admin', 'chart.proposeRemap', { accountId: prepayments, toCode: '2299', reason: r }, 'REFUSED', 'unknown_subject');
    await refused('admin', 'chart.proposeRemap', { accountId: 99_999, toCode: '2203', reason: r }, 'REFUSED', 'unknown_ledger_account');
    await refused('admin', 'chart.decideRemap', { id: 42, decision: 'confirmed' }, 'REFUSED', 'unknown_chart_change');
    const p = await t.call('admin', 'chart.proposeRemap', { accountId: prepayments, toCode: '2203', reason: r });
    // the mapping changed meanwhile (as another confirmed change would)
    await t.anyBooks.sql("UPDATE accounts SET subject_code = '2202' WHERE id = ?").run(prepayments);
    await refused('admin2', 'chart.decideRemap', { id: p.id, decision: 'confirmed' }, 'CONFLICT', 'remap_stale');
    // a stale proposal can still be rejected
    expect(await t.call('admin2', 'chart.decideRemap', { id: p.id, decision: 'rejected' })).toMatchObject({ status: 'rejected' });
    expect(await t.call('auditor', 'chart.changes', {})).toHaveLength(1);
  });
});

describe('the month by business date (科目余额表 base)', () => {
  it('gives opening, period debit and credit, and closing per subject, parents rolled up', async () => {
    let bank = 0;
    await inWriteTx(t.anyBooks, async (tx) => {
      bank = (await createBankAccount(tx, SYSTEM_ACTOR, { bankName: '工商银行', accountNumber: '6222020200011234', name: '收款户' }, 1))
        .ledgerAccountId;
    });
    const receipts = await acct('unallocated_receipts');
    const prepayments = await acct('customer_prepayments');
    await post([
      { key: 'oct', ledger: 1, debitAccountId: bank, creditAccountId: receipts, amount: 50_000, code: 'bank_in', date: '2026-10-15' },
      { key: 'nov', ledger: 1, debitAccountId: bank, creditAccountId: receipts, amount: 100_000, code: 'bank_in', date: '2026-11-03' },
      {
        key: 'alloc',
        ledger: 1,
        debitAccountId: receipts,
        creditAccountId: prepayments,
        amount: 80_000,
        code: 'approve',
        date: '2026-11-30',
      },
      { key: 'dec', ledger: 1, debitAccountId: bank, creditAccountId: receipts, amount: 20_000, code: 'bank_in', date: '2026-12-01' },
    ]);
    const c = await chart('2026-11');
    expect(c.month).toBe('2026-11');
    // 224101 (credit side): opening 500.00; debit 800.00; credit 1,000.00; closing 500 + 1000 − 800 = 700.00
    expect(line(c, '224101').period).toEqual({ opening: '50000', debit: '80000', credit: '100000', closing: '70000' });
    expect(line(c, '2241').period).toEqual(line(c, '224101').period);
    // bank (debit side): 500.00 + 1,000.00 = 1,500.00 at the end of November; 1,700.00 kept today
    expect(line(c, '100201').period).toEqual({ opening: '50000', debit: '100000', credit: '0', closing: '150000' });
    expect(line(c, '1002')).toMatchObject({ balance: '170000', period: { closing: '150000' } });
    expect(line(c, '2204').period).toEqual({ opening: '0', debit: '0', credit: '80000', closing: '80000' });
    expect(c.totals.period).toEqual({ debit: '180000', credit: '180000' });
    // October: nothing before it; December's opening is November's closing
    expect(line(await chart('2026-10'), '224101').period).toEqual({ opening: '0', debit: '0', credit: '50000', closing: '50000' });
    expect(line(await chart('2026-12'), '224101').period).toEqual({ opening: '70000', debit: '0', credit: '20000', closing: '90000' });
    await expect(t.call('clerk', 'chart.list', { month: '2026-13' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
