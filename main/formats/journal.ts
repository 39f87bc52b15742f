// The ledger as a plain-text accounting journal that ledger-cli and hledger read, so auditors can
// check balances with tools of their own. Posted transfers are cleared (*); pending ones not yet
// posted or voided are marked pending (!); voided reservations are left out.
// CNY accounts are named by their subject (科目) under a top-level tree per type, each declared with its
// hledger type, so `hledger bs` / `hledger is` give a balance sheet and an income statement. The coin
// ledgers keep their own top-level trees (RECHARGE_COIN:…, EARNINGS_COIN:…), declare no type and so stay
// out of both statements. Transactions are dated by business date (记账日期), with the voucher as code.
import { formatYuan } from '../domain/money';
import { LEDGER, LEDGER_CODE, type LedgerId } from '../domain/ledgers';
import { shanghaiDateTime } from '../domain/dates';

export const COMMODITY: Record<LedgerId, string> = {
  [LEDGER.CNY]: 'CNY',
  [LEDGER.RECHARGE_COIN]: 'RCOIN',
  [LEDGER.EARNINGS_COIN]: 'ECOIN',
};

export interface JournalAccount {
  id: number;
  ledger: number;
  code: string;
}

export type SubjectType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

/** The top-level tree of each subject type, and the hledger type it declares. */
export const TYPE_TREE: Record<SubjectType, { name: string; tag: 'A' | 'L' | 'E' | 'R' | 'X' }> = {
  asset: { name: '资产', tag: 'A' },
  liability: { name: '负债', tag: 'L' },
  equity: { name: '所有者权益', tag: 'E' },
  revenue: { name: '收入', tag: 'R' },
  expense: { name: '费用', tag: 'X' },
};

/** Account-name safe: no colon (the separator), no run of two spaces (ends a name), no comment mark. */
const part = (s: string) =>
  s
    .replace(/[:;\r\n\t]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** '资产:1002 银行存款:100201 工商银行 1234' from the subject and its parents, top first. */
export function subjectAccountName(type: SubjectType, chain: readonly { code: string; name: string }[]): string {
  return [TYPE_TREE[type].name, ...chain.map((s) => part(`${s.code} ${s.name}`))].join(':');
}

/** The account directives: each type's tree and every subject, with its hledger type (and cash for 1002/1012). */
export function journalDeclarations(subjects: readonly { name: string; type: SubjectType; code: string }[]): string {
  let text = '';
  for (const t of Object.values(TYPE_TREE)) text += `account ${t.name}  ; type: ${t.tag}\n`;
  for (const s of subjects) {
    const tag = /^(1002|1012)/.test(s.code) ? 'C' : TYPE_TREE[s.type].tag;
    text += `account ${s.name}  ; type: ${tag}\n`;
  }
  return text + '\n';
}

export interface JournalTransfer {
  id: number;
  key: string;
  ledger: number;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  kind: 'single' | 'pending' | 'post' | 'void';
  code: string;
  memo: string;
  ts: number;
  /** Business date, YYYY-MM-DD. */
  date: string;
  /** The voucher's name ('记-2026-11-0001'), for CNY transfers. */
  voucher: string | null;
}

export function journalAccountName(a: JournalAccount): string {
  return `${LEDGER_CODE[a.ledger as LedgerId]}:${a.code.replace(/\s+/g, '_')}:${a.id}`;
}

function amountText(ledger: number, amount: number): string {
  const n = ledger === LEDGER.CNY ? formatYuan(amount) : String(amount);
  return `${n} ${COMMODITY[ledger as LedgerId]}`;
}

function clean(text: string): string {
  return text
    .replace(/[\r\n;]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One transaction in journal syntax, or '' for what the journal leaves out (voids). */
export function journalEntry(t: JournalTransfer, name: (id: number) => string): string {
  if (t.kind === 'void') return '';
  const mark = t.kind === 'pending' ? '!' : '*';
  const neg = `-${amountText(t.ledger, t.amount)}`;
  const desc = clean(`${t.code} #${t.id}${t.memo ? ` ${t.memo}` : ''}`);
  return (
    `${t.date} ${mark} ${t.voucher ? `(${t.voucher}) ` : ''}${desc}\n` +
    `    ; key: ${clean(t.key)}, entered: ${shanghaiDateTime(t.ts)}\n` +
    `    ${name(t.debitAccountId)}  ${amountText(t.ledger, t.amount)}\n` +
    `    ${name(t.creditAccountId)}  ${neg}\n\n`
  );
}

export function journalHeader(generatedAt: string, books: string, witness: string | null = null): string {
  return (
    `; Coffer ledger journal\n; books: ${clean(books)}\n; generated: ${generatedAt}\n` +
    (witness ? `; ${witness}\n` : '') +
    `; CNY in yuan, by subject (科目) under 资产 / 负债 / 所有者权益 / 收入 / 费用, each declared with its type;\n` +
    `; RCOIN = recharge coins, ECOIN = earnings coins: their own trees, no type, outside bs and is.\n` +
    `; Dated by business date (记账日期); the code in brackets is the voucher. Commodities are never converted.\n\n`
  );
}
