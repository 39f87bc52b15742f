// ISO 20022 camt.053 (BkToCstmrStmt), versions 02 and later. Only booked entries (Sts BOOK) become
// lines: pending ones (PDNG) and INFO entries are not in the booked balance, so they are left out.
import { refusal, type Refusal } from '../../domain/refusals';
import { fitToCurrency, negateDecimal, parsePlainDecimal } from './decimal';
import { checkContinuity, refuseDuplicateRefs } from './continuity';
import { parseDateTime } from './dates';
import { at, child, childrenNamed, parseXml, textAt, type XNode } from './xml';
import { fail, mention, type Balance, type CurrencyMention, type Statement, type StatementLine } from './types';

const OTHER_CAMT: Record<string, string> = {
  BkToCstmrAcctRpt: 'camt.052 (intraday account report)',
  BkToCstmrDbtCdtNtfctn: 'camt.054 (debit/credit notification)',
};

function required(node: XNode, path: string): string {
  const t = textAt(node, path);
  if (t === null) fail('missing_field', 'stmt_no_child', { element: node.name, child: path }, node.line, path);
  return t;
}

function signedAmount(node: XNode, currency: string | null): { amount: string; currency: string | null } {
  const amt = child(node, 'Amt');
  if (!amt) fail('missing_field', 'stmt_no_child', { element: node.name, child: 'Amt' }, node.line, 'Amt');
  const value = /^\s*\d+(\.\d+)?\s*$/.test(amt.text) ? parsePlainDecimal(amt.text) : null;
  if (value === null) fail('bad_amount', 'stmt_not_amount', { value: amt.text.trim() }, amt.line, 'Amt');
  const ind = required(node, 'CdtDbtInd');
  if (ind !== 'CRDT' && ind !== 'DBIT')
    fail('bad_value', 'stmt_camt_direction', { value: String(ind) }, at(node, 'CdtDbtInd')?.line ?? node.line, 'CdtDbtInd');
  const ccy = amt.attrs.Ccy ?? currency;
  const fitted = fitToCurrency(value, ccy, amt.line, 'Amt');
  return { amount: ind === 'DBIT' ? negateDecimal(fitted) : fitted, currency: ccy };
}

function dateOf(node: XNode | null, field: string, owner: XNode): { date: string; time: string | null } | null {
  if (!node) return null;
  const raw = textAt(node, 'Dt') ?? textAt(node, 'DtTm');
  if (raw === null) fail('missing_field', 'stmt_no_date_element', { element: field }, node.line, field);
  const dt = parseDateTime(raw.replace(/(\.\d+)?(Z|[+-]\d\d:\d\d)$/, ''));
  if (!dt) fail('bad_date', 'stmt_not_date', { value: raw }, (at(node, 'Dt') ?? at(node, 'DtTm') ?? owner).line, field);
  return dt;
}

function account(node: XNode | null): string | null {
  return textAt(node, 'Id/IBAN') ?? textAt(node, 'Id/Othr/Id');
}

function partyName(node: XNode | null): string | null {
  return textAt(node, 'Nm') ?? textAt(node, 'Pty/Nm');
}

function readEntry(ntry: XNode, currency: string | null, problems: Refusal[]): StatementLine | null {
  const sts = at(ntry, 'Sts');
  if (!sts) fail('missing_field', 'stmt_no_child', { element: 'Ntry', child: 'Sts' }, ntry.line, 'Sts');
  const status = textAt(sts, 'Cd') ?? textAt(sts, 'Prtry') ?? sts.text.trim();
  if (status !== 'BOOK') return null;
  const { amount, currency: ccy } = signedAmount(ntry, currency);
  if (currency && ccy !== currency)
    problems.push(refusal('continuity_entry_currency', { line: String(ntry.line), currency: String(ccy), statementCurrency: currency }));
  const booked = dateOf(at(ntry, 'BookgDt'), 'BookgDt', ntry);
  if (!booked) fail('missing_field', 'stmt_booked_no_date', {}, ntry.line, 'BookgDt');
  const value = dateOf(at(ntry, 'ValDt'), 'ValDt', ntry);
  const reversal = textAt(ntry, 'RvslInd') === 'true';
  const txs = childrenNamed(ntry, 'NtryDtls').flatMap((d) => childrenNamed(d, 'TxDtls'));
  const tx = txs.length === 1 ? (txs[0] as XNode) : null;
  // The other party of money in is the debtor, also when a reversal turns it into a DBIT.
  const incoming = !amount.startsWith('-') !== reversal;
  const parties = at(tx, 'RltdPties');
  const [party, acct] = incoming ? ['Dbtr', 'DbtrAcct'] : ['Cdtr', 'CdtrAcct'];
  const e2e = textAt(tx, 'Refs/EndToEndId');
  const ustrd = txs.flatMap((t) => childrenNamed(at(t, 'RmtInf'), 'Ustrd').map((u) => u.text.trim())).filter(Boolean);
  return {
    booked: booked.date,
    value: value?.date ?? null,
    amount,
    counterparty: { name: partyName(child(parties, party)), account: account(child(parties, acct)) },
    reference: (e2e !== 'NOTPROVIDED' ? e2e : null) ?? textAt(tx, 'RmtInf/Strd/CdtrRefInf/Ref'),
    memo: ustrd.length ? ustrd.join(' ') : (textAt(ntry, 'AddtlNtryInf') ?? textAt(tx, 'AddtlTxInf')),
    bank_ref: textAt(ntry, 'AcctSvcrRef') ?? textAt(tx, 'Refs/AcctSvcrRef'),
    time: booked.time,
    reversal,
    line: ntry.line,
  };
}

function readBalance(bal: XNode, currency: string | null, problems: Refusal[]): { code: string; balance: Balance } {
  const code = textAt(bal, 'Tp/CdOrPrtry/Cd') ?? textAt(bal, 'Tp/CdOrPrtry/Prtry') ?? '';
  const { amount, currency: ccy } = signedAmount(bal, currency);
  const dt = dateOf(at(bal, 'Dt'), 'Dt', bal);
  if (!dt) fail('missing_field', 'stmt_balance_no_date', { code }, bal.line, 'Dt');
  if (currency && ccy !== currency && (code === 'OPBD' || code === 'PRCD' || code === 'CLBD')) {
    problems.push(
      refusal('continuity_balance_currency', { line: String(bal.line), code, currency: String(ccy), statementCurrency: currency }),
    );
  }
  return { code, balance: { date: dt.date, amount } };
}

function readStmt(stmt: XNode): Statement {
  const acct = at(stmt, 'Acct');
  if (!acct) fail('missing_field', 'stmt_no_child', { element: 'Stmt', child: 'Acct' }, stmt.line, 'Acct');
  const bals = childrenNamed(stmt, 'Bal');
  const firstCcy =
    textAt(acct, 'Ccy') ??
    bals.map((b) => child(b, 'Amt')?.attrs.Ccy).find(Boolean) ??
    childrenNamed(stmt, 'Ntry')
      .map((n) => child(n, 'Amt')?.attrs.Ccy)
      .find(Boolean) ??
    null;
  const problems: Refusal[] = [];
  const balances = bals.map((b) => readBalance(b, firstCcy, problems));
  const find = (...codes: string[]) => codes.map((c) => balances.find((b) => b.code === c)?.balance).find(Boolean) ?? null;
  const lines: StatementLine[] = [];
  for (const ntry of childrenNamed(stmt, 'Ntry')) {
    const line = readEntry(ntry, firstCcy, problems);
    if (line) lines.push(line);
  }
  refuseDuplicateRefs(lines, 'AcctSvcrRef');
  // the account's, every balance's and every entry's currency (not TxDtls: an instructed amount may be foreign)
  const currencies: CurrencyMention[] = [];
  const ccyNode = at(acct, 'Ccy');
  if (ccyNode) mention(currencies, ccyNode.text.trim(), ccyNode.line, 'Acct/Ccy');
  for (const b of bals) mention(currencies, child(b, 'Amt')?.attrs.Ccy, child(b, 'Amt')?.line ?? b.line, 'Bal/Amt@Ccy');
  for (const n of childrenNamed(stmt, 'Ntry'))
    mention(currencies, child(n, 'Amt')?.attrs.Ccy, child(n, 'Amt')?.line ?? n.line, 'Ntry/Amt@Ccy');
  const opening = find('OPBD', 'PRCD');
  const closing = find('CLBD');
  return {
    account: account(acct),
    currency: firstCcy,
    opening,
    closing,
    lines,
    continuity: checkContinuity(opening, closing, lines, problems),
    format: 'camt053',
    profile: null,
    currencies,
  };
}

export function readCamt053(text: string): Statement[] {
  const doc = parseXml(text);
  if (doc.name !== 'Document') fail('wrong_format', 'stmt_xml_root', { root: doc.name }, doc.line);
  const msg = child(doc, 'BkToCstmrStmt');
  if (!msg) {
    const other = doc.children.map((c) => OTHER_CAMT[c.name]).find(Boolean);
    if (other) fail('wrong_format', 'stmt_camt_other', { other }, doc.line);
    fail('wrong_format', 'stmt_camt_no_statement', {}, doc.line);
  }
  const stmts = childrenNamed(msg, 'Stmt');
  if (!stmts.length) fail('empty', 'stmt_camt_empty', {}, msg.line, 'Stmt');
  return stmts.map(readStmt);
}
