#!/usr/bin/env bash
# `make test`: every test suite, from one build per configuration:
#   dev       g++, RelWithDebInfo: the whole tree and every suite
#   asan      clang 14 with AddressSanitizer and UBSan: the whole tree builds with the second
#             compiler; the core, store and tracking suites run under the sanitizers
#   coverage  g++ --coverage: 100 % branch coverage of the triage and red-flag code
#   fuzz      clang libFuzzer: every committed corpus input replayed
# plus clang-tidy over the core and the command line.
# Ends with one line "total: N passed, M failed" over all ctest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
LOGS=build/test-logs
mkdir -p "$LOGS"
passed=0
failed=0
step() { printf '\n==== %s ====\n' "$*"; }
count() {  # adds a ctest log's counts to the totals
  local line total bad
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -1)
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}
run_ctest() {  # log name, build directory, ctest arguments...
  local log="$LOGS/$1.log"
  local build=$2
  shift 2
  local status=0
  ctest "$@" >"$log" 2>&1 || status=$?
  grep -E '^[0-9]+% tests passed|tests? failed out of|\*\*\*Failed|\(Failed\)|Not Run|Exception' "$log" || true
  count "$log"
  if [ "$status" -ne 0 ]; then
    # The output of the tests that failed, and of no other (ctest keeps each test's output whole
    # in LastTest.log, even with -j).
    echo "---- output of the failing tests (all of it: $build/Testing/Temporary/LastTest.log) ----"
    scripts/failure-excerpt.sh "$build/Testing/Temporary/LastTest.log" 150
    echo "total: $passed passed, $failed failed"
    exit 1
  fi
}

step "Release build (g++) and every suite"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$JOBS"
run_ctest dev build/dev --preset dev -j "$JOBS"

step "Knowledge base check (the built-in knowledge)"
./build/dev/src/cli/hipcoach kb check

step "clang-tidy over the core, the command line, FHIR and the PostgreSQL code"
scripts/tidy.sh

step "clang 14 build of the whole tree, core suites under AddressSanitizer and UBSan"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$JOBS"
run_ctest asan build/asan --preset asan -j "$JOBS"

step "Branch coverage of the triage and red-flag code (must be 100 %)"
scripts/coverage.sh

step "Fuzz corpora replayed (libFuzzer, clang)"
scripts/fuzz-replay.sh

printf '\n'
echo "total: $passed passed, $failed failed"
