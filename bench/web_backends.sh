#!/usr/bin/env bash
# Web API throughput and latency over both back ends, in one run (docs/performance.md):
#   - one `hipcoach serve --multi-user` over SQLite;
#   - two `hipcoach serve --multi-user` processes over one PostgreSQL (a throwaway cluster made
#     by scripts/pg-cluster.sh and removed at the end), the load split between them (two wrk
#     processes, one per server, as a proxy in front would spread it).
# For each: the interview step (POST /api/v1/interview, no database) and the check-in
# (POST /api/v1/checkins as a signed-in person: a durable write plus the safety-net reads), at
# 100 and 400 concurrent connections. Prints one Markdown table row per run.
#
# Usage: bench/web_backends.sh HIPCOACH_BINARY [SECONDS]
set -euo pipefail
binary=$(realpath "$1")
seconds=${2:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/hc-bench.XXXXXX)
chmod 755 "$work"  # the cluster inside runs as the postgres user when we are root
pids=()
cluster=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$cluster" ]; then "$here/scripts/pg-cluster.sh" stop "$cluster" >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

wait_up() {  # port
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$1/api/v1/status" >/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

start_server() {  # port db threads
  "$binary" serve --multi-user --port "$1" --db "$2" --threads "$3" >"$work/serve-$1.log" 2>&1 &
  pids+=($!)
  wait_up "$1"
}

# Registers a person through `port` and writes a wrk script posting check-ins with the session.
checkin_script() {  # port name output
  local body
  body=$(curl -fs -c "$work/jar-$2" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"correct horse battery\"}" \
    "http://127.0.0.1:$1/api/v1/account/register")
  local csrf cookie
  csrf=$(sed -E 's/.*"csrf":"([^"]+)".*/\1/' <<<"$body")
  cookie=$(awk '$6 == "hc_session" {print $7}' "$work/jar-$2")
  cat >"$3" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "hc_session=$cookie"
wrk.headers["X-CSRF-Token"] = "$csrf"
wrk.body = '{"pain_now":3,"pain_worst":5,"sitting_hours":6}'
EOF
}

# Runs wrk against each port at once with `connections` split between them; prints a row.
measure() {  # label endpoint connections script port...
  local label=$1 endpoint=$2 connections=$3 script=$4
  shift 4
  local per=$((connections / $#)) outs=() runs=() n=0
  for port in "$@"; do
    local s=$script
    [ "$s" = checkin ] && s="$work/checkin-$port.lua"
    wrk -t1 -c"$per" -d"${seconds}s" --timeout 10s --latency -s "$s" \
      "http://127.0.0.1:$port$endpoint" >"$work/wrk-$n.txt" 2>&1 &
    runs+=($!)
    outs+=("$work/wrk-$n.txt")
    n=$((n + 1))
  done
  wait "${runs[@]}"
  python3 - "$label" "$connections" "${outs[@]}" <<'EOF'
import re, sys
label, connections, files = sys.argv[1], sys.argv[2], sys.argv[3:]
def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = 0.0; p50 = []; p99 = []; errors = 0; total = 0
for f in files:
    t = open(f).read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p50.append(ms(re.search(r"\s50%\s+(\S+)", t).group(1)))
    p99.append(ms(re.search(r"\s99%\s+(\S+)", t).group(1)))
    total += int(re.search(r"(\d+) requests in", t).group(1))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    errors += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    errors += sum(map(int, m.groups())) if m else 0
print(f"| {label} | {connections} | {rps:,.0f} | {max(p50):.1f} | {max(p99):.1f} | {errors} of {total:,} |")
EOF
}

interview="$here/tests/web/wrk_step.lua"
# The interview step must be one the server answers with a next question (a stale answer set
# would measure error responses).
check_step() {  # port
  local body reply
  body=$(sed -nE "s/^wrk.body = '(.*)'$/\1/p" "$interview")
  reply=$(curl -fs -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$1/api/v1/interview") || {
    echo "the interview step in $interview is refused by the server on port $1" >&2
    return 1
  }
  grep -q '"question"' <<<"$reply" || {
    echo "the interview step in $interview does not lead to a next question: $reply" >&2
    return 1
  }
}
echo "| set-up | connections | requests/s | p50 ms (worst server) | p99 ms (worst server) | errors |"
echo "|---|---|---|---|---|---|"

# One server over SQLite.
start_server 18101 "$work/hipcoach.db" 512
check_step 18101
checkin_script 18101 sqlite-person "$work/checkin-18101.lua"
for c in 100 400; do
  measure "1 server, SQLite: interview" /api/v1/interview "$c" "$interview" 18101
  measure "1 server, SQLite: check-in" /api/v1/checkins "$c" checkin 18101
done
kill "${pids[@]}"
wait 2>/dev/null || true
pids=()

# Two servers over one PostgreSQL.
cluster="$work/pg"
"$here/scripts/pg-cluster.sh" start "$cluster" >/dev/null
url=$(cat "$cluster/url")
start_server 18102 "$url" 256
start_server 18103 "$url" 256
checkin_script 18102 pg-person-a "$work/checkin-18102.lua"
checkin_script 18103 pg-person-b "$work/checkin-18103.lua"
for c in 100 400; do
  measure "2 servers, PostgreSQL: interview" /api/v1/interview "$c" "$interview" 18102 18103
  measure "2 servers, PostgreSQL: check-in" /api/v1/checkins "$c" checkin 18102 18103
done
