#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --browser
tools/standing-checks.sh
tools/pattern-check/run.sh
swift build --build-tests
# One throwaway PostgreSQL server for the whole run (the store, cluster and HTTP tests make a
# database each on it); stopped however the run ends.
pg_dir=$(mktemp -d /tmp/strata-test-pg.XXXXXX)
trap 'tools/postgres/test-server.sh stop "$pg_dir"' EXIT
STRATA_TEST_POSTGRES_URL=$(tools/postgres/test-server.sh start "$pg_dir")
export STRATA_TEST_POSTGRES_URL
tools/ta-reference/check.sh
swift test --skip-build
tools/browser-test/run.sh
tools/api-fuzz/run.sh
