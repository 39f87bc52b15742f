// The ledger as a plain-text accounting journal that ledger-cli and hledger read, so auditors can
// check balances with tools of their own. Posted transfers are cleared (*); pending ones not yet
// posted or voided are marked pending (!); voided reservations are left out.
import { formatYuan } from '../domain/money';
import { LEDGER, LEDGER_CODE, type LedgerId } from '../domain/ledgers';
import { shanghaiDate } from '../domain/dates';

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
    `${shanghaiDate(t.ts)} ${mark} ${desc}\n` +
    `    ; key: ${clean(t.key)}\n` +
    `    ${name(t.debitAccountId)}  ${amountText(t.ledger, t.amount)}\n` +
    `    ${name(t.creditAccountId)}  ${neg}\n\n`
  );
}

export function journalHeader(generatedAt: string, books: string): string {
  return (
    `; Coffer ledger journal\n; books: ${clean(books)}\n; generated: ${generatedAt}\n` +
    `; CNY in yuan; RCOIN = recharge coins; ECOIN = earnings coins. Commodities are never converted.\n\n`
  );
}
