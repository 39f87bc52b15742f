// Period close (结账). A month (Asia/Shanghai) is closed by an approver only when its checks pass, each
// with its figure: the month is over; the months before it that have postings are closed (months close
// in order); every bank account's statements reach the month's last day without a gap; no match
// proposal or write-off proposed by then, and no voucher of the month, waits for review; verify finds
// nothing. Closing puts the month in 'closing' (it already takes no posting); a second person confirms
// it ('closed'). Closing or confirming again changes nothing and says so. Reopening (反结账) is asked by
// an admin with a reason and confirmed by another admin; both are audited.
import { sql, type Compilable } from 'kysely';
import type { Queryable } from '../db/books';
import { selectFirst } from '../db/query';
import type { Tx } from '../db/tx';
import { shanghaiDate } from '../domain/dates';
import { LEDGER } from '../domain/ledgers';
import { firstDay, isMonth, lastDay, monthOf, nextMonth } from '../domain/periods';
import { refuse } from '../domain/refusals';
import { recordAudit } from './audit';
import type { Actor } from './actor';
import { drain, type Steps } from './steps';
import { verifySteps } from './verify';
import { revenueRunCheck } from './revenue';

export type PeriodState = 'open' | 'closing' | 'closed';

export type PeriodCheckName =
  'month_ended' | 'earlier_months' | 'bank_statements' | 'match_proposals' | 'writeoffs' | 'vouchers' | 'verify' | 'revenue_run';

/** One check of a month, with its figure (params: integer strings, dates, names) and where to look. */
export interface PeriodCheck {
  name: PeriodCheckName | string;
  ok: boolean;
  /** The figures the check names, for the console's text and the CLI: counts, dates, account numbers. */
  params: Record<string, string>;
  /** English, with the figure. */
  message: string;
  /** The console's route to what blocks it (#/reconciliation, #/vouchers, …). */
  link: string | null;
  /** Per item where there are several (each bank account). */
  items?: { ref: string; ok: boolean; params: Record<string, string>; message: string }[];
}

export interface PeriodStatus {
  month: string;
  state: PeriodState;
  closedBy: string | null;
  closedAt: number | null;
  confirmedBy: string | null;
  confirmedAt: number | null;
  reopenRequestedBy: string | null;
  reopenRequestedAt: number | null;
  reopenReason: string | null;
  timesReopened: number;
  checks: PeriodCheck[];
  /** Every check passes (closing would be allowed now). */
  ready: boolean;
}

function checkMonth(month: string): void {
  if (!isMonth(month)) throw refuse('VALIDATION', 'month_invalid', { month }, { field: 'month' });
}

async function periodRow(q: Queryable, month: string) {
  return await q.db.selectFrom('periods').selectAll().where('month', '=', month).executeTakeFirst();
}

/** The row of a month asked for by name (none while it was never closed), refused unless it is a month. */
async function askedPeriodRow(q: Queryable, month: string) {
  checkMonth(month);
  return await periodRow(q, month);
}

/** The business date of the first posting (none before anything is posted). */
async function firstPostingDate(q: Queryable) {
  return (
    await q.db
      .selectFrom('transfers')
      .select((eb) => eb.fn.min<string | null>('business_date').as('d'))
      .executeTakeFirst()
  )?.d;
}

const endOfMonthMs = (month: string): number => Date.parse(`${lastDay(month)}T23:59:59.999+08:00`);

function monthEnded(month: string, now: number): PeriodCheck {
  const today = shanghaiDate(now);
  const ok = today > lastDay(month);
  return {
    name: 'month_ended',
    ok,
    params: { today, lastDay: lastDay(month) },
    message: ok ? `${month} ended on ${lastDay(month)}` : `${month} is not over yet: it ends on ${lastDay(month)}, today is ${today}`,
    link: null,
  };
}

/** Months close in order: every earlier month with postings is closed. */
async function earlierMonths(q: Queryable, month: string): Promise<PeriodCheck> {
  const first = await firstPostingDate(q);
  const open: string[] = [];
  if (first) {
    const has = q.sql('SELECT 1 FROM transfers WHERE business_date BETWEEN ? AND ? LIMIT 1');
    for (let m = monthOf(first); m < month; m = nextMonth(m)) {
      if (!(await has.get(firstDay(m), lastDay(m)))) continue;
      if ((await periodRow(q, m))?.state !== 'closed') open.push(m);
    }
  }
  return {
    name: 'earlier_months',
    ok: open.length === 0,
    params: { open: open.join(', '), count: String(open.length) },
    message: open.length
      ? `earlier months with postings are not closed: ${open.join(', ')}`
      : 'every earlier month with postings is closed',
    link: '#/closing',
  };
}

/**
 * Each bank account's statements reach the month's last day without a gap: every statement that starts
 * by then kept its continuity (opening + lines = closing, opening = the previous closing), and one of them
 * closes on or after the last day — or a later statement continues from them without a gap (a statement
 * whose balances are dated by its first and last lines closes on its last line's day).
 */
async function bankStatements(q: Queryable, month: string): Promise<PeriodCheck> {
  const end = lastDay(month);
  const banks = await q.db
    .selectFrom('bank_accounts')
    .select(['id', 'account_number as number', 'bank_name as bank'])
    .orderBy('id')
    .execute();
  const items: NonNullable<PeriodCheck['items']> = [];
  for (const b of banks) {
    const statements = await q.db
      .selectFrom('statements')
      .select((eb) => [
        'id',
        'file_name as file',
        eb.fn.coalesce('opening_date', 'first_booked').as('start'),
        eb.fn.coalesce('closing_date', 'last_booked').as('closing'),
        'continuity_ok as ok',
      ])
      .where('bank_account_id', '=', b.id)
      .orderBy('start')
      .orderBy('id')
      .execute();
    const upTo = statements.filter((s) => s.start !== null && s.start <= end);
    const params = { bankAccount: b.number, bankName: b.bank, lastDay: end };
    if (!upTo.length) {
      items.push({ ref: b.number, ok: true, params: { ...params, reached: '' }, message: `${b.number}: no statement before ${end}` });
      continue;
    }
    const broken = upTo.find((s) => !s.ok);
    const reached = upTo.reduce((m, s) => (s.closing && s.closing > m ? s.closing : m), '');
    const next = statements.find((s) => s.start !== null && s.start > end);
    const ok = !broken && (reached >= end || (next !== undefined && next.ok === 1));
    items.push({
      ref: b.number,
      ok,
      params: { ...params, reached, gapFile: broken?.file ?? (!ok && next ? next.file : '') },
      message: broken
        ? `${b.number}: statement ${broken.file} does not continue from the one before (a gap, or opening + lines ≠ closing)`
        : ok
          ? `${b.number}: statements reach ${reached >= end ? reached : end} without a gap`
          : next
            ? `${b.number}: statements end on ${reached}; the next one, ${next.file}, does not continue from it (a gap)`
            : `${b.number}: statements end on ${reached}, before ${end}`,
    });
  }
  const failing = items.filter((i) => !i.ok);
  return {
    name: 'bank_statements',
    ok: failing.length === 0,
    params: { accounts: String(items.length), failing: String(failing.length), lastDay: end },
    message: failing.length
      ? `${failing.length} of ${items.length} bank accounts' statements do not reach ${end} without a gap: ${failing.map((f) => f.message).join('; ')}`
      : `${items.length} bank accounts' statements reach ${end} without a gap`,
    link: '#/import',
    items,
  };
}

async function waiting(q: Queryable, month: string): Promise<PeriodCheck[]> {
  const by = endOfMonthMs(month);
  const count = async <O>(query: Compilable<O & { n: number }>) => (await selectFirst(q, query))?.n ?? 0;
  const proposals = await count(
    q.db
      .selectFrom('match_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', sql.lit('proposed'))
      .where('proposed_at', '<=', by),
  );
  const writeoffs = await count(
    q.db
      .selectFrom('allocations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', sql.lit('writeoff'))
      .where('status', '=', sql.lit('proposed'))
      .where('created_at', '<=', by),
  );
  const vouchers = await count(
    q.db
      .selectFrom('vouchers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', sql.lit('draft'))
      .where('period', '=', month),
  );
  return [
    {
      name: 'match_proposals',
      ok: proposals === 0,
      params: { count: String(proposals) },
      message: `${proposals} match proposal(s) made by the end of ${month} wait for a second person`,
      link: '#/reconciliation',
    },
    {
      name: 'writeoffs',
      ok: writeoffs === 0,
      params: { count: String(writeoffs) },
      message: `${writeoffs} write-off(s) proposed by the end of ${month} wait for an approver`,
      link: '#/reconciliation',
    },
    {
      name: 'vouchers',
      ok: vouchers === 0,
      params: { count: String(vouchers) },
      message: `${vouchers} voucher(s) of ${month} wait for review`,
      link: '#/vouchers',
    },
  ];
}

async function* verifyCheck(q: Queryable): Steps<PeriodCheck> {
  const r = yield* verifySteps(q);
  const broken = r.ties.filter((t) => !t.ok).length;
  return {
    name: 'verify',
    ok: r.findings.length === 0,
    params: { findings: String(r.findings.length), ties: String(r.ties.length), brokenTies: String(broken) },
    message: r.findings.length
      ? `verify has ${r.findings.length} finding(s) (${broken} of ${r.ties.length} ties broken): ${r.findings[0]!.message}`
      : `verify finds nothing; ${r.ties.length} ties hold`,
    link: '#/ledger',
  };
}

/** The checks of a month, each with its figure. */
export async function periodChecks(q: Queryable, month: string, now: number): Promise<PeriodCheck[]> {
  return await drain(periodCheckSteps(q, month, now));
}

/** The checks in steps: verify, the long one, in its own, so closing a month can be cancelled meanwhile. */
async function* periodCheckSteps(q: Queryable, month: string, now: number): Steps<PeriodCheck[]> {
  checkMonth(month);
  const checks = [monthEnded(month, now), await earlierMonths(q, month), await bankStatements(q, month), ...(await waiting(q, month))];
  checks.push(yield* verifyCheck(q));
  checks.push(await revenueRunCheck(q, month));
  return checks;
}

/** A month reopens only while no later month is closed: refused (period_later_closed) naming the first that is not open. */
async function refuseLaterClosed(q: Queryable, month: string): Promise<void> {
  const later = await q.db
    .selectFrom('periods')
    .select('month')
    .where('month', '>', month)
    .where('state', '<>', sql.lit('open'))
    .orderBy('month')
    .limit(1)
    .executeTakeFirst();
  if (later) throw refuse('CONFLICT', 'period_later_closed', { month, later: later.month }, { field: 'month' });
}

async function nameOf(q: Queryable, id: number | null): Promise<string | null> {
  if (id === null) return null;
  return (await q.db.selectFrom('staff').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name ?? null;
}

/** A month's state, who closed, confirmed and asked to reopen it, and its checks (state open: whether it may close). */
export async function periodStatus(q: Queryable, month: string, now: number): Promise<PeriodStatus> {
  const row = await askedPeriodRow(q, month);
  const checks = await periodChecks(q, month, now);
  return {
    month,
    state: row?.state ?? 'open',
    closedBy: await nameOf(q, row?.closed_by ?? null),
    closedAt: row?.closed_at ?? null,
    confirmedBy: await nameOf(q, row?.confirmed_by ?? null),
    confirmedAt: row?.confirmed_at ?? null,
    reopenRequestedBy: await nameOf(q, row?.reopen_requested_by ?? null),
    reopenRequestedAt: row?.reopen_requested_at ?? null,
    reopenReason: row?.reopen_reason ?? null,
    timesReopened: row?.times_reopened ?? 0,
    checks,
    ready: checks.every((c) => c.ok),
  };
}

export interface PeriodListRow {
  month: string;
  state: PeriodState;
  closedBy: string | null;
  confirmedBy: string | null;
  reopenRequestedBy: string | null;
  timesReopened: number;
  /** CNY postings dated in the month. */
  postings: number;
}

/** Every month from the first posting (or the earliest period row) to this month, newest first. */
export async function listPeriods(q: Queryable, now: number): Promise<PeriodListRow[]> {
  const thisMonth = monthOf(shanghaiDate(now));
  const firstPosting = await firstPostingDate(q);
  const firstPeriod = (
    await q.db
      .selectFrom('periods')
      .select((eb) => eb.fn.min<string | null>('month').as('m'))
      .executeTakeFirst()
  )?.m;
  const starts = [firstPosting?.slice(0, 7), firstPeriod].filter((m): m is string => !!m).sort();
  const first = starts[0] ?? thisMonth;
  const counts = new Map(
    (
      await q.db
        .selectFrom('transfers')
        .select((eb) => [eb.fn<string>('substr', ['business_date', eb.lit(1), eb.lit(7)]).as('m'), eb.fn.countAll<number>().as('n')])
        .where((eb) => eb('ledger', '=', eb.lit(LEDGER.CNY)))
        .groupBy((eb) => eb.fn('substr', ['business_date', eb.lit(1), eb.lit(7)]))
        .execute()
    ).map((r) => [r.m, r.n]),
  );
  const rows: PeriodListRow[] = [];
  const last = (
    await q.db
      .selectFrom('periods')
      .select((eb) => eb.fn.max<string | null>('month').as('m'))
      .executeTakeFirst()
  )?.m;
  const until = last && last > thisMonth ? last : thisMonth;
  for (let m = first < until ? first : until; m <= until; m = nextMonth(m)) {
    const r = await periodRow(q, m);
    rows.push({
      month: m,
      state: r?.state ?? 'open',
      closedBy: await nameOf(q, r?.closed_by ?? null),
      confirmedBy: await nameOf(q, r?.confirmed_by ?? null),
      reopenRequestedBy: await nameOf(q, r?.reopen_requested_by ?? null),
      timesReopened: r?.times_reopened ?? 0,
      postings: counts.get(m) ?? 0,
    });
  }
  return rows.reverse();
}

export interface PeriodOutcome {
  month: string;
  state: PeriodState;
  /** True when nothing changed (closing a closed month, confirming a confirmed one). */
  unchanged: boolean;
  message: string;
}

function failingChecks(checks: PeriodCheck[]): string {
  return checks
    .filter((c) => !c.ok)
    .map((c) => c.name)
    .join(', ');
}

/** The checks of a month, refused (period_checks_failed, naming those that fail) unless every one passes. */
async function* passingCheckSteps(q: Queryable, month: string, now: number): Steps<PeriodCheck[]> {
  const checks = yield* periodCheckSteps(q, month, now);
  if (!checks.every((c) => c.ok))
    throw refuse('REFUSED', 'period_checks_failed', { month, checks: failingChecks(checks) }, { field: 'month' });
  return checks;
}

/** Closing or confirming a month already closed changes nothing. */
const alreadyClosed = (month: string): PeriodOutcome => ({
  month,
  state: 'closed',
  unchanged: true,
  message: `${month} is already closed; nothing changed`,
});

/** An approver closes a month whose checks all pass: it takes no posting from now on and waits for a second person. */
export async function closePeriod(tx: Tx, actor: Actor, month: string, now: number): Promise<PeriodOutcome> {
  return await drain(closePeriodSteps(tx, actor, month, now));
}

/** Closing in steps (its checks, verify's among them), for the job that shows them and may be cancelled. */
export async function* closePeriodSteps(tx: Tx, actor: Actor, month: string, now: number): Steps<PeriodOutcome> {
  const row = await askedPeriodRow(tx, month);
  if (row?.state === 'closed') return alreadyClosed(month);
  if (row?.state === 'closing')
    return {
      month,
      state: 'closing',
      unchanged: true,
      message: `${month} is already closed and waits for a second person to confirm; nothing changed`,
    };
  const checks = yield* passingCheckSteps(tx, month, now);
  await tx
    .sql(
      `INSERT INTO periods (month, state, closed_by, closed_at) VALUES (?, 'closing', ?, ?)
     ON CONFLICT (month) DO UPDATE SET state = 'closing', closed_by = excluded.closed_by, closed_at = excluded.closed_at,
       confirmed_by = NULL, confirmed_at = NULL, reopen_requested_by = NULL, reopen_requested_at = NULL, reopen_reason = NULL`,
    )
    .run(month, actor.staffId, now);
  await recordAudit(tx, actor, {
    action: 'period.close',
    entity: 'period',
    entityId: month,
    // The last transfer there was at the close: verify names any transfer of the month after it.
    after: {
      state: 'closing',
      checks: checks.map((c) => ({ name: c.name, params: c.params })),
      lastTransferId:
        (
          await selectFirst(
            tx,
            tx.db.selectFrom('transfers').select((eb) => eb.fn.max<number | null>('id').as('m')),
          )
        )?.m ?? 0,
    },
    at: now,
  });
  return { month, state: 'closing', unchanged: false, message: `${month} is closed and waits for a second person to confirm` };
}

/** A second person (not the one who closed it) confirms the close; the checks must still pass. */
export async function confirmClose(tx: Tx, actor: Actor, month: string, now: number): Promise<PeriodOutcome> {
  return await drain(confirmCloseSteps(tx, actor, month, now));
}

export async function* confirmCloseSteps(tx: Tx, actor: Actor, month: string, now: number): Steps<PeriodOutcome> {
  const row = await askedPeriodRow(tx, month);
  if (row?.state === 'closed') return alreadyClosed(month);
  if (row?.state !== 'closing') throw refuse('CONFLICT', 'period_not_closing', { month }, { field: 'month' });
  if (row.closed_by === actor.staffId) throw refuse('FORBIDDEN', 'four_eyes_period', { month, user: actor.name }, { field: 'month' });
  yield* passingCheckSteps(tx, month, now);
  await tx.sql("UPDATE periods SET state = 'closed', confirmed_by = ?, confirmed_at = ? WHERE month = ?").run(actor.staffId, now, month);
  await recordAudit(tx, actor, {
    action: 'period.confirm',
    entity: 'period',
    entityId: month,
    before: { state: 'closing' },
    after: { state: 'closed' },
    at: now,
  });
  return { month, state: 'closed', unchanged: false, message: `${month} is closed` };
}

/** An admin asks to reopen a closed (or closing) month, with the reason; another admin confirms. */
export async function requestReopen(tx: Tx, actor: Actor, month: string, reason: string, now: number): Promise<PeriodOutcome> {
  const row = await askedPeriodRow(tx, month);
  if (!row || row.state === 'open') throw refuse('CONFLICT', 'period_not_closed', { month }, { field: 'month' });
  if (row.reopen_requested_by !== null)
    throw refuse(
      'CONFLICT',
      'period_reopen_pending',
      { month, user: (await nameOf(tx, row.reopen_requested_by)) ?? '' },
      { field: 'month' },
    );
  await refuseLaterClosed(tx, month);
  if (reason.trim().length < 2) throw refuse('VALIDATION', 'reopen_reason_required', {}, { field: 'reason' });
  await tx
    .sql('UPDATE periods SET reopen_requested_by = ?, reopen_requested_at = ?, reopen_reason = ? WHERE month = ?')
    .run(actor.staffId, now, reason.trim(), month);
  await recordAudit(tx, actor, {
    action: 'period.reopen_request',
    entity: 'period',
    entityId: month,
    after: { state: row.state, reason: reason.trim() },
    at: now,
  });
  return { month, state: row.state, unchanged: false, message: `reopening ${month} is asked; another admin confirms it` };
}

/** A second admin (not the one who asked) confirms the reopening: the month is open again. */
export async function confirmReopen(tx: Tx, actor: Actor, month: string, now: number): Promise<PeriodOutcome> {
  const row = await askedPeriodRow(tx, month);
  if (!row || row.state === 'open') throw refuse('CONFLICT', 'period_not_closed', { month }, { field: 'month' });
  if (row.reopen_requested_by === null) throw refuse('CONFLICT', 'period_no_reopen_request', { month }, { field: 'month' });
  if (row.reopen_requested_by === actor.staffId)
    throw refuse('FORBIDDEN', 'four_eyes_period', { month, user: actor.name }, { field: 'month' });
  await refuseLaterClosed(tx, month);
  await tx
    .sql(
      `UPDATE periods SET state = 'open', closed_by = NULL, closed_at = NULL, confirmed_by = NULL, confirmed_at = NULL,
       reopen_requested_by = NULL, reopen_requested_at = NULL, times_reopened = times_reopened + 1 WHERE month = ?`,
    )
    .run(month);
  await recordAudit(tx, actor, {
    action: 'period.reopen',
    entity: 'period',
    entityId: month,
    before: { state: row.state, requestedBy: await nameOf(tx, row.reopen_requested_by), reason: row.reopen_reason },
    after: { state: 'open', timesReopened: row.times_reopened + 1 },
    at: now,
  });
  return { month, state: 'open', unchanged: false, message: `${month} is open again` };
}
