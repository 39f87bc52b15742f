// The 试算平衡 of one ledger as the console lists and exports it: the CNY ledger by lowest-level 科目 with
// any movement (科目编码, 科目名称 in both languages), then any CNY account mapped to no subject by its
// code; a coin ledger by account kind. Totals are the ledger's own, never summed across ledgers.
import type { Queryable } from '../db/books';
import { LEDGER } from '../domain/ledgers';
import { listChart } from './chart';
import { trialBalance, type TrialBalance, type TrialBalanceLine } from './ledger-read';

export interface TrialLine extends TrialBalanceLine {
  /** 科目名称 (CNY by subject); null for an account kind, which the console names itself. */
  name: string | null;
  nameEn: string | null;
}
export interface LedgerTrial extends Omit<TrialBalance, 'lines'> {
  rows: TrialLine[];
}

const moved = (l: Omit<TrialBalanceLine, 'code' | 'accounts'>) =>
  l.debitsPosted !== 0n || l.creditsPosted !== 0n || l.debitsPending !== 0n || l.creditsPending !== 0n;

export async function ledgerTrial(q: Queryable, ledger: number): Promise<LedgerTrial> {
  const tb = (await trialBalance(q)).find((t) => t.ledger === ledger)!;
  const { lines, ...rest } = tb;
  if (ledger !== LEDGER.CNY) return { ...rest, rows: lines.map((l) => ({ ...l, name: null, nameEn: null })) };
  const chart = await listChart(q);
  const bySubject: TrialLine[] = chart.lines
    .filter((l) => l.leaf && l.accounts.length > 0 && moved(l))
    .map((l) => ({
      code: l.code,
      name: l.name,
      nameEn: l.nameEn,
      accounts: l.accounts.length,
      debitsPosted: l.debitsPosted,
      creditsPosted: l.creditsPosted,
      debitsPending: l.debitsPending,
      creditsPending: l.creditsPending,
    }));
  const unmapped = new Set(chart.unmapped.map((a) => a.code));
  const rows = [...bySubject, ...lines.filter((l) => unmapped.has(l.code)).map((l) => ({ ...l, name: null, nameEn: null }))];
  return { ...rest, rows };
}
