#!/usr/bin/env bash
# Schemathesis against a real `strata serve`: every check, positive and negative data, the
# examples, coverage, fuzzing and stateful phases, over schemas/openapi.yaml. Builds nothing:
# it runs the debug binary that `swift build` made (tools/test.sh builds first). Creates
# tools/.venv-apifuzz (git-ignored) with Schemathesis from PyPI when it is missing. The server
# gets a temporary database with the demo instances, the example strategies and a free loopback
# port; it is stopped whatever happens. Exits non-zero on any finding.
# Usage: tools/api-fuzz/run.sh [extra schemathesis options]
#   STRATA_BIN=path/to/strata   use another binary (default: the debug build)
#   FUZZ_MAX_EXAMPLES=N         test cases per operation and phase (default 20: about 2 minutes on 2 cores)
#   FUZZ_SEED=N                 replay a run (default: a fixed seed; "random" for a new one)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/tools/.venv-apifuzz"

py="${PYTHON:-}"
if [ -z "$py" ]; then
  for c in python3 python; do command -v "$c" >/dev/null 2>&1 && { py="$c"; break; }; done
fi
[ -n "$py" ] || { echo "api-fuzz: no python3 on PATH" >&2; exit 1; }

if [ ! -x "$venv/bin/python" ]; then
  echo "api-fuzz: creating $venv" >&2
  "$py" -m venv "$venv" || { echo "api-fuzz: 'python3 -m venv' failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }
fi
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  echo "api-fuzz: installing Schemathesis into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check 'schemathesis>=4.3,<5' >/dev/null
fi

bin="${STRATA_BIN:-}"
if [ -z "$bin" ]; then
  bin="$(cd "$root" && swift build --show-bin-path)/strata"
fi
[ -x "$bin" ] || { echo "api-fuzz: no strata binary at $bin (run swift build first)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/strata-api-fuzz.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir "$work/strategies"
cp "$root"/strategies-lua/*.lua "$work/strategies/"
cp -R "$root"/strategies-lua/lib "$work/strategies/lib"  # the modules the examples require
port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" serve --db "$work/strata.db" --strategies "$work/strategies" --data-dir "$root/data" --host 127.0.0.1 --port "$port" \
  >"$work/server.log" 2>&1 </dev/null &
server_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 200); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "api-fuzz: strata serve exited before answering:" >&2; tail -20 "$work/server.log" >&2; exit 1
  fi
  if "$venv/bin/python" -c "import sys,urllib.request; urllib.request.urlopen('$base/api/instances?limit=1', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

seed="${FUZZ_SEED:-20261205}"
seed_option=(--seed "$seed")
[ "$seed" = "random" ] && seed_option=()

status=0
(cd "$work" && "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$root/schemas/openapi.yaml" \
  --url "$base" --checks all --mode all --phases examples,coverage,fuzzing,stateful \
  --max-examples "${FUZZ_MAX_EXAMPLES:-20}" "${seed_option[@]}" --workers 1 --request-timeout 10 \
  --suppress-health-check all --no-color "$@") || status=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "api-fuzz: strata serve died during the run:" >&2; tail -40 "$work/server.log" >&2; exit 1
fi
if grep -q "internal error" "$work/server.log"; then
  echo "api-fuzz: the server logged internal errors:" >&2; grep "internal error" "$work/server.log" | head -20 >&2; status=1
fi
exit "$status"
