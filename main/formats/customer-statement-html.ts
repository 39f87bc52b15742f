// The 客户对账单 as a printed section (one landscape page flow, see period-reports-html printDocument): the
// customer and the accounts, the figures, the lines with 期初余额 / 本期合计 / 期末余额, the note on how
// coins are valued, and the sign lines; every word in the console's language.
import type { CustomerStatement } from '../services/customer-statement';
import { figureRows, lineSummary, lineTotals, STATEMENT_TEXT, coinsText, yuanText, type StatementLang } from './customer-statement-text';
import { statementHeading } from './customer-statement-xlsx';
import { esc, type PrintSection } from './period-reports-html';

const num = (s: string) => `<td class="num">${s}</td>`;
const coins = (n: string | null, blankZero = true) => num(n === null || (blankZero && n === '0') ? '' : coinsText(n));
const fen = (n: string | null, blankZero = true) => num(n === null || (blankZero && n === '0') ? '' : yuanText(n));

export function customerStatementSection(s: CustomerStatement, company: string, lang: StatementLang): PrintSection {
  const x = STATEMENT_TEXT[lang];
  const [, who, accounts] = statementHeading(s, company, lang);
  const figures = figureRows(s, lang)
    .map((r) =>
      r.kind === 'head'
        ? `<tr class="section"><td colspan="3">${esc(r.label)}</td></tr>`
        : `<tr${r.kind === 'total' ? ' class="total"' : ''}><td>${esc(r.label)}</td>${coins(r.coins, false)}${fen(r.money, false)}</tr>`,
    )
    .join('\n');
  const [cDate, cDoc, cVoucher, cSummary, cAccount, cIn, cOut, cBalance, cMoney, cInvoiced] = x.columns;
  const lines = s.lines
    .map((l) => {
      const doc = [l.document, l.taxNumber].filter(Boolean).join(' / ');
      const account = l.kind === 'transfer' ? `${l.account} → ${l.toAccount}` : (l.account ?? '');
      return `<tr><td>${esc(l.date)}</td><td>${esc(doc)}</td><td>${esc(l.voucher ?? '')}</td><td>${esc(lineSummary(l, lang))}</td><td>${esc(account)}</td>${coins(l.coinsIn)}${coins(l.coinsOut)}${coins(l.balance, false)}${fen(l.money)}${fen(l.invoiced)}</tr>`;
    })
    .join('\n');
  const t = lineTotals(s.lines);
  const body = `<table style="margin-bottom:8px"><tbody>
<tr><td>${esc(who!)}</td></tr><tr><td>${esc(accounts!)}</td></tr>
</tbody></table>
<table style="width:60%;margin-bottom:10px"><thead><tr><th>${esc(x.item)}</th><th style="width:120px">${esc(x.coins)}</th><th style="width:140px">${esc(x.money)}</th></tr></thead><tbody>
${figures}
</tbody></table>
<table><thead><tr><th style="width:76px">${esc(cDate!)}</th><th>${esc(cDoc!)}</th><th>${esc(cVoucher!)}</th><th>${esc(cSummary!)}</th><th>${esc(cAccount!)}</th><th>${esc(cIn!)}</th><th>${esc(cOut!)}</th><th>${esc(cBalance!)}</th><th>${esc(cMoney!)}</th><th>${esc(cInvoiced!)}</th></tr></thead><tbody>
<tr class="section"><td>${esc(s.from)}</td><td colspan="6">${esc(x.opening)}</td>${coins(s.figures.opening.coins, false)}<td></td><td></td></tr>
${lines}
<tr class="total"><td>${esc(s.to)}</td><td colspan="4">${esc(x.total)}</td>${coins(t.coinsIn, false)}${coins(t.coinsOut, false)}<td></td>${fen(t.money, false)}${fen(t.invoiced, false)}</tr>
<tr class="total"><td>${esc(s.to)}</td><td colspan="6">${esc(x.closing)}</td>${coins(s.figures.closing.coins, false)}<td></td><td></td></tr>
</tbody></table>
<p style="color:#555">${esc(x.valueNote)}</p>
<div class="sign">${x.sign.map((l) => `<span>${esc(l)}</span>`).join('')}</div>`;
  const k = (label: string) => `${label}${x.colon}`;
  return {
    title: x.title,
    subtitle: [`${k(x.company)}${company || '________________'}`, `${k(x.period)}${x.periodText(s.from, s.to)}`, x.unit],
    body,
    landscape: true,
  };
}
