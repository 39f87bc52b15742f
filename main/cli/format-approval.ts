// What the approval, dashboard and roll-forward commands print: every request's outcome, one a line;
// money in yuan ("1288.00"), coins whole; the coin ledgers never added together.
import { shanghaiDateTime } from '../domain/dates';
import { LEDGER, LEDGER_CODE, type LedgerId } from '../domain/ledgers';
import type { Refusal } from '../domain/refusals';
import type { ApprovalOutcome } from '../services/approval';
import type { RollForward } from '../services/reports';
import { displayAmount, table } from './format';

const yuan = (fen: string | number | bigint) => displayAmount(LEDGER.CNY, fen);

/** An outcome as the API gives it, or a refusal the CLI made itself (an id it could not find). */
export type AskedOutcome = ApprovalOutcome | ({ id: number | null; requestId: string; outcome: 'refused' } & Refusal);

export function approvalJson(by: string, all: boolean, outcomes: AskedOutcome[]) {
  const n = (k: string) => outcomes.filter((o) => o.outcome === k).length;
  return {
    approvedBy: by,
    selection: all ? 'all-matched' : 'ids',
    asked: outcomes.length,
    credited: n('credited'),
    waiting: n('approved'),
    refused: n('refused'),
    outcomes,
  };
}

export function approvalText(by: string, all: boolean, outcomes: AskedOutcome[]): string {
  const j = approvalJson(by, all, outcomes);
  if (all && outcomes.length === 0) return `Nothing matched is waiting for approval; ${by} approved nothing.\n`;
  const head = `Approval by ${by}${all ? ' of everything matched' : ''}: ${j.asked} request(s) — ${j.credited} credited, ${j.waiting} approved and waiting for a second approver, ${j.refused} refused.`;
  const rows = outcomes.map((o) => {
    const who = [o.id === null ? '-' : `#${o.id}`, o.requestId];
    if (o.outcome === 'credited') return ['credited', ...who, `${o.receiptNo}: ${o.paidCoins} coins + ${o.bonusCoins} bonus`];
    if (o.outcome === 'approved') return ['waiting', ...who, `first approval by ${by}; a second, different approver must approve it`];
    return ['refused', ...who, `${o.code}: ${o.message}`];
  });
  if (!rows.length) return head + '\n';
  return (
    head +
    '\n' +
    table(rows, () => false)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n') +
    '\n'
  );
}

/** What records.get gives (amounts as strings of fen and coins). */
export interface RecordOut {
  id: number;
  receiptNo: string;
  requestId: number;
  requestRef: string;
  customerName: string;
  amount: string;
  paidCoins: string;
  bonusCoins: string;
  ruleVersion: number;
  approvedBy: string[];
  reversedAt: number | null;
}

const FLOWS = ['opening', 'recharged', 'bonus', 'earned', 'transferred', 'spent', 'expired', 'reversed', 'other', 'closing'] as const;

export function rollForwardJson(books: string, r: RollForward) {
  return {
    books,
    month: r.month,
    unit: 'coins',
    ledgers: r.lines.map((l) => ({ code: LEDGER_CODE[l.ledger as LedgerId], ...l })),
    prepayments: { unit: 'yuan', opening: yuan(r.prepayments.opening), closing: yuan(r.prepayments.closing) },
  };
}

export function rollForwardText(books: string, r: RollForward): string {
  const rows = [['ledger', ...FLOWS], ...r.lines.map((l) => [LEDGER_CODE[l.ledger as LedgerId], ...FLOWS.map((f) => l[f])])];
  return (
    `Coin liability roll-forward of ${r.month} (Asia/Shanghai), ${books} — whole coins; closing = opening + recharged + bonus + earned − spent − expired − reversed + other; transferred moves among linked wallets and nets to nothing\n` +
    table(rows, (c) => c > 0) +
    `\nCustomer prepayments (CNY, yuan): opening ${yuan(r.prepayments.opening)}, closing ${yuan(r.prepayments.closing)}\n`
  );
}

export interface DashboardOut {
  today: { count: number; money: string; coins: string; bonus: string };
  month: { count: number; money: string; coins: string; bonus: string };
  pending: Record<string, number>;
  volume: { day: string; money: string; coins: string }[];
  liability: { rechargeCoins: string; earningsCoins: string; prepaymentsFen: string };
}

export function dashboardJson(books: string, now: number, d: DashboardOut) {
  const sums = (s: DashboardOut['today']) => ({ ...s, money: yuan(s.money) });
  return {
    books,
    at: `${shanghaiDateTime(now)} +08:00`,
    today: sums(d.today),
    month: sums(d.month),
    pending: d.pending,
    volume: d.volume.map((v) => ({ ...v, money: yuan(v.money) })),
    liability: {
      rechargeCoins: d.liability.rechargeCoins,
      earningsCoins: d.liability.earningsCoins,
      prepayments: yuan(d.liability.prepaymentsFen),
    },
  };
}

const STAGES: [string, string][] = [
  ['submitted', 'submitted, not paid'],
  ['partly_paid', 'partly paid'],
  ['matched', 'matched, waiting for approval'],
  ['overpaid', 'overpaid, waiting for approval'],
  ['approved', 'waiting for a second approver'],
  ['credited', 'credited'],
  ['reversed', 'reversed'],
  ['rejected', 'rejected'],
  ['expired', 'expired'],
  ['unmatchedLines', 'bank lines with money not allocated'],
  ['suggestions', 'bank lines with suggestions'],
  ['heldTransfers', 'transfers held for an approver'],
  ['writeOffs', 'write-offs proposed'],
  ['rebinds', 're-binds waiting'],
  ['refundsPayable', 'refunds payable (reversed, not yet paid back)'],
];

export function dashboardText(books: string, now: number, d: DashboardOut): string {
  const sum = (s: DashboardOut['today']) => `${s.count} recharge(s), ${yuan(s.money)} yuan, ${s.coins} coins + ${s.bonus} bonus`;
  const days = d.volume.filter((v) => v.money !== '0');
  const total = days.reduce((s, v) => s + BigInt(v.money), 0n);
  const lines = [
    `Dashboard of ${books} at ${shanghaiDateTime(now)} (Asia/Shanghai)`,
    `  today:       ${sum(d.today)}`,
    `  this month:  ${sum(d.month)}`,
    'Waiting and done (requests per stage, then the other queues):',
    table(
      STAGES.filter(([k]) => (d.pending[k] ?? 0) > 0).map(([k, label]) => [label, String(d.pending[k])]),
      (c) => c === 1,
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
    `Coins held by customers: recharge ${d.liability.rechargeCoins}, earnings ${d.liability.earningsCoins} (ledgers never added); customer prepayments ${yuan(d.liability.prepaymentsFen)} yuan`,
    `Last 90 days: ${days.length} day(s) with recharges, ${yuan(total)} yuan${days.length ? ':' : '.'}`,
  ];
  if (days.length)
    lines.push(
      table(
        days.map((v) => [v.day, yuan(v.money), v.coins]),
        (c) => c > 0,
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  return lines.join('\n') + '\n';
}
