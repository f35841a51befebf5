#!/usr/bin/env bash
# The tracking commands with --db postgresql://...: they write to and read from PostgreSQL, an
# export from PostgreSQL imports into SQLite (and back) unchanged, and a server that is not there
# gives one clear message without the URL's password. Needs the "postgres" CTest fixture: fails
# when HIPCOACH_TEST_PG_URL_FILE does not name the cluster's URL file.
# Usage: cli_pg_test.sh HIPCOACH_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect_eq() { [ "$1" == "$2" ] && ok || fail "$3: expected '$2', got '$1'"; }
expect_contains() { grep -qF -- "$2" <<<"$1" && ok || fail "$3: '$2' not in: $1"; }
expect_absent() { grep -qF -- "$2" <<<"$1" && fail "$3: '$2' must not appear in: $1" || ok; }

url_file=${HIPCOACH_TEST_PG_URL_FILE:-}
if [ -z "$url_file" ] || [ ! -s "$url_file" ]; then
  echo "FAIL: no PostgreSQL test cluster (HIPCOACH_TEST_PG_URL_FILE='$url_file'); run through ctest"
  exit 1
fi
url=$(cat "$url_file")
tmp=$(mktemp -d)
schemas=()
cleanup() {
  for s in "${schemas[@]}"; do psql -X -q "$url" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1

# A database of its own: a fresh schema in the cluster's database.
fresh_db() {
  local schema="cli_$$_${RANDOM}_$1"
  psql -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE SCHEMA $schema" >/dev/null || {
    echo "FAIL: could not create schema $schema"
    exit 1
  }
  schemas+=("$schema")
  echo "$url&options=-csearch_path%3D$schema"
}
pg=$(fresh_db a)
pg2=$(fresh_db b)

hc() { TZ=UTC HIPCOACH_NOW=${NOW:-2026-01-05T08:00} "$bin" "$@"; }

# A complete danger screen (every screening question the interview asks), no danger sign.
cat >answers.json <<'JSON'
{"answers": {
  "pain_site": ["buttock", "lower_back"], "rf_onset": ["gradual"],
  "rf_weight_bearing": "normal", "rf_tummy": ["none"], "rf_nerve_signs": ["none"],
  "rf_body_signs": ["none"], "rf_background": ["none"], "rf_serious_signs": ["none"],
  "age": 34, "sex": "female", "painful_side": "left", "activities": ["desk_work"],
  "pain_days": 10, "pain_trend": "same", "pain_worst": 4, "worse_with": ["stairs"],
  "also_notice": ["glutes_off"], "habits": ["sit_8h", "weak_core"]}}
JSON

out=$(hc assess --answers answers.json --db "$pg" 2>err.txt)
expect_eq "$?" 0 "assess into PostgreSQL: $(cat err.txt)"
expect_contains "$out" "Saved." "assess saved"
for day in 06 07 08; do
  NOW=2026-01-${day}T08:00 hc log pain 4 --worst 6 --sitting-hours 7 --db "$pg" >/dev/null 2>err.txt
  expect_eq "$?" 0 "log pain on the $day: $(cat err.txt)"
  NOW=2026-01-${day}T18:00 hc log exercise glute_bridge --sets 1 --reps 12 --pain 2 --effort 5 \
    --db "$pg" >/dev/null 2>err.txt
  expect_eq "$?" 0 "log exercise on the $day: $(cat err.txt)"
done
out=$(NOW=2026-01-09T08:00 hc progress --db "$pg" 2>err.txt)
expect_eq "$?" 0 "progress: $(cat err.txt)"

# PostgreSQL -> file -> SQLite -> file -> a second PostgreSQL schema: the same data throughout.
hc export -o pg.json --db "$pg" 2>err.txt
expect_eq "$?" 0 "export from PostgreSQL: $(cat err.txt)"
hc import pg.json --db "$tmp/copy.db" >/dev/null 2>err.txt
expect_eq "$?" 0 "import into SQLite: $(cat err.txt)"
hc export -o sqlite.json --db "$tmp/copy.db" 2>err.txt
expect_eq "$?" 0 "export from SQLite: $(cat err.txt)"
hc import sqlite.json --db "$pg2" >/dev/null 2>err.txt
expect_eq "$?" 0 "import into PostgreSQL: $(cat err.txt)"
hc export -o pg2.json --db "$pg2" 2>err.txt
expect_eq "$?" 0 "export from the second schema: $(cat err.txt)"
same=$(python3 - <<'PY'
import json
a, b, c = (json.load(open(f)) for f in ("pg.json", "sqlite.json", "pg2.json"))
print("same" if a == b == c else "different")
PY
)
expect_eq "$same" same "PostgreSQL and SQLite exports"
checkins=$(python3 -c 'import json; print(len(json.load(open("pg.json"))["checkins"]))')
expect_eq "$checkins" 3 "check-ins in PostgreSQL"
hc import sqlite.json --db "$pg2" >/dev/null 2>err.txt
expect_eq "$?" 2 "a second import is refused (bad input)"
expect_contains "$(cat err.txt)" "already holds your data" "refused import message"

# A server that is not there: exit 1, one message, no password.
out=$(hc progress --db "postgresql://hipcoach:Pa55wordXYZ@/hipcoach?host=/tmp/hipcoach-none" 2>err.txt)
expect_eq "$?" 1 "no server: exit code"
expect_eq "$out" "" "no server: stdout"
expect_contains "$(cat err.txt)" "could not connect to PostgreSQL" "no server: message"
expect_absent "$(cat err.txt)" "Pa55wordXYZ" "no server: password"

echo "cli_pg_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
