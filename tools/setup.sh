#!/usr/bin/env bash
# Installs what Strata needs on a fresh Debian 12 machine, if it is missing:
# the Lua 5.4 and SQLite development packages, a C compiler and pkg-config for the build, the
# sqlite3 shell (tests write to the database from outside, as a user with a SQL shell would),
# Chart.js (the dashboard's charts, served at /vendor/chart.js/); with --browser also Chromium and
# python3-venv (the dashboard's browser test, tools/browser-test) and PostgreSQL (the store and
# cluster tests start a throwaway server, tools/postgres/test-server.sh); tools/test.sh asks for them.
# Swift itself is expected on PATH (see the README).
set -euo pipefail

packages=(liblua5.4-dev libsqlite3-dev zlib1g-dev sqlite3 pkg-config gcc libjs-chart.js)
[ "${1:-}" = "--browser" ] && packages+=(chromium python3-venv postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (install Swift 6 from swift.org)" >&2; exit 1; }
