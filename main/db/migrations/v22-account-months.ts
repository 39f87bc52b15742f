// Migration 22: each CNY ledger account's posted debits and credits by month (issue 12: the 科目余额表 of
// any month at 1,000,000 transfers ≤ 1 s). The 科目余额表 and the statements read a month's opening,
// movement and year to date from these rows — a few per account and month — instead of every transfer
// dated from the month's first day on. createTransfers keeps them in the transaction that posts, as it
// keeps the balances on accounts; verify proves they equal the transfers' sums (docs/PERFORMANCE.md).
// SQLite-only DDL (STRICT table, triggers).
import type { Migration } from '../migrations';

/** Posted CNY amounts (kinds single and post) by account and business month. */
const FROM_TRANSFERS = `
SELECT acc, month, sum(d) AS debits, sum(c) AS credits FROM (
  SELECT debit_account_id AS acc, substr(business_date, 1, 7) AS month, amount AS d, 0 AS c FROM transfers
    WHERE ledger = 1 AND kind IN ('single', 'post')
  UNION ALL SELECT credit_account_id, substr(business_date, 1, 7), 0, amount FROM transfers
    WHERE ledger = 1 AND kind IN ('single', 'post'))
GROUP BY acc, month`;

export const MIGRATION_22: Migration = {
  version: 22,
  name: 'posted CNY amounts per ledger account and month, for the month-end reports',
  sql: `
CREATE TABLE account_months (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  debits_posted INTEGER NOT NULL CHECK (debits_posted >= 0),
  credits_posted INTEGER NOT NULL CHECK (credits_posted >= 0),
  UNIQUE (month, account_id)
) STRICT;
CREATE TRIGGER account_months_posted_only_grows BEFORE UPDATE ON account_months
WHEN NEW.debits_posted < OLD.debits_posted OR NEW.credits_posted < OLD.credits_posted
  OR NEW.account_id <> OLD.account_id OR NEW.month <> OLD.month
BEGIN SELECT RAISE(ABORT, 'posted amounts only grow: correct by reversal'); END;
CREATE TRIGGER account_months_no_delete BEFORE DELETE ON account_months
BEGIN SELECT RAISE(ABORT, 'posted amounts are never deleted: correct by reversal'); END;
INSERT INTO account_months (account_id, month, debits_posted, credits_posted)
  SELECT acc, month, debits, credits FROM (${FROM_TRANSFERS}) ORDER BY month, acc;
`,
};
