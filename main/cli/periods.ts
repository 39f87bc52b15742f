// coffer period status|close|confirm|reopen|confirm-reopen: period close (结账) from the command line,
// through the same API methods (and role checks) as the console's 结账 screen.
import type { PeriodCheck, PeriodStatus } from '../services/periods';
import { AS, DB, READ_NOTE, out, reader, writer, withApi, type Command } from './kit';
import { UsageError, required, type Values } from './usage';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const OPTIONS = { ...DB, ...AS, month: { type: 'string' }, json: { type: 'boolean' } } as const;

function monthOf(command: string, v: Values): string {
  required(command, v, 'db', 'month');
  const m = v.month as string;
  if (!MONTH.test(m)) throw new UsageError(`--month must be a month YYYY-MM, not "${m}"`, command);
  return m;
}

function checkText(c: PeriodCheck): string[] {
  const lines = [`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`];
  for (const i of c.items ?? []) lines.push(`         ${i.ok ? 'ok  ' : 'FAIL'} ${i.message}`);
  return lines;
}

export function periodStatusText(s: PeriodStatus): string {
  const who = [
    s.closedBy ? `closed by ${s.closedBy}` : null,
    s.confirmedBy ? `confirmed by ${s.confirmedBy}` : null,
    s.reopenRequestedBy ? `reopening asked by ${s.reopenRequestedBy}: ${s.reopenReason}` : null,
    s.timesReopened ? `reopened ${s.timesReopened} time(s)` : null,
  ].filter(Boolean);
  return (
    [
      `${s.month}: ${s.state}${who.length ? ` (${who.join('; ')})` : ''}`,
      `Checks (${s.checks.filter((c) => c.ok).length} of ${s.checks.length} pass${s.state === 'open' ? (s.ready ? '; it may be closed' : '; it may not be closed yet') : ''}):`,
      ...s.checks.flatMap(checkText),
    ].join('\n') + '\n'
  );
}

/** A write: prints the outcome (or the JSON) and exits 0; refusals exit 1 through main's handler. */
function action(
  name: string,
  summary: string,
  help: string,
  method: 'periods.close' | 'periods.confirm' | 'periods.confirmReopen',
): Command {
  return {
    name,
    summary,
    options: OPTIONS,
    help,
    async run(v) {
      const month = monthOf(name, v);
      required(name, v, 'as');
      return withApi(await writer(v), async (api) => {
        const r = method === 'periods.confirmReopen' ? await api.call(method, { month }) : await api.job(method, { month });
        out(v.json ? JSON.stringify(r, null, 2) + '\n' : `${r.message}.\n`);
        return 0;
      });
    },
  };
}

export const periodCommands: Command[] = [
  {
    name: 'period status',
    summary: "a month's state and its close checks, each with its figure",
    options: OPTIONS,
    help: `Usage: coffer period status --db FILE|URL --month YYYY-MM [--json] [--as USER < password]

Prints the month's state (open; closing: closed, waiting for a second person; closed), who closed,
confirmed or asked to reopen it, and each check with its figure: month_ended; earlier_months (months
close in order); bank_statements (per bank account: statements reach the month's last day without a
gap); match_proposals, writeoffs (proposed by the month's end and still waiting) and vouchers (drafts
of the month); verify (no finding, every tie holds). --json prints the same as JSON.
Exit code 0; 1 when the month is open and a check fails.
${READ_NOTE}`,
    async run(v) {
      const month = monthOf('period status', v);
      return withApi(await reader(v), async (api) => {
        const s = await api.call('periods.status', { month });
        out(v.json ? JSON.stringify(s, null, 2) + '\n' : periodStatusText(s));
        return s.state === 'open' && !s.ready ? 1 : 0;
      });
    },
  },
  action(
    'period close',
    'close a month whose checks all pass; a second person confirms (approver)',
    `Usage: coffer period close --db FILE|URL --month YYYY-MM --as USER [--json]  < password

Closes the month when every check passes (see \`coffer period status\`); refused naming the checks that
fail. From then on the month takes no posting; it waits for a second person (another approver, or an
admin) to confirm. Closing a month already closed or waiting changes nothing and says so.
Only approvers close; USER's password is the first line of standard input.`,
    'periods.close',
  ),
  action(
    'period confirm',
    'confirm a month another person closed (approver or admin)',
    `Usage: coffer period confirm --db FILE|URL --month YYYY-MM --as USER [--json]  < password

Confirms the close of a month waiting for it: USER is an approver or an admin who did not close it;
the checks must still pass. Confirming a closed month changes nothing and says so.`,
    'periods.confirm',
  ),
  {
    name: 'period reopen',
    summary: 'reopen (反结账) a closed month: one admin asks with --reason, another admin confirms (admin)',
    options: { ...OPTIONS, reason: { type: 'string' } },
    help: `Usage: coffer period reopen --db FILE|URL --month YYYY-MM --as USER [--reason TEXT] [--json]  < password

With --reason: USER (an admin) asks to reopen the closed month, saying why.
Without --reason: USER (another admin) confirms the request, and the month is open again
(the same as \`coffer period confirm-reopen\`). Both steps are audited. A month is reopened only while
no later month is closed. USER's password is the first line of standard input.`,
    async run(v) {
      const month = monthOf('period reopen', v);
      required('period reopen', v, 'as');
      return withApi(await writer(v), async (api) => {
        const r =
          typeof v.reason === 'string'
            ? await api.call('periods.reopen', { month, reason: v.reason })
            : await api.call('periods.confirmReopen', { month });
        out(v.json ? JSON.stringify(r, null, 2) + '\n' : `${r.message}.\n`);
        return 0;
      });
    },
  },
  action(
    'period confirm-reopen',
    'confirm another admin’s request to reopen a month (admin)',
    `Usage: coffer period confirm-reopen --db FILE|URL --month YYYY-MM --as USER [--json]  < password

Confirms another admin's request to reopen the month (\`coffer period reopen --reason\`); the month is
open again and takes postings.`,
    'periods.confirmReopen',
  ),
];
