"""Time backtesting.py's Backtest.optimize on an SMA grid: the peer of `strata bench --scenario optimize_grid`.

    tools/.venv/bin/python tools/peers/optimize_peer.py --csv out/bars-1000000.csv \
        --fast 5:50:5 --slow 60:240:20 [--points N] [--json]

The grid is fast FROM:TO:STEP x slow FROM:TO:STEP with fast < slow, the SmaCross rule of
sma_trades.py (long only, 1 unit, next-open fills, cash 1e9, no fees), maximising the Sharpe
ratio as `strata optimize` does by default. At ~10 s a trial over a million bars the full
100-point grid takes many minutes, so --points N times the first N points of the grid in grid
order (fast slowest), still through one Backtest.optimize call, and trials/s is N / seconds.
Backtest.optimize itself decides how many processes it uses (backtesting 0.6.6: a process
pool over the cores when the platform forks).
"""
import argparse
import json
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sma_trades  # noqa: E402  (re-runs under tools/.venv when needed)


from backtesting import Backtest, Strategy  # noqa: E402
from backtesting.lib import crossover  # noqa: E402
from backtesting.test import SMA  # noqa: E402


class SmaCross(Strategy):
    """sma_trades.py's rule, at module level so that the optimizer's worker processes can load it."""
    n_fast = 20
    n_slow = 50

    def init(self):
        self.sma_fast = self.I(SMA, self.data.Close, self.n_fast)
        self.sma_slow = self.I(SMA, self.data.Close, self.n_slow)

    def next(self):
        if crossover(self.sma_fast, self.sma_slow):
            if not self.position:
                self.buy(size=1)
        elif crossover(self.sma_slow, self.sma_fast):
            if self.position:
                self.position.close()


CHOSEN = set()


def chosen(p) -> bool:
    return (p.n_fast, p.n_slow) in CHOSEN


def finite(x):
    x = float(x)
    return x if x == x and abs(x) != float("inf") else None


def grid(spec: str) -> list:
    start, stop, step = (int(x) for x in spec.split(":"))
    return list(range(start, stop + 1, step))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", required=True)
    ap.add_argument("--fast", default="5:50:5")
    ap.add_argument("--slow", default="60:240:20")
    ap.add_argument("--points", type=int, default=0, help="time only the first N grid points (0: all)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    df = sma_trades.load_csv(a.csv)
    points = [(f, s) for f in grid(a.fast) for s in grid(a.slow) if f < s]
    full = len(points)
    if a.points > 0:
        points = points[: a.points]
    fasts = sorted({f for f, _ in points})
    slows = sorted({s for _, s in points})
    CHOSEN.update(points)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = Backtest(df, SmaCross, cash=sma_trades.CASH, commission=0.0, spread=0.0, margin=1.0,
                      trade_on_close=False, hedging=False, exclusive_orders=False, finalize_trades=False)
        t0 = time.perf_counter()
        stats = bt.optimize(n_fast=fasts, n_slow=slows, maximize="Sharpe Ratio",
                            constraint=chosen)
        seconds = time.perf_counter() - t0
    best = stats._strategy
    out = {
        "engine": "backtesting.py Backtest.optimize", "bars": len(df), "grid_points": full, "trials": len(points),
        "subset": f"{len(points)}/{full}", "seconds": seconds, "trials_per_second": len(points) / seconds,
        "best": {"fast": int(best.n_fast), "slow": int(best.n_slow), "sharpe": finite(stats["Sharpe Ratio"])},
        "cpus": os.cpu_count(),
    }
    if a.json:
        print(json.dumps(out))
    else:
        print(f"backtesting.py optimize: {len(points)} of {full} grid points over {len(df):,} bars in {seconds:.1f} s "
              f"= {out['trials_per_second']:.4f} trials/s; best fast={out['best']['fast']} slow={out['best']['slow']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
