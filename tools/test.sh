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
# The live feed's and the webhooks' tests time network peers on loopback (timeouts of half a
# second, reconnect backoffs) with async servers: beside the rest of the suite, whose tests block
# threads of the two-core machine's cooperative pool, those servers would not even get to run.
# They run on their own, after the rest.
timed_peers="StrataLiveFeedTests|StrataNotifyTests"
swift test --skip-build --skip "$timed_peers"
swift test --skip-build --filter "$timed_peers"
tools/browser-test/run.sh
tools/api-fuzz/run.sh
