#!/usr/bin/env bash
# scripts/failure-excerpt.sh shows the failing tests' output and none of the passing tests'
# (the excerpt of scripts/test.sh used to grep the whole log for words such as FAIL or Expected,
# which passing tests print too, and showed them). Usage: failure_excerpt_test.sh SOURCE_DIR
set -uo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# A log as ctest writes it: a passing test that prints FAIL and Expected (the CLI tests print
# "FAIL:" lines only on failure, but a test of error messages prints such words when it
# passes), a failing one, a passing one, and one that timed out.
block() {  # number name result output...
  local number=$1 name=$2 result=$3
  shift 3
  printf -- '----------------------------------------------------------\n'
  printf '%s/4 Testing: %s\n%s/4 Test: %s\n' "$number" "$name" "$number" "$name"
  printf 'Command: "/bin/true" "%s"\nDirectory: /x\n"%s" start time: Dec 03 15:16 UTC\n' "$name" "$name"
  printf 'Output:\n----------------------------------------------------------\n'
  printf '%s\n' "$@"
  printf '<end of output>\nTest time =   0.01 sec\n'
  printf -- '----------------------------------------------------------\n%s\n' "$result"
  printf '"%s" end time: Dec 03 15:16 UTC\n"%s" time elapsed: 00:00:00\n' "$name" "$name"
}
{
  printf 'Start testing: Dec 03 15:16 UTC\n'
  block 1 Messages.NameTheField "Test Passed." "checking that FAIL is reported" \
    "Expected: (message) contains 'Failure'" "[  PASSED  ] 1 test."
  block 2 Store.KeepsData "Test Failed." "[ RUN      ] Store.KeepsData" \
    "store_test.cpp:12: Failure" "Expected equality of these values:" "[  FAILED  ] Store.KeepsData"
  block 3 Quiet.One "Test Passed." "nothing to see"
  block 4 Slow.One "Test Failed." "started" "still going"
  printf 'End testing: Dec 03 15:17 UTC\n'
} >"$tmp/LastTest.log"

out=$(bash "$src/scripts/failure-excerpt.sh" "$tmp/LastTest.log")
grep -qF -- "---- Store.KeepsData ----" <<<"$out" && ok || fail "the failing test is named: $out"
grep -qF -- "store_test.cpp:12: Failure" <<<"$out" && ok || fail "its output is shown: $out"
grep -qF -- "---- Slow.One ----" <<<"$out" && ok || fail "the second failing test is named: $out"
grep -qF -- "Messages.NameTheField" <<<"$out" && fail "a passing test is shown: $out" || ok
grep -qF -- "checking that FAIL is reported" <<<"$out" && fail "passing output is shown: $out" || ok
grep -qF -- "nothing to see" <<<"$out" && fail "passing output is shown: $out" || ok
# Long output is cut to its last lines.
{
  block 1 Long.One "Test Failed." $(seq 1 500)
} >"$tmp/long.log"
out=$(bash "$src/scripts/failure-excerpt.sh" "$tmp/long.log" 50)
grep -qx "500" <<<"$out" && ok || fail "the last line is kept"
grep -qx "450" <<<"$out" && fail "more than 50 lines are kept" || ok
grep -qF "[... 450 earlier lines ...]" <<<"$out" && ok || fail "the cut is said: $out"
# The test script itself uses it (and not a grep over the whole log).
grep -q 'failure-excerpt.sh' "$src/scripts/test.sh" && ok || fail "scripts/test.sh does not use it"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
