#!/usr/bin/env bash
# The run command: installs what is missing, builds, and checks every example strategy in the
# sandbox (the engine's `strata serve` arrives with the live engine).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build -c release --product strata
for script in strategies-lua/*.lua; do
  .build/release/strata check "$script"
done
