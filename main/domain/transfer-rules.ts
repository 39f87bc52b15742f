// The ledger's rules, as pure functions (modelled on TigerBeetle's create_transfers): what a transfer
// does to its two accounts' balances, or the stable code that says why it may not happen.
import { MAX_AMOUNT } from './money';
import { ACCOUNT_FLAG } from './ledgers';

export interface Balances {
  debitsPending: number;
  debitsPosted: number;
  creditsPending: number;
  creditsPosted: number;
}

export interface LedgerAccount extends Balances {
  id: number;
  ledger: number;
  flags: number;
}

export type TransferKind = 'single' | 'pending' | 'post' | 'void';

/** A transfer with everything resolved: for post/void, accounts and ledger come from the pending one. */
export interface ResolvedTransfer {
  kind: TransferKind;
  ledger: number;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  /** For post/void: the pending transfer's amount (what was reserved). */
  pendingAmount?: number;
}

export const TRANSFER_CODES = [
  'ok',
  'exists',
  'linked_event_failed',
  'linked_event_chain_open',
  'key_must_not_be_empty',
  'key_too_long',
  'amount_must_not_be_zero',
  'amount_must_be_a_safe_integer',
  'accounts_must_be_different',
  'debit_account_not_found',
  'credit_account_not_found',
  'accounts_must_have_the_same_ledger',
  'transfer_must_have_the_same_ledger_as_accounts',
  'exceeds_credits',
  'exceeds_debits',
  'overflows_debits',
  'overflows_credits',
  'pending_id_must_not_be_set',
  'pending_transfer_not_found',
  'pending_transfer_not_pending',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'exceeds_pending_transfer_amount',
  'pending_transfer_has_different_amount',
  'transfer_not_found',
  'transfer_not_reversible',
  'transfer_already_reversed',
  'exists_with_different_ledger',
  'exists_with_different_debit_account_id',
  'exists_with_different_credit_account_id',
  'exists_with_different_amount',
  'exists_with_different_kind',
  'exists_with_different_pending_id',
  'exists_with_different_reverses_id',
  'exists_with_different_code',
  'business_date_invalid',
  'period_closed',
] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];
export type TransferFailure = Exclude<TransferCode, 'ok' | 'exists'>;

export function checkAmount(amount: number): TransferFailure | null {
  if (!Number.isSafeInteger(amount) || amount < 0) return 'amount_must_be_a_safe_integer';
  if (amount === 0) return 'amount_must_not_be_zero';
  return null;
}

function overflows(a: number, b: number, c = 0): boolean {
  return a + b + c > MAX_AMOUNT;
}

/**
 * Applies a resolved transfer to copies of its accounts' balances. Returns the new balances, or the
 * first rule it breaks. The caller has already checked that both accounts exist.
 */
export function applyTransfer(
  t: ResolvedTransfer,
  dr: LedgerAccount,
  cr: LedgerAccount,
): { debit: Balances; credit: Balances } | TransferFailure {
  if (dr.id === cr.id) return 'accounts_must_be_different';
  if (dr.ledger !== cr.ledger) return 'accounts_must_have_the_same_ledger';
  if (t.ledger !== dr.ledger) return 'transfer_must_have_the_same_ledger_as_accounts';
  const a = t.amount;
  const d: Balances = { ...pick(dr) };
  const c: Balances = { ...pick(cr) };

  switch (t.kind) {
    case 'single':
    case 'pending': {
      if (overflows(d.debitsPending, d.debitsPosted, a)) return 'overflows_debits';
      if (overflows(c.creditsPending, c.creditsPosted, a)) return 'overflows_credits';
      if (dr.flags & ACCOUNT_FLAG.DEBITS_MUST_NOT_EXCEED_CREDITS && d.debitsPending + d.debitsPosted + a > d.creditsPosted)
        return 'exceeds_credits';
      if (cr.flags & ACCOUNT_FLAG.CREDITS_MUST_NOT_EXCEED_DEBITS && c.creditsPending + c.creditsPosted + a > c.debitsPosted)
        return 'exceeds_debits';
      if (t.kind === 'single') {
        d.debitsPosted += a;
        c.creditsPosted += a;
      } else {
        d.debitsPending += a;
        c.creditsPending += a;
      }
      return { debit: d, credit: c };
    }
    case 'post':
    case 'void': {
      const reserved = t.pendingAmount ?? a;
      if (t.kind === 'post' && a > reserved) return 'exceeds_pending_transfer_amount';
      if (t.kind === 'void' && a !== reserved) return 'pending_transfer_has_different_amount';
      d.debitsPending -= reserved;
      c.creditsPending -= reserved;
      if (t.kind === 'post') {
        d.debitsPosted += a;
        c.creditsPosted += a;
      }
      return { debit: d, credit: c };
    }
  }
}

function pick(a: Balances): Balances {
  return {
    debitsPending: a.debitsPending,
    debitsPosted: a.debitsPosted,
    creditsPending: a.creditsPending,
    creditsPosted: a.creditsPosted,
  };
}

/** Whether an account's kept balances respect its flags (verify and the model use this). */
export function limitBroken(a: LedgerAccount): 'exceeds_credits' | 'exceeds_debits' | null {
  if (a.flags & ACCOUNT_FLAG.DEBITS_MUST_NOT_EXCEED_CREDITS && a.debitsPending + a.debitsPosted > a.creditsPosted) return 'exceeds_credits';
  if (a.flags & ACCOUNT_FLAG.CREDITS_MUST_NOT_EXCEED_DEBITS && a.creditsPending + a.creditsPosted > a.debitsPosted) return 'exceeds_debits';
  return null;
}

/** The fields a replay is compared on, in the order their mismatch is reported. */
export interface TransferIdentity {
  ledger: number;
  debitAccountId: number;
  creditAccountId: number;
  amount: number;
  kind: TransferKind;
  pendingId: number | null;
  reversesId: number | null;
  code: string;
}

export function compareReplay(existing: TransferIdentity, replay: Partial<TransferIdentity>): 'exists' | TransferFailure {
  if (replay.kind !== undefined && replay.kind !== existing.kind) return 'exists_with_different_kind';
  if (replay.pendingId !== undefined && replay.pendingId !== existing.pendingId) return 'exists_with_different_pending_id';
  if (replay.ledger !== undefined && replay.ledger !== existing.ledger) return 'exists_with_different_ledger';
  if (replay.debitAccountId !== undefined && replay.debitAccountId !== existing.debitAccountId)
    return 'exists_with_different_debit_account_id';
  if (replay.creditAccountId !== undefined && replay.creditAccountId !== existing.creditAccountId)
    return 'exists_with_different_credit_account_id';
  if (replay.amount !== undefined && replay.amount !== existing.amount) return 'exists_with_different_amount';
  if (replay.reversesId !== undefined && replay.reversesId !== existing.reversesId) return 'exists_with_different_reverses_id';
  if (replay.code !== undefined && replay.code !== existing.code) return 'exists_with_different_code';
  return 'exists';
}
