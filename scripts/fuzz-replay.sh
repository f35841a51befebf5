#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and replays every committed corpus input once
# (-runs=0), so any input that ever crashed stays a regression test. FUZZ_SECONDS=N also fuzzes
# each target for N seconds (used by `make fuzz`, not by `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
cmake --preset fuzz -DHIPCOACH_MODEL=OFF >/dev/null
cmake --build --preset fuzz -j "$JOBS" --target knowledge_fuzzer answers_fuzzer
for name in knowledge answers; do
  bin=build/fuzz/fuzz/${name}_fuzzer
  corpus=fuzz/corpus/$name
  count=$(find "$corpus" -type f | wc -l)
  "$bin" -runs=0 "$corpus" >/dev/null 2>"build/fuzz/${name}.log" || { cat "build/fuzz/${name}.log"; exit 1; }
  echo "replayed $count ${name} corpus inputs: no crash"
  if [ -n "${FUZZ_SECONDS:-}" ]; then
    mkdir -p "build/fuzz/new-$name"
    "$bin" -max_total_time="$FUZZ_SECONDS" -max_len=8192 "build/fuzz/new-$name" "$corpus"
  fi
done
