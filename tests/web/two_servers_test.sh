#!/usr/bin/env bash
# Two `hipcoach serve --multi-user` processes on different ports over one PostgreSQL database (a
# fresh schema in the throwaway cluster of the "postgres" CTest fixture): a person registers and
# signs in through the first, carries on through the second with the same cookie, and keeps
# going after the first server is stopped. This is the deployment of docs/deploy.md without the
# proxy. Fails (never skips) when the cluster is missing.
# Usage: two_servers_test.sh HIPCOACH_BINARY
set -uo pipefail
bin=$1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect_contains() { grep -qF -- "$2" <<<"$1" && ok || fail "$3: '$2' not in: $1"; }

url_file=${HIPCOACH_TEST_PG_URL_FILE:-}
if [ -z "$url_file" ] || [ ! -s "$url_file" ]; then
  echo "FAIL: no PostgreSQL test cluster (HIPCOACH_TEST_PG_URL_FILE='$url_file'); run through ctest"
  exit 1
fi
cluster=$(cat "$url_file")
tmp=$(mktemp -d)
schema="two_servers_$$_${RANDOM}"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  PGOPTIONS='-c client_min_messages=warning' psql -X -q "$cluster" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
psql -X -q -v ON_ERROR_STOP=1 "$cluster" -c "CREATE SCHEMA $schema" >/dev/null || exit 1
db="$cluster&options=-csearch_path%3D$schema"

# Starts server number $1 on a free port; sets $port.
start() {
  local log="$tmp/serve-$1.log"
  "$bin" serve --multi-user --port 0 --threads 8 --db "$db" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -nE 's|.*http://127\.0\.0\.1:([0-9]+)/.*|\1|p' "$log")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "FAIL: server $1 did not start: $(cat "$log")" >&2
  return 1
}
start 1 || exit 1
first=$port
start 2 || exit 1
second=$port
[ "$first" != "$second" ] && ok || fail "the two servers share port $first"

jar="$tmp/cookies"
register=$(curl -s -c "$jar" -H 'Content-Type: application/json' \
  -d '{"username":"alice","password":"correct horse battery"}' \
  "http://127.0.0.1:$first/api/v1/account/register")
expect_contains "$register" '"username":"alice"' "register on the first server"
csrf=$(sed -nE 's/.*"csrf":"([^"]+)".*/\1/p' <<<"$register")

post() {  # port path body
  curl -s -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d "$3" \
    "http://127.0.0.1:$1$2"
}
get() { curl -s -b "$jar" "http://127.0.0.1:$1$2"; }

# The same session on the second server: a check-in written there is read on the first.
expect_contains "$(get "$second" /api/v1/account)" '"username":"alice"' "signed in on the second"
expect_contains "$(post "$second" /api/v1/checkins '{"pain_now":4}')" '"id"' "check-in on the second"
expect_contains "$(get "$first" /api/v1/checkins)" '"pain_now":4' "the first sees the check-in"

# The first server stops; the person carries on through the second.
kill "${pids[0]}"
wait "${pids[0]}" 2>/dev/null
expect_contains "$(post "$second" /api/v1/checkins '{"pain_now":3}')" '"id"' "after the first stopped"
list=$(get "$second" /api/v1/checkins)
expect_contains "$list" '"pain_now":4' "the earlier check-in is kept"
expect_contains "$list" '"pain_now":3' "the later check-in is kept"

# Signing out through the second ends the session for every server (a third one checks).
start 3 || exit 1
third=$port
expect_contains "$(post "$second" /api/v1/account/logout '{}')" '"signed_out"' "sign out"
expect_contains "$(get "$third" /api/v1/checkins)" '"signed_out"' "the session is gone everywhere"

echo "two servers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
