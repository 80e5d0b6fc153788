#!/usr/bin/env python3
"""Checks, by running the engines, the crossover / warm-up / fill semantics that README.md states.

    tools/.venv/bin/python tools/peers/check_semantics.py [--cases 300] [--seed 1]

It runs sma_trades.py's strategies (the exact code used for the acceptance comparison) on
synthetic series where SMA ties (fast == slow exactly) are frequent: closes are small integers
and fast=2, slow=4, so every SMA is an exact binary fraction and no rounding is involved.
Each engine's trades must equal the trades of a plain reference model of its rule:

  strict      (backtesting.py, backtesting.lib.crossover):
              up at t   <=>  d[t-1] < 0 and d[t] > 0
              down at t <=>  d[t-1] > 0 and d[t] < 0
  last-nonzero (backtrader, bt.ind.CrossOver):
              up at t   <=>  nz[t-1] < 0 and d[t] > 0
              down at t <=>  nz[t-1] > 0 and d[t] < 0
              where nz[t] = d[t] if d[t] != 0 else nz[t-1], seeded nz[w] = d[w]

with d = SMA(fast) - SMA(slow), w = slow - 1 the first bar (0-based) where both SMAs exist, and
the first bar on which a signal is evaluated t = slow (= w + 1) in both engines. Then: enter
(when flat) on up, close (when long) on down, the order fills at bar t+1's open; a signal on
the last bar gives no trade; a trade open at the end stays open.

Also runs a few hand-made series that show each case (tie passed through, tie touched,
already crossed at warm-up, signal on the first possible bar, signal on the last bar).
Prints 'N passed, N failed' and exits non-zero on any failure.
"""
from __future__ import annotations

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sma_trades  # noqa: E402

FAST, SLOW = 2, 4


def sma(x, n):
    return [None if i < n - 1 else sum(x[i - n + 1:i + 1]) / n for i in range(len(x))]


def reference(closes, opens, rule, fast=FAST, slow=SLOW):
    f, s = sma(closes, fast), sma(closes, slow)
    d = [None if s[i] is None else f[i] - s[i] for i in range(len(closes))]
    w = slow - 1
    nz = [None] * len(closes)
    for i in range(w, len(closes)):
        nz[i] = d[i] if (i == w or d[i] != 0) else nz[i - 1]
    trades, pos = [], None
    for t in range(w + 1, len(closes)):
        prev = d[t - 1] if rule == "strict" else nz[t - 1]
        up = prev < 0 and d[t] > 0
        down = prev > 0 and d[t] < 0
        if t + 1 >= len(closes):
            break  # an order decided on the last bar never fills
        if up and pos is None:
            pos = {"entry_bar": t + 1, "entry_price": opens[t + 1], "exit_bar": None}
            trades.append(pos)
        elif down and pos is not None:
            pos.update(exit_bar=t + 1, exit_price=opens[t + 1])
            pos = None
    return [(tr["entry_bar"], tr["exit_bar"]) for tr in trades]


def frame(closes):
    import pandas as pd

    n = len(closes)
    opens = [1000.0 + i for i in range(n)]  # distinct opens: a fill price names its bar
    idx = pd.date_range("2020-01-01", periods=n, freq="D")
    df = pd.DataFrame({"Open": opens, "High": [max(o, c) + 1 for o, c in zip(opens, closes)],
                       "Low": [min(o, c) - 1 for o, c in zip(opens, closes)],
                       "Close": [float(c) for c in closes], "Volume": [1.0] * n}, index=idx)
    return df, opens


def engine_trades(engine, closes):
    df, opens = frame(closes)
    trades, _ = sma_trades.RUNNERS[engine](df, FAST, SLOW)
    for t in trades:  # prices must be the fill bar's open
        assert t["entry_price"] == opens[t["entry_bar"]]
        assert t["exit_bar"] is None or t["exit_price"] == opens[t["exit_bar"]]
    return [(t["entry_bar"], t["exit_bar"]) for t in trades]


RULE = {"backtesting": "strict", "backtrader": "last-nonzero"}

# Hand-made cases with fast=2, slow=4. d is given at bars 3.. (the first bar both SMAs exist).
HAND = {
    # name: (closes, trades by the strict rule (backtesting.py), by last-nonzero (backtrader)),
    # a trade written (entry_bar, exit_bar), bars 0-based; d = SMA2 - SMA4 from bar 3 on.
    "tie passed through: d = .25, -2, 0, .75, .5 (bars 3-7)":
        ([1, 8, 7, 3, 4, 6, 4, 8], [], [(7, None)]),
    "tie touched: d = 1.75, -1, 0, -1, -1":
        ([0, 5, 9, 3, 7, 5, 1, 7], [], []),
    "already above when both SMAs first exist: d = 1.75, .25, .5, 1.25, .25":
        ([3, 0, 8, 2, 7, 5, 9, 4], [], []),
    "cross on the first bar a signal can happen (t = slow = 4): d = -.25, 1.25, ...":
        ([5, 2, 3, 3, 7, 6, 9, 6], [(5, None)], [(5, None)]),
    "up-cross on the last bar: no trade: d = ..., .25, -1, .25":
        ([2, 0, 3, 5, 5, 7, 4, 4, 8], [], []),
    "tie on the seed bar (3) then above: d = 0, .25, 1.75, 1.75":
        ([1, 5, 2, 4, 4, 9, 6], [], []),
    "up at 4, down at 6: fills at 5 and 7: d = -1.25, 2.5, 3, -.75, -2, ...":
        ([6, 2, 0, 3, 9, 6, 3, 4, 0, 0], [(5, 7)], [(5, 7)]),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    passed = failed = 0
    differ = 0
    for name, (closes, want_strict, want_nz) in HAND.items():
        _, opens = frame(closes)
        for engine, want in (("backtesting", want_strict), ("backtrader", want_nz)):
            got = engine_trades(engine, closes)
            ref = reference(closes, opens, RULE[engine])
            if got == want == ref:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name} [{engine}]: got {got}, expected {want}, reference {ref}")
    rng = random.Random(a.seed)
    for k in range(a.cases):
        n = rng.randint(8, 40)
        closes = [rng.randint(0, 3) for _ in range(n)]
        _, opens = frame(closes)
        per_engine = {}
        for engine in sma_trades.ENGINES:
            got = engine_trades(engine, closes)
            per_engine[engine] = got
            ref = reference(closes, opens, RULE[engine])
            if got == ref:
                passed += 1
            else:
                failed += 1
                print(f"FAIL random case {k} [{engine}] closes={closes}: got {got}, reference {ref}")
        differ += per_engine["backtesting"] != per_engine["backtrader"]
    print(f"random series where the two engines' trades differ (ties are common here): "
          f"{differ} of {a.cases}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
