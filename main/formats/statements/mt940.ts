// SWIFT MT940 customer statements: :20: :25: :28C: :60F/M: (:61: [:86:])* :62F/M:, several statements
// per file, optional SWIFT blocks {1:…}{4: … -} and bank preambles before each :20:.
import { refusal, type Refusal } from '../../domain/refusals';
import { fitToCurrency, negateDecimal, parseSwiftAmount } from './decimal';
import { checkContinuity } from './continuity';
import { nearDate, swiftDate } from './dates';
import { fail, mention, type Balance, type CurrencyMention, type Statement, type StatementLine } from './types';

interface Field {
  tag: string;
  lines: string[];
  line: number;
}

const TAG = /^:(\d\d[A-Z]?):(.*)$/;
const END = /^-(\}|XXX)?\s*$/;

function splitStatements(text: string): Field[][] {
  const statements: Field[][] = [];
  let current: Field[] | null = null;
  let field: Field | null = null;
  const rows = text.split(/\r\n|\r|\n/);
  rows.forEach((raw, i) => {
    const n = i + 1;
    const block = raw.indexOf('{4:');
    const row = block >= 0 ? raw.slice(block + 3) : raw;
    const tag = TAG.exec(row);
    if (tag) {
      if (tag[1] === '20') {
        current = [];
        statements.push(current);
      } else if (!current) fail('bad_header', 'stmt_mt940_before_header', { tag: String(tag[1]) }, n, `:${tag[1]}:`);
      field = { tag: tag[1] ?? '', lines: [tag[2] ?? ''], line: n };
      current.push(field);
    } else if (END.test(row.trim())) {
      current = null;
      field = null;
    } else if (row.trim() === '') {
      // blank lines between fields carry nothing
    } else if (field) field.lines.push(row);
    // anything else sits outside a statement: bank preambles such as "ABNANL2A" / "940"
  });
  return statements;
}

function balance(f: Field): { balance: Balance; currency: string } {
  const v = f.lines.join('').trim();
  const m = /^([CD])(\d{6})([A-Z]{3})(.*)$/.exec(v);
  if (!m) fail('bad_value', 'stmt_mt940_balance', { value: v }, f.line, `:${f.tag}:`);
  const date = swiftDate(m[2] ?? '');
  if (!date) fail('bad_date', 'stmt_yymmdd', { value: String(m[2]) }, f.line, `:${f.tag}:`);
  const raw = parseSwiftAmount(m[4] ?? '');
  if (raw === null) fail('bad_amount', 'stmt_decimal_comma', { value: String(m[4]) }, f.line, `:${f.tag}:`);
  const currency = m[3] ?? '';
  const amount = fitToCurrency(raw, currency, f.line, `:${f.tag}:`);
  return { balance: { date, amount: m[1] === 'D' ? negateDecimal(amount) : amount }, currency };
}

interface Details {
  memo: string | null;
  name: string | null;
  account: string | null;
  eref: string | null;
}

/** :86: either free text or the German/Polish structured form "ccc?00…?20…?32…". */
function details(f: Field | undefined): Details {
  if (!f) return { memo: null, name: null, account: null, eref: null };
  if (!/^\s?\d{3}\?\d\d/.test(f.lines[0] ?? '')) {
    const memo = f.lines
      .map((l) => l.trim())
      .join(' ')
      .trim();
    return { memo: memo || null, name: null, account: null, eref: null };
  }
  const sub = new Map<string, string>();
  for (const m of f.lines.join('').matchAll(/\?(\d\d)([^?]*)/g)) sub.set(m[1] ?? '', (sub.get(m[1] ?? '') ?? '') + (m[2] ?? ''));
  const pick = (...keys: string[]) =>
    keys
      .map((k) => sub.get(k)?.trim())
      .filter(Boolean)
      .join(' ') || null;
  const purpose = pick('20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '60', '61', '62', '63');
  const eref = /EREF\+(\S+)/.exec(purpose ?? '')?.[1] ?? null;
  return {
    memo: purpose ?? pick('00'),
    name: sub.has('32') || sub.has('33') ? (sub.get('32') ?? '') + (sub.get('33') ?? '') || null : null,
    account: pick('38') ?? pick('31'),
    eref,
  };
}

function entry(f: Field, info: Field | undefined, currency: string): StatementLine & { raw: string } {
  const field = ':61:';
  let s = (f.lines[0] ?? '').trim();
  const value = swiftDate(s.slice(0, 6));
  if (!value) fail('bad_date', 'stmt_value_date', { value: s.slice(0, 6) }, f.line, field);
  s = s.slice(6);
  let booked = value;
  if (/^\d{4}/.test(s)) {
    const entryDate = nearDate(s.slice(0, 4), value);
    if (!entryDate) fail('bad_date', 'stmt_entry_date', { value: s.slice(0, 4) }, f.line, field);
    booked = entryDate;
    s = s.slice(4);
  }
  const mark = /^(RC|RD|C|D)/.exec(s)?.[1];
  if (!mark) fail('bad_value', 'stmt_mt940_mark', { value: s.slice(0, 2) }, f.line, field);
  s = s.slice(mark.length);
  if (/^[A-Z]/.test(s)) s = s.slice(1); // funds code, the third letter of the currency
  const amountText = /^[\d,]+/.exec(s)?.[0] ?? '';
  const raw = parseSwiftAmount(amountText);
  if (raw === null) fail('bad_amount', 'stmt_one_decimal_comma', { value: amountText || s.slice(0, 15) }, f.line, field);
  s = s.slice(amountText.length);
  // The type: S, N or F and three characters (NTRF, S103). Some banks (a Russian bank's export) write
  // the S or N alone, then blanks: the amount and its side are whole, so the line is read.
  const type = /^[A-Z][A-Z0-9]{3}/.exec(s)?.[0] ?? /^[SNF](?: {1,3}|$)/.exec(s)?.[0];
  if (type === undefined) fail('bad_value', 'stmt_mt940_type', { value: s.slice(0, 4) }, f.line, field);
  s = s.slice(type.length);
  const [custRef = '', bankRef = ''] = s.split('//');
  const amount = fitToCurrency(raw, currency, f.line, field);
  // RC reverses a credit (money leaves), RD reverses a debit (money comes back).
  const incoming = mark === 'C' || mark === 'RD';
  const d = details(info);
  const supplementary = f.lines.slice(1).join(' ').trim() || null;
  const ref = custRef.trim();
  return {
    booked,
    value,
    amount: incoming ? amount : negateDecimal(amount),
    counterparty: { name: d.name, account: d.account },
    reference: ref && ref !== 'NONREF' ? ref : d.eref,
    memo: d.memo ?? supplementary,
    bank_ref: bankRef.trim() || null,
    reversal: mark.startsWith('R'),
    line: f.line,
    raw: [...f.lines, ...(info?.lines ?? [])].join('\n'),
  };
}

function statement(fields: Field[], raws: Map<StatementLine, string>): Statement {
  const head = fields[0] as Field;
  const get = (...tags: string[]) => fields.find((f) => tags.includes(f.tag));
  const acct = get('25');
  if (!acct) fail('missing_field', 'stmt_mt940_no_account', {}, head.line, ':25:');
  const open = get('60F', '60M');
  if (!open) fail('missing_field', 'stmt_mt940_no_opening', {}, head.line, ':60F:');
  const { balance: opening, currency } = balance(open);
  const close = get('62F', '62M');
  if (!close) fail('truncated', 'stmt_mt940_no_closing', { start: String(head.line) }, fields.at(-1)?.line ?? head.line, ':62F:');
  const { balance: closing, currency: closeCcy } = balance(close);
  const problems: Refusal[] = [];
  const currencies: CurrencyMention[] = [];
  mention(currencies, currency, open.line, `:${open.tag}:`);
  mention(currencies, closeCcy, close.line, `:${close.tag}:`);
  if (closeCcy !== currency)
    problems.push(
      refusal('continuity_closing_currency', { line: String(close.line), closingCurrency: String(closeCcy), currency: String(currency) }),
    );
  const lines: StatementLine[] = [];
  fields.forEach((f, i) => {
    if (f.tag !== '61') return;
    const next = fields[i + 1];
    const { raw, ...line } = entry(f, next?.tag === '86' ? next : undefined, currency);
    raws.set(line, raw);
    lines.push(line);
  });
  return {
    account: acct.lines.join('').trim() || null,
    currency,
    opening,
    closing,
    lines,
    continuity: checkContinuity(opening, closing, lines, problems),
    format: 'mt940',
    profile: null,
    currencies,
  };
}

/**
 * The `//` bank reference is optional in MT940 and some banks repeat one across different lines, so
 * a repeated reference cannot be a dedupe key: such lines get bank_ref null. The same reference on an
 * identical :61:/:86: pair is a line exported twice and is refused.
 */
function settleBankRefs(statements: Statement[], raws: Map<StatementLine, string>): void {
  const byRef = new Map<string, StatementLine[]>();
  for (const l of statements.flatMap((s) => s.lines)) if (l.bank_ref) byRef.set(l.bank_ref, [...(byRef.get(l.bank_ref) ?? []), l]);
  for (const [ref, group] of byRef) {
    if (group.length < 2) continue;
    const seen = new Map<string, StatementLine>();
    for (const l of group) {
      const first = seen.get(raws.get(l) ?? '');
      if (first) fail('duplicate', 'stmt_mt940_twice', { ref, first: String(first.line) }, l.line ?? null, ':61:');
      seen.set(raws.get(l) ?? '', l);
    }
    for (const l of group) l.bank_ref = null;
  }
}

export function readMt940(text: string): Statement[] {
  const groups = splitStatements(text);
  if (!groups.length) fail('wrong_format', 'stmt_mt940_none', {}, 1, ':20:');
  const raws = new Map<StatementLine, string>();
  const statements = groups.map((g) => statement(g, raws));
  settleBankRefs(statements, raws);
  return statements;
}
