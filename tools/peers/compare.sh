#!/usr/bin/env bash
# Issue 3's acceptance check: on each shared data file, the SMA(20/50) crossover (1 unit, no
# fees, next-open fills) gives the same trades in Strata, backtesting.py and backtrader.
# Usage: tools/peers/compare.sh [STRATA_BINARY]   (default: a release build of strata)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tools/peers/setup.sh
strata=${1:-}
if [ -z "$strata" ]; then
  swift build -c release --product strata >/dev/null
  strata=.build/release/strata
fi
data=${STRATA_DATA:-$root/data}
py=tools/.venv/bin/python
out=$(mktemp -d)
status=0
for file in GOOG EURUSD BTCUSD; do
  csv="$data/$file.csv"
  "$strata" backtest tools/peers/sma_reference.lua --data "$csv" --json --no-timing > "$out/strata-$file.json"
  "$py" tools/peers/sma_trades.py --engine backtesting --data "$csv" --json > "$out/backtesting-$file.json"
  "$py" tools/peers/sma_trades.py --engine backtrader --data "$csv" --json > "$out/backtrader-$file.json"
  counts=$("$py" - "$out" "$file" <<'PY'
import json, sys
out, name = sys.argv[1], sys.argv[2]
parts = []
for engine in ("strata", "backtesting", "backtrader"):
    d = json.load(open(f"{out}/{engine}-{name}.json"))
    parts.append(f"{engine} {d['closed_trades']} closed + {d['open_trades']} open")
print(", ".join(parts))
PY
)
  echo "$file: $counts"
  if "$py" tools/peers/compare_trades.py "$out/strata-$file.json" "$out/backtesting-$file.json" "$out/backtrader-$file.json" --tol 1e-9; then
    echo "$file: every entry and exit matches"
  else
    status=1
  fi
done
rm -rf "$out"
exit $status
