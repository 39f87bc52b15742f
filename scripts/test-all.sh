#!/usr/bin/env bash
# `npm test`: everything CI runs, in order — lint, format check, typecheck, build, unit and property
# tests (on SQLite books, then the books suites again on PostgreSQL), end-to-end tests in Chromium —
# then one summary line. Every stage runs even when an earlier one failed, so one run shows every
# problem; the exit code is non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
rm -rf test-results && mkdir -p test-results
stage_failures=0
failed_stages=()

stage() {
  local name="$1"; shift
  echo "── ${name} ──"
  if ! "$@"; then
    stage_failures=$((stage_failures + 1))
    failed_stages+=("$name")
  fi
}

stage "native module" node scripts/check-native.mjs
stage "lint" npx eslint .
stage "format" npx prettier --check .
stage "typecheck" npx tsc --noEmit -p tsconfig.json
stage "build" npm run build

# Test stages count their own failures in their reports; a runner that dies without a report counts once.
echo "── unit and property tests ──"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json
[ -f test-results/unit.json ] || { stage_failures=$((stage_failures + 1)); failed_stages+=("unit (no report)"); }

# The suites that open books through test/support/temp-books.ts once more, on PostgreSQL books.
echo "── unit and property tests on PostgreSQL ──"
npx vitest run --config vitest.postgres.config.ts --reporter=default --reporter=json --outputFile.json=test-results/unit-postgres.json
[ -f test-results/unit-postgres.json ] || { stage_failures=$((stage_failures + 1)); failed_stages+=("unit on PostgreSQL (no report)"); }

echo "── end-to-end tests (Chromium) ──"
npx playwright test
[ -f test-results/e2e.json ] || { stage_failures=$((stage_failures + 1)); failed_stages+=("e2e (no report)"); }

summary=$(node scripts/summarize-tests.mjs "$stage_failures")
if [ ${#failed_stages[@]} -gt 0 ]; then echo "stages that failed: ${failed_stages[*]}"; fi
echo "$summary"
case "$summary" in
  *" 0 failed"*) exit 0 ;;
  *) exit 1 ;;
esac
