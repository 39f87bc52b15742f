// The buyer's details on an invoice request, checked field by field as the batch-import template
// allows (docs: ../shared/reference/invoices.md): every problem names its field and says why.
import { isValidUscc } from './invoice-tax';
import { refusalMessage, type RefusalCode, type RefusalParams } from './refusals';

export type InvoiceType = 'ordinary' | 'special';
export const INVOICE_TYPE_TEXT: Record<InvoiceType, string> = { ordinary: '普通发票', special: '增值税专用发票' };

export interface Buyer {
  invoiceType: InvoiceType;
  name: string;
  taxpayerId: string | null;
  address: string | null;
  phone: string | null;
  bankName: string | null;
  bankAccount: string | null;
  naturalPerson: boolean;
  email: string | null;
  remarks: string | null;
}

/** One problem with one field: a refusal code with its parameters; the English message names the field first. */
export interface FieldProblem {
  field: string;
  code: RefusalCode;
  params: Record<string, string>;
  message: string;
}

export function fieldProblem<C extends RefusalCode>(field: string, code: C, params: RefusalParams<C>): FieldProblem {
  return { field, code, params, message: `${field}: ${refusalMessage(code, params)}` };
}

export const LIMITS = { name: 100, taxpayerId: 20, address: 100, phone: 20, bankName: 100, bankAccount: 50, email: 72, remarks: 230 };

/** Text a spreadsheet would take as a formula: refused in free text that reaches the tax workbook. */
export const FORMULA_LEAD = /^[=+\-@]/;

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const length = (s: string) => [...s].length;

/** Words only an organisation's name holds (公司, 有限, 集团, 中心, 事务所, 合作社, 学校, 医院, …). */
export const ORGANISATION_WORDS = [
  '公司',
  '有限',
  '集团',
  '中心',
  '事务所',
  '合作社',
  '学校',
  '医院',
  '研究院',
  '研究所',
  '协会',
  '学会',
  '委员会',
  '基金会',
  '银行',
  '大学',
  '学院',
  '中学',
  '小学',
  '幼儿园',
  '商行',
  '经营部',
  '门市部',
  '工作室',
  '个体工商户',
  '联合会',
  '俱乐部',
  '办事处',
  '分行',
  '支行',
] as const;
const ORGANISATION_LATIN = /\b(co\.?,?\s*ltd|ltd|limited|inc|llc|corp|corporation|company|gmbh|plc)\b\.?/i;

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** An 18-character resident identity number (GB 11643, ISO 7064 MOD 11-2): a person, even when it also passes the credit-code check. */
export function isResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = RESIDENT_WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/** Facts about the customer behind a request that can make its buyer an organisation. */
export interface BuyerContext {
  /** The customer's kind as registered. */
  customerKind?: 'person' | 'company';
  /** The customer's registered name and id number (an 18-character credit code names an organisation). */
  customerName?: string;
  customerIdNumber?: string | null;
}

/**
 * Whether the buyer is an organisation: by its name (公司/有限/集团/中心/事务所/合作社/学校/医院 … or
 * Co., Ltd/Inc/LLC …), by a unified social credit code as the customer's id number, or because the
 * customer is registered as a company and the buyer is that customer by name.
 */
export function isOrganisationBuyer(name: string, ctx: BuyerContext = {}): boolean {
  const n = name.trim();
  if (ORGANISATION_WORDS.some((w) => n.includes(w)) || ORGANISATION_LATIN.test(n)) return true;
  const id = ctx.customerIdNumber?.trim().toUpperCase() ?? '';
  if (id.length === 18 && isValidUscc(id) && !isResidentId(id)) return true;
  return ctx.customerKind === 'company' && ctx.customerName !== undefined && ctx.customerName.trim() === n;
}

/** Every problem with the buyer's fields; an empty list means they pass. */
export function checkBuyer(b: Buyer, ctx: BuyerContext = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = <C extends RefusalCode>(field: string, code: C, params: RefusalParams<C>) => problems.push(fieldProblem(field, code, params));
  const none = {} as Record<never, string>;
  const text = (field: keyof typeof LIMITS, value: string | null, formula: boolean) => {
    if (value === null) return;
    if (length(value) > LIMITS[field]) add(field, 'text_too_long', { length: String(length(value)), max: String(LIMITS[field]) });
    if (formula && FORMULA_LEAD.test(value)) add(field, 'text_formula', none);
    if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) add(field, 'text_control', none);
  };
  if (b.invoiceType !== 'ordinary' && b.invoiceType !== 'special') add('invoiceType', 'invoice_type_unknown', none);
  if (b.name.trim() === '') add('name', 'buyer_name_required', none);
  text('name', b.name, true);
  text('remarks', b.remarks, true);
  text('address', b.address, true);
  text('bankName', b.bankName, true);
  if (b.taxpayerId === null || b.taxpayerId === '') {
    if (b.invoiceType === 'special') add('taxpayerId', 'taxpayer_id_required', none);
    else if (b.name.trim() !== '' && isOrganisationBuyer(b.name, ctx))
      add('taxpayerId', 'taxpayer_id_required_org', { name: b.name.trim() });
  } else {
    const id = b.taxpayerId;
    if (!/^[0-9A-Z]+$/.test(id)) add('taxpayerId', 'taxpayer_id_chars', { id });
    else if (![15, 18, 20].includes(id.length)) add('taxpayerId', 'taxpayer_id_length', { id, length: String(id.length) });
    else if (id.length === 18 && !isValidUscc(id)) add('taxpayerId', 'taxpayer_id_check', { id });
  }
  if (b.invoiceType === 'special' && b.naturalPerson) add('naturalPerson', 'natural_person_special', none);
  if (b.phone !== null && !/^\+?[\d\s-]{5,20}$/.test(b.phone)) add('phone', 'phone_invalid', { phone: b.phone });
  if (b.bankAccount !== null && !/^[\d\s-]{4,50}$/.test(b.bankAccount)) add('bankAccount', 'bank_account_invalid', none);
  if (b.email !== null) {
    if (length(b.email) > LIMITS.email) add('email', 'text_too_long', { length: String(length(b.email)), max: String(LIMITS.email) });
    else if (!EMAIL.test(b.email)) add('email', 'email_invalid', { email: b.email });
  }
  return problems;
}
