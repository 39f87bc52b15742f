// The words of the invoice screens that are worked out, not looked up by a fixed key: the VAT rate as a
// percentage from its integer ratio (no floats), and the books' problems and refusals (the check's
// per-field problems, the export's validation, the numbers file's rows), each carrying a refusal code
// and parameters that the refusal catalogue says in the console's language — never matched as English.
import type { MessageKey, TFunction } from '../../i18n';
import { refusalOfError, refusalText, type RefusalLike } from '../../i18n/refusal-text';

/** A problem or refusal as the books send it: a code with parameters, and the English message. A problem
 * stored before codes existed has no code, and is shown as the books said it. */
type Coded = { code?: string | undefined; params?: Record<string, string> | null | undefined; message: string };
export type FieldProblem = Coded & { field: string };
export type ExportProblem = Coded & { serial: string; column: string };

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

/** What a coded problem or refusal says, in the console's language. */
export function codedText(t: TFunction, p: Coded): string {
  return refusalText(t, { code: p.code ?? '', params: p.params, message: p.message } satisfies RefusalLike);
}

/** A check problem (the field is shown beside it). */
export const problemText = (t: TFunction, p: FieldProblem): string => codedText(t, p);

/** One of the export's problems, naming the invoice's serial and the column. */
export const exportProblemText = (t: TFunction, p: ExportProblem): string => `${p.serial} ${p.column}：${codedText(t, p)}`;

/** A refusal from a bulk action (four eyes, a stale version, …) or a refused row of the numbers file. */
export const outcomeText = (
  t: TFunction,
  r: { code?: string | undefined; params?: Record<string, string> | undefined; reason: string },
): string => codedText(t, { code: r.code, params: r.params, message: r.reason });

/** Why a numbers file was refused whole (its header, or its bad rows). */
export function numbersFileText(t: TFunction, e: { message: string; details: Record<string, unknown> }): string {
  const r = refusalOfError(e.details);
  return r ? refusalText(t, r) : e.message;
}
