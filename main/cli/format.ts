// What the CLI prints: the trial balance per ledger (CNY in yuan, coins whole, never summed across
// ledgers) and verify findings, one per line, exactly as verify states them.
import type { TrialBalanceDto } from '../api/dto';
import { LEDGER_CODE, ledgerUnit, type LedgerId } from '../domain/ledgers';
import type { VerifyReport } from '../services/verify';

type AmountField = 'debitsPosted' | 'creditsPosted' | 'debitsPending' | 'creditsPending';

/**
 * A minor-unit integer (string, number or bigint) in the ledger's display unit: "128800" → "1288.00"
 * on CNY, "1500" on coins. Done in bigint: totals over many accounts may pass 2^53.
 */
export function displayAmount(ledger: number, minor: string | number | bigint): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) throw new RangeError(`not a safe integer amount: ${minor}`);
  if (typeof minor === 'string' && !/^-?\d+$/.test(minor)) throw new RangeError(`not an integer amount: "${minor}"`);
  const n = BigInt(minor);
  if (ledgerUnit(ledger) !== 'fen') return n.toString();
  const abs = n < 0n ? -n : n;
  return `${n < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function net(l: Record<AmountField, string>): bigint {
  return BigInt(l.debitsPosted) - BigInt(l.creditsPosted);
}

/** The trial balance for files and scripts: amounts as decimal strings in each ledger's display unit. */
export function trialBalanceJson(books: string, tb: TrialBalanceDto[]) {
  return {
    books,
    ledgers: tb.map((t) => {
      const show = (l: Record<AmountField, string>) => ({
        debitsPosted: displayAmount(t.ledger, l.debitsPosted),
        creditsPosted: displayAmount(t.ledger, l.creditsPosted),
        debitsPending: displayAmount(t.ledger, l.debitsPending),
        creditsPending: displayAmount(t.ledger, l.creditsPending),
        net: displayAmount(t.ledger, net(l)),
      });
      return {
        ledger: t.ledger,
        code: LEDGER_CODE[t.ledger as LedgerId],
        unit: ledgerUnit(t.ledger) === 'fen' ? 'yuan' : 'coins',
        balanced: t.balanced,
        totals: show(t.totals),
        lines: t.lines.map((l) => ({ code: l.code, accounts: l.accounts, ...show(l) })),
      };
    }),
  };
}

function table(rows: string[][], rightAligned: (col: number) => boolean): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (rightAligned(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function trialBalanceText(books: string, tb: TrialBalanceDto[]): string {
  const j = trialBalanceJson(books, tb);
  const parts = [`Trial balance of ${books}  (net = debits − credits posted; ledgers are never added together)`];
  for (const l of j.ledgers) {
    const head = ['account code', 'accounts', 'debits posted', 'credits posted', 'debits pending', 'credits pending', 'net'];
    const rows = [
      head,
      ...l.lines.map((x) => [x.code, String(x.accounts), x.debitsPosted, x.creditsPosted, x.debitsPending, x.creditsPending, x.net]),
    ];
    rows.push(['total', '', l.totals.debitsPosted, l.totals.creditsPosted, l.totals.debitsPending, l.totals.creditsPending, l.totals.net]);
    parts.push(`\n${l.code} (${l.unit}) — ${l.balanced ? 'balanced' : 'NOT BALANCED'}\n${table(rows, (c) => c > 0)}`);
  }
  return parts.join('\n') + '\n';
}

export function verifyText(books: string, r: VerifyReport): string {
  const lines = [
    `Verified ${books}: ${r.counts.accounts} accounts, ${r.counts.transfers} transfers, ${r.counts.auditRows} audit rows; last audit hash ${r.lastAuditHash}`,
  ];
  for (const l of r.ledgers) {
    lines.push(
      `  ${l.code}: posted debits ${displayAmount(l.ledger, l.debitsPosted)} / credits ${displayAmount(l.ledger, l.creditsPosted)}; pending debits ${displayAmount(l.ledger, l.debitsPending)} / credits ${displayAmount(l.ledger, l.creditsPending)}`,
    );
  }
  if (r.ok) lines.push('OK: no findings.');
  else {
    lines.push(`FINDINGS: ${r.findings.length}`);
    for (const f of r.findings) lines.push(`  [${f.check}] ${f.message}`);
  }
  return lines.join('\n') + '\n';
}
