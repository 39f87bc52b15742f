// What the CLI prints: the trial balance per ledger (CNY in yuan, coins whole, never summed across
// ledgers) and verify findings, one per line, exactly as verify states them.
import type { StatementPreview } from '../services/statement-import';
import type { TrialBalanceDto } from '../api/dto';
import { LEDGER_CODE, ledgerUnit, type LedgerId } from '../domain/ledgers';
import type { LineError } from '../formats/event-file';
import type { InspectJson } from '../formats/statements';
import type { EventImportPreview, EventImportResult } from '../services/event-import';
import type { VerifyReport } from '../services/verify';
import { visible } from './visible';

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

/** A table of cells; each cell is text from the books or a file, so its control characters are made visible. */
export function table(cells: string[][], rightAligned: (col: number) => boolean): string {
  const rows = cells.map((r) => r.map((c) => visible(c)));
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

function anchorText(a: NonNullable<VerifyReport['anchor']>): string {
  if (a.state === 'backup') return 'none: this is a backup, which carries its witness inside it';
  if (a.seq === null) return `${a.file}: not usable (see the findings)`;
  const signed = a.signatureChecked ? 'signed with the books key' : 'signature not checked (the books key is not beside the books)';
  return `${a.file} holds audit entry ${a.seq}, ${signed}${a.state === 'ok' ? '' : ' — see the findings'}`;
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
  lines.push(`Seals: ${r.counts.sealedRows} rows checked against the audit entries that wrote them`);
  if (r.anchor) lines.push(`Anchor: ${anchorText(r.anchor)}`);
  for (const s of r.skipped) lines.push(`Skipped [${s.check}]: ${s.why}`);
  lines.push(`Ties (${r.ties.filter((t) => t.ok).length} of ${r.ties.length} hold):`);
  for (const t of r.ties) lines.push(`  ${t.ok ? 'ok    ' : 'BROKEN'} ${t.name}: ${t.message}`);
  if (r.ok) lines.push('OK: no findings.');
  else {
    lines.push(`FINDINGS: ${r.findings.length}`);
    for (const f of r.findings) lines.push(`  [${f.check}] ${f.message}`);
  }
  return lines.join('\n') + '\n';
}

/** Where a line error is: `day-1.jsonl line 4, data.coins: reason`. */
export function lineErrorText(e: LineError): string {
  return visible(`${e.file}${e.line !== null ? ` line ${e.line}` : ''}${e.field ? `, ${e.field}` : ''}: ${e.reason}`);
}

export function previewText(p: EventImportPreview, dryRun: boolean): string {
  const lines = [
    `Preview of ${p.file} (sha256 ${p.sha256}): ${p.lines} lines, ${p.events} events; ${p.alreadyImported} already imported; ${p.repeatedInFile} repeated in the file; ${p.toApply} to apply.`,
  ];
  const counts = Object.entries(p.counts).sort(([a], [b]) => a.localeCompare(b));
  if (counts.length) {
    const w = Math.max(...counts.map(([t]) => t.length));
    for (const [t, n] of counts) lines.push(`  ${t.padEnd(w)}  ${String(n).padStart(7)}`);
  }
  if (p.ok) lines.push(dryRun ? 'OK: the file can be imported (--dry-run: nothing was written).' : 'OK.');
  else {
    lines.push(`ERRORS: ${p.errorCount} — the whole file is refused; nothing ${dryRun ? 'would be' : 'was'} imported.`);
    for (const e of p.errors) lines.push(`  ${lineErrorText(e)}`);
    if (p.errorCount > p.errors.length) lines.push(`  … and ${p.errorCount - p.errors.length} more`);
  }
  return lines.join('\n') + '\n';
}

export function importText(r: EventImportResult, user: string): string {
  const skipped = r.alreadyImported + r.repeatedInFile;
  const lines = [
    `Imported ${r.file} as import #${r.importId} by ${user}, in one transaction: ${r.events} events — ${r.applied} applied${r.notes ? ` (${r.notes} with a note: held for approval or flagged)` : ''}, ${r.refused} refused, ${skipped} skipped (already imported or repeated in the file).`,
  ];
  if (r.refusals.length) {
    lines.push('Refused (line, event id, type: reason):');
    for (const f of r.refusals) lines.push(visible(`  line ${f.line}  ${f.id}  ${f.type}: ${f.reason}`));
    if (r.refused > r.refusals.length)
      lines.push(`  … and ${r.refused - r.refusals.length} more (all are recorded; see the console's import list)`);
  }
  return lines.join('\n') + '\n';
}

/** What `statements.preview` returns (amounts already in yuan). */

const SAMPLE_SHOWN = 10;

export function statementPreviewText(p: StatementPreview, dryRun: boolean): string {
  const lines = [`Preview of ${visible(p.file)} (sha256 ${p.sha256}): ${p.statements.length} statement(s).`];
  if (p.alreadyImported) lines.push(`  ${visible(p.alreadyImported.message)}`);
  for (const s of p.statements) {
    const period = `${s.opening ? `opening ${s.opening.date} ${s.opening.amount}` : 'no opening balance'}, ${s.closing ? `closing ${s.closing.date} ${s.closing.amount}` : 'no closing balance'}`;
    lines.push(
      `  bank account #${s.bankAccountId} ${visible(s.bankAccount)} (${s.format}${s.profile ? `, profile ${s.profile}` : ''}): ${period}`,
      `  ${s.lines} lines: ${s.newLines} new, ${s.duplicates} already imported; new money in ${s.moneyIn}, money out ${s.moneyOut}`,
    );
    if (s.continuity.length) {
      lines.push('  CONTINUITY:');
      for (const c of s.continuity) lines.push(`    ${c.message}`);
    } else lines.push('  continuity: ok');
    const rows = s.sample
      .slice(0, SAMPLE_SHOWN)
      .map((l) => [
        String(l.lineNo),
        l.booked,
        l.amount,
        [l.counterpartyName, l.counterpartyAccount].filter(Boolean).join(' ') || '-',
        (l.memo ?? '-').slice(0, 40),
        l.duplicate ? 'seen before' : '',
      ]);
    if (rows.length) {
      lines.push(
        table([['line', 'booked', 'amount', 'counterparty', 'memo', ''], ...rows], (c) => c === 0 || c === 2)
          .split('\n')
          .map((r) => `    ${r}`)
          .join('\n'),
      );
      if (s.lines > rows.length) lines.push(`    … and ${s.lines - rows.length} more lines`);
    }
  }
  if (!p.continuityOk)
    lines.push(
      dryRun
        ? 'CONTINUITY PROBLEMS: importing needs --accept-continuity (--dry-run: nothing was written).'
        : 'CONTINUITY PROBLEMS: nothing was imported; check the statement, then pass --accept-continuity to import it anyway.',
    );
  else if (dryRun) lines.push('OK: the file can be imported (--dry-run: nothing was written).');
  return lines.join('\n') + '\n';
}

export interface StatementImportOut {
  file: string;
  /** the very same file was imported before: nothing was booked */
  alreadyImported?: { statementId: number; on: string; by: string; message: string } | null;
  statements: {
    statementId: number;
    newLines: number;
    duplicates: number;
    reversals?: { netted: number; review: number; unpaired: number };
  }[];
}

export function statementImportText(r: StatementImportOut, user: string, accepted: boolean): string {
  if (r.alreadyImported) return `${visible(r.alreadyImported.message)}.\n`;
  const n = r.statements.reduce((t, s) => t + s.newLines, 0);
  const d = r.statements.reduce((t, s) => t + s.duplicates, 0);
  const rev = (k: 'netted' | 'review' | 'unpaired') => r.statements.reduce((t, s) => t + (s.reversals?.[k] ?? 0), 0);
  const reversals = [
    rev('netted')
      ? `  ${rev('netted')} bank reversal(s) (冲正) netted against the line they undo (Dr unallocated receipts / Cr suspense)`
      : '',
    rev('review')
      ? `  ${rev('review')} reversal(s) wait for the accountant: the line they undo is matched to a request (unmatch it first)`
      : '',
    rev('unpaired') ? `  ${rev('unpaired')} reversal(s) with no earlier line to net against: see the review queue` : '',
  ].filter(Boolean);
  return (
    `Imported ${r.file} by ${user} in one transaction: ${r.statements.length} statement(s) (${r.statements.map((s) => `#${s.statementId}`).join(', ')}), ` +
    `${n} new lines booked (money in: Dr bank / Cr unallocated receipts; money out: Dr suspense / Cr bank), ${d} skipped as already imported` +
    `${accepted ? '; continuity problems accepted and recorded with the statement' : ''}.\n` +
    reversals.map((l) => `${l}\n`).join('')
  );
}

export interface ReconcileOut {
  reversalsNetted: number;
  linesConsidered: number;
  requestsConsidered: number;
  allocated: number;
  /** fen */
  amountAllocated: string;
  /** Matches a four-eyes rule holds for a second person. */
  proposed: number;
  suggested: number;
  ambiguous: number;
}

export function reconcileJson(r: ReconcileOut) {
  return { ...r, amountAllocated: displayAmount(1, r.amountAllocated) };
}

export function reconcileText(r: ReconcileOut, user: string): string {
  return (
    `Reconciled by ${user}: ${r.linesConsidered} open bank lines against ${r.requestsConsidered} open requests.\n` +
    `  allocated by the rules: ${r.allocated} (${displayAmount(1, r.amountAllocated)} yuan)\n` +
    `  proposed, four eyes:    ${r.proposed} (wait for another staff user to confirm)\n` +
    `  suggested for review:   ${r.suggested}\n` +
    `  ambiguous lines:        ${r.ambiguous} (several requests fit each; never matched automatically)\n` +
    (r.reversalsNetted ? `  reversals netted:       ${r.reversalsNetted} (冲正 lines whose original was unmatched since the import)\n` : '')
  );
}

/** The statement as `coffer inspect statement` shows it without --json. */
export function inspectText(file: string, j: Extract<InspectJson, { statements: unknown }>): string {
  const out = [`${visible(file)}: ${j.statements.length} statement(s)`];
  for (const s of j.statements) {
    out.push(
      `  account ${visible(s.account ?? '(not in the file)')}, currency ${visible(s.currency ?? '(not in the file)')}; opening ${s.opening ? `${s.opening.date} ${s.opening.amount}` : '-'}; closing ${s.closing ? `${s.closing.date} ${s.closing.amount}` : '-'}; ${s.lines.length} lines; continuity ${s.continuity.ok ? 'ok' : 'PROBLEMS'}`,
    );
    for (const p of s.continuity.problems) out.push(`    ${visible(p.message)}`);
    const rows = s.lines.map((l) => [
      l.booked,
      l.amount,
      [l.counterparty.name, l.counterparty.account].filter(Boolean).join(' ') || '-',
      [l.reference, l.memo].filter(Boolean).join(' | ') || '-',
      l.bank_ref ?? '-',
    ]);
    if (rows.length)
      out.push(
        table([['booked', 'amount', 'counterparty', 'reference | memo', 'bank ref'], ...rows], (c) => c === 1)
          .split('\n')
          .map((r) => `    ${r}`)
          .join('\n'),
      );
  }
  return out.join('\n') + '\n';
}
