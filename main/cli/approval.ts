// Step 4 from the command line: approve (a list of requests, or everything matched that passes a
// filter), reject, reverse a credit, match the refund a reversal left payable to the bank's money-out
// line, save a recharge record as HTML, and the dashboard and monthly coin-liability roll-forward. Every call goes through the API dispatcher as a named user (password
// on standard input) or, for reading, the offline reader; bulk approval prints every request's
// outcome, one refusal never stops the rest.
import path from 'node:path';
import { LEDGER } from '../domain/ledgers';
import { parseYuan } from '../domain/money';
import { refusal, refusalOf } from '../domain/refusals';
import {
  approvalJson,
  approvalText,
  type AskedOutcome,
  dashboardJson,
  dashboardText,
  rollForwardJson,
  rollForwardText,
  type RecordOut,
} from './format-approval';
import { displayAmount } from './format';
import { AS, DB, OUT, READ_NOTE, checkOut, out, reader, writer, withApi, type Command } from './kit';
import { Refused, type CliApi } from './open';
import { UsageError, required, type Values } from './usage';

/** `ID` or `ID@VERSION`: an internal request id (a number) or the platform's request id, optionally the version seen. */
export interface AskedItem {
  text: string;
  ref: string;
  version: number | null;
}

export function parseIds(command: string, text: string): AskedItem[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) throw new UsageError('--ids needs at least one request id', command);
  return parts.map((p) => {
    const m = /^([\w:-]{1,64})(?:@(\d{1,9}))?$/.exec(p);
    if (!m) throw new UsageError(`--ids: "${p}" is not a request id (ID or ID@VERSION)`, command);
    const version = m[2] === undefined ? null : Number(m[2]);
    if (version === 0) throw new UsageError(`--ids: "${p}": versions start at 1`, command);
    return { text: p, ref: m[1]!, version };
  });
}

interface RequestSeen {
  id: number;
  requestId: string;
  status: string;
  version: number;
  amount: string;
}

/** A request by its internal id or the platform's request id (exactly, or as entered at the counter). */
async function requestOf(api: CliApi, ref: string): Promise<RequestSeen> {
  let id: number | undefined;
  if (/^\d{1,15}$/.test(ref) && Number(ref) > 0) id = Number(ref);
  else {
    const { rows } = await api.call('requests.list', { text: ref, limit: 10 });
    id = (rows.find((r) => r.requestId === ref) ?? rows.find((r) => r.requestId === `counter:${ref}`))?.id;
    if (id === undefined) throw new Refused({ code: 'NOT_FOUND', message: `no recharge request ${ref}`, details: { field: 'id' } });
  }
  return (await api.call('requests.get', { id })).request;
}

/** A recharge record by its id or its receipt number (CZ2026-000001). */
async function recordOf(api: CliApi, ref: string): Promise<RecordOut> {
  if (/^\d{1,15}$/.test(ref) && Number(ref) > 0) return api.call('records.get', { id: Number(ref) });
  const wanted = ref.trim().toUpperCase();
  const { rows } = await api.call('records.list', { text: wanted, limit: 10 });
  const found = rows.find((r) => r.receiptNo === wanted);
  if (!found) throw new Refused({ code: 'NOT_FOUND', message: `no recharge record ${ref}`, details: { field: 'record' } });
  return api.call('records.get', { id: found.id });
}

const displayFen = (fen: string | number) => displayAmount(LEDGER.CNY, fen);

/** API batches are at most 10,000 items (the method's input schema). */
const BATCH = 10_000;

const yuanOption = (command: string, v: Values, name: string): number | undefined => {
  const text = v[name] as string | undefined;
  if (text === undefined) return undefined;
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(text)) throw new UsageError(`--${name} must be yuan, e.g. 1288.00, not "${text}"`, command);
  return parseYuan(text);
};

export const approvalCommands: Command[] = [
  {
    name: 'approve',
    summary: 'approve matched recharge requests and credit their coins, printing each outcome (approver)',
    options: {
      ...DB,
      ...AS,
      ids: { type: 'string' },
      'all-matched': { type: 'boolean' },
      customer: { type: 'string' },
      'min-amount': { type: 'string' },
      'max-amount': { type: 'string' },
      text: { type: 'string' },
      json: { type: 'boolean' },
    },
    help: `Usage: coffer approve --db FILE|URL --as USER (--ids ID,… | --all-matched [filters]) [--json]  < password

Approves recharge requests covered by bank money (matched or overpaid) and credits their coins by the
conversion rule version in force when each was submitted: the money moves from unallocated receipts
to customer prepayments and the coins (bonus apart) to the account's recharge wallet, and a recharge
record with a receipt number is written. Each request succeeds or fails as a unit; one refusal never
stops the rest. Every request's outcome is printed:
  credited   the coins are in the wallet (receipt number, paid and bonus coins)
  waiting    above the dual-approval amount (setting approval.dualAboveFen): this was the first of
             two approvals; a second, different approver approves it again to credit it
  refused    with its reason: four_eyes (USER entered or matched it, or ran the rules that matched
             it), not_matched (not fully covered by bank money), already_credited, stale_version,
             same_approver, not_found, no_coins
--ids ID,…       requests by internal id or the platform's request id. Each is approved at the version
                 stored now (read with requests.get just before), so what you approve is what the
                 books hold at that moment; ID@VERSION approves only if the request is still at the
                 version you saw (else refused as stale_version). A request waiting for its second
                 approval is approved again, by a different approver, with --ids or --all-matched.
--all-matched    everything in the approval queue that USER has not approved yet, those waiting for a
                 second approver included (approvals.approveAll), narrowed by --customer ID, --min-amount YUAN, --max-amount YUAN, --text TEXT
                 (platform request id, reference code or customer name).
Only approvers approve; USER's password is the first line of standard input. --json prints the
outcomes as JSON. Exit code 0 when every request asked was credited or is waiting for its second
approver, 1 when any was refused (or the whole call was, e.g. for a clerk).`,
    async run(v) {
      required('approve', v, 'db', 'as');
      const ids = v.ids as string | undefined;
      const all = !!v['all-matched'];
      if (ids !== undefined && all) throw new UsageError('give --ids or --all-matched, not both', 'approve');
      if (ids === undefined && !all) throw new UsageError('--ids or --all-matched is required', 'approve');
      const filtered = ['customer', 'min-amount', 'max-amount', 'text'].filter((k) => v[k] !== undefined);
      if (!all && filtered.length) throw new UsageError(`--${filtered[0]} narrows --all-matched only`, 'approve');
      const asked = ids !== undefined ? parseIds('approve', ids) : [];
      const filter: Record<string, unknown> = {};
      if (all) {
        if (v.customer !== undefined) {
          if (!/^\d{1,15}$/.test(v.customer as string))
            throw new UsageError(`--customer must be a customer id, not "${String(v.customer)}"`, 'approve');
          filter.customerId = Number(v.customer);
        }
        const min = yuanOption('approve', v, 'min-amount');
        const max = yuanOption('approve', v, 'max-amount');
        if (min !== undefined) filter.minAmount = String(min);
        if (max !== undefined) filter.maxAmount = String(max);
        if (v.text !== undefined) filter.text = v.text;
      }
      return withApi(await writer(v), async (api) => {
        let outcomes: AskedOutcome[];
        if (all) outcomes = await api.sendJob('approvals.approveAll', filter);
        else {
          // Read each request's stored version; an unknown id is refused in place, the rest go on.
          const slots: (typeof outcomes)[number][] = [];
          const items: { id: number; version: number; slot: number }[] = [];
          for (const a of asked) {
            try {
              const r = await requestOf(api, a.ref);
              items.push({ id: r.id, version: a.version ?? r.version, slot: slots.length });
              slots.push({ id: r.id, requestId: r.requestId, outcome: 'refused', ...refusal('other', { message: 'not sent' }) });
            } catch (e) {
              if (!(e instanceof Refused) || e.body.code !== 'NOT_FOUND') throw e;
              slots.push({ id: null, requestId: a.ref, outcome: 'refused', ...refusal('not_found', { ref: a.ref }) });
            }
          }
          for (let i = 0; i < items.length; i += BATCH) {
            const batch = items.slice(i, i + BATCH);
            const got = await api.call('approvals.approve', {
              items: batch.map(({ id, version }) => ({ id, version })),
            });
            got.forEach((o, k) => (slots[batch[k]!.slot] = o));
          }
          outcomes = slots;
        }
        const by = v.as as string;
        out(v.json ? JSON.stringify(approvalJson(by, all, outcomes), null, 2) + '\n' : approvalText(by, all, outcomes));
        return outcomes.some((o) => o.outcome === 'refused') ? 1 : 0;
      });
    },
  },
  {
    name: 'reject',
    summary: 'reject a recharge request with a reason, releasing its bank money (approver)',
    options: { ...DB, ...AS, id: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer reject --db FILE|URL --as USER --id ID[@VERSION] --reason TEXT [--json]  < password

Rejects a recharge request that is not credited (submitted, partly paid, matched or overpaid) with the
reason, at the version stored now (or at VERSION, refused as stale if it changed since). The bank
money matched to it goes back to unallocated receipts for another request or a refund; the rejection
joins the review results sent to the platform. ID is the internal id or the platform's request id.
Only approvers reject; USER's password is the first line of standard input. Prints the outcome
(--json as JSON, also for a refusal). Exit code 0 when rejected, 1 when refused.`,
    async run(v) {
      required('reject', v, 'db', 'as', 'id', 'reason');
      const [asked] = parseIds('reject', v.id as string);
      if ((v.id as string).includes(',')) throw new UsageError('--id takes one request', 'reject');
      const reason = (v.reason as string).trim();
      if (!reason) throw new UsageError('--reason must say why', 'reject');
      return withApi(await writer(v), async (api) => {
        const r = await requestOf(api, asked!.ref);
        const version = asked!.version ?? r.version;
        try {
          const done = await api.call('requests.reject', {
            id: r.id,
            reason,
            version,
          });
          const o = { outcome: 'rejected', id: r.id, requestId: r.requestId, was: r.status, version: done.version, reason, by: v.as };
          out(
            v.json
              ? JSON.stringify(o, null, 2) + '\n'
              : `Rejected request #${r.id} ${r.requestId} (was ${r.status}, ${displayFen(r.amount)} yuan) by ${String(v.as)}: ${reason}. Its bank money is back in unallocated receipts.\n`,
          );
          return 0;
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          if (v.json)
            out(
              JSON.stringify({ outcome: 'refused', id: r.id, requestId: r.requestId, error: e.body.code, ...refusalOf(e.body) }, null, 2) +
                '\n',
            );
          throw e;
        }
      });
    },
  },
  {
    name: 'reverse',
    summary: 'reverse a credited recharge (chargeback, mistaken credit) while the coins are still there (approver)',
    options: { ...DB, ...AS, record: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer reverse --db FILE|URL --as USER --record ID|RECEIPT_NO --reason TEXT [--json]  < password

Reverses the credit of a recharge record (its id or receipt number, e.g. CZ2026-000001): the paid and
bonus coins go back from the account's recharge wallet to issuance, and the money moves from customer
prepayments to refunds payable until a money-out bank line is matched to the refund. Allowed only
while the wallet still holds the coins: otherwise refused with the shortfall (and, when the customer's
linked recharge wallets hold them, which account to move them back from). An approver who did not
approve the credit reverses it (four eyes). USER's password is the first line of standard input.
Prints the outcome (--json as JSON, also for a refusal). Exit code 0 when reversed, 1 when refused.`,
    async run(v) {
      required('reverse', v, 'db', 'as', 'record', 'reason');
      const reason = (v.reason as string).trim();
      if (!reason) throw new UsageError('--reason must say why', 'reverse');
      return withApi(await writer(v), async (api) => {
        const rec = await recordOf(api, v.record as string);
        try {
          await api.call('records.reverse', { id: rec.id, reason });
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          const shortfall = (e.body.details as { shortfall?: number }).shortfall;
          if (v.json)
            out(
              JSON.stringify(
                {
                  outcome: 'refused',
                  record: rec.id,
                  receiptNo: rec.receiptNo,
                  error: e.body.code,
                  ...refusalOf(e.body),
                  ...(shortfall !== undefined ? { shortfallCoins: shortfall } : {}),
                },
                null,
                2,
              ) + '\n',
            );
          throw e;
        }
        const after = await api.call('records.get', { id: rec.id });
        const o = {
          outcome: 'reversed',
          record: rec.id,
          receiptNo: rec.receiptNo,
          requestId: rec.requestRef,
          amount: displayFen(rec.amount),
          paidCoins: Number(rec.paidCoins),
          bonusCoins: Number(rec.bonusCoins),
          reason,
          by: v.as,
          reversedAt: after.reversedAt,
        };
        out(
          v.json
            ? JSON.stringify(o, null, 2) + '\n'
            : `Reversed ${rec.receiptNo} (record #${rec.id}, request ${rec.requestRef}) by ${String(v.as)}: ${rec.paidCoins} coins + ${rec.bonusCoins} bonus back to issuance; ${displayFen(rec.amount)} yuan from customer prepayments to refunds payable. Reason: ${reason}\n`,
        );
        return 0;
      });
    },
  },
  {
    name: 'refund',
    summary: "match the bank's money-out line to the refund a reversal left payable (clerk, approver)",
    options: { ...DB, ...AS, record: { type: 'string' }, line: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer refund --db FILE|URL --as USER --record ID|RECEIPT_NO [--line LINE_ID] [--json]  < password

A reversed recharge leaves its money in refunds payable until the bank pays it back. Without --line,
prints the refund and the money-out bank lines of exactly its amount that pay no refund yet; with
--line, matches that line to the refund (refunds.match: Dr refunds payable / Cr suspense) — refused
when the line is money in, of another amount, or already pays a refund. Clerks and approvers; USER's
password is the first line of standard input. Exit 0 when listed or matched, 1 when refused.`,
    async run(v) {
      required('refund', v, 'db', 'as', 'record');
      const lineText = v.line as string | undefined;
      if (lineText !== undefined && !/^\d{1,15}$/.test(lineText))
        throw new UsageError(`--line must be a bank line id, not "${lineText}"`, 'refund');
      return withApi(await writer(v), async (api) => {
        const rec = await recordOf(api, v.record as string);
        const [refund] = await api.call('refunds.list', { recordId: rec.id });
        if (!refund)
          throw new Refused({
            code: 'NOT_FOUND',
            message: `${rec.receiptNo} was not reversed: it owes no refund`,
            details: { field: 'record' },
          });
        if (lineText === undefined) {
          const lines = refund.status === 'payable' ? await api.call('refunds.candidates', { refundId: refund.id }) : [];
          if (v.json)
            out(
              JSON.stringify(
                {
                  refund: { ...refund, amount: displayFen(refund.amount) },
                  lines: lines.map((l) => ({ ...l, amount: displayFen(l.amount) })),
                },
                null,
                2,
              ) + '\n',
            );
          else {
            out(
              `Refund of ${rec.receiptNo}: ${displayFen(refund.amount)} yuan, ${refund.status === 'paid' ? `paid by bank line #${refund.bankLineId} (${refund.lineBooked}), matched by ${refund.matchedBy}` : 'payable'}.\n`,
            );
            if (refund.status === 'payable')
              out(
                lines.length
                  ? `Money-out lines of that amount: ${lines.map((l) => `#${l.id} ${l.booked} ${l.counterpartyName ?? ''} ${l.memo ?? ''}`.trim()).join('; ')}\n`
                  : 'No money-out bank line of that amount yet: import the statement once the bank has paid it back.\n',
              );
          }
          return 0;
        }
        try {
          const paid = await api.call('refunds.match', { refundId: refund.id, lineId: Number(lineText) });
          out(
            v.json
              ? JSON.stringify({ outcome: 'paid', ...paid, amount: displayFen(paid.amount) }, null, 2) + '\n'
              : `Refund of ${rec.receiptNo} (${displayFen(paid.amount)} yuan) paid by bank line #${paid.bankLineId}, matched by ${String(v.as)}.\n`,
          );
          return 0;
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          if (v.json)
            out(JSON.stringify({ outcome: 'refused', receiptNo: rec.receiptNo, error: e.body.code, ...refusalOf(e.body) }, null, 2) + '\n');
          throw e;
        }
      });
    },
  },
  {
    name: 'record',
    summary: 'save a recharge record (receipt) as HTML to print',
    options: { ...DB, ...AS, ...OUT },
    positionals: true,
    help: `Usage: coffer record --db FILE|URL ID|RECEIPT_NO --out FILE.html [--force] [--as USER < password]

Writes the printable recharge record (receipt number, request, bank evidence, the rule version with
its rate, tier and bonus, coins credited, who matched and who approved, a reversal if any) as a
self-contained HTML page; open it in a browser to print or save as PDF (the CLI has no printer, so the
records.print method answers with HTML). Refuses to replace --out unless --force.
${READ_NOTE}`,
    async run(v) {
      required('record', v, 'db', 'out');
      const refs = (v._ as string[] | undefined) ?? [];
      if (refs.length !== 1)
        throw new UsageError(refs.length ? 'give one record' : 'the record id or receipt number is required', 'record');
      if (!/\.html?$/i.test(v.out as string)) throw new UsageError('--out must be an .html file (the CLI writes HTML)', 'record');
      const target = checkOut('record', v);
      return withApi(await reader(v), async (api) => {
        const rec = await recordOf(api, refs[0]!);
        api.out = path.resolve(target);
        const r = await api.job('records.print', { id: rec.id });
        out(`Wrote recharge record ${rec.receiptNo} to ${r.path} (${r.format}, ${r.bytes} bytes).\n`);
        return 0;
      });
    },
  },
  {
    name: 'report roll-forward',
    summary: 'the monthly coin-liability roll-forward (opening, recharged, bonus, … closing) with CNY prepayments',
    options: { ...DB, ...AS, ...OUT, month: { type: 'string' }, json: { type: 'boolean' } },
    help: `Usage: coffer report roll-forward --db FILE|URL --month YYYY-MM [--json | --out FILE.xlsx [--force]] [--as USER < password]

The coin liability of one month (Asia/Shanghai) per coin ledger: opening, recharged, bonus, earned,
transferred (among a customer's linked wallets; shown, nets to nothing), spent, reversed, other and
closing (opening + every movement), in whole coins; beside it the CNY customer prepayments at the
month's start and end, in yuan. --json prints the same figures; --out writes the Excel workbook the
console exports (refuses to replace it unless --force).
${READ_NOTE}`,
    async run(v) {
      required('report roll-forward', v, 'db', 'month');
      const month = v.month as string;
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM, not "${month}"`, 'report roll-forward');
      if (v.json && v.out) throw new UsageError('give --json or --out, not both', 'report roll-forward');
      if (v.out !== undefined && !/\.xlsx$/i.test(v.out as string))
        throw new UsageError('--out must be an .xlsx file', 'report roll-forward');
      const target = v.out !== undefined ? checkOut('report roll-forward', v) : null;
      return withApi(await reader(v), async (api) => {
        if (target) {
          api.out = path.resolve(target);
          const r = await api.job('reports.exportRollForward', { month });
          out(`Wrote the coin-liability roll-forward of ${month} to ${r.path} (${r.bytes} bytes).\n`);
          return 0;
        }
        const r = await api.call('reports.rollForward', { month });
        out(
          v.json
            ? JSON.stringify(rollForwardJson(api.dispatcher.books.path, r), null, 2) + '\n'
            : rollForwardText(api.dispatcher.books.path, r),
        );
        return 0;
      });
    },
  },
  {
    name: 'report dashboard',
    summary: "today's and this month's recharges, what waits at each stage, the coin liability",
    options: { ...DB, ...AS, json: { type: 'boolean' } },
    help: `Usage: coffer report dashboard --db FILE|URL [--json] [--as USER < password]

The console's start screen as text: today's and this month's credited recharges (money, paid and bonus
coins; reversed ones left out), requests per stage and the other queues (unallocated bank lines,
suggestions, held transfers, write-offs, re-binds), the coins held in customers' wallets per ledger and
the customer prepayments, and the daily recharge volume of the last 90 days (days with recharges).
--json prints the same figures, money in yuan.
${READ_NOTE}`,
    async run(v) {
      required('report dashboard', v, 'db');
      return withApi(await reader(v), async (api) => {
        const d = await api.call('reports.dashboard');
        const now = Date.now();
        out(
          v.json
            ? JSON.stringify(dashboardJson(api.dispatcher.books.path, now, d), null, 2) + '\n'
            : dashboardText(api.dispatcher.books.path, now, d),
        );
        return 0;
      });
    },
  },
];
