#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --browser
tools/standing-checks.sh
tools/pattern-check/run.sh
swift build --build-tests
swift test --skip-build
tools/browser-test/run.sh
tools/api-fuzz/run.sh
