// What crosses the border: money as integer strings of minor units (fen, coins), never floats.
import { minorToString } from '../domain/money';
import { UNDO_ACTION } from '../services/ledger-actions';
import type { AccountOut, TransferOut, TrialBalance } from '../services/ledger-read';
import type { LedgerTrial } from '../services/trial-balance';

export function accountDto(a: AccountOut) {
  return {
    ...a,
    debitsPending: minorToString(a.debitsPending),
    debitsPosted: minorToString(a.debitsPosted),
    creditsPending: minorToString(a.creditsPending),
    creditsPosted: minorToString(a.creditsPosted),
  };
}
export type AccountDto = ReturnType<typeof accountDto>;

export function transferDto(t: TransferOut) {
  // How the posting is undone (ledger.reverse refuses naming it): a manual voucher's ('voucher') by a
  // red voucher, any other by the business action that made it.
  return { ...t, amount: minorToString(t.amount), undoAction: t.code === 'voucher' ? 'red_voucher' : (UNDO_ACTION[t.code] ?? 'none') };
}
export type TransferDto = ReturnType<typeof transferDto>;

const trialAmounts = (l: { debitsPosted: bigint; creditsPosted: bigint; debitsPending: bigint; creditsPending: bigint }) => ({
  debitsPosted: String(l.debitsPosted),
  creditsPosted: String(l.creditsPosted),
  debitsPending: String(l.debitsPending),
  creditsPending: String(l.creditsPending),
});

export function trialBalanceDto(tb: TrialBalance) {
  return {
    ledger: tb.ledger,
    balanced: tb.balanced,
    totals: trialAmounts(tb.totals),
    lines: tb.lines.map((l) => ({ code: l.code, accounts: l.accounts, ...trialAmounts(l) })),
  };
}
export type TrialBalanceDto = ReturnType<typeof trialBalanceDto>;

export function ledgerTrialDto(tb: LedgerTrial) {
  return {
    ledger: tb.ledger,
    balanced: tb.balanced,
    totals: trialAmounts(tb.totals),
    rows: tb.rows.map((l) => ({ code: l.code, name: l.name, nameEn: l.nameEn, accounts: l.accounts, ...trialAmounts(l) })),
  };
}
