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

/** Every problem with the buyer's fields; an empty list means they pass. */
export function checkBuyer(b: Buyer): FieldProblem[] {
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
