#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's postgresql package:
#   test-server.sh start DIR   initdb into DIR (a new temporary folder), pg_ctl start on a free
#                              loopback port, create the database `strata`; prints its URL
#                              (postgres://strata@127.0.0.1:PORT/strata) on stdout.
#   test-server.sh stop DIR    pg_ctl stop (fast) and remove DIR.
# STRATA_PG_DURABLE=1 keeps PostgreSQL's durability settings (fsync, synchronous commit) on, as
# benchmarks want them; tests turn them off for speed.
# As root, the server runs as the `postgres` user (initdb refuses root). Nothing is installed
# here: tools/setup.sh --browser installs the package when it is missing.
set -euo pipefail

command=${1:?usage: test-server.sh start|stop DIR}
dir=${2:?usage: test-server.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "test-server: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_server "$bin/initdb" -D "$dir/data" -U strata --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Loopback only; the socket in DIR too (not /run/postgresql, which may not exist or be writable).
  fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${STRATA_PG_DURABLE:-0}" = 1 ] && fast=""
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $fast -c max_connections=300" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_server "$bin/createdb" -h 127.0.0.1 -p "$port" -U strata strata
  echo "postgres://strata@127.0.0.1:$port/strata"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "test-server: unknown command $command (start or stop)" >&2
  exit 2
  ;;
esac
