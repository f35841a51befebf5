#!/usr/bin/env bash
# Branch coverage of the safety-critical code (triage and red-flag matching), measured with gcovr
# over the core test suites, and enforced at 100 %.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
cmake --preset coverage -DHIPCOACH_MODEL=OFF >/dev/null
cmake --build --preset coverage -j "$JOBS" --target hipcoach_core_tests hipcoach_kb_tests \
  hipcoach_triage_population
find build/coverage -name '*.gcda' -delete
(cd build/coverage && ctest -j "$JOBS" -L core --output-on-failure)
gcovr --root . --object-directory build/coverage \
  --filter 'src/core/triage\.cpp' \
  --exclude-throw-branches --exclude-unreachable-branches \
  --branches --print-summary --fail-under-branch 100 --fail-under-line 100
