#!/usr/bin/env bash
# Regenerates the `ta` reference values with pandas and the `ta` package (PyPI) and compares
# them with the committed Tests/StrataRuntimeTests/Fixtures/ta/reference.csv, so the committed
# file provably comes from the packages. Installs them (pinned) into tools/.venv-ta when missing,
# quietly. Usage: tools/ta-reference/check.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/tools/.venv-ta"
reqs=("pandas==3.1.1" "numpy==2.4.6" "ta==0.11.0")

if ! "$venv/bin/python" -c "import pandas, numpy, ta" 2>/dev/null; then
  python3 -m venv "$venv" >/dev/null
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${reqs[@]}" >/dev/null
fi

fresh="$(mktemp /tmp/ta-reference.XXXXXX.csv)"
trap 'rm -f "$fresh"' EXIT
"$venv/bin/python" "$here/generate.py" "$fresh"
"$venv/bin/python" "$here/compare.py" "$root/Tests/StrataRuntimeTests/Fixtures/ta/reference.csv" "$fresh"
