#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy, warnings as errors) over the core library, progression, the
# command line, the FHIR mapping, the PostgreSQL code and the account tables, using the dev build's
# compile_commands.json.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
[ -f build/dev/compile_commands.json ] || cmake --preset dev >/dev/null
files=$(ls src/core/*.cpp src/tracking/progression.cpp src/app/*.cpp src/cli/*.cpp src/fhir/*.cpp \
  src/store/pg_*.cpp src/accounts/*.cpp)
echo "$files" | xargs -P "$JOBS" -n 2 clang-tidy-14 -p build/dev --quiet >build/tidy.log 2>/dev/null
problems=$(grep -E '^/.*: (warning|error):' build/tidy.log | sort -u)
if [ -n "$problems" ]; then
  echo "$problems"
  echo "clang-tidy: $(wc -l <<<"$problems") problems"
  exit 1
fi
echo "clang-tidy: no problems in $(wc -w <<<"$files") files"
