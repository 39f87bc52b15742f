// The PostgreSQL pass (scripts/test-all.sh, after the SQLite pass): suites that open their books through
// test/support/temp-books.ts run again with COFFER_TEST_ENGINE=postgres, each books a throwaway schema
// of the test database, through the same dispatcher and services. Listed by name, since not every file
// can run there: files that look at the books through SQLite's own handles (t.books.raw, the file's path,
// PRAGMA, backup and restore, crash files) are refused books_file_needed and wait
// to be moved onto t.anyBooks; files that open no books would only repeat the SQLite pass. Within a
// listed file, a case that needs a books file says so beside its it.skipIf(ON_POSTGRES); property
// tests take fewer runs here (ON_POSTGRES in each: ledger 60, customers 20, approval 15, matching and
// reversals 5; invoices 25 as on SQLite). The CLI's files hand it the books' URL for --db (t.anyBooks.path),
// the same bundle the SQLite pass builds (base.test.globalSetup).
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
      'test/unit/api-border.test.ts',
      'test/unit/approval-matrix.test.ts',
      'test/unit/approval.test.ts',
      'test/unit/audit-verify.test.ts',
      'test/unit/audit-words.test.ts',
      'test/unit/chart.test.ts',
      'test/unit/cli-gl-export.test.ts',
      'test/unit/cli-month-end.test.ts',
      'test/unit/cli-period.test.ts',
      'test/unit/cli-reports.test.ts',
      'test/unit/cli-revenue.test.ts',
      'test/unit/cli-vouchers.test.ts',
      'test/unit/cli.test.ts',
      'test/unit/concurrent-approval.test.ts',
      'test/unit/counter-numbers.test.ts',
      'test/unit/customer-statement.test.ts',
      'test/unit/customers.test.ts',
      'test/unit/deferred-revenue.test.ts',
      'test/unit/demo.test.ts',
      'test/unit/error-codes.test.ts',
      'test/unit/events-import.test.ts',
      'test/unit/gl-export.test.ts',
      'test/unit/honest-amounts.test.ts',
      'test/unit/import-refusals.test.ts',
      'test/unit/invoice-fixes.test.ts',
      'test/unit/invoice-screens.test.ts',
      'test/unit/invoice-workbook.test.ts',
      'test/unit/invoices.test.ts',
      'test/unit/journal-hledger.test.ts',
      'test/unit/ledger.test.ts',
      'test/unit/like-search.test.ts',
      'test/unit/list-export.test.ts',
      'test/unit/match-four-eyes.test.ts',
      'test/unit/month-end-pack.test.ts',
      'test/unit/month-end-story.test.ts',
      'test/unit/payouts.test.ts',
      'test/unit/period-reports.test.ts',
      'test/unit/periods.test.ts',
      'test/unit/query.test.ts',
      'test/unit/receipt-print.test.ts',
      'test/unit/reconcile.test.ts',
      'test/unit/refunds.test.ts',
      'test/unit/refusals.test.ts',
      'test/unit/revenue.test.ts',
      'test/unit/reversals.test.ts',
      'test/unit/row-seals.test.ts',
      'test/unit/scans.test.ts',
      'test/unit/serve.test.ts',
      'test/unit/session-limits.test.ts',
      'test/unit/sessions.test.ts',
      'test/unit/settings-values.test.ts',
      'test/unit/snapshot-reads.test.ts',
      'test/unit/staff-four-eyes.test.ts',
      'test/unit/statement-errors.test.ts',
      'test/unit/statement-import.test.ts',
      'test/unit/tamper.test.ts',
      'test/unit/ties.test.ts',
      'test/unit/tx-memo.test.ts',
      'test/unit/vat-data.test.ts',
      'test/unit/vouchers.test.ts',
      'test/unit/witness.test.ts',
    ],
    // Books made from the whole migration list in a fresh schema, several in a file's beforeEach: slower than a file.
    hookTimeout: 180_000,
    testTimeout: 120_000,
    // Two files at once: each has schemas of its own, and a file here mostly waits on PostgreSQL and the
    // CLI's processes (one at a time, the pass left the 2 cores nearly idle: load 0.2 for 67 files).
    maxWorkers: 2,
    env: { COFFER_TEST_ENGINE: 'postgres' },
  },
});
