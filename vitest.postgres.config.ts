// The PostgreSQL pass (scripts/test-all.sh, after the SQLite pass): suites that open their books through
// test/support/temp-books.ts run again with COFFER_TEST_ENGINE=postgres, each books a throwaway schema
// of the test database. Listed by name, since most cannot run there yet:
// - files that look at the books through SQLite's own handles (t.books.raw, the file's path, PRAGMA,
//   backup and restore, crash files, the CLI's --db FILE) are refused books_file_needed;
// - automatic matching fails on PostgreSQL (services/reconcile.ts applyAllocations: SQLite's json_each
//   over an array, text into bigint columns), and with it every fixture that credits a recharge
//   (test/support/desk.ts, invoice-fixtures.ts, month-story.ts) and the matching and reversals property
//   tests (reversals.ts netReversals also leaves a parameter's type undetermined);
// - files that open no books would only repeat the SQLite pass.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  test: {
    ...base.test,
    include: ['test/property/ledger.property.test.ts'],
    globalSetup: [], // the CLI bundle: no CLI test runs here
    env: { COFFER_TEST_ENGINE: 'postgres' },
  },
});
