// A month of VAT on demo books for the reports' e2e test: in `month`, one recharge invoiced as 不征税
// prepaid value, the invoice product made a 6 % service (two admins), the next recharge on a 6 %
// invoice, a third of that reversed by a red-letter invoice, half of both recharges' coins spent — through
// the services as the staff would, at times inside the month (the dispatcher's clock is today's) — then
// the revenue runs up to the month.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Books } from '../../main/db/books';
import { inWriteTx } from '../../main/db/tx';
import { LEDGER } from '../../main/domain/ledgers';
import { beijingIso } from '../../main/demo';
import { commitEventImport } from '../../main/services/event-import';
import type { Actor } from '../../main/services/actor';
import { checkInvoiceRequest, createInvoiceRequest } from '../../main/services/invoice-requests';
import { applyInvoiceNumbers, issueInvoice, reverseInvoice } from '../../main/services/invoices';
import { decideSetting, proposeSetting } from '../../main/services/settings';
import { companyBuyer } from './buyers';
import { recogniseRevenue } from './e2e-revenue';

const MINUTE = 60_000;

function actor(books: Books, username: string): Actor {
  const s = books.raw.prepare('SELECT id, role FROM staff WHERE username = ?').get(username) as { id: number; role: Actor['role'] };
  return { staffId: s.id, name: username, role: s.role };
}

/** Shanghai month of a time. */
const monthOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);
const nextMonth = (m: string) => {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, mm, 1)).toISOString().slice(0, 7);
};

/** Two credited, unreversed recharges in the month (demo months are thin), with time after them to invoice in it. */
function twoRecharges(books: Books, month: string) {
  const rows = books.raw
    .prepare(
      `SELECT r.id, r.customer_id AS customerId, r.credited_at AS at, q.request_id AS requestId FROM recharge_records r
       JOIN recharge_requests q ON q.id = r.request_id WHERE r.reversed_at IS NULL ORDER BY r.credited_at, r.id`,
    )
    .all() as { id: number; customerId: number; at: number; requestId: string }[];
  const [a, b] = rows.filter((x) => monthOf(x.at) === month);
  const start = (b?.at ?? Infinity) + MINUTE;
  if (!a || !b || monthOf(start + 15 * MINUTE) !== month || start + 15 * MINUTE > Date.now())
    throw new Error(`no two recharges early enough in ${month}`);
  return { a, b, start };
}

/** The platform's coins.spent events: each recharge's account spends half the coins it bought (as far as its wallet holds them). */
async function spendHalf(books: Books, clerk: Actor, records: { id: number }[], at: number): Promise<void> {
  const lines = records.map((r, i) => {
    const x = books.raw
      .prepare(
        `SELECT a.external_id AS account, r.paid_coins AS paid, w.credits_posted - w.debits_posted AS held FROM recharge_records r
         JOIN customer_accounts a ON a.id = r.account_id JOIN accounts w ON w.id = a.recharge_wallet_id WHERE r.id = ?`,
      )
      .get(r.id) as { account: string; paid: number; held: number };
    const data = { account: x.account, wallet: 'recharge', coins: Math.min(Math.floor(x.paid / 2), x.held) };
    return JSON.stringify({ id: `e2e-vat-spend-${r.id}`, type: 'coins.spent', at: beijingIso(at + i * MINUTE), data });
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-e2e-vat-'));
  const file = path.join(dir, 'spent.jsonl');
  try {
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await inWriteTx(books, (tx) => commitEventImport(tx, clerk, file, { now: at + 10 * MINUTE }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function seedVatMonth(books: Books, month: string): Promise<void> {
  const { a, b, start } = twoRecharges(books, month);
  const [clerk, approver, admin, admin2] = ['clerk', 'approver', 'admin', 'admin2'].map((u) => actor(books, u)) as Actor[];
  let seq = 0;
  const invoice = (record: typeof a, at: number) =>
    inWriteTx(books, async (tx) => {
      const r = await createInvoiceRequest(
        tx,
        clerk!,
        {
          requestId: `counter:e2e-vat-${++seq}`,
          customerId: record.customerId,
          buyer: companyBuyer({ email: 'fp@example.com' }),
          recharges: [record.requestId],
          amount: null,
        },
        { at },
      );
      const c = await checkInvoiceRequest(tx, clerk!, r.id, at);
      if (c.outcome !== 'checked') throw new Error(`e2e vat: request not checked: ${JSON.stringify(c)}`);
      const i = await issueInvoice(tx, approver!, r.id, null, at + MINUTE);
      if (i.outcome !== 'issued') throw new Error(`e2e vat: not issued: ${JSON.stringify(i)}`);
      return i;
    });
  await invoice(a, start);
  await inWriteTx(books, async (tx) => {
    const p = await proposeSetting(
      tx,
      admin!,
      'invoice.product',
      {
        itemName: '信息技术服务*虚拟币',
        taxCode: '3040201000000000000',
        rate: { num: 6, den: 100 },
        notTaxable: false,
        ordinaryOnly: false,
      },
      start + 4 * MINUTE,
      '按 6% 服务开票',
      start + 2 * MINUTE,
    );
    await decideSetting(tx, admin2!, p.id, 'confirmed', start + 3 * MINUTE);
  });
  const taxable = await invoice(b, start + 5 * MINUTE);
  await inWriteTx(books, async (tx) => {
    await applyInvoiceNumbers(
      tx,
      clerk!,
      [{ line: 2, serial: taxable.serial, number: '25330000000000009901' }],
      'numbers.csv',
      start + 8 * MINUTE,
    );
    // A third of it back on a 红字确认单 (服务中止).
    const gross = ((await tx.sql('SELECT gross FROM invoices WHERE id = ?').get(taxable.invoiceId)) as { gross: number }).gross;
    await reverseInvoice(tx, approver!, taxable.invoiceId, Math.round(gross / 3), '部分服务中止，开具红字发票', start + 10 * MINUTE, {
      confirmationNo: 'HZQR0000000000009901',
      category: '服务中止',
    });
  });
  await spendHalf(books, clerk!, [a, b], start + 12 * MINUTE);
  // Months are recognised in order, from the first in which recharge coins moved.
  const first = (
    books.raw.prepare(`SELECT min(business_date) AS d FROM transfers WHERE ledger = ${LEDGER.RECHARGE_COIN}`).get() as { d: string }
  ).d.slice(0, 7);
  const months: string[] = [];
  for (let m = first; m <= month; m = nextMonth(m)) months.push(m);
  await recogniseRevenue(books, months);
}
