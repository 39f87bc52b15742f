// What more than one migration's DDL is made of: the immutability triggers, the four-eyes proposal
// columns, the transfer epochs of the per-account history indexes (readers must write the expression
// exactly as the index does), and the refusal texts frozen before version 9. SQLite-only. Each is part of
// migrations already applied to users' books: changing one changes history.

/** Triggers refusing any update and any delete of a table's rows, each with its message. */
export const frozen = (table: string, onUpdate: string, onDelete = onUpdate, updateTrigger = `${table}_no_update`) =>
  `CREATE TRIGGER ${updateTrigger} BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${onUpdate}'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${onDelete}'); END;`;

export const immutable = (table: string, what: string) => `
${frozen(table, `${what} are immutable: correct by reversal`)}`;

/** A change one person proposes and a second decides: who proposed it and when, its state, who decided and when. */
export const proposalColumns = (refused: 'rejected' | 'declined' = 'rejected') => `proposed_by INTEGER NOT NULL REFERENCES staff(id),
  proposed_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', '${refused}')),
  decided_by INTEGER REFERENCES staff(id),
  decided_at INTEGER,`;

/**
 * Transfers are grouped in epochs of 2^16 consecutive ids for the per-account history indexes. An index
 * on (debit account, id) takes each new row at a random place, so every batch rewrote nearly all of its
 * leaf pages at commit, and the cost grew with the table; keyed by (epoch, account, id) new rows land only
 * in the newest epoch's pages. Readers of one account's history walk the epochs newest first
 * (services/ledger-read.ts) and must write the expression exactly as the index does.
 */
export const TRANSFER_EPOCH_SHIFT = 16;
export const transferEpochSql = (column: string) => `(${column} >> ${TRANSFER_EPOCH_SHIFT})`;
// The refusal texts that never carried parameters, as they were written before version 9 (frozen
// here: a migration must not change when the messages do).
export const FIXED_REASONS: [string, string][] = [
  ['amount_must_be_positive', 'the amount must be a positive whole number of coins'],
  ['same_account', 'an account cannot transfer to itself'],
  ['different_customers', 'the accounts belong to different customers: coins never leave a link group'],
  ['from_account_not_linked', 'the paying account is not in its customer’s link group'],
  ['to_account_not_linked', 'the receiving account is not in its customer’s link group'],
  ['exceeds_credits', 'the wallet does not hold enough coins'],
  ['overflows_credits', 'the receiving wallet would overflow'],
  ['overflows_debits', 'the amount is too large'],
  ['held_for_approval', 'above the approval threshold: waits for an approver'],
];
