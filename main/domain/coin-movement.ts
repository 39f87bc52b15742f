// Rules for moving coins among a customer's accounts: within one link group, same wallet kind,
// a positive whole amount, never from an account to itself. Pure: the caller supplies the facts.

export type WalletKind = 'recharge' | 'earnings';

export interface AccountFacts {
  id: number;
  customerId: number;
  linked: boolean;
}

/** Codes of domain/refusals.ts (their texts live there, in English, and in the console's catalogue). */
export type MovementRefusal =
  'amount_must_be_positive' | 'same_account' | 'different_customers' | 'from_account_not_linked' | 'to_account_not_linked';

export function checkMovement(from: AccountFacts, to: AccountFacts, amount: number): MovementRefusal | null {
  if (!Number.isSafeInteger(amount) || amount <= 0) return 'amount_must_be_positive';
  if (from.id === to.id) return 'same_account';
  if (from.customerId !== to.customerId) return 'different_customers';
  if (!from.linked) return 'from_account_not_linked';
  if (!to.linked) return 'to_account_not_linked';
  return null;
}

/** Above the threshold (coins), a transfer waits for an approver. */
export function needsApproval(amount: number, threshold: number): boolean {
  return amount > threshold;
}
