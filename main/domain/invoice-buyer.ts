// The buyer's details on an invoice request, checked field by field as the batch-import template
// allows (docs: ../shared/reference/invoices.md): every problem names its field and says why.
import { isValidUscc } from './invoice-tax';

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

export interface FieldProblem {
  field: string;
  message: string;
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
  const add = (field: string, message: string) => problems.push({ field, message: `${field}: ${message}` });
  const text = (field: keyof typeof LIMITS, value: string | null, label: string, formula: boolean) => {
    if (value === null) return;
    if (length(value) > LIMITS[field]) add(field, `${label} is ${length(value)} characters; at most ${LIMITS[field]}`);
    if (formula && FORMULA_LEAD.test(value))
      add(field, `${label} may not begin with = + - or @ (a spreadsheet would take it as a formula)`);
    if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) add(field, `${label} contains control characters`);
  };
  if (b.invoiceType !== 'ordinary' && b.invoiceType !== 'special') add('invoiceType', '普通发票 (ordinary) or 增值税专用发票 (special)');
  if (b.name.trim() === '') add('name', 'the buyer name (购买方名称) is required');
  text('name', b.name, 'the buyer name', true);
  text('remarks', b.remarks, 'the remarks (备注)', true);
  text('address', b.address, 'the address', true);
  text('bankName', b.bankName, 'the bank name', true);
  if (b.taxpayerId === null || b.taxpayerId === '') {
    if (b.invoiceType === 'special') add('taxpayerId', 'a 增值税专用发票 needs the buyer’s taxpayer id (纳税人识别号)');
  } else {
    const id = b.taxpayerId;
    if (!/^[0-9A-Z]+$/.test(id)) add('taxpayerId', `"${id}" may hold only digits and capital letters`);
    else if (![15, 18, 20].includes(id.length)) add('taxpayerId', `"${id}" is ${id.length} characters; a taxpayer id has 15, 18 or 20`);
    else if (id.length === 18 && !isValidUscc(id))
      add('taxpayerId', `"${id}" is not a valid unified social credit code (its check character does not match)`);
  }
  if (b.invoiceType === 'special' && b.naturalPerson) add('naturalPerson', 'a natural person cannot receive a 增值税专用发票');
  if (b.phone !== null) {
    if (!/^\+?[\d\s-]{5,20}$/.test(b.phone)) add('phone', `"${b.phone}" is not a phone number (5–20 digits, spaces, dashes)`);
  }
  if (b.bankAccount !== null) {
    if (!/^[\d\s-]{4,50}$/.test(b.bankAccount)) add('bankAccount', 'a bank account number: digits, spaces and dashes, at most 50');
  }
  if (b.email !== null) {
    if (length(b.email) > LIMITS.email) add('email', `the email is ${length(b.email)} characters; at most ${LIMITS.email}`);
    else if (!EMAIL.test(b.email)) add('email', `"${b.email}" is not an email address`);
  }
  return problems;
}
