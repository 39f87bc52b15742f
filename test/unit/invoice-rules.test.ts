// Invoice rules a user meets at the check: the unified social credit code's check character, the
// buyer's fields as the tax template allows them, and the tax split of a tax-inclusive amount.
import { describe, expect, it } from 'vitest';
import { checkBuyer, type Buyer } from '../../main/domain/invoice-buyer';
import { companyBuyer } from '../support/buyers';
import { PREPAID_VALUE, invoiceLines, isValidUscc, lineTotals, rateText, splitTax, usccCheckChar } from '../../main/domain/invoice-tax';

const buyer = companyBuyer;
const fields = (b: Buyer) => checkBuyer(b).map((p) => p.field);

describe('unified social credit code', () => {
  it('accepts published codes and refuses a wrong check character', () => {
    for (const c of ['91350100M000100Y43', '91110000600037341L', '91310000775785552L', '91440300708461136T'])
      expect(isValidUscc(c)).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(usccCheckChar('91350100M000100I4')).toBeNull(); // I is not in the charset
  });
  it('maps a check value of 31 to 0', () => {
    // Find a prefix whose weighted sum is a multiple of 31: the check is then "0".
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });
});

describe('buyer fields', () => {
  it('pass a complete ordinary request', () => {
    expect(checkBuyer(buyer({ email: 'fp@example.com', remarks: '11 月充值', phone: '0571-88886666' }))).toEqual([]);
  });
  it('need the taxpayer id on a special invoice, and refuse natural persons there', () => {
    expect(fields(buyer({ invoiceType: 'special', taxpayerId: null }))).toEqual(['taxpayerId']);
    expect(fields(buyer({ invoiceType: 'special', naturalPerson: true }))).toEqual(['naturalPerson']);
    expect(fields(buyer({ name: '张伟', taxpayerId: null, naturalPerson: true }))).toEqual([]);
  });
  it('name the bad taxpayer id with its reason', () => {
    const [p] = checkBuyer(buyer({ taxpayerId: '91350100M000100Y44' }));
    expect(p).toMatchObject({ field: 'taxpayerId' });
    expect(p!.message).toMatch(/check character/);
    expect(checkBuyer(buyer({ taxpayerId: '1234567890123' }))[0]!.message).toMatch(/15, 18 or 20/);
    expect(checkBuyer(buyer({ taxpayerId: '91350100m000100y43' }))[0]!.message).toMatch(/capital letters/);
    expect(fields(buyer({ taxpayerId: '110101199003074512' }))).toEqual(['taxpayerId']);
    expect(fields(buyer({ taxpayerId: '123456789012345' }))).toEqual([]);
  });
  it('hold lengths to the template: name 100, email 72, remarks 230', () => {
    expect(fields(buyer({ name: '名'.repeat(100) }))).toEqual([]);
    expect(fields(buyer({ name: '名'.repeat(101) }))).toEqual(['name']);
    expect(fields(buyer({ remarks: 'x'.repeat(231) }))).toEqual(['remarks']);
    expect(fields(buyer({ email: `${'a'.repeat(61)}@example.com` }))).toEqual(['email']);
    expect(fields(buyer({ email: 'not an email' }))).toEqual(['email']);
    expect(fields(buyer({ name: '' }))).toEqual(['name']);
  });
  it('refuse a buyer name or remark that begins like a spreadsheet formula', () => {
    for (const lead of ['=', '+', '-', '@']) {
      expect(fields(buyer({ name: `${lead}HYPERLINK("x")` }))).toEqual(['name']);
      expect(fields(buyer({ remarks: `${lead}1+1` }))).toEqual(['remarks']);
    }
    expect(checkBuyer(buyer({ name: '=cmd' }))[0]!.message).toMatch(/formula/);
  });
});

describe('tax split of a tax-inclusive amount', () => {
  it('rounds half up to the fen', () => {
    expect(splitTax(10_600, { num: 6, den: 100 })).toEqual({ net: 10_000, tax: 600 });
    expect(splitTax(9, { num: 6, den: 100 })).toEqual({ net: 8, tax: 1 }); // 0.509 fen → 1
    expect(splitTax(8, { num: 6, den: 100 })).toEqual({ net: 8, tax: 0 }); // 0.453 fen → 0
    expect(splitTax(128_800, { num: 0, den: 1 })).toEqual({ net: 128_800, tax: 0 });
    expect(splitTax(-10_600, { num: 6, den: 100 })).toEqual({ net: -10_000, tax: -600 });
  });
  it('prints rates as the template wants', () => {
    expect(rateText({ num: 6, den: 100 }, false)).toBe('0.06');
    expect(rateText({ num: 13, den: 100 }, false)).toBe('0.13');
    expect(rateText({ num: 0, den: 1 }, true)).toBe('不征税');
  });
  it('makes lines from the prepaid-value product: 不征税, no tax', () => {
    const lines = invoiceLines(PREPAID_VALUE, [128_800, 5_000]);
    expect(lines.map((l) => [l.lineNo, l.itemName, l.taxCode, l.tax, l.net])).toEqual([
      [1, '预付卡销售和充值', '6010000000000000000', 0, 128_800],
      [2, '预付卡销售和充值', '6010000000000000000', 0, 5_000],
    ]);
    expect(lineTotals(lines)).toEqual({ gross: 133_800, tax: 0, net: 133_800 });
  });
});
