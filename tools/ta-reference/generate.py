#!/usr/bin/env python3
"""Reference values for Strata's `ta` indicators, computed with pandas and the `ta` package
(PyPI) on the repository's sample data (data/*.csv).

Writes Tests/StrataRuntimeTests/Fixtures/ta/reference.csv (or the path given as the first
argument): one row per bar with the bar's inputs and every indicator's outputs, empty while an
indicator warms up. The Swift test TaReferenceTests feeds the same inputs to `ta` and compares.

Semantics (docs/decisions.md, "ta indicators"): TradingView's. ema/rma/rsi/atr/macd smoothings
are seeded with the simple mean of their first n values; stdev is the population one (ddof=0);
vwap is cumulative (or windowed, over n bars); crossover(a, b) is a > b now and a <= b before.
Where the `ta` package computes the same thing (sma, wma, bollinger, atr, roc, windowed vwap),
its values are the reference and pandas' own computation must agree with them.
"""
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import ta

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/StrataRuntimeTests/Fixtures/ta/reference.csv"
# (file, bars used): the whole of GOOG and BTCUSD, the first 1,000 hours of EURUSD.
SERIES = [("GOOG.csv", None), ("EURUSD.csv", 1000), ("BTCUSD.csv", None)]


def tv_smooth(s: pd.Series, n: int, alpha: float) -> pd.Series:
    """Exponential smoothing seeded with the mean of the first n valid values (TradingView)."""
    values = s.to_numpy(dtype=float)
    valid = np.flatnonzero(~np.isnan(values))
    out = pd.Series(np.nan, index=s.index)
    if len(valid) < n:
        return out
    start = valid[0]
    seed = start + n - 1
    seeded = pd.Series(np.nan, index=s.index)
    seeded.iloc[seed] = s.iloc[start : seed + 1].mean()
    seeded.iloc[seed + 1 :] = s.iloc[seed + 1 :]
    return seeded.ewm(alpha=alpha, adjust=False).mean()


def ema(s, n):
    return tv_smooth(s, n, 2.0 / (n + 1))


def rma(s, n):
    return tv_smooth(s, n, 1.0 / n)


def rolling_pstdev(s: pd.Series, n: int) -> pd.Series:
    """Population standard deviation of each window, two-pass (numpy), for exactness."""
    out = np.full(len(s), np.nan)
    if len(s) >= n:
        windows = np.lib.stride_tricks.sliding_window_view(s.to_numpy(dtype=float), n)
        out[n - 1 :] = windows.std(axis=1, ddof=0)
    return pd.Series(out, index=s.index)


def agree(name, ours, theirs, rel=1e-9):
    a, b = ours.to_numpy(dtype=float), theirs.to_numpy(dtype=float)
    both = ~np.isnan(a) & ~np.isnan(b)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        raise SystemExit(f"{name}: pandas and ta disagree on warm-up")
    err = np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1e-300)
    if len(err) and err.max() > rel:
        raise SystemExit(f"{name}: pandas and ta differ by {err.max():.3g} relative")


def warm(s: pd.Series, n: int) -> pd.Series:
    """The `ta` package fills some warm-ups with 0 (atr): make them empty."""
    s = s.copy()
    s.iloc[: n - 1] = np.nan
    return s


def indicators(df: pd.DataFrame) -> dict:
    h, l, c, v = df["High"], df["Low"], df["Close"], df["Volume"]
    out = {}
    out["sma20"] = ta.trend.SMAIndicator(c, window=20).sma_indicator()
    agree("sma20", c.rolling(20).mean(), out["sma20"])
    out["ema20"] = ema(c, 20)
    out["wma20"] = ta.trend.WMAIndicator(c, window=20).wma()
    weights = np.arange(1, 21)
    agree("wma20", c.rolling(20).apply(lambda x: weights.dot(x) / weights.sum(), raw=True), out["wma20"])
    out["rma14"] = rma(c, 14)
    change = c.diff()
    up, down = rma(change.clip(lower=0), 14), rma((-change).clip(lower=0), 14)
    rsi = pd.Series(np.where(down == 0, 100.0, np.where(up == 0, 0.0, 100 - 100 / (1 + up / down))), index=c.index)
    out["rsi14"] = rsi.where(~up.isna())
    line = ema(c, 12) - ema(c, 26)
    signal = ema(line, 9)
    out["macd_line"] = line.where(~signal.isna())
    out["macd_signal"] = signal
    out["macd_hist"] = (line - signal).where(~signal.isna())
    bands = ta.volatility.BollingerBands(c, window=20, window_dev=2)
    sd = rolling_pstdev(c, 20)
    out["bb_mean"], out["bb_upper"], out["bb_lower"] = bands.bollinger_mavg(), bands.bollinger_hband(), bands.bollinger_lband()
    out["bb_stdev"] = sd
    agree("bb_upper", out["bb_mean"] + 2 * sd, out["bb_upper"])
    out["stdev20"] = sd
    agree("stdev20", c.rolling(20).std(ddof=0), sd, rel=1e-6)
    out["atr14"] = warm(ta.volatility.AverageTrueRange(h, l, c, window=14).average_true_range(), 14)
    tr = pd.concat([h - l, (h - c.shift()).abs(), (l - c.shift()).abs()], axis=1).max(axis=1)
    agree("atr14", rma(tr, 14), out["atr14"])
    out["highest20"] = c.rolling(20).max()
    out["lowest20"] = c.rolling(20).min()
    out["roc10"] = ta.momentum.ROCIndicator(c, window=10).roc()
    typical = (h + l + c) / 3
    out["vwap"] = (typical * v).cumsum() / v.cumsum()
    out["vwap14"] = ta.volume.VolumeWeightedAveragePrice(h, l, c, v, window=14).volume_weighted_average_price()
    out["vwap14"].iloc[:13] = np.nan
    agree("vwap14", (typical * v).rolling(14).sum() / v.rolling(14).sum(), out["vwap14"])
    sma = out["sma20"]
    out["crossover"] = ((c > sma) & (c.shift() <= sma.shift())).astype(float)
    out["crossunder"] = ((c < sma) & (c.shift() >= sma.shift())).astype(float)
    return out


def number(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else repr(float(x))


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    path.parent.mkdir(parents=True, exist_ok=True)
    rows, header = [], None
    for name, limit in SERIES:
        df = pd.read_csv(ROOT / "data" / name, index_col=0)
        if limit:
            df = df.iloc[:limit]
        columns = indicators(df)
        if header is None:
            header = ["file", "bar", "high", "low", "close", "volume"] + list(columns)
        for i in range(len(df)):
            bar = df.iloc[i]
            rows.append([name, str(i)] + [number(bar[k]) for k in ("High", "Low", "Close", "Volume")]
                        + [number(columns[k].iloc[i]) for k in columns])
    with open(path, "w", newline="\n") as f:
        f.write("# generated by tools/ta-reference/generate.py with pandas %s, ta %s; do not edit\n"
                % (pd.__version__, ta_version()))
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def ta_version() -> str:
    from importlib.metadata import version
    return version("ta")


if __name__ == "__main__":
    main()
