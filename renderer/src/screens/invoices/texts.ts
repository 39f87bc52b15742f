// The words of the invoice screens that are worked out, not looked up: the VAT rate as a percentage
// from its integer ratio (no floats), and the books' English problems and refusals (the check's
// per-field problems, the export's validation, the numbers file's refused rows) rewritten in the
// console's language; a wording the screen does not know is shown as the books said it.
import { formatYuan, parseYuan } from '../../../../main/domain/money';
import type { MessageKey, TFunction } from '../../i18n';

export type FieldProblem = { field: string; message: string };

/** {num: 6, den: 100} → "6%", {num: 1, den: 8} → "12.5%"; 不征税 when not taxable. Integer arithmetic only. */
export function ratePercent(t: TFunction, rate: { num: number; den: number }, notTaxable: boolean): string {
  if (notTaxable) return t('inv.notTaxable');
  const bp = (BigInt(rate.num) * 1_000_000n + BigInt(rate.den) / 2n) / BigInt(rate.den); // 1/10000 of a per cent
  const whole = bp / 10_000n;
  const frac = String(bp % 10_000n)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/** "6" / "12.5" typed as a per cent → an integer ratio over 10,000 (reduced); null when not a per cent below 100. */
export function percentToRate(text: string): { num: number; den: number } | null {
  const m = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  let num = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  let den = 10_000;
  if (num === 0) return { num: 0, den: 1 };
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, den);
  num /= g;
  den /= g;
  return { num, den };
}

const FIELD_KEYS: Record<string, MessageKey> = {
  name: 'invreq.field.name',
  taxpayerId: 'invreq.field.taxpayerId',
  address: 'invreq.field.address',
  phone: 'invreq.field.phone',
  bankName: 'invreq.field.bankName',
  bankAccount: 'invreq.field.bankAccount',
  email: 'invreq.field.email',
  remarks: 'invreq.field.remarks',
  naturalPerson: 'invreq.field.naturalPerson',
  invoiceType: 'invreq.field.invoiceType',
  amount: 'invreq.field.amount',
};

/** The field a problem names, as the screen calls it ("recharges[1]" → "充值 2"). */
export function fieldLabel(t: TFunction, field: string): string {
  const rec = /^recharges\[(\d+)\]$/.exec(field);
  if (rec) return t('invreq.field.recharge', { n: Number(rec[1]) + 1 });
  const key = FIELD_KEYS[field];
  return key ? t(key) : field;
}

/** A check problem in the console's language: known wordings are rewritten, anything else shown as the books said it. */
export function problemText(t: TFunction, p: FieldProblem): string {
  const m = p.message.replace(/^[\w[\]]+: /, '');
  const rules: [RegExp, (x: RegExpExecArray) => string][] = [
    [/is required/, () => t('invreq.problem.required')],
    [/is (\d+) characters; at most (\d+)/, (x) => t('invreq.problem.tooLong', { n: x[1]!, max: x[2]! })],
    [/may not begin with/, () => t('invreq.problem.formula')],
    [/control characters/, () => t('invreq.problem.control')],
    [/needs the buyer.s taxpayer id/, () => t('invreq.problem.taxpayerNeeded')],
    [/may hold only digits and capital letters/, () => t('invreq.problem.taxpayerChars')],
    [/is (\d+) characters; a taxpayer id has/, (x) => t('invreq.problem.taxpayerLength', { n: x[1]! })],
    [/"(.*)" is not a valid unified social credit code/, (x) => t('invreq.problem.uscc', { id: x[1]! })],
    [/natural person cannot receive/, () => t('invreq.problem.naturalSpecial')],
    [/is not a phone number/, () => t('invreq.problem.phone')],
    [/a bank account number/, () => t('invreq.problem.bankAccount')],
    [/is not an email address/, () => t('invreq.problem.email')],
    [/may only be invoiced on a 普通发票/, () => t('invreq.problem.ordinaryOnly')],
    [/^no recharge (\S+)/, (x) => t('invreq.problem.noRecharge', { ref: x[1]! })],
    [/recharge (\S+) is (\w+), not credited/, (x) => t('invreq.problem.notCredited', { ref: x[1]! })],
    [/recharge (\S+) \((\S+)\) belongs to another customer/, (x) => t('invreq.problem.otherCustomer', { ref: x[1]!, receipt: x[2]! })],
    [/recharge (\S+) \((\S+)\) was reversed/, (x) => t('invreq.problem.reversed', { ref: x[1]!, receipt: x[2]! })],
    [
      /nothing is left to invoice on (\S+): paid ([\d.,]+), invoiced ([\d.,]+), held by other requests ([\d.,]+)/,
      (x) =>
        t('invreq.problem.nothingLeft', { receipt: x[1]!, paid: groupYuan(x[2]!), invoiced: groupYuan(x[3]!), held: groupYuan(x[4]!) }),
    ],
    [
      /([\d.,]+) asked, but only ([\d.,]+) of paid money/,
      (x) => t('invreq.problem.overAmount', { asked: groupYuan(x[1]!), left: groupYuan(x[2]!) }),
    ],
  ];
  for (const [re, say] of rules) {
    const x = re.exec(m);
    if (x) return say(x);
  }
  return p.message;
}

/** "1288.00" as the books wrote it → "1,288.00" (parsed as a decimal string, never through a float). */
function groupYuan(s: string): string {
  try {
    return formatYuan(parseYuan(s.replaceAll(',', '')), true);
  } catch {
    return s;
  }
}

/** A refusal code from a bulk action (four_eyes, stale_version, …) in words; the books' message otherwise. */
export function refusalText(t: TFunction, code: string, reason: string): string {
  const key = `invreq.refusal.${code}` as MessageKey;
  const text = t(key);
  return text === key ? reason : text;
}

/** One of the export's problems ("FP2026000001 购买方名称: begins like a spreadsheet formula") in the console's language. */
export function exportProblemText(t: TFunction, p: string): string {
  const m = /^(\S+) (\S+): (.*)$/.exec(p);
  if (!m) return p;
  const [, serial, column, why] = m as unknown as [string, string, string, string];
  const rules: [RegExp, (x: RegExpExecArray) => string][] = [
    [/^required on a 增值税专用发票/, () => t('invexp.problem.specialNeedsId')],
    [/^required$/, () => t('invreq.problem.required')],
    [/^longer than (\d+) characters/, (x) => t('invexp.problem.tooLong', { max: x[1]! })],
    [/^begins like a spreadsheet formula/, () => t('invreq.problem.formula')],
    [/^the invoice has no lines/, () => t('invexp.problem.noLines')],
    [/^"(.*)" is not 19 digits/, (x) => t('invexp.problem.taxCode', { code: x[1]! })],
    [/^不征税 lines go only on a 普通发票/, () => t('invreq.problem.ordinaryOnly')],
  ];
  for (const [re, say] of rules) {
    const x = re.exec(why);
    if (x) return `${serial} ${column}：${say(x)}`;
  }
  return p;
}

/** A refused row of the tax platform's numbers file, in the console's language where the wording is known. */
export function numberRefusal(t: TFunction, reason: string): string {
  let m = /^line (\d+): no invoice with serial (\S+)/.exec(reason);
  if (m) return t('inv.numbers.noSerial', { line: m[1]!, serial: m[2]! });
  m = /^line (\d+): (\S+) already has number (\d+)/.exec(reason);
  if (m) return t('inv.numbers.hasNumber', { line: m[1]!, serial: m[2]!, number: m[3]! });
  m = /^line (\d+): number (\d+) already belongs to (\S+)/.exec(reason);
  if (m) return t('inv.numbers.taken', { line: m[1]!, number: m[2]!, serial: m[3]! });
  return reason;
}

/** Why a numbers file was refused whole (its header, or its bad rows), in the console's language where known. */
export function numbersFileText(t: TFunction, message: string, file: string): string {
  if (/no header row naming 发票流水号 and 发票号码/.test(message)) return t('inv.numbers.noHeader', { file });
  if (/no rows under the header/.test(message)) return t('inv.numbers.noRows', { file });
  const m = /: (\d+) bad row\(s\), nothing was recorded/.exec(message);
  if (m) return t('inv.numbers.badRows', { file, n: m[1]! });
  return message;
}

/** One bad row of a refused numbers file. */
export function numbersRowText(t: TFunction, p: string): string {
  let m = /^line (\d+), 发票流水号: "(.*)" is not a serial/.exec(p);
  if (m) return t('inv.numbers.badSerial', { line: m[1]!, serial: m[2]! });
  m = /^line (\d+), 发票号码: "(.*)" is not a 20-digit invoice number/.exec(p);
  if (m) return t('inv.numbers.badNumber', { line: m[1]!, number: m[2]! });
  m = /^line (\d+), 发票流水号: (\S+) appears twice with different numbers/.exec(p);
  if (m) return t('inv.numbers.twice', { line: m[1]!, serial: m[2]! });
  return p;
}
