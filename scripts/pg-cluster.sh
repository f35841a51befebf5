#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests.
#
#   scripts/pg-cluster.sh start DIR    creates a cluster in DIR (made if missing), starts it and
#                                      writes its connection URL to DIR/url
#   scripts/pg-cluster.sh stop DIR     stops it and deletes DIR (safe to run twice)
#   scripts/pg-cluster.sh ctest-setup FILE    makes a DIR under /tmp, starts a cluster there and
#                                      copies its URL to FILE (and DIR's name to FILE.dir)
#   scripts/pg-cluster.sh ctest-cleanup FILE  stops the cluster FILE.dir names, removes FILE*
#
# The server listens only on a Unix socket in DIR (no TCP). Roles: the superuser "postgres" and
# "hipcoach", a plain LOGIN role (not a superuser, so row-level security applies to it) that owns
# the database "hipcoach". Authentication on the socket is "trust": keep DIR private. As root
# (CI), the server runs as the "postgres" system user, since initdb refuses to run as root.
set -euo pipefail

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

bindir() {
  local best
  best=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$best" ]] && command -v initdb >/dev/null; then
    best=$(dirname "$(command -v initdb)")
  fi
  [[ -n "$best" && -x "$best/initdb" ]] ||
    die "no PostgreSQL server found (install the Debian package postgresql)"
  echo "$best"
}

# Runs a command as the user that owns the cluster.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

start() {
  local dir="$1"
  local bin
  bin=$(bindir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # Unix socket paths are limited to 107 bytes: DIR/.s.PGSQL.5432 must fit.
  ((${#dir} <= 80)) || die "'$dir' is too long for a Unix socket directory (at most 80 bytes)"
  [[ ! -e "$dir/data/PG_VERSION" ]] || die "'$dir' already holds a cluster"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user"
    chown postgres: "$dir"
    chmod 700 "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=reject \
    --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 32MB
EOF
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2
    die "the server did not start"
  fi
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U postgres -d postgres <<'EOF'
CREATE ROLE hipcoach LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE DATABASE hipcoach OWNER hipcoach;
EOF
  echo "postgresql:///hipcoach?host=$dir&user=hipcoach" >"$dir/url.tmp"
  mv "$dir/url.tmp" "$dir/url"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir/url"; fi
  echo "pg-cluster: started in $dir"
}

stop() {
  local dir="$1"
  [[ -d "$dir" ]] || return 0
  local bin
  bin=$(bindir)
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  echo "pg-cluster: stopped and removed $dir"
}

ctest_setup() {
  local file="$1"
  ctest_cleanup "$file"
  local dir
  dir=$(mktemp -d /tmp/hcpg.XXXXXX)
  echo "$dir" >"$file.dir"
  start "$dir"
  cp "$dir/url" "$file.tmp"
  mv "$file.tmp" "$file"
}

ctest_cleanup() {
  local file="$1"
  if [[ -f "$file.dir" ]]; then
    stop "$(cat "$file.dir")"
  fi
  rm -f "$file" "$file.dir" "$file.tmp"
}

[[ $# -eq 2 ]] || die "usage: $0 start|stop|ctest-setup|ctest-cleanup DIR-or-FILE"
case "$1" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  ctest-setup) ctest_setup "$2" ;;
  ctest-cleanup) ctest_cleanup "$2" ;;
  *) die "unknown command '$1' (start, stop, ctest-setup, ctest-cleanup)" ;;
esac
