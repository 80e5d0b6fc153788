#!/usr/bin/env python3
"""Benchmark the SMA(20/50) crossover in the peer engines over one tiled data file.

    tools/.venv/bin/python tools/peers/bench_peers.py --bars 1000000 [--engine backtesting|backtrader ...]
        [--csv PATH] [--json]
    tools/.venv/bin/python tools/peers/bench_peers.py --bars 1000000 --write-csv PATH   # only write the file

The data: data/EURUSD.csv in the repository (5,000 hourly bars; --source to change) tiled to N bars.
Tile k covers the same hours as the source shifted by k * (span + one step), so the time axis
goes on strictly increasing (step = the source's most common bar spacing, 1 h here; its weekend
gaps repeat). Prices are made continuous without rescaling: even tiles are the source as it is,
odd tiles are the source in reverse order with Open and Close swapped (High, Low, Volume kept).
So each tile's first open equals the previous tile's last close exactly, prices stay in the
source's range (rescaling each tile by last close / first open would compound EURUSD's +15 %
over 200 tiles into prices near 1e12), and every price is written as the source's own text,
so any reader parses the same doubles. The file is deterministic; its sha256 is printed.

Timing (wall clock, time.perf_counter; engines run one after the other; --repeat N runs each
engine N times and reports the fastest, which helps on a shared, loaded machine):
  backtesting  Backtest(...).run(): indicator set-up (pandas rolling means), the bar loop and the
               statistics it computes at the end. Excluded: reading the CSV into a DataFrame and
               the Backtest constructor.
  backtrader   cerebro.run(runonce=True, preload=True, stdstats=False): includes copying the
               DataFrame into backtrader's lines (preload), which cannot be separated from a
               run; that copy is also timed on its own and shown as preload_seconds.
  Excluded for both: reading the CSV (pandas), interpreter start-up.
With --csv PATH the given file is used as it is (--bars is then its row count).
If an engine's projected time for N bars exceeds --time-limit (900 s), it is measured on fewer
bars (a prefix of the same file) and its bars/second is reported with "extrapolated": true.

--json: {"bars": N, "data": PATH, "sha256": ..., "engines": [{"name", "bars_per_second",
         "seconds", "measured_bars", "extrapolated", "closed_trades", "open_trades", ...}]}
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sma_trades  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
# The repository's sample data (data/ at its root).
DEFAULT_SOURCE = os.path.normpath(os.path.join(here, "..", "..", "data", "EURUSD.csv"))


def write_tiled(source: str, bars: int, path: str) -> str:
    """Writes the tiled CSV to path; returns its sha256."""
    import numpy as np
    import pandas as pd

    raw = pd.read_csv(source, index_col=0, dtype=str, keep_default_na=False)
    header_cols = ["Open", "High", "Low", "Close", "Volume"]
    cols = {c.strip().lower(): c for c in raw.columns}
    o, h, l, c = (raw[cols[k]].to_numpy() for k in ("open", "high", "low", "close"))
    v = raw[cols["volume"]].to_numpy() if "volume" in cols else np.full(len(raw), "0", dtype=object)
    ts = pd.to_datetime(raw.index).as_unit("ns").asi8
    n = len(raw)
    if n < 2:
        raise SystemExit(f"{source}: need at least 2 rows")
    diffs = np.diff(ts)
    if (diffs <= 0).any():
        raise SystemExit(f"{source}: timestamps not strictly increasing")
    vals, counts = np.unique(diffs, return_counts=True)
    step = int(vals[counts.argmax()])
    period = int(ts[-1] - ts[0]) + step

    fwd = (o, h, l, c, v)
    rev = (c[::-1], h[::-1], l[::-1], o[::-1], v[::-1])  # reversed bars: open <-> close
    tiles = -(-bars // n)
    times = (ts[None, :] + (np.arange(tiles, dtype=np.int64) * period)[:, None]).ravel()[:bars]
    stamps = pd.to_datetime(times, unit="ns").strftime("%Y-%m-%d %H:%M:%S").to_numpy()
    cols_out = [np.concatenate([(fwd if k % 2 == 0 else rev)[j] for k in range(tiles)])[:bars]
                for j in range(5)]
    tmp = path + ".part"
    with open(tmp, "w", newline="\n") as f:
        f.write("," + ",".join(header_cols) + "\n")
        chunk = 100_000
        for s in range(0, bars, chunk):
            e = min(bars, s + chunk)
            f.write("".join(f"{t},{a},{b},{x},{y},{z}\n" for t, a, b, x, y, z in
                            zip(stamps[s:e], *(col[s:e] for col in cols_out))))
    os.replace(tmp, path)
    return sha256(path)


def sha256(path: str) -> str:
    hsh = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            hsh.update(block)
    return hsh.hexdigest()


def backtrader_preload_seconds(df) -> float:
    """Time to copy the DataFrame into a backtrader feed's lines, on its own."""
    import backtrader as bt

    data = bt.feeds.PandasData(dataname=df)
    bt.Cerebro().adddata(data)  # gives the feed its environment
    t0 = time.perf_counter()
    data._start()
    data.preload()
    return time.perf_counter() - t0


def bench_engine(name: str, df, fast: int, slow: int, time_limit: float, log, repeat: int = 1) -> dict:
    run = sma_trades.RUNNERS[name]
    total = len(df)
    # Pilot on a prefix to project the full run's time.
    pilot = min(total, 20_000)
    _, ps = run(df.iloc[:pilot], fast, slow, want_trades=False)
    projected = ps * total / pilot
    measured = total
    if projected > time_limit:
        measured = max(pilot, int(total * time_limit / projected * 0.8))
        log(f"{name}: projected {projected:.0f} s for {total} bars > {time_limit:.0f} s; "
            f"measuring {measured} bars and extrapolating")
    else:
        log(f"{name}: running {total} bars (projected {projected:.0f} s)")
    sub = df if measured == total else df.iloc[:measured]
    trades, seconds = run(sub, fast, slow)
    all_seconds = [seconds]
    for _ in range(repeat - 1):
        all_seconds.append(run(sub, fast, slow, want_trades=False)[1])
    seconds = min(all_seconds)  # best of --repeat runs
    closed = sum(1 for t in trades if t["exit_time"] is not None)
    res = {
        "name": name,
        "bars_per_second": measured / seconds,
        "seconds": seconds if measured == total else seconds * total / measured,
        "measured_bars": measured,
        "measured_seconds": seconds,
        "extrapolated": measured != total,
        "closed_trades": closed,
        "open_trades": len(trades) - closed,
        "runs_seconds": all_seconds,
    }
    if name == "backtrader":
        res["preload_seconds"] = backtrader_preload_seconds(sub)
        res["bars_per_second_without_preload"] = measured / max(1e-9, seconds - res["preload_seconds"])
    log(f"{name}: {res['bars_per_second']:,.0f} bars/s (best {seconds:.2f} s of "
        f"{', '.join(f'{x:.2f}' for x in all_seconds)} for {measured} bars), "
        f"{closed} closed + {res['open_trades']} open trades")
    return res, trades


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bars", type=int, default=1_000_000)
    ap.add_argument("--engine", action="append", choices=sma_trades.ENGINES,
                    help="engine to run (repeatable; default: all)")
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="file to tile (default: EURUSD.csv)")
    ap.add_argument("--csv", help="use this tiled CSV (e.g. from --write-csv) instead of writing one")
    ap.add_argument("--write-csv", metavar="PATH", help="only write the tiled CSV to PATH and exit")
    ap.add_argument("--fast", type=int, default=20)
    ap.add_argument("--slow", type=int, default=50)
    ap.add_argument("--time-limit", type=float, default=900.0,
                    help="seconds an engine may take before it is measured on fewer bars")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each engine this many times and report the fastest run")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    log = (lambda msg: print(msg, file=sys.stderr, flush=True))

    if a.write_csv:
        digest = write_tiled(a.source, a.bars, a.write_csv)
        log(f"wrote {a.bars} bars to {a.write_csv} (sha256 {digest})")
        return 0

    tmpdir = None
    if a.csv:
        path = a.csv
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="strata-peers-")
        path = os.path.join(tmpdir.name, f"{os.path.splitext(os.path.basename(a.source))[0]}_x{a.bars}.csv")
        t0 = time.perf_counter()
        write_tiled(a.source, a.bars, path)
        log(f"wrote {a.bars} bars to {path} in {time.perf_counter() - t0:.1f} s")
    digest = sha256(path)
    t0 = time.perf_counter()
    df = sma_trades.load_csv(path)
    log(f"loaded {len(df)} bars in {time.perf_counter() - t0:.1f} s (not timed)")

    engines = a.engine or list(sma_trades.ENGINES)
    results, trade_lists = [], {}
    for name in engines:
        res, trades = bench_engine(name, df, a.fast, a.slow, a.time_limit, log, max(1, a.repeat))
        results.append(res)
        trade_lists[name] = (res["measured_bars"], trades)
    if len(trade_lists) == 2:
        (na, (ba, ta)), (nb, (bb, tb)) = trade_lists.items()
        if ba == bb:
            same = ta == tb
            log(f"trades {na} vs {nb} over {ba} bars: {'identical' if same else 'DIFFERENT'}")
            for r in results:
                r["trades_match_other_engine"] = bool(same)

    out = {"bars": len(df), "data": path if a.csv else f"(temporary) {os.path.basename(path)}",
           "sha256": digest, "fast": a.fast, "slow": a.slow, "engines": results}
    if a.json:
        json.dump(out, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(f"SMA({a.fast}/{a.slow}) crossover over {len(df):,} bars ({out['data']}, sha256 {digest[:12]}…)")
        for r in results:
            extra = f"  [measured on {r['measured_bars']:,} bars, extrapolated]" if r["extrapolated"] else ""
            print(f"  {r['name']:12} {r['bars_per_second']:>12,.0f} bars/s  {r['seconds']:>8.2f} s{extra}")
        if len(results) == 2:
            a0, a1 = results
            fastr, slowr = sorted(results, key=lambda r: -r["bars_per_second"])
            print(f"  ratio {fastr['name']}/{slowr['name']}: "
                  f"{fastr['bars_per_second'] / slowr['bars_per_second']:.1f}x")
    if tmpdir:
        tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
