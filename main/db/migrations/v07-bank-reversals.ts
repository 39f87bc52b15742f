// Migration 7: bank reversal (冲正) lines netted against their original line.
// SQLite-only DDL (STRICT tables, CHECKs, triggers); queries elsewhere stay portable through Kysely.
import type { Migration } from '../migrations';

export const MIGRATION_7: Migration = {
  version: 7,
  name: 'bank reversal (冲正) lines netted against their original line',
  sql: `
-- reversal: the bank marked the line as a reversal (冲正, MT940 RC/RD, camt RvslInd).
-- netted_with: the other line of a netted pair (set on both); neither is offered to matching again.
-- netting_transfer_id (on the reversal line): the transfer Dr unallocated receipts / Cr suspense that
-- moved the pair off both accounts. reversal_of and reversal_note: for a reversal not netted yet, the
-- original found (when it is matched to a request, so the accountant must unmatch it first) and why.
ALTER TABLE bank_lines ADD COLUMN reversal INTEGER NOT NULL DEFAULT 0 CHECK (reversal IN (0, 1));
ALTER TABLE bank_lines ADD COLUMN netted_with INTEGER REFERENCES bank_lines(id);
ALTER TABLE bank_lines ADD COLUMN netting_transfer_id INTEGER REFERENCES transfers(id);
ALTER TABLE bank_lines ADD COLUMN reversal_of INTEGER REFERENCES bank_lines(id);
ALTER TABLE bank_lines ADD COLUMN reversal_note TEXT;
CREATE INDEX bank_lines_pending_reversals ON bank_lines (bank_account_id) WHERE reversal = 1 AND netted_with IS NULL;
CREATE INDEX bank_lines_by_account_amount ON bank_lines (bank_account_id, amount);
CREATE TRIGGER bank_lines_netted_never_allocated BEFORE UPDATE OF allocated, netted_with ON bank_lines
WHEN NEW.netted_with IS NOT NULL AND NEW.allocated > 0
BEGIN SELECT RAISE(ABORT, 'a netted bank line (冲正) is never allocated to a request'); END;
CREATE TRIGGER bank_lines_netting_final BEFORE UPDATE OF netted_with ON bank_lines
WHEN OLD.netted_with IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a netted pair of bank lines stays netted'); END;
`,
};
