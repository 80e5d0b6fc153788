#!/usr/bin/env python3
"""How robust is the SMA crossover on a data file? (ties, margins, SMA rounding)

    tools/.venv/bin/python tools/peers/signal_margin.py --data CSV [--fast 20 --slow 50]

The two peer engines use different crossover rules that differ only when fast == slow exactly
on a bar (see README.md), and different SMA arithmetic (pandas rolling mean in backtesting.py,
math.fsum / n in backtrader; Strata's Lua will have its own). This prints, for the file:
  * bars where SMA(fast) == SMA(slow) exactly, under each SMA arithmetic below;
  * the smallest |SMA(fast) - SMA(slow)| relative to SMA(slow) on any bar (the margin);
  * the largest difference between each SMA arithmetic and the correctly rounded one, and the
    bars where the sign of fast - slow differs from the correctly rounded one;
  * the signal bars (0-based) of the rule: up/down crossings, the first bar a signal can
    happen on, and whether a signal falls on the last bar (it would never fill).
SMA arithmetics: "fsum" (math.fsum(window)/n, correctly rounded sum: backtrader), "pandas"
(Series.rolling(n).mean(): backtesting.py), "loop" (window summed left to right each bar),
"running" (one running sum: add the new close, subtract the one leaving).
If ties = 0 and no sign differs, every engine whatever its SMA arithmetic and its treatment of
equality produces the same signals on this file.
"""
from __future__ import annotations

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sma_trades  # noqa: E402


def sma_fsum(x, n):
    return [math.nan] * (n - 1) + [math.fsum(x[i - n + 1:i + 1]) / n for i in range(n - 1, len(x))]


def sma_loop(x, n):
    out = [math.nan] * (n - 1)
    for i in range(n - 1, len(x)):
        s = 0.0
        for v in x[i - n + 1:i + 1]:
            s += v
        out.append(s / n)
    return out


def sma_running(x, n):
    out, s = [], 0.0
    for i, v in enumerate(x):
        s += v
        if i >= n:
            s -= x[i - n]
        out.append(s / n if i >= n - 1 else math.nan)
    return out


def sma_pandas(x, n):
    import pandas as pd

    return pd.Series(x).rolling(n).mean().tolist()


METHODS = {"fsum": sma_fsum, "pandas": sma_pandas, "loop": sma_loop, "running": sma_running}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--fast", type=int, default=20)
    ap.add_argument("--slow", type=int, default=50)
    a = ap.parse_args(argv)
    x = sma_trades.load_csv(a.data)["Close"].tolist()
    n = len(x)
    w = a.slow - 1
    ref_f, ref_s = sma_fsum(x, a.fast), sma_fsum(x, a.slow)
    ref_d = [ref_f[i] - ref_s[i] for i in range(n)]
    sign = lambda v: (v > 0) - (v < 0)  # noqa: E731
    print(f"{a.data}: {n} bars, SMA({a.fast}/{a.slow}); both SMAs exist from bar {w} (0-based), "
          f"first bar a crossing can be seen: {w + 1}")
    if n <= w + 1:
        print("too short for any signal")
        return 0
    margin = min((abs(ref_d[i]) / abs(ref_s[i]), i) for i in range(w, n))
    print(f"smallest |fast - slow| / slow: {margin[0]:.3g} at bar {margin[1]}")
    ok = True
    for name, fn in METHODS.items():
        f, s = fn(x, a.fast), fn(x, a.slow)
        d = [f[i] - s[i] for i in range(n)]
        ties = [i for i in range(w, n) if d[i] == 0]
        flips = [i for i in range(w, n) if sign(d[i]) != sign(ref_d[i])]
        err = max(max(abs(f[i] - ref_f[i]), abs(s[i] - ref_s[i])) for i in range(w, n))
        ok &= not ties and not flips
        print(f"  {name:8} ties: {len(ties)}{' ' + str(ties[:10]) if ties else ''}  "
              f"max |SMA - fsum SMA|: {err:.3g}  sign differs from fsum at: {len(flips)} bars"
              f"{' ' + str(flips[:10]) if flips else ''}")
    ups = [t for t in range(w + 1, n) if ref_d[t - 1] < 0 < ref_d[t]]
    downs = [t for t in range(w + 1, n) if ref_d[t - 1] > 0 > ref_d[t]]
    print(f"up-crossings: {len(ups)} (first at bar {ups[0] if ups else '-'}), "
          f"down-crossings: {len(downs)} (first at bar {downs[0] if downs else '-'})")
    print(f"already crossed when the SMAs first exist: fast {'above' if ref_d[w] > 0 else 'below or equal'} "
          f"slow at bar {w} (no signal there in either engine)")
    last = n - 1
    if last in ups or last in downs:
        print(f"a signal falls on the last bar ({last}): its order never fills")
    print("verdict: " + ("no ties and no sign differences: every SMA arithmetic and both crossover "
                         "rules give the same signals" if ok else
                         "ties or sign differences: engines may disagree on this file"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
