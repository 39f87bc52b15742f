// The PostgreSQL pass (scripts/test-all.sh, after the SQLite pass): suites that open their books through
// test/support/temp-books.ts run again with COFFER_TEST_ENGINE=postgres, each books a throwaway schema
// of the test database. Listed by name, since most cannot run there yet:
// - files that look at the books through SQLite's own handles (t.books.raw, the file's path, PRAGMA,
//   backup and restore, crash files, the CLI's --db FILE) are refused books_file_needed;
// - statement import, automatic matching, reversal netting and the review-results export run there
//   (statement-import.test.ts, reconcile.test.ts and the matching and reversals property tests, 5 runs
//   each), as do the month-end pack, the session limits, the API's border (every method's refusals write
//   nothing), invoices, the invoice screens' words, the approval matrix, four eyes on matching and the
//   write transaction's memo: they read the books through t.anyBooks;
// - fixture-heavy files that still read the books through t.books.raw (SQLite's handle), themselves or
//   through test/support/desk.ts (paidAndApproved, platformSpends), wait to be moved onto t.anyBooks;
// - event import and the counter (events-import.test.ts, customers.test.ts) read the books through
//   t.anyBooks but wait for customers.search, whose SQL names SQLite's indexes (INDEXED BY);
// - files that open no books would only repeat the SQLite pass.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/property/ledger.property.test.ts',
      'test/property/matching.property.test.ts',
      'test/property/reversals.property.test.ts',
      'test/unit/api-border.test.ts',
      'test/unit/approval-matrix.test.ts',
      'test/unit/invoice-screens.test.ts',
      'test/unit/invoices.test.ts',
      'test/unit/match-four-eyes.test.ts',
      'test/unit/month-end-pack.test.ts',
      'test/unit/reconcile.test.ts',
      'test/unit/session-limits.test.ts',
      'test/unit/statement-import.test.ts',
      'test/unit/tx-memo.test.ts',
    ],
    globalSetup: [], // the CLI bundle: no CLI test runs here
    env: { COFFER_TEST_ENGINE: 'postgres' },
  },
});
