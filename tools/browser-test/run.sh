#!/usr/bin/env bash
# The dashboard's browser test: drives Debian's Chromium (headless) through a real
# `strata serve` with Playwright for Python. Builds nothing: it runs the debug binary that
# `swift build` made (tools/test.sh builds first). Creates tools/.venv-browser (git-ignored)
# with Playwright from PyPI when it is missing. Screenshots go to tools/browser-test/out/.
# Usage: tools/browser-test/run.sh [--headed]
#   STRATA_BIN=path/to/strata  use another binary (default: the debug build)
#   CHROMIUM=path/to/chromium  use another Chromium (default: /usr/bin/chromium)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/tools/.venv-browser"

py="${PYTHON:-}"
if [ -z "$py" ]; then
  for c in python3 python; do command -v "$c" >/dev/null 2>&1 && { py="$c"; break; }; done
fi
[ -n "$py" ] || { echo "browser-test: no python3 on PATH" >&2; exit 1; }

if [ ! -x "$venv/bin/python" ]; then
  echo "browser-test: creating $venv" >&2
  "$py" -m venv "$venv" || {
    echo "browser-test: 'python3 -m venv' failed (on Debian: apt-get install python3-venv)" >&2
    exit 1
  }
fi
if ! "$venv/bin/python" -c 'from playwright.sync_api import sync_playwright' 2>/dev/null; then
  echo "browser-test: installing Playwright into $venv" >&2
  # Only the Python package: Playwright drives the system Chromium, it downloads no browser.
  "$venv/bin/python" -m pip install -q --disable-pip-version-check 'playwright>=1.49' >/dev/null
fi

chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "browser-test: no Chromium at $chromium (Debian: apt-get install chromium; tools/setup.sh --browser does)" >&2; exit 1; }

bin="${STRATA_BIN:-}"
if [ -z "$bin" ]; then
  bin="$(cd "$root" && swift build --show-bin-path)/strata"
fi
[ -x "$bin" ] || { echo "browser-test: no strata binary at $bin (run swift build first)" >&2; exit 1; }

exec "$venv/bin/python" "$here/test_dashboard.py" --bin "$bin" --chromium "$chromium" "$@"
