#!/bin/sh
# Builds the plain C Lua dispatch baseline into tools/bench/out/baseline.
# Idempotent: rebuilds only when baseline.c is newer than the binary.
# Prints the absolute path of the binary on stdout.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
bin="$out/baseline"
mkdir -p "$out"
if [ ! -x "$bin" ] || [ "$here/baseline.c" -nt "$bin" ] || [ "$here/build.sh" -nt "$bin" ]; then
  ${CC:-gcc} -O2 -std=c11 -Wall -Wextra -o "$bin.tmp" "$here/baseline.c" \
    $(pkg-config --cflags --libs lua5.4)
  mv -f "$bin.tmp" "$bin"
fi
echo "$bin"
