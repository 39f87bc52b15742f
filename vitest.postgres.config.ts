// The PostgreSQL pass (scripts/test-all.sh, after the SQLite pass): suites that open their books through
// test/support/temp-books.ts run again with COFFER_TEST_ENGINE=postgres, each books a throwaway schema
// of the test database. Listed by name, since most cannot run there yet:
// - files that look at the books through SQLite's own handles (t.books.raw, the file's path, PRAGMA,
//   backup and restore, crash files, the CLI's --db FILE) are refused books_file_needed;
// - statement import, automatic matching, reversal netting and the review-results export run there
//   (statement-import.test.ts, reconcile.test.ts and the matching and reversals property tests, 5 runs
//   each), and so do the ledger's cases with the journal export (ledger.test.ts, but for upgrading a books
//   file from before migration 21), vouchers with their numbers and red vouchers (vouchers.test.ts),
//   creators' payouts with their withholding (payouts.test.ts, but for the CLI's export of it), the
//   month-end pack and the session limits;
//   the invoices property test (25 runs, as on SQLite), staff and sessions (sessions.test.ts, but for
//   demo books, which are a file), counter numbers (but for upgrading a books file from before migration
//   23) and the printed recharge record, and the row seals (row-seals.test.ts);
//   the customers and approval property tests (20 and 15 runs there, a new schema each, against 100 and
//   60 on SQLite); scans (scans.test.ts, but for a scan's own thread: on PostgreSQL a scan reads one
//   snapshot in the process), and two approvers in two processes at once (concurrent-approval.test.ts);
//   imports that refuse what they cannot read whole (import-refusals.test.ts, but for the CLI's inspect
//   and another process holding the books busy: PostgreSQL books have no books-wide write lock);
//   most fixture-heavy files still read the books through t.books.raw (SQLite's handle) and wait to be
//   moved onto t.anyBooks;
// - files that open no books would only repeat the SQLite pass.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/property/approval.property.test.ts',
      'test/property/customers.property.test.ts',
      'test/property/invoices.property.test.ts',
      'test/property/ledger.property.test.ts',
      'test/property/matching.property.test.ts',
      'test/property/reversals.property.test.ts',
      'test/unit/concurrent-approval.test.ts',
      'test/unit/counter-numbers.test.ts',
      'test/unit/import-refusals.test.ts',
      'test/unit/ledger.test.ts',
      'test/unit/month-end-pack.test.ts',
      'test/unit/payouts.test.ts',
      'test/unit/receipt-print.test.ts',
      'test/unit/reconcile.test.ts',
      'test/unit/row-seals.test.ts',
      'test/unit/scans.test.ts',
      'test/unit/session-limits.test.ts',
      'test/unit/sessions.test.ts',
      'test/unit/statement-import.test.ts',
      'test/unit/vouchers.test.ts',
    ],
    globalSetup: [], // the CLI bundle: no CLI test runs here
    env: { COFFER_TEST_ENGINE: 'postgres' },
  },
});
