// The 客户对账单 as a workbook in the console's language: a sheet of the figures (coins and their value rolled
// forward, money, refunds, invoicing) and a sheet of the lines (期初余额, each line, 本期合计, 期末余额),
// each with the title, company, customer and period on top. Amounts are numbers in yuan with two
// decimals, coins whole numbers; text is neutralised so nothing typed can become a formula.
import type ExcelJS from 'exceljs';
import type { CustomerStatement } from '../services/customer-statement';
import { figureRows, lineSummary, lineTotals, STATEMENT_TEXT, type StatementLang } from './customer-statement-text';
import { money, start, text, totalRow, yuan, type Column } from './period-reports-xlsx';

const COINS = '#,##0';

/** The lines on top of both sheets: company, customer (ID number as the caller masked it), accounts, period, unit. */
export function statementHeading(s: CustomerStatement, company: string, lang: StatementLang): string[] {
  const x = STATEMENT_TEXT[lang];
  const c = s.customer;
  const who = [c.name, c.externalId ? `(${c.externalId})` : '', c.realName && c.realName !== c.name ? c.realName : '']
    .filter(Boolean)
    .join(' ');
  const zh = lang === 'zh-CN';
  const accounts = s.accounts
    .map((a) => {
      const state = a.linked ? x.linked : x.notLinked;
      return `${a.externalId} ${a.name}${zh ? `（${state}）` : ` (${state})`}`;
    })
    .join(zh ? '；' : '; ');
  const k = (label: string) => `${label}${x.colon}`;
  return [
    `${k(x.company)}${company || '—'}`,
    `${k(x.customer)}${who}${c.idNumber ? `\u3000${k(x.idNumber)}${c.idNumber}` : ''}`,
    `${k(x.accounts)}${accounts || '—'}`,
    `${k(x.period)}${x.periodText(s.from, s.to)}\u3000${x.unit}`,
  ];
}

function coinCells(row: ExcelJS.Row, columns: number[]): void {
  for (const c of columns) row.getCell(c).numFmt = COINS;
}

export function addCustomerStatementSheets(wb: ExcelJS.Workbook, s: CustomerStatement, company: string, lang: StatementLang): void {
  const x = STATEMENT_TEXT[lang];
  const heading = statementHeading(s, company, lang);
  const figureColumns: Column[] = [
    { header: x.item, width: 40 },
    { header: x.coins, width: 16 },
    { header: x.money, width: 18, money: true },
  ];
  const f = start(wb, `${x.sheet} ${s.customer.name}`, x.title, heading, figureColumns);
  for (const r of figureRows(s, lang)) {
    const values = [text(r.label), r.coins === null ? null : Number(r.coins), r.money === null ? null : yuan(r.money)];
    const row = r.kind === 'line' ? f.addRow(values) : totalRow(f, values, figureColumns);
    money(f, row, figureColumns);
    coinCells(row, [2]);
  }
  f.addRow([]);
  f.addRow([text(x.valueNote)]);

  const [cDate, cDoc, cVoucher, cSummary, cAccount, cIn, cOut, cBalance, cMoney, cInvoiced] = x.columns;
  const columns: Column[] = [
    { header: cDate, width: 12 },
    { header: cDoc, width: 22 },
    { header: cVoucher, width: 16 },
    { header: cSummary, width: 44 },
    { header: cAccount, width: 16 },
    { header: cIn, width: 12 },
    { header: cOut, width: 12 },
    { header: cBalance, width: 14 },
    { header: cMoney, width: 16, money: true },
    { header: cInvoiced, width: 16, money: true },
  ];
  const ws = start(wb, `${x.sheetDetail} ${s.customer.name}`, x.detailTitle, heading, columns);
  const opening = ws.addRow([s.from, null, null, x.opening, null, null, null, Number(s.figures.opening.coins), null, null]);
  opening.font = { italic: true };
  coinCells(opening, [8]);
  for (const l of s.lines) {
    const doc = [l.document, l.taxNumber].filter(Boolean).join(' / ');
    const account = l.kind === 'transfer' ? `${l.account} → ${l.toAccount}` : (l.account ?? '');
    const row = ws.addRow([
      l.date,
      text(doc),
      text(l.voucher),
      text(lineSummary(l, lang)),
      text(account),
      Number(l.coinsIn) || null,
      Number(l.coinsOut) || null,
      Number(l.balance),
      l.money === '0' ? null : yuan(l.money),
      l.invoiced === '0' ? null : yuan(l.invoiced),
    ]);
    money(ws, row, columns);
    coinCells(row, [6, 7, 8]);
  }
  const t = lineTotals(s.lines);
  const total = totalRow(
    ws,
    [s.to, null, null, x.total, null, Number(t.coinsIn), Number(t.coinsOut), null, yuan(t.money), yuan(t.invoiced)],
    columns,
  );
  coinCells(total, [6, 7]);
  const closing = totalRow(ws, [s.to, null, null, x.closing, null, null, null, Number(s.figures.closing.coins), null, null], columns);
  coinCells(closing, [8]);
}
