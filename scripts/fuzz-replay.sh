#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and replays every committed corpus input once
# (-runs=0), so any input that ever crashed stays a regression test. FUZZ_SECONDS=N also fuzzes
# each target for N seconds, one after another (docs/security.md has the runs and their
# commands); FUZZ_TARGETS="http import" limits it to some.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
targets=${FUZZ_TARGETS:-knowledge answers http import fhir}
cmake --preset fuzz -DHIPCOACH_MODEL=OFF >/dev/null
build_targets=()
for name in $targets; do build_targets+=("${name}_fuzzer"); done
cmake --build --preset fuzz -j "$JOBS" --target "${build_targets[@]}"
for name in $targets; do
  bin=build/fuzz/fuzz/${name}_fuzzer
  corpus=fuzz/corpus/$name
  count=$(find "$corpus" -type f | wc -l)
  if [ "$count" -eq 0 ]; then
    echo "fuzz/corpus/$name is empty" >&2
    exit 1
  fi
  "$bin" -runs=0 "$corpus" >/dev/null 2>"build/fuzz/${name}.log" || { cat "build/fuzz/${name}.log"; exit 1; }
  echo "replayed $count ${name} corpus inputs: no crash"
  if [ -n "${FUZZ_SECONDS:-}" ]; then
    mkdir -p "build/fuzz/new-$name"
    "$bin" -max_total_time="$FUZZ_SECONDS" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 "build/fuzz/new-$name" "$corpus"
  fi
done
