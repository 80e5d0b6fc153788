#!/bin/sh
# Builds the plain C Lua baseline (baseline*.c) into tools/bench/out/baseline.
# Idempotent: rebuilds only when a source (or this script) is newer than the binary; safe to
# run concurrently (each build writes its own temporary file and renames it into place).
# Prints the absolute path of the binary on stdout.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
bin="$out/baseline"
mkdir -p "$out"
stale=0
[ -x "$bin" ] || stale=1
for src in "$here"/baseline*.c "$here"/baseline.h "$here/build.sh"; do
  [ "$src" -nt "$bin" ] && stale=1
done
if [ "$stale" = 1 ]; then
  ${CC:-gcc} -O2 -std=c11 -Wall -Wextra -o "$bin.$$.tmp" "$here"/baseline*.c \
    $(pkg-config --cflags --libs lua5.4) -lsqlite3
  mv -f "$bin.$$.tmp" "$bin"
fi
echo "$bin"
