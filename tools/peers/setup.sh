#!/usr/bin/env bash
# Creates tools/.venv (git-ignored) if it is missing and installs the peer backtesting engines
# used to cross-check `strata backtest`: backtesting.py 0.6.6 and backtrader (latest), with
# what they need (pandas, numpy, bokeh). Idempotent: silent and fast when already set up.
# Usage: tools/peers/setup.sh        (prints nothing on success when already installed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv"
# backtesting 0.6.6 is pinned (the shared data files come from it); backtrader is "latest on PyPI".
reqs=("backtesting==0.6.6" "backtrader" "pandas" "numpy" "bokeh")

py="${PYTHON:-}"
if [ -z "$py" ]; then
  for c in python3 python; do command -v "$c" >/dev/null 2>&1 && { py="$c"; break; }; done
fi
[ -n "$py" ] || { echo "peers/setup: no python3 on PATH" >&2; exit 1; }

if [ ! -x "$venv/bin/python" ]; then
  echo "peers/setup: creating $venv" >&2
  "$py" -m venv "$venv" || {
    echo "peers/setup: 'python3 -m venv' failed (on Debian: apt-get install python3-venv)" >&2
    exit 1
  }
fi

# Already set up? (fast check, no network)
if "$venv/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m, sys
ok = m.version("backtesting") == "0.6.6"
for name in ("backtrader", "pandas", "numpy", "bokeh"):
    m.version(name)
sys.exit(0 if ok else 1)
PY
then
  exit 0
fi

echo "peers/setup: installing ${reqs[*]} into $venv" >&2
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
"$venv/bin/python" -m pip install -q --disable-pip-version-check "${reqs[@]}"
"$venv/bin/python" -c 'import backtesting, backtrader, pandas, numpy, bokeh' \
  || { echo "peers/setup: import check failed" >&2; exit 1; }
echo "peers/setup: ok ($("$venv/bin/python" -m pip freeze 2>/dev/null | grep -iE '^(backtesting|backtrader|pandas|numpy|bokeh)=' | tr '\n' ' '))" >&2
