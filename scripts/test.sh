#!/usr/bin/env bash
# `make test`: every test suite, from one clean build per configuration. Prints ctest's closing
# line for each suite and fails on the first failing one.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
step() { printf '\n==== %s ====\n' "$*"; }

step "Release build and all suites"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$JOBS"
ctest --preset dev -j "$JOBS"

step "Knowledge base check (the built-in knowledge)"
./build/dev/src/cli/hipcoach kb check

step "Core tests under AddressSanitizer and UBSan"
cmake --preset asan -DHIPCOACH_MODEL=OFF >/dev/null
cmake --build --preset asan -j "$JOBS" --target hipcoach_core_tests hipcoach_kb_tests
ctest --preset asan -j "$JOBS"

step "Branch coverage of the triage and red-flag code (must be 100 %)"
scripts/coverage.sh

step "Fuzz corpora replayed (libFuzzer, clang)"
scripts/fuzz-replay.sh

printf '\nmake test: all suites passed\n'
