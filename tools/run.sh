#!/usr/bin/env bash
# The run command: installs what is missing, builds, and runs `strata serve` on the embedded
# SQLite default (strata.db here), with demo instances when the database is empty.
# Ctrl-C stops it cleanly. The dashboard (127.0.0.1) arrives with the HTTP issue.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build -c release --product strata
for script in strategies-lua/*.lua; do
  .build/release/strata check "$script" >/dev/null || .build/release/strata check "$script"
done
exec .build/release/strata serve "$@"
