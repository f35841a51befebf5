#!/usr/bin/env bash
# The output of the tests that did not pass, from a ctest run's LastTest.log (one block per
# test, written whole even when tests run in parallel): every failed, timed-out or not-run test
# with its command and the last lines of its output, and nothing of the tests that passed.
# Usage: failure-excerpt.sh BUILD_DIR/Testing/Temporary/LastTest.log [LINES_PER_TEST]
set -euo pipefail
log=$1
lines=${2:-120}
if [ ! -f "$log" ]; then
  echo "(no test log at $log)"
  exit 0
fi
awk -v keep="$lines" '
  function flush() {
    if (n > 0 && failed) {
      print "---- " name " ----"
      if (command != "") print command
      start = n > keep ? n - keep + 1 : 1
      if (start > 1) print "[... " start - 1 " earlier lines ...]"
      for (i = start; i <= n; i++) print out[i]
      print result
    }
    n = 0; failed = 0; inside = 0; command = ""; result = ""
  }
  /^[0-9]+\/[0-9]+ Testing: / { flush(); name = $0; sub(/^[0-9]+\/[0-9]+ Testing: /, "", name); next }
  /^Command: / { command = $0; next }
  /^Output:$/ { inside = 1; getline; next }
  /^<end of output>$/ { inside = 0; next }
  inside { out[++n] = $0; next }
  /^Test (Failed|Not Run)/ || /^Test .*(Timeout|Exception|Killed|SEGFAULT)/ { failed = 1; result = $0; next }
  /^Test Passed/ { result = $0; next }
  END { flush() }
' "$log"
