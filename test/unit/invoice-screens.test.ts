// What the invoice screens show in Chinese comes from the refusal code and parameters each problem
// carries: every problem the check, the export and the numbers import really produce has a code in the
// catalogue and comes out in the console's language with its figures (a new problem without a
// catalogue entry fails here, not in front of an accountant), and the VAT rate reads as a percentage
// from its integer ratio.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withBankDesk } from '../support/books-hooks';
import { withOutcome } from '../support/outcome';
import { checkBuyer, type Buyer } from '../../main/domain/invoice-buyer';
import { CofferError } from '../../main/domain/errors';
import { isRefusalCode } from '../../main/domain/refusals';
import { exportInvoiceWorkbook } from '../../main/services/invoice-exports';
import { readInvoiceNumbers } from '../../main/formats/invoice-numbers';
import { translate, type MessageKey } from '../../renderer/src/i18n';
import {
  codedText,
  exportProblemText,
  numbersFileText,
  outcomeText,
  percentToRate,
  problemText,
  ratePercent,
  type ExportProblem,
} from '../../renderer/src/screens/invoices/texts';
import * as fx from '../support/invoice-fixtures';
import { companyBuyer } from '../support/buyers';
import { type Payer } from '../support/recharge-fixtures';
import { type TestApi } from '../support/temp-books';
import { addStaff } from '../support/staff';

const zh = (key: MessageKey, vars?: Record<string, string | number>) => translate('zh-CN', key, vars);
const en = (key: MessageKey, vars?: Record<string, string | number>) => translate('en', key, vars);
/** English left in a Chinese sentence: a lower-case word of three letters or more, once ids, numbers, amounts and quoted input are set aside. */
const english = (text: string) =>
  /\b[a-z]{3,}\b/.test(
    text
      .replace(/“[^”]*”/g, '') // what the user typed, quoted back as it was
      .replace(/[\w:.,-]*\d[\w:.,-]*/g, ''),
  );

describe('the VAT rate on screen', () => {
  it('reads an integer ratio as a percentage and 不征税 as such', () => {
    expect(ratePercent(zh, { num: 6, den: 100 }, false)).toBe('6%');
    expect(ratePercent(zh, { num: 1, den: 8 }, false)).toBe('12.5%');
    expect(ratePercent(zh, { num: 13, den: 100 }, false)).toBe('13%');
    expect(ratePercent(zh, { num: 0, den: 1 }, true)).toBe('不征税');
    expect(ratePercent(en, { num: 0, den: 1 }, true)).toBe('Not taxable');
  });

  it('turns a typed percentage into a reduced ratio, and refuses what is not one', () => {
    expect(percentToRate('6')).toEqual({ num: 3, den: 50 });
    expect(percentToRate('12.5')).toEqual({ num: 1, den: 8 });
    expect(percentToRate('0')).toEqual({ num: 0, den: 1 });
    for (const bad of ['100', '6%', '-1', 'abc', '1.234', '']) expect(percentToRate(bad)).toBeNull();
    for (const typed of ['3', '6', '9', '13', '1.5', '0.25']) {
      const r = percentToRate(typed)!;
      expect(ratePercent(zh, r, false)).toBe(`${typed}%`);
    }
  });
});

describe('the check’s problems in Chinese', () => {
  const base: Buyer = companyBuyer({ taxpayerId: null });

  it('says every problem the buyer check names by its code, in Chinese', () => {
    const buyers: Partial<Buyer>[] = [
      { name: '=HYPERLINK("x")', remarks: '+1', email: 'nope', phone: 'call me', bankAccount: 'IBAN?' },
      { invoiceType: 'special', naturalPerson: true },
      { taxpayerId: '91330106MA2CXYN1D3' },
      { taxpayerId: '91330106ma2cxyn1dx' },
      { taxpayerId: '1234567890123456' },
      { name: '', remarks: '备'.repeat(231), address: '地\u0001址' },
      { email: `${'a'.repeat(70)}@example.com` },
    ];
    let seen = 0;
    for (const b of buyers) {
      for (const p of checkBuyer({ ...base, ...b })) {
        seen++;
        expect(isRefusalCode(p.code), p.code).toBe(true);
        expect(p.message.startsWith(`${p.field}: `)).toBe(true);
        const text = problemText(zh, p);
        expect(text, p.message).not.toBe(p.message);
        expect(english(text), text).toBe(false);
      }
    }
    expect(seen).toBeGreaterThanOrEqual(14);
    const [uscc] = checkBuyer({ ...base, taxpayerId: '91330106MA2CXYN1D3' });
    expect(uscc).toMatchObject({ field: 'taxpayerId', code: 'taxpayer_id_check', params: { id: '91330106MA2CXYN1D3' } });
    expect(problemText(zh, uscc!)).toBe('“91330106MA2CXYN1D3”的统一社会信用代码校验位不符');
    const [long] = checkBuyer({ ...base, remarks: '备'.repeat(231) });
    expect(long).toMatchObject({ field: 'remarks', code: 'text_too_long', params: { length: '231', max: '230' } });
    expect(problemText(zh, long!)).toBe('231 个字，最多 230 个');
    expect(problemText(en, long!)).toBe('231 characters; at most 230');
    // A problem stored before codes existed is shown as the books said it.
    expect(problemText(zh, { field: 'name', message: 'name: as stored' })).toBe('name: as stored');
  });

  describe('through the books', () => {
    let t: TestApi;
    let zhang: Payer;
    let li: Payer;
    withBankDesk({}, ['张伟', '李娜'], (desk) => ([t, zhang, li] = desk));

    it('says the recharge problems by code, with the amounts grouped as the screens show them, and keeps them with the request', async () => {
      const a = await fx.credited(t, zhang, '1288.00', 'SCRA0001');
      const b = await fx.credited(t, li, '50.00', 'SCRB0001');
      const greedy = await fx.ask(t, zhang.customerId, [a.recordId], { amount: '1300.00' });
      const foreign = await fx.ask(t, zhang.customerId, [b.recordId]);
      const all = await fx.ask(t, zhang.customerId, [a.recordId]);
      const again = await fx.ask(t, zhang.customerId, [a.recordId]);
      const special = await fx.ask(t, zhang.customerId, [a.recordId], { invoiceType: 'special' });
      const out = await fx.check(t, [greedy.id, foreign.id, all.id, again.id, special.id]);
      expect(out.map((o) => o.outcome)).toEqual(['rejected', 'rejected', 'checked', 'rejected', 'rejected']);
      const problems = out.flatMap((o) => ('problems' in o ? o.problems : []));
      expect(problems.map((p) => p.code)).toEqual([
        'invoice_amount_over',
        'recharge_other_customer',
        'recharge_nothing_left',
        'invoice_ordinary_only',
        'recharge_nothing_left',
      ]);
      const texts = problems.map((p) => problemText(zh, p));
      for (const text of texts) expect(english(text), text).toBe(false);
      expect(texts).toContain('申请 1,300.00 元，所列充值的实付金额中仅剩 1,288.00 元可开票（赠送币不开票）');
      expect(texts.some((x) => x.includes('属于其他客户'))).toBe(true);
      expect(texts).toContain(`${a.receiptNo} 已无可开票金额：实付 1,288.00，已开票 0.00，其他申请预留 1,288.00`);
      expect(texts).toContain('预付卡销售和充值只能开具普通发票，不能开增值税专用发票');
      // Stored with the request: its page gives the same codes and parameters back.
      const page = await t.call('auditor', 'invoices.request', {
        id: greedy.id,
      });
      expect(page.request.problems).toEqual([
        expect.objectContaining({ field: 'amount', code: 'invoice_amount_over', params: { askedFen: '130000', leftFen: '128800' } }),
      ]);
    });

    it('names a four-eyes refusal, an export refusal and a refused numbers row in Chinese', async () => {
      await addStaff(t.call, { username: 'approver2', displayName: '审核二', role: 'approver' });
      const rec = await fx.credited(t, zhang, '500.00', 'SCRC0001');
      const r = await fx.ask(t, zhang.customerId, [rec.recordId]);
      await fx.check(t, [r.id], 'approver');
      const [refused] = await fx.issue(t, [r.id], 'approver');
      expect(refused).toMatchObject({ outcome: 'refused', code: 'invoice_four_eyes', params: { user: 'approver' } });
      expect(outcomeText(zh, withOutcome(refused, 'refused'))).toBe(
        `四眼原则：approver 录入或检查了开票申请 ${refused!.requestId}，须由另一位审批人开具`,
      );
      expect(outcomeText(zh, { code: 'something_new', reason: 'as the books said' })).toBe('as the books said');

      const inv = await fx.issuedInvoice(t, zhang, '300.00', 'SCRD0001');
      await t.anyBooks.sql('UPDATE invoices SET remarks = ? WHERE id = ?').run('@SUM(1)', inv.invoiceId);
      const target = path.join(t.dir, 'refused.xlsx');
      const err = await exportInvoiceWorkbook(t.anyBooks, target, { ids: [inv.invoiceId] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CofferError);
      const problems = (err as CofferError).details.problems as ExportProblem[];
      expect(problems).toEqual([
        expect.objectContaining({
          serial: inv.serial,
          column: '备注',
          code: 'cell_formula',
          message: `${inv.serial} 备注: begins like a spreadsheet formula`,
        }),
      ]);
      expect(problems.map((p) => exportProblemText(zh, p))).toEqual([`${inv.serial} 备注：不能以 = + - @ 开头（表格会当作公式）`]);
      expect(fs.existsSync(target)).toBe(false);

      const numbers = async (name: string, rows: string[]) => {
        const file = path.join(t.dir, name);
        fs.writeFileSync(file, ['发票流水号,发票号码', ...rows].join('\n') + '\n');
        t.dialogs.nextOpen = file;
        return t.runJob('clerk', 'invoices.importNumbers');
      };
      const first = await numbers('numbers-1.csv', [`${inv.serial},26332000000012345678`, 'FP1999000001,26332000000012345679']);
      expect(first.set).toBe(1);
      const second = await numbers('numbers-2.csv', [`${inv.serial},26332000000099999999`]);
      expect([...first.refused, ...second.refused].map((x) => x.code)).toEqual(['numbers_no_serial', 'numbers_has_number']);
      const reasons = [...first.refused, ...second.refused].map((x) => outcomeText(zh, x));
      expect(reasons).toEqual(['第 3 行：没有流水号为 FP1999000001 的发票', `第 2 行：${inv.serial} 已有号码 26332000000012345678`]);
    });
  });
});

describe('a numbers file refused whole, in Chinese', () => {
  const refusal = async (text: string) => {
    const e = await readInvoiceNumbers(Buffer.from(text), 'n.csv').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CofferError);
    return e as CofferError;
  };
  it('says why and names each bad row', async () => {
    const bad = await refusal(
      '发票流水号,发票号码\nFP2026000001,123\nfp 1,26332000000012345678\nFP2026000002,26332000000012345678\nFP2026000002,26332000000012345679\n',
    );
    expect(bad.details).toMatchObject({ reason: 'numbers_bad_rows', params: { file: 'n.csv', count: '3' } });
    expect(numbersFileText(zh, bad)).toBe('n.csv：3 行有误，整个文件未记录');
    const rows = bad.details.problems as { code: string; params: Record<string, string>; message: string }[];
    expect(rows.map((p) => p.code)).toEqual(['numbers_bad_number', 'numbers_bad_serial', 'numbers_twice']);
    expect(rows.map((p) => codedText(zh, p))).toEqual([
      '第 2 行：“123”不是 20 位发票号码',
      '第 3 行：“FP 1”不是发票流水号',
      '第 5 行：FP2026000002 出现两次且号码不同',
    ]);
    expect(numbersFileText(zh, await refusal('serial;amount\nFP1;1\n'))).toContain('没有同时写明');
    expect(numbersFileText(zh, await refusal('发票流水号,发票号码\n'))).toBe('n.csv：表头下没有数据');
  });
});
