// Sums every test that ran (vitest's and Playwright's JSON reports) into the one line CI reads:
// "N passed, N failed, N skipped". A stage that failed before it could report counts as one failure.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);

// vitest's passes: on SQLite books, then on PostgreSQL books (vitest.postgres.config.ts).
for (const report of ['test-results/unit.json', 'test-results/unit-postgres.json']) {
  const unit = read(report);
  if (!unit) continue;
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
}
const e2e = read('test-results/e2e.json');
if (e2e) {
  passed += e2e.stats.expected + (e2e.stats.flaky ?? 0);
  failed += e2e.stats.unexpected;
  skipped += e2e.stats.skipped;
}
const stageFailures = Number(process.argv[2] ?? 0);
failed += stageFailures;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
