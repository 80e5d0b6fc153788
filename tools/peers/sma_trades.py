#!/usr/bin/env python3
"""Run the reference SMA crossover rule in a peer engine and print its round-trip trades.

    tools/.venv/bin/python tools/peers/sma_trades.py --engine backtesting|backtrader \
        --data CSV [--fast 20 --slow 50] [--json]

The rule (the acceptance rule of `strata backtest`, issue 3):
  * long only, 1 unit, SMA over closes (fast=20, slow=50 by default);
  * enter long (when flat) when the fast SMA crosses above the slow SMA,
    close the position (when long) when the fast SMA crosses below the slow SMA;
  * an order decided at bar t's close fills at bar t+1's open;
  * no commission, no slippage, cash 1e9 so that no order is ever refused;
  * a trade still open after the last bar is reported as open, not force-closed;
    an order decided on the last bar has no bar to fill on and is not a trade.

Each engine uses its own idiom for the crossover (backtesting.lib.crossover, bt.ind.CrossOver)
and its own SMA; see tools/peers/README.md for the exact semantics and where they differ.

Output with --json (deterministic: same input, byte-identical output):
  {"engine", "data", "bars", "fast", "slow",
   "trades": [{"entry_time", "entry_price", "exit_time", "exit_price", "qty", "pnl",
               "entry_bar", "exit_bar"}],
   "closed_trades", "open_trades"}
Times are ISO 8601 without zone ("2017-04-19T09:00:00"), the time of the bar whose open filled
the order; *_bar is that bar's 0-based row in the CSV (header not counted).
Without --json, a readable table.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import warnings

def _use_venv() -> None:
    """Re-run under tools/.venv/bin/python when started by another interpreter without the engines."""
    venv_py = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".venv", "bin", "python")
    try:
        import backtesting  # noqa: F401
        import backtrader  # noqa: F401
    except ImportError:
        if os.path.exists(venv_py) and os.path.realpath(sys.prefix) != os.path.realpath(
                os.path.dirname(os.path.dirname(venv_py))):
            os.execv(venv_py, [venv_py] + sys.argv)
        sys.exit("backtesting/backtrader not installed: run tools/peers/setup.sh")


_use_venv()

ENGINES = ("backtesting", "backtrader")
CASH = 1e9


def load_csv(path: str):
    """OHLCV CSV as the shared files have it: first column the timestamp (index)."""
    import pandas as pd

    # Numbers are read as text and converted with Python's float(), which is correctly rounded:
    # the same doubles as Swift's Double(String) (pandas' own fast parser is not guaranteed to be;
    # on the three shared files it happens to agree).
    raw = pd.read_csv(path, index_col=0, dtype=str, keep_default_na=False)
    cols = {c.strip().lower(): c for c in raw.columns}
    missing = [k for k in ("open", "high", "low", "close") if k not in cols]
    if missing:
        raise SystemExit(f"{path}: missing column(s) {', '.join(missing)}")
    data = {}
    for k in ("open", "high", "low", "close", "volume"):
        data[k.capitalize()] = ([float(x) for x in raw[cols[k]]] if k in cols else [0.0] * len(raw))
    df = pd.DataFrame(data, index=pd.to_datetime(raw.index), dtype=float)
    df.index.name = None
    return df


def iso(ts) -> str:
    """Naive timestamp as ISO 8601 to the second ('YYYY-MM-DDTHH:MM:SS')."""
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


# --------------------------------------------------------------------------- backtesting.py
def run_backtesting(df, fast: int, slow: int, want_trades: bool = True):
    """Returns (trades, engine_seconds). trades: list of dicts (see module doc)."""
    import time

    from backtesting import Backtest, Strategy
    from backtesting.lib import crossover
    from backtesting.test import SMA  # pd.Series(arr).rolling(n).mean(), the library's own

    class SmaCross(Strategy):
        n_fast = fast
        n_slow = slow

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

    with warnings.catch_warnings():
        # "Some trades remain open at the end of backtest" is expected: we report them as open.
        warnings.simplefilter("ignore")
        bt = Backtest(df, SmaCross, cash=CASH, commission=0.0, spread=0.0, margin=1.0,
                      trade_on_close=False, hedging=False, exclusive_orders=False,
                      finalize_trades=False)
        t0 = time.perf_counter()
        stats = bt.run()
        seconds = time.perf_counter() - t0
    if not want_trades:
        return None, seconds
    strat = stats._strategy
    index = df.index
    out = []
    for t in list(strat.closed_trades) + list(strat.trades):
        closed = t.exit_bar is not None
        out.append({
            "entry_time": iso(t.entry_time),
            "entry_price": float(t.entry_price),
            "exit_time": iso(t.exit_time) if closed else None,
            "exit_price": float(t.exit_price) if closed else None,
            "qty": int(t.size),
            "pnl": float(t.pl) if closed else None,
            "entry_bar": int(t.entry_bar),
            "exit_bar": int(t.exit_bar) if closed else None,
        })
        assert index[t.entry_bar] == t.entry_time
    out.sort(key=lambda r: r["entry_bar"])
    return out, seconds


# --------------------------------------------------------------------------- backtrader
def run_backtrader(df, fast: int, slow: int, want_trades: bool = True):
    import time

    import backtrader as bt

    fills = []    # (bar, price, size) of every completed order, in order
    closed = []   # pnl of each closed trade, from notify_trade
    opened = []   # trades seen opening

    class SmaCross(bt.Strategy):
        params = dict(fast=fast, slow=slow)

        def __init__(self):
            sma_fast = bt.ind.SMA(self.data.close, period=self.p.fast)
            sma_slow = bt.ind.SMA(self.data.close, period=self.p.slow)
            self.cross = bt.ind.CrossOver(sma_fast, sma_slow)

        def next(self):
            if self.cross[0] > 0:
                if not self.position:
                    self.buy(size=1)
            elif self.cross[0] < 0:
                if self.position:
                    self.close()

        def notify_order(self, order):
            if order.status == order.Completed:
                # Called while the broker processes bar t+1: the data points at the fill bar.
                fills.append((len(self.data) - 1, order.executed.price, order.executed.size,
                              bt.num2date(order.executed.dt)))
            elif order.status in (order.Canceled, order.Margin, order.Rejected):
                raise RuntimeError(f"backtrader refused an order: {order.getstatusname()}")

        def notify_trade(self, trade):
            if trade.isclosed:
                closed.append(trade.pnl)
            elif trade.justopened:
                opened.append(trade.price)

    if len(df) <= slow:
        # No bar can see a crossing (the first is bar `slow`); backtrader's vectorised run would
        # also fail with an IndexError on data shorter than an indicator's period.
        return [], 0.0
    cerebro = bt.Cerebro(stdstats=False, cheat_on_open=False)
    cerebro.broker.setcash(CASH)
    cerebro.broker.setcommission(commission=0.0)
    cerebro.broker.set_coc(False)
    cerebro.addsizer(bt.sizers.FixedSize, stake=1)
    # The DataFrame's values go in as they are; loading them into backtrader's lines (preload)
    # happens inside cerebro.run() and cannot be timed apart.
    cerebro.adddata(bt.feeds.PandasData(dataname=df))
    cerebro.addstrategy(SmaCross)
    t0 = time.perf_counter()
    cerebro.run(runonce=True, preload=True)
    seconds = time.perf_counter() - t0
    if not want_trades:
        return None, seconds

    index = df.index
    out = []
    pending = None
    for bar, price, size, dt in fills:
        # backtrader keeps time as a float day number; it must land on the fill bar's timestamp.
        assert abs((dt - index[bar].to_pydatetime()).total_seconds()) < 1e-3, (bar, dt, index[bar])
        if size > 0:
            assert pending is None
            pending = {"entry_time": iso(index[bar]), "entry_price": float(price),
                       "exit_time": None, "exit_price": None, "qty": int(size), "pnl": None,
                       "entry_bar": bar, "exit_bar": None}
        else:
            assert pending is not None and -size == pending["qty"]
            pending.update(exit_time=iso(index[bar]), exit_price=float(price), exit_bar=bar)
            out.append(pending)
            pending = None
    if pending is not None:
        out.append(pending)
    assert len(closed) == sum(1 for r in out if r["exit_bar"] is not None), (closed, out)
    for r, pnl in zip([r for r in out if r["exit_bar"] is not None], closed):
        r["pnl"] = float(pnl)
    assert len(opened) == len(out)
    return out, seconds


RUNNERS = {"backtesting": run_backtesting, "backtrader": run_backtrader}


def result(engine: str, data: str, df, fast: int, slow: int) -> dict:
    trades, _ = RUNNERS[engine](df, fast, slow)
    n_closed = sum(1 for t in trades if t["exit_time"] is not None)
    return {
        "engine": engine,
        "data": data,
        "bars": int(len(df)),
        "fast": fast,
        "slow": slow,
        "trades": trades,
        "closed_trades": n_closed,
        "open_trades": len(trades) - n_closed,
    }


def print_table(res: dict) -> None:
    print(f"{res['engine']} on {res['data']}: {res['bars']} bars, SMA({res['fast']}/{res['slow']}), "
          f"{res['closed_trades']} closed, {res['open_trades']} open")
    print(f"{'#':>4}  {'entry_time':19}  {'entry_price':>12}  {'exit_time':19}  {'exit_price':>12}  {'pnl':>12}")
    for i, t in enumerate(res["trades"], 1):
        ex = t["exit_time"] or "(open)"
        xp = "" if t["exit_price"] is None else f"{t['exit_price']:.6g}"
        pnl = "" if t["pnl"] is None else f"{t['pnl']:.6g}"
        print(f"{i:>4}  {t['entry_time']:19}  {t['entry_price']:>12.6g}  {ex:19}  {xp:>12}  {pnl:>12}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engine", required=True, choices=ENGINES)
    ap.add_argument("--data", required=True, help="OHLCV CSV (header ,Open,High,Low,Close,Volume)")
    ap.add_argument("--fast", type=int, default=20)
    ap.add_argument("--slow", type=int, default=50)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args(argv)
    if not (0 < a.fast < a.slow):
        ap.error("need 0 < --fast < --slow")
    if not os.path.isfile(a.data):
        ap.error(f"no such file: {a.data}")
    res = result(a.engine, a.data, load_csv(a.data), a.fast, a.slow)
    if a.json:
        json.dump(res, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_table(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
