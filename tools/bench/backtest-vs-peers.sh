#!/usr/bin/env bash
# The same SMA(20/50) crossover over the same 1,000,000 bars (EURUSD.csv tiled) in Strata,
# backtesting.py and backtrader, in one go: bars/second for each, and Strata's ratios. Strata
# runs it twice: with the averages written in Lua (sma_reference.lua) and with `ta.sma`
# (sma_reference_ta.lua, issue 14).
# Usage: tools/bench/backtest-vs-peers.sh [BARS]   (backtrader takes about 1.5 min at 1M bars)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bars=${1:-1000000}
tools/peers/setup.sh
swift build -c release --product strata >/dev/null
py=tools/.venv/bin/python
csv=${TMPDIR:-/tmp}/strata-bars-$bars.csv
[ -f "$csv" ] || "$py" tools/peers/bench_peers.py --bars "$bars" --write-csv "$csv" >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "running strata…" >&2
.build/release/strata backtest tools/peers/sma_reference.lua --data "$csv" --json > "$out/strata.json"
.build/release/strata backtest tools/peers/sma_reference_ta.lua --data "$csv" --json > "$out/strata_ta.json"
echo "running backtesting.py and backtrader…" >&2
"$py" tools/peers/bench_peers.py --bars "$bars" --csv "$csv" --json > "$out/peers.json"
"$py" - "$out/strata.json" "$out/peers.json" "$out/strata_ta.json" <<'PY'
import json, sys
strata = json.load(open(sys.argv[1]))
peers = json.load(open(sys.argv[2]))
with_ta = json.load(open(sys.argv[3]))
rate, ta_rate = strata["bars_per_second"], with_ta["bars_per_second"]
print(f"{'engine':<16}{'bars/s':>14}{'strata ratio':>15}{'ta ratio':>12}")
print(f"{'strata':<16}{rate:>14,.0f}{'':>15}{'':>12}   ({strata['closed_trades']} closed trades)")
print(f"{'strata (ta.sma)':<16}{ta_rate:>14,.0f}{'':>15}{'':>12}   ({with_ta['closed_trades']} closed trades)")
for engine in peers["engines"]:
    r = engine["bars_per_second"]
    print(f"{engine['name']:<16}{r:>14,.0f}{rate / r:>14.1f}x{ta_rate / r:>11.1f}x")
PY
