#!/usr/bin/env bash
# Unit tests of the web UI's library (web/js/lib) and the layout rule of web/js (views import only
# from lib/), with node's built-in test runner over tests/web/lib/*.test.mjs. Exits 77 (skipped)
# only when node is absent; no test files is a failure, not a skip.
# Usage: run_lib_tests.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (apt-get install nodejs)"
  exit 77
fi
shopt -s nullglob
tests=("$source_dir"/tests/web/lib/*.test.mjs)
if [ ${#tests[@]} -eq 0 ]; then
  echo "FAIL: no tests in $source_dir/tests/web/lib" >&2
  exit 1
fi
# The package.json at the root says "type": "module", so node loads web/js/*.js as ES modules.
cd "$source_dir"
exec node --test "${tests[@]}"
