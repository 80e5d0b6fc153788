#!/usr/bin/env bash
# Runs the built `strata check --json` on every Lua fixture (adversarial, broken, valid) and checks
# the outcome its header promises (see Tests/StrataRuntimeTests/FixtureHeader.swift for the format)
# and that the run ends within about twice the deadline of the call that fails.
# One line per fixture, then "N passed, N failed". Exit status 0 only when every fixture passed.
#
#   tools/check-fixtures.sh [FIXTURE.lua ...]
#
# Environment: STRATA (the binary; default .build/debug/strata, built if missing), SLACK (seconds
# added to twice the deadline for process start-up (the command and its worker process) and the work before the failing call; default
# 0.75), HANG_AFTER (seconds after which a run is killed and reported as a hang; default 10).
set -uo pipefail
cd "$(dirname "$0")/.."

STRATA=${STRATA:-.build/debug/strata}
SLACK=${SLACK:-0.75}
HANG_AFTER=${HANG_AFTER:-10}
FIXTURES=Tests/StrataRuntimeTests/Fixtures

if [ ! -x "$STRATA" ]; then
  echo "building strata…" >&2
  swift build --product strata >&2 || exit 2
fi
if command -v jq >/dev/null; then
  field() { jq -r "$1 // empty" <<<"$2" 2>/dev/null; }
elif command -v python3 >/dev/null; then
  field() {
    python3 -c 'import json, sys
value = json.loads(sys.argv[2])
for key in sys.argv[1].lstrip(".").split("."):
    value = value.get(key) if isinstance(value, dict) else None
print("" if value is None else (str(value).lower() if isinstance(value, bool) else value))' "$1" "$2" 2>/dev/null
  }
else
  echo "check-fixtures: needs jq or python3 to read JSON" >&2
  exit 2
fi

# The value of `-- KEY:` in the fixture's header (the leading comment block).
header() { awk -v key="$2" '!/^--/ { exit } { sub(/^--[ ]*/, "") } index($0, key ":") == 1 { sub(/^[^:]*:[ ]*/, ""); print; exit }' "$1"; }

if (($#)); then files=("$@"); else files=("$FIXTURES"/adversarial/*.lua "$FIXTURES"/broken/*.lua "$FIXTURES"/valid/*.lua); fi

passed=0
failed=0
for file in "${files[@]}"; do
  name=${file#"$FIXTURES"/}
  expect=$(header "$file" expect)
  message=""
  if [[ $expect == *"message~="* ]]; then
    message=${expect#*message~=}
    expect=${expect%%message~=*}
  fi
  read -r outcomes rest <<<"$expect"
  phase="" line="" ticks=5
  for word in $rest; do
    case $word in
      phase=*) phase=${word#phase=} ;;
      line=*) line=${word#line=} ;;
      ticks=*) ticks=${word#ticks=} ;;
    esac
  done
  traceback=$(header "$file" traceback)
  note=""
  [ -n "$(header "$file" known-issue)" ] && note=" [known issue]"
  [ -n "$(header "$file" hangs)" ] && note=" [known hang]"
  case $phase in
    tick | render) deadline=0.05 ;;
    *) deadline=1 ;;  # load, init, and ok runs (whose longest call is load or init)
  esac
  limit=$(awk -v d="$deadline" -v s="$SLACK" 'BEGIN { print 2 * d + s }')
  # A call stuck in uninterruptible C code is reported after the stuck-call grace (>= 1 s).
  [ -n "$(header "$file" hangs)" ] && limit=$(awk -v l="$limit" 'BEGIN { print l + 1.1 }')

  start=$(date +%s%N)
  output=$(timeout -s KILL "$HANG_AFTER" "$STRATA" check --json --ticks "$ticks" "$file" 2>/dev/null)
  status=$?
  seconds=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')

  problem=""
  got=""
  if [ "$status" -eq 137 ]; then
    problem="hung: killed after ${HANG_AFTER}s"
  elif [ "$status" -gt 1 ] || [ -z "$output" ]; then
    problem="crashed or refused to run (exit status $status)"
  else
    ok=$(field .ok "$output")
    kind=$(field .error.kind "$output")
    got_phase=$(field .phase "$output")
    got_message=$(field .error.message "$output")
    got=$([ "$ok" = true ] && echo ok || echo "$kind/$got_phase")
    if [ "$ok" = true ]; then
      [ "$outcomes" = ok ] || problem="expected $outcomes/$phase, got ok"
    elif [ "$outcomes" = ok ]; then
      problem="expected ok, got $kind/$got_phase: ${got_message:0:160}"
    elif [[ "|$outcomes|" != *"|$kind|"* ]] || [ "$got_phase" != "$phase" ]; then
      problem="expected $outcomes/$phase, got $kind/$got_phase: ${got_message:0:160}"
    elif [ -n "$message" ] && [[ $got_message != *"$message"* ]]; then
      problem="message should contain \"$message\", got: ${got_message:0:160}"
    elif [ -n "$line" ] && [ "$(field .error.line "$output")" != "$line" ]; then
      problem="expected line $line, got $(field .error.line "$output")"
    elif [ -n "$traceback" ] && [[ $(field .error.traceback "$output") != *"$traceback"* ]]; then
      problem="traceback should contain \"$traceback\""
    fi
    if [ -z "$problem" ] && awk -v t="$seconds" -v l="$limit" 'BEGIN { exit !(t > l) }'; then
      problem="too slow: ${seconds}s, limit ${limit}s"
    fi
  fi

  if [ -z "$problem" ]; then
    passed=$((passed + 1))
    printf 'PASS  %-58s %-24s %6ss%s\n' "$name" "$got" "$seconds" "${note:+ [marked as known issue, but passes]}"
  else
    failed=$((failed + 1))
    printf 'FAIL  %-58s %s (%ss)%s\n' "$name" "$problem" "$seconds" "$note"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
