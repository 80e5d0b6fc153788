#!/bin/sh
# Builds the differential check of strata_pattern.c against Lua 5.4's own matcher and runs it.
# Usage: tools/pattern-check/run.sh   (PATTERN_CHECK_RANDOM=N sets the number of random rounds)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${TMPDIR:-/tmp}/strata-pattern-check
gcc -std=c11 -O2 -Wall -Wextra \
    -I "$root/Sources/CStrataLua/include" -I /usr/include/lua5.4 \
    "$root/tools/pattern-check/pattern_check.c" "$root/Sources/CStrataLua/strata_pattern.c" \
    -o "$out" -llua5.4 -lpthread
exec "$out" "$root/tools/pattern-check/pattern_check.lua"
